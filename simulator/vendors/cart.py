"""The cart workflow of seed 002, owned once for every vendor.

    search the catalogue → add to the cart (format, licence, owning library, location, funds, copies)
    → verify owning library, location and funds against what Alma reports → checkout: one Create PO line
    per cart line → Alma's PO line number kept on the vendor's order line (Alma keeps the vendor's
    order number as vendor_reference_number).

Owns `Cart`, `CartLine`, `Subscription`, `VendorOrder`, `OrderLine`, `CheckoutResult`, `RetryPolicy`,
`LineRefused` and the vendor's order numbering. Besides one-time books the cart sells serials — print and
electronic journal subscriptions and standing orders — as continuous PO lines carrying Alma's renewal and
claiming fields (`Subscription`) and the serial's ISSN.
Vendors differ only by their profile (`simulator.vendors.profile.VendorProfile`); which portfolio an ebook order
gets is Alma's decision, which the cart reads back from Alma afterwards. Retries: a 429 backs off and
tries again within the throttle budget; a 5xx or a time-out is retried a bounded number of times, and
after any answer that leaves the outcome unknown the cart first looks for a PO line carrying its vendor
reference number, reporting a possible duplicate order instead of sending a second one.
Imports simulator.backends (AlmaClient), simulator.errors, simulator.money, simulator.fakes and the vendor's
profile and catalogue. A time-out or a lost connection reaches the cart as simulator.errors' NoAnswer, whatever
the backend, so the cart never imports httpx.
"""

from __future__ import annotations

import datetime as dt
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from simulator.alma_json import code_of, money_json
from simulator.backends import AlmaClient
from simulator.errors import AlmaError, NoAnswer, VendorError
from simulator.fakes import acquisitions_faker
from simulator.money import Money
from simulator.vendors.stock import StockTitle
from simulator.vendors.profile import (
    FORMAT_NAMES, FORMATS, PHYSICAL_FORMATS, SERIAL_FORMATS, Setup, VendorProfile,
)

CREATED, IN_REVIEW, REFUSED, FAILED, POSSIBLE_DUPLICATE = (
    "created", "in_review", "refused", "failed", "possible_duplicate")
ANNUAL = "1"  # Alma's RenewalCycle code of a yearly renewal, the example Ex Libris' own PO lines show
# [decision] The terms a vendor's serial orders carry when the selector says nothing else: days before the renewal
# date the library is reminded, days after ordering the first issue (or volume) is expected, days of grace before
# a missing issue is claimed, days after ordering an e-journal is expected to be active.
REMINDER_DAYS = 60
CLAIM_GRACE_DAYS = 30
FIRST_ISSUE_DAYS = {"weekly": 21, "monthly": 45, "bimonthly": 75, "quarterly": 100, "three times a year": 130,
                    "semiannual": 190, "annual": 270}
ACTIVATION_DAYS = 30
# Errors after which nobody knows whether Alma created the line (the request may have arrived).
UNCERTAIN = (NoAnswer,)


class LineRefused(VendorError):
    """The vendor's own check refused a cart line before it was sent (LIBRARY_UNKNOWN, FUND_UNKNOWN, FUND_NOT_USABLE …)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RetryPolicy:
    """Seconds to wait before each retry; the number of waits is the number of retries.

    Alma answers 429 PER_SECOND_THRESHOLD above its per-second limit (wait and try again) and
    DAILY_THRESHOLD when the day's calls are spent (no retry helps)."""

    throttled: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
    transient: tuple[float, ...] = (1.0, 4.0, 10.0)


@dataclass(frozen=True)
class LineAlert:
    code: str
    text: str


