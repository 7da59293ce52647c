"""Orders: PO line drafts (what a vendor or librarian asks for), PO lines with their statuses, alerts and
encumbrances, and purchase orders. Imports simulator.money and the catalogue module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from simulator.money import Money


class POLineStatus(enum.StrEnum):
    IN_REVIEW = "INREVIEW"
    AUTO_PACKAGING = "AUTO_PACKAGING"
    MANUAL_PACKAGING = "MANUAL_PACKAGING"
    READY = "READY"
    SENT = "SENT"
    WAITING_FOR_INVOICE = "WAITING_FOR_INVOICE"
    WAITING_FOR_RENEWAL = "WAITING_FOR_RENEWAL"  # [decision] the code; a continuous line after its invoice
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


STATUS_LABELS = {
    POLineStatus.IN_REVIEW: "In Review",
    POLineStatus.AUTO_PACKAGING: "Auto Packaging",
    POLineStatus.MANUAL_PACKAGING: "Manual Packaging",
    POLineStatus.READY: "Ready",
    POLineStatus.SENT: "Sent",
    POLineStatus.WAITING_FOR_INVOICE: "Waiting for Invoice",
    POLineStatus.WAITING_FOR_RENEWAL: "Waiting for Renewal",
    POLineStatus.CLOSED: "Closed",
    POLineStatus.CANCELLED: "Cancelled",
}

#: The statuses a PO line ends in (nothing more happens to it).
FINISHED = (POLineStatus.CANCELLED, POLineStatus.CLOSED)



# ---------------------------------------------------------------- orders -----------------------------------------


@dataclass(kw_only=True, frozen=True)
class Alert:
    """A note Alma puts on a PO line. `review` alerts send the line to In Review; the others inform."""

    code: str
    text: str
    review: bool = True


@dataclass(kw_only=True)
class FundShare:
    """One line of a fund distribution: a fund code with an amount or a percent of the net price."""

    fund: str
    amount: Money | None = None
    percent: Decimal | None = None


@dataclass(kw_only=True)
class OrderedLocation:
    library: str
    location: str
    quantity: int = 1
    holding_id: str = ""
    item_ids: list[str] = field(default_factory=list)
    item_policy: str = ""


@dataclass(kw_only=True)
class ResourceMetadata:
    title: str = ""
    author: str = ""
    isbn: str = ""
    issn: str = ""
    publisher: str = ""
    publication_place: str = ""
    publication_year: str = ""
    vendor_title_number: str = ""
    system_control_numbers: list[str] = field(default_factory=list)
    mms_id: str = ""
    local_notes: list[str] = field(default_factory=list)  # added by normalization processes


@dataclass(kw_only=True)
class InterestedUser:
    """A user the PO line names as interested in it (Alma's `interested_user`): who is told on receipt or
    activation, on cancellation, on renewal, and whether the received item is held for them."""

    primary_id: str
    notify_receiving_activation: bool = False
    hold_item: bool = False
    notify_renewal: bool = False
    notify_cancel: bool = False


@dataclass(kw_only=True)
class POLineDraft:
    """What a vendor (or a librarian) asks for: a PO line before Alma has processed it."""

    owner: str = ""
    type: str = ""
    vendor: str = ""
    vendor_account: str = ""
    acquisition_method: str = "PURCHASE"
    price: Money | None = None
    price_text: str = ""  # the price as sent, when it could not be read as money
    discount: Decimal = Decimal("0")
    no_charge: bool = False
    rush: bool = False
    number: str = ""
    resource: ResourceMetadata = field(default_factory=ResourceMetadata)
    funds: list[FundShare] = field(default_factory=list)
    locations: list[OrderedLocation] = field(default_factory=list)
    vendor_reference_number: str = ""
    vendor_reference_number_type: str = ""
    access_provider: str = ""
    access_model: str = ""
    license: str = ""
    url: str = ""
    requires_manual_review: bool = False
    assign_inventory_manually: bool = False
    source_type: str = "API"
    interested_users: list[InterestedUser] = field(default_factory=list)  # who is told (letters.py)
    extra: dict[str, object] = field(default_factory=dict)  # fields kept as sent (notes, reporting codes …)

    @property
    def copies(self) -> int:
        return sum(loc.quantity for loc in self.locations) or 1


@dataclass(kw_only=True)
class Encumbrance:
    fund: str
    amount: Decimal  # in the fund's currency


@dataclass(kw_only=True)
class POLine:
    number: str
    status: POLineStatus
    draft: POLineDraft
    mms_id: str
    profile: str
    created_date: str
    status_date: str
    alerts: list[Alert] = field(default_factory=list)
    portfolio_ids: list[str] = field(default_factory=list)
    collection_id: str = ""
    po_number: str = ""
    encumbrances: list[Encumbrance] = field(default_factory=list)
    net_price: Money | None = None
    cancellation_reason: str = ""
    cancellation_comment: str = ""
    vendor_informed: bool = False  # the cancellation asked Alma to inform the vendor
    visible_after: float = 0.0  # asynchronous processing: status and alerts hidden until then (epoch s)
    portfolio_outcome: str = ""  # iz | cz | local | bib-only: how the electronic inventory was found
    invoices: list[str] = field(default_factory=list)  # ids of the approved invoices that paid it
    fully_invoiced: bool = False  # an approved invoice line said so (closing needs it)

    @property
    def title(self) -> str:
        return self.draft.resource.title

    @property
    def in_review(self) -> bool:
        return self.status is POLineStatus.IN_REVIEW


@dataclass(kw_only=True)
class PurchaseOrder:
    number: str
    vendor: str
    po_lines: list[str]
    status: str = "SENT"
    sent_date: str = ""
