"""Steps about what happens to a PO line after it is sent: cancellation, receiving, activation."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from simulator.api.routes import endpoint
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
    item = alma.po_line_items(number)["item"][0]
    return attempt(alma, lambda: alma.receive_item(number, item["pid"]), number=number)


@then("the item is received")
def item_received(alma, outcome):
    items = alma.po_line_items(outcome.number)["item"]
    assert items and all(i["receive_date"] for i in items), items


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
    # AlmaClient (simulator/backends) has no method for this librarian route yet: sent through its backend as
    # AlmaClient._call sends every other call.
    spec = endpoint("activate_collection")
    return attempt(alma, lambda: alma.backend.send(spec.method, spec.path(collection_id=collection_id), {}, {}),
                   number=number)
