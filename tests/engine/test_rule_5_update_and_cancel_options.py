"""ORDERING-RULES §5, the documented options of PUT and DELETE: update_inventory (holdings and items follow the
new locations and quantities; received items are never withdrawn), redistribute_funds (the new price spread over
the existing funds in the same proportions), override and inform_vendor on cancel."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from simulator.alma import lifecycle
from simulator.alma.model import FundShare, OrderedLocation, POLineStatus
from simulator.errors import CancelFailed, UpdateFailed

from .conftest import HVU, print_draft, snapshot, usd


def _items(hvu, line):
    return [hvu.items[i] for loc in line.draft.locations for i in loc.item_ids if i in hvu.items]


def _at(library: str, location: str, quantity: int) -> OrderedLocation:
    return OrderedLocation(library=library, location=location, quantity=quantity)


def test_raising_the_quantity_orders_more_items(world, hvu, order, clock):
    line = order(print_draft())
    lifecycle.update(world, HVU, line.number, replace(line.draft, locations=[_at("MAIN", "STACKS", 3)]), clock)
    assert len(_items(hvu, line)) == 3 and all(i.po_line == line.number for i in _items(hvu, line))


def test_lowering_the_quantity_withdraws_unreceived_items(world, hvu, order, clock):
    line = order(print_draft(locations=[_at("MAIN", "STACKS", 3)]))
    lifecycle.receive(world, HVU, line.number, clock, item_id=line.draft.locations[0].item_ids[0])
    lifecycle.update(world, HVU, line.number, replace(line.draft, locations=[_at("MAIN", "STACKS", 1)]), clock)
    items = _items(hvu, line)
    assert len(items) == 1 and items[0].received  # the received one stays


def test_the_quantity_cannot_go_below_the_received_items_and_nothing_changes(world, hvu, order, clock):
    line = order(print_draft(locations=[_at("MAIN", "STACKS", 2)]))
    for item_id in list(line.draft.locations[0].item_ids):
        lifecycle.receive(world, HVU, line.number, clock, item_id=item_id)
    before = snapshot(hvu)
    with pytest.raises(UpdateFailed) as refused:
        lifecycle.update(world, HVU, line.number, replace(line.draft, locations=[_at("MAIN", "STACKS", 1)]), clock)
    assert refused.value.code == "401876" and "already received" in refused.value.message
    assert snapshot(hvu) == before


def test_a_new_location_gets_its_holding_and_items_and_a_removed_one_withdraws_them(world, hvu, order, clock):
    line = order(print_draft(locations=[_at("MAIN", "STACKS", 1)]))
    old_item = line.draft.locations[0].item_ids[0]
    lifecycle.update(world, HVU, line.number, replace(line.draft, locations=[_at("SCI", "STACKS", 2)]), clock)
    assert old_item not in hvu.items
    [location] = line.draft.locations
    assert (location.library, len(location.item_ids)) == ("SCI", 2)
    assert hvu.holdings[location.holding_id].library == "SCI"


def test_without_update_inventory_the_items_stay_as_they_were(world, hvu, order, clock):
    line = order(print_draft(locations=[_at("MAIN", "STACKS", 1)]))
    before = {i.id for i in _items(hvu, line)}
    lifecycle.update(world, HVU, line.number, replace(line.draft, locations=[_at("MAIN", "STACKS", 4)]), clock,
                     update_inventory=False)
    assert {i.id for i in _items(hvu, line)} == before and line.draft.locations[0].quantity == 4


def test_redistribute_funds_keeps_the_proportions_of_the_existing_funds(world, hvu, order, clock):
    line = order(print_draft(price=usd(100), funds=[FundShare(fund="HIST-MONO", amount=usd(60)),
                                                    FundShare(fund="ENGL-MONO", amount=usd(40))]))
    pricier = replace(line.draft, price=usd(200), funds=[FundShare(fund="SERIALS", amount=usd(200))])
    lifecycle.update(world, HVU, line.number, pricier, clock, redistribute_funds=True)
    assert {e.fund: e.amount for e in line.encumbrances} == {"HIST-MONO": Decimal("120.00"),
                                                           "ENGL-MONO": Decimal("80.00")}
    assert hvu.funds["SERIALS"].encumbered == 0  # the payload's fund was ignored


def test_without_redistribute_funds_the_payloads_funds_are_used(world, hvu, order, clock):
    line = order(print_draft(price=usd(100)))
    lifecycle.update(world, HVU, line.number, replace(line.draft, funds=[FundShare(fund="SERIALS")]), clock)
    assert {e.fund for e in line.encumbrances} == {"SERIALS"}


def test_a_line_with_received_items_is_cancelled_only_with_override(world, hvu, order, clock):
    """[decision] override lets the cancellation go ahead; received items stay, unreceived are withdrawn."""
    line = order(print_draft(locations=[_at("MAIN", "STACKS", 2)]))
    received, waiting = line.draft.locations[0].item_ids
    lifecycle.receive(world, HVU, line.number, clock, item_id=received)
    with pytest.raises(CancelFailed) as refused:
        lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    assert refused.value.code == "401881" and line.status is not POLineStatus.CANCELLED
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock, override=True, inform_vendor=True)
    assert line.status is POLineStatus.CANCELLED and line.vendor_informed
    assert received in hvu.items and waiting not in hvu.items
    assert not line.encumbrances


def test_cancelling_a_print_order_with_bib_delete_removes_its_holding_and_its_brief_record(world, hvu, order, clock):
    """§5 cancel: the withdrawn items leave an empty holding, which goes too [decision]; the brief record the
    order created then has nothing left, so bib=delete deletes it."""
    line = order(print_draft(locations=[_at("MAIN", "NEWBK", 1)]))
    holding_id = line.draft.locations[0].holding_id
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock, bib="delete")
    assert holding_id not in hvu.holdings and line.mms_id not in hvu.catalogue.bibs


def test_a_holding_that_still_holds_another_lines_items_stays(world, hvu, order, clock):
    first = order(print_draft(locations=[_at("MAIN", "NEWBK", 1)]))
    second = order(print_draft(resource=replace(first.draft.resource, mms_id=first.mms_id),
                               locations=[_at("MAIN", "NEWBK", 1)]))
    shared = first.draft.locations[0].holding_id
    assert second.draft.locations[0].holding_id == shared
    lifecycle.cancel(world, HVU, first.number, "ORDERED_IN_ERROR", clock, bib="delete")
    assert shared in hvu.holdings and first.mms_id in hvu.catalogue.bibs
