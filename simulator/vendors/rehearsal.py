"""A rehearsal: every vendor's selector fills carts with a realistic order mix, checks them out, and the
outcomes are counted — the engine of `almasim rehearse`.

Owns the `Selector` (the librarian at the vendor's website: titles, formats, owning library, location, funds,
copies), the order mix and the `Rehearsal` summary. The selector learns libraries, locations and funds from
Alma's API, as a vendor's setup worksheet does, so the mix suits any institution; it deliberately includes
titles already held, Community Zone ebooks on the vendor's home platform, titles that are nowhere, orders on a
nearly spent or a restricted fund, and orders with missing parts. Every random choice comes from one
`random.Random` per vendor, seeded from the rehearsal seed: same seed, same world → same summary.

With `lifecycle` (the default) each vendor's created orders are then followed to their end: the library
receives the print items and activates the ebooks' portfolios (its side, through the librarian's calls), the
vendor bills what it shipped (`invoicing`: an EDI file or Alma's invoice API), the library pays the approved
invoices, and the summary counts lines received, invoiced and closed. The funds' encumbered and spent totals
are read before and after, from the funds and from their transactions, which must agree.

The budget scales with the volume: a rehearsal of more than `BASE_ORDERS` orders per vendor first allocates
its everyday funds (those not nearly spent) more money in proportion (`budget`: the factor, "auto" by
default), so 20 and 10,000 orders show the same mix; a nearly spent fund stays nearly spent.
Imports simulator.backends (AlmaClient) and the vendor modules.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from decimal import Decimal

from simulator.backends import AlmaClient
from simulator.errors import AlmaError, HarnessError
from simulator.vendors.cart import (
    CREATED, FAILED, IN_REVIEW, POSSIBLE_DUPLICATE, REFUSED, Cart, CheckoutResult, RetryPolicy, order_numbers,
)
from simulator.vendors.stock import VendorStock, StockTitle
from simulator.vendors.invoicing import Shipped, bill
from simulator.vendors.profile import SERIAL_FORMATS, VendorProfile

# Kinds of cart line and how often a selector places them. [decision] About one cart line in eight is a serial
# (subscription 9, standing order 5 of 114): new serial orders are few beside new books, as a library's serials
# budget goes mostly to renewing what it already takes. A vendor that does not sell a kind places a book instead.
LINE_KINDS = {"print": 32, "ebook": 22, "named": 10, "community": 12, "split": 6, "nearly_spent": 6,
              "restricted": 6, "missing": 6, "subscription": 9, "standing_order": 5}
# The first line of the first orders walks through the rules, so even a short rehearsal shows each of them.
SHOWCASE = ("community", "named", "nearly_spent", "restricted", "missing", "community", "split", "community",
            "subscription", "standing_order", "subscription")
MANUAL_RENEWAL = 0.3  # [decision] the share of serial orders the library renews by hand (it reviews them first)
HEALTHY = 500  # a fund with at least this much available (in its currency) is a selector's everyday fund
NEARLY_SPENT = 200  # … and one with less than this is nearly spent
LATE = 0.25  # [decision] after the first, the share of print subscriptions and standing orders the vendor ships late
BASE_ORDERS = 20  # orders per vendor the seeded budget is sized for


@dataclass
class VendorSummary:
    vendor: str
    orders: int = 0
    outcomes: Counter = field(default_factory=Counter)
    in_review_reasons: Counter = field(default_factory=Counter)  # alert codes on In Review lines
    refusals: Counter = field(default_factory=Counter)  # error codes (Alma's, or the vendor's own)
    failures: Counter = field(default_factory=Counter)
    alerts: Counter = field(default_factory=Counter)  # alert codes on created lines (for information)
    portfolios: Counter = field(default_factory=Counter)  # iz | cz | local
    examples: dict[str, str] = field(default_factory=dict)  # refusal code -> first message seen
    received: int = 0  # created lines whose items were received or portfolios activated
    invoiced: int = 0  # created lines on an invoice Alma approved
    closed: int = 0  # created lines Alma closed
    invoices: int = 0  # invoices the vendor sent
    paid: int = 0  # … of which the library paid
    serials: dict[str, str] = field(default_factory=dict)  # created serial PO line number -> its cart format
    late: list[str] = field(default_factory=list)  # … of which the vendor did not ship (print: nothing received)
    year: dict[str, int] = field(default_factory=dict)  # what the advanced clock did to them (renewals, claims)

    @property
    def lines(self) -> int:
        return sum(self.outcomes.values())

    def count(self, result: CheckoutResult) -> None:
        self.outcomes[result.outcome] += 1
        codes = [a.code for a in result.alerts]
        if result.outcome == IN_REVIEW:
            self.in_review_reasons.update(codes)
        elif result.outcome == CREATED:
            self.alerts.update(codes)
        elif result.outcome == REFUSED:
            self.refusals[result.code] += 1
            self.examples.setdefault(result.code, result.message)
        elif result.outcome == FAILED:
            self.failures[result.code] += 1
        if result.portfolio:
            self.portfolios[result.portfolio] += 1

    def count_serial(self, number: str, format: str) -> None:
        self.serials[number] = format

    def serials_json(self) -> dict:
        ordered = Counter(self.serials.values())
        out: dict = {"ordered": {f: ordered[f] for f in SERIAL_FORMATS}, "late": len(self.late)}
        out.update(self.year)
        return out

    def as_json(self) -> dict:
        return {
            "orders": self.orders, "lines": self.lines, "created": self.outcomes[CREATED],
            "in_review": self.outcomes[IN_REVIEW], "refused": self.outcomes[REFUSED],
            "failed": self.outcomes[FAILED], "possible_duplicates": self.outcomes[POSSIBLE_DUPLICATE],
            "portfolios": {kind: self.portfolios[kind] for kind in ("iz", "cz", "local")},
            "reasons": {"in_review": dict(sorted(self.in_review_reasons.items())),
                        "refused": dict(sorted(self.refusals.items())),
                        "failed": dict(sorted(self.failures.items()))},
            "alerts": dict(sorted(self.alerts.items())),
            "received": self.received, "invoiced": self.invoiced, "closed": self.closed,
            "invoices": self.invoices, "paid": self.paid, "serials": self.serials_json(),
        }


@dataclass
class Rehearsal:
    seed: int
    institution: str
    orders: int
    vendors: dict[str, VendorSummary] = field(default_factory=dict)
    lifecycle: bool = True
    budget: float = 1.0  # the factor the everyday funds' allocation was scaled by
    funds: dict[str, dict[str, str]] = field(default_factory=dict)  # currency -> encumbered / spent (the change)
    funds_agree: bool = True  # every fund's balances equal the sums of its transactions, before and after
    advance: int = 0  # days the clock was moved on after ordering, so the renewal and claiming jobs ran
    clock: str = ""  # … to this day (YYYY-MM-DD); "" when it was not moved
    advance_failed: str = ""  # why the clock could not be moved (a real Alma has no simulator clock)

    def as_json(self) -> dict:
        return {"seed": self.seed, "institution": self.institution, "orders_per_vendor": self.orders,
                "lifecycle": self.lifecycle, "budget": self.budget,
                "advance": {"days": self.advance, "clock": self.clock, "failed": self.advance_failed},
                "vendors": {name: summary.as_json() for name, summary in self.vendors.items()},
                "funds": {"totals": self.funds, "agree_with_transactions": self.funds_agree}}


def _is_ebook_fund(fund: dict) -> bool:
    text = f"{fund.get('code', '')} {fund.get('name', '')}".casefold()
    return "ebook" in text or "electronic" in text


def _is_serial_fund(fund: dict) -> bool:
    return "serial" in f"{fund.get('code', '')} {fund.get('name', '')}".casefold()


def _available(fund: dict) -> float:
    return float(fund.get("available_balance") or 0)


class Selector:
    """The librarian choosing at the vendor's website, with the institution's setup read from Alma."""

    def __init__(self, vendor: VendorProfile, stock: VendorStock, alma: AlmaClient, rng: random.Random,
                 today: dt.date | None = None) -> None:
        self.vendor, self.stock, self.rng = vendor, stock, rng
        self.today = today or dt.date.today()  # the day serials start: Alma's today in a rehearsal
        self.libraries = [lib["code"] for lib in alma.libraries().get("library", [])]
        self.locations = {lib: [loc["code"] for loc in alma.locations(lib).get("location", [])]
                          for lib in self.libraries}
        self.funds = {lib: alma.funds(mode="POL", library=lib).get("fund", []) for lib in self.libraries}
        every = alma.funds(mode="ALL").get("fund", [])
        self.restricted = {lib: [f["code"] for f in every
                                 if f["code"] not in {g["code"] for g in self.funds[lib]}
                                 and str((f.get("status") or {}).get("value", "")) == "ACTIVE"
                                 and str((f.get("entity_type") or {}).get("value", "")) == "ALLOCATED"]
                           for lib in self.libraries}
        home = vendor.platforms[0] if vendor.platforms else ""
        self.community = [t for t in stock.named if home in t.platforms]
        self.ebooks = [t for t in stock.bulk if t.platforms and t.print_price is not None]
        self.on_application = [t for t in stock.bulk if t.print_price is None]
        self._next_community = 0

    # -- choices ---------------------------------------------------------------------------------------------------
    def _library(self) -> str:
        weights = [6] + [2] * (len(self.libraries) - 1)
        return self.rng.choices(self.libraries, weights=weights)[0]

    def _everyday_fund(self, library: str, ebook: bool) -> str:
        funds = [f for f in self.funds[library] if not _is_serial_fund(f) and _available(f) >= HEALTHY]
        wanted = [f for f in funds if _is_ebook_fund(f) == ebook] or funds
        return self.rng.choice(wanted)["code"] if wanted else ""

    def _serial_fund(self, library: str) -> str:
        funds = sorted(f["code"] for f in self.funds[library] if _is_serial_fund(f) and _available(f) >= HEALTHY)
        return funds[0] if funds else self._everyday_fund(library, False)

    def _serial(self, cart: Cart, kind: str) -> bool:
        """A journal subscription (print or online, as the vendor sells) or a standing order; False when the
        vendor sells neither."""
        if kind == "subscription":
            formats = [f for f in ("print_journal", "ejournal") if self.vendor.sells(f)]
            titles = self.stock.journals
        else:
            formats = ["standing_order"] if self.vendor.sells("standing_order") else []
            titles = self.stock.series
        if not formats or not titles:
            return False
        format = self.rng.choice(formats)
        title = self.rng.choice(titles)
        manual = self.rng.random() < MANUAL_RENEWAL
        if format == "ejournal":
            library = self.libraries[0]
            cart.add(title, format, owning_library=library, funds=(self._serial_fund(library),), starts=self.today,
                     manual_renewal=manual)
            return True
        library = self._library()
        location = self.rng.choice(self.locations[library]) if self.locations[library] else ""
        fund = self._serial_fund(library)
        cart.add(title, format, owning_library=library, location=location, funds=(fund,) if fund else (),
                 starts=self.today, manual_renewal=manual)
        return True

    def _nearly_spent_fund(self, library: str) -> str:
        funds = sorted((f for f in self.funds[library] if _available(f) < NEARLY_SPENT),
                       key=lambda f: (_available(f), f["code"]))
        return funds[0]["code"] if funds else self._everyday_fund(library, False)

    def _print(self, cart: Cart, title: StockTitle, *, library: str = "", funds: tuple[str, ...] = (),
               quantity: int = 1) -> None:
        library = library or self._library()
        location = self.rng.choice(self.locations[library]) if self.locations[library] else ""
        cart.add(title, "print", owning_library=library, location=location, quantity=quantity,
                 funds=funds or tuple(f for f in [self._everyday_fund(library, False)] if f))

    def _ebook(self, cart: Cart, title: StockTitle, platform: str = "") -> None:
        library = self.libraries[0]
        fund = self._everyday_fund(library, True)
        cart.add(title, "ebook", owning_library=library, platform=platform or self.rng.choice(title.platforms),
                 license=self.rng.choice(sorted(self.vendor.licenses)), funds=(fund,) if fund else ())

    def add_line(self, cart: Cart, kind: str) -> None:
        rng, bulk = self.rng, self.stock.bulk
        if kind in ("subscription", "standing_order") and self._serial(cart, kind):
            return
        if kind == "ebook" and self.ebooks:
            self._ebook(cart, rng.choice(self.ebooks))
        elif kind == "community" and self.community:
            title = self.community[self._next_community % len(self.community)]
            self._next_community += 1
            self._ebook(cart, title, platform=self.vendor.platforms[0])
        elif kind == "named":
            self._print(cart, rng.choice(self.stock.named))
        elif kind == "split":
            library = self._library()
            funds = tuple(dict.fromkeys(self._everyday_fund(library, False) for _ in range(4)))[:2]
            self._print(cart, rng.choice(bulk), library=library, funds=funds, quantity=rng.choice((2, 3)))
        elif kind == "nearly_spent":
            library = self.libraries[0]
            self._print(cart, rng.choice(bulk), library=library, funds=(self._nearly_spent_fund(library),))
        elif kind == "restricted" and self.restricted[self.libraries[0]]:
            library = self.libraries[0]
            self._print(cart, rng.choice(bulk), library=library, funds=(rng.choice(self.restricted[library]),))
        elif kind == "missing":
            if self.on_application and rng.random() < 0.5:
                self._print(cart, rng.choice(self.on_application))  # price on application: no price sent
            else:
                library = self._library()
                cart.add(rng.choice(bulk), "print", owning_library=library,
                         location=self.locations[library][0] if self.locations[library] else "")  # no fund chosen
        else:
            self._print(cart, rng.choice(bulk), quantity=rng.choices((1, 2), weights=(85, 15))[0])

    def fill(self, cart: Cart, index: int) -> None:
        """One order: one to three lines; the first orders start with a showcase line."""
        count = self.rng.choices((1, 2, 3), weights=(50, 30, 20))[0]
        kinds = self.rng.choices(list(LINE_KINDS), weights=list(LINE_KINDS.values()), k=count)
        if index < len(SHOWCASE):
            kinds[0] = SHOWCASE[index]
        for kind in kinds:
            self.add_line(cart, kind)


# ---------------------------------------------------------------- the budget and the funds ----------------------


def _allocated_funds(alma: AlmaClient) -> list[dict]:
    return [f for f in alma.funds(mode="ALL").get("fund", [])
            if str((f.get("entity_type") or {}).get("value", "")) == "ALLOCATED"]


def budget_factor(orders: int, budget: float | str | None = "auto") -> float:
    """The factor the everyday funds are scaled by: `budget` when given, else orders / BASE_ORDERS (at least 1)."""
    if budget is None or budget == "auto":
        return max(1.0, orders / BASE_ORDERS)
    return float(budget)


def scale_budget(alma: AlmaClient, factor: float) -> None:
    """Allocate each everyday fund (active, with at least NEARLY_SPENT available) (factor - 1) × its allocation
    more, as the library's fiscal office would for a larger season; nearly spent funds stay as they are."""
    if factor <= 1:
        return
    for fund in _allocated_funds(alma):
        active = str((fund.get("status") or {}).get("value", "")) == "ACTIVE"
        if not active or _available(fund) < NEARLY_SPENT:
            continue
        extra = (Decimal(str(fund.get("allocated_balance") or 0)) * Decimal(str(factor - 1))).quantize(Decimal("0.01"))
        if extra > 0:
            alma.add_fund_transaction(fund["code"], "ALLOCATION", str(extra), note="Rehearsal budget")


