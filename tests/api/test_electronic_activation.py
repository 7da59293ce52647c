"""Electronic lines for what the institution already has active, on the HTTP face: an ebook whose portfolio the
order found in the institution is activated by the librarian's activate on that (already available) portfolio,
and an electronic collection by the librarian's activate on the collection; either way the line settles and
its interested user gets one Interested In Letter (ORDERING-RULES §3, §7; after-ordering.md)."""

from __future__ import annotations

import json

from alma_requests import po_line

from simulator.api.routes import ALMA, LIBRARIAN

ADA = {"primary_id": "ada.reyes", "notify_receiving_activation": True}
ATLANTIC_WORLD = "9780312252595"  # the seed's title with an available JSTOR portfolio at Hudson Valley


def _electronic(**changes) -> dict:
    body = po_line(**{"type": {"value": "E_BOOK_OT"}, "access_model": {"value": "1U"},
                      "fund_distribution": [{"fund_code": {"value": "EBOOKS-GEN"},
                                             "amount": {"sum": "25.00", "currency": {"value": "USD"}}}],
                      "interested_user": [ADA]})
    del body["location"]
    body.update(changes)
    return body


def _create(wire, body: dict) -> dict:
    answer = wire("POST", f"{ALMA}/acq/po-lines?format=json", json_body=body)
    assert answer.status == 200, answer.body
    return json.loads(answer.body)


def _line(wire, number: str) -> dict:
    return json.loads(wire("GET", f"{ALMA}/acq/po-lines/{number}?format=json").body)


def _letters(wire, number: str) -> list[tuple[str, str]]:
    found = json.loads(wire("GET", f"{LIBRARIAN}/letters?po_line={number}&format=json").body).get("letter", [])
    return [(letter["user_primary_id"], letter["letter_type"]["desc"]) for letter in found]


def test_an_ebook_found_in_the_institution_is_activated_by_activating_its_portfolio(wire):
    resource = {"title": "The Atlantic World", "isbn": ATLANTIC_WORLD}
    created = _create(wire, _electronic(resource_metadata=resource, access_provider="JSTOR"))
    (portfolio,) = created["portfolios"]["portfolio"]
    before = json.loads(wire("GET", f"{LIBRARIAN}/portfolios/{portfolio['id']}?format=json").body)
    assert before["po_line"] == created["number"] and before["availability"]["value"] == "11"  # already available
    assert created["status"]["value"] == "SENT" and _letters(wire, created["number"]) == []
    for _ in range(2):  # the second activation changes nothing
        answer = wire("POST", f"{LIBRARIAN}/portfolios/{portfolio['id']}/activate?format=json")
        assert answer.status == 200, answer.body
    assert _line(wire, created["number"])["status"]["value"] == "WAITING_FOR_INVOICE"
    assert _letters(wire, created["number"]) == [("ada.reyes", "Interested In Letter")]


def test_an_electronic_collection_is_activated_by_the_librarian_and_the_line_settles(wire):
    created = _create(wire, _electronic(type={"value": "ELECTRONIC_COLLECTION_OT"}, access_model={"value": ""},
                                        resource_metadata={"title": "EBSCOhost Ebooks"}))
    collection_id = created["e_collection"]["value"]
    assert created["status"]["value"] == "SENT"
    answer = wire("POST", f"{LIBRARIAN}/collections/{collection_id}/activate?format=json")
    assert answer.status == 200, answer.body
    assert json.loads(answer.body)["id"] == collection_id
    wire("POST", f"{LIBRARIAN}/collections/{collection_id}/activate?format=json")
    assert _line(wire, created["number"])["status"]["value"] == "WAITING_FOR_INVOICE"
    assert _letters(wire, created["number"]) == [("ada.reyes", "Interested In Letter")]
    unknown = wire("POST", f"{LIBRARIAN}/collections/61000NOPE/activate?format=json")
    assert unknown.status == 400 and b"60121" in unknown.body
