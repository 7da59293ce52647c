"""ORDERING-RULES §2.4 — validation of order information: the profile's three fund checks.

A ticked check refuses the order (400 401872, FundCheckFailed naming the check and the fund or
distribution [decision]) and changes nothing; an unticked one lets it into In Review with an alert.
Orders go through Harrassowitz (system OTHER → DEFAULT_API), whose checks each test ticks as it needs.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulator.alma import configuration
from simulator.alma.model import FundShare, OrderedLocation, POLineStatus
from simulator.alma.alerts import CHECK_INSUFFICIENT_BALANCE, CHECK_INVALID_FUND, CHECK_NOT_FULLY_FUNDED
from simulator.errors import FundCheckFailed

from .conftest import HVU, codes, ebook_draft, print_draft, snapshot, usd, vendor

FLAGS = {CHECK_INVALID_FUND: "block_invalid_fund_code", CHECK_NOT_FULLY_FUNDED: "block_not_fully_funded",
         CHECK_INSUFFICIENT_BALANCE: "block_insufficient_balance"}

# (case id, draft changes, the check that fails, the alert code, a word the message must name)
CASES = [
    ("unknown fund", {"funds": [FundShare(fund="NO-SUCH-FUND")]}, CHECK_INVALID_FUND, "FUND_CODE_INVALID",
     "NO-SUCH-FUND"),
    ("inactive fund", {"funds": [FundShare(fund="MUSIC-MONO")]}, CHECK_INVALID_FUND, "FUND_CODE_INVALID",
     "MUSIC-MONO"),
    ("last year's fund", {"funds": [FundShare(fund="HIST-MONO-FY26")]}, CHECK_INVALID_FUND, "FUND_CODE_INVALID",
     "fiscal period"),
    ("summary fund", {"funds": [FundShare(fund="HUMANITIES")]}, CHECK_INVALID_FUND, "FUND_CODE_INVALID",
     "allocated"),
    ("fund of another library", {"funds": [FundShare(fund="LAW-MONO")]}, CHECK_INVALID_FUND,
     "FUND_CODE_INVALID", "LAW-MONO"),
    ("half funded by percent", {"funds": [FundShare(fund="HIST-MONO", percent=Decimal(50))]},
     CHECK_NOT_FULLY_FUNDED, "FUND_NOT_FULLY_FUNDED", "fund distribution"),
    ("under-funded by amount", {"funds": [FundShare(fund="HIST-MONO", amount=usd(10))]},
     CHECK_NOT_FULLY_FUNDED, "FUND_NOT_FULLY_FUNDED", "fund distribution"),
    ("nearly spent fund", {"funds": [FundShare(fund="ART-MONO")]}, CHECK_INSUFFICIENT_BALANCE,
     "FUND_BALANCE_INSUFFICIENT", "ART-MONO"),
    ("beyond over-encumbrance allowance", {"type": "E_BOOK_OT", "locations": [], "price": usd(900),
                                           "funds": [FundShare(fund="SCI-EBOOK")]},
     CHECK_INSUFFICIENT_BALANCE, "FUND_BALANCE_INSUFFICIENT", "SCI-EBOOK"),
]
IDS = [c[0] for c in CASES]


def _tick(world, **flags):
    configuration.change_profile(world, HVU, "DEFAULT_API", block_invalid_fund_code=False,
                                 block_not_fully_funded=False, block_insufficient_balance=False)
    configuration.change_profile(world, HVU, "DEFAULT_API", **flags)


@pytest.mark.parametrize(("case", "changes", "check", "alert", "named"), CASES, ids=IDS)
def test_ticked_check_refuses_401872_and_changes_nothing(world, hvu, order, case, changes, check, alert, named):
    """ORDERING-RULES §2.4: a ticked check rejects the order: 400 401872 naming the fund or the distribution,
    the message says which check failed [decision], and nothing changes."""
    _tick(world, **{FLAGS[check]: True})
    before = snapshot(hvu, world)
    with pytest.raises(FundCheckFailed) as refusal:
        order(print_draft(**vendor("HARRASSOWITZ"), **changes))
    assert refusal.value.code == "401872"
    assert refusal.value.check == check
    assert f"check failed: {check}" in refusal.value.message
    assert named in refusal.value.message
    assert snapshot(hvu, world) == before


@pytest.mark.parametrize(("case", "changes", "check", "alert", "named"), CASES, ids=IDS)
def test_unticked_check_lets_the_order_into_in_review(world, hvu, order, case, changes, check, alert, named):
    """ORDERING-RULES §2.4: a check that is not ticked lets the order through into In Review with an alert
    saying what is wrong; nothing is encumbered while it is In Review."""
    _tick(world)
    before = {c: f.encumbered for c, f in hvu.funds.items()}
    line = order(print_draft(**vendor("HARRASSOWITZ"), **changes))
    assert line.status is POLineStatus.IN_REVIEW
    assert alert in codes(line)
    assert named in next(a.text for a in line.alerts if a.code == alert)
    assert line.encumbrances == []
    assert {c: f.encumbered for c, f in hvu.funds.items()} == before


@pytest.mark.parametrize(("case", "changes", "check", "alert", "named"), CASES, ids=IDS)
def test_other_ticked_checks_do_not_refuse(world, hvu, order, case, changes, check, alert, named):
    """ORDERING-RULES §2.4: each check is independent — ticking the two *other* checks does not refuse."""
    _tick(world, **{flag: True for c, flag in FLAGS.items() if c != check})
    line = order(print_draft(**vendor("HARRASSOWITZ"), **changes))
    assert line.status is POLineStatus.IN_REVIEW
    assert alert in codes(line)


def test_all_checks_ticked_and_funding_sound_goes_through(world, hvu, order):
    """ORDERING-RULES §2.4: with every check ticked, a valid, fully funded, covered order is created and
    encumbered."""
    _tick(world, block_invalid_fund_code=True, block_not_fully_funded=True, block_insufficient_balance=True)
    before = hvu.funds["HIST-MONO"].encumbered
    line = order(print_draft(**vendor("HARRASSOWITZ"), price=usd(120)))
    assert line.status is POLineStatus.AUTO_PACKAGING
    assert hvu.funds["HIST-MONO"].encumbered == before + Decimal("120.00")


def test_restricted_fund_is_valid_for_its_own_library(world, hvu, order):
    """ORDERING-RULES §2.4: "not available for the owner library" — the Law fund is fine for a Law order."""
    _tick(world, block_invalid_fund_code=True)
    line = order(print_draft(**vendor("HARRASSOWITZ"), owner="LAW", funds=[FundShare(fund="LAW-MONO")],
                             locations=[OrderedLocation(library="LAW", location="LAWSTK")]))
    assert line.status is POLineStatus.AUTO_PACKAGING
    assert hvu.funds["LAW-MONO"].encumbered == Decimal("50.00")


def test_over_encumbrance_allowance_stretches_the_balance(world, hvu, order):
    """ORDERING-RULES §2.4: the balance check allows the available balance plus the over-encumbrance
    allowance (SCI-EBOOK: 50.00 available + 10 % of 8000.00)."""
    _tick(world, block_insufficient_balance=True)
    line = order(ebook_draft(**vendor("HARRASSOWITZ"), price=usd(850), funds=[FundShare(fund="SCI-EBOOK")]))
    assert line.status is POLineStatus.AUTO_PACKAGING
    assert hvu.funds["SCI-EBOOK"].available == Decimal("-800.00")
    with pytest.raises(FundCheckFailed):
        order(ebook_draft(**vendor("HARRASSOWITZ"), price=usd("0.01"), funds=[FundShare(fund="SCI-EBOOK")]))


def test_exactly_the_available_balance_is_covered(world, hvu, order):
    """ORDERING-RULES §2.4: ART-MONO has 40.00 available; 40.00 is covered, 40.01 is not."""
    _tick(world, block_insufficient_balance=True)
    order(print_draft(**vendor("HARRASSOWITZ"), price=usd("40.00"), funds=[FundShare(fund="ART-MONO")]))
    assert hvu.funds["ART-MONO"].available == Decimal("0.00")
    with pytest.raises(FundCheckFailed):
        order(print_draft(**vendor("HARRASSOWITZ"), price=usd("0.01"), funds=[FundShare(fund="ART-MONO")]))


def test_gobi_profile_blocks_insufficient_balance_from_the_seed(world, hvu, order):
    """ORDERING-RULES §2.4: seed profile GOBI_API ticks only the balance check."""
    with pytest.raises(FundCheckFailed) as refusal:
        order(print_draft(funds=[FundShare(fund="ART-MONO")]))
    assert refusal.value.check == CHECK_INSUFFICIENT_BALANCE
    line = order(print_draft(funds=[FundShare(fund="MUSIC-MONO")]))
    assert codes(line) == ["FUND_CODE_INVALID"]


def test_split_distribution_checks_each_fund(world, hvu, order):
    """ORDERING-RULES §2.4: in a split distribution, an invalid fund among valid ones is caught."""
    _tick(world, block_invalid_fund_code=True)
    with pytest.raises(FundCheckFailed) as refusal:
        order(print_draft(**vendor("HARRASSOWITZ"), funds=[FundShare(fund="HIST-MONO", percent=Decimal(50)),
                                                           FundShare(fund="MUSIC-MONO", percent=Decimal(50))]))
    assert "MUSIC-MONO" in refusal.value.message
    line = order(print_draft(**vendor("HARRASSOWITZ"), price=usd(100),
                             funds=[FundShare(fund="HIST-MONO", percent=Decimal(60)),
                                    FundShare(fund="ENGL-MONO", percent=Decimal(40))]))
    assert {e.fund: e.amount for e in line.encumbrances} == {"HIST-MONO": Decimal("60.00"),
                                                              "ENGL-MONO": Decimal("40.00")}


@pytest.mark.parametrize("ticked", [True, False])
def test_invalid_fund_code_is_judged_even_without_a_price(world, hvu, order, ticked):
    """ORDERING-RULES §2.4: the fund code's validity does not depend on the price: a line with no price and an
    inactive fund is refused when the check is ticked, else In Review with both alerts."""
    _tick(world, block_invalid_fund_code=ticked)
    draft = print_draft(**vendor("HARRASSOWITZ"), price=None, funds=[FundShare(fund="MUSIC-MONO")])
    if ticked:
        before = snapshot(hvu, world)
        with pytest.raises(FundCheckFailed) as refusal:
            order(draft)
        assert refusal.value.check == CHECK_INVALID_FUND and "MUSIC-MONO" in refusal.value.message
        assert snapshot(hvu, world) == before
    else:
        line = order(draft)
        assert codes(line) == ["PRICE_MISSING", "FUND_CODE_INVALID"]