def _transactions(alma: AlmaClient, fund: str) -> list[dict]:
    found: list[dict] = []
    while True:
        page = alma.fund_transactions(fund, limit=100, offset=len(found))
        batch = page.get("fund_transaction", []) or []
        found += batch
        if not batch or len(found) >= int(page.get("total_record_count", 0)):
            return found


def fund_totals(alma: AlmaClient) -> tuple[dict[str, tuple[Decimal, Decimal]], bool]:
    """(currency -> (encumbered, spent) over every allocated fund, whether each fund's balances equal the sums
    of its transactions)."""
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    agree = True
    for fund in _allocated_funds(alma):
        encumbered = Decimal(str(fund.get("encumbered_balance") or 0))
        spent = Decimal(str(fund.get("expended_balance") or 0))
        sums: dict[str, Decimal] = {}
        for t in _transactions(alma, fund["code"]):
            kind = str((t.get("type") or {}).get("value", ""))
            sums[kind] = sums.get(kind, Decimal(0)) + Decimal(str((t.get("amount") or {}).get("sum", 0)))
        agree = agree and sums.get("EXPENDITURE", Decimal(0)) == spent and \
            sums.get("ENCUMBRANCE", Decimal(0)) - sums.get("DISENCUMBRANCE", Decimal(0)) == encumbered
        currency = str((fund.get("currency") or {}).get("value", ""))
        before = totals.get(currency, (Decimal(0), Decimal(0)))
        totals[currency] = (before[0] + encumbered, before[1] + spent)
    return totals, agree


