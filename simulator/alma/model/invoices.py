"""Invoices: the header a vendor bills with (number, date, vendor and account, total, currency, payment
method), its lines (each may pay a PO line, with a fund distribution), its place in Alma's invoice workflow and
the fund postings its approval made. Imports the acquisitions and orders model modules (TransactionType,
Alert, FundShare).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from simulator.alma.model.acquisitions import TransactionType
from simulator.alma.model.orders import Alert, FundShare


class InvoiceWorkflowStatus(enum.StrEnum):
    """Alma's InvoiceStatus codes as the captures show them (Ready to be paid is "Waiting to be Sent")."""

    IN_REVIEW = "InReview"
    READY_TO_BE_PAID = "Waiting to be Sent"
    WAITING_FOR_PAYMENT = "Waiting for Payment"
    CLOSED = "Closed"


WORKFLOW_LABELS = {
    InvoiceWorkflowStatus.IN_REVIEW: "In Review",
    InvoiceWorkflowStatus.READY_TO_BE_PAID: "Ready to be paid",
    InvoiceWorkflowStatus.WAITING_FOR_PAYMENT: "Waiting for Payment",
    InvoiceWorkflowStatus.CLOSED: "Closed",
}

# Alma's InvoiceLinesTypes [decision: the common six]; only REGULAR lines pay for ordered material.
INVOICE_LINE_TYPES = {"REGULAR": "Regular", "OTHER": "Other", "SHIPMENT": "Shipment", "OVERHEAD": "Overhead",
                      "INSURANCE": "Insurance", "DISCOUNT": "Discount"}
# Alma's PaymentMethods [decision: these six].
PAYMENT_METHODS = {"ACCOUNTINGDEPARTMENT": "Accounting Department", "BANKTRANSFER": "Bank Transfer",
                   "CREDITCARD": "Credit Card", "DRAFT": "Bank Draft", "CASH": "Cash",
                   "ONLINEBANKING": "Online Banking"}
CREATION_FORMS = {"API": "API", "EDI": "EDIteur Invoice Message", "MANUALLY": "Manually", "PO": "From PO"}


@dataclass(kw_only=True)
class InvoiceLine:
    """One invoice line. `price` is the line's amount in the invoice's currency; `quantity` is how many copies
    it covers [decision: Alma's line price is the line total, as EDI's MOA+203]."""

    id: str
    number: str
    type: str = "REGULAR"
    po_line: str = ""
    price: Decimal = Decimal("0.00")
    quantity: int = 1
    funds: list[FundShare] = field(default_factory=list)
    subscription_from: str = ""
    subscription_to: str = ""
    fully_invoiced: bool = True
    release_remaining_encumbrance: bool = False
    note: str = ""
    vendor_reference: str = ""  # an EDI line's RFF+SLI / RFF+SNA, kept as sent
    status: str = "INREVIEW"


@dataclass(kw_only=True, frozen=True)
class Posting:
    """A transaction the invoice's approval posted to a fund (reversed if the ERP rejects the invoice)."""

    fund: str
    type: TransactionType
    amount: Decimal
    po_line: str = ""
    invoice_line: str = ""


@dataclass(kw_only=True)
class Invoice:
    id: str
    number: str
    vendor: str
    vendor_account: str
    invoice_date: str
    total_amount: Decimal
    currency: str
    payment_method: str = "ACCOUNTINGDEPARTMENT"
    owner: str = ""
    reference_number: str = ""
    creation_form: str = "API"
    workflow_status: InvoiceWorkflowStatus = InvoiceWorkflowStatus.IN_REVIEW
    approval_status: str = "PENDING"
    payment_status: str = "NOT_PAID"
    created_date: str = ""
    approval_date: str = ""
    voucher_date: str = ""
    alerts: list[Alert] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: list[InvoiceLine] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)

    @property
    def invoice_status(self) -> str:
        return "CLOSED" if self.workflow_status is InvoiceWorkflowStatus.CLOSED else "ACTIVE"

    @property
    def lines_total(self) -> Decimal:
        return sum((line.price for line in self.lines), Decimal("0.00"))

    def line(self, line_id: str) -> InvoiceLine | None:
        return next((line for line in self.lines if line.id == line_id), None)
