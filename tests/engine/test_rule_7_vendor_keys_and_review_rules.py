"""ORDERING-RULES §7 "A vendor's key" and reference/after-ordering.md "Review and packaging": an API Restrictions
profile forces the vendor of every PO line its key creates or updates and can hide fund balances; the purchasing
review rules (default rule first, then the first matching rule) and the PO line price threshold decide which
automatic lines wait In Review."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulator.alma import lifecycle, ordering, restrictions, review_rules
from simulator.alma.model import POLineStatus, PurchasingReview, ReviewRule
from simulator.alma.seed import load_institution, load_world
from simulator.alma import snapshot as world_snapshot
from simulator.clock import FixedClock
from simulator.errors import HarnessError, IllegalValue
from simulator.money import Money

from .conftest import HVU, codes, print_draft, snapshot, usd, vendor

GOBI_KEY = "l8xx-hvu-0000-gobi"


@pytest.fixture
def gobi_only(hvu):
    """The seed world's API Restrictions profile of GOBI's key (vendor GOBI, Limited fund view)."""
    return restrictions.profile_for(hvu, hvu.api_restrictions["GOBI_KEY"].code)


def review(world, **table) -> PurchasingReview:
    return review_rules.configure(world, HVU, review_rules.table_from_dict(table))


# ---------------------------------------------------------------- a vendor's key --------------------------------


def test_the_seed_world_gives_gobi_a_key_under_its_restrictions_profile(world, hvu):
    key = world.api_keys[GOBI_KEY]
    assert key.institution == HVU and key.restriction_profile == "GOBI_KEY" and key.write
    profile = hvu.api_restrictions["GOBI_KEY"]
    assert profile.vendor == "GOBI" and profile.fund_view == "LIMITED"


def test_a_restricted_key_creates_lines_for_its_vendor(order, gobi_only):
    line = order(print_draft(), restriction=gobi_only)
    assert line.draft.vendor == "GOBI" and line.status is not POLineStatus.IN_REVIEW


@pytest.mark.parametrize("sent", [vendor("OASIS"), {"vendor": "", "vendor_account": ""}])
def test_a_restricted_key_is_refused_another_vendor_or_none_and_leaves_no_trace(world, hvu, order, gobi_only, sent):
    before = snapshot(hvu, world)
    with pytest.raises(IllegalValue) as refused:
        order(print_draft(**sent), restriction=gobi_only)
    assert refused.value.code == "401872" and "only for vendor GOBI" in refused.value.message
    assert "GOBI_KEY" in refused.value.message
    assert snapshot(hvu, world) == before


def test_a_profile_without_a_vendor_allows_any_vendor(world, order):
    profile = restrictions.configure(world, HVU, restrictions.profile_from_table({"code": "FUNDS_ONLY",
                                                                                  "fund_view": "limited"}))
    assert profile.fund_view == "LIMITED"
    assert order(print_draft(**vendor("OASIS")), restriction=profile).draft.vendor == "OASIS"


def test_an_update_with_a_restricted_key_keeps_the_line_with_its_vendor(world, hvu, order, clock, gobi_only):
    gobi_line = order(print_draft())
    oasis_line = order(print_draft(**vendor("OASIS")))
    with pytest.raises(IllegalValue, match="only for vendor GOBI"):
        restrictions.check_update(gobi_only, gobi_line.draft.vendor, print_draft(**vendor("OASIS")))
    with pytest.raises(IllegalValue, match="ordered from OASIS"):
        restrictions.check_update(gobi_only, oasis_line.draft.vendor, print_draft())
    restrictions.check_update(gobi_only, gobi_line.draft.vendor, print_draft(price=usd(60)))
    updated = lifecycle.update(world, HVU, gobi_line.number, print_draft(price=usd(60)), clock)
    assert updated.draft.price == usd(60)


def test_the_fund_view_decides_whether_balances_show(world, gobi_only):
    assert not restrictions.shows_fund_balances(gobi_only)
    assert restrictions.shows_fund_balances(None)
    full = restrictions.configure(world, HVU, restrictions.profile_from_table(
        {"code": "GOBI_KEY", "vendor": "GOBI", "fund_view": "FULL"}))
    assert restrictions.shows_fund_balances(full)


@pytest.mark.parametrize("table, says", [
    ({"code": "X", "vendor": "NOBODY"}, "no vendor 'NOBODY'"),
    ({"code": "X", "fund_view": "SOME"}, "fund_view"),
    ({"code": "GOBI_API"}, "New Order API profile"),
    ({"code": "X", "colour": "red"}, "colour"),
])
def test_a_wrong_restrictions_profile_is_refused(world, table, says):
    with pytest.raises(IllegalValue, match=says):
        restrictions.configure(world, HVU, restrictions.profile_from_table(table))


def test_a_seeded_key_naming_an_unknown_profile_fails_the_seed():
    world = load_world()
    spec = {"code": "01TEST", "name": "Test College", "mms_suffix": "7777",
            "restricted_api_keys": [{"key": "l8xx-test-x", "restriction_profile": "NOPE"}]}
    with pytest.raises(HarnessError, match="unknown API Restrictions profile 'NOPE'"):
        load_institution(world, spec, {}, FixedClock())


def test_restrictions_and_review_rules_survive_a_snapshot(world):
    review(world, default=True, price_limit="100.00", rules=[{"name": "GOBI", "vendors": ["GOBI"], "review": False}])
    again = world_snapshot.load(world_snapshot.dump(world))
    assert again.api_keys[GOBI_KEY].restriction_profile == "GOBI_KEY"
    table = again.institution(HVU).purchasing_review
    assert table.default and table.price_limit == Decimal("100.00") and table.rules[0].review is False
    assert again.institution(HVU).api_restrictions["GOBI_KEY"].vendor == "GOBI"


# ---------------------------------------------------------------- purchasing review rules -----------------------


def test_the_seed_world_reviews_nothing_by_rule(hvu, order):
    assert hvu.purchasing_review.default is False and hvu.purchasing_review.rules == []
    line = order(print_draft())
    assert line.status is not POLineStatus.IN_REVIEW and "REVIEW_RULE" not in codes(line)


def test_the_default_rule_true_sends_every_api_line_to_review_before_any_other_rule(world, hvu, order):
    review(world, default=True, rules=[{"name": "GOBI goes on", "vendors": ["GOBI"], "review": False}])
    line = order(print_draft())
    assert line.status is POLineStatus.IN_REVIEW and codes(line) == ["REVIEW_RULE"]
    assert "default purchasing review rule" in line.alerts[0].text
    assert hvu.funds["HIST-MONO"].encumbered == 0


def test_the_first_matching_rule_decides(world, order):
    review(world, rules=[{"name": "GOBI goes on", "vendors": ["GOBI"], "review": False},
                         {"name": "Print reviewed", "po_line_types": ["PRINTED_BOOK_OT"]}])
    assert order(print_draft()).status is not POLineStatus.IN_REVIEW
    oasis = order(print_draft(**vendor("OASIS"), acquisition_method="VENDOR_SYSTEM"))
    assert oasis.status is POLineStatus.IN_REVIEW and "'Print reviewed'" in oasis.alerts[-1].text


def test_a_disabled_rule_is_skipped_and_no_match_goes_on(world, order):
    review(world, rules=[{"name": "Off", "enabled": False},
                         {"name": "Ebooks", "po_line_types": ["E_BOOK_OT"]}])
    assert order(print_draft()).status is not POLineStatus.IN_REVIEW


@pytest.mark.parametrize("rule, reviewed", [
    ({"acquisition_methods": ["VENDOR_SYSTEM"]}, True), ({"acquisition_methods": ["GIFT"]}, False),
    ({"funds": ["HIST-MONO"]}, True), ({"funds": ["ENGL-MONO"]}, False),
    ({"owners": ["MAIN"]}, True), ({"owners": ["SCI"]}, False),
    ({"rush": True}, False), ({"rush": False}, True),
    ({"price_over": "49.99"}, True), ({"price_over": "50.00"}, False),
    ({"vendors": ["GOBI"], "po_line_types": ["E_BOOK_OT"]}, False),
])
def test_every_criterion_of_a_rule_must_hold(world, order, rule, reviewed):
    review(world, rules=[{"name": "The rule", **rule}])
    line = order(print_draft(acquisition_method="VENDOR_SYSTEM"))
    assert (line.status is POLineStatus.IN_REVIEW) is reviewed, codes(line)


def test_the_rules_net_price_is_in_the_institutions_currency(world, order):
    review(world, rules=[{"name": "Over 60 USD", "price_over": "60"}])
    assert order(print_draft(price=Money(Decimal("50"), "GBP"))).status is POLineStatus.IN_REVIEW  # 63.50 USD
    assert order(print_draft(price=Money(Decimal("45"), "GBP"))).status is not POLineStatus.IN_REVIEW  # 57.15 USD


def test_the_librarians_own_orders_skip_the_review_rules(world, hvu, clock):
    review(world, default=True)
    line = ordering.order_from_bib(world, HVU, next(iter(hvu.catalogue.bibs)), print_draft(), clock)
    assert "REVIEW_RULE" not in codes(line)


def test_a_price_above_the_threshold_raises_price_limit_reached(world, order):
    review(world, price_limit="49.99")
    line = order(print_draft())
    assert line.status is POLineStatus.IN_REVIEW and codes(line) == ["PRICE_LIMIT_REACHED"]
    assert "Price Limit Reached" in line.alerts[0].text and "50.00 USD" in line.alerts[0].text


def test_a_price_at_the_threshold_goes_on_and_no_threshold_limits_nothing(world, order):
    review(world, price_limit="50.00")
    assert order(print_draft()).status is not POLineStatus.IN_REVIEW
    review(world)
    assert order(print_draft(price=usd(4_000))).status is not POLineStatus.IN_REVIEW


def test_the_threshold_counts_every_copy_and_holds_a_line_a_rule_sends_on(world, order):
    review(world, price_limit="90", rules=[{"name": "GOBI goes on", "vendors": ["GOBI"], "review": False}])
    draft = print_draft()
    draft.locations[0].quantity = 2  # 2 × 50.00 USD
    assert codes(order(draft)) == ["PRICE_LIMIT_REACHED"]


def test_a_librarys_threshold_wins_over_the_institutions(world, order):
    review(world, price_limit="1000", library_price_limits={"MAIN": "40"})
    assert codes(order(print_draft())) == ["PRICE_LIMIT_REACHED"]
    review(world, price_limit="40", library_price_limits={"MAIN": "1000"})
    assert order(print_draft()).status is not POLineStatus.IN_REVIEW


@pytest.mark.parametrize("table, says", [
    ({"rules": [{"name": "A", "vendors": ["NOBODY"]}]}, "has no NOBODY"),
    ({"rules": [{"name": "A"}, {"name": "A"}]}, "two rules are called 'A'"),
    ({"rules": [{"vendors": ["GOBI"]}]}, "every rule has a name"),
    ({"rules": [{"name": "A", "colour": "red"}]}, "unknown colour"),
    ({"price_limit": "lots"}, "not an amount"),
    ({"price_limit": "-5"}, "not an amount"),
    ({"default": "maybe"}, "not true or false"),
    ({"library_price_limits": {"NOWHERE": "5"}}, "no library NOWHERE"),
    ({"limit": "5"}, "purchasing review field is illegal"),
])
def test_a_wrong_rules_table_is_refused_and_the_old_one_stays(world, hvu, table, says):
    review(world, default=True)
    with pytest.raises(IllegalValue, match=says):
        review(world, **table)
    assert hvu.purchasing_review.default is True


def test_a_rule_is_plain_data():
    rule = ReviewRule(name="r")
    assert review_rules.matches(rule, print_draft(), "MAIN", None)
    assert not review_rules.matches(ReviewRule(name="r", price_over=Decimal(1)), print_draft(), "MAIN", None)
