"""The world of the simulated Alma: zones, institutions and everything an order touches.

Entities are plain dataclasses with their behaviour as methods (a fund encumbers, a catalogue indexes its
records). Nothing here knows Alma's JSON spellings or HTTP. Imports only simulator.money/errors and
simulator.identifiers.
"""

from __future__ import annotations

import enum
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from simulator.errors import HarnessError
from simulator.identifiers import isbn_key, issn_key
from simulator.money import Money, cents


class Zone(enum.StrEnum):
    COMMUNITY = "CZ"
    NETWORK = "NZ"
    INSTITUTION = "IZ"


class Inventory(enum.StrEnum):
    """What a PO line type creates, and what a bibliographic record holds."""

    PHYSICAL = "physical"
    ELECTRONIC = "electronic"
    COLLECTION = "collection"  # an electronic collection: activated, no per-title portfolio
    NONE = "none"
    MIXED = "mixed"  # a record holding both physical and electronic inventory


class POLineStatus(enum.StrEnum):
    IN_REVIEW = "INREVIEW"
    AUTO_PACKAGING = "AUTO_PACKAGING"
    MANUAL_PACKAGING = "MANUAL_PACKAGING"
    READY = "READY"
    SENT = "SENT"
    WAITING_FOR_INVOICE = "WAITING_FOR_INVOICE"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


STATUS_LABELS = {
    POLineStatus.IN_REVIEW: "In Review",
    POLineStatus.AUTO_PACKAGING: "Auto Packaging",
    POLineStatus.MANUAL_PACKAGING: "Manual Packaging",
    POLineStatus.READY: "Ready",
    POLineStatus.SENT: "Sent",
    POLineStatus.WAITING_FOR_INVOICE: "Waiting for Invoice",
    POLineStatus.CLOSED: "Closed",
    POLineStatus.CANCELLED: "Cancelled",
}


# ---------------------------------------------------------------- catalogue -------------------------------------


@dataclass(kw_only=True, slots=True)
class Bib:
    """A bibliographic record in one zone. Identifiers are kept as sent and indexed by their keys.
    Slotted: a catalogue holds a million of them (PRODUCT.md: 1M bibs in < 2 GB, lookups that do not slow)."""

    mms_id: str
    zone: Zone
    title: str
    author: str = ""
    isbns: list[str] = field(default_factory=list)
    issns: list[str] = field(default_factory=list)
    publisher: str = ""
    publication_place: str = ""
    publication_year: str = ""
    system_numbers: list[str] = field(default_factory=list)  # 035 $a, e.g. "(OCoLC)123456"
    vendor_title_numbers: list[str] = field(default_factory=list)
    brief: bool = False
    local_notes: list[str] = field(default_factory=list)
    publish_to_external_catalog: str = "PUBLISH_BIB"  # the profile's management tag
    network_mms_id: str = ""  # an IZ record linked to a Network Zone record
    suppressed: bool = False
    created_by_order: str = ""  # the PO line number that created this brief record
    validation_problems: list[str] = field(default_factory=list)
    metadata_template: str = ""  # the template a brief record was built from
    language: str = ""
    encoding_level: str = ""  # MARC leader/17: "3" abbreviated (brief), " " full


# The keys a catalogue indexes; match methods look records up by them.
INDEX_KINDS = ("isbn", "issn", "system_number", "vendor_title_number")


def record_keys(bib: Bib) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {kind: set() for kind in INDEX_KINDS}
    keys["isbn"] = {k for k in (isbn_key(i) for i in bib.isbns) if k}
    keys["issn"] = {k for k in (issn_key(i) for i in bib.issns) if k}
    keys["system_number"] = {n.strip().upper() for n in bib.system_numbers if n.strip()}
    keys["vendor_title_number"] = {n.strip().upper() for n in bib.vendor_title_numbers if n.strip()}
    return keys


def _by_mms_id(bib: Bib) -> str:
    return bib.mms_id


def _records(entry: Bib | tuple[Bib, ...] | None) -> tuple[Bib, ...]:
    return () if entry is None else entry if type(entry) is tuple else (entry,)


