"""Steps about checking out while Alma is busy, failing, slow or out of calls for the day.

The trouble is the simulator's own fault injection, set through the scenario's client (simulator.testing.steps._trouble),
so it works on every backend; the cart is the real vendor cart with its real retry policy, and records its waits
instead of sleeping. What the cart sent is read from the simulator's request journal. The Then steps read Alma
through the client: the PO lines carrying the order's vendor reference number (found by the title's ISBN, as the
cart itself finds them: Alma's search has no vendor reference field).
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from simulator.testing.steps._trouble import DAILY_LIMIT, FAILING, described, orders, orders_and_searches, trouble
from simulator.testing.steps._types import EXTRA_TYPES


@given(parsers.parse("Alma {kind:Trouble} for the next {count:Orders}", extra_types=EXTRA_TYPES))
def alma_troubled(alma, kind, count):
    trouble(alma, kind, count)


@given("Alma keeps failing")
def alma_keeps_failing(alma):
    trouble(alma, FAILING)


@given("Alma has reached its daily limit")
def alma_daily_limit(alma):
    trouble(alma, DAILY_LIMIT)


def lines_with_reference(alma, cart, number: str) -> list[dict]:
    isbn = cart.order.lines[-1].cart_line.title.isbn
    found = alma.list_po_lines(q=f"issn_isbn~{isbn}", status="ALL_WITH_CLOSED", limit=100).get("po_line") or []
    return [line for line in found if line.get("vendor_reference_number") == number]


@then(parsers.parse('Alma has exactly one PO line with the vendor reference number "{number}"'))
def exactly_one_line(alma, cart, number):
    lines = lines_with_reference(alma, cart, number)
    assert len(lines) == 1, f"PO lines with {number}: {[line['number'] for line in lines]}"


@then(parsers.parse('Alma has no PO line with the vendor reference number "{number}"'))
def no_line(alma, cart, number):
    assert lines_with_reference(alma, cart, number) == []


@then(parsers.parse("the cart waited and tried again {times:Times}", extra_types=EXTRA_TYPES))
def waited_and_tried_again(cart, outcome, times):
    assert len(cart.waits) == times and all(w > 0 for w in cart.waits), f"waits: {cart.waits}"
    assert outcome.checkout.attempts == times + 1, f"checkout: {outcome.checkout}"


@then("the cart waited longer each time")
def waited_longer(cart):
    assert cart.waits == sorted(set(cart.waits)), f"waits: {cart.waits}"


@then("the cart looked in Alma for its vendor reference number before sending the order again")
def looked_before_resending(alma):
    seen = orders_and_searches(alma)
    unknown, searched = False, 0  # unknown: the last order failed on Alma's side, so Alma may have created it
    for entry in seen:
        if entry["method"] == "GET":
            unknown, searched = False, searched + 1
        else:
            assert not unknown, f"the order was sent again without looking first: {described(seen)}"
            unknown = entry["status"] >= 500
    assert searched, f"the cart never looked for its vendor reference number: {described(seen)}"


@then(parsers.parse("the cart gave up after trying {times:Times}", extra_types=EXTRA_TYPES))
def gave_up(alma, outcome, times):
    sent = orders(alma)
    assert outcome.checkout.attempts == times and len(sent) == times, f"{outcome.checkout}; {described(sent)}"


@then("the cart did not try again")
def did_not_try_again(alma, cart):
    sent = orders(alma)
    assert cart.waits == [] and len(sent) == 1, f"waits {cart.waits}; {described(sent)}"


@then("the cart did not send the order a second time")
def not_sent_twice(alma):
    sent = orders(alma)
    assert len(sent) == 1, described(sent)


@then(parsers.parse("the cart reports the order as not placed because {why:NotPlaced}", extra_types=EXTRA_TYPES))
def not_placed(outcome, why):
    result = outcome.checkout
    assert result.outcome == "failed" and result.code == why and not result.po_line_number, f"checkout: {result}"


@then(parsers.parse('the cart reports a possible duplicate of the PO line with the vendor reference number '
                    '"{number}"'))
def possible_duplicate(alma, cart, outcome, number):
    result = outcome.checkout
    assert result.outcome == "possible_duplicate", f"checkout: {result}"
    assert [line["number"] for line in lines_with_reference(alma, cart, number)] == [result.po_line_number]
    assert cart.order.lines[-1].po_line_number == result.po_line_number  # the vendor keeps Alma's number
