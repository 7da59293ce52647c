"""ORDERING-RULES §7 — invoices by API: the header and its refusals (60233 … 60246, 4028805), lines paying PO
lines with the PO line's funds by default (60247, 60248, 60249, 60254, 60255, 60257), updates (60284, 60286,
60291) and the workflow process_invoice | mark_in_erp | paid | rejected (40166410, 60260, 60267, 60268).
A refused invoice, line or operation leaves no trace."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulator.alma import invoices, lifecycle
from simulator.alma.invoices import InvoiceLineDraft
from simulator.alma.model import FundShare, InvoiceWorkflowStatus, POLineStatus, TransactionType
from simulator.errors import AlmaError
from simulator.money import Money

from .conftest import HVU, print_draft, usd
from .rule_7_helpers import header, invoice_for, sent, trace


def test_a_new_invoice_is_in_review_with_alma_defaults(world, hvu, clock):
    """§7: the header takes number, date, vendor, total and currency; the account, payment method and owner
    default to the vendor's first account, that account's payment method and the institution [decision]."""
    invoice = invoices.create_invoice(world, HVU, header(invoice_date="2026-09-10Z"), clock)
    assert invoice.id in hvu.invoices and invoice.id.startswith("18") and invoice.id.endswith(hvu.mms_suffix)
    assert (invoice.number, invoice.vendor, invoice.vendor_account) == ("GOBI-INV-1", "GOBI", "GOBI-HVU")
    assert (invoice.invoice_date, invoice.total_amount, invoice.currency) == ("2026-09-10Z", Decimal("50.00"), "USD")
    assert (invoice.payment_method, invoice.owner, invoice.creation_form) == ("ACCOUNTINGDEPARTMENT", HVU, "API")
    assert invoice.workflow_status is InvoiceWorkflowStatus.IN_REVIEW
    statuses = (invoice.approval_status, invoice.payment_status, invoice.invoice_status)
    assert statuses == ("PENDING", "NOT_PAID", "ACTIVE")


HEADER_REFUSALS = [
    ("no number", {"number": " "}, "60233"),
    ("no date", {"invoice_date": ""}, "60234"),
    ("not a date", {"invoice_date": "10/09/2026"}, "60234"),
    ("no total", {"total_amount": None}, "60235"),
    ("unknown currency", {"currency": "XYZ"}, "60236"),
    ("another vendor's account", {"vendor_account": "OASIS-HVU"}, "60237"),
    ("unknown payment method", {"payment_method": "BARTER"}, "60238"),
    ("unknown owner", {"owner": "NOWHERE"}, "60246"),
    ("no vendor", {"vendor": ""}, "4028805"),
    ("unknown vendor", {"vendor": "ACME"}, "4028805"),
]


@pytest.mark.parametrize(("case", "changes", "code"), HEADER_REFUSALS, ids=[r[0] for r in HEADER_REFUSALS])
def test_header_refusals_carry_almas_codes_and_leave_no_trace(world, hvu, clock, case, changes, code):
    """§7: each missing or invalid header field is refused with its own code; nothing is created, no id used."""
    before = trace(hvu)
    with pytest.raises(AlmaError) as refusal:
        invoices.create_invoice(world, HVU, header(**changes), clock)
    assert refusal.value.code == code
    assert trace(hvu) == before


def test_invoice_number_is_unique_per_vendor(world, hvu, clock):
    """§7 [decision]: an invoice number is unique per vendor (60288), case-insensitively; another vendor may
    reuse it."""
    invoices.create_invoice(world, HVU, header(), clock)
    before = trace(hvu)
    with pytest.raises(AlmaError) as refusal:
        invoices.create_invoice(world, HVU, header(number="gobi-inv-1"), clock)
    assert refusal.value.code == "60288" and trace(hvu) == before
    other = invoices.create_invoice(world, HVU, header(vendor="OASIS"), clock)
    assert other.vendor_account == "OASIS-HVU"


def test_a_line_takes_the_po_lines_funds_by_default(world, clock, order):
    """§7: "the fund distribution defaults to the line's funds" — in the same proportions as the PO line."""
    line = order(print_draft(price=usd(100), funds=[FundShare(fund="HIST-MONO", percent=Decimal(60)),
                                                    FundShare(fund="ENGL-MONO", percent=Decimal(40))]))
    invoice = invoices.create_invoice(world, HVU, header(total_amount=Decimal(100)), clock)
    added = invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(po_line=line.number,
                                                                               price=Decimal(100)), clock)
    assert [(s.fund, s.percent) for s in added.funds] == [("HIST-MONO", Decimal(60)), ("ENGL-MONO", Decimal(40))]
    assert (added.number, added.type, added.status) == ("1", "REGULAR", "INREVIEW")


LINE_REFUSALS = [
    ("unknown type", lambda n: InvoiceLineDraft(type="GIFT_WRAP", po_line=n, price=Decimal(50)), "60247"),
    ("unknown PO line", lambda n: InvoiceLineDraft(po_line="POL-99999", price=Decimal(50)), "60248"),
    ("no price", lambda n: InvoiceLineDraft(po_line=n), "60255"),
    ("unknown fund", lambda n: InvoiceLineDraft(po_line=n, price=Decimal(50), funds=[FundShare(fund="NOPE")]),
     "60254"),
    ("inactive fund", lambda n: InvoiceLineDraft(po_line=n, price=Decimal(50), funds=[FundShare(fund="MUSIC-MONO")]),
     "60254"),
    ("two funds without shares", lambda n: InvoiceLineDraft(
        po_line=n, price=Decimal(50), funds=[FundShare(fund="HIST-MONO"), FundShare(fund="ENGL-MONO")]), "60257"),
]


@pytest.mark.parametrize(("case", "build", "code"), LINE_REFUSALS, ids=[r[0] for r in LINE_REFUSALS])
def test_line_refusals_carry_almas_codes_and_leave_no_trace(world, hvu, clock, order, case, build, code):
    """§7: an invalid line is refused with its code; the invoice keeps the lines it had."""
    line = order(print_draft())
    invoice = invoices.create_invoice(world, HVU, header(), clock)
    before = trace(hvu)
    with pytest.raises(AlmaError) as refusal:
        invoices.add_invoice_line(world, HVU, invoice.id, build(line.number), clock)
    assert refusal.value.code == code
    assert trace(hvu) == before


def test_a_cancelled_po_line_cannot_be_invoiced(world, clock, order):
    """§7 [decision]: a cancelled PO line is not found for an invoice line (60248)."""
    line = order(print_draft())
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    invoice = invoices.create_invoice(world, HVU, header(), clock)
    with pytest.raises(AlmaError) as refusal:
        invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(po_line=line.number, price=Decimal(50)),
                                  clock)
    assert refusal.value.code == "60248"


def test_a_continuous_order_needs_its_subscription_dates(world, clock, order):
    """§7: a line paying a continuous order (subscription, standing order) needs from/to dates (60249)."""
    line = order(print_draft(type="PRINTED_JOURNAL_CO"))
    invoice = invoices.create_invoice(world, HVU, header(), clock)
    with pytest.raises(AlmaError) as refusal:
        invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(po_line=line.number, price=Decimal(50)),
                                  clock)
    assert refusal.value.code == "60249"
    added = invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(
        po_line=line.number, price=Decimal(50), subscription_from="2026-01-01", subscription_to="2026-12-31"), clock)
    assert (added.subscription_from, added.subscription_to) == ("2026-01-01Z", "2026-12-31Z")


def test_unknown_invoice_is_412400(world, clock):
    with pytest.raises(AlmaError) as refusal:
        invoices.add_invoice_line(world, HVU, "18000", InvoiceLineDraft(price=Decimal(1)), clock)
    assert refusal.value.code == "412400"
    with pytest.raises(AlmaError) as refusal:
        invoices.invoice_operation(world, HVU, "18000", "paid", clock)
    assert refusal.value.code == "412400"


def test_processing_turns_the_encumbrance_into_expenditure(world, hvu, clock):
    """§7: processing approves a balanced invoice (Ready to be paid) and expends each line from its funds, releasing
    the PO line's encumbrance; both are fund transactions naming the PO line and the invoice number."""
    fund = hvu.funds["HIST-MONO"]
    line = sent(world, clock, print_draft(price=usd(50)))
    encumbered, expended = fund.encumbered, fund.expended
    invoice = invoice_for(world, clock, [line])
    assert invoice.workflow_status is InvoiceWorkflowStatus.READY_TO_BE_PAID and invoice.approval_status == "APPROVED"
    assert (fund.encumbered, fund.expended) == (encumbered - Decimal(50), expended + Decimal(50))
    assert line.encumbrances == [] and line.fully_invoiced and line.invoices == [invoice.id]
    posted = [(t.type, t.amount, t.po_line, t.invoice_number) for t in fund.transactions[-2:]]
    assert posted == [(TransactionType.EXPENDITURE, Decimal("50.00"), line.number, "GOBI-INV-1"),
                      (TransactionType.DISENCUMBRANCE, Decimal("50.00"), line.number, "GOBI-INV-1")]


