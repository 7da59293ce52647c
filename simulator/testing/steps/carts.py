"""Steps about a vendor's cart: what the selector puts in it, and the checkout that sends it to Alma.

The cart is a real `simulator.vendors` cart (simulator.testing.steps._cart). Steps marked "step-side" describe an order
no real cart sends; they adjust the body the cart built, and say why.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pytest_bdd import given, parsers, then, when

from simulator.testing.steps._alma import locate_record
from simulator.testing.steps._cart import check_out, fill_cart, open_cart
from simulator.testing.steps._types import EXTRA_TYPES
from simulator.testing.steps.institution import institution_of


@given(parsers.parse('the librarian has the {line_type:Format} "{title}" in the {vendor:Vendor} cart',
                     extra_types=EXTRA_TYPES), target_fixture="cart")
def title_in_cart(request, alma, line_type, title, vendor):
    return fill_cart(alma, vendor, institution_of(request), line_type, title)


@given(parsers.parse('the librarian has the {line_type:Format} "{title}" in the {vendor:Vendor} cart '
                     'for {price:Money} on "{fund}"', extra_types=EXTRA_TYPES), target_fixture="cart")
def priced_title_in_cart(request, alma, line_type, title, vendor, price, fund):
    cart = fill_cart(alma, vendor, institution_of(request), line_type, title, funds=(fund,))
    quote_price(cart, price)
    return cart


def quote_price(cart, price) -> None:
    """The vendor quotes this price for the title (its list price in the format and licence of the line)."""
    line = cart.line
    if line.format == "ebook":
        cart.change_title(ebook_prices={**line.title.ebook_prices, line.access_model: price})
    else:
        cart.change_title(print_price=price)


@given(parsers.parse('the cart line is charged to "{fund}"'))
def charged_to(cart, fund):
    cart.change(funds=(fund,))


@given(parsers.parse('the cart line charges {percent:d}% of its price to "{fund}"'))
def partly_charged_to(cart, percent, fund):
    # Step-side: a real cart always shares the whole price among the line's funds. To show Alma's "not fully
    # funded" check, the line is sent as a cart that charged only part of the price would send it.
    cart.change(funds=(fund,))
    cart.adjust(lambda body: body.update(fund_distribution=[{"fund_code": {"value": fund}, "percent": str(percent)}]))


@given(parsers.parse("the cart line is for the owning library {library}"))
def owning_library(cart, library):
    cart.change(owning_library=library)


@given(parsers.parse("the cart line has no {part}"))
def without_part(cart, part):
    if part == "price":  # the vendor quotes the price "on application": the cart sends no price
        cart.change_title(print_price=None, ebook_prices={})
    elif part == "fund distribution":  # the selector chose no fund: the cart sends no fund distribution
        cart.change(funds=())
    elif part == "owning library":
        # Step-side: every vendor profile checks the owning library before checkout, so no real cart sends a line
        # without one. To show Alma's own validation, the owner is taken out of what the cart sends.
        cart.adjust(lambda body: body.pop("owner"))
    elif part == "vendor account":
        # Step-side: a real cart always names the account of its setup (or the first active one Alma lists). To
        # show Alma holding a line without one In Review, the account is taken out of what the cart sends.
        cart.adjust(lambda body: body.pop("vendor_account"))
    else:
        raise ValueError(f"unknown part of a cart line {part!r}")


@given(parsers.parse('the cart line carries the vendor reference number "{number}"'))
def vendor_reference(cart, number):
    cart.numbers.named.append(number)  # the vendor's order number for this line, in the vendor's own format


@given(parsers.parse('the cart line is for the platform "{platform}"'))
def on_platform(cart, platform):
    cart.change(platform=platform)


@given(parsers.parse('the cart line sends the ISBN as "{isbn}"'))
def isbn_as_sent(cart, isbn):
    cart.change_title(isbn=isbn)  # the vendor's record of the title gives the ISBN in this form


@given(parsers.parse('the cart line sends the OCLC number "{number}" and no ISBN'))
def oclc_only(cart, number):
    # Step-side: the carts send the resource metadata of their profile, which has no 035 system number. The
    # vendor's record has no ISBN (a real cart then sends none), and the step adds the OCLC number.
    cart.change_title(isbn="")
    cart.adjust(lambda body: body["resource_metadata"].update(system_control_number=[number]))


@given(parsers.parse('the cart line names the MMS ID of the record "{title}"'))
def names_mms_id(alma, cart, title):
    # Step-side: a vendor learns an institution's MMS IDs only from its holdings load, which the carts do not
    # simulate; the step adds the record's MMS ID to what the cart sends.
    mms_id = locate_record(alma, title)["mms_id"]
    cart.adjust(lambda body: body["resource_metadata"].update(mms_id={"value": mms_id}))


@given("the cart line asks for manual review")
def manual_review(cart):
    cart.change(manual_review=True)


@given(parsers.parse('the {vendor:Vendor} cart names the integration profile "{code}"', extra_types=EXTRA_TYPES))
def sends_profile_code(cart, vendor, code):
    """The vendor's setup worksheet for the institution names this New Order API profile."""
    assert cart.vendor.setup(cart.institution).vendor_code == vendor
    setup = replace(cart.vendor.setup(cart.institution), profile_code=code)
    cart.vendor = replace(cart.vendor, setups={**cart.vendor.setups, cart.institution: setup})


