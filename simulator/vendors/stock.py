"""The vendor's own stock: the titles a selector searches by title, ISBN or ISSN before filling a cart.

Owns `StockTitle` and `VendorStock`. A stock is the named titles of `simulator/data/vendor-catalogue.toml`
(some held by the institution, some ebooks in the Community Zone, some in the Network Zone) plus a seeded bulk
of invented books from `simulator.fakes` (in Alma nowhere), and — for a vendor that sells serials — invented
journals (print and/or electronic subscriptions) and series (standing orders), each with a valid ISSN, its
frequency, the volume a new subscription starts with and a year's price. Each vendor offers an ebook only on the
platforms its profile sells on, and quotes list prices in its currency. Same vendor, seed and currency → same
stock.
Imports simulator.fakes, simulator.money, simulator.errors and the vendor profile.
"""

from __future__ import annotations

import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from simulator.errors import VendorError
from simulator.fakes import acquisitions_faker
from simulator.identifiers import issn_key
from simulator.money import Money
from simulator.vendors.profile import VendorProfile

JOURNALS = 40  # journals in the stock of a vendor that sells subscriptions
SERIES = 30  # series in the stock of a vendor that sells standing orders

NAMED_TITLES = Path(__file__).parent.parent / "data" / "vendor-catalogue.toml"


@dataclass(frozen=True)
class StockTitle:
    title: str
    author: str
    isbn: str
    publisher: str
    publication_place: str
    publication_year: str
    vendor_title_number: str
    binding: str  # of the printed book
    print_price: Money | None  # one copy, before discount; None when the price is "on application"
    platforms: tuple[str, ...] = ()  # where this vendor sells the ebook; empty: print only
    ebook_prices: dict[str, Money] = field(default_factory=dict)  # Alma access model -> list price
    named: bool = False  # one of the named titles the simulated consortium knows
    # --- serials: a journal (subscriptions) or a series (standing orders); "" for a book
    serial: str = ""  # journal | series | ""
    issn: str = ""
    frequency: str = ""  # monthly, quarterly … (simulator.fakes.SERIAL_FREQUENCIES)
    issues: int = 0  # issues a year (one volume a year for a series)
    volume: int = 0  # the volume a subscription or standing order placed now starts with
    coverage: str = ""  # what the order starts with, as a holdings statement: "v. 38, no. 1 (2026)–"
    subscription_prices: dict[str, Money] = field(default_factory=dict)  # serial format -> a year's price

    @property
    def identifier(self) -> str:
        """The ISBN of a book, the ISSN of a serial."""
        return self.isbn or self.issn


def _seed_for(seed: int, vendor: VendorProfile) -> int:
    return zlib.crc32(f"{seed}:{vendor.name}".encode())


def _isbn_key(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch in "xX").upper()