def test_a_total_that_disagrees_with_the_lines_holds_the_invoice_for_review(world, hvu, clock):
    """§7: "a mismatch holds the invoice for review with an alert"; nothing is expended."""
    line = sent(world, clock, print_draft(price=usd(50)))
    before = {c: len(f.transactions) for c, f in hvu.funds.items()}
    invoice = invoice_for(world, clock, [line], total=Decimal("55.00"))
    assert invoice.workflow_status is InvoiceWorkflowStatus.IN_REVIEW
    assert [a.code for a in invoice.alerts if a.review] == ["INVOICE_TOTAL_MISMATCH"]
    assert "55.00" in invoice.alerts[0].text and "50.00" in invoice.alerts[0].text
    assert {c: len(f.transactions) for c, f in hvu.funds.items()} == before
    assert line.encumbrances and not line.fully_invoiced
    invoices.update_invoice(world, HVU, invoice.id, header(total_amount=Decimal(50)), clock)
    invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)
    assert invoice.workflow_status is InvoiceWorkflowStatus.READY_TO_BE_PAID
    assert not any(a.review for a in invoice.alerts)


def test_currency_follows_the_institutions_rates(world, hvu, clock):
    """§7: a EUR invoice is expended from a USD fund at the institution's rate (1 EUR = 1.08 USD)."""
    line = sent(world, clock, print_draft(price=Money(Decimal(100), "EUR")))
    fund = hvu.funds["HIST-MONO"]
    expended = fund.expended
    invoice = invoices.create_invoice(world, HVU, header(total_amount=Decimal(100), currency="EUR"), clock)
    invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(po_line=line.number, price=Decimal(100)), clock)
    invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)
    assert fund.expended == expended + Decimal("108.00") and line.encumbrances == []


