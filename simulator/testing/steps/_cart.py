"""The vendor's cart in the features: the real `simulator.vendors` carts, used as a selector uses them (seed 002).

A Given step searches the vendor's stock and puts the title in a real `Cart`; the When step checks it out:
the cart verifies owning library, location and funds against what Alma reports, sends one Create PO line per
cart line, and keeps Alma's PO line number on the vendor's order line. Gherkin names a vendor as the librarian
knows it; `vendor_for` finds the profile whose setup at the institution uses that vendor record in Alma (at
Hudson Valley, Harrassowitz is the generic profile).

A few scenarios need an order no real cart sends (a line without owner or vendor account, half a price charged,
a purchase marked free of charge, an OCLC number only, an MMS ID, a journal subscription). For those a step
registers an adjustment on `ScenarioCart`: it changes the body the real cart built, just before the cart sends
it, and the step says why. Everything else (verification, retries, reading the outcome back) stays the cart's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

from simulator.backends import AlmaClient
from simulator.errors import AlmaError
from simulator.money import Money
from simulator.testing.steps._alma import snapshot
from simulator.testing.steps._types import Outcome
from simulator.vendors import VENDORS, Cart, CartLine, VendorStock, StockTitle, VendorProfile, VendorOrder, order_numbers

# The cart's formats, by the PO line type a Gherkin format stands for (simulator.testing.steps._types.FORMATS).
CART_FORMATS = {"PRINTED_BOOK_OT": "print", "E_BOOK_OT": "ebook"}
# The fund a selector picks when the scenario does not say: the library's obvious fund for the format.
DEFAULT_FUND = {"print": "HIST-MONO", "ebook": "EBOOKS-GEN", "journal": "SERIALS"}


def _new_title(title: str, author: str, isbn: str, publisher: str, place: str, year: str) -> StockTitle:
    usd = functools.partial(Money, currency="USD")
    return StockTitle(title=title, author=author, isbn=isbn, publisher=publisher, publication_place=place,
                          publication_year=year, vendor_title_number="", binding="cloth",
                          print_price=usd(Decimal("45.00")), platforms=("*",),
                          ebook_prices={model: usd(Decimal("95.00")) for model in ("1U", "3U", "UNL", "NL")})


# Titles just published, which no stock and no Community Zone collection holds yet. The shared named titles
# (simulator/data/vendor-catalogue.toml) are already held somewhere, so the features add these to each vendor's
# stock. They carry the publisher's US list price (45.00 USD in print, 95.00 USD as an ebook), which every
# vendor quotes to a US library, so the fund amounts in the features read the same for every vendor; each vendor
# sells the ebook on all its platforms ("*").
NEW_TITLES = [
    _new_title("Tidewater Archives: Records of the Colonial Chesapeake", "Tillery, Margaret", "9781469674315",
               "University of North Carolina Press", "Chapel Hill", "2025"),
    _new_title("The Printer's Devil: Apprentices and the Early American Press", "Whitcombe, Daniel",
               "9780812254983", "University of Pennsylvania Press", "Philadelphia", "2026"),
    _new_title("Mapping the Catskills: Surveyors and the State, 1790-1880", "Brandt, Elsie", "9781438491028",
               "SUNY Press", "Albany", "2024"),
    _new_title("Quarry Towns of the Hudson Highlands", "Pellegrino, Rosa", "9781625341181",
               "University of Massachusetts Press", "Amherst", "2025"),
    _new_title("Iron and Ice: The Hudson River Ice Trade", "Kessler, Anna", "9780801451270",
               "Cornell University Press", "Ithaca", "2026"),
]

# A title Hudson Valley already holds (in print, and on EBSCOhost and ProQuest Ebook Central from an ebook package;
# fixtures/institutions/hudson-valley.toml) that the shared vendor stock does not list: the features add it to
# each vendor's stock like the new titles, so GOBI and Oasis orders can find its portfolios in the institution.
HELD_TITLES = [
    _new_title("Canal Fever: The Erie Canal and the Empire State, 1817-1862", "Whitford, Nathaniel",
               "9781438492155", "SUNY Press", "Albany", "2022"),
]

# Step-side: the vendor carts sell print books and ebooks only, so a journal subscription is a print line whose
# body the step turns into a subscription (see `journal_subscription`). Issue price of one year, in US dollars.
JOURNALS = {"Journal of Hudson Valley Studies": ("2156-3713", "Hudson Valley University Press", Decimal("180.00"))}


def vendor_for(vendor_code: str, institution: str) -> VendorProfile:
    """The vendor profile whose setup at the institution uses this vendor record (GOBI, OASIS, HARRASSOWITZ …)."""
    for vendor in VENDORS.values():
        if vendor.setup(institution).vendor_code == vendor_code:
            return vendor
    raise AssertionError(f"no vendor profile orders as {vendor_code} at {institution}; profiles: {', '.join(VENDORS)}")


@functools.cache
def stock(name: str, currency: str) -> VendorStock:
    """The vendor's stock, in the currency it quotes the institution, with the new and held titles added."""
    vendor = VENDORS[name]
    built = VendorStock.build(vendor, currency=currency)
    return VendorStock(vendor, built.titles + [replace(t, platforms=vendor.platforms) for t in NEW_TITLES + HELD_TITLES])


