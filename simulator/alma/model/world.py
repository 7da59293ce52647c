"""The zones and institutions that hold everything else, the sequences that number it, and API keys.
Imports the other model modules, simulator.errors, simulator.identifiers and simulator.money.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from simulator.errors import HarnessError
from simulator.identifiers import isbn_key
from simulator.money import Money
from simulator.alma.model.acquisitions import FiscalPeriod, Fund, Ledger, Library, NewOrderProfile, POLineType, Vendor
from simulator.alma.model.catalogue import (
    Catalogue, ElectronicCollection, Holding, Inventory, Item, Portfolio, Zone,
)
from simulator.alma.model.invoices import Invoice
from simulator.alma.model.orders import POLine, PurchaseOrder
from simulator.alma.model.users import Letter, User, UserRequest

from simulator.alma.model.restrictions import ApiRestrictionProfile, PurchasingReview


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
    restriction_profile: str = ""  # the code of an API Restrictions profile of its institution ("" = none)


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
    invoices: dict[str, Invoice] = field(default_factory=dict)  # by invoice id
    edi_outbox: dict[str, list[str]] = field(default_factory=dict)  # vendor code -> EDIFACT interchanges sent
    edi_references: Sequence = field(default_factory=lambda: Sequence(1))  # interchange control references
    users: dict[str, User] = field(default_factory=dict)  # by primary ID
    letters: list[Letter] = field(default_factory=list)  # every letter sent, oldest first
    user_requests: dict[str, UserRequest] = field(default_factory=dict)  # hold requests, by request ID
    asynchronous_processing_seconds: float = 0.0  # 0: status and alerts are in the answer
    job_runs: dict[str, str] = field(default_factory=dict)  # --- renewals: daily job -> its last run (ISO moment)
    metadata_template: MetadataTemplate = field(default_factory=MetadataTemplate)
    api_restrictions: dict[str, ApiRestrictionProfile] = field(default_factory=dict)  # by profile code
    purchasing_review: PurchasingReview = field(default_factory=PurchasingReview)
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
        for fiscal_period in self.fiscal_periods.values():  # the first current one (read by every funded order)
            if fiscal_period.current:
                return fiscal_period
        return None

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

    def remove_holding(self, holding_id: str) -> None:
        holding = self.holdings.pop(holding_id)
        self.holdings_by_bib[holding.mms_id].remove(holding_id)
        if not self.holdings_by_bib[holding.mms_id]:
            del self.holdings_by_bib[holding.mms_id]

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
