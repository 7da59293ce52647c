"""The carts sell serials: print and electronic journal subscriptions and standing orders, as continuous PO lines
carrying Alma's renewal and claiming fields and the serial's ISSN; the seeded serial fakes behind them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import identifiers
from simulator.backends import AlmaClient, InProcessBackend
from simulator.errors import VendorError
from simulator.fakes import SERIAL_FREQUENCIES, acquisitions_faker
from simulator.vendors import VENDORS, open_cart
from simulator.vendors.cart import OrderLine, Subscription
from simulator.vendors.profile import SERIAL_FORMATS
from simulator.vendors.rehearsal import rehearse

ORDER_DAY = dt.date(2026, 9, 1)  # the seed world's day
# What each vendor sells besides books [decision, docs/decisions.md "Serials in the carts"].
SELLS = {"gobi": {"print_journal": "PRINTED_JOURNAL_CO", "standing_order": "PRINTED_BOOK_SO"},
         "oasis": {"standing_order": "PRINT_SO"},
         "generic": {"print_journal": "PRINTED_JOURNAL_CO", "ejournal": "E_JOURNAL_CO",
                     "standing_order": "PRINT_SO_NONMON"}}
CASES = [(vendor, fmt) for vendor, formats in SELLS.items() for fmt in formats]


def _title(stocks, vendor: str, fmt: str):
    return (stocks[vendor].series if fmt == "standing_order" else stocks[vendor].journals)[0]


def _add(cart, title, fmt: str, **terms):
    where = {} if fmt == "ejournal" else {"location": "STACKS"}
    return cart.add(title, fmt, owning_library="MAIN", funds="SERIALS", starts=ORDER_DAY, **where, **terms)


def test_each_vendor_sells_what_its_profile_says():
    for name, serials in SELLS.items():
        sold = {fmt: VENDORS[name].po_line_types[fmt] for fmt in SERIAL_FORMATS if VENDORS[name].sells(fmt)}
        assert sold == serials, name
        assert set(VENDORS[name].formats) == {"print", "ebook", *serials}


def test_the_stock_holds_the_serials_the_vendor_sells(stocks):
    assert stocks["oasis"].series and not stocks["oasis"].journals  # OASIS: standing orders, no subscriptions
    assert stocks["generic"].journals and stocks["generic"].series
    for stock in stocks.values():
        for title in stock.journals + stock.series:
            assert identifiers.is_valid_issn(title.issn) and not title.isbn
            assert stock.search(title.issn) == [title] and stock.title(title.issn.replace("-", "")) is title
        assert not any(t.serial for t in stock.bulk)  # the selector's books stay books
    online = [t for t in stocks["generic"].journals if "ejournal" in t.subscription_prices]
    assert online and all(t.platforms for t in online)


@pytest.mark.parametrize(("vendor", "fmt"), CASES)
def test_a_serial_is_a_continuous_po_line_with_its_issn(alma, stocks, vendor, fmt):
    title = _title(stocks, vendor, fmt)
    cart = open_cart(vendor, alma)
    _add(cart, title, fmt, manual_renewal=True, reminder_days=90)
    order = cart.checkout()
    line = order.lines[0]
    assert line.result.outcome == "created", line.result

    sent = cart.po_line(OrderLine(line.vendor_reference_number, line.cart_line))
    assert sent["type"] == {"value": SELLS[vendor][fmt]}
    assert sent["resource_metadata"]["issn"] == title.issn and "isbn" not in sent["resource_metadata"]
    assert sent["renewal_date"] == "2027-09-01Z" and sent["subscription_from_date"] == "2026-09-01Z"
    assert sent["renewal_cycle"] == {"value": "1"} and sent["renewal_period"] == "90"
    assert sent["manual_renewal"] is True and sent["claiming_interval"] == "30"
    if fmt == "standing_order":
        assert "subscription_to_date" not in sent  # a standing order runs until it is cancelled
    else:
        assert sent["subscription_to_date"] == "2029-08-31Z"  # a three-year term
    if fmt == "ejournal":
        assert "location" not in sent and sent["expected_activation_interval"] == "30"
        assert sent["access_provider"] in title.platforms
    else:
        assert sent["location"][0]["quantity"] == 1 and sent["expected_receipt_interval"].isdigit()
    assert sent["price"]["sum"] == f"{title.subscription_prices[fmt].amount:.2f}"

    kept = alma.get_po_line(line.po_line_number)  # what Alma keeps of it
    assert kept["type"]["value"] == SELLS[vendor][fmt]
    assert identifiers.issn_key(kept["resource_metadata"]["issn"]) == identifiers.issn_key(title.issn)
    assert kept["renewal_date"] == "2027-09-01Z" and kept["subscription_from_date"] == "2026-09-01Z"
    assert kept["claiming_interval"] == "30"


def test_the_first_issue_is_expected_after_the_frequency_says():
    monthly = Subscription.starting(ORDER_DAY, "print_journal", "monthly")
    annual = Subscription.starting(ORDER_DAY, "print_journal", "annual")
    assert monthly.expected_receipt_interval < annual.expected_receipt_interval == 270
    leap = Subscription.starting(dt.date(2028, 2, 29), "ejournal")
    assert (leap.renewal_date, leap.subscription_to) == ("2029-02-28", "2031-02-27")


def test_the_cart_sells_only_what_the_vendor_sells(alma, stocks):
    oasis = open_cart("oasis", alma)
    with pytest.raises(VendorError, match="sells print books, ebooks, standing orders, not print journal"):
        oasis.add(stocks["oasis"].series[0], "print_journal", owning_library="MAIN")
    generic = open_cart("generic", alma)
    with pytest.raises(VendorError, match="is a book"):
        generic.add(stocks["generic"].bulk[0], "standing_order", owning_library="MAIN")
    with pytest.raises(VendorError, match="is a journal"):
        generic.add(stocks["generic"].journals[0], "print", owning_library="MAIN")
    assert not oasis.lines and not generic.lines


def test_the_rehearsal_mix_has_serials_of_what_each_vendor_sells():
    result = rehearse(AlmaClient(InProcessBackend()), list(VENDORS.values()), orders=20, seed=42).as_json()
    for name, summary in result["vendors"].items():
        ordered = summary["serials"]["ordered"]
        assert {fmt for fmt, n in ordered.items() if n} <= set(SELLS[name]), name
        assert sum(ordered.values()) > 0 and summary["serials"]["late"] <= sum(ordered.values())
    lines = sum(s["lines"] for s in result["vendors"].values())
    serials = sum(sum(s["serials"]["ordered"].values()) for s in result["vendors"].values())
    assert 0.08 < serials / lines < 0.3  # about one line in eight, plus the showcase's three


# ---------------------------------------------------------------- the serial fakes ------------------------------


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), year=st.integers(1990, 2040))
def test_serial_fakes_are_valid_and_seeded(seed, year):
    fake = acquisitions_faker(seed)
    journal, series = fake.journal_record(year), fake.series_record(year)
    for record in (journal, series):
        assert re.fullmatch(r"\d{4}-\d{3}[\dX]", record["issn"]) and identifiers.is_valid_issn(record["issn"])
        assert record["frequency"] in SERIAL_FREQUENCIES and record["issues"] == SERIAL_FREQUENCIES[record["frequency"]]
        assert record["volume"] == year - record["founded"] + 1 >= 3
        assert record["coverage"].startswith(f"v. {record['volume']}") and f"({year})" in record["coverage"]
        assert record["title"] and record["publisher"] and record["publication_place"]
    assert series["frequency"] == "annual"
    amount, currency = fake.subscription_price("EUR", "online journal")
    assert currency == "EUR" and amount > 0 and amount == amount.quantize(amount.__class__("0.01"))
    again = acquisitions_faker(seed)
    assert (again.journal_record(year), again.series_record(year)) == (journal, series)


def test_issn_check_characters_include_x():
    fake = acquisitions_faker(11)
    issns = [fake.journal_record()["issn"] for _ in range(400)]
    assert all(identifiers.is_valid_issn(i) for i in issns) and any(i.endswith("X") for i in issns)