@dataclass(frozen=True)
class CheckoutResult:
    """What became of one cart line at checkout."""

    outcome: str  # created | in_review | refused | failed | possible_duplicate
    po_line_number: str = ""  # Alma's PO line number
    status: str = ""  # Alma's PO line status code (SENT, INREVIEW …)
    alerts: tuple[LineAlert, ...] = ()
    code: str = ""  # refusal: Alma's error code, or the vendor's own (LIBRARY_UNKNOWN …)
    message: str = ""
    portfolio: str = ""  # ebooks: iz (found in the institution) | cz (activated from the CZ) | local
    attempts: int = 0

    def __str__(self) -> str:
        text = f"{self.outcome} {self.po_line_number}".strip()
        if self.alerts:
            text += " (" + ", ".join(a.code for a in self.alerts) + ")"
        if self.code:
            text += f" {self.code}: {self.message}"
        return text + (f", portfolio {self.portfolio}" if self.portfolio else "")


@dataclass(frozen=True)
class Subscription:
    """The terms of a continuous order (a journal subscription or a standing order), in Alma's PO line fields.

    [decision] A new subscription runs from the day it is ordered for a three-year term, renewing every year on
    its anniversary (`renewal_date`, one year on; Alma's renewal date falls before the subscription-to date);
    a standing order has no end. The library is reminded `renewal_period` days before the renewal date; a line
    with `manual_renewal` waits for a librarian then, the others renew by themselves."""

    subscription_from: str  # YYYY-MM-DD
    subscription_to: str  # "" for a standing order: it runs until cancelled
    renewal_date: str
    renewal_cycle: str = ANNUAL
    renewal_period: int = REMINDER_DAYS
    manual_renewal: bool = False
    expected_receipt_interval: int | None = None  # physical: days until the first issue or volume
    expected_activation_interval: int | None = None  # electronic: days until access
    claiming_interval: int = CLAIM_GRACE_DAYS

    @classmethod
    def starting(cls, day: dt.date, format: str, frequency: str = "", *, manual_renewal: bool = False,
                 reminder_days: int = REMINDER_DAYS) -> Subscription:
        def years_on(years: int) -> dt.date:
            try:
                return day.replace(year=day.year + years)
            except ValueError:  # 29 February
                return day.replace(year=day.year + years, day=28)
        ongoing = format == "standing_order"
        return cls(subscription_from=day.isoformat(),
                   subscription_to="" if ongoing else (years_on(3) - dt.timedelta(days=1)).isoformat(),
                   renewal_date=years_on(1).isoformat(), renewal_period=reminder_days, manual_renewal=manual_renewal,
                   expected_receipt_interval=None if format == "ejournal" else FIRST_ISSUE_DAYS.get(frequency, 270),
                   expected_activation_interval=ACTIVATION_DAYS if format == "ejournal" else None)

    def fields(self) -> dict[str, Any]:
        """The PO line fields, as Alma writes them (dates YYYY-MM-DDZ, intervals as digit strings)."""
        out: dict[str, Any] = {"subscription_from_date": f"{self.subscription_from}Z",
                               "renewal_date": f"{self.renewal_date}Z",
                               "renewal_cycle": {"value": self.renewal_cycle},
                               "renewal_period": str(self.renewal_period), "manual_renewal": self.manual_renewal,
                               "claiming_interval": str(self.claiming_interval)}
        if self.subscription_to:
            out["subscription_to_date"] = f"{self.subscription_to}Z"
        if self.expected_receipt_interval is not None:
            out["expected_receipt_interval"] = str(self.expected_receipt_interval)
        if self.expected_activation_interval is not None:
            out["expected_activation_interval"] = str(self.expected_activation_interval)
        return out


@dataclass(frozen=True)
class CartLine:
    title: StockTitle
    format: str  # print | ebook | print_journal | ejournal | standing_order (profile.FORMATS)
    owning_library: str
    location: str = ""  # print: the shelving location the copies go to
    quantity: int = 1
    funds: tuple[str, ...] = ()  # fund codes; the amount is shared equally
    platform: str = ""  # ebook: becomes access_provider
    access_model: str = ""  # ebook: Alma's access model code
    manual_review: bool = False  # the selector asks Alma to hold the PO line In Review (requires_manual_review)
    subscription: Subscription | None = None  # serials: the continuous order's terms

    @property
    def physical(self) -> bool:
        return self.format in PHYSICAL_FORMATS

    @property
    def price(self) -> Money | None:
        """List price of one unit before discount, as the vendor quotes it (a serial: a year's subscription, or one
        volume of a standing order); None when on application."""
        if self.format in SERIAL_FORMATS:
            return self.title.subscription_prices.get(self.format)
        if self.format == "ebook":
            return self.title.ebook_prices.get(self.access_model)
        return self.title.print_price


