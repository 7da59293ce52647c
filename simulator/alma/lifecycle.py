"""What happens to a PO line after it is created (ORDERING-RULES §5, §7): approval from In Review, update
(swap-all), cancellation with a reason (and the vendor's ORDCHG), receiving physical items (also by scanning a
shelf-ready barcode), activating electronic portfolios and collections (the line's activation task Done);
`closing` then decides whether the line is done.

Each operation runs under the institution's lock and checks everything before it changes anything.
Imports model, alerts, ordering (for the shared validation, fund planning and encumbering) and
simulator.errors/clock/money.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from simulator.alma.model import (
    FINISHED, ElectronicCollection, Institution, Inventory, Item, OrderedLocation, POLine, POLineDraft, POLineStatus, Portfolio, World,
)
from simulator.alma import closing, edi, letters
from simulator.alma.funds import encumber, net_price, plan_funds, refuse_or_alert, release, shares_in_proportion
from simulator.alma.ordering import (
    missing_parts_text, order_copies, owning_library, release_for_processing, select_profile, validate_hard,
)
from simulator.alma import alerts
from simulator.alma import renewals
from simulator.clock import Clock, alma_date
from simulator.errors import (
    AlmaError, CancelFailed, IllegalValue, NoChargeNotAllowed, NotFound, POLineAlreadyCancelled, POLineNotFound,
    ReceiveFailed, UpdateFailed,
)
from simulator.money import cents

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


def update(world: World, institution_code: str, number: str, new: POLineDraft, clock: Clock, *,
           update_inventory: bool = True, redistribute_funds: bool = False) -> POLine:
    """PUT is swap-all: the new draft replaces the old; what it leaves out goes back to its default. The bib
    stays; an encumbered line is re-encumbered with the new price and funds.

    update_inventory (Alma's default): a physical line's holdings and items follow the new locations and
    quantities — items are added, unreceived ones withdrawn, received ones never (that is refused). Without it
    only the PO line changes. redistribute_funds: the payload's funds are ignored and the new net price is spread
    over the line's existing funds in the same proportions."""
    institution = world.institution(institution_code)
    with institution.lock:
        line = get_po_line(world, institution_code, number)
        if line.status in FINISHED:
            raise UpdateFailed(f"Failed to update PO Line {number}: it is {line.status.value.lower()}.")
        if line.po_number and new.vendor != line.draft.vendor:
            raise UpdateFailed(f"Failed to update PO Line {number}: the vendor can only change before the PO "
                               f"is sent ({line.po_number} was sent to {line.draft.vendor}).")
        if redistribute_funds:
            new = replace(new, funds=shares_in_proportion(institution, line.draft, line.net_price))
        new = replace(new, number=number, resource=replace(new.resource, mms_id=line.mms_id),
                      source_type=line.draft.source_type,
                      assign_inventory_manually=line.draft.assign_inventory_manually)
        try:
            validate_hard(institution, replace(new, number=""))
        except NoChargeNotAllowed:
            raise
        except AlmaError as refusal:
            raise UpdateFailed(f"Failed to update PO Line {number}: {refusal.message}") from None
        physical = institution.po_line_types[new.type].inventory is Inventory.PHYSICAL
        if not new.locations:
            new = replace(new, locations=line.draft.locations)
            follow_inventory = None
        elif physical and update_inventory:
            follow_inventory = _inventory_update(institution, line, new.locations)  # checked now, applied last
        else:
            new = replace(new, locations=_keep_inventory(line, new))
            follow_inventory = None
        renewals.check_update(line, new)
        try:
            renewal_alerts = renewals.order_alerts(institution.po_line_types[new.type], new)
        except AlmaError as refusal:
            raise UpdateFailed(f"Failed to update PO Line {number}: {refusal.message}") from None
        vendor = institution.vendors.get(new.vendor)
        net = net_price(institution, new, vendor)
        funds = plan_funds(institution, new, owning_library(institution, new), net)
        if line.status is POLineStatus.IN_REVIEW:
            kept = [a for a in line.alerts if not a.review]
            profile = select_profile(institution, line.profile or None, vendor)
            line.alerts = kept + alerts.missing_parts(new, vendor) + renewal_alerts + refuse_or_alert(
                replace(profile, block_invalid_fund_code=False, block_not_fully_funded=False,
                        block_insufficient_balance=False), funds)
            if new.requires_manual_review:
                line.alerts.append(alerts.MANUAL_REVIEW)
        else:
            _reencumber(institution, line, funds, number, alma_date(clock.now()))
        if follow_inventory is not None:
            new = replace(new, locations=follow_inventory())
        line.draft, line.net_price = new, net
        line.status_date = alma_date(clock.now())
        renewals.after_update(institution, line, clock)
        return line


def _inventory_update(institution: Institution, line: POLine,
                      wanted: list[OrderedLocation]) -> Callable[[], list[OrderedLocation]]:
    """What a PUT with update_inventory does to holdings and items, checked before anything changes; the
    returned function carries it out. Each location keeps its received items; unreceived ones are added or
    withdrawn to match the new quantity; a location left out withdraws its unreceived items."""
    ordered = {(loc.library, loc.location): loc for loc in line.draft.locations}
    targets: list[tuple[OrderedLocation, list[Item]]] = []
    for loc in wanted:
        where = (loc.library, loc.location or institution.libraries[loc.library].default_location.code)
        before = ordered.pop(where, None)
        items = [institution.items[i] for i in (before.item_ids if before else ()) if i in institution.items]
        received = sum(item.received for item in items)
        if loc.quantity < received:
            raise UpdateFailed(f"Failed to update PO Line {line.number}: {received} items at {where[0]}/{where[1]} "
                               f"are already received; the quantity cannot go below that.")
        target = OrderedLocation(library=where[0], location=where[1], quantity=loc.quantity,
                                 item_policy=loc.item_policy, holding_id=before.holding_id if before else "",
                                 item_ids=[item.id for item in items])
        targets.append((target, items))
    for left_out in ordered.values():
        if any(institution.items[i].received for i in left_out.item_ids if i in institution.items):
            raise UpdateFailed(f"Failed to update PO Line {line.number}: items at {left_out.library}/"
                               f"{left_out.location} are already received; that location cannot be removed.")

    def carry_out() -> list[OrderedLocation]:
        for left_out in ordered.values():
            _withdraw(institution, left_out.item_ids, len(left_out.item_ids))
        for target, items in targets:
            extra = len(items) - target.quantity
            if extra > 0:
                _withdraw(institution, target.item_ids, extra)
            else:
                order_copies(institution, line.mms_id, target, line.number, count=-extra)
        return [target for target, _ in targets]
    return carry_out


def _withdraw(institution: Institution, item_ids: list[str], count: int) -> None:
    """Withdraw up to `count` unreceived items, newest first, from the list and from the institution."""
    for item_id in reversed(list(item_ids)):
        if count == 0:
            return
        item = institution.items.get(item_id)
        if item is None or not item.received:
            institution.items.pop(item_id, None)
            item_ids.remove(item_id)
            count -= 1


def _keep_inventory(line: POLine, new: POLineDraft) -> list[OrderedLocation]:
    """Without update_inventory the line's locations change, but holdings and items stay as they were: a location
    already ordered keeps its holding and items."""
    ordered = {(loc.library, loc.location): loc for loc in line.draft.locations}
    kept = []
    for loc in new.locations:
        before = ordered.get((loc.library, loc.location))
        kept.append(replace(loc, holding_id=before.holding_id, item_ids=list(before.item_ids)) if before else loc)
    return kept


def _reencumber(institution, line: POLine, funds, number: str, today: str) -> None:
    if funds.problems:
        raise UpdateFailed(f"Failed to update PO Line {number}: {funds.problems[0][2]}")
    held = {e.fund: e.amount for e in line.encumbrances}
    for code, amount in funds.charges.items():
        fund = institution.funds[code]
        if not fund.can_cover(amount - held.get(code, 0)):
            raise UpdateFailed(f"Failed to update PO Line {number}: fund {code} has {fund.available:.2f} "
                               f"{fund.currency} available; the change needs {cents(amount - held.get(code, 0)):.2f}.")
    release(institution, line, today)
    encumber(institution, line, funds.charges, today)


def cancel(world: World, institution_code: str, number: str, reason: str, clock: Clock, *, comment: str = "",
           bib: str = "retain", override: bool = False, inform_vendor: bool = False) -> POLine:
    """Cancelling (DELETE) needs a reason from the cancellation reasons table; it releases the encumbrance,
    withdraws items not yet received and frees the portfolio. Cancelling twice → 401884. A line with items
    already received is cancelled only with `override` [decision]; received items stay. `inform_vendor` is
    kept on the line; when the vendor takes EDI cancellations it is sent an ORDCHG message for the line
    (`edi.send_cancellation`), otherwise nothing is sent (Alma would email) [decision]."""
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
        received = sum(1 for loc in line.draft.locations for i in loc.item_ids
                       if i in institution.items and institution.items[i].received)
        if received and not override:
            raise CancelFailed(f"Failed to cancel the PO Line {number}: {received} of its items are already "
                               f"received. Cancel with override to keep them and cancel the rest.")
        release(institution, line, alma_date(clock.now()))
        for location in line.draft.locations:
            for item_id in location.item_ids:
                item = institution.items.get(item_id)
                if item is not None and not item.received:
                    del institution.items[item_id]
        _drop_emptied_holdings(institution, {loc.holding_id for loc in line.draft.locations if loc.holding_id})
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
        line.vendor_informed = inform_vendor
        _standalone_bib(institution, line, bib)
        closing.follow_lines(institution, line.po_number)
        if inform_vendor:
            edi.send_cancellation(institution, line, clock)
        letters.on_cancel(institution, line, clock)  # interested users who asked to be told
        return line


def _drop_emptied_holdings(institution: Institution, holding_ids: set[str]) -> None:
    """A holding the cancellation left without any item goes too: no empty holding stays behind an order that
    was never placed [decision]."""
    still_used = {item.holding_id for item in institution.items.values() if item.holding_id in holding_ids}
    for holding_id in holding_ids - still_used:
        if holding_id in institution.holdings:
            institution.remove_holding(holding_id)


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
        closing.settle(institution, line, clock)
        letters.on_receipt(institution, line, item, clock)  # interested users: letters, hold requests
        return item


def receive_by_barcode(world: World, institution_code: str, barcode: str, clock: Clock, *,
                       receive_date: str = "") -> Item:
    """Scanning an item's barcode at receiving: a shelf-ready item arrives with the vendor's barcode on it, and
    the scan finds its item and PO line [D, after-ordering.md]. An unknown barcode → 401877 [decision]."""
    institution = world.institution(institution_code)
    with institution.lock:
        wanted = barcode.strip()
        item = next((i for i in institution.items.values() if i.barcode == wanted and i.po_line), None)
        if not wanted or item is None:
            raise ReceiveFailed(f"Failed to receive: no ordered item has the barcode {barcode!r}.")
        return receive(world, institution_code, item.po_line, clock, item_id=item.id, receive_date=receive_date)


def shelf_ready_barcodes(world: World, institution_code: str, number: str, barcodes: list[str]) -> list[Item]:
    """The vendor's shelf-ready service: its barcodes go on the line's unreceived items, in order, replacing the
    barcodes Alma gave them. Refused whole (401876) when there are more barcodes than unreceived items, or a
    barcode is empty, repeated or already on another item [decision]."""
    institution = world.institution(institution_code)
    with institution.lock:
        line = get_po_line(world, institution_code, number)
        items = [institution.items[i] for loc in line.draft.locations for i in loc.item_ids
                 if i in institution.items and not institution.items[i].received]
        wanted = [b.strip() for b in barcodes]
        taken = {i.barcode for i in institution.items.values() if i not in items}
        problem = ""
        if len(wanted) > len(items):
            problem = f"{len(wanted)} barcodes for {len(items)} unreceived items"
        elif any(not b for b in wanted):
            problem = "an empty barcode"
        elif len(set(wanted)) < len(wanted) or taken & set(wanted):
            problem = "a barcode already in use"
        if problem:
            raise UpdateFailed(f"Failed to update PO Line {number}: {problem}.")
        for item, code in zip(items, wanted):
            item.barcode = code
        return items[:len(wanted)]


def activate_portfolio(world: World, institution_code: str, portfolio_id: str, clock: Clock) -> Portfolio:
    """Make an ordered portfolio available; a one-time line whose portfolio is active waits for its invoice."""
    return change_portfolio(world, institution_code, portfolio_id, clock, available=True)


def change_portfolio(world: World, institution_code: str, portfolio_id: str, clock: Clock, *,
                     available: bool | None = None, po_line: str | None = None,
                     access_model: str | None = None) -> Portfolio:
    """What a librarian (or PUT /bibs/{mms_id}/portfolios/{id}) changes on a portfolio: its availability, its
    ordering PO line and its access model. Everything is checked before anything changes."""
    institution = world.institution(institution_code)
    with institution.lock:
        portfolio = institution.portfolios.get(portfolio_id)
        if portfolio is None:
            raise NotFound(f"Failed to find the Portfolio ID {portfolio_id}.", code="60123")
        if po_line and po_line not in institution.po_lines:
            raise NotFound(f"The PO line reference is not valid: {institution.name} has no PO line {po_line}.",
                           code="60172")
        if access_model and access_model not in institution.access_models:
            raise IllegalValue(f"Given access_model is illegal: {access_model!r}.")
        if po_line is not None:
            portfolio.po_line = po_line
        if access_model:
            portfolio.access_model = access_model
        activated = available is True and not portfolio.available
        if available is not None:
            portfolio.available = available
        line = institution.po_lines.get(portfolio.po_line)
        if available is not None and line is not None and line.status is not POLineStatus.CANCELLED:
            # Making the portfolio available is the line's activation task Done — also for a portfolio that was
            # available before the order found it (closing: the line's own task must be Done [decision]).
            done_now = available is True and not line.activation_done
            if done_now:
                line.activation_done = True
            closing.settle(institution, line, clock)
            if activated or done_now:  # the activation task is Done: interested users are told (once)
                letters.on_activation(institution, line, portfolio, clock)
        return portfolio


def activate_collection(world: World, institution_code: str, collection_id: str, clock: Clock) -> ElectronicCollection:
    """The librarian finishes the Activation Wizard of an electronic collection (Knowledge Center, "Activating
    Electronic Resources and the Activation Task List": a collection is activated through the wizard, a
    portfolio by a confirmation). The collection is active afterwards, and for every line ordering it whose
    activation task is not yet Done, it now is: the line is settled (Waiting for Invoice, Closed or Recurring
    Renewal) and its interested users are sent the Interested In Letter, once [decision: the simulator keeps
    no activation task of its own; activating the collection again is how a librarian marks a later line's
    task Done]. An unknown collection → 60121, as the electronic API answers."""
    institution = world.institution(institution_code)
    with institution.lock:
        collection = institution.collections.get(collection_id)
        if collection is None:
            raise NotFound(f"Collection ID {collection_id} not found.", code="60121")
        collection.active = True
        for line in list(institution.po_lines.values()):
            if line.collection_id != collection.id or line.activation_done or line.status is POLineStatus.CANCELLED:
                continue
            line.activation_done = True
            closing.settle(institution, line, clock)
            letters.on_collection_activation(institution, line, collection, clock)
        return collection