class VendorStock:
    """Search by title words or ISBN; look a title up by ISBN."""

    def __init__(self, vendor: VendorProfile, titles: list[StockTitle]) -> None:
        self.vendor = vendor
        self.titles = titles
        self._by_isbn = {t.isbn: t for t in titles if t.isbn}
        self._by_issn = {t.issn.replace("-", ""): t for t in titles if t.issn}

    def __len__(self) -> int:
        return len(self.titles)

    def search(self, text: str) -> list[StockTitle]:
        key = _isbn_key(text)
        if len(key) in (10, 13) and key in self._by_isbn:
            return [self._by_isbn[key]]
        if len(key) == 8 and key in self._by_issn:
            return [self._by_issn[key]]
        words = text.casefold().split()
        return [t for t in self.titles if all(w in t.title.casefold() for w in words)]

    def title(self, isbn: str) -> StockTitle:
        """The title with this ISBN, or the serial with this ISSN."""
        found = self._by_isbn.get(_isbn_key(isbn)) or self._by_issn.get(issn_key(isbn) or "")
        if found is None:
            raise VendorError(f"{self.vendor.label} does not sell {'ISSN' if issn_key(isbn) else 'ISBN'} {isbn}.")
        return found

    @property
    def named(self) -> list[StockTitle]:
        return [t for t in self.titles if t.named]

    @property
    def bulk(self) -> list[StockTitle]:
        """The invented books."""
        return [t for t in self.titles if not t.named and not t.serial]

    @property
    def journals(self) -> list[StockTitle]:
        return [t for t in self.titles if t.serial == "journal"]

    @property
    def series(self) -> list[StockTitle]:
        return [t for t in self.titles if t.serial == "series"]

    @classmethod
    def build(cls, vendor: VendorProfile, *, seed: int = 0, size: int = 200, currency: str | None = None,
              year: int = 2026) -> VendorStock:
        """The named titles and `size` invented books, priced in `currency` (the vendor's default otherwise), then
        the journals and series it sells serials of, their volumes counted for orders placed in `year`."""
        fake = acquisitions_faker(_seed_for(seed, vendor))
        currency = currency or vendor.setup("default").currency
        licenses = sorted(set(vendor.licenses.values()))

        def priced(binding: str, platforms: tuple[str, ...], on_application: bool = False) -> dict:
            print_price = None if on_application else Money(*fake.list_price(currency, binding))
            prices = {code: Money(*fake.list_price(currency, code)) for code in licenses} if platforms else {}
            return {"binding": binding, "print_price": print_price, "platforms": platforms, "ebook_prices": prices}

        with NAMED_TITLES.open("rb") as handle:
            named = tomllib.load(handle)["titles"]
        titles = []
        for row in named:
            platforms: tuple[str, ...] = tuple(p for p in row.get("platforms", ()) if p in vendor.platforms)
            number = row.get("vendor_title_numbers", {}).get(vendor.name) or \
                fake.vendor_title_number(vendor.order_number_format)
            titles.append(StockTitle(
                title=row["title"], author=row["author"], isbn=row["isbn"], publisher=row["publisher"],
                publication_place=row["publication_place"], publication_year=row["publication_year"],
                vendor_title_number=number, named=True, **priced(fake.print_binding(), platforms)))
        seen = {t.isbn for t in titles}
        while len(titles) < len(named) + size:
            record = fake.title_record()
            if record["isbn"] in seen:
                continue
            seen.add(record["isbn"])
            title = f"{record['title']}: {record['subtitle']}" if record["subtitle"] else record["title"]
            platforms = ()
            if vendor.platforms and fake.random.random() < 0.55:
                platforms = tuple(fake.random.sample(vendor.platforms, min(len(vendor.platforms),
                                                                            fake.random.choice((1, 1, 2)))))
            titles.append(StockTitle(
                title=title, author=record["author"], isbn=record["isbn"], publisher=record["publisher"],
                publication_place=record["publication_place"], publication_year=record["publication_year"],
                vendor_title_number=fake.vendor_title_number(vendor.order_number_format),
                **priced(fake.print_binding(), platforms, on_application=fake.random.random() < 0.03)))
        titles += _serials(fake, vendor, currency, year, seen={t.issn for t in titles})
        return cls(vendor, titles)


def _serials(fake, vendor: VendorProfile, currency: str, year: int, seen: set[str]) -> list[StockTitle]:
    """The journals (for print and e-journal subscriptions) and series (standing orders) the vendor sells."""
    journal_formats = [f for f in ("print_journal", "ejournal") if vendor.sells(f)]
    kinds = [("journal", JOURNALS)] if journal_formats else []
    kinds += [("series", SERIES)] if vendor.sells("standing_order") else []
    titles: list[StockTitle] = []
    for kind, count in kinds:
        while sum(t.serial == kind for t in titles) < count:
            record = fake.journal_record(year) if kind == "journal" else fake.series_record(year)
            if record["issn"] in seen:
                continue
            seen.add(record["issn"])
            if kind == "journal":
                prices = {f: Money(*fake.subscription_price(currency, "print journal" if f == "print_journal"
                                                            else "online journal")) for f in journal_formats}
            else:
                prices = {"standing_order": Money(*fake.subscription_price(currency, "series volume"))}
            platforms = tuple(fake.random.sample(vendor.platforms, 1)) if "ejournal" in prices and vendor.platforms \
                else ()
            titles.append(StockTitle(
                title=record["title"], author="", isbn="", publisher=record["publisher"],
                publication_place=record["publication_place"], publication_year="",
                vendor_title_number=fake.vendor_title_number(vendor.order_number_format), binding="",
                print_price=None, platforms=platforms, serial=kind, issn=record["issn"],
                frequency=record["frequency"], issues=record["issues"], volume=record["volume"],
                coverage=record["coverage"], subscription_prices=prices))
    return titles
