"""ORDERING-RULES §3, §7 (after-ordering.md "How a line finishes", "Who is told") — electronic lines whose
resource the institution already has active: an ebook whose portfolio the order found in the institution, and
an electronic collection. Such a line is activated when its own activation task is Done (the librarian
activates the portfolio, or the collection), not by the resource having been active before [decision]; then
it finishes like any other line and its interested users are told once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator.alma import claims, closing, letters, lifecycle
from simulator.alma.model import INTERESTED_IN, InterestedUser, POLineStatus
from simulator.errors import NotFound

from .conftest import ATLANTIC_WORLD, HVU, ebook_draft
from .rule_7_helpers import invoice_for, sent

ADA = InterestedUser(primary_id="ada.reyes", notify_receiving_activation=True)


def _existing_portfolio(hvu):
    (atlantic,) = hvu.catalogue.lookup("isbn", ATLANTIC_WORLD)
    (existing,) = [hvu.portfolios[p] for p in hvu.portfolios_by_bib[atlantic.mms_id]]
    return existing


def _found_in_institution(world, clock, **changes):
    """A GOBI ebook order the portfolio search answers with the institution's own (available) JSTOR portfolio."""
    return sent(world, clock, ebook_draft(isbn=ATLANTIC_WORLD, access_provider="JSTOR", interested_users=[ADA],
                                          **changes))


def _collection_line(world, clock, **changes):
    """A one-time order for the Community Zone's EBSCOhost Ebooks collection."""
    draft = ebook_draft(type="ELECTRONIC_COLLECTION_OT", title="EBSCOhost Ebooks", access_model="",
                        interested_users=[ADA])
    return sent(world, clock, replace(draft, **changes))


# ---------------------------------------------------------------- an ebook found in the institution -------------


def test_an_ebook_found_in_the_institution_is_linked_and_not_yet_activated(world, hvu, clock):
    existing = _existing_portfolio(hvu)
    assert existing.available  # patrons already have it
    line = _found_in_institution(world, clock)
    assert line.portfolio_ids == [existing.id] and existing.po_line == line.number
    assert line.portfolio_outcome == closing.FOUND_IN_INSTITUTION and existing.available
    assert not closing.received_or_activated(hvu, line) and line.status is POLineStatus.SENT
    assert hvu.letters == []


def test_activating_the_found_portfolio_is_the_lines_activation_done(world, hvu, clock):
    line = _found_in_institution(world, clock)
    clock.advance(days=3)
    lifecycle.activate_portfolio(world, HVU, line.portfolio_ids[0], clock)
    lifecycle.activate_portfolio(world, HVU, line.portfolio_ids[0], clock)  # again: nothing new
    assert line.activation_done and closing.received_or_activated(hvu, line)
    assert line.status is POLineStatus.WAITING_FOR_INVOICE and line.status_date == "2026-09-04Z"
    assert [(l.code, l.primary_id, l.reason, l.portfolio_id) for l in hvu.letters] == [
        (INTERESTED_IN, "ada.reyes", "activated", line.portfolio_ids[0])]


def test_a_found_ebook_closes_once_activated_and_invoiced_in_either_order(world, hvu, clock):
    first = _found_in_institution(world, clock)
    invoice_for(world, clock, [first])
    assert first.fully_invoiced and first.status is POLineStatus.SENT  # invoiced is not enough
    lifecycle.activate_portfolio(world, HVU, first.portfolio_ids[0], clock)
    assert first.status is POLineStatus.CLOSED
    assert hvu.purchase_orders[first.po_number].status == "CLOSED"


def test_a_found_ebook_subscription_waits_for_renewal_once_activated(world, hvu, clock):
    line = _found_in_institution(world, clock, type="E_BOOK_CO")
    assert line.status is POLineStatus.SENT
    lifecycle.activate_portfolio(world, HVU, line.portfolio_ids[0], clock)
    assert line.status is POLineStatus.RECURRING_RENEWAL


def test_a_found_ebook_not_activated_in_time_is_claimed_until_activated(world, hvu, clock):
    line = _found_in_institution(world, clock, expected_activation_interval=5, claiming_interval=2)
    clock.advance(days=8)
    assert claims.run(hvu, clock)["claimed"] == [line.number]
    assert claims.task_list(hvu) == [line]
    lifecycle.activate_portfolio(world, HVU, line.portfolio_ids[0], clock)
    assert claims.task_list(hvu) == []


def test_a_cancelled_found_line_is_not_activated_by_the_portfolio(world, hvu, clock):
    line = _found_in_institution(world, clock)
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    lifecycle.activate_portfolio(world, HVU, line.portfolio_ids[0], clock)
    assert line.status is POLineStatus.CANCELLED and not line.activation_done
    assert [l.reason for l in hvu.letters] == []


# ---------------------------------------------------------------- an electronic collection -----------------------


def test_a_collection_line_waits_for_its_collection_to_be_activated(world, hvu, clock):
    line = _collection_line(world, clock)
    collection = hvu.collections[line.collection_id]
    assert collection.active and not closing.received_or_activated(hvu, line)
    assert line.status is POLineStatus.SENT and hvu.letters == []


def test_activating_the_collection_settles_the_line_and_tells_interested_users_once(world, hvu, clock):
    line = _collection_line(world, clock)
    clock.advance(days=1)
    collection = lifecycle.activate_collection(world, HVU, line.collection_id, clock)
    lifecycle.activate_collection(world, HVU, line.collection_id, clock)  # again: nothing new
    assert collection.active and line.activation_done
    assert line.status is POLineStatus.WAITING_FOR_INVOICE and line.status_date == "2026-09-02Z"
    assert [(l.code, l.primary_id, l.reason, l.portfolio_id) for l in letters.letters(world, HVU)] == [
        (INTERESTED_IN, "ada.reyes", "activated", "")]
    invoice_for(world, clock, [line])
    assert line.status is POLineStatus.CLOSED


def test_a_collection_subscription_waits_for_renewal_once_activated(world, hvu, clock):
    line = _collection_line(world, clock, type="ELECTRONIC_COLLECTION_CO", renewal_date="2027-08-01")
    lifecycle.activate_collection(world, HVU, line.collection_id, clock)
    assert line.status is POLineStatus.RECURRING_RENEWAL


def test_a_later_line_for_an_activated_collection_needs_its_own_activation(world, hvu, clock):
    first = _collection_line(world, clock)
    lifecycle.activate_collection(world, HVU, first.collection_id, clock)
    second = _collection_line(world, clock, interested_users=[])
    assert second.collection_id == first.collection_id and second.status is POLineStatus.SENT
    lifecycle.activate_collection(world, HVU, first.collection_id, clock)
    assert second.status is POLineStatus.WAITING_FOR_INVOICE
    assert len(hvu.letters) == 1  # Ada was told about the first line only


def test_a_collection_not_activated_in_time_is_claimed(world, hvu, clock):
    line = _collection_line(world, clock, expected_activation_interval=5, claiming_interval=0)
    clock.advance(days=6)
    assert claims.run(hvu, clock)["claimed"] == [line.number]
    lifecycle.activate_collection(world, HVU, line.collection_id, clock)
    assert claims.task_list(hvu) == []


def test_activating_an_unknown_collection_is_refused_and_changes_nothing(world, hvu, clock):
    line = _collection_line(world, clock)
    with pytest.raises(NotFound) as refused:
        lifecycle.activate_collection(world, HVU, "61000NOPE", clock)
    assert refused.value.code == "60121"
    assert not line.activation_done and line.status is POLineStatus.SENT and hvu.letters == []
