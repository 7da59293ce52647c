"""Steps about funds: their available balance before and after an order."""

from __future__ import annotations

from decimal import Decimal

from pytest_bdd import given, parsers, then

from simulator.testing.steps._types import EXTRA_TYPES


def _available(alma, code: str) -> Decimal:
    return Decimal(str(alma.fund(code)["available_balance"])).quantize(Decimal("0.01"))


@given(parsers.parse('the fund "{code}" has {amount:Money} available', extra_types=EXTRA_TYPES))
def fund_has_available(alma, code, amount):
    fund = alma.fund(code)
    assert fund["currency"]["value"] == amount.currency, f"{code} is kept in {fund['currency']['value']}"
    spent = Decimal(str(fund["encumbered_balance"])) + Decimal(str(fund["expended_balance"]))
    alma.configure_fund(code, allocated=str(amount.amount + spent))


@then(parsers.parse('the fund "{code}" has {amount:Money} available', extra_types=EXTRA_TYPES))
@then(parsers.parse('the fund "{code}" still has {amount:Money} available', extra_types=EXTRA_TYPES))
def fund_shows_available(alma, code, amount):
    assert _available(alma, code) == amount.amount, f"{code} has {_available(alma, code)} available"


@given(parsers.parse('the fund "{code}" may be over-encumbered by {percent:d}% of its allocation'))
def fund_over_encumbrance(alma, code, percent):
    alma.configure_fund(code, overencumbrance_allowed=True, overencumbrance_limit_percent=str(percent))