def test_a_fund_that_cannot_cover_the_excess_holds_the_invoice(world, hvu, clock):
    """§7: when paying, the fund check leaves the PO line's own encumbrance out: only what the invoice expends
    beyond it must be available (ART-MONO: 40.00 USD, 10.00 once the line encumbers 30.00)."""
    line = sent(world, clock, print_draft(price=usd(30), funds=[FundShare(fund="ART-MONO")]))
    invoice = invoice_for(world, clock, [line], total=Decimal(100), process=False)
    invoices.update_invoice_line(world, HVU, invoice.id, invoice.lines[0].id,
                                 InvoiceLineDraft(po_line=line.number, price=Decimal(100)), clock)
    invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)
    assert [a.code for a in invoice.alerts if a.review] == ["INVOICE_FUND_INSUFFICIENT"]
    assert invoice.workflow_status is InvoiceWorkflowStatus.IN_REVIEW
    invoices.update_invoice(world, HVU, invoice.id, header(total_amount=Decimal(40)), clock)
    invoices.update_invoice_line(world, HVU, invoice.id, invoice.lines[0].id,
                                 InvoiceLineDraft(po_line=line.number, price=Decimal(40)), clock)
    invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)  # 30 released + 10 available
    assert invoice.workflow_status is InvoiceWorkflowStatus.READY_TO_BE_PAID
    assert hvu.funds["ART-MONO"].available == Decimal("0.00")


def test_the_erp_workflow(world, hvu, clock):
    """§7: mark_in_erp → Waiting for Payment [decision]; paid → Closed and paid."""
    invoice = invoice_for(world, clock, [sent(world, clock, print_draft())])
    invoices.invoice_operation(world, HVU, invoice.id, "mark_in_erp", clock)
    assert invoice.workflow_status is InvoiceWorkflowStatus.WAITING_FOR_PAYMENT
    invoices.invoice_operation(world, HVU, invoice.id, "paid", clock)
    assert invoice.workflow_status is InvoiceWorkflowStatus.CLOSED
    assert (invoice.invoice_status, invoice.payment_status, invoice.voucher_date) == ("CLOSED", "PAID", "2026-09-01Z")


OPERATION_REFUSALS = [
    ("unknown op", "approve", "", "40166410"),
    ("process twice", "process_invoice", "", "60260"),
    ("paid before approval", "paid", "", "60267"),
    ("reject without a note", "rejected", " ", "60268"),
    ("reject before the ERP has it", "rejected", "wrong total", "60267"),
]


@pytest.mark.parametrize(("case", "op", "note", "code"), OPERATION_REFUSALS, ids=[r[0] for r in OPERATION_REFUSALS])
def test_workflow_refusals_leave_no_trace(world, hvu, clock, case, op, note, code):
    invoice = invoice_for(world, clock, [sent(world, clock, print_draft())], process=False)
    if case == "process twice" or case.startswith("reject before"):
        invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)
    before = trace(hvu)
    with pytest.raises(AlmaError) as refusal:
        invoices.invoice_operation(world, HVU, invoice.id, op, clock, note=note)
    assert refusal.value.code == code
    assert trace(hvu) == before


