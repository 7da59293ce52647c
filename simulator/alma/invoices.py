"""Invoices (ORDERING-RULES §7): the header, its lines, updates, and the workflow operations process_invoice,
mark_in_erp, paid and rejected — the domain behind `/acq/invoices` and `/acq/vendors/{code}/invoices`.

Like ordering, every operation *plans* first (checks everything, changes nothing) and only then *commits*,
under the institution's lock: a refused invoice, line or operation leaves no trace — no invoice, no line, no
id, no transaction. Refusals carry Alma's codes (60233 number, 60288 number not unique, 60234 date, 60235
total, 60236 currency, 60237 vendor account, 60238 payment method, 60242 not a material supplier, 60246
owner, 4028805 vendor, 412400 invoice not found, 60247 line type, 60248 PO line, 60249 subscription dates,
60254 fund, 60255 line not created, 60257 fund percent or amount, 60284/60286/60291 updates, 40166410 op,
60260/60267 workflow, 60268 rejection note).

Processing checks the lines against the header total and each fund's balance; a problem holds the invoice In
Review with an alert (an answer, not a refusal). Otherwise the invoice is approved: each line's amount is
expended from its funds (converted at the institution's rates), the PO line's encumbrance is released, and the
PO line may close (`closing`). Imports model, alerts, closing, funds and simulator.clock/errors/money.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from simulator.alma import alerts, closing
from simulator.alma.funds import shares_in_proportion
from simulator.alma.model import (
    INVOICE_LINE_TYPES, PAYMENT_METHODS, Alert, Encumbrance, FundShare, Institution, Invoice, InvoiceLine,
    InvoiceWorkflowStatus, POLine, POLineStatus, Posting, TransactionType, World,
)
from simulator.clock import Clock, alma_date
from simulator.errors import AlmaError, InvalidParameter, NotFound
from simulator.money import Money, cents

OPERATIONS = ("process_invoice", "mark_in_erp", "paid", "rejected")


@dataclass(kw_only=True)
class InvoiceDraft:
    """What a caller sends for an invoice header (POST and PUT /acq/invoices)."""

    number: str = ""
    invoice_date: str = ""
    vendor: str = ""
    vendor_account: str = ""
    total_amount: Decimal | None = None
    currency: str = ""
    payment_method: str = ""
    owner: str = ""
    reference_number: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class InvoiceLineDraft:
    """What a caller sends for an invoice line. `funds` empty: the PO line's funds, in the same proportions."""

    type: str = "REGULAR"
    po_line: str = ""
    price: Decimal | None = None
    quantity: int = 1
    funds: list[FundShare] = field(default_factory=list)
    subscription_from: str = ""
    subscription_to: str = ""
    fully_invoiced: bool = True
    release_remaining_encumbrance: bool = False
    note: str = ""
    vendor_reference: str = ""


def refuse(code: str, message: str) -> AlmaError:
    return AlmaError(message, code=code)


# ---------------------------------------------------------------- reading ---------------------------------------


def get_invoice(world: World, institution_code: str, invoice_id: str) -> Invoice:
    institution = world.institution(institution_code)
    invoice = institution.invoices.get(invoice_id)
    if invoice is None:
        raise NotFound(f"Invoice {invoice_id} not found.", code="412400")
    return invoice


def list_invoices(world: World, institution_code: str, *, vendor: str = "", number: str = "", po_line: str = "",
                  workflow_status: str = "", base_status: str = "") -> list[Invoice]:
    """Invoices, oldest first, narrowed by vendor, number, a PO line they pay, workflow and base status."""
    institution = world.institution(institution_code)
    with institution.lock:
        found = list(institution.invoices.values())
    if vendor:
        found = [i for i in found if i.vendor == vendor]
    if number:
        found = [i for i in found if i.number.casefold() == number.casefold()]
    if po_line:
        found = [i for i in found if any(l.po_line.casefold() == po_line.casefold() for l in i.lines)]
    if workflow_status:
        found = [i for i in found if i.workflow_status.value == workflow_status]
    if base_status:
        found = [i for i in found if i.invoice_status == base_status]
    return found


