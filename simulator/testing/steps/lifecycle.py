"""Steps about what happens to a PO line after it is sent: cancellation, receiving, activation."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from simulator.backends.base import item_link_ids
from simulator.testing.steps._alma import attempt, current_line, portfolios_of


def _reason_code(alma, label: str) -> str:
    rows = alma.code_table("POLineCancellationReasons")["row"]
    found = [r["code"] for r in rows if r["description"] == label]
    assert found, f"{label!r} is not a cancellation reason: {[r['description'] for r in rows]}"
    return found[0]


@given(parsers.parse('the librarian has cancelled the PO line because "{label}"'), target_fixture="outcome")
@when(parsers.parse('the librarian cancels the PO line because "{label}"'), target_fixture="outcome")
@when(parsers.parse('the librarian cancels the PO line again because "{label}"'), target_fixture="outcome")
def cancel(alma, outcome, label):
    number, reason = outcome.number or outcome.po_line["number"], _reason_code(alma, label)
    return attempt(alma, lambda: alma.cancel_po_line(number, reason), number=number)


@when("the librarian cancels the PO line without a reason", target_fixture="outcome")
def cancel_without_reason(alma, outcome):
    number = outcome.po_line["number"]
    return attempt(alma, lambda: alma.cancel_po_line(number, None), number=number)


@when("the librarian receives the PO line's item", target_fixture="outcome")
def receive(alma, outcome):
    number = outcome.po_line["number"]
    pid = alma.po_line_item_pids(number)[0]
    return attempt(alma, lambda: alma.receive_item(number, pid), number=number)


@when(parsers.parse('the librarian receives the PO line\'s item on "{day}"'), target_fixture="outcome")
def receive_on(alma, outcome, day):
    number = outcome.po_line["number"]
    pid = alma.po_line_item_pids(number)[0]
    return attempt(alma, lambda: alma.receive_item(number, pid, receive_date=f"{day}Z"), number=number)


@then(parsers.parse('Alma answers with the item as the catalogue shows it, received on "{day}"'))
def answered_the_item(alma, outcome, day):
    """The receipt's answer is Alma's item object: the very object the catalogue (the bibs API) shows for it."""
    assert outcome.error is None, f"Alma refused: {outcome.error}"
    item = outcome.value or {}
    assert set(item) == {"bib_data", "holding_data", "item_data", "link"}, sorted(item)
    assert item == alma.item(*item_link_ids(item["link"])), "the answer differs from the catalogue's item"
    data = item["item_data"]
    assert data["arrival_date"] == f"{day}Z" and data["process_type"]["value"] != "ACQ", data
    (copy,) = [c for loc in alma.get_po_line(outcome.number)["location"] for c in loc["copy"] if c["pid"] == data["pid"]]
    assert data["barcode"] and data["barcode"] == copy["barcode"], (data["barcode"], copy)


@then("the PO line's items are listed by their barcodes and links only")
def items_listed_briefly(alma, outcome):
    listed = alma.po_line_items(outcome.number)
    assert listed["total_record_count"] == len(listed["item"]) > 0, listed
    for entry in listed["item"]:
        item = alma.item(*item_link_ids(entry["link"]))
        assert entry == {"item_data": {"barcode": item["item_data"]["barcode"]}, "link": item["link"]}, entry


@then("the item is received")
def item_received(alma, outcome):
    copies = [c for loc in alma.get_po_line(outcome.number).get("location") or () for c in loc.get("copy") or ()]
    assert copies and all(c.get("receive_date") for c in copies), copies


@when("the librarian activates the PO line's portfolio", target_fixture="outcome")
def activate(alma, outcome):
    number = outcome.po_line["number"]
    portfolio = portfolios_of(current_line(alma, outcome))[0]
    return attempt(alma, lambda: alma.activate_portfolio(portfolio), number=number)


@when("the librarian activates the PO line's electronic collection", target_fixture="outcome")
def activate_collection(alma, outcome):
    """The librarian finishes the collection's Activation Wizard (POST .../librarian/collections/{id}/activate)."""
    number = outcome.number or outcome.po_line["number"]
    collection_id = current_line(alma, outcome)["e_collection"]["value"]
    return attempt(alma, lambda: alma.activate_collection(collection_id), number=number)
