"""Alma's EDI account with each vendor (ORDERING-RULES §7): loading a vendor's EDIFACT INVOIC file as invoices,
and the outbox of what Alma sends a vendor by EDI (ORDCHG cancellations). The format itself is
`simulator.edifact`; this module decides what the messages mean in Alma's world.

Loading works as Alma's EDI job does: each invoice line links to a PO line by `RFF+LI` (the PO line number,
case-insensitively), else by `RFF+SLI` or `RFF+SNA` (the vendor reference number of one of this vendor's PO
lines); a line that matches nothing loads unlinked, and the invoice is held In Review with an alert for a
person. The file is planned whole before anything is created: a malformed file, a file from another vendor, or
an invoice Alma would refuse by API (duplicate number, unknown currency, a continuous order without its
invoicing period …) refuses the whole file with one clear error (402119) and nothing is half-loaded. A loaded
invoice is processed at once, as the EDI job runs the invoice workflow [decision].
Imports model, invoices, simulator.edifact and simulator.clock/errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator import edifact
from simulator.alma import invoices
from simulator.alma.invoices import InvoiceDraft, InvoiceLineDraft
from simulator.alma.model import Institution, Invoice, InvoiceLine, POLine, POLineStatus, World
from simulator.clock import Clock, alma_date
from simulator.errors import AlmaError, GeneralError


@dataclass
class _PlannedInvoice:
    header: InvoiceDraft
    lines: list[InvoiceLine]


def load_invoices(world: World, institution_code: str, vendor_code: str, text: str, clock: Clock, *,
                  file_name: str = "") -> list[Invoice]:
    """Load an INVOIC interchange that arrived on `vendor_code`'s EDI account; the created invoices, in order."""
    institution = world.institution(institution_code)
    name = file_name or "the EDI file"
    vendor = institution.vendors.get(vendor_code)
    if vendor is None:
        raise GeneralError(f"EDI file {name} refused: {institution.name} has no vendor {vendor_code!r}.")
    with institution.lock:
        try:
            parsed = edifact.read(text)
        except edifact.EdifactError as exc:
            raise GeneralError(f"EDI file {name} from {vendor.code} refused, nothing loaded: {exc}.") from None
        if parsed.cancellations or not parsed.invoices:
            raise GeneralError(f"EDI file {name} from {vendor.code} refused, nothing loaded: it holds no invoice "
                               f"(INVOIC).")
        expected = vendor.edi_code or vendor.code
        by_reference = _by_vendor_reference(institution, vendor.code)
        plans: list[_PlannedInvoice] = []
        numbers: set[str] = set()
        for message in parsed.invoices:
            supplier = message.supplier or parsed.sender
            where = f"EDI file {name} from {vendor.code} refused, nothing loaded: invoice {message.number}"
            if supplier != expected:
                raise GeneralError(f"{where} names supplier {supplier!r}, not {vendor.code}'s EDI code "
                                   f"{expected!r}.")
            if message.number.casefold() in numbers:
                raise GeneralError(f"{where} is in the file twice.")
            numbers.add(message.number.casefold())
            draft = InvoiceDraft(number=message.number, invoice_date=message.date, vendor=vendor.code,
                                 total_amount=message.total, currency=message.currency)
            try:
                header = invoices.plan_header(institution, draft)
                shell = Invoice(id="", number=header.number, vendor=vendor.code, vendor_account=header.vendor_account,
                                invoice_date=header.invoice_date, total_amount=message.total,
                                currency=header.currency)
                lines = [invoices.plan_line(institution, shell, _line_draft(institution, by_reference, message, l))
                         for l in message.lines]
            except AlmaError as refusal:
                raise GeneralError(f"{where}: {refusal.message} ({refusal.code})") from None
            plans.append(_PlannedInvoice(header, lines))
        loaded = []
        for plan in plans:
            invoice = invoices.commit_header(institution, plan.header, clock, "EDI")
            for line in plan.lines:
                invoices.commit_line(institution, invoice, line)
            invoices.process(institution, invoice, clock)
            loaded.append(invoice)
        return loaded


def _by_vendor_reference(institution: Institution, vendor: str) -> dict[str, POLine]:
    found: dict[str, POLine] = {}
    for line in institution.po_lines.values():
        reference = line.draft.vendor_reference_number.strip().casefold()
        if reference and line.draft.vendor == vendor and line.status is not POLineStatus.CANCELLED:
            found.setdefault(reference, line)
    return found


def match(institution: Institution, by_reference: dict[str, POLine], line: edifact.InvoicLine) -> POLine | None:
    """RFF+LI (the PO line number), else RFF+SLI / RFF+SNA (the vendor reference number); None: unlinked."""
    if line.po_line:
        found = invoices.find_po_line(institution, line.po_line)
        if found is not None and found.status is not POLineStatus.CANCELLED:
            return found
    for reference in (line.vendor_reference, line.subscription_reference):
        if reference and reference.strip().casefold() in by_reference:
            return by_reference[reference.strip().casefold()]
    return None


def _line_draft(institution: Institution, by_reference: dict[str, POLine], message: edifact.InvoicMessage,
                line: edifact.InvoicLine) -> InvoiceLineDraft:
    po_line = match(institution, by_reference, line)
    return InvoiceLineDraft(po_line=po_line.number if po_line else "", price=line.price, quantity=line.quantity,
                            subscription_from=message.period_start, subscription_to=message.period_end,
                            note=line.note or line.title,
                            vendor_reference=line.vendor_reference or line.subscription_reference
                            or ("" if po_line else line.po_line))


# ---------------------------------------------------------------- what Alma sends -------------------------------


def send_cancellation(institution: Institution, line: POLine, clock: Clock) -> str | None:
    """Cancelling a line with "inform vendor": one ORDCHG message for the line (RFF+LI) into the vendor's outbox,
    when the vendor takes EDI cancellations; otherwise None (Alma would email; the simulator sends nothing)."""
    vendor = institution.vendors.get(line.draft.vendor)
    if vendor is None or not vendor.edi_cancellations:
        return None
    reference = str(institution.edi_references.take())
    resource = line.draft.resource
    message = edifact.OrdchgMessage(
        reference=reference, date=alma_date(clock.now()).rstrip("Z"), buyer=line.draft.owner or institution.code,
        supplier=vendor.edi_code or vendor.code, po_line=line.number, title=resource.title, author=resource.author,
        publisher=resource.publisher,
        note=" ".join(part for part in (line.cancellation_reason, line.cancellation_comment) if part))
    text = edifact.write_ordchg(message, sender=institution.code, recipient=vendor.edi_code or vendor.code,
                                control=reference, when=clock.now())
    institution.edi_outbox.setdefault(vendor.code, []).append(text)
    return text


def outbox(world: World, institution_code: str, vendor_code: str) -> list[str]:
    """Every interchange Alma has sent the vendor by EDI, oldest first (the vendor reads them with
    `simulator.edifact.read`)."""
    institution = world.institution(institution_code)
    with institution.lock:
        return list(institution.edi_outbox.get(vendor_code, []))