# ---------------------------------------------------------------- after ordering ------------------------------


def receive_or_activate(alma: AlmaClient, po_line: dict) -> bool:
    """The library's side: receive every item still awaited, activate every portfolio not yet available.
    True when the line has something that arrived (a line with no inventory has nothing to wait for)."""
    number = po_line["number"]
    arrived = True
    # Alma lists a line's items by barcode and link only; the line's copies say which are received
    copies = [c for loc in alma.get_po_line(number).get("location") or () for c in loc.get("copy") or ()]
    for copy in copies:
        if not copy.get("receive_date"):
            try:
                alma.receive_item(number, copy["pid"])
            except AlmaError:
                arrived = False
    for portfolio in (po_line.get("portfolios") or {}).get("portfolio", []) or []:
        try:
            alma.activate_portfolio(portfolio["id"])
        except AlmaError:
            arrived = False
    return arrived


def _shipped(alma: AlmaClient, number: str, reference: str, title: str) -> Shipped | None:
    po_line = alma.get_po_line(number)
    net = po_line.get("net_price") or {}
    if not net.get("sum"):
        return None
    quantity = sum(int(loc.get("quantity") or 0) for loc in po_line.get("location", []) or []) or 1
    start = str(po_line.get("subscription_from_date") or "").rstrip("Z")
    period = {}
    if start:  # a serial is billed for its first year
        first = dt.date.fromisoformat(start)
        try:
            following = first.replace(year=first.year + 1)
        except ValueError:  # 29 February
            following = first.replace(year=first.year + 1, day=28)
        period = {"subscription_from": start, "subscription_to": (following - dt.timedelta(days=1)).isoformat()}
    return Shipped(po_line=number, vendor_reference=reference, title=title, quantity=quantity,
                   amount=Decimal(str(net["sum"])), currency=str((net.get("currency") or {}).get("value", "")), **period)


