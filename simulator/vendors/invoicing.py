"""The vendor's bill for what it shipped (ORDERING-RULES §7): one invoice per vendor order, each line paying the
PO line it shipped at the net price Alma holds for it.

GOBI-like and Oasis-like vendors (`invoicing = "edi"` in their profile) write their invoices as one EDIFACT
INVOIC interchange (simulator.edifact) and drop it on the institution's EDI account; each line carries
`RFF+LI` (Alma's PO line number) and `RFF+SLI` (the vendor's own order number), so Alma links it. The generic
vendor (`invoicing = "api"`) creates each invoice through Alma's invoice API, adds its lines and asks Alma to
process it. Either way Alma decides what happens next (approval, In Review with alerts). A serial (a subscription
or a standing order) is billed for the year it runs: its invoice line carries the subscription period, which
Alma requires on an invoice line of a continuous order (the EDI message's invoicing period, DTM+194/206).
Owns `Shipped` and `bill`. Imports simulator.backends (AlmaClient), simulator.edifact and the vendor profile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from simulator import edifact
from simulator.backends import AlmaClient
from simulator.vendors.profile import VendorProfile


@dataclass(frozen=True)
class Shipped:
    """One PO line the vendor shipped (or made available): what it bills."""

    po_line: str
    vendor_reference: str
    title: str
    quantity: int
    amount: Decimal  # the line's total, in `currency`
    currency: str
    subscription_from: str = ""  # a serial: the period billed, YYYY-MM-DD
    subscription_to: str = ""


@dataclass(frozen=True)
class Billed:
    """An invoice the vendor sent, as Alma answered it: its id, number and workflow status."""

    invoice_id: str
    number: str
    status: str
    lines: int


def invoice_numbers(vendor: VendorProfile, seed: int, count: int) -> list[str]:
    """The vendor's invoice numbers for a rehearsal: prefix, seed, running number (deterministic)."""
    prefix = vendor.name[:3].upper()
    return [f"{prefix}-{seed}-{n:05d}" for n in range(1, count + 1)]


def bill(alma: AlmaClient, vendor: VendorProfile, institution: str, orders: list[list[Shipped]], *, seed: int,
         date: str) -> list[Billed]:
    """Invoice every order (a list of shipped lines, one invoice each) the vendor's way; `date` is YYYY-MM-DD."""
    orders = [order for order in orders if order]
    if not orders:
        return []
    numbers = invoice_numbers(vendor, seed, len(orders))
    if vendor.invoicing == "edi":
        return _by_edi(alma, vendor, institution, orders, numbers, date)
    return [_by_api(alma, vendor, institution, order, number, date) for order, number in zip(orders, numbers)]


def _period(order: list[Shipped]) -> dict[str, str]:
    """The invoicing period of an EDI message: the first serial's subscription period (a cart's serials all start
    the day they are ordered), none for books."""
    serial = next((line for line in order if line.subscription_from), None)
    return {"period_start": serial.subscription_from, "period_end": serial.subscription_to} if serial else {}


def _total(order: list[Shipped]) -> Decimal:
    return sum((line.amount for line in order), Decimal("0.00"))


def _by_edi(alma: AlmaClient, vendor: VendorProfile, institution: str, orders: list[list[Shipped]], numbers: list[str],
            date: str) -> list[Billed]:
    code = vendor.setup(institution).vendor_code
    messages = [edifact.InvoicMessage(
        number=number, date=date, total=_total(order), currency=order[0].currency, buyer=institution, supplier=code,
        **_period(order), lines=[edifact.InvoicLine(number=str(i), quantity=line.quantity, amount=line.amount, po_line=line.po_line,
                                  vendor_reference=line.vendor_reference, title=line.title)
               for i, line in enumerate(order, 1)]) for order, number in zip(orders, numbers)]
    when = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(6, 30), tzinfo=dt.timezone.utc)
    text = edifact.write_invoices(messages, sender=code, recipient=institution, control=numbers[0].replace("-", ""),
                                  when=when)
    loaded = alma.send_edi_file(text, vendor=code, name=f"{vendor.name}-{numbers[0]}.edi")
    return [Billed(invoice_id=i["id"], number=i["number"], status=i["status"], lines=len(i["lines"]))
            for i in loaded["invoices"]]


def _by_api(alma: AlmaClient, vendor: VendorProfile, institution: str, order: list[Shipped], number: str,
            date: str) -> Billed:
    setup = vendor.setup(institution)
    invoice = alma.create_invoice({"number": number, "invoice_date": date, "vendor": {"value": setup.vendor_code},
                                   "total_amount": float(_total(order)), "currency": {"value": order[0].currency},
                                   **({"vendor_account": setup.vendor_account} if setup.vendor_account else {})})
    for line in order:
        period = {"subscription_from_date": f"{line.subscription_from}Z",
                  "subscription_to_date": f"{line.subscription_to}Z"} if line.subscription_from else {}
        alma.add_invoice_line(invoice["id"], {"po_line": line.po_line, "price": float(line.amount),
                                              "quantity": line.quantity, "additional_info": line.vendor_reference,
                                              "note": line.title, **period})
    processed = alma.invoice_operation(invoice["id"], "process_invoice")
    status = (processed.get("invoice_workflow_status") or {}).get("value", "")
    return Billed(invoice_id=invoice["id"], number=number, status=status, lines=len(order))
