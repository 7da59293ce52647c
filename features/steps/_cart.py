"""A vendor's shopping cart, step-side: what GOBI, Oasis or Harrassowitz send to Alma at checkout.

Stand-in until `simulator/vendors/` ships the vendor carts: it builds the PO line a vendor's checkout sends
through the Create PO line API (seed 002) and keeps, as the vendor does, the Alma PO line number it got back.
The titles the vendors sell are listed in `TITLES` (the seed's records and Community Zone titles, plus a few
new titles no catalogue holds yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from simulator.money import Money


@dataclass(frozen=True)
class Title:
    isbn: str = ""
    author: str = ""
    publisher: str = ""
    year: str = ""
    issn: str = ""


TITLES = {
    # in Hudson Valley University's catalogue (fixtures/institutions/hudson-valley.toml)
    "Rivers of Empire: Water and Power in the Hudson Valley": Title("9781503642225", "Van Loon, Pieter",
                                                                    "Stanford University Press", "2019"),
    "Digital Humanities and the Archive": Title("9781108470377", "Lindqvist, Maja", "Cambridge University Press",
                                                "2023"),
    "The Atlantic World, 1450-1850": Title("9780312252595", "Brathwaite, Elaine", "St. Martin's Press", "2018"),
    "Cities of Salt and Steel": Title("9780521852968", "Oyelaran, Tunde", "Cambridge University Press", "2021"),
    "Reading the Medieval Landscape": Title("9781138003330", "Ashdown, Clare", "Routledge", "2016"),
    "Journal of Hudson Valley Studies": Title(issn="2156-3713", publisher="Hudson Valley University Press"),
    "Sacred Geographies of the Mediterranean": Title("9780847843701", "Castellano, Ilaria", "Rowman & Littlefield",
                                                     "2020"),
    # in the Network Zone (fixtures/world.toml)
    "Comparative Constitutional Design": Title("9780226811482", "Ferreira, Lucas", "University of Chicago Press",
                                               "2021"),
    # in the Community Zone only (fixtures/community-zone.toml)
    "Coastal Resilience and the Politics of Adaptation": Title("9780300120004", "Okafor, Adaeze",
                                                               "Yale University Press", "2024"),
    "Ledgers of Empire: Accounting and Colonial Rule": Title("9780190880743", "Haddad, Samir",
                                                             "Oxford University Press", "2022"),
    "Soundscapes of the Industrial City": Title("9781478011118", "Moreau, Camille", "Duke University Press", "2025"),
    # new titles: no catalogue and no Community Zone collection holds them
    "Tidewater Archives: Records of the Colonial Chesapeake": Title("9781469674315", "Tillery, Margaret",
                                                                    "University of North Carolina Press", "2025"),
    "The Printer's Devil: Apprentices and the Early American Press": Title("9780812254983", "Whitcombe, Daniel",
                                                                           "University of Pennsylvania Press", "2026"),
    "Mapping the Catskills: Surveyors and the State, 1790-1880": Title("9781438491028", "Brandt, Elsie",
                                                                       "SUNY Press", "2024"),
    "Quarry Towns of the Hudson Highlands": Title("9781625341181", "Pellegrino, Rosa",
                                                  "University of Massachusetts Press", "2025"),
    "Iron and Ice: The Hudson River Ice Trade": Title("9780801451270", "Kessler, Anna", "Cornell University Press",
                                                      "2026"),
}

# What a cart line defaults to when the scenario does not say: a realistic price and the obvious fund.
DEFAULT_PRICE = {"PRINTED_BOOK_OT": Money(Decimal("45.00"), "USD"), "E_BOOK_OT": Money(Decimal("95.00"), "USD"),
                 "PRINTED_JOURNAL_CO": Money(Decimal("180.00"), "USD")}
DEFAULT_FUND = {"PRINTED_BOOK_OT": "HIST-MONO", "E_BOOK_OT": "EBOOKS-GEN", "PRINTED_JOURNAL_CO": "SERIALS"}
# Each vendor's own order numbers look different; these become the vendor reference numbers.
FIRST_ORDER_NUMBER = {"GOBI": 88120511, "OASIS": 61402287, "HARRASSOWITZ": 2026041170, "BLACKWELL": 7730012}


@dataclass
class CartLine:
    title: str
    line_type: str
    isbn: str = ""
    issn: str = ""
    author: str = ""
    publisher: str = ""
    year: str = ""
    owner: str = "MAIN"
    location: str = "STACKS"
    quantity: int = 1
    price: Money | None = None
    funds: list[tuple[str, int | None]] = field(default_factory=list)  # (fund code, percent or None = all)
    vendor_reference_number: str = ""
    platform: str = ""
    access_model: str = "1U"
    mms_id: str = ""
    system_numbers: list[str] = field(default_factory=list)
    vendor_account: str | None = None  # None: the vendor's first account
    manual_review: bool = False
    no_charge: bool = False

    @property
    def physical(self) -> bool:
        return self.line_type.startswith("PRINTED")


@dataclass
class Cart:
    """One vendor's cart for one library: its lines, and what the vendor keeps after checkout."""

    vendor: str  # vendor code in Alma
    account: str  # the vendor account Alma knows the library by
    library: str = "MAIN"  # the owning library the selector orders for
    location: str = "STACKS"
    lines: list[CartLine] = field(default_factory=list)
    profile_code: str | None = None
    po_line_numbers: dict[str, str] = field(default_factory=dict)  # vendor reference number -> Alma PO line

    def add(self, title: str, line_type: str) -> CartLine:
        known = TITLES.get(title, Title())
        line = CartLine(title=title, line_type=line_type, owner=self.library, location=self.location, isbn=known.isbn, issn=known.issn, author=known.author,
                        publisher=known.publisher, year=known.year, price=DEFAULT_PRICE[line_type],
                        funds=[(DEFAULT_FUND[line_type], None)],
                        vendor_reference_number=str(FIRST_ORDER_NUMBER.get(self.vendor, 1000) + len(self.lines)))
        self.lines.append(line)
        return line

    @property
    def line(self) -> CartLine:
        """The cart line a scenario talks about: the last one added."""
        assert self.lines, "the cart is empty"
        return self.lines[-1]

    def po_line(self, line: CartLine) -> dict:
        """The PO line the vendor sends for one cart line, in Alma's own JSON."""
        body: dict = {
            "owner": {"value": line.owner} if line.owner else None,
            "type": {"value": line.line_type},
            "vendor": {"value": self.vendor},
            "vendor_account": self.account if line.vendor_account is None else line.vendor_account,
            "acquisition_method": {"value": "VENDOR_SYSTEM"},
            "vendor_reference_number": line.vendor_reference_number,
            "no_charge": line.no_charge or None,
            "resource_metadata": {"title": line.title, "author": line.author, "isbn": line.isbn, "issn": line.issn,
                                  "publisher": line.publisher, "publication_year": line.year,
                                  "system_control_number": list(line.system_numbers)},
        }
        if line.mms_id:
            body["resource_metadata"]["mms_id"] = {"value": line.mms_id}
        if line.price is not None:
            body["price"] = {"sum": f"{line.price.amount:.2f}", "currency": {"value": line.price.currency}}
        if line.funds:
            body["fund_distribution"] = [
                {"fund_code": {"value": code}, "percent": str(100 if percent is None else percent)}
                for code, percent in line.funds]
        if line.physical:
            body["location"] = [{"library": {"value": line.owner or self.library}, "shelving_location": line.location,
                                 "quantity": line.quantity}]
        else:
            body["access_model"] = {"value": line.access_model}
            if line.platform:
                body["access_provider"] = line.platform
        return {k: v for k, v in body.items() if v is not None}


def new_cart(alma, vendor: str) -> Cart:
    """The vendor's cart for the institution's first library (its first shelving location)."""
    library = alma.libraries()["library"][0]["code"]
    location = alma.locations(library)["location"][0]["code"]
    return Cart(vendor=vendor, account=alma.vendor(vendor)["account"][0]["code"], library=library, location=location)