def follow_through(alma: AlmaClient, vendor: VendorProfile, institution: str, orders: list, summary: VendorSummary, *,
                   seed: int) -> None:
    """Each created order line to its end: received or activated, billed by the vendor, paid, closed."""
    created = [[line for line in order.lines if line.result is not None and line.result.outcome == CREATED]
               for order in orders]
    dates: list[str] = []
    late = set(summary.late)
    for order in created:
        for line in order:
            po_line = alma.get_po_line(line.po_line_number)
            dates.append(str(po_line.get("created_date", "")).rstrip("Z"))
            if line.po_line_number in late:
                continue  # the vendor has not shipped it: nothing arrives, nothing is billed
            if receive_or_activate(alma, po_line):
                summary.received += 1
    shipments = [[s for s in (_shipped(alma, line.po_line_number, line.vendor_reference_number,
                                       line.cart_line.title.title) for line in order
                              if line.po_line_number not in late) if s is not None]
                 for order in created]
    date = max((d for d in dates if d), default="2026-09-01")
    try:
        billed = bill(alma, vendor, institution, shipments, seed=seed, date=date)
    except (AlmaError, HarnessError) as error:  # e.g. a real Alma has no EDI drop: the orders stay uninvoiced
        summary.failures["INVOICE_NOT_SENT"] += sum(len(order) for order in shipments)
        summary.examples.setdefault("INVOICE_NOT_SENT", str(error))
        billed = []
    summary.invoices += len(billed)
    for invoice in billed:
        if invoice.status == "Waiting to be Sent":
            summary.invoiced += invoice.lines
            alma.invoice_operation(invoice.invoice_id, "paid")
            summary.paid += 1
    for order in created:
        for line in order:
            status = str((alma.get_po_line(line.po_line_number).get("status") or {}).get("value", ""))
            if status == "CLOSED":
                summary.closed += 1