def test_a_rejected_invoice_goes_back_to_review_and_its_postings_are_reversed(world, hvu, clock):
    """§7 [decision]: the ERP's rejection (with its note) puts the invoice back In Review with Alma's alert; its
    expenditure is reversed and the PO line holds its encumbrance again."""
    fund = hvu.funds["HIST-MONO"]
    line = sent(world, clock, print_draft(price=usd(50)))
    balances = (fund.encumbered, fund.expended)
    invoice = invoice_for(world, clock, [line])
    invoices.invoice_operation(world, HVU, invoice.id, "mark_in_erp", clock)
    invoices.invoice_operation(world, HVU, invoice.id, "rejected", clock, note="Wrong bank details")
    assert invoice.workflow_status is InvoiceWorkflowStatus.IN_REVIEW and invoice.approval_status == "PENDING"
    assert [a.code for a in invoice.alerts] == ["INVOICE_WAS_REJECTED_BY_ERP"] and "Wrong bank details" in invoice.notes
    assert (fund.encumbered, fund.expended) == balances
    assert [(e.fund, e.amount) for e in line.encumbrances] == [("HIST-MONO", Decimal("50.00"))]
    assert not line.fully_invoiced and line.invoices == []
    assert [t.amount for t in fund.transactions[-2:]] == [Decimal("-50.00"), Decimal("50.00")]


def test_updates_only_while_in_review(world, hvu, clock):
    """§7: the header (60291) and lines (60286) change only In Review; an unknown line is 60284."""
    invoice = invoice_for(world, clock, [sent(world, clock, print_draft())], process=False)
    with pytest.raises(AlmaError) as refusal:
        invoices.update_invoice_line(world, HVU, invoice.id, "19000", InvoiceLineDraft(price=Decimal(1)), clock)
    assert refusal.value.code == "60284"
    changed = invoices.update_invoice(world, HVU, invoice.id, header(number="GOBI-INV-1B", payment_method="CREDITCARD"),
                                      clock)
    assert (changed.number, changed.payment_method) == ("GOBI-INV-1B", "CREDITCARD")
    invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)
    for call, code in ((lambda: invoices.update_invoice(world, HVU, invoice.id, header(), clock), "60291"),
                       (lambda: invoices.update_invoice_line(world, HVU, invoice.id, invoice.lines[0].id,
                                                             InvoiceLineDraft(price=Decimal(1)), clock), "60286"),
                       (lambda: invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(price=Decimal(1)),
                                                          clock), "60285")):
        with pytest.raises(AlmaError) as refusal:
            call()
        assert refusal.value.code == code


def test_informational_alerts_do_not_hold_the_invoice(world, clock):
    """§7: an unlinked regular line with its own funds, a line priced differently from its PO line, and a PO line
    from another vendor are shown to a person (NOT_LINKED_LINES, PRICE_DIFFERS, VENDOR_DIFFERS) without holding."""
    line = sent(world, clock, print_draft(price=usd(50), vendor="OASIS", vendor_account="OASIS-HVU"))
    invoice = invoices.create_invoice(world, HVU, header(total_amount=Decimal(70)), clock)
    invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(po_line=line.number, price=Decimal(45)), clock)
    invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(price=Decimal(25),
                                                                       funds=[FundShare(fund="HIST-MONO")]), clock)
    invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)
    assert invoice.workflow_status is InvoiceWorkflowStatus.READY_TO_BE_PAID
    assert sorted(a.code for a in invoice.alerts) == ["NOT_LINKED_LINES", "PRICE_DIFFERS", "VENDOR_DIFFERS"]


def test_lists_by_vendor(world, clock):
    """§7: GET /acq/vendors/{code}/invoices lists the vendor's invoices; an unknown vendor is 401871."""
    first = invoices.create_invoice(world, HVU, header(), clock)
    invoices.create_invoice(world, HVU, header(vendor="OASIS"), clock)
    assert invoices.vendor_invoices(world, HVU, "GOBI") == [first]
    assert [i.vendor for i in invoices.list_invoices(world, HVU, number="gobi-inv-1")] == ["GOBI", "OASIS"]
    with pytest.raises(AlmaError) as refusal:
        invoices.vendor_invoices(world, HVU, "ACME")
    assert refusal.value.code == "401871"
    assert POLineStatus.WAITING_FOR_RENEWAL is POLineStatus.RECURRING_RENEWAL  # the old name, kept as an alias
