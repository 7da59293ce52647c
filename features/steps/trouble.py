"""Steps about checking out while Alma is busy, failing, slow or out of calls for the day.

The trouble is made step-side by a real fake backend around the scenario's Alma (features.steps._trouble), so it
works on every backend; the cart is the real vendor cart with its real retry policy, and records its waits instead
of sleeping. The Then steps read Alma through the client: the PO lines carrying the order's vendor reference
number (found by the title's ISBN, as the cart itself finds them: Alma's search has no vendor reference field).
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from features.steps._trouble import DAILY_LIMIT, EVERY, FAILING, trouble, troubled
from features.steps._types import EXTRA_TYPES


@given(parsers.parse("Alma {kind:Trouble} for the next {count:Orders}", extra_types=EXTRA_TYPES))
def alma_troubled(alma, kind, count):
    trouble(alma, kind, count)


@given("Alma keeps failing")
def alma_keeps_failing(alma):
    trouble(alma, FAILING, EVERY)


@given("Alma has reached its daily limit")
def alma_daily_limit(alma):
    trouble(alma, DAILY_LIMIT, EVERY)


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
    unknown, searched = False, 0  # unknown: the last order sent failed, so Alma may have created it
    for call in troubled(alma).calls:
        if call.searches:
            unknown, searched = False, searched + 1
        elif call.creates:
            assert not unknown, f"the order was sent again without looking first: {orders_and_searches(alma)}"
            unknown = bool(call.troubled)
    assert searched, "the cart never looked for its vendor reference number"


def orders_and_searches(alma) -> list[str]:
    return [("order " + (call.troubled or "created")) if call.creates else "search"
            for call in troubled(alma).calls if call.creates or call.searches]


@then(parsers.parse("the cart gave up after trying {times:Times}", extra_types=EXTRA_TYPES))
def gave_up(alma, outcome, times):
    assert outcome.checkout.attempts == times and len(troubled(alma).creates) == times, f"{outcome.checkout}"


@then("the cart did not try again")
def did_not_try_again(alma, cart):
    assert cart.waits == [] and len(troubled(alma).creates) == 1, f"waits {cart.waits}"


@then("the cart did not send the order a second time")
def not_sent_twice(alma):
    assert len(troubled(alma).creates) == 1, troubled(alma).creates


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
