"""ORDERING-RULES §7 — closing: a one-time line closes when fully invoiced and fully received (physical) or
activated (electronic: activation task Done); a continuous line waits for renewal instead; the PO follows its
lines; a shelf-ready order (items with the vendor's barcodes) is received by scanning a barcode."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulator.alma import invoices, lifecycle
from simulator.alma.model import OrderedLocation, POLineStatus
from simulator.errors import AlmaError

from .conftest import HVU, ebook_draft, print_draft, usd
from .rule_7_helpers import invoice_for, sent, trace


def _receive_all(world, clock, line):
    for loc in line.draft.locations:
        for item_id in loc.item_ids:
            lifecycle.receive(world, HVU, line.number, clock, item_id=item_id)


def test_received_then_invoiced_closes_and_the_po_follows(world, hvu, clock):
    line = sent(world, clock, print_draft())
    _receive_all(world, clock, line)
    assert line.status is POLineStatus.WAITING_FOR_INVOICE
    clock.advance(days=3)
    invoice_for(world, clock, [line])
    assert (line.status, line.status_date) == (POLineStatus.CLOSED, "2026-09-04Z")
    assert hvu.purchase_orders[line.po_number].status == "CLOSED"


def test_invoiced_then_received_closes_too(world, hvu, clock):
    """§7: the order of events does not matter; a partly received line stays open until the last item."""
    line = sent(world, clock, print_draft(locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=2)]))
    invoice_for(world, clock, [line])
    assert line.status is POLineStatus.SENT and line.fully_invoiced
    first, second = line.draft.locations[0].item_ids
    lifecycle.receive(world, HVU, line.number, clock, item_id=first)
    assert line.status is POLineStatus.SENT
    lifecycle.receive(world, HVU, line.number, clock, item_id=second)
    assert line.status is POLineStatus.CLOSED
    with pytest.raises(AlmaError) as refusal:  # a closed line receives nothing more
        lifecycle.receive(world, HVU, line.number, clock)
    assert refusal.value.code == "401877"


def test_an_electronic_line_closes_once_its_activation_is_done(world, hvu, clock):
    line = sent(world, clock, ebook_draft())
    invoice_for(world, clock, [line])
    assert line.status is POLineStatus.SENT  # invoiced, portfolio not yet available
    lifecycle.activate_portfolio(world, HVU, line.portfolio_ids[0], clock)
    assert line.status is POLineStatus.CLOSED


def test_a_partial_invoice_does_not_close(world, clock):
    """§7: a line invoiced without "fully invoiced" waits for its invoice, even when received."""
    line = sent(world, clock, print_draft(price=usd(50)))
    _receive_all(world, clock, line)
    invoice_for(world, clock, [line], fully_invoiced=False)
    assert line.status is POLineStatus.WAITING_FOR_INVOICE and not line.fully_invoiced
    assert [(e.fund, e.amount) for e in line.encumbrances] == []  # the whole price was expended
    invoice_for(world, clock, [line], number="GOBI-INV-2", total=Decimal(0), process=False)
    inv = invoices.list_invoices(world, HVU, number="GOBI-INV-2")[0]
    invoices.update_invoice_line(world, HVU, inv.id, inv.lines[0].id,
                                 invoices.InvoiceLineDraft(po_line=line.number, price=Decimal(0)), clock)
    invoices.invoice_operation(world, HVU, inv.id, "process_invoice", clock)
    assert line.status is POLineStatus.CLOSED


def test_a_continuous_line_waits_for_renewal_instead_of_closing(world, hvu, clock):
    """§7: a subscription received and invoiced goes to Waiting for Renewal, never Closed; its PO stays open."""
    line = sent(world, clock, print_draft(type="PRINTED_JOURNAL_CO", price=usd(120)))
    _receive_all(world, clock, line)
    invoice_for(world, clock, [line], subscription_from="2027-01-01", subscription_to="2027-12-31")
    assert line.status is POLineStatus.WAITING_FOR_RENEWAL
    assert hvu.purchase_orders[line.po_number].status == "SENT"


def test_a_rejected_invoice_reopens_the_line(world, hvu, clock):
    """§7 [decision]: when the ERP rejects the invoice that closed a line, the line waits for its invoice again."""
    line = sent(world, clock, print_draft())
    _receive_all(world, clock, line)
    invoice = invoice_for(world, clock, [line])
    invoices.invoice_operation(world, HVU, invoice.id, "mark_in_erp", clock)
    assert line.status is POLineStatus.CLOSED
    invoices.invoice_operation(world, HVU, invoice.id, "rejected", clock, note="Duplicate payment")
    assert line.status is POLineStatus.WAITING_FOR_INVOICE
    assert hvu.purchase_orders[line.po_number].status == "SENT"


def test_a_po_whose_lines_are_all_cancelled_is_cancelled(world, hvu, clock):
    line = sent(world, clock, print_draft())
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    assert hvu.purchase_orders[line.po_number].status == "CANCELLED"


def test_a_shelf_ready_item_is_received_by_scanning_its_barcode(world, hvu, clock):
    """§7: the vendor's barcodes go on the ordered items; scanning one receives that item of that line."""
    line = sent(world, clock, print_draft(locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=2)]))
    items = lifecycle.shelf_ready_barcodes(world, HVU, line.number, ["GOBI0000123", "GOBI0000124"])
    assert [i.barcode for i in items] == ["GOBI0000123", "GOBI0000124"]
    received = lifecycle.receive_by_barcode(world, HVU, " GOBI0000124 ", clock)
    assert received.id == items[1].id and received.received and not items[0].received
    lifecycle.receive_by_barcode(world, HVU, "GOBI0000123", clock)
    assert line.status is POLineStatus.WAITING_FOR_INVOICE
    with pytest.raises(AlmaError) as refusal:
        lifecycle.receive_by_barcode(world, HVU, "GOBI0000123", clock)
    assert refusal.value.code == "401877"


@pytest.mark.parametrize(("barcodes", "why"), [
    (["A1", "A2", "A3"], "3 barcodes for 2 unreceived items"),
    (["A1", "A1"], "already in use"),
    (["A1", ""], "empty barcode"),
])
def test_shelf_ready_barcodes_are_refused_whole(world, hvu, clock, barcodes, why):
    line = sent(world, clock, print_draft(locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=2)]))
    before = [hvu.items[i].barcode for i in line.draft.locations[0].item_ids]
    with pytest.raises(AlmaError) as refusal:
        lifecycle.shelf_ready_barcodes(world, HVU, line.number, barcodes)
    assert refusal.value.code == "401876" and why in refusal.value.message
    assert [hvu.items[i].barcode for i in line.draft.locations[0].item_ids] == before


def test_an_unknown_barcode_is_refused(world, hvu, clock):
    before = trace(hvu)
    with pytest.raises(AlmaError) as refusal:
        lifecycle.receive_by_barcode(world, HVU, "NOT-A-BARCODE", clock)
    assert refusal.value.code == "401877" and trace(hvu) == before