def vendor_invoices(world: World, institution_code: str, vendor: str) -> list[Invoice]:
    """GET /acq/vendors/{code}/invoices; an unknown vendor → 401871."""
    institution = world.institution(institution_code)
    if vendor not in institution.vendors:
        raise NotFound(f"Vendor {vendor} not found.", code="401871")
    return list_invoices(world, institution_code, vendor=vendor)


# ---------------------------------------------------------------- planning the header ---------------------------


def invoice_date(raw: str) -> str:
    """"2026-09-10" or "2026-09-10Z" → "2026-09-10Z"; anything else → 60234."""
    text = (raw or "").strip().rstrip("Z")
    if not text:
        raise refuse("60234", "Invoice date not in payload.")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise refuse("60234", f"Invoice date not in payload: {raw!r} is not a date (YYYY-MM-DD).") from None
    return alma_date(day)


def plan_header(institution: Institution, draft: InvoiceDraft, *, invoice_id: str = "") -> InvoiceDraft:
    """The header as it will be stored, every default filled in; refuses with Alma's code."""
    number = draft.number.strip()
    if not number:
        raise refuse("60233", "Invoice number not in payload.")
    if not draft.vendor:
        raise refuse("4028805", "Invoice vendor not in payload.")
    vendor = institution.vendors.get(draft.vendor)
    if vendor is None:
        raise refuse("4028805", f"Invoice vendor not in payload: {institution.name} has no vendor {draft.vendor!r} "
                                f"[decision: an unknown vendor counts as none].")
    if not vendor.material_supplier:
        raise refuse("60242", f"Invoice vendor not material supplier: {vendor.code}.")
    same = [i for i in institution.invoices.values() if i.vendor == vendor.code and i.id != invoice_id
            and i.number.casefold() == number.casefold()]
    if same:
        raise refuse("60288", f"Invoice number not unique: {vendor.code} already has invoice {number} "
                              f"({same[0].id}).")
    date = invoice_date(draft.invoice_date)
    if draft.total_amount is None:
        raise refuse("60235", "Invoice total amount not in payload.")
    account = draft.vendor_account or next(iter(vendor.accounts), "")
    if account not in vendor.accounts:
        raise refuse("60237", f"Invoice vendor account not valid: vendor {vendor.code} has no account "
                              f"{draft.vendor_account!r}.")
    currency = (draft.currency or vendor.currency).upper()
    if not institution.knows_currency(currency):
        raise refuse("60236", f"Invoice currency not valid: {institution.name} has no exchange rate for "
                              f"{currency!r}.")
    method = draft.payment_method or vendor.accounts[account].payment_method
    if method not in PAYMENT_METHODS:
        raise refuse("60238", f"Invoice payment method not valid: {method!r} (one of {', '.join(PAYMENT_METHODS)}).")
    owner = draft.owner or institution.code
    if owner != institution.code and owner not in institution.libraries:
        raise refuse("60246", f"Invoice owner not valid: {institution.name} has no library {owner!r}.")
    return replace(draft, number=number, invoice_date=date, vendor=vendor.code, vendor_account=account,
                   total_amount=cents(draft.total_amount), currency=currency, payment_method=method, owner=owner,
                   notes=list(draft.notes))


def create_invoice(world: World, institution_code: str, draft: InvoiceDraft, clock: Clock, *,
                   creation_form: str = "API") -> Invoice:
    """POST /acq/invoices: a new invoice In Review, approval pending."""
    institution = world.institution(institution_code)
    with institution.lock:
        header = plan_header(institution, draft)
        return commit_header(institution, header, clock, creation_form)


def commit_header(institution: Institution, header: InvoiceDraft, clock: Clock, creation_form: str) -> Invoice:
    assert header.total_amount is not None
    invoice = Invoice(id=institution.new_id("18"), number=header.number, vendor=header.vendor,
                      vendor_account=header.vendor_account, invoice_date=header.invoice_date,
                      total_amount=header.total_amount, currency=header.currency,
                      payment_method=header.payment_method, owner=header.owner,
                      reference_number=header.reference_number, creation_form=creation_form,
                      created_date=alma_date(clock.now()), notes=list(header.notes))
    institution.invoices[invoice.id] = invoice
    return invoice


