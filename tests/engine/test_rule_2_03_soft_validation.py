"""ORDERING-RULES §2.3 — soft validation: missing parts create the line In Review with one alert each."""

from __future__ import annotations

import pytest

from simulator.alma.model import POLineStatus

from .conftest import codes, print_draft


@pytest.mark.parametrize(("changes", "expected"), [
    ({"vendor": "", "vendor_account": ""}, ["VENDOR_MISSING", "VENDOR_ACCOUNT_MISSING"]),
    ({"vendor_account": ""}, ["VENDOR_ACCOUNT_MISSING"]),
    ({"price": None}, ["PRICE_MISSING"]),
    ({"funds": []}, ["FUND_MISSING"]),
    ({"price": None, "funds": []}, ["PRICE_MISSING", "FUND_MISSING"]),
    ({"vendor": "", "vendor_account": "", "price": None, "funds": []},
     ["VENDOR_MISSING", "VENDOR_ACCOUNT_MISSING", "PRICE_MISSING", "FUND_MISSING"]),
    ({"vendor": "BLACKWELL", "vendor_account": "BLK-HVU"}, ["VENDOR_INACTIVE"]),
])
def test_missing_parts_send_the_line_to_in_review(hvu, order, changes, expected):
    """ORDERING-RULES §2.3: missing vendor, vendor_account, price or fund distribution → the line is created
    In Review with one alert per missing part, and nothing is encumbered."""
    before = {c: f.encumbered for c, f in hvu.funds.items()}
    line = order(print_draft(**changes))
    assert line.status is POLineStatus.IN_REVIEW
    assert codes(line) == expected
    assert all(a.review for a in line.alerts)
    assert line.encumbrances == []
    assert {c: f.encumbered for c, f in hvu.funds.items()} == before
    assert hvu.po_lines[line.number] is line  # created, not refused


def test_complete_line_is_not_in_review(order):
    """ORDERING-RULES §2.3: with vendor, account, price and funds the line skips In Review."""
    line = order(print_draft())
    assert line.status is POLineStatus.AUTO_PACKAGING
    assert line.alerts == []


@pytest.mark.parametrize("how", ["draft", "parameter"])
def test_requires_manual_review_sends_a_complete_line_to_in_review(order, how):
    """ORDERING-RULES §2.3: requires_manual_review=true → In Review with its own alert (MANUAL_REVIEW)."""
    if how == "draft":
        line = order(print_draft(requires_manual_review=True))
    else:
        line = order(print_draft(), requires_manual_review=True)
    assert line.status is POLineStatus.IN_REVIEW
    assert codes(line) == ["MANUAL_REVIEW"]
    assert line.encumbrances == []


def test_manual_review_alert_comes_with_the_missing_parts(order):
    """ORDERING-RULES §2.3: manual review and missing parts each get their own alert."""
    line = order(print_draft(price=None, requires_manual_review=True))
    assert codes(line) == ["PRICE_MISSING", "MANUAL_REVIEW"]
