"""A refused order leaves no trace over HTTP: the world exported by GET /almasim/v1/admin/state before and after
a batch of refused orders — one of each kind of refusal — is identical (no bib, no portfolio, no holding or
item, no encumbrance, no PO line number used). Only the journal and the throttle counters, which live beside
the world, move; and the next accepted order takes the very next number."""

from __future__ import annotations

import json

from alma_requests import ACQ_ONLY, KEY, READ_ONLY, new_isbn, po_line
from reliability_support import ADMIN, LIBRARIAN, check_answer

from simulator.api import codec

COASTAL = "9780300120004"  # a Community Zone record: an unblocked ebook order would bring it in with a portfolio
RIVERS = "9781503642225"  # an institution record: a print order would add a holding and items to it


def _ebook(**changes) -> dict:
    order = po_line(type={"value": "E_BOOK_OT"}, resource_metadata={"title": "Coastal", "isbn": COASTAL},
                    price={"sum": "900.00", "currency": {"value": "USD"}},
                    fund_distribution=[{"fund_code": {"value": "SCI-EBOOK"},
                                        "amount": {"sum": "900.00", "currency": {"value": "USD"}}}])
    order.pop("location")
    order.update(changes)
    return order


def _over_budget(isbn: str) -> dict:
    return po_line(resource_metadata={"title": "Over budget", "isbn": isbn},
                   price={"sum": "61.30", "currency": {"value": "USD"}},
                   fund_distribution=[{"fund_code": {"value": "ART-MONO"},
                                       "amount": {"sum": "61.30", "currency": {"value": "USD"}}}])


def _refusals(existing_number: str) -> list[tuple[str, dict, bytes, str | None, str]]:
    """(what, query, body, content type, expected code): one of each way Alma refuses an order."""
    def j(order: dict) -> bytes:
        return json.dumps(order).encode()

    no_owner = po_line()
    no_owner.pop("owner")
    return [
        ("mandatory owner missing", {}, j(no_owner), "application/json", "401664"),
        ("mandatory title missing", {}, j(po_line(resource_metadata={"isbn": new_isbn()})), "application/json",
         "401664"),
        ("unknown owner", {}, j(po_line(owner={"value": "NOWHERE"})), "application/json", "401872"),
        ("unknown vendor", {}, j(po_line(vendor={"value": "NOBODY"})), "application/json", "401872"),
        ("unknown vendor account", {}, j(po_line(vendor_account="NOPE")), "application/json", "401872"),
        ("disabled type", {}, j(po_line(type={"value": "NO_SUCH_TYPE"})), "application/json", "401872"),
        ("unknown profile", {"profile_code": "NO_PROFILE"}, j(po_line()), "application/json", "401872"),
        ("negative price", {}, j(po_line(price={"sum": "-1.00", "currency": {"value": "USD"}})),
         "application/json", "401872"),
        ("zero copies", {}, j(po_line(location=[{"quantity": 0, "library": {"value": "MAIN"}}])),
         "application/json", "401872"),
        ("invalid fund code, check ticked", {}, j(po_line(fund_distribution=[
            {"fund_code": {"value": "NO-SUCH-FUND"}, "amount": {"sum": "25.00", "currency": {"value": "USD"}}}])),
         "application/json", "401872"),
        ("balance insufficient, new record", {}, j(_over_budget(new_isbn())), "application/json", "401872"),
        ("balance insufficient, matched record", {}, j(_over_budget(RIVERS)), "application/json", "401872"),
        ("balance insufficient, as XML", {}, codec.to_xml("po_line", _over_budget(new_isbn())), "application/xml",
         "401872"),
        ("ebook beyond the over-encumbrance allowance", {}, j(_ebook()), "application/json", "401872"),
        ("a number already used", {}, j(po_line(number=existing_number)), "application/json", "401870"),
        ("malformed JSON", {}, b'{"owner": ', "application/json", "402119"),
        ("a DTD", {}, b'<!DOCTYPE p [<!ENTITY x "MAIN">]><po_line><owner>&x;</owner></po_line>',
         "application/xml", "402119"),
        ("an empty body", {}, b"", "application/json", "401676"),
        ("read-only key", {"apikey": READ_ONLY}, j(po_line()), "application/json", "UNAUTHORIZED"),
        ("no key", {"apikey": ""}, j(po_line()), "application/json", "UNAUTHORIZED"),
        ("unknown key", {"apikey": "l8xx-nobody"}, j(po_line()), "application/json", "UNAUTHORIZED"),
    ]


