"""ORDERING-RULES §3 — portfolio search for electronic orders: the platform; GOBI and OASIS search the IZ,
then the CZ (activated, not available), then create a local portfolio; every other vendor IZ then local;
strategy by the vendor's *system* from a registry; one ordering PO line per portfolio."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator.alma import lifecycle
from simulator.alma.model import FundShare, ResourceMetadata
from simulator.alma.portfolio_search import PORTFOLIO_SEARCHES, PortfolioFound, search_for
from simulator.errors import HarnessError

from .conftest import (
    ATLANTIC_WORLD, COASTAL, DIGITAL_HUMANITIES, HVU, LEDGERS, codes, ebook_draft, new_isbn, vendor,
)


def _cz_portfolio(world, isbn, platform):
    cz = world.community_zone
    return next(p for p in cz.portfolios.values() if p.isbn == isbn and p.platform == platform)


def _portfolio(hvu, line):
    (pid,) = line.portfolio_ids
    return hvu.portfolios[pid]


@pytest.mark.parametrize(("vendor_code", "access_provider", "expected"), [
    ("GOBI", "", "EBSCOhost"),                           # the vendor's default interface
    ("OASIS", "", "ProQuest Ebook Central"),
    ("HARRASSOWITZ", "", "Cambridge Core"),
    ("GOBI", "ProQuest Ebook Central", "ProQuest Ebook Central"),  # access_provider wins [decision]
    ("HARRASSOWITZ", "JSTOR", "JSTOR"),
])
def test_platform_is_access_provider_or_vendor_default(hvu, order, vendor_code, access_provider, expected):
    """ORDERING-RULES §3: the platform is the order's access_provider, else the vendor's default interface."""
    line = order(ebook_draft(**vendor(vendor_code), access_provider=access_provider))
    assert _portfolio(hvu, line).platform == expected


def test_gobi_reuses_an_existing_iz_portfolio_on_the_platform(world, hvu, order):
    """ORDERING-RULES §3: GOBI/OASIS first look for an existing IZ portfolio for the title on the platform."""
    (atlantic,) = hvu.catalogue.lookup("isbn", ATLANTIC_WORLD)
    (existing,) = [hvu.portfolios[p] for p in hvu.portfolios_by_bib[atlantic.mms_id]]
    portfolios = len(hvu.portfolios)
    line = order(ebook_draft(isbn=ATLANTIC_WORLD, access_provider="JSTOR"))
    assert line.portfolio_ids == [existing.id] and existing.po_line == line.number
    assert line.portfolio_outcome == "iz" and len(hvu.portfolios) == portfolios


@pytest.mark.parametrize(("vendor_code", "isbn", "platform"), [
    ("GOBI", COASTAL, "EBSCOhost"),
    ("OASIS", COASTAL, "ProQuest Ebook Central"),
    ("OASIS", LEDGERS, "ProQuest Ebook Central"),
    ("GOBI", DIGITAL_HUMANITIES, "Cambridge Core"),  # owned on EBSCOhost; ordered on another platform
])
def test_gobi_and_oasis_activate_a_cz_portfolio_not_available(world, hvu, order, vendor_code, isbn, platform):
    """ORDERING-RULES §3: no IZ portfolio → a matching CZ portfolio (by ISBN) is activated into the IZ,
    arriving *not available* [D]; its collection is activated too."""
    cz_portfolio = _cz_portfolio(world, isbn, platform)
    line = order(ebook_draft(**vendor(vendor_code), isbn=isbn, access_provider=platform))
    portfolio = _portfolio(hvu, line)
    assert portfolio.community_id == cz_portfolio.id and portfolio.origin == "community"
    assert portfolio.available is False and portfolio.platform == platform
    assert portfolio.mms_id == line.mms_id and portfolio.po_line == line.number
    assert hvu.collections[portfolio.collection_id].community_id == cz_portfolio.collection_id
    assert line.portfolio_outcome == "cz"
    assert cz_portfolio.available is True  # the CZ itself is untouched


def test_cz_portfolio_found_by_vendor_title_number(world, hvu, order):
    """ORDERING-RULES §3: the CZ portfolio may be matched by the vendor title number."""
    line = order(ebook_draft(resource=ResourceMetadata(title="Coastal Resilience", vendor_title_number="417203911")))
    assert _portfolio(hvu, line).community_id == _cz_portfolio(world, COASTAL, "EBSCOhost").id


def test_gobi_creates_a_local_portfolio_when_the_cz_has_none(hvu, order):
    """ORDERING-RULES §3: not in the IZ nor the CZ → a local portfolio is created."""
    line = order(ebook_draft(isbn=new_isbn()))
    portfolio = _portfolio(hvu, line)
    assert portfolio.origin == "local" and portfolio.community_id == "" and not portfolio.available
    assert line.portfolio_outcome == "local"


def test_gobi_title_in_cz_only_on_another_platform_gets_a_local_portfolio(world, hvu, order):
    """ORDERING-RULES §3: the CZ is searched on the order's platform only (Ledgers of Empire is on Ebook
    Central, GOBI orders on EBSCOhost)."""
    line = order(ebook_draft(isbn=LEDGERS))
    assert _portfolio(hvu, line).origin == "local"


@pytest.mark.parametrize("isbn", [COASTAL, DIGITAL_HUMANITIES])
def test_other_vendors_never_search_the_cz(world, hvu, order, isbn):
    """ORDERING-RULES §3: every other vendor: IZ portfolio → else a local portfolio; the CZ is not searched
    (both titles are on Cambridge Core in the CZ)."""
    line = order(ebook_draft(**vendor("HARRASSOWITZ"), isbn=isbn))
    portfolio = _portfolio(hvu, line)
    assert portfolio.platform == "Cambridge Core" and portfolio.origin == "local"
    assert line.portfolio_outcome == "local"


def test_other_vendors_reuse_an_iz_portfolio(hvu, order):
    """ORDERING-RULES §3: other vendors do look in the IZ first."""
    (atlantic,) = hvu.catalogue.lookup("isbn", ATLANTIC_WORLD)
    (existing,) = hvu.portfolios_by_bib[atlantic.mms_id]
    line = order(ebook_draft(**vendor("HARRASSOWITZ"), isbn=ATLANTIC_WORLD, access_provider="JSTOR"))
    assert line.portfolio_ids == [existing] and line.portfolio_outcome == "iz"


@pytest.mark.parametrize(("system", "origin"), [("GOBI", "community"), ("OASIS", "community"), ("OTHER", "local"),
                                                ("NOT_REGISTERED", "local")])
def test_strategy_follows_the_vendor_system_not_its_code(hvu, order, system, origin):
    """ORDERING-RULES §3: which strategy applies follows the vendor's integration system, not its code (an
    unregistered system behaves like every other vendor)."""
    hvu.vendors["ACME"] = replace(hvu.vendors["GOBI"], code="ACME", name="Acme Books", system=system)
    line = order(ebook_draft(vendor="ACME", vendor_account="GOBI-HVU", isbn=COASTAL))
    assert _portfolio(hvu, line).origin == origin


def test_a_new_vendor_behaviour_is_one_registry_entry(world, hvu, order, registered):
    """ORDERING-RULES §3: strategies live in a registry: a new vendor system "HARRASSOWITZ_CZ" that searches the
    CZ is one entry, and it changes Harrassowitz's orders."""
    registered(PORTFOLIO_SEARCHES, "HARRASSOWITZ_CZ", PORTFOLIO_SEARCHES.get("GOBI"))
    hvu.vendors["HARRASSOWITZ"].system = "HARRASSOWITZ_CZ"
    line = order(ebook_draft(**vendor("HARRASSOWITZ"), isbn=COASTAL))
    portfolio = _portfolio(hvu, line)
    assert portfolio.platform == "Cambridge Core"
    assert portfolio.community_id == _cz_portfolio(world, COASTAL, "Cambridge Core").id