def update_invoice(world: World, institution_code: str, invoice_id: str, draft: InvoiceDraft,
                   clock: Clock) -> Invoice:
    """PUT /acq/invoices/{id}: swap the header; only while In Review (60291)."""
    institution = world.institution(institution_code)
    with institution.lock:
        invoice = get_invoice(world, institution_code, invoice_id)
        if invoice.workflow_status is not InvoiceWorkflowStatus.IN_REVIEW:
            raise refuse("60291", f"Invoice update not allowed due to status: invoice {invoice.number} is "
                                  f"{invoice.workflow_status.value}.")
        header = plan_header(institution, draft, invoice_id=invoice_id)
        assert header.total_amount is not None
        invoice.number, invoice.vendor, invoice.vendor_account = header.number, header.vendor, header.vendor_account
        invoice.invoice_date, invoice.total_amount, invoice.currency = (header.invoice_date, header.total_amount,
                                                                        header.currency)
        invoice.payment_method, invoice.owner = header.payment_method, header.owner
        invoice.reference_number, invoice.notes = header.reference_number, list(header.notes)
        return invoice


# ---------------------------------------------------------------- planning a line -------------------------------


def plan_line(institution: Institution, invoice: Invoice, draft: InvoiceLineDraft) -> InvoiceLine:
    """An invoice line (without its id and number), every default filled in; refuses with Alma's code."""
    kind = (draft.type or "REGULAR").upper()
    if kind not in INVOICE_LINE_TYPES:
        raise refuse("60247", f"Invoice line type not valid: {draft.type!r} (one of {', '.join(INVOICE_LINE_TYPES)}).")
    if draft.price is None:
        raise refuse("60255", "Invoice line not created: the line has no price.")
    if draft.quantity < 0:
        raise refuse("60255", f"Invoice line not created: quantity {draft.quantity} is negative.")
    po_line: POLine | None = None
    if draft.po_line:
        po_line = find_po_line(institution, draft.po_line)
        if po_line is None or po_line.status is POLineStatus.CANCELLED:
            why = "is cancelled" if po_line is not None else "does not exist"
            raise refuse("60248", f"Invoice line's PO Line not found: {draft.po_line} {why}.")
    start, end = draft.subscription_from, draft.subscription_to
    line_type = institution.po_line_types.get(po_line.draft.type) if po_line else None
    if line_type is not None and line_type.continuous and not (start and end):
        raise refuse("60249", f"Invoice line subscription from/to dates not found: {po_line.number if po_line else ''} "
                              f"is a continuous order.")
    for day in (start, end):
        if day:
            try:
                dt.date.fromisoformat(day.rstrip("Z"))
            except ValueError:
                raise refuse("60249", f"Invoice line subscription from/to dates not found: {day!r} is not a "
                                      f"date.") from None
    funds = list(draft.funds)
    if not funds and po_line is not None and po_line.draft.funds and not po_line.draft.no_charge:
        funds = shares_in_proportion(institution, po_line.draft, po_line.net_price)
    for share in funds:
        fund = institution.funds.get(share.fund)
        if fund is None or not fund.active or fund.entity_type != "ALLOCATED":
            raise refuse("60254", f"Fund code not valid: {share.fund!r} is not an active allocated fund of "
                                  f"{institution.name}.")
        if share.amount is not None and share.amount.currency != invoice.currency:
            raise refuse("60254", f"Fund code not valid: the amount for {share.fund} is in "
                                  f"{share.amount.currency}, the invoice in {invoice.currency}.")
    if len(funds) > 1 and any(s.percent is None and s.amount is None for s in funds):
        raise refuse("60257", "Fund percent or amount is required when a line has several funds.")
    return InvoiceLine(id="", number="", type=kind, po_line=po_line.number if po_line else "",
                       price=cents(draft.price), quantity=draft.quantity, funds=funds,
                       subscription_from=_day(start), subscription_to=_day(end), fully_invoiced=draft.fully_invoiced,
                       release_remaining_encumbrance=draft.release_remaining_encumbrance, note=draft.note,
                       vendor_reference=draft.vendor_reference)


def _day(raw: str) -> str:
    return alma_date(dt.date.fromisoformat(raw.rstrip("Z"))) if raw else ""


