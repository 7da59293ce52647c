"""Small builders shared by the ORDERING-RULES §7 engine tests (invoices, fund transactions, EDI, closing)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from simulator.alma import invoices, ordering
from simulator.alma.invoices import InvoiceDraft, InvoiceLineDraft
from simulator.alma.model import Institution, Invoice, POLine, World
from simulator.clock import Clock

from .conftest import HVU


def header(**changes) -> InvoiceDraft:
    """A complete GOBI invoice header for Hudson Valley (total 50.00 USD)."""
    fields: dict = {"number": "GOBI-INV-1", "invoice_date": "2026-09-10", "vendor": "GOBI",
                    "total_amount": Decimal("50.00"), "currency": "USD"}
    fields.update(changes)
    return InvoiceDraft(**fields)


def invoice_for(world: World, clock: Clock, lines: list[POLine], *, number: str = "GOBI-INV-1",
                total: Decimal | None = None, process: bool = True, **line_changes) -> Invoice:
    """An invoice paying each line its net price (total: their sum unless given), processed by default."""
    amounts = [line.net_price.amount if line.net_price else Decimal(0) for line in lines]
    invoice = invoices.create_invoice(world, HVU, header(number=number, total_amount=sum(amounts, Decimal(0))
                                                         if total is None else total), clock)
    for line, amount in zip(lines, amounts):
        invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(po_line=line.number, price=amount,
                                                                           **line_changes), clock)
    if process:
        invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)
    return invoice


def sent(world: World, clock: Clock, draft) -> POLine:
    """A real-time order placed at the vendor's system: Alma sends it at once (status SENT, on its own PO)."""
    return ordering.create_po_line(world, HVU, replace(draft, acquisition_method="VENDOR_SYSTEM"), clock)


def trace(institution: Institution) -> dict:
    """Everything an invoice or an EDI load could consume or change."""
    return {
        "invoices": {i.id: (i.workflow_status, len(i.lines), len(i.alerts), i.total_amount, i.number)
                     for i in institution.invoices.values()},
        "ids": institution.ids.next,
        "funds": {c: (len(f.transactions), f.encumbered, f.expended) for c, f in institution.funds.items()},
        "po_lines": {n: (l.status, l.fully_invoiced, tuple(l.invoices),
                         tuple((e.fund, e.amount) for e in l.encumbrances)) for n, l in institution.po_lines.items()},
        "outbox": {v: len(m) for v, m in institution.edi_outbox.items()},
    }
