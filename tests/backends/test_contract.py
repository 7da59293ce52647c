"""The same story on every backend: the same answers and the same refusals, class and code alike."""

from __future__ import annotations

import re
from itertools import count

import pytest
from alma_backends import KINDS, backend

from simulator.api.schemas import ALMA_BASE
from simulator.errors import (
    AlmaError, HarnessError, MandatoryFieldMissing, POLineAlreadyCancelled, POLineNotFound, UpdateFailed,
)
from simulator.identifiers import isbn13_check_digit

_isbns = count(1)


def isbn() -> str:
    body = f"9792{next(_isbns):08d}"
    return body + isbn13_check_digit(body)


def order(**changes) -> dict:
    body = {"owner": {"value": "MAIN"}, "type": {"value": "PRINTED_BOOK_OT"}, "vendor": {"value": "GOBI"},
            "vendor_account": "GOBI-HVU", "acquisition_method": {"value": "VENDOR_SYSTEM"},
            "price": {"sum": "40.00", "currency": {"value": "USD"}}, "vendor_reference_number": "G-1",
            "resource_metadata": {"title": "Contract Monograph", "isbn": "9781861895554"},
            "fund_distribution": [{"fund_code": {"value": "HIST-MONO"},
                                   "amount": {"sum": "40.00", "currency": {"value": "USD"}}}],
            "location": [{"quantity": 1, "library": {"value": "MAIN"}, "shelving_location": "STACKS"}]}
    body.update(changes)
    return body


def refusal(action) -> tuple[type, str]:
    with pytest.raises(AlmaError) as caught:
        action()
    return type(caught.value), caught.value.code


def story(alma) -> list:
    """Everything a vendor and a librarian do in one pass, as comparable values."""
    seen = []
    line = alma.create_po_line(order())
    number = line["number"]
    seen.append(line)
    seen.append(alma.get_po_line(number))
    seen.append(alma.list_po_lines(status="ACTIVE", order_by="number", limit=5))
    changed = dict(line, vendor_note="Please rush")
    seen.append(alma.update_po_line(number, changed))
    seen.append(alma.receive_item(number))
    seen.append(alma.funds(mode="POL", library="MAIN"))
    seen.append(refusal(lambda: alma.cancel_po_line(number, "ORDERED_IN_ERROR")))  # an item was received
    seen.append(alma.cancel_po_line(number, "ORDERED_IN_ERROR", override=True, inform_vendor=True))
    seen.append(refusal(lambda: alma.cancel_po_line(number, "ORDERED_IN_ERROR")))
    review = alma.create_po_line(order(price={"sum": "", "currency": {"value": "USD"}}, fund_distribution=[]))
    seen.append(review)
    seen.append(refusal(lambda: alma.approve_po_line(review["number"])))
    complete = dict(review, price={"sum": "10.00", "currency": {"value": "USD"}},
                    fund_distribution=[{"fund_code": {"value": "HIST-MONO"},
                                        "amount": {"sum": "10.00", "currency": {"value": "USD"}}}])
    seen.append(alma.update_po_line(review["number"], complete))
    seen.append(alma.approve_po_line(review["number"]))
    seen.append(refusal(lambda: alma.create_po_line({"type": {"value": "PRINTED_BOOK_OT"}, "resource_metadata": {"title": "x"}})))
    seen.append(refusal(lambda: alma.get_po_line("POL-0")))
    seen.append(alma.test())
    seen.append(alma.code_table("PurchaseType"))
    return seen


def _same_base(value, base: str):
    """Links name the host that was called; compare them as if it were Alma's."""
    if isinstance(value, dict):
        return {k: _same_base(v, base) for k, v in value.items()}
    if isinstance(value, list):
        return [_same_base(v, base) for v in value]
    if isinstance(value, str) and base:
        return value.replace(base, ALMA_BASE)
    return value


def test_the_same_story_gives_the_same_answers_on_every_backend(server):
    results = {}
    for kind in KINDS:
        alma = backend(kind, server)
        try:
            results[kind] = _same_base(story(alma), server.base_url if kind == "http" else "")
        finally:
            getattr(alma.backend, "close", lambda: None)()
    assert results["mocked"] == results["inprocess"]
    assert results["http"] == results["inprocess"]


def test_create_get_and_list(alma):
    line = alma.create_po_line(order(resource_metadata={"title": "Listed", "isbn": isbn()}))
    assert re.fullmatch(r"POL-\d+", line["number"])
    assert line["status"]["value"] == "SENT"
    assert alma.get_po_line(line["number"])["number"] == line["number"]
    listed = alma.list_po_lines(q=f"number~{line['number']}")
    assert [p["number"] for p in listed["po_line"]] == [line["number"]]


def test_cancelling_twice_is_401884(alma):
    number = alma.create_po_line(order())["number"]
    assert alma.cancel_po_line(number, "ORDERED_IN_ERROR") is None
    assert refusal(lambda: alma.cancel_po_line(number, "ORDERED_IN_ERROR")) == (POLineAlreadyCancelled, "401884")


