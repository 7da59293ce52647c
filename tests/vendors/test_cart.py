"""The cart workflow of seed 002 against the in-process Alma: search → cart → verify → checkout → Alma's PO line
number on the vendor's order line; Alma's portfolio search per vendor; refusals and In Review as outcomes."""

from __future__ import annotations

import pytest

from simulator.errors import VendorError
from simulator.vendors import VENDORS, VendorStock, open_cart

from .conftest import COASTAL, RIVERS_OF_EMPIRE


def test_catalogue_search_by_title_and_isbn(stocks):
    gobi = stocks["gobi"]
    assert [t.isbn for t in gobi.search("coastal resilience")] == [COASTAL]
    assert gobi.search("978-0-300-12000-4")[0].title.startswith("Coastal Resilience")
    assert len(gobi.bulk) == 200 and len(gobi.named) == 11
    assert VendorStock.build(VENDORS["gobi"], seed=7).titles == VendorStock.build(VENDORS["gobi"], seed=7).titles


def test_a_created_line_keeps_both_numbers(alma, stocks):
    cart = open_cart("gobi", alma)
    cart.add(stocks["gobi"].title(RIVERS_OF_EMPIRE), "print", owning_library="MAIN", location="STACKS",
             quantity=2, funds="HIST-MONO")
    order = cart.checkout()
    line = order.lines[0]
    assert line.result.outcome == "created" and line.po_line_number.startswith("POL-")
    po_line = alma.get_po_line(line.po_line_number)
    assert po_line["vendor_reference_number"] == line.vendor_reference_number
    assert po_line["vendor_reference_number_type"]["value"] == "SCO"
    assert po_line["acquisition_method"]["value"] == "VENDOR_SYSTEM"
    assert (po_line["vendor"]["value"], po_line["vendor_account"]) == ("GOBI", "GOBI-HVU")
    unit = line.cart_line.price
    assert po_line["price"]["sum"] == f"{unit.amount:.2f}"  # one unit, before discount
    assert po_line["fund_distribution"][0]["amount"]["sum"] == f"{unit.amount * 2:.2f}"  # for both copies
    assert po_line["location"][0]["quantity"] == 2
    assert [a.code for a in line.result.alerts] == ["INVENTORY_EXISTS"]  # already held: informational only


def test_one_po_line_per_cart_line(alma, stocks):
    gobi = stocks["gobi"]
    cart = open_cart("gobi", alma)
    for title in gobi.bulk[:3]:
        cart.add(title, "print", owning_library="MAIN", funds=("HIST-MONO", "ENGL-MONO"))
    order = cart.checkout()
    numbers = [line.po_line_number for line in order.lines]
    assert len(set(numbers)) == 3 and cart.lines == []
    shares = alma.get_po_line(numbers[0])["fund_distribution"]
    assert [s["fund_code"]["value"] for s in shares] == ["HIST-MONO", "ENGL-MONO"]


@pytest.mark.parametrize("vendor, outcome", [("gobi", "cz"), ("oasis", "cz"), ("generic", "local")])
def test_the_portfolio_follows_the_vendors_system(alma, stocks, vendor, outcome):
    title = stocks[vendor].title(COASTAL)
    cart = open_cart(vendor, alma)
    cart.add(title, "ebook", owning_library="MAIN", funds="EBOOKS-GEN")
    line = cart.checkout().lines[0]
    assert line.result.outcome == "created"
    assert line.result.portfolio == outcome
    po_line = alma.get_po_line(line.po_line_number)
    assert po_line["access_provider"] == line.cart_line.platform == VENDORS[vendor].platforms[0]
    assert po_line["access_model"] == line.cart_line.access_model


def test_a_second_order_of_the_title_finds_the_institutions_portfolio(alma, stocks):
    title = stocks["gobi"].title(COASTAL)
    outcomes = []
    for _ in range(2):
        cart = open_cart("gobi", alma)
        cart.add(title, "ebook", license="3 users", owning_library="MAIN", funds="EBOOKS-GEN")
        outcomes.append(cart.checkout().lines[0].result.portfolio)
    assert outcomes == ["cz", "iz"]