def test_refused_orders_of_every_kind_leave_the_world_exactly_as_it_was(server, client):
    admin = f"{server.url}{ADMIN}"
    assert client.post(f"{admin}/reset").status_code == 200
    # Tick every "do not create the order if …" check on the GOBI profile, through the librarian's API.
    profile = client.get(f"{server.base_url}/conf/integration-profiles/GOBI_API", params={"apikey": KEY},
                         headers={"accept": "application/json"}).json()
    ticked = {"name": profile["name"], "system": "GOBI", "normalization": profile["normalization"],
              "block_not_fully_funded": True, "block_invalid_fund_code": True, "block_insufficient_balance": True}
    configured = client.put(f"{server.url}{LIBRARIAN}/integration-profiles/GOBI_API", params={"apikey": KEY},
                            json=ticked, headers={"accept": "application/json"})
    assert configured.status_code == 200, configured.text
    first = client.post(f"{server.base_url}/acq/po-lines", params={"apikey": KEY}, json=po_line(),
                        headers={"accept": "application/json"}).json()["number"]
    client.delete(f"{admin}/journal")

    before = client.get(f"{admin}/state").json()
    refusals = _refusals(first)
    for what, query, body, content_type, code in refusals:
        for fmt in ("json", "xml"):
            params = {"apikey": KEY, "format": fmt, **query}
            response = client.post(f"{server.base_url}/acq/po-lines", params=params, content=body,
                                   headers={"content-type": content_type} if content_type else {})
            codes = check_answer(response.status_code, response.headers, response.content)
            assert codes == [code], (what, response.status_code, response.text[:300])
    # the librarian's order from a record and from the Community Zone refuse the same way
    for path in (f"{LIBRARIAN}/bibs/99999999999/order", f"{LIBRARIAN}/community-zone/portfolios/nope/order"):
        response = client.post(f"{server.url}{path}", params={"apikey": KEY}, json=_over_budget(new_isbn()))
        assert response.status_code == 400 and check_answer(400, response.headers, response.content)
    # a throttled order is refused before anything else happens
    client.put(f"{admin}/settings", json={"per_second_threshold": 1})
    try:
        throttled = [client.post(f"{server.base_url}/acq/po-lines", params={"apikey": ACQ_ONLY},
                                 json=_over_budget(new_isbn())).status_code for _ in range(3)]
    finally:
        client.put(f"{admin}/settings", json={"per_second_threshold": 0})
    assert 429 in throttled and 200 not in throttled

    after = client.get(f"{admin}/state").json()
    assert after == before, _first_difference(before, after)
    journal = client.get(f"{admin}/journal", params={"raw": "false"}).json()
    refused = [line for line in journal["summary"] if line.startswith("PO line refused")]
    assert len(refused) >= 2 * len([r for r in refusals if r[4] != "UNAUTHORIZED"])

    following = client.post(f"{server.base_url}/acq/po-lines", params={"apikey": KEY}, json=po_line(),
                            headers={"accept": "application/json"}).json()["number"]
    assert int(following.removeprefix("POL-")) == int(first.removeprefix("POL-")) + 1


def _first_difference(before, after, path: str = "") -> str:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                return _first_difference(before.get(key), after.get(key), f"{path}/{key}")
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (b, a) in enumerate(zip(before, after)):
            if b != a:
                return _first_difference(b, a, f"{path}/{i}")
    return f"{path}: {str(before)[:200]} -> {str(after)[:200]}"