def test_receive_and_funds_for_po_lines(alma):
    number = alma.create_po_line(order())["number"]
    item = alma.receive_item(number)
    assert item["item_data"]["pid"] and item["item_data"]["po_line"] == number and item["item_data"]["arrival_date"]
    funds = alma.funds(mode="POL", library="MAIN")
    assert "HIST-MONO" in {f["code"] for f in funds["fund"]}
    assert funds["total_record_count"] == len(funds["fund"])


def test_refusals_are_the_same_classes_and_codes(alma):
    missing = order()
    del missing["owner"]
    with pytest.raises(MandatoryFieldMissing) as caught:
        alma.create_po_line(missing)
    assert (caught.value.code, caught.value.field, caught.value.status) == ("401664", "owner", 400)
    assert refusal(lambda: alma.get_po_line("POL-404")) == (POLineNotFound, "401871")


def test_the_librarian_approves_from_in_review(alma):
    line = alma.create_po_line(order(vendor_account=""))
    assert line["status"]["value"] == "INREVIEW"
    assert refusal(lambda: alma.approve_po_line(line["number"])) == (UpdateFailed, "401876")
    alma.update_po_line(line["number"], dict(line, vendor_account="GOBI-HVU"))
    assert alma.approve_po_line(line["number"])["status"]["value"] != "INREVIEW"


def test_the_http_backend_refuses_librarian_calls_against_a_real_alma():
    from simulator.backends import make_backend
    alma = make_backend("http", base_url="https://api-na.hosted.exlibrisgroup.com/almaws/v1", api_key="k")
    try:
        with pytest.raises(HarnessError, match="SIMULATOR: .*no REST endpoint"):
            alma.approve_po_line("POL-1")
    finally:
        alma.backend.close()


def test_make_backend_names_the_choices():
    from simulator.backends import make_backend
    with pytest.raises(HarnessError, match="inprocess, mocked"):
        make_backend("carrier-pigeon")


def test_the_client_and_the_route_table_agree_on_the_prefixes():
    """backends.base repeats the two prefixes so vendors never import the simulated Alma; they must not drift."""
    from simulator.api import handlers
    from simulator.backends import base

    assert (base.ALMA, base.LIBRARIAN) == (handlers.ALMA, handlers.LIBRARIAN)
    assert {r.template.split("/{")[0].rsplit("/", 1)[0] for r in handlers.ROUTES} >= {base.ALMA + "/acq"}


def test_a_librarian_makes_an_activated_portfolio_available_through_almas_own_api(alma):
    """PUT /bibs/{mms_id}/portfolios/{id} with availability 11, the same on every backend."""
    from simulator.errors import AlmaError

    line = alma.create_po_line({
        "owner": {"value": "MAIN"}, "type": {"value": "E_BOOK_OT"}, "vendor": {"value": "GOBI"},
        "vendor_account": "GOBI-HVU", "acquisition_method": {"value": "VENDOR_SYSTEM"},
        "price": {"sum": "95.00", "currency": {"value": "USD"}},
        "resource_metadata": {"title": "Coastal Resilience and the Politics of Adaptation", "isbn": "9780300120004"},
        "fund_distribution": [{"fund_code": {"value": "EBOOKS-GEN"}}]})
    mms_id = line["resource_metadata"]["mms_id"]["value"]
    portfolio = alma.bib_portfolios(mms_id)["portfolio"][0]
    assert portfolio["availability"]["value"] == "10"  # activated from the Community Zone: not yet available
    changed = alma.update_portfolio(mms_id, portfolio["id"], {"availability": {"value": "11"}})
    assert changed["availability"] == {"value": "11", "desc": "Available"}
    assert alma.get_po_line(line["number"])["status"]["value"] == "WAITING_FOR_INVOICE"
    for body, code in (({"availability": {"value": "99"}}, "60161"), ({"po_line": "POL-0"}, "60172")):
        with pytest.raises(AlmaError) as refused:
            alma.update_portfolio(mms_id, portfolio["id"], body)
        assert refused.value.code == code


@pytest.mark.parametrize("bad, where", [
    ("\ud800", "resource_metadata.title"),  # a lone surrogate
    ("\x00", "note[0].content"),  # NUL, a control character XML forbids
    ("\ufffe", "vendor_reference_number"),  # a non-character
], ids=["lone surrogate", "NUL", "non-character"])
def test_text_alma_cannot_store_is_refused_alike_and_nothing_is_created(alma, bad, where):
    """In-process bodies skip the bytes, not the edge's check: the same 402119 naming the field, nothing made."""
    changes: dict = {"note": [{"content": "fine"}]}
    if where == "resource_metadata.title":
        changes["resource_metadata"] = {"title": f"Bad{bad}Title", "isbn": isbn()}
    elif where == "note[0].content":
        changes["note"] = [{"content": f"a{bad}b"}]
    else:
        changes["vendor_reference_number"] = f"G-{bad}"
    before = alma.institution_state()
    with pytest.raises(AlmaError) as caught:
        alma.create_po_line(order(**changes))
    assert (caught.value.code, caught.value.status) == ("402119", 400)
    assert f"The field {where} holds a character Alma cannot store" in caught.value.message
    assert alma.institution_state() == before  # no bib, no PO line, no number used
    made = alma.create_po_line(order(resource_metadata={"title": "Stored after the refusal", "isbn": isbn()}))
    assert made["resource_metadata"]["title"] == "Stored after the refusal"
