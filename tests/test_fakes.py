"""Tests for simulator.fakes: valid identifiers, reproducibility, and the documented vocabularies."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from faker import Faker

from simulator import identifiers
from simulator.fakes import (
    CURRENCIES,
    EBOOK_PLATFORMS,
    LICENSE_MODELS,
    LIST_PRICE_RANGES,
    PRINT_BINDINGS,
    VENDOR_NUMBER_PATTERNS,
    AcquisitionsProvider,
    acquisitions_faker,
    price_range,
)

SAMPLE = 2_000

# The documented [decision] formats, restated here so that a change to the module is a visible change.
DOCUMENTED_FORMATS = {
    "gobi": (r"^[1-9]\d{7}$", r"^[1-9]\d{8}$"),
    "oasis": (r"^OA\d{9}$", r"^[1-9]\d{8}$"),
    "generic": (r"^ORD-\d{4}-\d{6}$", r"^[A-Z][A-Z0-9]{9}$"),
}


@pytest.fixture
def fake() -> Faker:
    return acquisitions_faker(seed=20260901)


# -- identifiers --------------------------------------------------------------------------------


def test_isbn13_check_digits_are_valid(fake: Faker) -> None:
    for _ in range(SAMPLE):
        isbn = fake.isbn13()
        assert len(isbn) == 13 and isbn.isdigit(), isbn
        assert isbn[:3] in ("978", "979"), isbn
        assert identifiers.is_valid_isbn(isbn), isbn


def test_isbn13_prefers_english_language_groups(fake: Faker) -> None:
    isbns = [fake.isbn13() for _ in range(SAMPLE)]
    english = sum(1 for isbn in isbns if isbn[3] in "01" and isbn.startswith("978"))
    assert english / SAMPLE > 0.4
    assert any(isbn.startswith("9783") for isbn in isbns)  # German group appears too
    assert any(isbn.startswith("979") for isbn in isbns)


def test_isbn10_check_digits_are_valid_and_x_occurs(fake: Faker) -> None:
    isbns = [fake.isbn10() for _ in range(SAMPLE)]
    for isbn in isbns:
        assert re.fullmatch(r"\d{9}[\dX]", isbn), isbn
        assert identifiers.is_valid_isbn(isbn), isbn
    assert any(isbn.endswith("X") for isbn in isbns)


def test_isbn10_of_agrees_with_identifiers(fake: Faker) -> None:
    for _ in range(200):
        isbn13 = fake.isbn13()
        isbn10 = fake.isbn10_of(isbn13)
        if isbn13.startswith("979"):
            assert isbn10 is None
        else:
            assert isbn10 is not None and identifiers.is_valid_isbn(isbn10)
            assert identifiers.isbn10_to_13(isbn10) == isbn13


def test_hyphenated_isbn13_has_five_parts_and_is_valid(fake: Faker) -> None:
    for _ in range(500):
        hyphenated = fake.hyphenated_isbn13()
        parts = hyphenated.split("-")
        assert len(parts) == 5 and all(parts), hyphenated
        assert parts[0] in ("978", "979") and len(parts[4]) == 1
        assert len("".join(parts)) == 13
        assert identifiers.is_valid_isbn(hyphenated), hyphenated


def test_issn_check_digits_are_valid_and_formatted(fake: Faker) -> None:
    issns = [fake.issn() for _ in range(SAMPLE)]
    for issn in issns:
        assert re.fullmatch(r"\d{4}-\d{3}[\dX]", issn), issn
        assert identifiers.is_valid_issn(issn), issn
    assert any(issn.endswith("X") for issn in issns)


# -- reproducibility ----------------------------------------------------------------------------


def _draw(fake: Faker) -> list[object]:
    out: list[object] = []
    for _ in range(25):
        out += [
            fake.isbn13(), fake.isbn10(), fake.issn(), fake.scholarly_title(), fake.subtitle(),
            fake.journal_title(), fake.author_name(), fake.publisher_name(), fake.publication_place(),
            fake.publication_year(), fake.list_price(), fake.vendor_order_number("gobi"),
            fake.vendor_title_number("oasis"), fake.vendor_order_number("acme"), fake.license_model(),
            fake.ebook_platform(), fake.print_binding(), fake.title_record(), fake.serial_record(),
        ]
    return out


def test_same_seed_gives_identical_sequence() -> None:
    assert _draw(acquisitions_faker(7)) == _draw(acquisitions_faker(7))


def test_different_seed_gives_different_sequence() -> None:
    assert _draw(acquisitions_faker(7)) != _draw(acquisitions_faker(8))


def test_seeding_is_per_instance_not_global() -> None:
    seeded = acquisitions_faker(7)
    # An unseeded Faker draws from the shared module-level random; interleaving must not disturb.
    noise = Faker("en_US")
    noise.add_provider(AcquisitionsProvider)
    reference = acquisitions_faker(7)
    for _ in range(50):
        noise.title_record()
        assert seeded.title_record() == reference.title_record()
        noise.isbn13()


# -- names and titles ---------------------------------------------------------------------------


def test_author_is_surname_comma_forename(fake: Faker) -> None:
    names = [fake.author_name() for _ in range(500)]
    for name in names:
        assert re.fullmatch(r"^[^,]+, [^,]+$", name), name
    assert any(re.search(r" [A-Z]\.$", name) for name in names)  # some middle initials


def test_titles_are_non_empty_and_varied(fake: Faker) -> None:
    titles = [fake.scholarly_title() for _ in range(500)]
    assert all(title.strip() and title[0].isupper() for title in titles)
    assert len(set(titles)) >= 0.9 * len(titles)


def test_subtitles_and_journal_titles_are_varied(fake: Faker) -> None:
    subtitles = [fake.subtitle() for _ in range(500)]
    assert all(s and not s.startswith(":") and s[0].isupper() for s in subtitles)
    assert len(set(subtitles)) >= 0.6 * len(subtitles)
    journals = [fake.journal_title() for _ in range(300)]
    assert all(journals)
    assert len(set(journals)) >= 0.5 * len(journals)
    assert any(j.startswith("Journal of ") for j in journals)
    assert any(j.endswith(" Quarterly") for j in journals)
    assert any(j.endswith(" Review") for j in journals)


def test_publisher_place_and_year(fake: Faker) -> None:
    publishers = [fake.publisher_name() for _ in range(300)]
    assert all(publishers) and len(set(publishers)) > 100
    assert any("Press" in p for p in publishers)
    places = {fake.publication_place() for _ in range(300)}
    assert {"London", "New York"} & places
    years = [int(fake.publication_year()) for _ in range(SAMPLE)]
    assert all(1995 <= year <= 2026 for year in years)
    recent = sum(1 for year in years if year >= 2016)
    assert recent > SAMPLE / 2  # weighted towards recent years


# -- money --------------------------------------------------------------------------------------


def test_currency_codes(fake: Faker) -> None:
    codes = {fake.currency_code() for _ in range(500)}
    assert codes == set(CURRENCIES) == {"USD", "GBP", "EUR", "CAD"}


@pytest.mark.parametrize("material", sorted(LIST_PRICE_RANGES))
@pytest.mark.parametrize("currency", sorted(CURRENCIES))
def test_list_price_in_range_with_two_places(fake: Faker, material: str, currency: str) -> None:
    low, high = price_range(material, currency)
    for _ in range(200):
        amount, code = fake.list_price(currency, material)
        assert code == currency
        assert isinstance(amount, Decimal)
        assert amount.as_tuple().exponent == -2, amount
        assert low <= amount < high, (material, currency, amount)


def test_usd_ranges_are_the_documented_ones() -> None:
    assert price_range("cloth", "USD") == (Decimal(60), Decimal(180))
    assert price_range("paper", "USD") == (Decimal(20), Decimal(45))
    assert price_range("1U", "USD") == (Decimal(80), Decimal(250))
    for multi_user in ("3U", "NL", "UNL"):
        assert LIST_PRICE_RANGES[multi_user][1] > LIST_PRICE_RANGES["1U"][1]


def test_list_price_defaults(fake: Faker) -> None:
    for _ in range(500):
        amount, currency = fake.list_price()
        assert currency in CURRENCIES
        assert Decimal("15") <= amount < Decimal("900")
        assert amount == amount.quantize(Decimal("0.01"))


# -- vendors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("vendor, kind", [("gobi", "gobi"), ("GOBI", "gobi"), ("oasis", "oasis"),
                                          ("OASIS", "oasis"), ("acme", "generic"), ("", "generic")])
def test_vendor_numbers_match_documented_formats(fake: Faker, vendor: str, kind: str) -> None:
    order_pattern, title_pattern = DOCUMENTED_FORMATS[kind]
    assert VENDOR_NUMBER_PATTERNS[kind]["order"].pattern == order_pattern
    assert VENDOR_NUMBER_PATTERNS[kind]["title"].pattern == title_pattern
    for _ in range(300):
        assert re.fullmatch(order_pattern, fake.vendor_order_number(vendor))
        assert re.fullmatch(title_pattern, fake.vendor_title_number(vendor))


def test_generic_order_number_uses_given_year(fake: Faker) -> None:
    assert fake.vendor_order_number("acme", year=2026).startswith("ORD-2026-")


def test_vendor_numbers_vary(fake: Faker) -> None:
    for vendor in ("gobi", "oasis", "acme"):
        orders = {fake.vendor_order_number(vendor) for _ in range(200)}
        assert len(orders) > 190


# -- formats and licences -----------------------------------------------------------------------


def test_platform_vocabulary(fake: Faker) -> None:
    seen = {fake.ebook_platform() for _ in range(500)}
    assert seen == set(EBOOK_PLATFORMS) == {
        "EBSCOhost", "ProQuest Ebook Central", "Cambridge Core", "JSTOR", "De Gruyter Online",
        "Oxford Academic",
    }


def test_license_vocabulary(fake: Faker) -> None:
    assert LICENSE_MODELS == {
        "1U": "Single user",
        "3U": "3 concurrent users",
        "UNL": "Unlimited users",
        "NL": "Non-linear lending",
    }
    assert {fake.license_model() for _ in range(500)} == set(LICENSE_MODELS)


def test_print_binding_vocabulary(fake: Faker) -> None:
    assert set(PRINT_BINDINGS) == {"cloth", "paper", "library binding"}
    assert {fake.print_binding() for _ in range(1_000)} == set(PRINT_BINDINGS)


# -- records ------------------------------------------------------------------------------------


def test_title_record_is_coherent(fake: Faker) -> None:
    keys = {"title", "subtitle", "author", "isbn", "isbn10", "publisher", "publication_place",
            "publication_year"}
    for _ in range(500):
        record = fake.title_record()
        assert set(record) == keys
        assert record["title"] and record["publisher"] and record["publication_place"]
        assert isinstance(record["subtitle"], str)
        assert re.fullmatch(r"^[^,]+, [^,]+$", record["author"] or "")
        isbn = record["isbn"] or ""
        assert identifiers.is_valid_isbn(isbn) and len(isbn) == 13
        assert record["isbn10"] == identifiers.isbn13_to_10(isbn)
        if record["publication_place"] in ("Berlin", "Munich", "Frankfurt am Main"):
            assert isbn.startswith("9783")
        assert 1995 <= int(record["publication_year"] or 0) <= 2026


def test_serial_record(fake: Faker) -> None:
    for _ in range(300):
        record = fake.serial_record()
        assert set(record) == {"title", "issn", "publisher", "publication_place"}
        assert identifiers.is_valid_issn(record["issn"])
        assert record["title"] and record["publisher"] and record["publication_place"]