class Catalogue:
    """The bibliographic records of one zone, indexed by every matching key (lookups never scan)."""

    def __init__(self, zone: Zone) -> None:
        self.zone = zone
        self.bibs: dict[str, Bib] = {}
        # kind -> key -> the record carrying it, or a tuple of them in MMS ID order when several do (lean: most
        # keys name one record; the records themselves, so a lookup among a million touches little memory)
        self._index: dict[str, dict[str, Bib | tuple[Bib, ...]]] = {kind: {} for kind in INDEX_KINDS}
        self._linked: dict[str, str] = {}  # Network Zone MMS ID -> the institution record linked to it

    def add(self, bib: Bib) -> Bib:
        if bib.mms_id in self.bibs:
            raise HarnessError(f"MMS ID {bib.mms_id} is already in the {self.zone} catalogue")
        self.bibs[bib.mms_id] = bib
        if bib.network_mms_id:
            self._linked[bib.network_mms_id] = bib.mms_id
        if not bib.suppressed:
            self._index_record(bib)
        return bib

    def _index_record(self, bib: Bib) -> None:
        for kind, keys in record_keys(bib).items():
            index = self._index[kind]
            for key in keys:
                found = index.get(key)
                index[key] = bib if found is None else tuple(sorted((*_records(found), bib), key=_by_mms_id))

    def remove(self, mms_id: str) -> None:
        bib = self.bibs.pop(mms_id)
        self._linked.pop(bib.network_mms_id, None)
        self._unindex_record(bib)

    def suppress(self, mms_id: str) -> None:
        """A suppressed record stays in the catalogue but no match method finds it any more."""
        bib = self.bibs[mms_id]
        if not bib.suppressed:
            bib.suppressed = True
            self._unindex_record(bib)

    def _unindex_record(self, bib: Bib) -> None:
        mms_id = bib.mms_id
        for kind, keys in record_keys(bib).items():
            index = self._index[kind]
            for key in keys:
                left = tuple(b for b in _records(index.get(key)) if b.mms_id != mms_id)
                if left:
                    index[key] = left[0] if len(left) == 1 else left
                else:
                    index.pop(key, None)

    def lookup(self, kind: str, key: str) -> list[Bib]:
        """The records carrying `key` (suppressed records are not indexed, so no record is read here)."""
        found = self._index[kind].get(key)
        if found is None:
            return []
        return list(found) if type(found) is tuple else [found]  # one record: the common case, kept unwrapped

    def linked_to(self, network_mms_id: str) -> Bib | None:
        mms_id = self._linked.get(network_mms_id)
        return self.bibs.get(mms_id) if mms_id else None

    def __len__(self) -> int:
        return len(self.bibs)


@dataclass(kw_only=True)
class ElectronicCollection:
    """An electronic collection on one platform (interface). In the Community Zone it lists portfolios."""

    id: str
    name: str
    platform: str
    zone: Zone
    community_id: str = ""  # an IZ collection activated from the Community Zone
    active: bool = True


@dataclass(kw_only=True)
class Portfolio:
    """An electronic portfolio: one title on one platform. One ordering PO line, plus additional lines."""

    id: str
    mms_id: str
    platform: str
    title: str = ""
    isbn: str = ""
    vendor_title_number: str = ""
    collection_id: str = ""
    community_id: str = ""  # the CZ portfolio this one was activated from, else local
    available: bool = False
    po_line: str = ""  # the ordering PO line
    additional_po_lines: list[str] = field(default_factory=list)
    access_model: str = ""

    @property
    def origin(self) -> str:
        return "community" if self.community_id else "local"


# ---------------------------------------------------------------- inventory --------------------------------------


@dataclass(kw_only=True)
class Holding:
    id: str
    mms_id: str
    library: str
    location: str


@dataclass(kw_only=True)
class Item:
    id: str
    holding_id: str
    mms_id: str
    po_line: str
    barcode: str = ""
    item_policy: str = ""
    received: bool = False
    receive_date: str = ""
    expected_arrival_date: str = ""
    description: str = ""


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


@dataclass(kw_only=True)
class Fund:
    """An allocated fund. available = allocated - encumbered - expended; over-encumbrance may stretch it."""

    id: str
    code: str
    name: str
    ledger: str
    fiscal_period: str
    currency: str
    allocated: Decimal
    encumbered: Decimal = Decimal("0.00")
    expended: Decimal = Decimal("0.00")
    active: bool = True
    entity_type: str = "ALLOCATED"
    libraries: list[str] = field(default_factory=list)  # empty: every library of the institution
    overencumbrance_allowed: bool = False
    overencumbrance_limit_percent: Decimal = Decimal("0")
    external_id: str = ""

    @property
    def available(self) -> Decimal:
        return cents(self.allocated - self.encumbered - self.expended)

    @property
    def allowance(self) -> Decimal:
        if not self.overencumbrance_allowed:
            return Decimal("0.00")
        return cents(self.allocated * self.overencumbrance_limit_percent / 100)

    def can_cover(self, amount: Decimal) -> bool:
        return amount <= self.available + self.allowance

    def usable_by(self, library: str) -> bool:
        return not self.libraries or library in self.libraries

    def encumber(self, amount: Decimal) -> None:
        self.encumbered = cents(self.encumbered + amount)

    def release(self, amount: Decimal) -> None:
        self.encumbered = cents(self.encumbered - amount)


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


