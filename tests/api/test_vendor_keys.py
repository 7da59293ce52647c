"""A vendor's key and the purchasing review rules on Alma's HTTP face (ORDERING-RULES §7 "A vendor's key";
reference/after-ordering.md "Review and packaging"): the restricted key's refusals in Alma's envelope (JSON and
XML), funds without balances, the API Restrictions profile among the integration profiles, the librarian's
endpoints for both settings, and a restricted key's refusal surviving a replay of the state file."""

from __future__ import annotations

import json

from alma_requests import KEY, po_line

from simulator.api import codec
from simulator.api.service import AlmaService
from simulator.backends import make_backend
from simulator.errors import IllegalValue

GOBI_KEY = "l8xx-hvu-0000-gobi"
JSON = {"accept": "application/json"}
POL = "/almaws/v1/acq/po-lines"
LIBRARIAN = "/almasim/v1/librarian"
BALANCES = {"allocated_balance", "encumbered_balance", "expended_balance", "cash_balance", "available_balance"}


def oasis_order() -> dict:
    return po_line(vendor={"value": "OASIS"}, vendor_account="OASIS-HVU")


def test_the_restricted_key_creates_its_vendors_lines(wire):
    answer = wire("POST", POL, key=GOBI_KEY, json_body=po_line(), headers=JSON)
    assert answer.status == 200
    assert json.loads(answer.body)["vendor"]["value"] == "GOBI"


def test_another_vendor_with_the_restricted_key_gets_401872_in_json_and_xml(wire, service):
    lines = len(service.world.institution("01TRLC_HVU").po_lines)
    as_json = wire("POST", POL, key=GOBI_KEY, json_body=oasis_order(), headers=JSON)
    assert as_json.status == 400
    error = json.loads(as_json.body)["errorList"]["error"][0]
    assert error["errorCode"] == "401872" and "only for vendor GOBI" in error["errorMessage"]
    as_xml = wire("POST", POL, key=GOBI_KEY, json_body=po_line(vendor={"value": ""}, vendor_account=""))
    assert as_xml.status == 400 and as_xml.header("content-type") == "application/xml;charset=UTF-8"
    [(code, message)] = codec.parse_error_body(as_xml.body)
    assert code == "401872" and "the PO line has no vendor" in message
    assert len(service.world.institution("01TRLC_HVU").po_lines) == lines
    assert wire("POST", POL, json_body=oasis_order(), headers=JSON).status == 200  # the librarian's key: any vendor


def test_an_update_with_the_restricted_key_keeps_the_vendor(wire):
    number = json.loads(wire("POST", POL, json_body=po_line(), headers=JSON).body)["number"]
    moved = wire("PUT", f"{POL}/{number}", key=GOBI_KEY, json_body=oasis_order(), headers=JSON)
    assert moved.status == 400 and json.loads(moved.body)["errorList"]["error"][0]["errorCode"] == "401872"
    kept = wire("PUT", f"{POL}/{number}", key=GOBI_KEY, json_body=po_line(vendor_reference_number="GOBI-0002"),
                headers=JSON)
    assert kept.status == 200 and json.loads(kept.body)["vendor_reference_number"] == "GOBI-0002"
    other = json.loads(wire("POST", POL, json_body=oasis_order(), headers=JSON).body)["number"]
    refused = wire("PUT", f"{POL}/{other}", key=GOBI_KEY, json_body=po_line(), headers=JSON)
    assert refused.status == 400 and "ordered from OASIS" in refused.body.decode()


def test_the_limited_fund_view_answers_funds_without_balances_in_json_and_xml(wire):
    for path in ("/almaws/v1/acq/funds?mode=ALL&limit=100", "/almaws/v1/acq/funds?library=MAIN"):
        funds = json.loads(wire("GET", path, key=GOBI_KEY, headers=JSON).body)["fund"]
        assert funds and all(not BALANCES & set(f) and f["code"] for f in funds)
        full = json.loads(wire("GET", path, headers=JSON).body)["fund"]
        assert all(BALANCES <= set(f) for f in full)
    one = json.loads(wire("GET", "/almaws/v1/acq/funds/HIST-MONO", key=GOBI_KEY, headers=JSON).body)
    assert one["code"] == "HIST-MONO" and not BALANCES & set(one)
    as_xml = wire("GET", "/almaws/v1/acq/funds/HIST-MONO", key=GOBI_KEY)
    assert as_xml.status == 200 and b"<code>HIST-MONO</code>" in as_xml.body and b"available_balance" not in as_xml.body
    assert b"available_balance" in wire("GET", "/almaws/v1/acq/funds/HIST-MONO").body