@given(parsers.parse('the cart line sends the title as "{title}"'))
def title_as_sent(cart, title):
    cart.change_title(title=title)  # the vendor's record of the title keys it this way


@given("the cart line is marked free of charge")
def free_of_charge(cart):
    # Step-side: a vendor sells; no cart marks its own sale free of charge. To show Alma refusing a purchase
    # marked free of charge, the mark is added to what the cart sends.
    cart.adjust(lambda body: body.update(no_charge=True))


@when(parsers.parse("the librarian checks out the {vendor:Vendor} cart", extra_types=EXTRA_TYPES),
      target_fixture="outcome")
def checks_out(alma, cart, vendor):
    assert cart.setup.vendor_code == vendor, f"the cart is {cart.vendor.label}'s, not {vendor}'s"
    return check_out(alma, cart)


@then(parsers.parse("the {vendor:Vendor} order shows the Alma PO line number", extra_types=EXTRA_TYPES))
def vendor_keeps_po_line_number(cart, vendor, outcome):
    assert cart.setup.vendor_code == vendor
    assert cart.order is not None and cart.order.lines[-1].po_line_number == outcome.po_line["number"]


# Why a vendor's own check refuses a cart line before checkout, in the librarian's words.
VENDOR_REFUSALS = {"Alma has no such owning library": "LIBRARY_UNKNOWN",
                   "the owning library has no such location": "LOCATION_UNKNOWN",
                   "Alma has no such fund": "FUND_UNKNOWN",
                   "the owning library may not order on the fund": "FUND_NOT_USABLE"}


@then(parsers.parse("the {vendor:Vendor} cart refuses the line because {reason}", extra_types=EXTRA_TYPES))
def vendor_refuses(cart, vendor, outcome, reason):
    assert cart.setup.vendor_code == vendor
    result = outcome.checkout
    assert result is not None and result.outcome == "refused" and result.attempts == 0, f"checkout: {result}"
    assert result.code == VENDOR_REFUSALS[reason], f"refused with {result.code}: {result.message}"


@when(parsers.parse("the librarian looks up the funds the {vendor:Vendor} cart offers for the owning library "
                    "{library}", extra_types=EXTRA_TYPES), target_fixture="offered_funds")
def funds_offered(request, alma, vendor, library):
    return sorted(open_cart(alma, vendor, institution_of(request)).usable_funds(library))


@then(parsers.parse("the cart offers {funds}"))
def cart_offers(offered_funds, funds):
    wanted = re.findall(r'"([^"]+)"', funds)
    assert wanted and set(wanted) <= set(offered_funds), f"offered: {offered_funds}"


@then(parsers.parse("the cart does not offer {funds}"))
def cart_does_not_offer(offered_funds, funds):
    unwanted = re.findall(r'"([^"]+)"', funds)
    assert unwanted and not set(unwanted) & set(offered_funds), f"offered: {offered_funds}"


@given(parsers.parse("the {vendor:Vendor} cart names no integration profile", extra_types=EXTRA_TYPES))
def sends_no_profile_code(cart, vendor):
    """The vendor's setup worksheet names no New Order API profile: Alma chooses one by the vendor's system."""
    sends_profile_code(cart, vendor, "")