@dataclass
class OrderLine:
    """The vendor's order line: its own order number and, once created, Alma's PO line number."""

    vendor_reference_number: str
    cart_line: CartLine
    result: CheckoutResult | None = None

    @property
    def po_line_number(self) -> str:
        return self.result.po_line_number if self.result else ""


@dataclass
class VendorOrder:
    vendor: str
    institution: str
    lines: list[OrderLine] = field(default_factory=list)

    @property
    def results(self) -> list[CheckoutResult]:
        return [line.result for line in self.lines if line.result is not None]


def order_numbers(vendor: VendorProfile, seed: int = 0) -> Iterator[str]:
    """The vendor's order numbers, in its own format, never repeated; the same seed gives the same numbers."""
    fake = acquisitions_faker(zlib.crc32(f"orders:{seed}:{vendor.name}".encode()))
    seen: set[str] = set()
    while True:
        number = fake.vendor_order_number(vendor.order_number_format)
        if number not in seen:
            seen.add(number)
            yield number


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def fund_distribution(funds: tuple[str, ...], total: Money) -> list[dict]:
    """The line's total shared equally between its funds, to the cent; the last fund takes the remainder."""
    share = Money(total.amount / len(funds), total.currency)
    shares = [share] * (len(funds) - 1)
    shares.append(Money(total.amount - share.amount * (len(funds) - 1), total.currency))
    return [{"fund_code": {"value": code}, "amount": money_json(part)} for code, part in zip(funds, shares)]


