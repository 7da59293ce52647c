"""Money: a Decimal amount in a currency, parsed strictly and rounded the way ledgers are (to the cent).

Imports only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_decimal(raw: object) -> Decimal | None:
    """A finite Decimal from a number or numeric string, or None when it is not one."""
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def cents(value: Decimal) -> Decimal:
    # the rounding passed by position: the same call as rounding=ROUND_HALF_UP, without parsing a keyword
    return value.quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True, init=False)
class Money:
    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        # the amount rounded to the cent as it is set (one step instead of a frozen __init__ and a __post_init__);
        # a Decimal is rounded as it is (Decimal(d) is d's exact copy)
        # (frozen: each slot is written through its descriptor, what object.__setattr__ finds and calls, directly)
        _SET_AMOUNT(self, cents(amount if type(amount) is Decimal else Decimal(amount)))
        _SET_CURRENCY(self, currency)

    @classmethod
    def parse(cls, text: str) -> Money:
        """"500.00 USD" -> Money(500.00, "USD")."""
        amount, currency = text.split()
        value = to_decimal(amount)
        if value is None:
            raise ValueError(f"not an amount: {amount!r}")
        return cls(value, currency.upper())

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def times(self, factor: Decimal | int) -> Money:
        return Money(self.amount * Decimal(factor), self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"


# The slots' own setters, which Money.__init__ writes through (a frozen class refuses plain assignment).
_SET_AMOUNT, _SET_CURRENCY = Money.__dict__["amount"].__set__, Money.__dict__["currency"].__set__
