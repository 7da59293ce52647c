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
    # a continuous line after receipt or activation (alma-api.md §5.2: RECURRING_RENEWAL, "Waiting for Renewal")
    RECURRING_RENEWAL = "RECURRING_RENEWAL"
    WAITING_FOR_MANUAL_RENEWAL = "WAITING_FOR_MANUAL_RENEWAL"  # the renewal job reached a manual line's reminder
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"
    WAITING_FOR_RENEWAL = "RECURRING_RENEWAL"  # the old name, an alias of RECURRING_RENEWAL

    @classmethod
    def _missing_(cls, value: object) -> POLineStatus | None:
        """Snapshots written before the code was aligned with Alma's say WAITING_FOR_RENEWAL: still loadable."""
        return cls.RECURRING_RENEWAL if value == "WAITING_FOR_RENEWAL" else None


STATUS_LABELS = {
    POLineStatus.IN_REVIEW: "In Review",
    POLineStatus.AUTO_PACKAGING: "Auto Packaging",
    POLineStatus.MANUAL_PACKAGING: "Manual Packaging",
    POLineStatus.READY: "Ready",
    POLineStatus.SENT: "Sent",
    POLineStatus.WAITING_FOR_INVOICE: "Waiting for Invoice",
    POLineStatus.RECURRING_RENEWAL: "Waiting for Renewal",
    POLineStatus.WAITING_FOR_MANUAL_RENEWAL: "Waiting for Manual Renewal",
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

    def __init__(self, *, code: str, text: str, review: bool = True) -> None:
        # the generated __init__ of a frozen class sets each field through object.__setattr__; filling the new
        # instance's dict is the same object at about half the cost (an order makes one alert or more)
        fields = self.__dict__
        fields["code"] = code
        fields["text"] = text
        fields["review"] = review


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


#: The names `POLineDraft.__post_init__` moves out of `extra` (older snapshots kept them there).
_MOVED_FROM_EXTRA = frozenset({"renewal_date", "subscription_from_date", "subscription_to_date",
                               "expected_receipt_interval", "claiming_interval"})


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
    # --- renewals: a continuous order's renewal terms and the dates claiming counts from (renewals.py,
    # claims.py). Dates are ISO days (2027-01-01); intervals are days, None when not sent.
    manual_renewal: bool = False
    renewal_date: str = ""
    renewal_cycle: str = ""  # a RenewalCycle code (renewals.RENEWAL_CYCLES)
    renewal_period: int = 0  # the reminder period: days before the renewal date the renewal is due
    subscription_from: str = ""
    subscription_to: str = ""
    expected_receipt_interval: int | None = None
    expected_activation_interval: int | None = None
    claiming_interval: int | None = None  # the claiming grace period
    expected_receipt_date: str = ""
    expected_activation_date: str = ""

    def __post_init__(self) -> None:
        # snapshots of before kept the subscription dates and intervals among the fields kept as sent; a draft
        # whose kept fields name none of them (every draft made today) has nothing to move
        if not self.extra or self.extra.keys().isdisjoint(_MOVED_FROM_EXTRA):
            return
        for name, target in (("renewal_date", "renewal_date"), ("subscription_from_date", "subscription_from"),
                             ("subscription_to_date", "subscription_to")):
            value = self.extra.pop(name, None)
            if isinstance(value, str) and not getattr(self, target):
                setattr(self, target, value.rstrip("Z"))
        for name in ("expected_receipt_interval", "claiming_interval"):
            value = self.extra.pop(name, None)
            if getattr(self, name) is None and str(value or "").strip().isdigit():
                setattr(self, name, int(str(value).strip()))

    @property
    def copies(self) -> int:
        total = 0  # what sum() over the quantities gives, without a generator (read for every order's net price)
        for location in self.locations:
            total += location.quantity
        return total or 1


@dataclass(kw_only=True)
class Encumbrance:
    fund: str
    amount: Decimal  # in the fund's currency


@dataclass(kw_only=True)
class Claim:
    """The claiming job found the line overdue: what it expected by when, and how the vendor was told (only the
    first claim of a line goes to the vendor: by EDI, an OSTENQ message, or by e-mail, a claim letter)."""

    date: str  # the day the job claimed, ISO
    expected: str  # the expected receipt (physical) or activation (electronic) date that passed, ISO
    kind: str  # receipt | activation
    sent_to_vendor: bool = False
    channel: str = ""  # EDI | EMAIL | "" (not sent)
    letter: str = ""  # the e-mail claim letter's text, when sent by e-mail


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
    claims: list[Claim] = field(default_factory=list)  # --- renewals: the claiming job's claims, oldest first
    activation_done: bool = False  # its activation task was marked Done (closing.received_or_activated)

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