class Cart:
    """One selector's cart at one vendor for one institution."""

    def __init__(self, vendor: VendorProfile, alma: AlmaClient, *, institution: str, order_numbers: Iterator[str],
                 retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.vendor = vendor
        self.alma = alma
        self.institution = institution
        self.lines: list[CartLine] = []
        self._order_numbers = order_numbers
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._setup: Setup | None = None
        self._libraries: set[str] | None = None
        self._locations: dict[str, set[str]] = {}
        self._funds: dict[str, set[str]] = {}
        self._all_funds: set[str] | None = None

    # -- filling the cart ------------------------------------------------------------------------------------------
    def add(self, title: StockTitle, format: str = "print", *, owning_library: str, location: str = "",
            quantity: int = 1, funds: tuple[str, ...] | list[str] | str = (), license: str = "",
            platform: str = "", manual_review: bool = False, starts: dt.date | str | None = None,
            manual_renewal: bool = False, reminder_days: int = REMINDER_DAYS) -> CartLine:
        """Put a title in the cart. The vendor's own rules apply here: it sells only the formats of its profile,
        ebooks only on its platforms and under its licences, serials only of a journal (subscriptions) or a series
        (standing orders). Library, location and funds are checked against Alma at checkout.
        `manual_review` sends the line with requires_manual_review, so Alma puts it on the In Review list.
        A serial starts on `starts` (default: today) and renews every year; `manual_renewal` and `reminder_days`
        are its renewal terms (`Subscription`)."""
        if format not in FORMATS or not self.vendor.sells(format):
            offered = ", ".join(FORMAT_NAMES[f] for f in self.vendor.formats)
            raise VendorError(f"{self.vendor.label} sells {offered}, not {FORMAT_NAMES.get(format, repr(format))}.")
        funds = (funds,) if isinstance(funds, str) else tuple(funds)
        if quantity < 1:
            raise VendorError(f"Quantity must be at least 1, not {quantity}.")
        wanted = {"print_journal": "journal", "ejournal": "journal", "standing_order": "series"}.get(format, "")
        if wanted != title.serial:
            what = {"journal": "a journal", "series": "a series", "": "a book"}
            raise VendorError(f"{title.title!r} is {what[title.serial]}: {self.vendor.label} cannot sell it as "
                              f"{FORMAT_NAMES[format][:-1]}.")
        subscription = None
        if format in SERIAL_FORMATS:
            day = dt.date.fromisoformat(starts) if isinstance(starts, str) else starts or dt.date.today()
            subscription = Subscription.starting(day, format, title.frequency, manual_renewal=manual_renewal,
                                                 reminder_days=reminder_days)
            quantity = 1
        access_model = ""
        if format == "ejournal":
            platform = platform or (title.platforms[0] if title.platforms else "")
            if platform not in title.platforms:
                raise VendorError(f"{self.vendor.label} does not sell {title.title!r} online"
                                  + (f" on {platform}." if platform else "."))
            location = ""
        elif format == "ebook":
            platform = platform or (title.platforms[0] if title.platforms else "")
            if platform not in title.platforms:
                raise VendorError(f"{self.vendor.label} does not sell {title.title!r} as an ebook"
                                  + (f" on {platform}." if platform else "."))
            try:
                access_model = self.vendor.access_model(license or next(iter(self.vendor.licenses)))
            except KeyError:
                raise VendorError(f"{self.vendor.label} has no licence {license!r}; it offers "
                                  f"{', '.join(self.vendor.licenses)}.") from None
            quantity, location = 1, ""
        line = CartLine(title=title, format=format, owning_library=owning_library, location=location,
                        quantity=quantity, funds=funds, platform=platform, access_model=access_model,
                        manual_review=manual_review, subscription=subscription)
        self.lines.append(line)
        return line

    # -- verifying against Alma ------------------------------------------------------------------------------------
    def verify(self, line: CartLine) -> None:
        """Check the owning library, location and funds against what Alma reports; raise LineRefused."""
        checks = self.vendor.checks
        if "owning_library" in checks and line.owning_library not in self._known_libraries():
            raise LineRefused("LIBRARY_UNKNOWN", f"Alma reports no library {line.owning_library!r} in "
                                                 f"{self.institution}.")
        if "location" in checks and line.physical and line.location \
                and line.location not in self._known_locations(line.owning_library):
            raise LineRefused("LOCATION_UNKNOWN", f"Library {line.owning_library} has no location "
                                                  f"{line.location!r}.")
        if "funds" in checks:
            usable = self.usable_funds(line.owning_library)
            for code in line.funds:
                if code not in usable and code not in self._known_funds():
                    raise LineRefused("FUND_UNKNOWN", f"Alma has no fund {code!r} in {self.institution}.")
                if code not in usable:
                    raise LineRefused("FUND_NOT_USABLE", f"Fund {code} cannot be used on a PO line for library "
                                                         f"{line.owning_library} (Alma lists "
                                                         f"{', '.join(sorted(usable)) or 'none'}).")

    def _known_libraries(self) -> set[str]:
        if self._libraries is None:
            self._libraries = {lib["code"] for lib in self.alma.libraries().get("library", [])}
        return self._libraries

    def _known_locations(self, library: str) -> set[str]:
        if library not in self._locations:
            self._locations[library] = {loc["code"] for loc in self.alma.locations(library).get("location", [])}
        return self._locations[library]

    def _known_funds(self) -> set[str]:
        """Every fund Alma has for the institution, usable or not (mode=ALL), asked once."""
        if self._all_funds is None:
            self._all_funds = {f["code"] for f in self.alma.funds(mode="ALL").get("fund", []) if f.get("code")}
        return self._all_funds

    def usable_funds(self, library: str) -> set[str]:
        """The funds the cart offers for an owning library: those Alma lists for its PO lines (mode=POL)."""
        if library not in self._funds:
            self._funds[library] = {f["code"] for f in self.alma.funds(mode="POL", library=library).get("fund", [])}
        return self._funds[library]

    @property
    def setup(self) -> Setup:
        """The vendor's setup for this institution; an account left blank is the first active one Alma lists."""
        if self._setup is None:
            setup = self.vendor.setup(self.institution)
            if not setup.vendor_account:
                accounts = self.alma.vendor(setup.vendor_code).get("account", [])
                active = [a["code"] for a in accounts if code_of(a.get("status")) in ("ACTIVE", "")]
                setup = Setup(setup.vendor_code, active[0] if active else "", setup.profile_code, setup.currency)
            self._setup = setup
        return self._setup

    # -- checkout --------------------------------------------------------------------------------------------------
    def po_line(self, line: OrderLine) -> dict:
        """The Create PO line body for one order line, as this vendor fills it."""
        vendor, cart_line, title = self.vendor, line.cart_line, line.cart_line.title
        body: dict[str, Any] = {
            "owner": {"value": cart_line.owning_library},
            "type": {"value": vendor.po_line_types[cart_line.format]},
            "vendor": {"value": self.setup.vendor_code},
            "vendor_account": self.setup.vendor_account,
            "acquisition_method": {"value": vendor.acquisition_method},
            "vendor_reference_number": line.vendor_reference_number,
            "resource_metadata": {name: getattr(title, name) for name in vendor.resource_metadata
                                  if getattr(title, name)},
        }
        if vendor.reference_number_type:
            body["vendor_reference_number_type"] = {"value": vendor.reference_number_type}
        price = cart_line.price
        if price is not None:
            body["price"] = money_json(price)
            if cart_line.funds:
                body["fund_distribution"] = fund_distribution(cart_line.funds, price.times(cart_line.quantity))
        elif cart_line.funds:
            percent = f"{Decimal(100) / len(cart_line.funds):.2f}"
            body["fund_distribution"] = [{"fund_code": {"value": code}, "percent": percent} for code in cart_line.funds]
        if cart_line.physical:
            location: dict[str, Any] = {"quantity": cart_line.quantity, "library": {"value": cart_line.owning_library}}
            if cart_line.location:
                location["shelving_location"] = cart_line.location
            body["location"] = [location]
        else:
            body["access_provider"] = cart_line.platform
            if cart_line.access_model:
                body["access_model"] = {"value": cart_line.access_model}
        if cart_line.subscription is not None:
            body.update(cart_line.subscription.fields())
        return body

    def checkout(self) -> VendorOrder:
        """Verify each line and send one Create PO line per line; the cart is empty afterwards."""
        order = VendorOrder(vendor=self.vendor.name, institution=self.institution)
        for cart_line in self.lines:
            line = OrderLine(vendor_reference_number=next(self._order_numbers), cart_line=cart_line)
            try:
                self.verify(cart_line)
            except LineRefused as refused:
                line.result = CheckoutResult(REFUSED, code=refused.code, message=refused.message)
            else:
                line.result = self._send(line)
            order.lines.append(line)
        self.lines = []
        return order

    def _send(self, line: OrderLine) -> CheckoutResult:
        body = self.po_line(line)
        throttled, transient = iter(self._retry.throttled), iter(self._retry.transient)
        attempts, uncertain = 0, False
        while True:
            attempts += 1
            try:
                if uncertain:  # the last try may have created the line: look before sending again
                    existing = self.existing_po_line(line)
                    if existing is not None:
                        return CheckoutResult(
                            POSSIBLE_DUPLICATE, po_line_number=existing["number"],
                            status=code_of(existing.get("status")), attempts=attempts,
                            message=f"PO line {existing['number']} already carries vendor reference number "
                                    f"{line.vendor_reference_number}; not sent again.")
                answer = self.alma.create_po_line(body, profile_code=self.setup.profile_code or None,
                                                  requires_manual_review=line.cart_line.manual_review or None)
            except AlmaError as error:
                if error.code == "DAILY_THRESHOLD":  # not Alma refusing the order: no call gets through today
                    return CheckoutResult(FAILED, code=error.code, attempts=attempts,
                                          message=f"not placed: {error.message}")
                if error.status == 429:
                    wait = next(throttled, None)
                elif error.status >= 500:
                    wait, uncertain = next(transient, None), True
                else:
                    return CheckoutResult(REFUSED, code=error.code, message=error.message, attempts=attempts)
                if wait is None:
                    return CheckoutResult(FAILED, code=error.code, attempts=attempts,
                                          message=f"gave up after {attempts} attempts: {error.message}")
            except UNCERTAIN as error:
                wait, uncertain = next(transient, None), True
                if wait is None:
                    return CheckoutResult(FAILED, code=type(error).__name__, attempts=attempts,
                                          message=f"gave up after {attempts} attempts: {error or type(error).__name__}")
            else:
                return self._settle(line, answer, attempts)
            self._sleep(wait)

    def existing_po_line(self, line: OrderLine) -> dict | None:
        """The PO line already carrying this order line's vendor reference number, if Alma has one.

        Alma's PO line search has no vendor_reference_number field, so the cart searches by ISBN (or title)
        and vendor code, and compares the vendor reference number of what comes back."""
        title = line.cart_line.title
        by = f"issn_isbn~{title.identifier}" if title.identifier else f"title~{title.title}"
        found = self.alma.list_po_lines(q=f"{by} AND vendor_code~{self.setup.vendor_code}", status="ALL_WITH_CLOSED",
                                        limit=100)
        for candidate in found.get("po_line", []) or []:
            if candidate.get("vendor_reference_number") == line.vendor_reference_number:
                return candidate
        return None

    def _settle(self, line: OrderLine, answer: dict, attempts: int) -> CheckoutResult:
        """Created: read status and alerts (the POST answer may lack them while Alma is still processing)."""
        number = answer.get("number", "")
        if not code_of(answer.get("status")):
            try:
                answer = self.alma.get_po_line(number)
            except (AlmaError, *UNCERTAIN):
                pass  # the line exists; its status is simply not known yet
        status = code_of(answer.get("status"))
        alerts = tuple(LineAlert(code_of(a), a.get("desc", "") if isinstance(a, dict) else "")
                       for a in answer.get("alert", []) or [])
        outcome = IN_REVIEW if status == "INREVIEW" else CREATED
        portfolio = self.portfolio_outcome(answer, line.cart_line) if line.cart_line.format == "ebook" else ""
        return CheckoutResult(outcome, po_line_number=number, status=status, alerts=alerts, portfolio=portfolio,
                              attempts=attempts)

    def portfolio_outcome(self, po_line: dict, cart_line: CartLine) -> str:
        """Where Alma found the ebook's portfolio, read from the bib's portfolios as Alma reports them.

        [decision] A portfolio this line did not bring (another on the platform, or one already available)
        was found in the institution; one that arrived *not available* with this line came from the Community
        Zone when it is linked to the CZ (Alma activates CZ portfolios as not available), else it was created
        locally. Empty when Alma reports no portfolio for the title on the platform."""
        mine = {p.get("id") for p in (po_line.get("portfolios") or {}).get("portfolio", []) or []}
        mms_id = code_of((po_line.get("resource_metadata") or {}).get("mms_id"))
        if not mms_id:
            return ""
        try:
            portfolios = self.alma.bib_portfolios(mms_id).get("portfolio", []) or []
        except (AlmaError, *UNCERTAIN):
            return ""
        ours = [p for p in portfolios if p.get("id") in mine]
        if not ours:
            on_platform = [p for p in portfolios if p.get("interface_name") == cart_line.platform]
            return "iz" if on_platform else ""
        portfolio = ours[0]
        if code_of(portfolio.get("availability")) == "11":
            return "iz"
        return "cz" if _truthy(portfolio.get("linked_to_cz")) else "local"