def test_verification_refuses_a_fund_the_library_cannot_use(alma, stocks):
    cart = open_cart("gobi", alma)
    cart.add(stocks["gobi"].bulk[0], "print", owning_library="MAIN", location="STACKS", funds="LAW-MONO")
    cart.add(stocks["gobi"].bulk[1], "print", owning_library="MAIN", location="ATTIC", funds="HIST-MONO")
    cart.add(stocks["gobi"].bulk[2], "print", owning_library="ANNEX", funds="HIST-MONO")
    results = [line.result for line in cart.checkout().lines]
    assert [(r.outcome, r.code) for r in results] == [
        ("refused", "FUND_NOT_USABLE"), ("refused", "LOCATION_UNKNOWN"), ("refused", "LIBRARY_UNKNOWN")]
    assert "LAW-MONO" in results[0].message and "MAIN" in results[0].message
    assert alma.list_po_lines(q="vendor_code~GOBI")["total_record_count"] == 1  # only the seed's order


def test_verification_refuses_a_fund_alma_does_not_have_as_unknown(alma, stocks):
    cart = open_cart("gobi", alma)
    cart.add(stocks["gobi"].bulk[0], "print", owning_library="MAIN", location="STACKS", funds="GEOG-MONO")
    cart.add(stocks["gobi"].bulk[1], "print", owning_library="MAIN", location="STACKS", funds="MUSIC-MONO")
    results = [line.result for line in cart.checkout().lines]
    assert [(r.outcome, r.code, r.attempts) for r in results] == [
        ("refused", "FUND_UNKNOWN", 0), ("refused", "FUND_NOT_USABLE", 0)]  # an inactive fund exists
    assert "GEOG-MONO" in results[0].message


def test_a_refusal_by_alma_is_reported_with_its_code(alma, stocks):
    # GOBI_API blocks orders its fund cannot cover: ART-MONO has 40.00 USD left.
    title = next(t for t in stocks["gobi"].bulk if t.print_price and t.print_price.amount > 40)
    cart = open_cart("gobi", alma)
    cart.add(title, "print", owning_library="MAIN", funds="ART-MONO")
    result = cart.checkout().lines[0].result
    assert (result.outcome, result.code) == ("refused", "401872")
    assert "ART-MONO" in result.message and result.po_line_number == ""


def test_in_review_is_reported_with_alert_codes(alma, stocks):
    # OASIS_API does not block: the same shortfall sends the line to In Review; no fund at all does too.
    oasis = stocks["oasis"]
    title = next(t for t in oasis.bulk if t.print_price and t.print_price.amount > 40)
    cart = open_cart("oasis", alma)
    cart.add(title, "print", owning_library="MAIN", funds="ART-MONO")
    cart.add(oasis.bulk[5], "print", owning_library="SCI")
    first, second = (line.result for line in cart.checkout().lines)
    assert (first.outcome, [a.code for a in first.alerts]) == ("in_review", ["FUND_BALANCE_INSUFFICIENT"])
    assert "ART-MONO" in first.alerts[0].text
    assert (second.outcome, [a.code for a in second.alerts]) == ("in_review", ["FUND_MISSING"])
    assert first.po_line_number.startswith("POL-")


def test_the_generic_vendor_leaves_fund_checks_to_alma(alma, stocks):
    cart = open_cart("generic", alma)
    cart.add(stocks["generic"].bulk[0], "print", owning_library="MAIN", funds="LAW-MONO")
    result = cart.checkout().lines[0].result
    assert (result.outcome, [a.code for a in result.alerts]) == ("in_review", ["FUND_CODE_INVALID"])


def test_the_vendor_refuses_what_it_does_not_sell(alma, stocks):
    cart = open_cart("oasis", alma)
    print_only = stocks["oasis"].title(RIVERS_OF_EMPIRE)
    with pytest.raises(VendorError, match="does not sell"):
        cart.add(print_only, "ebook", owning_library="MAIN")
    with pytest.raises(VendorError, match="no licence"):
        cart.add(stocks["oasis"].title(COASTAL), "ebook", license="Lifetime", owning_library="MAIN")
    with pytest.raises(VendorError, match="does not sell"):
        stocks["oasis"].title("9780000000002")