def find_po_line(institution: Institution, number: str) -> POLine | None:
    """A PO line by number; the search is case-insensitive (FLVC's EDI guide) [decision: for the API too]."""
    line = institution.po_lines.get(number.strip())
    if line is not None:
        return line
    wanted = number.strip().casefold()
    return next((l for n, l in institution.po_lines.items() if n.casefold() == wanted), None)


def _editable(invoice: Invoice, code: str) -> None:
    if invoice.workflow_status is not InvoiceWorkflowStatus.IN_REVIEW:
        raise refuse(code, f"Invoice {invoice.number} is {invoice.workflow_status.value}; its lines change only "
                           f"In Review.")


def add_invoice_line(world: World, institution_code: str, invoice_id: str, draft: InvoiceLineDraft,
                     clock: Clock) -> InvoiceLine:
    """POST /acq/invoices/{id}/lines: one line; only while the invoice is In Review (60285 otherwise)."""
    institution = world.institution(institution_code)
    with institution.lock:
        invoice = get_invoice(world, institution_code, invoice_id)
        _editable(invoice, "60285")
        line = plan_line(institution, invoice, draft)
        return commit_line(institution, invoice, line)


def commit_line(institution: Institution, invoice: Invoice, line: InvoiceLine) -> InvoiceLine:
    line.id = institution.new_id("19")
    line.number = str(max((int(l.number) for l in invoice.lines if l.number.isdigit()), default=0) + 1)
    invoice.lines.append(line)
    return line


def update_invoice_line(world: World, institution_code: str, invoice_id: str, line_id: str,
                        draft: InvoiceLineDraft, clock: Clock) -> InvoiceLine:
    """PUT /acq/invoices/{id}/lines/{line_id}: swap the line (60284 unknown line, 60286 not In Review)."""
    institution = world.institution(institution_code)
    with institution.lock:
        invoice = get_invoice(world, institution_code, invoice_id)
        current = invoice.line(line_id)
        if current is None:
            raise refuse("60284", f"Invoice line not valid: invoice {invoice.number} has no line {line_id}.")
        _editable(invoice, "60286")
        line = plan_line(institution, invoice, draft)
        line.id, line.number = current.id, current.number
        invoice.lines[invoice.lines.index(current)] = line
        return line


# ---------------------------------------------------------------- the workflow ----------------------------------


def invoice_operation(world: World, institution_code: str, invoice_id: str, op: str, clock: Clock, *,
                      note: str = "") -> Invoice:
    """POST /acq/invoices/{id}?op=…: process_invoice (In Review → Ready to be paid, or held In Review with
    alerts), mark_in_erp (→ Waiting for Payment [decision: the institution waits for the ERP's confirmation]),
    paid (→ Closed), rejected (→ In Review, its postings reversed; a note is mandatory, 60268)."""
    institution = world.institution(institution_code)
    if op not in OPERATIONS:
        raise InvalidParameter(f"Parameter op is not valid: {op!r} (one of {', '.join(OPERATIONS)}).",
                               code="40166410")
    with institution.lock:
        invoice = get_invoice(world, institution_code, invoice_id)
        status = invoice.workflow_status
        if op == "process_invoice":
            if status is not InvoiceWorkflowStatus.IN_REVIEW:
                raise refuse("60260", f"Failed to start invoice process and workflow: invoice {invoice.number} is "
                                      f"{status.value}, not In Review.")
            process(institution, invoice, clock)
        elif op == "mark_in_erp":
            if status is not InvoiceWorkflowStatus.READY_TO_BE_PAID:
                raise refuse("60267", f"Failed to process invoice in ERP: invoice {invoice.number} is "
                                      f"{status.value}, not Ready to be paid.")
            invoice.workflow_status = InvoiceWorkflowStatus.WAITING_FOR_PAYMENT
        elif op == "paid":
            if status not in (InvoiceWorkflowStatus.READY_TO_BE_PAID, InvoiceWorkflowStatus.WAITING_FOR_PAYMENT):
                raise refuse("60267", f"Failed to process invoice in ERP: invoice {invoice.number} is "
                                      f"{status.value}; only an approved invoice is paid.")
            invoice.workflow_status = InvoiceWorkflowStatus.CLOSED
            invoice.payment_status, invoice.voucher_date = "PAID", alma_date(clock.now())
        else:
            if not note.strip():
                raise refuse("60268", "The invoice note is mandatory: say why the invoice is rejected.")
            if status is not InvoiceWorkflowStatus.WAITING_FOR_PAYMENT:
                raise refuse("60267", f"Failed to process invoice in ERP: invoice {invoice.number} is "
                                      f"{status.value}, not Waiting for Payment.")
            _reject(institution, invoice, note.strip(), clock)
        return invoice