@dataclass(kw_only=True, frozen=True)
class POLineType:
    code: str
    label: str
    inventory: Inventory
    serial: bool = False
    enabled: bool = True


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
    visible_after: float = 0.0  # asynchronous processing: status and alerts hidden until then (epoch s)
    portfolio_outcome: str = ""  # iz | cz | local | bib-only: how the electronic inventory was found

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


# ---------------------------------------------------------------- zones and institutions ------------------------


class Sequence:
    """Numbers that are never reused: MMS IDs and friends, PO line and PO numbers."""

    def __init__(self, start: int = 1) -> None:
        self.next = start

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


@dataclass(kw_only=True)
class CommunityZone:
    catalogue: Catalogue = field(default_factory=lambda: Catalogue(Zone.COMMUNITY))
    collections: dict[str, ElectronicCollection] = field(default_factory=dict)
    collection_keys: dict[str, str] = field(default_factory=dict)  # seed handles, e.g. "ebscohost-ebooks"
    portfolios: dict[str, Portfolio] = field(default_factory=dict)
    # (platform, key kind, key) -> CZ portfolio ids
    portfolio_index: dict[tuple[str, str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    sequence: Sequence = field(default_factory=lambda: Sequence(1000001))

    def add_portfolio(self, portfolio: Portfolio) -> None:
        self.portfolios[portfolio.id] = portfolio
        for kind, key in _portfolio_keys(portfolio):
            self.portfolio_index[(portfolio.platform, kind, key)].append(portfolio.id)

    def find_portfolios(self, platform: str, keys: list[tuple[str, str]]) -> list[Portfolio]:
        for kind, key in keys:
            ids = self.portfolio_index.get((platform, kind, key))
            if ids:
                return [self.portfolios[i] for i in ids]
        return []


def _portfolio_keys(portfolio: Portfolio) -> list[tuple[str, str]]:
    keys = []
    if portfolio.isbn and (k := isbn_key(portfolio.isbn)):
        keys.append(("isbn", k))
    if portfolio.vendor_title_number:
        keys.append(("vendor_title_number", portfolio.vendor_title_number.strip().upper()))
    return keys


@dataclass(kw_only=True)
class NetworkZone:
    code: str
    name: str
    mms_suffix: str
    members: list[str] = field(default_factory=list)
    catalogue: Catalogue = field(default_factory=lambda: Catalogue(Zone.NETWORK))
    sequence: Sequence = field(default_factory=lambda: Sequence(5000001))


@dataclass(kw_only=True)
class ApiKey:
    key: str
    institution: str
    areas: frozenset[str] = frozenset({"acq", "bibs", "conf", "electronic"})
    write: bool = True


@dataclass(kw_only=True, frozen=True)
class MetadataTemplate:
    """The institution's default metadata template: what every brief record an order creates starts from
    (seed 002: "Alma creates a brief bibliographic record"; alma-api.md §7.5)."""

    name: str = "Default brief record"
    language: str = "eng"
    encoding_level: str = "3"


@dataclass(kw_only=True)
class Institution:
    code: str
    name: str
    mms_suffix: str
    network: str = ""
    currency: str = "USD"
    exchange_rates: dict[str, Decimal] = field(default_factory=dict)  # 1 unit of X in the base currency
    libraries: dict[str, Library] = field(default_factory=dict)
    fiscal_periods: dict[str, FiscalPeriod] = field(default_factory=dict)
    ledgers: dict[str, Ledger] = field(default_factory=dict)
    funds: dict[str, Fund] = field(default_factory=dict)
    vendors: dict[str, Vendor] = field(default_factory=dict)
    profiles: dict[str, NewOrderProfile] = field(default_factory=dict)
    po_line_types: dict[str, POLineType] = field(default_factory=dict)
    access_models: dict[str, str] = field(default_factory=dict)
    upgrade_access_models: list[str] = field(default_factory=list)
    cancellation_reasons: dict[str, str] = field(default_factory=dict)
    catalogue: Catalogue = field(default_factory=lambda: Catalogue(Zone.INSTITUTION))
    holdings: dict[str, Holding] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    collections: dict[str, ElectronicCollection] = field(default_factory=dict)
    portfolios: dict[str, Portfolio] = field(default_factory=dict)
    po_lines: dict[str, POLine] = field(default_factory=dict)
    purchase_orders: dict[str, PurchaseOrder] = field(default_factory=dict)
    asynchronous_processing_seconds: float = 0.0  # 0: status and alerts are in the answer
    metadata_template: MetadataTemplate = field(default_factory=MetadataTemplate)
    # sequences
    ids: Sequence = field(default_factory=lambda: Sequence(1000001))
    po_line_numbers: Sequence = field(default_factory=lambda: Sequence(10001))
    po_numbers: Sequence = field(default_factory=lambda: Sequence(5001))
    barcodes: Sequence = field(default_factory=lambda: Sequence(100001))
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    # derived indexes (rebuilt from the lists above, never the source of truth)
    holdings_by_bib: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    portfolios_by_bib: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    portfolio_by_community: dict[str, str] = field(default_factory=dict)
    po_lines_by_bib: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    # -- identifiers shaped like Alma's --------------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        """99… bibs, 22… holdings, 23… items, 53… portfolios, 61… collections; suffix names the institution."""
        return f"{prefix}{self.ids.take():010d}{self.mms_suffix}"

    def new_barcode(self) -> str:
        """An item's barcode: the institution code's last three characters and a running number."""
        return f"{self.code[-3:]}-{self.barcodes.take():07d}"

    # -- reading -------------------------------------------------------------------------------------------------
    @property
    def current_fiscal_period(self) -> FiscalPeriod | None:
        return next((fp for fp in self.fiscal_periods.values() if fp.current), None)

    def default_profile(self) -> NewOrderProfile | None:
        return next((p for p in self.profiles.values() if p.default), None)

    def inventory_of(self, mms_id: str) -> Inventory:
        physical = bool(self.holdings_by_bib.get(mms_id))
        electronic = bool(self.portfolios_by_bib.get(mms_id))
        if physical and electronic:
            return Inventory.MIXED
        if physical:
            return Inventory.PHYSICAL
        if electronic:
            return Inventory.ELECTRONIC
        return Inventory.NONE

    def to_base(self, money: Money) -> Decimal:
        if money.currency == self.currency:
            return money.amount
        return money.amount * self.exchange_rates[money.currency]

    def convert(self, money: Money, currency: str) -> Money:
        """Exchange at the institution's rates (institution data, not a market feed)."""
        if money.currency == currency:
            return money
        base = self.to_base(money)
        rate = Decimal(1) if currency == self.currency else self.exchange_rates[currency]
        return Money(base / rate, currency)

    def knows_currency(self, code: str) -> bool:
        return code == self.currency or code in self.exchange_rates

    # -- writing inventory ---------------------------------------------------------------------------------------
    def add_holding(self, holding: Holding) -> None:
        self.holdings[holding.id] = holding
        self.holdings_by_bib[holding.mms_id].append(holding.id)

    def add_portfolio(self, portfolio: Portfolio) -> None:
        self.portfolios[portfolio.id] = portfolio
        self.portfolios_by_bib[portfolio.mms_id].append(portfolio.id)
        if portfolio.community_id:
            self.portfolio_by_community[portfolio.community_id] = portfolio.id

    def add_po_line(self, line: POLine) -> None:
        self.po_lines[line.number] = line
        self.po_lines_by_bib[line.mms_id].append(line.number)


@dataclass(kw_only=True)
class World:
    """Everything the simulated Alma knows: one Community Zone, Network Zones, institutions and API keys."""

    community_zone: CommunityZone = field(default_factory=CommunityZone)
    networks: dict[str, NetworkZone] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    api_keys: dict[str, ApiKey] = field(default_factory=dict)
    name: str = "default"

    def institution(self, code: str) -> Institution:
        try:
            return self.institutions[code]
        except KeyError:
            raise HarnessError(f"no institution {code!r} in the world {self.name!r}") from None

    def network_of(self, institution: Institution) -> NetworkZone | None:
        return self.networks.get(institution.network) if institution.network else None
