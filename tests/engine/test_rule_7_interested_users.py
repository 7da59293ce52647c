"""ORDERING-RULES §7 (after-ordering.md "Who is told") — interested users: a PO line names users who are told
on receipt (physical) or when the activation task is Done (electronic), and on cancellation when they asked;
"hold item" places a hold request on the received item. The letters and requests are world state."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator.alma import letters, lifecycle, ordering, snapshot
from simulator.alma.model import INTERESTED_IN, PO_LINE_CANCELLATION, InterestedUser, OrderedLocation
from simulator.errors import AlmaError

from .conftest import HVU, ebook_draft, print_draft
from .rule_7_helpers import sent

ADA = InterestedUser(primary_id="ada.reyes", notify_receiving_activation=True, notify_cancel=True)
OMAR = InterestedUser(primary_id="omar.haddad", hold_item=True)
LENA = InterestedUser(primary_id="lena.park", hold_item=True, notify_receiving_activation=True)


def _sent(world, clock, draft, *users):
    return sent(world, clock, replace(draft, interested_users=list(users)))


def test_receiving_sends_the_interested_in_letter_once_per_line(world, hvu, clock):
    line = _sent(world, clock, print_draft(locations=[OrderedLocation(library="MAIN", location="STACKS",
                                                                      quantity=2)]), ADA, OMAR)
    first, second = line.draft.locations[0].item_ids
    assert hvu.letters == []
    clock.advance(days=2)
    lifecycle.receive(world, HVU, line.number, clock, item_id=first)
    lifecycle.receive(world, HVU, line.number, clock, item_id=second)
    told = letters.letters(world, HVU, po_line=line.number)
    assert [(l.code, l.primary_id, l.reason, l.item_id, l.date) for l in told] == [
        (INTERESTED_IN, "ada.reyes", "received", first, "2026-09-03Z")]  # Omar did not ask to be notified
    assert told[0].email == "ada.reyes@hvu.example.edu" and line.number in told[0].text


def test_hold_item_places_hold_requests_in_the_order_the_line_lists_the_users(world, hvu, clock):
    line = _sent(world, clock, print_draft(), ADA, LENA, OMAR)
    item = lifecycle.receive(world, HVU, line.number, clock, item_id=line.draft.locations[0].item_ids[0])
    requests = letters.item_requests(hvu, item.id)
    assert [(r.primary_id, r.place_in_queue, r.request_type, r.pickup_library) for r in requests] == [
        ("lena.park", 1, "HOLD", "MAIN"), ("omar.haddad", 2, "HOLD", "MAIN")]
    assert all(r.holding_id == item.holding_id and r.mms_id == line.mms_id for r in requests)


def test_a_scanned_barcode_receives_and_tells_too(world, hvu, clock):
    line = _sent(world, clock, print_draft(), LENA)
    barcode = hvu.items[line.draft.locations[0].item_ids[0]].barcode
    item = lifecycle.receive_by_barcode(world, HVU, barcode, clock)
    assert [l.primary_id for l in hvu.letters] == ["lena.park"]
    assert [r.primary_id for r in letters.item_requests(hvu, item.id)] == ["lena.park"]


def test_activation_done_sends_the_letter_for_an_electronic_line(world, hvu, clock):
    line = _sent(world, clock, ebook_draft(), ADA, OMAR)
    assert hvu.letters == []  # ordered, not yet activated
    lifecycle.activate_portfolio(world, HVU, line.portfolio_ids[0], clock)
    lifecycle.activate_portfolio(world, HVU, line.portfolio_ids[0], clock)  # already active: nothing new
    assert [(l.primary_id, l.reason, l.portfolio_id) for l in hvu.letters] == [
        ("ada.reyes", "activated", line.portfolio_ids[0])]
    assert hvu.user_requests == {}  # nothing to hold on an electronic line


def test_cancelling_tells_only_users_who_asked(world, hvu, clock):
    line = _sent(world, clock, print_draft(), ADA, LENA)
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    assert [(l.code, l.name, l.primary_id, l.reason) for l in hvu.letters] == [
        (PO_LINE_CANCELLATION, "PO Line Cancellation Letter", "ada.reyes", "cancelled")]


def test_cancelling_without_notify_on_cancel_sends_nothing(world, hvu, clock):
    line = _sent(world, clock, print_draft(), OMAR, replace(ADA, notify_cancel=False))
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    assert hvu.letters == []


@pytest.mark.parametrize("users, why", [
    ([InterestedUser(primary_id="nobody.here")], "has no user with primary ID 'nobody.here'"),
    ([InterestedUser(primary_id="")], "primary_id is empty"),
    ([ADA, replace(ADA, hold_item=True)], "named twice"),
])
def test_an_unknown_user_is_refused_and_nothing_is_created(world, hvu, clock, users, why):
    before = (len(hvu.po_lines), len(hvu.catalogue), hvu.ids.next)
    with pytest.raises(AlmaError) as refusal:
        ordering.create_po_line(world, HVU, replace(print_draft(), interested_users=users), clock)
    assert refusal.value.code == "401872" and why in refusal.value.message
    assert (len(hvu.po_lines), len(hvu.catalogue), hvu.ids.next) == before


def test_an_update_replaces_the_interested_users_as_swap_all(world, hvu, clock):
    line = _sent(world, clock, print_draft(), ADA)
    lifecycle.update(world, HVU, line.number, replace(line.draft, interested_users=[OMAR]), clock)
    assert line.draft.interested_users == [OMAR]
    lifecycle.update(world, HVU, line.number, replace(line.draft, interested_users=[]), clock)
    assert line.draft.interested_users == []  # left out: back to none
    with pytest.raises(AlmaError) as refusal:
        lifecycle.update(world, HVU, line.number, replace(line.draft, interested_users=[
            InterestedUser(primary_id="nobody.here")]), clock)
    assert refusal.value.code == "401876" and "nobody.here" in refusal.value.message


def test_renewal_notice_tells_users_who_asked_for_renewals(world, hvu, clock):
    line = _sent(world, clock, print_draft(), ADA, replace(OMAR, notify_renewal=True))
    sent_now = letters.renewal_notice(hvu, line, clock)
    assert [(l.primary_id, l.code, l.reason) for l in sent_now] == [("omar.haddad", INTERESTED_IN, "renewal")]


def test_letters_and_requests_travel_in_a_snapshot(world, hvu, clock):
    line = _sent(world, clock, print_draft(), LENA)
    lifecycle.receive(world, HVU, line.number, clock, item_id=line.draft.locations[0].item_ids[0])
    again = snapshot.load(snapshot.dump(world))
    copy = again.institution(HVU)
    assert copy.letters == hvu.letters and copy.user_requests == hvu.user_requests and copy.users == hvu.users
    assert copy.po_lines[line.number].draft.interested_users == [LENA]
    assert snapshot.dump(again) == snapshot.dump(world)


def test_users_come_from_the_seed_and_a_user_listed_twice_is_a_seed_error(world):
    from simulator.alma.seed import load_institution
    from simulator.clock import FixedClock
    from simulator.errors import HarnessError

    assert {u.primary_id: u.full_name for u in world.institution(HVU).users.values()} == {
        "ada.reyes": "Ada Reyes", "omar.haddad": "Omar Haddad", "lena.park": "Lena Park"}
    twice = {"code": "01TEST", "name": "Test", "mms_suffix": "9999",
             "users": [{"primary_id": "pat"}, {"primary_id": "pat"}]}
    with pytest.raises(HarnessError, match="'pat' is listed twice"):
        load_institution(world, twice, {}, FixedClock())