@dataclass
class _Approval:
    """What approving an invoice would post, worked out before anything is posted."""

    expenditures: list[Posting] = field(default_factory=list)
    releases: list[Posting] = field(default_factory=list)


def _split(institution: Institution, invoice: Invoice, line: InvoiceLine) -> dict[str, Decimal]:
    """The line's amount per fund, in the invoice's currency; percentages are rounded so the parts add up."""
    parts: dict[str, Decimal] = {}
    for share in line.funds:
        if share.amount is not None:
            part = share.amount.amount
        elif share.percent is not None:
            part = cents(line.price * share.percent / 100)
        else:
            part = line.price
        parts[share.fund] = parts.get(share.fund, Decimal(0)) + part
    if parts and all(s.percent is not None for s in line.funds) \
            and sum((s.percent or Decimal(0)) for s in line.funds) == 100:
        last = line.funds[-1].fund
        parts[last] += line.price - sum(parts.values(), Decimal(0))
    return parts


def _plan_approval(institution: Institution, invoice: Invoice) -> tuple[_Approval, list[Alert]]:
    approval = _Approval()
    problems: list[Alert] = []
    if not invoice.lines:
        problems.append(alerts.invoice_without_lines(invoice))
    if invoice.lines_total != invoice.total_amount:
        problems.append(alerts.invoice_total_mismatch(invoice))
    held: dict[tuple[str, str], Decimal] = {}  # (PO line, fund) -> what the PO line still holds there
    for line in invoice.lines:
        if line.price and not line.funds:
            problems.append(alerts.invoice_line_without_funds(line))
            continue
        for code, amount in _split(institution, invoice, line).items():
            fund = institution.funds[code]
            charge = institution.convert(Money(amount, invoice.currency), fund.currency).amount
            approval.expenditures.append(Posting(fund=code, type=TransactionType.EXPENDITURE, amount=charge,
                                                 po_line=line.po_line, invoice_line=line.number))
            if not line.po_line:
                continue
            po_line = institution.po_lines[line.po_line]
            for enc in po_line.encumbrances:
                held.setdefault((po_line.number, enc.fund), enc.amount)
            key = (po_line.number, code)
            release = min(held.get(key, Decimal(0)), charge)
            if release > 0:
                held[key] -= release
                approval.releases.append(Posting(fund=code, type=TransactionType.DISENCUMBRANCE, amount=release,
                                                 po_line=po_line.number, invoice_line=line.number))
    for line in invoice.lines:  # what a fully invoiced line still holds is released too
        if line.po_line and (line.fully_invoiced or line.release_remaining_encumbrance):
            for enc in institution.po_lines[line.po_line].encumbrances:
                key = (line.po_line, enc.fund)
                rest = held.get(key, enc.amount)
                if rest > 0:
                    held[key] = Decimal(0)
                    approval.releases.append(Posting(fund=enc.fund, type=TransactionType.DISENCUMBRANCE,
                                                     amount=rest, po_line=line.po_line, invoice_line=line.number))
    if not problems:  # the balance check leaves the PO lines' own encumbrances out (they become the expenditure)
        need: dict[str, Decimal] = {}
        for posting in approval.expenditures:
            need[posting.fund] = need.get(posting.fund, Decimal(0)) + posting.amount
        for posting in approval.releases:
            need[posting.fund] = need.get(posting.fund, Decimal(0)) - posting.amount
        for code, amount in need.items():
            fund = institution.funds[code]
            if amount > 0 and not fund.can_cover(amount):
                problems.append(alerts.invoice_fund_insufficient(fund, amount))
    return approval, problems


