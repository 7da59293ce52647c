"""What happens to a PO line after it is created (ORDERING-RULES §5): approval from In Review, update
(swap-all), cancellation with a reason, receiving physical items, activating electronic portfolios.

Each operation runs under the institution's lock and checks everything before it changes anything.
Imports model, alerts, ordering (for the shared validation, fund planning and encumbering) and
simulator.errors/clock/money.
"""

from __future__ import annotations

from dataclasses import replace

from simulator.alma.model import Item, POLine, POLineDraft, POLineStatus, Portfolio, World
from simulator.alma.funds import encumber, net_price, plan_funds, refuse_or_alert
from simulator.alma.ordering import (
    missing_parts_text, owning_library, release_for_processing, select_profile, validate_hard,
)
from simulator.alma import alerts
from simulator.clock import Clock, alma_date
from simulator.errors import (
    AlmaError, CancelFailed, NoChargeNotAllowed, NotFound, POLineAlreadyCancelled, POLineNotFound,
    ReceiveFailed, UpdateFailed,
)
from simulator.money import cents

FINISHED = (POLineStatus.CANCELLED, POLineStatus.CLOSED)
BIB_ACTIONS = ("retain", "suppress", "delete")


def get_po_line(world: World, institution_code: str, number: str) -> POLine:
    institution = world.institution(institution_code)
    line = institution.po_lines.get(number)
    if line is None:
        raise POLineNotFound(f"PO Line {number} not found in {institution.name}.")
    return line


def approve(world: World, institution_code: str, number: str, clock: Clock) -> POLine:
    """The librarian approves a line from the In Review task list. It must now be complete and its funds
    valid and able to cover it [decision: approval applies all three fund checks as blocking]."""
    institution = world.institution(institution_code)
    with institution.lock:
        line = get_po_line(world, institution_code, number)
        if line.status is not POLineStatus.IN_REVIEW:
            raise UpdateFailed(f"Failed to update PO Line {number}: it is {line.status.value}, not In Review.")
        draft = line.draft
        vendor = institution.vendors.get(draft.vendor)
        missing = missing_parts_text(draft, vendor)
        if missing:
            raise UpdateFailed(f"Failed to update PO Line {number}: {missing}")
        net = net_price(institution, draft, vendor)
        funds = plan_funds(institution, draft, owning_library(institution, draft), net)
        try:
            refuse_or_alert(select_profile(institution, line.profile or None, vendor), funds, block_all=True)
        except AlmaError as refusal:
            raise UpdateFailed(f"Failed to update PO Line {number}: {refusal.message}") from None
        line.alerts = [a for a in line.alerts if not a.review]
        line.net_price = net
        release_for_processing(institution, line, funds, clock)
        return line


def update(world: World, institution_code: str, number: str, new: POLineDraft, clock: Clock) -> POLine:
    """PUT is swap-all: the new draft replaces the old; what it leaves out goes back to its default.
    The bib and the inventory stay; an encumbered line is re-encumbered with the new price and funds."""
    institution = world.institution(institution_code)
    with institution.lock:
        line = get_po_line(world, institution_code, number)
        if line.status in FINISHED:
            raise UpdateFailed(f"Failed to update PO Line {number}: it is {line.status.value.lower()}.")
        if line.po_number and new.vendor != line.draft.vendor:
            raise UpdateFailed(f"Failed to update PO Line {number}: the vendor can only change before the PO "
                               f"is sent ({line.po_number} was sent to {line.draft.vendor}).")
        new = replace(new, number=number, resource=replace(new.resource, mms_id=line.mms_id),
                      locations=line.draft.locations if not new.locations else _keep_inventory(line, new),
                      source_type=line.draft.source_type,
                      assign_inventory_manually=line.draft.assign_inventory_manually)
        try:
            validate_hard(institution, replace(new, number=""))
        except NoChargeNotAllowed:
            raise
        except AlmaError as refusal:
            raise UpdateFailed(f"Failed to update PO Line {number}: {refusal.message}") from None
        vendor = institution.vendors.get(new.vendor)
        net = net_price(institution, new, vendor)
        funds = plan_funds(institution, new, owning_library(institution, new), net)
        if line.status is POLineStatus.IN_REVIEW:
            kept = [a for a in line.alerts if not a.review]
            profile = select_profile(institution, line.profile or None, vendor)
            line.alerts = kept + alerts.missing_parts(new, vendor) + refuse_or_alert(
                replace(profile, block_invalid_fund_code=False, block_not_fully_funded=False,
                        block_insufficient_balance=False), funds)
            if new.requires_manual_review:
                line.alerts.append(alerts.MANUAL_REVIEW)
        else:
            _reencumber(institution, line, funds, number)
        line.draft, line.net_price = new, net
        line.status_date = alma_date(clock.now())
        return line


def _keep_inventory(line: POLine, new: POLineDraft):
    """Locations in a PUT keep the holdings and items already ordered for the same library and location."""
    ordered = {(loc.library, loc.location): loc for loc in line.draft.locations}
    return [ordered.get((loc.library, loc.location), loc) for loc in new.locations]