def find_title(cart: Cart, text: str) -> StockTitle:
    """Search the vendor's stock as the selector does, and take the title named exactly."""
    found = stock(cart.vendor.name, cart.vendor.setup(cart.institution).currency).search(text)
    exact = [t for t in found if t.title == text]
    assert exact, f"{cart.vendor.label} does not list {text!r} (search found {[t.title for t in found][:5]})"
    return exact[0]


class OrderNumbers(Iterator[str]):
    """The vendor's own order numbers; a number a scenario names comes first."""

    def __init__(self, numbers: Iterator[str]) -> None:
        self.named: list[str] = []
        self.numbers = numbers

    def __next__(self) -> str:
        return self.named.pop(0) if self.named else next(self.numbers)


class ScenarioCart(Cart):
    """A real vendor cart, plus what the scenario needs to talk about it: its last line, its checked-out order,
    and adjustments to the body for orders no real cart sends (each step that adds one says why)."""

    def __init__(self, vendor: VendorProfile, alma: AlmaClient, institution: str) -> None:
        self.numbers = OrderNumbers(order_numbers(vendor))
        self.waits: list[float] = []  # the seconds the cart waited before trying again (it does not really wait)
        super().__init__(vendor, alma, institution=institution, order_numbers=self.numbers, sleep=self.waits.append)
        self.adjustments: list[Callable[[dict], None]] = []
        self.order: VendorOrder | None = None

    @property
    def line(self) -> CartLine:
        """The cart line a scenario talks about: the last one added."""
        assert self.lines, "the cart is empty"
        return self.lines[-1]

    def change(self, **changes: Any) -> CartLine:
        """Change the last line as the selector would in the cart: take it out and add it again, changed."""
        line = self.lines.pop()
        wanted: dict = dict(title=line.title, format=line.format, owning_library=line.owning_library,
                            location=line.location, quantity=line.quantity, funds=line.funds, platform=line.platform,
                            license=line.access_model, manual_review=line.manual_review)
        wanted.update(changes)
        return self.add(wanted.pop("title"), wanted.pop("format"), **wanted)

    def change_title(self, **changes: Any) -> CartLine:
        """The vendor's record of the title says something else (its ISBN, its title as keyed, its price)."""
        return self.change(title=replace(self.line.title, **changes))

    def adjust(self, adjustment: Callable[[dict], None]) -> None:
        self.adjustments.append(adjustment)

    def po_line(self, line) -> dict:
        body = super().po_line(line)
        for adjustment in self.adjustments:
            adjustment(body)
        return body


def open_cart(alma: AlmaClient, vendor_code: str, institution: str) -> ScenarioCart:
    return ScenarioCart(vendor_for(vendor_code, institution), alma, institution)


def fill_cart(alma: AlmaClient, vendor_code: str, institution: str, line_type: str, title: str,
              **options: Any) -> ScenarioCart:
    """The selector's cart with one title: the institution's first library and shelving location (as Alma lists
    them), and the obvious fund for the format unless the scenario names one."""
    cart = open_cart(alma, vendor_code, institution)
    library = alma.libraries()["library"][0]["code"]
    location = alma.locations(library)["location"][0]["code"]
    if line_type == "PRINTED_JOURNAL_CO":
        journal_subscription(cart, title, library, location)
    else:
        fmt = CART_FORMATS[line_type]
        cart.add(find_title(cart, title), fmt, owning_library=library, location=location,
                 funds=options.pop("funds", (DEFAULT_FUND[fmt],)), **options)
    return cart


def journal_subscription(cart: ScenarioCart, title: str, library: str, location: str) -> None:
    """Step-side: the vendor carts sell print books and ebooks, not subscriptions. The journal goes in as a print
    line and the body becomes a continuous print journal order, identified by its ISSN."""
    issn, publisher, price = JOURNALS[title]
    usd = Money(price, "USD")
    cart.add(StockTitle(title=title, author="", isbn="", publisher=publisher, publication_place="",
                            publication_year="", vendor_title_number="", binding="", print_price=usd),
             "print", owning_library=library, location=location, funds=(DEFAULT_FUND["journal"],))

    def as_subscription(body: dict) -> None:
        body["type"] = {"value": "PRINTED_JOURNAL_CO"}
        body["resource_metadata"]["issn"] = issn
    cart.adjust(as_subscription)


def check_out(alma: AlmaClient, cart: ScenarioCart) -> Outcome:
    """Check the cart out; the outcome of its (last) line, in the terms the Then steps read."""
    before = snapshot(alma)
    cart.order = cart.checkout()
    result = cart.order.lines[-1].result
    assert result is not None
    if result.outcome in ("created", "in_review"):
        return Outcome(value={"number": result.po_line_number}, before=before, number=result.po_line_number,
                       checkout=result)
    if result.outcome == "refused" and result.attempts:  # sent, and Alma refused it
        return Outcome(error=AlmaError(result.message, code=result.code), before=before, checkout=result)
    if result.outcome == "refused":  # the vendor's own verification refused it: nothing was sent
        return Outcome(before=before, checkout=result)
    # failed (Alma busy or failing beyond the retries) or possible_duplicate (Alma had created it): the Then steps
    # of simulator.testing.steps.trouble read these; any other Then fails on `Outcome.po_line`, naming the checkout.
    return Outcome(before=before, number=result.po_line_number, checkout=result)