def test_registered_search_is_gone_after_removal(registered):
    """ORDERING-RULES §3: the registry entry can be removed again (Registry.remove)."""
    registered(PORTFOLIO_SEARCHES, "TEMPORARY", PORTFOLIO_SEARCHES.get("OTHER"))
    assert "TEMPORARY" in PORTFOLIO_SEARCHES
    PORTFOLIO_SEARCHES.remove("TEMPORARY")
    assert "TEMPORARY" not in PORTFOLIO_SEARCHES
    assert search_for("TEMPORARY") is PORTFOLIO_SEARCHES.get("OTHER")


def test_duplicate_portfolio_search_name_raises_harness_error():
    """ORDERING-RULES §3: registering a taken system name is a HarnessError."""
    with pytest.raises(HarnessError):
        PORTFOLIO_SEARCHES.add("GOBI", PORTFOLIO_SEARCHES.get("OTHER"))


def test_portfolio_with_a_line_links_the_new_line_to_the_bib_only(world, hvu, order):
    """ORDERING-RULES §3 [seed 000]: a portfolio has one ordering PO line; if the portfolio found already has one,
    the new line links to the bib only and carries an alert naming the other line."""
    (dh,) = hvu.catalogue.lookup("isbn", DIGITAL_HUMANITIES)
    (portfolio,) = [hvu.portfolios[p] for p in hvu.portfolios_by_bib[dh.mms_id]]
    assert portfolio.po_line == "POL-10001"
    portfolios = len(hvu.portfolios)
    line = order(ebook_draft(isbn=DIGITAL_HUMANITIES))
    assert line.mms_id == dh.mms_id and line.portfolio_ids == [] and line.portfolio_outcome == "bib-only"
    alert = line.alerts[codes(line).index("PORTFOLIO_HAS_PO_LINE")]
    assert "POL-10001" in alert.text and portfolio.id in alert.text and not alert.review
    assert portfolio.po_line == "POL-10001" and len(hvu.portfolios) == portfolios