def _reencumber(institution, line: POLine, funds, number: str) -> None:
    if funds.problems:
        raise UpdateFailed(f"Failed to update PO Line {number}: {funds.problems[0][2]}")
    held = {e.fund: e.amount for e in line.encumbrances}
    for code, amount in funds.charges.items():
        fund = institution.funds[code]
        if not fund.can_cover(amount - held.get(code, 0)):
            raise UpdateFailed(f"Failed to update PO Line {number}: fund {code} has {fund.available:.2f} "
                               f"{fund.currency} available; the change needs {cents(amount - held.get(code, 0)):.2f}.")
    for enc in line.encumbrances:
        institution.funds[enc.fund].release(enc.amount)
    line.encumbrances = []
    encumber(institution, line, funds.charges)


def cancel(world: World, institution_code: str, number: str, reason: str, clock: Clock, *, comment: str = "",
           bib: str = "retain") -> POLine:
    """Cancelling (DELETE) needs a reason from the cancellation reasons table; it releases the encumbrance,
    withdraws items not yet received and frees the portfolio. Cancelling twice → 401884."""
    institution = world.institution(institution_code)
    with institution.lock:
        line = get_po_line(world, institution_code, number)
        if line.status is POLineStatus.CANCELLED:
            raise POLineAlreadyCancelled(f"PO Line {number} already cancelled.")
        if not reason:
            raise CancelFailed(f"Failed to cancel the PO Line {number}: a cancellation reason is required.")
        if reason not in institution.cancellation_reasons:
            known = ", ".join(institution.cancellation_reasons)
            raise CancelFailed(f"Failed to cancel the PO Line {number}: {reason!r} is not a cancellation reason "
                               f"({known}).")
        if bib not in BIB_ACTIONS:
            raise CancelFailed(f"Failed to cancel the PO Line {number}: bib must be one of {', '.join(BIB_ACTIONS)}.")
        for enc in line.encumbrances:
            institution.funds[enc.fund].release(enc.amount)
        line.encumbrances = []
        for location in line.draft.locations:
            for item_id in location.item_ids:
                item = institution.items.get(item_id)
                if item is not None and not item.received:
                    del institution.items[item_id]
        for pid in line.portfolio_ids:
            portfolio = institution.portfolios.get(pid)
            if portfolio is None:
                continue
            if portfolio.po_line == number:
                portfolio.po_line = ""
            if number in portfolio.additional_po_lines:
                portfolio.additional_po_lines.remove(number)
        line.status = POLineStatus.CANCELLED
        line.status_date = alma_date(clock.now())
        line.cancellation_reason, line.cancellation_comment = reason, comment
        _standalone_bib(institution, line, bib)
        return line


def _standalone_bib(institution, line: POLine, action: str) -> None:
    """retain / suppress / delete the bib, only when nothing else uses it."""
    if action == "retain":
        return
    others = [n for n in institution.po_lines_by_bib.get(line.mms_id, ()) if n != line.number
              and institution.po_lines[n].status is not POLineStatus.CANCELLED]
    in_use = others or institution.holdings_by_bib.get(line.mms_id) or institution.portfolios_by_bib.get(line.mms_id)
    bib = institution.catalogue.bibs.get(line.mms_id)
    if in_use or bib is None:
        return
    if action == "suppress":
        institution.catalogue.suppress(line.mms_id)
    else:
        institution.catalogue.remove(line.mms_id)


def receive(world: World, institution_code: str, number: str, clock: Clock, *, item_id: str = "",
            receive_date: str = "") -> Item:
    """Receive an ordered item (or, with no item id, add a new item to the line and receive it). When every
    item of the line is received, the line waits for its invoice."""
    institution = world.institution(institution_code)
    with institution.lock:
        line = get_po_line(world, institution_code, number)
        if line.status in FINISHED or line.status is POLineStatus.IN_REVIEW:
            raise ReceiveFailed(f"Failed to receive PO Line {number}: it is {line.status.value}.")
        if not line.draft.locations:
            raise ReceiveFailed(f"Failed to receive PO Line {number}: it orders no physical items.")
        when = receive_date or alma_date(clock.now())
        if item_id:
            item = institution.items.get(item_id)
            if item is None or item.po_line != number:
                raise POLineNotFound(f"Failed to find the item {item_id} on PO Line {number}.")
            if item.received:
                raise ReceiveFailed(f"Failed to receive PO Line {number}: item {item_id} was received on "
                                    f"{item.receive_date}.")
        else:
            first = line.draft.locations[0]
            item = Item(id=institution.new_id("23"), holding_id=first.holding_id, mms_id=line.mms_id,
                        po_line=number, barcode=institution.new_barcode())
            institution.items[item.id] = item
            first.item_ids.append(item.id)
        item.received, item.receive_date = True, when
        items = [institution.items[i] for loc in line.draft.locations for i in loc.item_ids if i in institution.items]
        if items and all(i.received for i in items):
            line.status = POLineStatus.WAITING_FOR_INVOICE
            line.status_date = alma_date(clock.now())
        return item


def activate_portfolio(world: World, institution_code: str, portfolio_id: str, clock: Clock) -> Portfolio:
    """Make an ordered portfolio available; a one-time line whose portfolio is active waits for its invoice."""
    institution = world.institution(institution_code)
    with institution.lock:
        portfolio = institution.portfolios.get(portfolio_id)
        if portfolio is None:
            raise NotFound(f"Failed to find the Portfolio ID {portfolio_id}.", code="60123")
        portfolio.available = True
        line = institution.po_lines.get(portfolio.po_line)
        if line is not None and line.status not in FINISHED and line.status is not POLineStatus.IN_REVIEW:
            line.status = POLineStatus.WAITING_FOR_INVOICE
            line.status_date = alma_date(clock.now())
        return portfolio
