"""ORDERING-RULES §2.14 — encumbrance [decision]: net price = price × copies × (1 − discount %) in the fund's
currency; funds are encumbered when the line leaves In Review and released when it is cancelled."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulator.alma import lifecycle
from simulator.alma.model import FundShare, OrderedLocation, POLineStatus
from simulator.money import Money

from .conftest import HVU, LSU, print_draft, usd


@pytest.mark.parametrize(("price", "copies", "discount", "net"), [
    ("50.00", 1, "0", "50.00"),
    ("20.00", 3, "0", "60.00"),
    ("20.00", 3, "10", "54.00"),
    ("19.99", 2, "12.5", "34.98"),
    ("100.00", 1, "100", "0.00"),
])
def test_net_price_is_price_times_copies_less_discount(hvu, order, price, copies, discount, net):
    """ORDERING-RULES §2.14: net price = price × copies × (1 − discount %), and that is what is encumbered."""
    before = hvu.funds["HIST-MONO"].encumbered
    line = order(print_draft(price=usd(price), discount=Decimal(discount),
                             locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=copies)]))
    assert line.net_price == usd(net)
    assert [(e.fund, e.amount) for e in line.encumbrances] == [("HIST-MONO", Decimal(net))]
    assert hvu.funds["HIST-MONO"].encumbered == before + Decimal(net)


@pytest.mark.parametrize(("price", "fund", "charged"), [
    (usd(100), "BRIT-HIST", Decimal("78.74")),                          # USD price, GBP fund: 100 / 1.27
    (Money(Decimal(100), "EUR"), "HIST-MONO", Decimal("108.00")),       # EUR price, USD fund: 100 × 1.08
    (Money(Decimal(100), "GBP"), "BRIT-HIST", Decimal("100.00")),       # same currency: no exchange
])
def test_encumbrance_is_in_the_funds_currency(hvu, order, price, fund, charged):
    """ORDERING-RULES §2.14: encumbered in the fund's currency at the institution's exchange rates."""
    line = order(print_draft(price=price, funds=[FundShare(fund=fund)]))
    assert line.encumbrances[0].amount == charged
    assert hvu.funds[fund].encumbered == charged


def test_vendor_account_discount_applies_when_the_line_has_none(world, order):
    """ORDERING-RULES §2.14 [decision]: the line's discount, else the vendor account's (Casalini: 5 %)."""
    lsu = world.institution(LSU)
    before = lsu.funds["LSU-BOOKS"].encumbered  # the seed's own orders
    line = order(print_draft(owner="LAKE", vendor="CASALINI", vendor_account="CAS-LSU", price=usd(200),
                             funds=[FundShare(fund="LSU-BOOKS")], locations=[]), institution=LSU)
    assert line.net_price == usd("190.00")
    assert lsu.funds["LSU-BOOKS"].encumbered == before + Decimal("190.00")


def test_in_review_line_is_not_encumbered_until_approved(world, hvu, order, clock):
    """ORDERING-RULES §2.14: funds are encumbered when the line leaves In Review (approval)."""
    fund = hvu.funds["HIST-MONO"]
    before = fund.encumbered
    line = order(print_draft(price=usd(70), requires_manual_review=True))
    assert line.status is POLineStatus.IN_REVIEW and fund.encumbered == before and line.encumbrances == []
    lifecycle.approve(world, HVU, line.number, clock)
    assert line.status is POLineStatus.AUTO_PACKAGING
    assert fund.encumbered == before + Decimal("70.00")


def test_cancel_releases_the_encumbrance(world, hvu, order, clock):
    """ORDERING-RULES §2.14: the encumbrance is released when the line is cancelled."""
    fund = hvu.funds["HIST-MONO"]
    before = fund.encumbered
    line = order(print_draft(price=usd(70)))
    assert fund.encumbered == before + Decimal("70.00")
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    assert fund.encumbered == before and line.encumbrances == []


def test_no_charge_line_encumbers_nothing(hvu, order):
    """ORDERING-RULES §2.14: a no-charge gift has nothing to encumber."""
    before = {c: f.encumbered for c, f in hvu.funds.items()}
    order(print_draft(acquisition_method="GIFT", no_charge=True, price=usd(30)))
    assert {c: f.encumbered for c, f in hvu.funds.items()} == before