def alma_today(alma: AlmaClient) -> dt.date:
    """The day it is in Alma, which the serials start on: the simulator's clock (moving it on by nothing answers
    the time), else — a real Alma has no simulator clock — today's date."""
    advance = getattr(alma, "advance_clock", None)
    if advance is not None:
        try:
            return dt.datetime.fromisoformat(str(advance(days=0)).replace("Z", "+00:00")).date()
        except Exception:  # noqa: BLE001 - not a simulator: any refusal means "no clock to read"
            pass
    return dt.date.today()


def ship_late(vendor: str, seed: int, summary: VendorSummary) -> None:
    """Which serials the vendor ships late (`summary.late`), deterministically: the first print journal
    subscription and the first standing order it takes, then each further one with the chance LATE [decision].
    E-journals are always activated on time."""
    rng = random.Random(f"{seed}:{vendor}:late")
    seen: set[str] = set()
    for number, format in summary.serials.items():
        if format == "ejournal":
            continue
        if format not in seen or rng.random() < LATE:
            summary.late.append(number)
        seen.add(format)


# ---------------------------------------------------------------- a year on: renewals and claims ---------------


# What became of each serial line once the clock moved on, in the order the summary explains them.
YEAR_COUNTS = ("renewed", "waiting_for_manual_renewal", "claimed", "claims", "claims_sent_to_vendor",
               "late_not_yet_claimed", "standing_orders_not_claimed", "closed", "other")


