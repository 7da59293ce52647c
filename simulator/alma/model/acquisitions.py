"""How an institution is set up for acquisitions: libraries and locations, fiscal periods, ledgers and funds,
vendors and their accounts, New Order API integration profiles, PO line types. Imports simulator.money.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from simulator.money import cents
from simulator.alma.model.catalogue import Inventory


# ---------------------------------------------------------------- configuration ----------------------------------


@dataclass(kw_only=True)
class Location:
    code: str
    name: str


@dataclass(kw_only=True)
class Library:
    code: str
    name: str
    locations: dict[str, Location] = field(default_factory=dict)

    @property
    def default_location(self) -> Location:
        return next(iter(self.locations.values()))


@dataclass(kw_only=True)
class FiscalPeriod:
    id: str
    name: str
    start: str
    end: str
    current: bool = False


@dataclass(kw_only=True)
class Ledger:
    code: str
    name: str
    fiscal_period: str
    id: str = ""


class TransactionType(enum.StrEnum):
    """The kinds of fund transaction Alma lists (GET /acq/funds/{fund_id}/transactions, `filter`)."""

    ALLOCATION = "ALLOCATION"
    ENCUMBRANCE = "ENCUMBRANCE"
    DISENCUMBRANCE = "DISENCUMBRANCE"
    EXPENDITURE = "EXPENDITURE"
    TRANSFER = "TRANSFER"


# The members every posting reads, as plain module names: in Python 3.11 reading a member through its enum class
# (TransactionType.ENCUMBRANCE) goes through EnumType's Python-level attribute hook, these are the same members.
_ALLOCATED_KINDS = (TransactionType.ALLOCATION, TransactionType.TRANSFER)
_ENCUMBRANCE, _DISENCUMBRANCE = TransactionType.ENCUMBRANCE, TransactionType.DISENCUMBRANCE


@dataclass(kw_only=True, frozen=True)
class FundTransaction:
    """One movement of money in a fund, in the fund's currency. The type names the balance it moves
    [decision]: ALLOCATION and TRANSFER move the allocated balance, ENCUMBRANCE raises and DISENCUMBRANCE
    lowers the encumbered balance, EXPENDITURE moves the expended balance. Amounts are as posted: a reversal
    (an invoice the ERP rejected) is a transaction of the same type with a negative amount; a transfer out of
    the fund is negative."""

    id: str
    type: TransactionType
    amount: Decimal
    date: str = ""
    po_line: str = ""
    invoice_number: str = ""
    invoice_line: str = ""
    related_fund: str = ""
    note: str = ""

    def __init__(self, *, id: str, type: TransactionType, amount: Decimal, date: str = "", po_line: str = "",
                 invoice_number: str = "", invoice_line: str = "", related_fund: str = "", note: str = "") -> None:
        # the generated __init__ of a frozen class sets each field through object.__setattr__; filling the new
        # instance's dict (in field order) is the same object at half the cost (every encumbrance makes one)
        fields = self.__dict__
        fields["id"] = id
        fields["type"] = type
        fields["amount"] = amount
        fields["date"] = date
        fields["po_line"] = po_line
        fields["invoice_number"] = invoice_number
        fields["invoice_line"] = invoice_line
        fields["related_fund"] = related_fund
        fields["note"] = note


_NO_ALLOWANCE = Decimal("0.00")  # what a fund without over-encumbrance may stretch by (Decimals never change)


@dataclass(kw_only=True)
class Fund:
    """An allocated fund. available = allocated - encumbered - expended; over-encumbrance may stretch it.

    The fund's transactions are the one source of truth: `allocated`, `encumbered` and `expended` are their
    running sums, changed only by `post`. The balances given to the constructor are *opening* balances: a fund
    made without transactions opens with one transaction per non-zero balance [decision]; a fund made with
    transactions (a snapshot) recounts its balances from them, whatever balances it was given."""

    id: str
    code: str
    name: str
    ledger: str
    fiscal_period: str
    currency: str
    allocated: Decimal = Decimal("0.00")
    encumbered: Decimal = Decimal("0.00")
    expended: Decimal = Decimal("0.00")
    active: bool = True
    entity_type: str = "ALLOCATED"
    libraries: list[str] = field(default_factory=list)  # empty: every library of the institution
    overencumbrance_allowed: bool = False
    overencumbrance_limit_percent: Decimal = Decimal("0")
    external_id: str = ""
    transactions: list[FundTransaction] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.transactions:
            self._recount()
            return
        opening = ((TransactionType.ALLOCATION, self.allocated), (TransactionType.ENCUMBRANCE, self.encumbered),
                   (TransactionType.EXPENDITURE, self.expended))
        self.allocated = self.encumbered = self.expended = Decimal("0.00")
        for kind, amount in opening:
            if amount:
                self.post(kind, amount, note="Opening balance")

    @property
    def available(self) -> Decimal:
        return cents(self.allocated - self.encumbered - self.expended)

    @property
    def allowance(self) -> Decimal:
        if not self.overencumbrance_allowed:
            return _NO_ALLOWANCE
        return cents(self.allocated * self.overencumbrance_limit_percent / 100)

    def can_cover(self, amount: Decimal) -> bool:
        if not self.overencumbrance_allowed:  # no allowance: adding its 0.00 to the cent-exact balance changes nothing
            return amount <= self.available
        return amount <= self.available + self.allowance

    def usable_by(self, library: str) -> bool:
        return not self.libraries or library in self.libraries

    # -- the one way money moves -----------------------------------------------------------------------------
    def post(self, kind: TransactionType, amount: Decimal, *, date: str = "", po_line: str = "",
             invoice_number: str = "", invoice_line: str = "", related_fund: str = "",
             note: str = "") -> FundTransaction:
        """Record a transaction and move the balance it names."""
        transaction = FundTransaction(id=f"{self.id}-{len(self.transactions) + 1}", type=kind,
                                      amount=cents(amount if type(amount) is Decimal else Decimal(amount)),
                                      date=date, po_line=po_line, invoice_number=invoice_number,
                                      invoice_line=invoice_line, related_fund=related_fund, note=note)
        self.transactions.append(transaction)
        self._apply(transaction)
        return transaction

    def encumber(self, amount: Decimal, *, date: str = "", po_line: str = "") -> None:
        self.post(_ENCUMBRANCE, amount, date=date, po_line=po_line)

    def release(self, amount: Decimal, *, date: str = "", po_line: str = "", invoice_number: str = "") -> None:
        self.post(_DISENCUMBRANCE, amount, date=date, po_line=po_line, invoice_number=invoice_number)

    def _apply(self, t: FundTransaction) -> None:
        kind = t.type
        if kind in _ALLOCATED_KINDS:
            self.allocated = cents(self.allocated + t.amount)
        elif kind is _ENCUMBRANCE:
            self.encumbered = cents(self.encumbered + t.amount)
        elif kind is _DISENCUMBRANCE:
            self.encumbered = cents(self.encumbered - t.amount)
        else:
            self.expended = cents(self.expended + t.amount)

    def _recount(self) -> None:
        self.allocated = self.encumbered = self.expended = Decimal("0.00")
        for transaction in self.transactions:
            self._apply(transaction)


@dataclass(kw_only=True)
class VendorAccount:
    code: str
    description: str = ""
    discount_percent: Decimal = Decimal("0")
    payment_method: str = "ACCOUNTINGDEPARTMENT"
    libraries: list[str] = field(default_factory=list)
    active: bool = True


@dataclass(kw_only=True)
class Vendor:
    """A vendor and its integration *system* (GOBI, OASIS, OTHER …): the system, not the code, chooses
    the profile and the portfolio search."""

    code: str
    name: str
    system: str = "OTHER"
    active: bool = True
    accounts: dict[str, VendorAccount] = field(default_factory=dict)
    default_platform: str = ""
    material_supplier: bool = True
    access_provider: bool = False
    currency: str = "USD"
    # the vendor's EDI account: its EDI code (NAD+SU in its files; empty: the vendor code) and whether Alma
    # sends it cancellations (ORDCHG) by EDI [decision: off unless configured; otherwise Alma would email]
    edi_code: str = ""
    edi_cancellations: bool = False
    # --- renewals: whether the vendor's EDI account takes claims (OSTENQ) [decision: off unless configured;
    # otherwise the claim goes as an e-mail claim letter]
    edi_claims: bool = False


class NoMatchAction(enum.StrEnum):
    IMPORT = "IMPORT"
    ADD_TO_NETWORK_ZONE = "ADD_TO_NZ"


class InventoryOperations(enum.StrEnum):
    NONE = "NONE"
    PHYSICAL = "PHYSICAL"
    ELECTRONIC = "ELECTRONIC"
    MIXED = "MIXED"


class ExternalCatalogSync(enum.StrEnum):
    PUBLISH_BIBLIOGRAPHIC_RECORDS = "PUBLISH_BIB"
    PUBLISH_HOLDINGS_ONLY = "PUBLISH_HOLDINGS"
    DONT_PUBLISH = "DONT_PUBLISH"


@dataclass(kw_only=True)
class NewOrderProfile:
    """A New Order API integration profile: every field of its two set-up steps (seed 001)."""

    # step 1
    code: str
    name: str
    integration_type: str = "NEW_ORDER_API"
    system: str = ""
    default: bool = False
    description: str = ""
    use_network_zone: bool = False
    # step 2
    normalization: str = ""  # a named normalization process; the initial normalization always runs
    validation_exception_profile: str = "MarcXML Bib Import"
    serial_match_method: str = "ISSN"
    non_serial_match_method: str = "ISBN"
    upon_no_match: NoMatchAction = NoMatchAction.IMPORT
    prefer_same_inventory_type: bool = True
    inventory_operations: InventoryOperations = InventoryOperations.MIXED
    sync_with_external_catalog: ExternalCatalogSync = ExternalCatalogSync.PUBLISH_BIBLIOGRAPHIC_RECORDS
    block_not_fully_funded: bool = False
    block_invalid_fund_code: bool = False
    block_insufficient_balance: bool = False


# With no profile at all Alma matches on ISBN/ISSN with default settings (alma-api.md §7).
DEFAULT_SETTINGS_PROFILE = NewOrderProfile(code="", name="(no profile: ISBN/ISSN with default settings)",
                                           serial_match_method="ISBN or ISSN",
                                           non_serial_match_method="ISBN or ISSN",
                                           prefer_same_inventory_type=False)


class Continuity(enum.StrEnum):
    """How long a PO line type's order runs: once, as a subscription, or as a standing order."""

    ONE_TIME = "one-time"
    CONTINUOUS = "continuous"
    STANDING_ORDER = "standing-order"


@dataclass(kw_only=True, frozen=True)
class POLineType:
    """A row of the institution's PO line type table (code table PurchaseType). Behaviour follows the row, not
    the code's spelling: the classic format-specific codes (PRINTED_BOOK_OT "Print Book - One Time") and the
    consolidated ones (PRINT_OT "Physical - One Time") are both just rows saying what inventory the line
    orders, whether it is a serial, and whether it is one-time or continuous."""

    code: str
    label: str
    inventory: Inventory
    serial: bool = False
    enabled: bool = True
    continuity: Continuity = Continuity.ONE_TIME
    material_type: str = ""  # the physical material type a line of this type shows unless one is sent
    # a standing-order type whose lines the claiming job claims all the same (Knowledge Center "Processing Claims":
    # Physical - Standing Order Non Monograph is claimed; other standing orders are not)
    claimed: bool = False

    @property
    def continuous(self) -> bool:
        return self.continuity is not Continuity.ONE_TIME
