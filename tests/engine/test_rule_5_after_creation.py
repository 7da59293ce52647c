"""ORDERING-RULES §5 — after creation: get, update (swap-all), cancel (reason; releases the encumbrance;
twice → 401884), receive items, activate portfolios, approve from In Review."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from simulator.alma import lifecycle
from simulator.alma.model import FundShare, OrderedLocation, POLineStatus
from simulator.errors import (
    CancelFailed, NotFound, POLineAlreadyCancelled, POLineNotFound, ReceiveFailed, UpdateFailed,
)

from .conftest import HVU, codes, ebook_draft, print_draft, snapshot, usd


# ---------------------------------------------------------------- get ---------------------------------------------

def test_get_returns_the_line(world, order):
    """ORDERING-RULES §5: GET one returns the line by its number."""
    line = order(print_draft())
    assert lifecycle.get_po_line(world, HVU, line.number) is line


def test_get_unknown_line_401871(world):
    """ORDERING-RULES §5: an unknown PO line number → 401871."""
    with pytest.raises(POLineNotFound) as refusal:
        lifecycle.get_po_line(world, HVU, "POL-99999")
    assert refusal.value.code == "401871"


# ---------------------------------------------------------------- approve -----------------------------------------

def test_approve_from_in_review_encumbers_and_processes(world, hvu, order, clock):
    """ORDERING-RULES §5: approving from In Review releases the line for processing; review alerts go."""
    line = order(print_draft(price=usd(40), acquisition_method="VENDOR_SYSTEM", requires_manual_review=True))
    before = hvu.funds["HIST-MONO"].encumbered
    lifecycle.approve(world, HVU, line.number, clock)
    assert line.status is POLineStatus.SENT and line.po_number in hvu.purchase_orders
    assert hvu.funds["HIST-MONO"].encumbered == before + Decimal("40.00")
    assert line.alerts == []


def test_approve_a_line_not_in_review_401876(world, order, clock):
    """ORDERING-RULES §5: only an In Review line can be approved."""
    line = order(print_draft())
    with pytest.raises(UpdateFailed) as refusal:
        lifecycle.approve(world, HVU, line.number, clock)
    assert refusal.value.code == "401876"


def test_approve_an_incomplete_line_401876(world, hvu, order, clock):
    """ORDERING-RULES §5: a line still missing its price cannot leave In Review."""
    line = order(print_draft(price=None))
    with pytest.raises(UpdateFailed):
        lifecycle.approve(world, HVU, line.number, clock)
    assert line.status is POLineStatus.IN_REVIEW


def test_approve_with_an_uncovered_fund_is_refused_and_changes_nothing(world, hvu, order, clock):
    """ORDERING-RULES §5 [decision]: approval applies all three fund checks as blocking."""
    line = order(print_draft(vendor="HARRASSOWITZ", vendor_account="HAR-HVU", funds=[FundShare(fund="MUSIC-MONO")]))
    assert codes(line) == ["FUND_CODE_INVALID"]
    before = snapshot(hvu, world)
    with pytest.raises(UpdateFailed) as refusal:
        lifecycle.approve(world, HVU, line.number, clock)
    assert "MUSIC-MONO" in refusal.value.message
    assert snapshot(hvu, world) == before and line.status is POLineStatus.IN_REVIEW


# ---------------------------------------------------------------- update ------------------------------------------

def test_update_is_swap_all(world, hvu, order, clock):
    """ORDERING-RULES §5: PUT replaces the whole line; what it leaves out goes back to its default."""
    line = order(print_draft(rush=True, vendor_reference_number="V-1"))
    new = print_draft(resource=line.draft.resource, price=usd(50))
    lifecycle.update(world, HVU, line.number, new, clock)
    assert line.draft.rush is False and line.draft.vendor_reference_number == ""
    assert line.draft.resource.mms_id == line.mms_id  # the bib stays


def test_update_re_encumbers_with_the_new_price(world, hvu, order, clock):
    """ORDERING-RULES §5/§2.14: an encumbered line is re-encumbered with the new price and funds."""
    fund, other = hvu.funds["HIST-MONO"], hvu.funds["ENGL-MONO"]
    f0, o0 = fund.encumbered, other.encumbered
    line = order(print_draft(price=usd(50)))
    lifecycle.update(world, HVU, line.number, replace(line.draft, price=usd(80), funds=[FundShare(fund="ENGL-MONO")]),
                     clock)
    assert fund.encumbered == f0 and other.encumbered == o0 + Decimal("80.00")
    assert [(e.fund, e.amount) for e in line.encumbrances] == [("ENGL-MONO", Decimal("80.00"))]


def test_update_that_would_overspend_is_refused_and_changes_nothing(world, hvu, order, clock):
    """ORDERING-RULES §5/§2.14: a PUT whose new amount the fund cannot cover → 401876, nothing changes."""
    line = order(print_draft(price=usd(30), funds=[FundShare(fund="ART-MONO")]))
    before = snapshot(hvu, world)
    with pytest.raises(UpdateFailed) as refusal:
        lifecycle.update(world, HVU, line.number, replace(line.draft, price=usd(60)), clock)
    assert refusal.value.code == "401876"
    assert snapshot(hvu, world) == before and line.draft.price == usd(30)


def test_update_of_an_in_review_line_recomputes_its_alerts(world, order, clock):
    """ORDERING-RULES §5: updating an In Review line replaces the missing-part alerts; it stays In Review."""
    line = order(print_draft(price=None))
    lifecycle.update(world, HVU, line.number, replace(line.draft, price=usd(10)), clock)
    assert codes(line) == [] and line.status is POLineStatus.IN_REVIEW
    lifecycle.approve(world, HVU, line.number, clock)
    assert line.status is POLineStatus.AUTO_PACKAGING


def test_update_of_a_cancelled_line_401876(world, order, clock):
    """ORDERING-RULES §5: a cancelled line cannot be updated."""
    line = order(print_draft())
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    with pytest.raises(UpdateFailed):
        lifecycle.update(world, HVU, line.number, line.draft, clock)


def test_update_cannot_change_the_vendor_of_a_sent_po(world, order, clock):
    """ORDERING-RULES §5: the vendor can only change before the PO is sent."""
    line = order(print_draft(acquisition_method="VENDOR_SYSTEM"))
    with pytest.raises(UpdateFailed):
        lifecycle.update(world, HVU, line.number, replace(line.draft, vendor="OASIS", vendor_account="OASIS-HVU"), clock)
    assert line.draft.vendor == "GOBI"


# ---------------------------------------------------------------- cancel ------------------------------------------

def test_cancel_releases_encumbrance_withdraws_items_and_frees_the_portfolio(world, hvu, order, clock):
    """ORDERING-RULES §5: DELETE = cancel with a reason; it releases the encumbrance; unreceived items go;
    the portfolio no longer has the line."""
    fund = hvu.funds["HIST-MONO"]
    before = fund.encumbered
    line = order(print_draft(price=usd(25), locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=2)]))
    items = list(line.draft.locations[0].item_ids)
    lifecycle.cancel(world, HVU, line.number, "VENDOR_CANNOT_SUPPLY", clock, comment="out of print")
    assert line.status is POLineStatus.CANCELLED
    assert (line.cancellation_reason, line.cancellation_comment) == ("VENDOR_CANNOT_SUPPLY", "out of print")
    assert fund.encumbered == before and all(i not in hvu.items for i in items)
    ebook = order(ebook_draft())
    lifecycle.cancel(world, HVU, ebook.number, "DUPLICATE_ORDER", clock)
    assert hvu.portfolios[ebook.portfolio_ids[0]].po_line == ""


@pytest.mark.parametrize("reason", ["", "BECAUSE"])
def test_cancel_needs_a_known_reason_401881(world, hvu, order, clock, reason):
    """ORDERING-RULES §5: the reason is required (and must be a cancellation reason) → else 401881."""
    line = order(print_draft())
    before = snapshot(hvu, world)
    with pytest.raises(CancelFailed) as refusal:
        lifecycle.cancel(world, HVU, line.number, reason, clock)
    assert refusal.value.code == "401881"
    assert snapshot(hvu, world) == before and line.status is POLineStatus.AUTO_PACKAGING


def test_cancelling_twice_401884(world, hvu, order, clock):
    """ORDERING-RULES §5: cancelling twice → 401884; the encumbrance is not released twice."""
    line = order(print_draft(price=usd(25)))
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    encumbered = hvu.funds["HIST-MONO"].encumbered
    with pytest.raises(POLineAlreadyCancelled) as refusal:
        lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    assert refusal.value.code == "401884"
    assert hvu.funds["HIST-MONO"].encumbered == encumbered


@pytest.mark.parametrize(("action", "gone", "suppressed"), [("retain", False, False), ("suppress", False, True),
                                                            ("delete", True, False)])
def test_cancel_bib_action_on_a_standalone_brief_record(world, hvu, order, clock, action, gone, suppressed):
    """ORDERING-RULES §5: cancelling can retain, suppress or delete a bib nothing else uses."""
    line = order(ebook_draft(type="OTHER_SERVICES_OT"))
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock, bib=action)
    bib = hvu.catalogue.bibs.get(line.mms_id)
    assert (bib is None) is gone
    assert gone or bib.suppressed is suppressed


# ---------------------------------------------------------------- receive -----------------------------------------

def test_receive_items_then_waiting_for_invoice(world, hvu, order, clock):
    """ORDERING-RULES §5: receiving physical items; when all are received the line waits for its invoice."""
    line = order(print_draft(locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=2)]))
    first, second = line.draft.locations[0].item_ids
    assert lifecycle.receive(world, HVU, line.number, clock, item_id=first).received
    assert line.status is POLineStatus.AUTO_PACKAGING
    lifecycle.receive(world, HVU, line.number, clock, item_id=second, receive_date="2026-09-03Z")
    assert hvu.items[second].receive_date == "2026-09-03Z"
    assert line.status is POLineStatus.WAITING_FOR_INVOICE


def test_receive_refusals_401877(world, hvu, order, clock):
    """ORDERING-RULES §5: receiving an In Review line, an electronic line or an item twice → 401877."""
    in_review = order(print_draft(price=None))
    with pytest.raises(ReceiveFailed):
        lifecycle.receive(world, HVU, in_review.number, clock)
    ebook = order(ebook_draft())
    with pytest.raises(ReceiveFailed) as refusal:
        lifecycle.receive(world, HVU, ebook.number, clock)
    assert refusal.value.code == "401877"
    line = order(print_draft())
    (item,) = line.draft.locations[0].item_ids
    lifecycle.receive(world, HVU, line.number, clock, item_id=item)
    with pytest.raises(ReceiveFailed):
        lifecycle.receive(world, HVU, line.number, clock, item_id=item)


# ---------------------------------------------------------------- activate ----------------------------------------

def test_activate_portfolio_makes_it_available(world, hvu, order, clock):
    """ORDERING-RULES §5: activating the ordered (not available) portfolio makes it available and the line
    waits for its invoice."""
    line = order(ebook_draft(isbn="9780300120004"))  # CZ title: activated, not available
    (pid,) = line.portfolio_ids
    assert not hvu.portfolios[pid].available
    lifecycle.activate_portfolio(world, HVU, pid, clock)
    assert hvu.portfolios[pid].available and line.status is POLineStatus.WAITING_FOR_INVOICE


def test_activate_unknown_portfolio_60123(world, clock):
    """ORDERING-RULES §5: an unknown portfolio → not found."""
    with pytest.raises(NotFound) as refusal:
        lifecycle.activate_portfolio(world, HVU, "5300000000000004561", clock)
    assert refusal.value.code == "60123"