def _coded_value(value: object) -> str:
    return str(value.get("value", "") if isinstance(value, dict) else value or "")


def _serial_state(alma: AlmaClient, numbers: list[str]) -> dict[str, dict]:
    return {number: alma.get_po_line(number) for number in numbers}


def a_year_on(alma: AlmaClient, result: Rehearsal, days: int) -> None:
    """Move Alma's clock on by `days` (the daily renewal and claiming jobs run on each day passed) and count what
    became of every serial line: each lands in exactly one of renewed (Alma moved its renewal date on by itself),
    waiting for manual renewal, claimed (late print: not received by its expected date plus grace; claimed once,
    the claim sent to the vendor), late but not yet claimed, a late standing order Alma does not claim (all but
    Physical - Standing Order Non Monograph, which is claimed as late print is), closed, or other. Every count is read back from Alma: the PO lines, the renewals task list and the claims task list."""
    numbers = [number for summary in result.vendors.values() for number in summary.serials]
    before = _serial_state(alma, numbers)
    try:
        result.clock = str(alma.advance_clock(days=days))[:10]  # the day: a server's clock also runs in seconds
    except Exception as error:  # noqa: BLE001 - a real Alma has no simulator clock: the year is not shown
        result.advance_failed = f"{type(error).__name__}: {error}".strip()
        return
    result.advance = days
    after = _serial_state(alma, numbers)
    waiting = {line["number"] for line in alma.renewals().get("po_line", []) or []}
    in_claim = {line["number"]: line.get("claim", []) or [] for line in alma.claims().get("po_line", []) or []}
    for summary in result.vendors.values():
        counts = dict.fromkeys(YEAR_COUNTS, 0)
        late = set(summary.late)
        for number, format in summary.serials.items():
            status = _coded_value(after[number].get("status"))
            claims = in_claim.get(number, [])
            counts["claims"] += len(claims)
            counts["claims_sent_to_vendor"] += sum(1 for c in claims if c.get("sent_to_vendor"))
            if number in waiting:
                counts["waiting_for_manual_renewal"] += 1
            elif status == "CLOSED":
                counts["closed"] += 1
            elif claims:
                counts["claimed"] += 1
            elif number in late and format == "standing_order":
                counts["standing_orders_not_claimed"] += 1
            elif number in late:
                counts["late_not_yet_claimed"] += 1
            elif str(after[number].get("renewal_date", "")) > str(before[number].get("renewal_date", "")):
                counts["renewed"] += 1
            else:
                counts["other"] += 1
        summary.year = counts


