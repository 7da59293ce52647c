"""How a PO line finishes (ORDERING-RULES §7, "Closing"): a one-time line closes once it is fully invoiced and
fully received (physical) or activated (electronic); a continuous line waits for renewal (RECURRING_RENEWAL) once
received or activated, whether invoiced or not (renewals.py takes it on from there); a PO follows
its lines. `settle` is called by whatever can complete a line — receiving, activation, an invoice's approval or
its rejection — and decides the line's status from the facts alone, so the order of events does not matter.

Received: every item of every ordered location is received. Activated: every portfolio of the line is
available (its activation task Done) — an electronic line linked to the bib only is not activated until a
portfolio is [decision]; a line that orders no inventory (License Upgrade, services) has nothing to wait for
[decision].

Something the institution already had active is not activated for a new order by being active: the line's
own activation task must be Done (`POLine.activation_done`, set by lifecycle's activations). This holds for
a portfolio the order found in the institution (`portfolio_outcome` "iz", already available before the
order) and for an electronic collection (found, activated from the Community Zone or created by the order —
every collection is active in the simulator). The Knowledge Center says a one-time electronic line closes
only once its activation task is Done, and that a resource already activated without a Done task leaves the
line open until a librarian creates the task and marks it Done ("POL for electronic resource not closed
although activated and fully invoiced"); that the order itself makes no Done task for what is already
active is our reading of it [decision].
Imports model and simulator.clock.
"""

from __future__ import annotations

from simulator.alma.model import Institution, Inventory, POLine, POLineStatus
from simulator.clock import Clock, alma_date

#: `POLine.portfolio_outcome` of a line whose portfolio the order found in the institution (portfolio_search).
FOUND_IN_INSTITUTION = "iz"

# Statuses a line can leave again when one of its facts changes (a rejected invoice, a new unreceived item).
_SETTLED = (POLineStatus.WAITING_FOR_INVOICE, POLineStatus.RECURRING_RENEWAL, POLineStatus.CLOSED)


def received_or_activated(institution: Institution, line: POLine) -> bool:
    """Everything the line ordered has arrived: items received, portfolios active."""
    line_type = institution.po_line_types.get(line.draft.type)
    kind = line_type.inventory if line_type else Inventory.NONE
    if kind is Inventory.PHYSICAL:
        items = [institution.items[i] for loc in line.draft.locations for i in loc.item_ids if i in institution.items]
        return bool(items) and all(item.received for item in items)
    if kind is Inventory.ELECTRONIC:
        portfolios = [institution.portfolios[p] for p in line.portfolio_ids if p in institution.portfolios]
        if line.portfolio_outcome == FOUND_IN_INSTITUTION and not line.activation_done:
            return False  # available before the order: its own activation task is not Done yet
        return bool(portfolios) and all(p.available for p in portfolios)
    if kind is Inventory.COLLECTION:
        collection = institution.collections.get(line.collection_id)
        return collection is not None and collection.active and line.activation_done
    return True


def settle(institution: Institution, line: POLine, clock: Clock) -> None:
    """Put the line in the status its facts call for, and its PO in the status its lines call for."""
    if line.status in (POLineStatus.CANCELLED, POLineStatus.IN_REVIEW, POLineStatus.WAITING_FOR_MANUAL_RENEWAL):
        return
    done = received_or_activated(institution, line)
    line_type = institution.po_line_types.get(line.draft.type)
    continuous = line_type is not None and line_type.continuous
    if continuous and line.status is POLineStatus.CLOSED:
        return  # the renewal job (or a person) ended the subscription: an invoice does not reopen it
    if done and continuous:  # after receipt or activation a continuous line waits for renewal, invoiced or not
        wanted = POLineStatus.RECURRING_RENEWAL
    elif done and line.fully_invoiced:
        wanted = POLineStatus.CLOSED
    elif done:
        wanted = POLineStatus.WAITING_FOR_INVOICE
    elif line.status in _SETTLED:  # it was done and is not any more: back to where an open line waits
        wanted = POLineStatus.SENT if line.po_number else POLineStatus.AUTO_PACKAGING
    else:
        wanted = line.status
    if wanted is not line.status:
        line.status = wanted
        line.status_date = alma_date(clock.now())
    follow_lines(institution, line.po_number)


def follow_lines(institution: Institution, po_number: str) -> None:
    """A PO is closed when every line on it is closed or cancelled (and not all cancelled) [decision: a PO whose
    lines are all cancelled is CANCELLED]; otherwise it stays SENT."""
    po = institution.purchase_orders.get(po_number) if po_number else None
    if po is None:
        return
    statuses = [institution.po_lines[n].status for n in po.po_lines if n in institution.po_lines]
    if statuses and all(s is POLineStatus.CANCELLED for s in statuses):
        po.status = "CANCELLED"
    elif statuses and all(s in (POLineStatus.CLOSED, POLineStatus.CANCELLED) for s in statuses):
        po.status = "CLOSED"
    else:
        po.status = "SENT"
