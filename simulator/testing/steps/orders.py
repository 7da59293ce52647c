"""Steps about PO lines: orders already placed (through a real vendor cart), Alma's answer, status, reasons and
refusals."""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from simulator.testing.steps._alma import alert_codes, current_line, snapshot
from simulator.testing.steps._cart import check_out, fill_cart
from simulator.testing.steps._types import EXTRA_TYPES, STATUSES
from simulator.testing.steps.carts import quote_price
from simulator.testing.steps.institution import institution_of


@given(parsers.parse('the librarian has ordered the {line_type:Format} "{title}" through {vendor:Vendor}',
                     extra_types=EXTRA_TYPES), target_fixture="outcome")
def ordered(request, alma, line_type, title, vendor):
    return check_out(alma, fill_cart(alma, vendor, institution_of(request), line_type, title))


@given(parsers.parse('the librarian has ordered the {line_type:Format} "{title}" through {vendor:Vendor} '
                     'for {price:Money} on "{fund}"', extra_types=EXTRA_TYPES), target_fixture="outcome")
def ordered_on_fund(request, alma, line_type, title, vendor, price, fund):
    cart = fill_cart(alma, vendor, institution_of(request), line_type, title, funds=(fund,))
    quote_price(cart, price)
    return check_out(alma, cart)


@then("Alma answers with a new PO line number")
def answers_with_number(outcome):
    assert outcome.po_line["number"].startswith("POL-"), outcome.po_line["number"]




@then(parsers.parse("the PO line is {status:Status}", extra_types=EXTRA_TYPES))
def po_line_status(alma, outcome, status):
    line = current_line(alma, outcome)
    label = {v: k for k, v in STATUSES.items()}[status]
    assert line["status"]["value"] == status, \
        f"{line['number']} is {line['status']['desc']}, not {label}; alerts: {line.get('alert')}"


@then(parsers.parse("the PO line is In Review because {reason:ReviewReason}", extra_types=EXTRA_TYPES))
def in_review_because(alma, outcome, reason):
    line = current_line(alma, outcome)
    assert line["status"]["value"] == "INREVIEW", f"{line['number']} is {line['status']['desc']}"
    assert reason in alert_codes(line), f"{line['number']} alerts: {line.get('alert')}"


@then(parsers.parse("the PO line is In Review because the fund code is invalid: {why:InvalidFund}",
                    extra_types=EXTRA_TYPES))
def in_review_invalid_fund(alma, outcome, why):
    line = current_line(alma, outcome)
    assert line["status"]["value"] == "INREVIEW", f"{line['number']} is {line['status']['desc']}"
    said = [a["desc"] for a in line.get("alert", []) if a["value"] == "FUND_CODE_INVALID"]
    assert said and why in said[0], f"{line['number']} alerts: {line.get('alert')}"


@then(parsers.parse("the order is refused because the fund code is invalid: {why:InvalidFund}",
                    extra_types=EXTRA_TYPES))
def refused_invalid_fund(outcome, why):
    assert outcome.error is not None, f"Alma accepted it: {outcome.value and outcome.value.get('number')}"
    assert outcome.error.code == "401872" and "invalid fund code" in outcome.error.message.lower(), str(outcome.error)
    assert why in outcome.error.message, f"refused with {outcome.error}"


@then(parsers.parse("Alma notes that {note:Note}", extra_types=EXTRA_TYPES))
def alma_notes(alma, outcome, note):
    line = current_line(alma, outcome)
    assert note in alert_codes(line), f"{line['number']} alerts: {line.get('alert')}"


@then("the PO line carries no alert")
def no_alert(alma, outcome):
    line = current_line(alma, outcome)
    assert line["alert"] == [], line["alert"]


@then(parsers.parse("the order is refused because {reason:Refusal}", extra_types=EXTRA_TYPES))
@then(parsers.parse("Alma refuses because {reason:Refusal}", extra_types=EXTRA_TYPES))
def refused_because(outcome, reason):
    assert outcome.error is not None, f"Alma accepted it: {outcome.value and outcome.value.get('number')}"
    assert outcome.error.code in reason.codes, f"refused with {outcome.error}"
    assert reason.says.lower() in outcome.error.message.lower(), f"refused with {outcome.error}"


@then("nothing changes in Alma")
def nothing_changes(alma, outcome):
    """The institution's whole state is as it was before the action (see `Snapshot`)."""
    changes = snapshot(alma).changes_since(outcome.before)
    assert not changes, "Alma changed:\n  " + "\n  ".join(changes[:20])


@then(parsers.parse('the PO line keeps the vendor reference number "{number}"'))
def keeps_vendor_reference(alma, outcome, number):
    assert current_line(alma, outcome)["vendor_reference_number"] == number


@given(parsers.parse('the librarian has ordered the {line_type:Format} "{title}" through {vendor:Vendor}, '
                     'asking for manual review', extra_types=EXTRA_TYPES), target_fixture="outcome")
def ordered_for_review(request, alma, line_type, title, vendor):
    cart = fill_cart(alma, vendor, institution_of(request), line_type, title, manual_review=True)
    return check_out(alma, cart)


@given(parsers.parse('the librarian has ordered the {line_type:Format} "{title}" through {vendor:Vendor} '
                     'without a price', extra_types=EXTRA_TYPES), target_fixture="outcome")
def ordered_without_price(request, alma, line_type, title, vendor):
    cart = fill_cart(alma, vendor, institution_of(request), line_type, title)
    cart.change_title(print_price=None, ebook_prices={})  # the vendor quotes the price "on application"
    return check_out(alma, cart)
