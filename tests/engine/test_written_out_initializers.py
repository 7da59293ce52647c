"""Frozen records whose `__init__` is written out by hand (for speed: every order makes some) must take exactly
their dataclass fields, in order, with the same defaults, and set every one of them: a field added to the class
but not to its `__init__` would otherwise be missing from every new record."""

from __future__ import annotations

import dataclasses
import inspect
from decimal import Decimal

import pytest

from simulator.alma.model import Portfolio
from simulator.alma.model.acquisitions import FundTransaction, TransactionType
from simulator.alma.model.orders import Alert
from simulator.alma.portfolio_search import ActivateFromCommunityZone, CreateLocalPortfolio, PortfolioFound

WRITTEN_OUT = [Alert, FundTransaction, PortfolioFound, ActivateFromCommunityZone, CreateLocalPortfolio]


@pytest.mark.parametrize("cls", WRITTEN_OUT, ids=lambda c: c.__name__)
def test_the_initializer_takes_the_fields_in_order_with_their_defaults(cls):
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in parameters] == [f.name for f in fields]
    for parameter, f in zip(parameters, fields):
        expected = f.default if f.default is not dataclasses.MISSING else inspect.Parameter.empty
        assert parameter.default == expected, f.name


def _example(cls):
    portfolio = Portfolio(id="53100", mms_id="99100", platform="EBC", title="A title")
    return {
        Alert: lambda: Alert(code="X", text="a text", review=False),
        FundTransaction: lambda: FundTransaction(id="F-1", type=TransactionType.ENCUMBRANCE, amount=Decimal("1.00"),
                                                 date="2026-01-01", po_line="POL-1", invoice_number="I",
                                                 invoice_line="1", related_fund="G", note="n"),
        PortfolioFound: lambda: PortfolioFound(portfolio, "iz"),
        ActivateFromCommunityZone: lambda: ActivateFromCommunityZone(portfolio),
        CreateLocalPortfolio: lambda: CreateLocalPortfolio(),
    }[cls]()


@pytest.mark.parametrize("cls", WRITTEN_OUT, ids=lambda c: c.__name__)
def test_a_record_made_so_has_every_field_and_stays_frozen(cls):
    record = _example(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    assert list(vars(record)) == names
    assert record == dataclasses.replace(record)  # the generated eq and replace see the same fields
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, names[0], None)
