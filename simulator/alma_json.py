"""Alma's two value shapes in JSON, read and written here once: the coded field and the money object.

A coded field is `{"value": "SENT", "desc": "Sent"}` (the code and its description); Alma also accepts a bare
"SENT" where it reads one. A money object is `{"sum": "12.50", "currency": {"value": "USD", "desc": "US Dollar"}}`.
The simulated Alma (api/schemas.py), the request journal, the vendor carts, the test evidence, `almasim clone` and
`almasim replay` all read and write them through these functions, so every side agrees on what a code, a
description and a sum are.

Shared vocabulary: the standard library only, so a vendor cart or the harness can import it without loading the
simulated Alma.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

__all__ = ["Amount", "code_of", "coded", "label_of", "money_json", "sum_and_currency", "sum_text"]


class Amount(Protocol):
    """What `money_json` writes: an amount in a currency (simulator.money.Money is one)."""

    @property
    def amount(self) -> Decimal: ...

    @property
    def currency(self) -> str: ...


def code_of(value: Any) -> str:
    """A coded field's code, whether sent as {"value": "X", "desc": …} or as a bare "X" (absent: "")."""
    if type(value) is str:  # the common cases first: a bare code, and a coded field whose value is text
        return value.strip()
    if isinstance(value, dict):
        value = value.get("value", "")
        if type(value) is str:
            return value.strip()
    return "" if value is None else str(value).strip()


def label_of(value: Any) -> str:
    """A coded field's readable side: its description, else its code; plain text as is (absent: "")."""
    if isinstance(value, dict):
        return str(value.get("desc") or value.get("value") or "")
    return "" if value is None else str(value)


def coded(value: str, desc: str | None = None) -> dict:
    """A coded field as Alma answers with it; the description is the code itself unless given."""
    return {"value": value, "desc": desc if desc is not None else value}


def money_json(money: Amount | None, currency_names: Mapping[str, str] | None = None) -> dict:
    """A money object, the sum with two decimals. With `currency_names` (code → name) the currency is a coded field
    with its description, as Alma answers; without, it is its code alone, as a vendor sends it. No money: an empty
    money object."""
    if money is None:
        return {"sum": "", "currency": {"value": "", "desc": ""}}
    code = money.currency
    # the currency as `coded` writes it (every PO line's answer has a few of these, so no call each)
    currency = {"value": code} if currency_names is None else {"value": code, "desc": currency_names.get(code, code)}
    return {"sum": sum_text(money.amount), "currency": currency}


def sum_text(amount: Decimal) -> str:
    """A sum with two decimals ("12.50"). A Money amount is already rounded to the cent, and then its str() is that
    text, at a third of the cost of formatting it; any other amount is formatted."""
    text = str(amount)
    return text if text[-3:-2] == "." else f"{amount:.2f}"


def sum_and_currency(value: Any) -> tuple[Any, str] | None:
    """A money object's sum as sent (text or number) and its currency's code ("" when none is given); None when
    the value is not a money object or holds no sum."""
    if not isinstance(value, dict):
        return None
    raw = value.get("sum")
    if raw is None or raw == "":
        return None
    return raw, code_of(value.get("currency"))
