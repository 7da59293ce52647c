"""Alma's coded fields and money objects, read and written once (simulator/alma_json.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulator.alma_json import code_of, coded, label_of, money_json, sum_and_currency, sum_text
from simulator.money import Money


@pytest.mark.parametrize("value, code, label", [
    ({"value": "SENT", "desc": "Sent"}, "SENT", "Sent"),
    ({"value": "GOBI"}, "GOBI", "GOBI"),
    ("SENT", "SENT", "SENT"),
    (" SENT ", "SENT", " SENT "),
    ({"value": None}, "", ""),
    (None, "", ""),
    ({}, "", ""),
])
def test_a_coded_field_reads_as_its_code_and_its_label(value, code, label):
    assert code_of(value) == code
    assert label_of(value) == label


def test_a_coded_field_is_written_with_its_description_or_its_code_as_one():
    assert coded("USD", "US Dollar") == {"value": "USD", "desc": "US Dollar"}
    assert coded("P") == {"value": "P", "desc": "P"}


def test_money_is_written_as_alma_answers_and_as_a_vendor_sends():
    price = Money(Decimal("12.5"), "GBP")
    assert money_json(price, {"GBP": "Pound Sterling"}) == {
        "sum": "12.50", "currency": {"value": "GBP", "desc": "Pound Sterling"}}
    assert money_json(price, {}) == {"sum": "12.50", "currency": {"value": "GBP", "desc": "GBP"}}
    assert money_json(price) == {"sum": "12.50", "currency": {"value": "GBP"}}
    assert money_json(None) == {"sum": "", "currency": {"value": "", "desc": ""}}


@pytest.mark.parametrize("amount", ["12.50", "12.5", "0.00", "-0.00", "-3.10", "100", "1.234", "1E+3", "0E-7",
                                    "12345678901234567890.12", "NaN"])
def test_a_sum_is_written_with_two_decimals_whatever_form_its_amount_has(amount):
    assert sum_text(Decimal(amount)) == f"{Decimal(amount):.2f}"


@pytest.mark.parametrize("value, read", [
    ({"sum": "12.50", "currency": {"value": "USD"}}, ("12.50", "USD")),
    ({"sum": 30, "currency": "EUR"}, (30, "EUR")),
    ({"sum": "5"}, ("5", "")),
    ({"sum": ""}, None),
    ({"currency": {"value": "USD"}}, None),
    ("12.50", None),
    (None, None),
])
def test_a_money_object_reads_as_its_sum_as_sent_and_its_currency(value, read):
    assert sum_and_currency(value) == read