def process(institution: Institution, invoice: Invoice, clock: Clock) -> None:
    approval, problems = _plan_approval(institution, invoice)
    kept = [a for a in invoice.alerts if a.code == alerts.INVOICE_REJECTED_BY_ERP]
    invoice.alerts = kept + problems + alerts.invoice_informational(institution, invoice)
    if problems:
        return
    today = alma_date(clock.now())
    for posting in approval.expenditures + approval.releases:
        institution.funds[posting.fund].post(posting.type, posting.amount, date=today, po_line=posting.po_line,
                                             invoice_number=invoice.number, invoice_line=posting.invoice_line)
        if posting.type is TransactionType.DISENCUMBRANCE:
            _hold(institution.po_lines[posting.po_line], posting.fund, -posting.amount)
    invoice.postings = approval.expenditures + approval.releases
    invoice.workflow_status = InvoiceWorkflowStatus.READY_TO_BE_PAID
    invoice.approval_status, invoice.approval_date = "APPROVED", today
    for line in invoice.lines:
        line.status = "READY"
    for number in _po_lines_of(invoice):
        po_line = institution.po_lines[number]
        if invoice.id not in po_line.invoices:
            po_line.invoices.append(invoice.id)
        po_line.fully_invoiced = _fully_invoiced(institution, po_line)
        closing.settle(institution, po_line, clock)


def _hold(po_line: POLine, fund: str, change: Decimal) -> None:
    """Change what the PO line holds in `fund` (released by an invoice, or restored when it is rejected)."""
    for enc in po_line.encumbrances:
        if enc.fund == fund:
            enc.amount = cents(enc.amount + change)
            break
    else:
        po_line.encumbrances.append(Encumbrance(fund=fund, amount=cents(change)))
    po_line.encumbrances = [e for e in po_line.encumbrances if e.amount]


def _po_lines_of(invoice: Invoice) -> list[str]:
    return list(dict.fromkeys(line.po_line for line in invoice.lines if line.po_line))


def _fully_invoiced(institution: Institution, po_line: POLine) -> bool:
    """An approved invoice of the line has a line for it marked fully invoiced."""
    for invoice_id in po_line.invoices:
        invoice = institution.invoices.get(invoice_id)
        if invoice is not None and any(l.po_line == po_line.number and l.fully_invoiced for l in invoice.lines):
            return True
    return False


def _reject(institution: Institution, invoice: Invoice, note: str, clock: Clock) -> None:
    """The ERP rejected the invoice: back to In Review with Alma's alert; what its approval posted is reversed
    (expenditure posted negative, released encumbrance encumbered again) and its PO lines reopen if they closed
    on it [decision]."""
    today = alma_date(clock.now())
    for posting in invoice.postings:
        fund = institution.funds[posting.fund]
        if posting.type is TransactionType.EXPENDITURE:
            fund.post(TransactionType.EXPENDITURE, -posting.amount, date=today, po_line=posting.po_line,
                      invoice_number=invoice.number, invoice_line=posting.invoice_line,
                      note="Reversed: the invoice was rejected by the ERP")
        else:
            fund.post(TransactionType.ENCUMBRANCE, posting.amount, date=today, po_line=posting.po_line,
                      invoice_number=invoice.number, invoice_line=posting.invoice_line,
                      note="Restored: the invoice was rejected by the ERP")
            _hold(institution.po_lines[posting.po_line], posting.fund, posting.amount)
    invoice.postings = []
    invoice.workflow_status, invoice.approval_status, invoice.approval_date = (InvoiceWorkflowStatus.IN_REVIEW,
                                                                               "PENDING", "")
    invoice.notes.append(note)
    invoice.alerts = [a for a in invoice.alerts if a.code != alerts.INVOICE_REJECTED_BY_ERP]
    invoice.alerts.append(alerts.invoice_rejected(note))
    for line in invoice.lines:
        line.status = "INREVIEW"
    for number in _po_lines_of(invoice):
        po_line = institution.po_lines[number]
        if invoice.id in po_line.invoices:
            po_line.invoices.remove(invoice.id)
        po_line.fully_invoiced = _fully_invoiced(institution, po_line)
        closing.settle(institution, po_line, clock)
