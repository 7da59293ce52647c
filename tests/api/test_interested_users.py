"""Interested users on Alma's HTTP face: the PO line's `interested_user` array in JSON and XML (in and out, and
replaced by PUT), the refusal of an unknown user, Retrieve User Requests per Item (shape held to Ex Libris'
OpenAPI file) and the librarian's letters list."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest
from alma_requests import po_line

from simulator.api.codec import ALMA_NAMESPACE
from simulator.api.routes import ALMA, LIBRARIAN

OPENAPI = Path(os.environ.get("ALMASIM_OPENAPI_DIR")
               or Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "openapi")

ADA = {"primary_id": "ada.reyes", "notify_receiving_activation": True, "hold_item": False, "notify_renewal": False,
       "notify_cancel": True}
LENA = {"primary_id": "lena.park", "notify_receiving_activation": "true", "hold_item": "true"}


def _create(wire, **changes) -> dict:
    answer = wire("POST", f"{ALMA}/acq/po-lines?format=json", json_body=po_line(**changes))
    assert answer.status == 200, answer.body
    return json.loads(answer.body)


def test_interested_users_are_kept_and_answered_with_every_flag(wire):
    created = _create(wire, interested_user=[ADA, LENA])
    expected = [ADA, {"primary_id": "lena.park", "notify_receiving_activation": True, "hold_item": True,
                      "notify_renewal": False, "notify_cancel": False}]
    assert created["interested_user"] == expected
    again = json.loads(wire("GET", f"{ALMA}/acq/po-lines/{created['number']}?format=json").body)
    assert again["interested_user"] == expected


def test_interested_users_in_xml_both_ways(wire):
    body = (b'<po_line><owner>MAIN</owner><type>PRINTED_BOOK_OT</type><vendor>GOBI</vendor>'
            b'<vendor_account>GOBI-HVU</vendor_account><acquisition_method>VENDOR_SYSTEM</acquisition_method>'
            b'<price><sum>25.00</sum><currency>USD</currency></price>'
            b'<resource_metadata><title>Rivers in XML</title><isbn>9791000099996</isbn></resource_metadata>'
            b'<fund_distributions><fund_distribution><fund_code>HIST-MONO</fund_code><percent>100</percent>'
            b'</fund_distribution></fund_distributions>'
            b'<locations><location><quantity>1</quantity><library>MAIN</library>'
            b'<shelving_location>STACKS</shelving_location></location></locations>'
            b'<interested_users><interested_user><primary_id>omar.haddad</primary_id>'
            b'<hold_item>true</hold_item></interested_user></interested_users></po_line>')
    answer = wire("POST", f"{ALMA}/acq/po-lines", body=body,
                  headers={"content-type": "application/xml", "accept": "application/xml"})
    assert answer.status == 200, answer.body
    root = ElementTree.fromstring(answer.body)
    ns = "" if root.tag == "po_line" else f"{{{ALMA_NAMESPACE}}}"
    users = root.findall(f"{ns}interested_users/{ns}interested_user")
    assert [(u.findtext(f"{ns}primary_id"), u.findtext(f"{ns}hold_item"), u.findtext(f"{ns}notify_cancel"))
            for u in users] == [("omar.haddad", "true", "false")]


def test_put_replaces_the_interested_users(wire):
    created = _create(wire, interested_user=[ADA])
    number = created["number"]
    changed = {**created, "interested_user": [LENA]}
    answer = wire("PUT", f"{ALMA}/acq/po-lines/{number}?format=json", json_body=changed)
    assert answer.status == 200, answer.body
    assert [u["primary_id"] for u in json.loads(answer.body)["interested_user"]] == ["lena.park"]
    left_out = {k: v for k, v in created.items() if k != "interested_user"}
    answer = wire("PUT", f"{ALMA}/acq/po-lines/{number}?format=json", json_body=left_out)
    assert "interested_user" not in json.loads(answer.body)  # swap-all: none now


def test_an_unknown_user_is_refused_with_401872(wire, service):
    before = len(service.world.institution("01TRLC_HVU").po_lines)
    answer = wire("POST", f"{ALMA}/acq/po-lines?format=json",
                  json_body=po_line(interested_user=[{"primary_id": "nobody.here"}]))
    assert answer.status == 400
    error = json.loads(answer.body)["errorList"]["error"][0]
    assert error["errorCode"] == "401872" and "nobody.here" in error["errorMessage"]
    assert len(service.world.institution("01TRLC_HVU").po_lines) == before


def _received_item(wire, *users) -> dict:
    """Order one copy for these users and receive it; the received item's PO line, pid and requests path."""
    created = _create(wire, interested_user=list(users))
    items = json.loads(wire("GET", f"{ALMA}/acq/po-lines/{created['number']}/items?format=json").body)["item"]
    pid = items[0]["link"].rsplit("/", 1)[1]  # Alma lists a line's items by barcode and link only
    received = wire("POST", f"{ALMA}/acq/po-lines/{created['number']}/items/{pid}?op=receive&format=json",
                    json_body={})
    assert received.status == 200, received.body
    item = json.loads(received.body)
    return {"po_line": created["number"], "pid": item["item_data"]["pid"],
            "requests": item["link"].split("/almaws/v1", 1)[1].join((ALMA, "/requests"))}


