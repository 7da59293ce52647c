"""Seeded fake acquisitions data: identifiers, bibliographic records, prices and vendor numbers.

Owns *bulk and background* data only — the thousands of plausible titles, serials, prices and vendor
reference numbers that fill a simulated catalogue and vendor feed so that searches, matching and
reports have something realistic to work through. Hand-written seed data that scenarios depend on
(named vendors, funds, the specific books a feature file orders) lives in ``fixtures/`` and never
comes from here.

Everything is drawn from the random generator of one ``Faker`` instance, so a given seed always yields
the same sequence; nothing here seeds Faker globally. Check digits are computed by
``simulator.identifiers`` — this module only chooses the digits in front of them.

Usage::

    fake = acquisitions_faker(seed=42)
    fake.title_record()
    fake.vendor_order_number("gobi")
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Final, TypeVar

from faker import Faker
from faker.providers import BaseProvider

from simulator.identifiers import (
    format_issn,
    isbn13_check_digit,
    isbn13_to_10,
    issn_check_digit,
)

__all__ = [
    "AcquisitionsProvider",
    "CURRENCIES",
    "EBOOK_PLATFORMS",
    "LICENSE_MODELS",
    "LIST_PRICE_RANGES",
    "PRINT_BINDINGS",
    "SERIAL_FREQUENCIES",
    "SUBSCRIPTION_PRICE_RANGES",
    "VENDOR_NUMBER_PATTERNS",
    "acquisitions_faker",
    "price_range",
]

T = TypeVar("T")

# --------------------------------------------------------------------------------------------------
# Vocabularies (public: tests and other modules check values against these)
# --------------------------------------------------------------------------------------------------

EBOOK_PLATFORMS: Final[tuple[str, ...]] = (
    "EBSCOhost",
    "ProQuest Ebook Central",
    "Cambridge Core",
    "JSTOR",
    "De Gruyter Online",
    "Oxford Academic",
)

#: Ebook licence models as vendors quote them: code -> label.
LICENSE_MODELS: Final[dict[str, str]] = {
    "1U": "Single user",
    "3U": "3 concurrent users",
    "UNL": "Unlimited users",
    "NL": "Non-linear lending",
}

PRINT_BINDINGS: Final[tuple[str, ...]] = ("cloth", "paper", "library binding")

#: Currencies a list price may be quoted in, with a rough conversion from the US dollar ranges below.
CURRENCIES: Final[dict[str, Decimal]] = {
    "USD": Decimal("1.00"),
    "GBP": Decimal("0.80"),
    "EUR": Decimal("0.92"),
    "CAD": Decimal("1.37"),
}
_CURRENCY_WEIGHTS: Final[dict[str, int]] = {"USD": 55, "GBP": 20, "EUR": 15, "CAD": 10}

#: List price ranges in US dollars, keyed by print binding or ebook licence code.
#: [decision] Typical of academic monographs: cloth 60–180, paper 20–45, single-user ebook 80–250,
#: multi-user ebook licences priced above single-user.
LIST_PRICE_RANGES: Final[dict[str, tuple[int, int]]] = {
    "cloth": (60, 180),
    "paper": (20, 45),
    "library binding": (45, 140),
    "1U": (80, 250),
    "3U": (120, 375),
    "NL": (150, 450),
    "UNL": (200, 650),
}
_MATERIAL_WEIGHTS: Final[dict[str, int]] = {
    "cloth": 30, "paper": 25, "library binding": 5, "1U": 18, "3U": 10, "NL": 4, "UNL": 8,
}

#: [decision] Vendor reference-number formats. They are plausible shapes, not documented by GOBI or
#: OASIS: GOBI order numbers are 8 digits and YBP title ids 9 digits; OASIS order numbers are "OA"
#: plus 9 digits and Coutts title numbers 9 digits; any other vendor uses "ORD-<year>-<6 digits>"
#: orders and 10-character upper-case alphanumeric title numbers starting with a letter.
VENDOR_NUMBER_PATTERNS: Final[dict[str, dict[str, re.Pattern[str]]]] = {
    "gobi": {"order": re.compile(r"^[1-9]\d{7}$"), "title": re.compile(r"^[1-9]\d{8}$")},
    "oasis": {"order": re.compile(r"^OA\d{9}$"), "title": re.compile(r"^[1-9]\d{8}$")},
    "generic": {"order": re.compile(r"^ORD-\d{4}-\d{6}$"), "title": re.compile(r"^[A-Z][A-Z0-9]{9}$")},
}


#: Serial frequencies as a subscription agent lists them: label -> issues a year.
SERIAL_FREQUENCIES: Final[dict[str, int]] = {
    "weekly": 52, "monthly": 12, "bimonthly": 6, "quarterly": 4, "three times a year": 3, "semiannual": 2,
    "annual": 1,
}
#: [decision] Scholarly journals are mostly quarterly; monthly and bimonthly next; weekly is rare.
_FREQUENCY_WEIGHTS: Final[dict[str, int]] = {
    "weekly": 3, "monthly": 18, "bimonthly": 14, "quarterly": 38, "three times a year": 10, "semiannual": 10,
    "annual": 7,
}
#: Annual institutional subscription prices in US dollars, by medium, and the price of one volume of a standing
#: order. [decision] Typical of humanities and social-science journals and monographic series: print 120–1,400,
#: online-only 150–1,900 (online subscriptions carry the site licence), a series volume 45–220.
SUBSCRIPTION_PRICE_RANGES: Final[dict[str, tuple[int, int]]] = {
    "print journal": (120, 1400),
    "online journal": (150, 1900),
    "series volume": (45, 220),
}
_SERIES_NAMES: Final[tuple[str, ...]] = (
    "Studies in {field}", "{field} Yearbook", "Annual Review of {field}", "Advances in {field}",
    "Contributions to {field}", "{field}: New Perspectives",
)


def price_range(material: str, currency: str) -> tuple[Decimal, Decimal]:
    """Inclusive lower and exclusive upper bound of list prices for a binding or licence code, or of a serial's
    price for a key of SUBSCRIPTION_PRICE_RANGES."""
    low, high = LIST_PRICE_RANGES[material] if material in LIST_PRICE_RANGES else SUBSCRIPTION_PRICE_RANGES[material]
    rate = CURRENCIES[currency]
    return Decimal(math.ceil(low * rate)), Decimal(math.floor(high * rate))


def _vendor_key(vendor: str) -> str:
    key = vendor.strip().lower()
    return key if key in ("gobi", "oasis") else "generic"


# --------------------------------------------------------------------------------------------------
# ISBN structure
# --------------------------------------------------------------------------------------------------

# (EAN prefix, registration group, weight). English-language groups dominate an academic library's
# intake; 979-8 is the newer US range.
_ISBN_GROUPS: Final[tuple[tuple[str, str, int], ...]] = (
    ("978", "0", 30), ("978", "1", 30), ("978", "3", 8), ("978", "2", 5), ("978", "90", 2),
    ("978", "88", 2), ("978", "84", 2), ("978", "87", 1), ("978", "91", 1), ("978", "83", 1),
    ("978", "85", 1), ("978", "4", 1), ("978", "607", 1),
    ("979", "8", 6), ("979", "10", 2), ("979", "12", 1), ("979", "11", 1),
)

# Registrant (publisher) ranges as (low, high, weight) of equal-length digit strings, following the
# common pattern of the large groups: big publishers hold short registrant numbers. Plausible for
# hyphenation rather than an authoritative copy of the ISBN range message.
_REGISTRANT_RANGES: Final[tuple[tuple[str, str, int], ...]] = (
    ("00", "19", 30),
    ("200", "699", 35),
    ("7000", "8499", 18),
    ("85000", "89999", 10),
    ("900000", "949999", 5),
    ("9500000", "9999999", 2),
)

# Publication places: (city, language area). The area steers the ISBN group of a coherent record.
_PLACES: Final[tuple[tuple[str, str], ...]] = (
    ("New York", "en"), ("London", "en"), ("Oxford", "en"), ("Cambridge", "en"),
    ("Cambridge, MA", "en"), ("Chicago", "en"), ("Princeton", "en"), ("New Haven", "en"),
    ("Boston", "en"), ("Abingdon", "en"), ("Baltimore", "en"), ("Philadelphia", "en"),
    ("Berkeley", "en"), ("Stanford", "en"), ("Durham", "en"), ("Ithaca", "en"),
    ("Edinburgh", "en"), ("Manchester", "en"), ("Toronto", "en"), ("Thousand Oaks", "en"),
    ("Singapore", "en"), ("Minneapolis", "en"), ("Lanham", "en"),
    ("Berlin", "de"), ("Munich", "de"), ("Frankfurt am Main", "de"), ("Vienna", "de"),
    ("Cham", "de"), ("Paris", "fr"), ("Leiden", "nl"), ("Amsterdam", "nl"),
)
_PLACE_WEIGHTS: Final[dict[str, int]] = {"en": 8, "de": 2, "fr": 2, "nl": 2}

_GROUPS_BY_AREA: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "en": (("978", "0"), ("978", "1"), ("978", "1"), ("979", "8")),
    "de": (("978", "3"),),
    "fr": (("978", "2"), ("979", "10")),
    "nl": (("978", "90"), ("978", "94")),
}

# --------------------------------------------------------------------------------------------------
# Word banks for titles and publishers
# --------------------------------------------------------------------------------------------------

_ANGLES: Final[tuple[str, ...]] = (
    "Politics", "Poetics", "Economics", "Ethics", "Aesthetics", "Geography", "Culture", "Making",
    "Afterlives", "Limits", "Invention", "Ecology", "Archaeology", "Grammar", "Sociology", "Rise",
    "Unmaking", "Law", "Theology", "Science", "Ends", "Uses", "Languages", "Material Culture",
    "Moral Economy", "Visual Culture", "Infrastructure", "Governance",
)

_TOPICS: Final[tuple[str, ...]] = (
    "Memory", "Empire", "Citizenship", "Migration", "Labor", "Urban Water", "Public Health",
    "the Welfare State", "Climate Change", "Race", "Gender", "Sovereignty", "the Archive",
    "Translation", "the Novel", "Democracy", "Religious Toleration", "Indigenous Land",
    "Print Culture", "Human Rights", "Finance", "Debt", "Childhood", "Disability", "Friendship",
    "Borders", "Surveillance", "Food", "Energy", "Forests", "the Sea", "Sound", "Photography",
    "Slavery", "Humanitarianism", "Expertise", "Money", "Housing", "Nationalism", "Mourning",
    "Authority", "Toleration", "Statistics", "Medicine", "Pilgrimage", "Reading", "Music",
    "Property", "Secularism", "Trust", "Risk", "Hospitality", "Education", "Violence",
    "Natural History", "Diplomacy", "Exile", "Literacy", "the Body", "Data", "Waste",
)

_SETTINGS: Final[tuple[str, ...]] = (
    "Postwar Europe", "Early Modern England", "the Global South", "Colonial India",
    "Late Imperial China", "the Atlantic World", "Twentieth-Century America", "the Ottoman Empire",
    "Medieval Iberia", "Contemporary Africa", "Latin America", "the Soviet Union", "Weimar Germany",
    "the Age of Revolution", "Victorian Britain", "the Digital Age", "the Anthropocene",
    "Renaissance Italy", "Meiji Japan", "the Roman Republic", "Late Antiquity", "the Dutch Republic",
    "Modern Iran", "the Caribbean", "the American South", "Interwar Central Europe",
    "the Mediterranean", "Mughal India", "Post-Socialist Eastern Europe", "Contemporary China",
    "the Pacific World", "Enlightenment France", "Habsburg Vienna", "the Andes",
)

_ADJECTIVES: Final[tuple[str, ...]] = (
    "Global", "Critical", "Comparative", "Unsettled", "Everyday", "Contested", "Hidden", "Modern",
    "Invisible", "Fragile", "Radical", "Ordinary", "Sacred", "Imperial", "Public", "Intimate",
    "Unequal", "Transnational", "Vernacular", "Quiet",
)

_GERUNDS: Final[tuple[str, ...]] = (
    "Governing", "Reading", "Making", "Imagining", "Measuring", "Remembering", "Translating",
    "Mapping", "Inventing", "Performing", "Building", "Owning", "Healing", "Narrating", "Seeing",
)

_ANALYTIC_NOUNS: Final[tuple[str, ...]] = (
    "Power", "Knowledge", "Justice", "Belonging", "Resistance", "Reform", "Identity", "Capital",
    "Conflict", "Community", "Inequality", "Faith", "Nature", "Modernity", "Care", "Value",
)

_FIXED_SUBTITLES: Final[tuple[str, ...]] = (
    "A Critical Introduction", "A Reader", "Theory and Practice", "New Perspectives",
    "An Intellectual History", "A Global History", "A Documentary History",
    "A Comparative Study", "An Ethnography", "Methods and Debates", "A Very Short History",
    "Historical and Contemporary Perspectives", "Case Studies and Controversies",
)

_FIELDS: Final[tuple[str, ...]] = (
    "Medieval History", "Comparative Literature", "Urban Studies", "Environmental Law",
    "Political Theory", "Economic History", "Social Policy", "Religious Studies", "Linguistics",
    "Anthropology", "Art History", "Musicology", "Philosophy of Science", "Classical Studies",
    "Higher Education", "Public Health", "Migration Studies", "Victorian Literature",
    "Asian Studies", "African History", "Latin American Studies", "Cultural Geography",
    "Legal History", "Information Science", "Science and Technology Studies", "Gender Studies",
    "Early Modern Studies", "Development Economics", "Archaeological Science", "Book History",
)

_INITIALS: Final[str] = "ABCDEFGHJKLMNPRSTW"

_JOURNAL_REGIONS: Final[tuple[str, ...]] = ("International", "European", "American", "British", "Nordic")
_REVIEW_QUALIFIERS: Final[tuple[str, ...]] = ("Comparative", "Contemporary", "Modern", "Critical", "New")

_IMPRINT_WORDS: Final[tuple[str, ...]] = (
    "Meridian", "Lantern", "Harbor", "Northgate", "Ashgrove", "Larkspur", "Bellwether", "Halcyon",
    "Tideline", "Keystone", "Palisade", "Juniper", "Wayfarer", "Cobalt", "Fernhill", "Lodestar",
    "Marrow", "Ironbridge", "Saltmarsh", "Whitlow",
)

# University presses as (name fragment, seat). Pattern chosen by _publisher_with_place.
_UNIVERSITY_SEATS: Final[tuple[tuple[str, str], ...]] = (
    ("Vermont", "Burlington"), ("Kentucky", "Lexington"), ("Oregon", "Eugene"),
    ("Manitoba", "Winnipeg"), ("Leicester", "Leicester"), ("Aberdeen", "Aberdeen"),
    ("New Hampshire", "Durham"), ("Delaware", "Newark"), ("Otago", "Dunedin"),
    ("Kansas", "Lawrence"), ("Iowa", "Iowa City"), ("Exeter", "Exeter"), ("Sussex", "Brighton"),
    ("Alberta", "Edmonton"), ("Missouri", "Columbia"), ("Wales", "Cardiff"),
)


class AcquisitionsProvider(BaseProvider):
    """Faker provider for acquisitions data: ISBNs and ISSNs, bib-like records, prices, vendor numbers.

    Every method draws only from ``self.generator.random`` (or other providers of the same
    generator), so output is reproducible for a seeded Faker instance.
    """

    # -- small helpers --------------------------------------------------------------------------

    def _pick(self, items: tuple[T, ...] | list[T]) -> T:
        return items[self.generator.random.randrange(len(items))]

    def _weighted(self, weights: dict[str, int]) -> str:
        keys = list(weights)
        return self.generator.random.choices(keys, weights=[weights[k] for k in keys])[0]

    def _chance(self, probability: float) -> bool:
        return self.generator.random.random() < probability

    def _digits(self, count: int) -> str:
        return "".join(str(self.generator.random.randrange(10)) for _ in range(count))

    # -- ISBN and ISSN --------------------------------------------------------------------------

    def _isbn13_parts(self, groups: tuple[tuple[str, str], ...] | None = None) -> tuple[str, ...]:
        """(prefix, group, registrant, publication, check digit) of a valid ISBN-13."""
        rng = self.generator.random
        if groups is None:
            prefix, group, _ = rng.choices(_ISBN_GROUPS, weights=[g[2] for g in _ISBN_GROUPS])[0]
        else:
            prefix, group = self._pick(groups)
        room = 9 - len(group)  # digits left for registrant + publication (at least one each)
        ranges = [r for r in _REGISTRANT_RANGES if len(r[0]) < room]
        low, high, _ = rng.choices(ranges, weights=[r[2] for r in ranges])[0]
        registrant = str(rng.randint(int(low), int(high))).zfill(len(low))
        publication = self._digits(room - len(registrant))
        body = prefix + group + registrant + publication
        return prefix, group, registrant, publication, isbn13_check_digit(body)

    def isbn13(self) -> str:
        """A valid ISBN-13, digits only, with a 978 or 979 prefix and a realistic registration group."""
        return "".join(self._isbn13_parts())

    def hyphenated_isbn13(self) -> str:
        """A valid ISBN-13 hyphenated as prefix-group-registrant-publication-check."""
        return "-".join(self._isbn13_parts())

    @staticmethod
    def isbn10_of(isbn13: str) -> str | None:
        """The ISBN-10 of a 978 ISBN-13; None for 979, which has no ISBN-10."""
        return isbn13_to_10(isbn13)

    def isbn10(self) -> str:
        """A valid ISBN-10 (the check digit may be X), derived from a 978 ISBN-13."""
        groups = tuple((p, g) for p, g, _ in _ISBN_GROUPS if p == "978")
        isbn10 = isbn13_to_10("".join(self._isbn13_parts(groups)))
        assert isbn10 is not None  # a 978 prefix always converts
        return isbn10

    def issn(self) -> str:
        """A valid ISSN formatted NNNN-NNNC; the check character is X about one time in eleven."""
        first7 = self._digits(7)
        return format_issn(first7 + issn_check_digit(first7))

    # -- titles ---------------------------------------------------------------------------------

    def scholarly_title(self) -> str:
        """A main title in the manner of an academic monograph, without subtitle."""
        # Short templates ("Rethinking X", "Beyond X") have few combinations, so they are drawn less.
        template = self.generator.random.choices(range(10), weights=(4, 1, 2, 3, 2, 1, 2, 2, 3, 2))[0]
        if template == 0:
            title = f"The {self._pick(_ANGLES)} of {self._pick(_TOPICS)} in {self._pick(_SETTINGS)}"
        elif template == 1:
            title = f"Rethinking {self._pick(_TOPICS)}"
        elif template == 2:
            title = f"A History of {self._pick(_TOPICS)} in {self._pick(_SETTINGS)}"
        elif template == 3:
            title = f"{self._pick(_TOPICS)} and {self._pick(_ANALYTIC_NOUNS)} in {self._pick(_SETTINGS)}"
        elif template == 4:
            title = f"{self._pick(_ADJECTIVES)} {self._pick(_TOPICS)}"
        elif template == 5:
            title = f"Beyond {self._pick(_TOPICS)}"
        elif template == 6:
            first, second = self.generator.random.sample(_TOPICS, 2)
            title = f"Between {first} and {second}"
        elif template == 7:
            title = f"{self._pick(_GERUNDS)} {self._pick(_TOPICS)}"
        elif template == 8:
            title = f"The {self._pick(_ANGLES)} of {self._pick(_TOPICS)}"
        else:
            first, second = self.generator.random.sample(_ANALYTIC_NOUNS, 2)
            title = f"{self._pick(_TOPICS)}, {first}, and {second}"
        return _capitalise_first(title)

    def subtitle(self) -> str:
        """A subtitle (no leading colon), e.g. "Infrastructure and Justice in the Global South"."""
        rng = self.generator.random
        template = rng.randrange(6)
        if template == 0:
            text = f"{self._pick(_TOPICS)} and {self._pick(_ANALYTIC_NOUNS)} in {self._pick(_SETTINGS)}"
        elif template == 1:
            start = rng.randrange(1500, 1960, 5)
            text = f"{self._pick(_TOPICS)} in {self._pick(_SETTINGS)}, {start}–{start + rng.randrange(20, 90)}"
        elif template == 2:
            adjective = self._pick(_ADJECTIVES)
            article = "an" if adjective[0] in "AEIOU" else "a"
            text = f"Toward {article} {adjective} {self._pick(_ANALYTIC_NOUNS)}"
        elif template == 3:
            text = f"Essays on {self._pick(_TOPICS)} and {self._pick(_ANALYTIC_NOUNS)}"
        elif template == 4:
            text = f"{self._pick(_ANALYTIC_NOUNS)}, {self._pick(_TOPICS)}, and the Making of {self._pick(_SETTINGS)}"
        else:
            text = self._pick(_FIXED_SUBTITLES)
        return _capitalise_first(text)

    def journal_title(self) -> str:
        """A serial title such as "Journal of Urban Studies" or "Comparative Legal History Review"."""
        field = self._pick(_FIELDS)
        template = self.generator.random.randrange(7)
        if template == 0:
            return f"Journal of {field}"
        if template == 1:
            return f"{self._pick(_JOURNAL_REGIONS)} Journal of {field}"
        if template == 2:
            return f"{field} Quarterly"
        if template == 3:
            return f"{self._pick(_REVIEW_QUALIFIERS)} {field} Review"
        if template == 4:
            return f"Studies in {field}"
        if template == 5:
            return f"Annals of {field}"
        return f"{field} and {self._pick(_FIELDS)}"

    # -- names ----------------------------------------------------------------------------------

    def author_name(self) -> str:
        """A personal name in heading order, "Surname, Forename", sometimes with a middle initial."""
        surname = self.generator.last_name()
        forename = self.generator.first_name()
        if self._chance(0.25):
            forename += f" {self.generator.random.choice(_INITIALS)}."
        return f"{surname}, {forename}"

    def _publisher_with_place(self) -> tuple[str, str, str]:
        """(publisher, place of publication, language area) that belong together."""
        rng = self.generator.random
        kind = rng.randrange(8)
        if kind == 0:
            seat, city = self._pick(_UNIVERSITY_SEATS)
            return f"University of {seat} Press", city, "en"
        if kind == 1:
            seat, city = self._pick(_UNIVERSITY_SEATS)
            return f"{seat} University Press", city, "en"
        if kind == 2:
            return (f"{self.generator.last_name()} & {self.generator.last_name()}",
                    self._pick(("New York", "London", "Abingdon", "Oxford")), "en")
        if kind == 3:
            return f"{self.generator.last_name()} Academic", self._pick(("London", "New York", "Lanham")), "en"
        if kind == 4:
            word = self._pick(_IMPRINT_WORDS)
            return f"{word} {self._pick(('Press', 'Books', 'Academic Publishers'))}", *self._place()
        if kind == 5:
            return f"{self.generator.last_name()} Verlag", self._pick(("Berlin", "Munich", "Frankfurt am Main")), "de"
        if kind == 6:
            return f"Éditions {self._pick(_IMPRINT_WORDS)}", "Paris", "fr"
        return (f"{self._pick(_IMPRINT_WORDS)} Scholarly Publishing",
                self._pick(("Leiden", "Amsterdam", "Cham", "Singapore")), "en")

    def _place(self) -> tuple[str, str]:
        areas = [area for _, area in _PLACES]
        city, area = self.generator.random.choices(_PLACES, weights=[_PLACE_WEIGHTS[a] for a in areas])[0]
        return city, area

    def publisher_name(self) -> str:
        """An invented but plausible publisher: university presses, "X & Y", imprints, Verlage."""
        return self._publisher_with_place()[0]

    def publication_place(self) -> str:
        """A real city where scholarly books are published."""
        return self._place()[0]

    def publication_year(self) -> str:
        """A year from 1995 to 2026 as a string, recent years much more likely."""
        years = list(range(1995, 2027))
        weights = [1.12 ** (year - 1995) for year in years]
        return str(self.generator.random.choices(years, weights=weights)[0])

    # -- money ----------------------------------------------------------------------------------

    def currency_code(self) -> str:
        """An ISO 4217 code among USD, GBP, EUR and CAD, US dollars most often."""
        return self._weighted(_CURRENCY_WEIGHTS)

    def list_price(self, currency: str | None = None, material: str | None = None) -> tuple[Decimal, str]:
        """(amount, currency): a list price with two decimal places.

        ``material`` is a print binding ("cloth", "paper", "library binding") or an ebook licence
        code from LICENSE_MODELS; the range comes from LIST_PRICE_RANGES converted to the currency
        (see ``price_range``). Both are chosen at random when not given.
        """
        rng = self.generator.random
        currency = currency or self.currency_code()
        material = material or self._weighted(_MATERIAL_WEIGHTS)
        low, high = price_range(material, currency)
        whole = rng.randint(int(low), int(high) - 1)
        ending = rng.choices(("0.00", "0.95", "0.99", "0.50"), weights=(45, 30, 20, 5))[0]
        return Decimal(whole) + Decimal(ending), currency

    # -- vendor numbers -------------------------------------------------------------------------

    def vendor_order_number(self, vendor: str, year: int | None = None) -> str:
        """The vendor's own order reference, in that vendor's shape.

        [decision] Plausible, not documented by the vendors (see VENDOR_NUMBER_PATTERNS):
        "gobi" -> 8 digits, no leading zero; "oasis" -> "OA" + 9 digits; any other vendor ->
        "ORD-<year>-<6 digits>", ``year`` defaulting to a random one from 2023 to 2026.
        """
        rng = self.generator.random
        key = _vendor_key(vendor)
        if key == "gobi":
            return str(rng.randint(10_000_000, 99_999_999))
        if key == "oasis":
            return "OA" + self._digits(9)
        return f"ORD-{year if year is not None else rng.randint(2023, 2026):04d}-{rng.randint(1, 999_999):06d}"

    def vendor_title_number(self, vendor: str) -> str:
        """The vendor's identifier for the title (not the order).

        [decision] "gobi" -> 9-digit YBP title id; "oasis" -> 9-digit Coutts title number; any
        other vendor -> 10 upper-case letters and digits beginning with a letter.
        """
        rng = self.generator.random
        key = _vendor_key(vendor)
        if key in ("gobi", "oasis"):
            return str(rng.randint(100_000_000, 999_999_999))
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return rng.choice(alphabet[:26]) + "".join(rng.choice(alphabet) for _ in range(9))

    # -- formats and licences -------------------------------------------------------------------

    def ebook_platform(self) -> str:
        """An ebook hosting platform from EBOOK_PLATFORMS."""
        return self._pick(EBOOK_PLATFORMS)

    def license_model(self) -> str:
        """An ebook licence code from LICENSE_MODELS ("1U", "3U", "UNL", "NL"); the label is LICENSE_MODELS[code]."""
        return self._weighted({"1U": 45, "3U": 25, "UNL": 20, "NL": 10})

    def print_binding(self) -> str:
        """A print binding from PRINT_BINDINGS, cloth and paper far more often than library binding."""
        return self._weighted({"cloth": 50, "paper": 45, "library binding": 5})

    # -- records --------------------------------------------------------------------------------

    def title_record(self) -> dict[str, str | None]:
        """A coherent bib-like record for bulk catalogue generation.

        Keys: title, subtitle ("" when the book has none), author, isbn (ISBN-13, digits only),
        isbn10 (None when the ISBN-13 has the 979 prefix), publisher, publication_place,
        publication_year. The ISBN's registration group suits the place of publication.
        """
        title = self.scholarly_title()
        subtitle = self.subtitle() if self._chance(0.7) else ""
        author = self.author_name()
        publisher, place, area = self._publisher_with_place()
        isbn = "".join(self._isbn13_parts(_GROUPS_BY_AREA[area]))
        return {
            "title": title,
            "subtitle": subtitle,
            "author": author,
            "isbn": isbn,
            "isbn10": isbn13_to_10(isbn),
            "publisher": publisher,
            "publication_place": place,
            "publication_year": self.publication_year(),
        }

    def serial_record(self) -> dict[str, str]:
        """A serial: title, issn (NNNN-NNNC), publisher and publication_place."""
        title = self.journal_title()
        publisher, place, _ = self._publisher_with_place()
        return {"title": title, "issn": self.issn(), "publisher": publisher, "publication_place": place}

    # -- serials: journals and series -------------------------------------------------------------

    def serial_frequency(self) -> str:
        """How often a journal appears, a key of SERIAL_FREQUENCIES; quarterly most often."""
        return self._weighted(_FREQUENCY_WEIGHTS)

    def series_title(self) -> str:
        """A monographic series or annual a library takes on standing order ("Studies in Legal History")."""
        return self._pick(_SERIES_NAMES).format(field=self._pick(_FIELDS))

    def _volume_span(self, year: int, issues: int) -> dict[str, str | int]:
        """The volume a subscription for `year` starts with, counted from the serial's first year, and its issues."""
        founded = self.generator.random.randint(1950, year - 2)
        volume = year - founded + 1
        return {"founded": founded, "volume": volume, "issues": issues,
                "coverage": f"v. {volume}, no. 1 ({year})–" if issues > 1 else f"v. {volume} ({year})–"}

    def journal_record(self, year: int = 2027) -> dict:
        """A journal for a subscription beginning in `year`: serial_record's keys plus frequency, issues a year,
        founded (its first year), volume (the volume `year` brings), issues and coverage ("v. 38, no. 1 (2027)–")."""
        record: dict = dict(self.serial_record())
        frequency = self.serial_frequency()
        record["frequency"] = frequency
        record.update(self._volume_span(year, SERIAL_FREQUENCIES[frequency]))
        return record

    def series_record(self, year: int = 2027) -> dict:
        """A monographic series or annual for a standing order from `year`: serial_record's keys (its ISSN is the
        series' ISSN) with a series title, frequency "annual", one issue (volume) a year and the volume `year` brings."""
        publisher, place, _ = self._publisher_with_place()
        record: dict = {"title": self.series_title(), "issn": self.issn(), "publisher": publisher,
                        "publication_place": place, "frequency": "annual"}
        record.update(self._volume_span(year, 1))
        return record

    def subscription_price(self, currency: str = "USD", kind: str = "print journal") -> tuple[Decimal, str]:
        """(amount, currency): a year's subscription ("print journal", "online journal") or one volume of a
        standing order ("series volume"), in whole units (agents quote round subscription prices) or .00/.50."""
        low, high = price_range(kind, currency)
        whole = self.generator.random.randint(int(low), int(high) - 1)
        return Decimal(whole) + self.generator.random.choice((Decimal("0.00"), Decimal("0.00"), Decimal("0.50"))), currency


def _capitalise_first(text: str) -> str:
    """Upper-case only the first character ("the Archive ..." -> "The Archive ...")."""
    return text[:1].upper() + text[1:]


def acquisitions_faker(seed: int) -> Faker:
    """A fresh en_US Faker with AcquisitionsProvider added and this instance (not Faker globally) seeded."""
    fake = Faker("en_US")
    fake.add_provider(AcquisitionsProvider)
    fake.seed_instance(seed)
    return fake