def test_portfolio_freed_by_a_cancelled_line_takes_the_new_line(world, hvu, order, clock):
    """ORDERING-RULES §3: the rule is about the *ordering* line: once POL-10001 is cancelled the portfolio
    is free and the next order becomes its line."""
    lifecycle.cancel(world, HVU, "POL-10001", "DUPLICATE_ORDER", clock)
    line = order(ebook_draft(isbn=DIGITAL_HUMANITIES))
    assert "PORTFOLIO_HAS_PO_LINE" not in codes(line)
    assert hvu.portfolios[line.portfolio_ids[0]].po_line == line.number


def test_second_order_of_a_cz_title_does_not_activate_twice(world, hvu, order):
    """ORDERING-RULES §3: the second GOBI order of a title finds the activated IZ portfolio (now ordered)."""
    first = order(ebook_draft(isbn=COASTAL))
    portfolios = len(hvu.portfolios)
    second = order(ebook_draft(isbn=COASTAL))
    assert len(hvu.portfolios) == portfolios and second.portfolio_ids == []
    assert first.number in second.alerts[codes(second).index("PORTFOLIO_HAS_PO_LINE")].text


def test_search_only_decides(world, hvu):
    """ORDERING-RULES §3: a search decides and changes nothing; the ordering engine carries it out."""
    (atlantic,) = hvu.catalogue.lookup("isbn", ATLANTIC_WORLD)
    before = len(hvu.portfolios)
    decision = search_for("GOBI")(hvu, world.community_zone, atlantic.mms_id, "JSTOR", ResourceMetadata())
    assert isinstance(decision, PortfolioFound) and len(hvu.portfolios) == before


def test_rvc_network_gobi_order_activates_from_cz(world, order):
    """ORDERING-RULES §3: in a network institution the CZ portfolio is activated for the new IZ link record."""
    rvc = world.institution("01TRLC_RVC")
    line = order(ebook_draft(owner="RIVER", vendor_account="GOBI-RVC", funds=[FundShare(fund="EBOOKS")],
                             isbn=COASTAL), institution="01TRLC_RVC")
    (pid,) = line.portfolio_ids
    assert rvc.portfolios[pid].origin == "community" and rvc.portfolios[pid].mms_id == line.mms_id