def test_hold_item_shows_as_a_request_on_the_received_item(wire):
    item = _received_item(wire, ADA, LENA, {"primary_id": "omar.haddad", "hold_item": True})
    answer = json.loads(wire("GET", item["requests"] + "?format=json").body)
    assert answer["total_record_count"] == 2
    first, second = answer["user_request"]
    assert (first["user_primary_id"], first["place_in_queue"], first["request_type"]) == ("lena.park", 1, "HOLD")
    assert (second["user_primary_id"], second["place_in_queue"]) == ("omar.haddad", 2)
    assert first["item_id"] == item["pid"] and first["request_status"] == "NOT_STARTED"
    history = json.loads(wire("GET", item["requests"] + "?status=history&format=json").body)
    assert history["total_record_count"] == 0
    bad = wire("GET", item["requests"] + "?status=someday&format=json")
    assert bad.status == 400 and json.loads(bad.body)["errorList"]["error"][0]["errorCode"] == "40166410"
    xml = wire("GET", item["requests"], headers={"accept": "application/xml"}).body.decode()
    assert '<user_requests total_record_count="2"' in xml and "<user_primary_id>lena.park</user_primary_id>" in xml


def test_the_letters_list_filters_by_user_and_po_line(wire):
    item = _received_item(wire, ADA, LENA)
    other = _received_item(wire, ADA)
    letters = json.loads(wire("GET", f"{LIBRARIAN}/letters?format=json").body)
    assert letters["total_record_count"] == 3
    mine = json.loads(wire("GET", f"{LIBRARIAN}/letters?user=lena.park&format=json").body)["letter"]
    assert [(l["letter_type"]["desc"], l["po_line"], l["reason"]) for l in mine] == [
        ("Interested In Letter", item["po_line"], "received")]
    about = json.loads(wire("GET", f"{LIBRARIAN}/letters?po_line={other['po_line']}&format=json").body)["letter"]
    assert [l["user_primary_id"] for l in about] == ["ada.reyes"]


@pytest.mark.skipif(not (OPENAPI / "bibs.json").is_file(), reason="Ex Libris' OpenAPI files are not beside")
def test_the_requests_route_is_alma_s_retrieve_user_requests_per_item():
    """The shape Ex Libris' file gives: GET, path parameters mms_id/holding_id/item id, query request_type and
    status with their defaults, a rest_user_requests answer."""
    paths = json.loads((OPENAPI / "bibs.json").read_text("utf-8"))["paths"]
    operation = paths["/almaws/v1/bibs/{mms_id}/holdings/{holding_id}/items/{item_id}/requests"]["get"]
    query = {p["name"]: p["schema"].get("default") for p in operation["parameters"] if p["in"] == "query"}
    assert query == {"request_type": "all_types", "status": "active"}
    assert "rest_user_requests" in json.dumps(operation["responses"]["200"])
    from simulator.api.routes import endpoint
    spec = endpoint("item_requests")
    assert {q.name: q.default for q in spec.query} == query


def test_letters_and_requests_survive_a_restart_on_the_state_file(tmp_path):
    """`almasim serve --state`: the log is replayed on a second service (the first abandoned, as after kill -9),
    and then again from a compacted snapshot; letters and hold requests are there both times."""
    from alma_requests import Wire

    from simulator.api.service import AlmaService

    state = tmp_path / "alma.state"
    first = AlmaService()
    first.open_store(state)
    item = _received_item(Wire(first), ADA, LENA)
    wire_letters = json.loads(Wire(first)("GET", f"{LIBRARIAN}/letters?format=json").body)
    wire_requests = json.loads(Wire(first)("GET", item["requests"] + "?format=json").body)
    assert wire_letters["total_record_count"] == 2 and wire_requests["total_record_count"] == 1
    second = AlmaService()
    second.open_store(state)  # replays the log
    assert json.loads(Wire(second)("GET", f"{LIBRARIAN}/letters?format=json").body) == wire_letters
    assert json.loads(Wire(second)("GET", item["requests"] + "?format=json").body) == wire_requests
    second.close()  # a clean stop compacts: the next start reads the snapshot
    third = AlmaService()
    third.open_store(state)
    assert json.loads(Wire(third)("GET", f"{LIBRARIAN}/letters?format=json").body) == wire_letters
    assert json.loads(Wire(third)("GET", item["requests"] + "?format=json").body) == wire_requests
    first.store.close()  # type: ignore[union-attr]
    third.close()