def test_the_full_fund_view_shows_the_balances(wire):
    answer = wire("PUT", f"{LIBRARIAN}/api-restrictions/GOBI_KEY", json_body={"vendor": "GOBI", "fund_view": "FULL"},
                  headers=JSON)
    assert answer.status == 200 and json.loads(answer.body)["fund_view"]["value"] == "FULL"
    one = json.loads(wire("GET", "/almaws/v1/acq/funds/HIST-MONO", key=GOBI_KEY, headers=JSON).body)
    assert one["available_balance"] == 5000.0


def test_the_api_restrictions_profile_is_an_integration_profile(wire):
    every = json.loads(wire("GET", "/almaws/v1/conf/integration-profiles", headers=JSON).body)["integration_profile"]
    assert {p["type"]["value"] for p in every} == {"NEW_ORDER_API", "API_RESTRICTIONS"}
    only = json.loads(wire("GET", "/almaws/v1/conf/integration-profiles?type=API_RESTRICTIONS", headers=JSON).body)
    assert [p["code"] for p in only["integration_profile"]] == ["GOBI_KEY"] and only["total_record_count"] == 1
    new_order = json.loads(wire("GET", "/almaws/v1/conf/integration-profiles?type=NEW_ORDER_API", headers=JSON).body)
    assert "GOBI_KEY" not in {p["code"] for p in new_order["integration_profile"]}
    root, profile = codec.from_xml(wire("GET", "/almaws/v1/conf/integration-profiles/GOBI_KEY").body)
    assert root == "integration_profile" and profile["vendor"]["value"] == "GOBI"
    assert profile["fund_view"]["value"] == "LIMITED" and profile["type"]["value"] == "API_RESTRICTIONS"


def test_a_wrong_restrictions_profile_is_refused_with_alma_s_envelope(wire):
    answer = wire("PUT", f"{LIBRARIAN}/api-restrictions/X", json_body={"vendor": "NOBODY"}, headers=JSON)
    assert answer.status == 400 and json.loads(answer.body)["errorList"]["error"][0]["errorCode"] == "401872"


def test_review_rules_set_by_the_librarian_hold_api_lines_in_review(wire):
    table = {"default": False, "price_limit": "100.00",
             "rules": [{"name": "GOBI print", "vendors": ["GOBI"], "po_line_types": ["PRINTED_BOOK_OT"]}]}
    answer = wire("PUT", f"{LIBRARIAN}/purchasing-review-rules", json_body=table, headers=JSON)
    assert answer.status == 200
    assert json.loads(answer.body)["rules"][0]["name"] == "GOBI print"
    line = json.loads(wire("POST", POL, json_body=po_line(), headers=JSON).body)
    assert line["status"]["value"] == "INREVIEW" and [a["value"] for a in line["alert"]] == ["REVIEW_RULE"]
    dear = po_line(vendor={"value": "OASIS"}, vendor_account="OASIS-HVU", price={"sum": "150.00",
                                                                               "currency": {"value": "USD"}},
                   fund_distribution=[{"fund_code": {"value": "HIST-MONO"},
                                       "amount": {"sum": "150.00", "currency": {"value": "USD"}}}])
    line = json.loads(wire("POST", POL, json_body=dear, headers=JSON).body)
    assert [a["value"] for a in line["alert"]] == ["PRICE_LIMIT_REACHED"]
    bad = wire("PUT", f"{LIBRARIAN}/purchasing-review-rules", json_body={"price_limit": "lots"})
    assert bad.status == 400 and codec.parse_error_body(bad.body)[0][0] == "401872"


