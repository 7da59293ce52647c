"""The admin API under /almasim/v1/admin: reset, worlds, tenants, journal, faults, processing mode, state,
OpenAPI and coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alma_requests import KEY, po_line

from simulator.api import codec
from simulator.admin import coverage
from simulator.api.handlers import ROUTES

ADMIN = "/almasim/v1/admin"
POL = "/almaws/v1/acq/po-lines"
JSON = {"accept": "application/json"}


def admin(wire, verb: str, where: str, body=None, **query):
    target = ADMIN + where + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    answer = wire(verb, target, key=None, json_body=body)
    assert answer.header("content-type").startswith(("application/json", "text/markdown")), answer.body
    return answer.status, (json.loads(answer.body) if answer.header("content-type").startswith("application/json")
                           else answer.body.decode())


def order(wire, key: str = KEY, **changes) -> dict:
    answer = wire("POST", POL, key=key, json_body=po_line(**changes), headers=JSON)
    assert answer.status == 200, answer.body
    return json.loads(answer.body)


def test_reset_forgets_orders_journal_and_faults(service, wire):
    number = order(wire)["number"]
    admin(wire, "POST", "/faults", {"path": "/almaws/v1/acq/test", "status": 503})
    status, world = admin(wire, "POST", "/reset")
    assert status == 200 and [i["code"] for i in world["institutions"]] == ["01TRLC_HVU", "01TRLC_RVC", "01TRLC_LSU"]
    assert wire("GET", f"{POL}/{number}").status == 400
    assert admin(wire, "GET", "/faults")[1] == []
    assert admin(wire, "GET", "/journal")[1]["total"] == 1  # only the GET after the reset


def test_a_tenant_is_a_copy_with_its_own_keys_and_its_own_orders(wire):
    status, tenant = admin(wire, "POST", "/tenants", {"template": "01TRLC_HVU"})
    assert status == 201
    assert tenant["code"].startswith("01TRLC_HVU_T") and tenant["api_key"]
    mine = order(wire, key=tenant["api_key"])
    theirs = order(wire)
    assert mine["number"] == theirs["number"]  # same seed, separate sequences
    answer = wire("GET", "/almaws/v1/acq/test", key=tenant["api_key"])
    assert tenant["code"].encode() in answer.body
    funds = json.loads(wire("GET", "/almaws/v1/acq/funds/HIST-MONO", key=tenant["api_key"], headers=JSON).body)
    assert funds["code"] == "HIST-MONO"
    assert admin(wire, "DELETE", f"/tenants/{tenant['code']}")[0] == 200
    assert wire("GET", "/almaws/v1/acq/test", key=tenant["api_key"]).status == 401


def test_a_tenant_from_an_unknown_template_is_a_clear_400(wire):
    status, body = admin(wire, "POST", "/tenants", {"template": "NOPE"})
    assert status == 400 and body["error"].startswith("SIMULATOR: no institution 'NOPE'")


def test_the_journal_speaks_library_and_keeps_the_raw_exchange(wire):
    line = order(wire, resource_metadata={"title": "Ports", "isbn": "9781861895554"})
    refused = po_line()
    del refused["owner"]
    wire("POST", POL, json_body=refused)
    _, journal = admin(wire, "GET", "/journal")
    assert journal["summary"][0].startswith(f"PO line {line['number']} created for ISBN 9781861895554 "
                                            "charged to HIST-MONO (")
    assert journal["summary"][1].endswith("401664 Mandatory field is missing: owner")
    first = journal["entries"][0]
    assert first["institution"] == "01TRLC_HVU" and first["status"] == 200
    assert json.loads(first["request"]["body"])["vendor_account"] == "GOBI-HVU"
    assert line["number"] in first["response"]["body"]
    assert "apikey" not in first["query"]


def test_an_in_review_order_names_its_alerts_in_the_journal(wire):
    order(wire, price={"sum": "25.00", "currency": {"value": "USD"}},
          fund_distribution=[{"fund_code": {"value": "HIST-MONO"}, "amount": {"sum": "5.00", "currency": {"value": "USD"}}}])
    summary = admin(wire, "GET", "/journal")[1]["summary"][0]
    assert summary.endswith("(In Review: FUND_NOT_FULLY_FUNDED)")


def test_the_journal_names_the_new_item_a_receipt_made(wire):
    number = order(wire)["number"]
    answer = wire("POST", f"/almaws/v1/acq/po-lines/{number}/items?format=json", json_body={})
    pid = json.loads(answer.body)["item_data"]["pid"]  # the answer is Alma's item object
    assert pid and admin(wire, "GET", "/journal")[1]["summary"][-1] == f"PO line {number}: new item {pid} received"


def test_the_journal_is_capped_filterable_and_clearable(service, wire):
    admin(wire, "PUT", "/settings", {"journal_cap": 3, "journal_body_cap": 20})
    for _ in range(5):
        wire("GET", "/almaws/v1/acq/test")
    wire("GET", "/almaws/v1/conf/libraries", key="l8xx-rvc-0000-read-write")
    _, journal = admin(wire, "GET", "/journal")
    assert journal["total"] == 3 and journal["cap"] == 3
    assert all(len(e["response"]["body"].encode()) <= 20 for e in journal["entries"])
    assert admin(wire, "GET", "/journal", institution="01TRLC_RVC")[1]["total"] == 1
    assert admin(wire, "GET", "/journal", path="/acq/test", method="GET")[1]["total"] == 2
    assert admin(wire, "GET", "/journal", status=401)[1]["total"] == 0
    assert admin(wire, "DELETE", "/journal")[1] == {"cleared": 3}
    assert admin(wire, "GET", "/journal")[1]["total"] == 0


def test_a_fault_with_an_alma_code_fires_always(wire):
    admin(wire, "POST", "/faults", {"method": "POST", "path": POL, "code": "401872", "message": "Given fund_code is illegal."})
    for _ in range(2):
        answer = wire("POST", POL, json_body=po_line(), headers=JSON)
        assert answer.status == 400
        assert codec.parse_error_body(answer.body) == [("401872", "Given fund_code is illegal.")]
    assert wire("GET", "/almaws/v1/acq/test").status == 200


def test_a_next_n_fault_fires_n_times_then_retires(wire):
    admin(wire, "POST", "/faults", {"path": "/almaws/v1/acq/test", "status": 503, "times": 2})
    statuses = [wire("GET", "/almaws/v1/acq/test").status for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert admin(wire, "GET", "/faults")[1] == []


def test_a_probability_fault_with_a_seed_repeats_exactly(wire):
    def run() -> list[int]:
        admin(wire, "DELETE", "/faults")
        admin(wire, "POST", "/faults", {"path": "/almaws/v1/acq/test", "status": 500, "probability": 0.5, "seed": 7})
        return [wire("GET", "/almaws/v1/acq/test").status for _ in range(20)]
    first, second = run(), run()
    assert first == second
    assert set(first) == {200, 500}


def test_faults_can_drop_the_connection_after_processing_and_slow_answers(service, wire):
    admin(wire, "POST", "/faults", {"method": "POST", "path": POL, "drop": True, "after": True, "times": 1})
    before = len(service.world.institution("01TRLC_HVU").po_lines)
    answer = wire("POST", POL, json_body=po_line())
    assert answer.drop
    assert len(service.world.institution("01TRLC_HVU").po_lines) == before + 1  # the order exists all the same
    admin(wire, "POST", "/faults", {"path": "/almaws/v1/acq/test", "delay": 0.25, "times": 1})
    assert wire("GET", "/almaws/v1/acq/test").delay == 0.25


def test_a_bad_fault_is_refused_with_the_reason(wire):
    status, body = admin(wire, "POST", "/faults", {"path": POL, "colour": "red"})
    assert status == 400 and "colour" in body["error"]


def test_asynchronous_mode_hides_status_and_alerts_until_the_clock_passes(service, wire):
    status, modes = admin(wire, "PUT", "/processing", {"mode": "asynchronous", "seconds": 30})
    assert modes["01TRLC_HVU"] == {"mode": "asynchronous", "seconds": 30.0}
    created = order(wire)
    assert "status" not in created and "alert" not in created
    assert "still processing" in admin(wire, "GET", "/journal")[1]["summary"][-1]
    fetched = json.loads(wire("GET", f"{POL}/{created['number']}", headers=JSON).body)
    assert "status" not in fetched
    admin(wire, "POST", "/clock", {"advance_seconds": 31})
    fetched = json.loads(wire("GET", f"{POL}/{created['number']}", headers=JSON).body)
    assert fetched["status"]["value"] == "SENT"
    admin(wire, "PUT", "/processing", {"mode": "synchronous"})
    assert "status" in order(wire)


def test_export_then_import_gives_the_same_world(service, wire):
    line = order(wire)
    admin(wire, "POST", "/tenants", {})
    _, exported = admin(wire, "GET", "/state")
    admin(wire, "POST", "/reset")
    assert wire("GET", f"{POL}/{line['number']}").status == 400
    status, _ = admin(wire, "PUT", "/state", exported)
    assert status == 200
    assert admin(wire, "GET", "/state")[1] == exported
    again = json.loads(wire("GET", f"{POL}/{line['number']}", headers=JSON).body)
    assert again == line
    assert order(wire)["number"] != line["number"]  # sequences travel too


def test_a_posted_world_file_replaces_the_world(wire):
    world = ('name = "Just Hudson Valley"\ndefaults = "alma-defaults.toml"\n'
             'community_zone = "community-zone.toml"\ninstitutions = ["institutions/hudson-valley.toml"]\n'
             '[[networks]]\ncode = "TRLC"\nname = "A smaller network"\nmms_suffix = "7000"\n'
             'records = [{ title = "A Shared Record", isbns = ["9780226811482"] }]\n')
    answer = wire("POST", ADMIN + "/world", key=None, body=world.encode())
    body = json.loads(answer.body)
    assert answer.status == 200 and body["name"] == "Just Hudson Valley"
    assert [i["code"] for i in body["institutions"]] == ["01TRLC_HVU"]
    assert wire("GET", "/almaws/v1/acq/test", key="l8xx-rvc-0000-read-write").status == 401
    answer = wire("POST", ADMIN + "/world", key=None)
    assert len(json.loads(answer.body)["institutions"]) == 3


def test_settings_are_checked(wire):
    assert admin(wire, "PUT", "/settings", {"per_second_threshold": -1})[0] == 400
    assert admin(wire, "PUT", "/settings", {"speed": 1})[0] == 400
    assert admin(wire, "PUT", "/settings", {"per_second_threshold": 25})[1]["per_second_threshold"] == 25


def test_unknown_admin_calls_are_404_and_the_bare_route_is_tiny(wire):
    assert admin(wire, "GET", "/nothing")[0] == 404
    assert wire("GET", ADMIN + "/bare", key=None).body == b'{"ok":true}'


def test_openapi_and_coverage_list_every_route(wire):
    _, document = admin(wire, "GET", "/openapi.json")
    assert document["openapi"].startswith("3.")
    _, page = admin(wire, "GET", "/coverage")
    _, data = admin(wire, "GET", "/coverage", format="json")
    for route in ROUTES:
        assert route.method.lower() in document["paths"][route.template]
        assert f"| {route.method} | `{route.template}` |" in page
    assert {e["path"] for e in data["endpoints"]} == {r.template for r in ROUTES}
    assert "FUND_NOT_FULLY_FUNDED" in data["alerts"]


def test_docs_coverage_md_lists_every_route_and_is_up_to_date():
    """docs/coverage.md is exactly the generated page: regenerate it with coverage.markdown() when routes change."""
    from simulator.admin import coverage

    page = (Path(__file__).resolve().parents[2] / "docs" / "coverage.md").read_text("utf-8")
    for route in ROUTES:
        assert f"| {route.method} | `{route.template}` |" in page, f"docs/coverage.md misses {route.method} {route.template}"
    assert page == coverage.markdown(), "docs/coverage.md is stale: write coverage.markdown() to it"


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_coverage_page_is_generated_from_the_route_table(fmt):
    assert coverage.markdown().count("| ✔ |") == len(ROUTES)
