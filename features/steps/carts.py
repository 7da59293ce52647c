"""Steps about a vendor's cart: what the selector puts in it, and the checkout that sends it to Alma."""

from __future__ import annotations

import re

from pytest_bdd import given, parsers, then, when

from features.steps._alma import attempt, locate_record
from features.steps._cart import new_cart
from features.steps._types import EXTRA_TYPES


@given(parsers.parse('the librarian has the {line_type:Format} "{title}" in the {vendor:Vendor} cart',
                     extra_types=EXTRA_TYPES), target_fixture="cart")
def title_in_cart(alma, line_type, title, vendor):
    cart = new_cart(alma, vendor)
    cart.add(title, line_type)
    return cart


@given(parsers.parse('the librarian has the {line_type:Format} "{title}" in the {vendor:Vendor} cart '
                     'for {price:Money} on "{fund}"', extra_types=EXTRA_TYPES), target_fixture="cart")
def priced_title_in_cart(alma, line_type, title, vendor, price, fund):
    cart = new_cart(alma, vendor)
    line = cart.add(title, line_type)
    line.price, line.funds = price, [(fund, None)]
    return cart


@given(parsers.parse('the cart line is charged to "{fund}"'))
def charged_to(cart, fund):
    cart.line.funds = [(fund, None)]


@given(parsers.parse('the cart line charges {percent:d}% of its price to "{fund}"'))
def partly_charged_to(cart, percent, fund):
    cart.line.funds = [(fund, percent)]


@given(parsers.parse("the cart line is for the owning library {library}"))
def owning_library(cart, library):
    cart.line.owner = library


@given(parsers.parse("the cart line has no {part}"))
def without_part(cart, part):
    blanks = {"owning library": ("owner", ""), "vendor account": ("vendor_account", ""), "price": ("price", None),
              "fund distribution": ("funds", [])}
    setattr(cart.line, *blanks[part])


@given(parsers.parse('the cart line carries the vendor reference number "{number}"'))
def vendor_reference(cart, number):
    cart.line.vendor_reference_number = number


@given(parsers.parse('the cart line is for the platform "{platform}"'))
def on_platform(cart, platform):
    cart.line.platform = platform


@given(parsers.parse('the cart line sends the ISBN as "{isbn}"'))
def isbn_as_sent(cart, isbn):
    cart.line.isbn = isbn


@given(parsers.parse('the cart line sends the OCLC number "{number}" and no ISBN'))
def oclc_only(cart, number):
    cart.line.isbn, cart.line.system_numbers = "", [number]


@given(parsers.parse('the cart line names the MMS ID of the record "{title}"'))
def names_mms_id(alma, cart, title):
    cart.line.mms_id = locate_record(alma, title)["mms_id"]


@given("the cart line asks for manual review")
def manual_review(cart):
    cart.line.manual_review = True


@given(parsers.parse('the {vendor:Vendor} cart sends the profile code "{code}"', extra_types=EXTRA_TYPES))
def sends_profile_code(cart, vendor, code):
    assert cart.vendor == vendor
    cart.profile_code = code


@when(parsers.parse("the librarian checks out the {vendor:Vendor} cart", extra_types=EXTRA_TYPES),
      target_fixture="outcome")
def check_out(alma, cart, vendor):
    assert cart.vendor == vendor, f"the cart is {cart.vendor}'s, not {vendor}'s"
    line = cart.line
    outcome = attempt(alma, lambda: alma.create_po_line(cart.po_line(line), profile_code=cart.profile_code,
                                                        requires_manual_review=line.manual_review or None))
    if outcome.error is None:
        cart.po_line_numbers[line.vendor_reference_number] = outcome.po_line["number"]
    return outcome


@then(parsers.parse("the {vendor:Vendor} order shows the Alma PO line number", extra_types=EXTRA_TYPES))
def vendor_keeps_po_line_number(cart, vendor, outcome):
    assert cart.vendor == vendor
    assert cart.po_line_numbers[cart.line.vendor_reference_number] == outcome.po_line["number"]


@given(parsers.parse('the cart line sends the title as "{title}"'))
def title_as_sent(cart, title):
    cart.line.title = title


@given("the cart line is marked free of charge")
def free_of_charge(cart):
    cart.line.no_charge = True


@when(parsers.parse("the librarian looks up the funds the {vendor:Vendor} cart offers for the owning library "
                    "{library}", extra_types=EXTRA_TYPES), target_fixture="offered_funds")
def funds_offered(alma, vendor, library):
    return [f["code"] for f in alma.funds(mode="POL", library=library)["fund"]]


@then(parsers.parse("the cart offers {funds}"))
def cart_offers(offered_funds, funds):
    wanted = re.findall(r'"([^"]+)"', funds)
    assert wanted and set(wanted) <= set(offered_funds), f"offered: {offered_funds}"


@then(parsers.parse("the cart does not offer {funds}"))
def cart_does_not_offer(offered_funds, funds):
    unwanted = re.findall(r'"([^"]+)"', funds)
    assert unwanted and not set(unwanted) & set(offered_funds), f"offered: {offered_funds}"