def test_the_restricted_key_cannot_lift_its_restriction_or_reach_electronic_resources(wire):
    lifted = wire("PUT", f"{LIBRARIAN}/api-restrictions/GOBI_KEY", key=GOBI_KEY, json_body={"vendor": ""})
    assert lifted.status == 401
    assert wire("PUT", f"{LIBRARIAN}/purchasing-review-rules", key=GOBI_KEY, json_body={}).status == 401
    assert wire("GET", "/almaws/v1/electronic/e-collections", key=GOBI_KEY).status == 401
    assert wire("POST", POL, key=GOBI_KEY, json_body=oasis_order()).status == 400  # still restricted


def test_the_client_reaches_the_same_alma_with_the_vendors_key():
    alma = make_backend("inprocess")
    keys = alma.restricted_api_keys()
    assert keys == {"GOBI_KEY": GOBI_KEY}
    gobi = alma.with_api_key(keys["GOBI_KEY"])
    try:
        gobi.create_po_line(oasis_order())
    except IllegalValue as refused:
        assert refused.code == "401872"
    else:
        raise AssertionError("the restricted key created a line for another vendor")
    assert "available_balance" not in gobi.fund("HIST-MONO") and "available_balance" in alma.fund("HIST-MONO")


def test_a_tenant_gets_its_own_restricted_key(service):
    tenant = service.tenant_json("01TRLC_HVU")
    restricted = [k for k in tenant["api_keys"] if k.get("restriction_profile")]
    assert [k["restriction_profile"] for k in restricted] == ["GOBI_KEY"]
    assert restricted[0]["key"] != GOBI_KEY and service.world.api_keys[GOBI_KEY].institution == "01TRLC_HVU"
    assert service.world.api_keys[restricted[0]["key"]].institution == tenant["code"]
    assert tenant["api_key"] == f"l8xx-{tenant['code'].lower().replace('_', '-')}-read-write"


def test_a_restricted_keys_refusal_stays_refused_when_the_state_file_is_replayed(tmp_path):
    from alma_requests import Wire

    state = tmp_path / "state.db"
    first = AlmaService()
    first.open_store(state)
    wire = Wire(first)
    assert wire("POST", POL, key=GOBI_KEY, json_body=oasis_order(), headers=JSON).status == 400
    assert wire("POST", POL, key=KEY, json_body=po_line(), headers=JSON).status == 200
    count = len(first.world.institution("01TRLC_HVU").po_lines)
    second = AlmaService()
    second.open_store(state)
    assert len(second.world.institution("01TRLC_HVU").po_lines) == count


def test_a_restricted_key_posts_no_fund_transactions_and_with_the_limited_view_reads_none(wire, service):
    """[decision] a vendor's key keeps out of the library's bookkeeping: no allocation or transfer through it, and
    with the Limited fund view no transactions to read (their amounts would show the hidden balances)."""
    fund = service.world.institution("01TRLC_HVU").funds
    transactions = {code: len(f.transactions) for code, f in fund.items()}
    path = "/almaws/v1/acq/funds/HIST-MONO/transactions"
    allocation = {"type": {"value": "ALLOCATION"}, "amount": {"sum": "100.00"}}
    posted = wire("POST", path, key=GOBI_KEY, json_body=allocation, headers=JSON)
    assert posted.status == 401
    error = json.loads(posted.body)["errorList"]["error"][0]
    assert error["errorCode"] == "UNAUTHORIZED" and "may not post fund transactions" in error["errorMessage"]
    assert {code: len(f.transactions) for code, f in fund.items()} == transactions  # nothing was posted
    read = wire("GET", path, key=GOBI_KEY, headers=JSON)
    assert read.status == 401 and "Limited fund view" in read.body.decode()
    assert wire("GET", path, headers=JSON).status == 200  # the library's own key reads them
    wire("PUT", f"{LIBRARIAN}/api-restrictions/GOBI_KEY", json_body={"vendor": "GOBI", "fund_view": "FULL"},
         headers=JSON)
    assert wire("GET", path, key=GOBI_KEY, headers=JSON).status == 200  # the Full view reads them
    assert wire("POST", path, key=GOBI_KEY, json_body=allocation, headers=JSON).status == 401  # and still posts none
    assert wire("POST", path, json_body=allocation, headers=JSON).status == 200