def rehearse(alma: AlmaClient, vendors: list[VendorProfile], *, orders: int = 20, seed: int = 42,
             institution: str = "01TRLC_HVU", progress: Callable[[str, int, int], None] | None = None,
             retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
             lifecycle: bool = True, budget: float | str | None = "auto", advance: int = 0) -> Rehearsal:
    """Run each vendor's carts in turn against one Alma; `progress(vendor, done, total)` after each order. With
    `lifecycle` and `advance` (days), the clock then moves on and the serials' renewals and claims are counted."""
    factor = budget_factor(orders, budget)
    result = Rehearsal(seed=seed, institution=institution, orders=orders, lifecycle=lifecycle, budget=factor)
    scale_budget(alma, factor)
    before, agree_before = fund_totals(alma) if lifecycle else ({}, True)
    total, done = orders * len(vendors), 0
    today = alma_today(alma)
    for vendor in vendors:
        stock = VendorStock.build(vendor, seed=seed, currency=vendor.setup(institution).currency)
        selector = Selector(vendor, stock, alma, random.Random(f"{seed}:{vendor.name}"), today=today)
        numbers = order_numbers(vendor, seed)
        summary = result.vendors[vendor.name] = VendorSummary(vendor.name)
        placed = []
        for index in range(orders):
            cart = Cart(vendor, alma, institution=institution, order_numbers=numbers, retry=retry, sleep=sleep)
            selector.fill(cart, index)
            order = cart.checkout()
            placed.append(order)
            for line in order.lines:
                assert line.result is not None
                summary.count(line.result)
                if line.result.outcome == CREATED and line.cart_line.format in SERIAL_FORMATS:
                    summary.count_serial(line.po_line_number, line.cart_line.format)
            summary.orders += 1
            done += 1
            if progress:
                progress(vendor.name, done, total)
        if lifecycle:
            ship_late(vendor.name, seed, summary)
            follow_through(alma, vendor, institution, placed, summary, seed=seed)
    if lifecycle:
        after, agree_after = fund_totals(alma)
        result.funds_agree = agree_before and agree_after
        for currency in sorted(after):
            old = before.get(currency, (Decimal(0), Decimal(0)))
            result.funds[currency] = {"encumbered": f"{after[currency][0] - old[0]:.2f}",
                                      "spent": f"{after[currency][1] - old[1]:.2f}"}
        if advance > 0:
            a_year_on(alma, result, advance)
    return result
