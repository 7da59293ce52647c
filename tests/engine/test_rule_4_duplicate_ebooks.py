"""ORDERING-RULES §4 [seed 000] — duplicate ebook orders: License Upgrade, duplicate on the same platform
(with / without "Assign inventory manually"), duplicate on a different platform (from the CZ portfolio list)."""

from __future__ import annotations

import pytest

from simulator.alma import ordering
from simulator.alma.model import ResourceMetadata
from simulator.errors import IllegalValue, NotFound

from .conftest import DIGITAL_HUMANITIES, HVU, RIVERS_OF_EMPIRE, codes, ebook_draft, snapshot


@pytest.fixture
def dh(hvu):
    """The ebook already owned on EBSCOhost (its portfolio ordered by POL-10001)."""
    (bib,) = hvu.catalogue.lookup("isbn", DIGITAL_HUMANITIES)
    (portfolio,) = [hvu.portfolios[p] for p in hvu.portfolios_by_bib[bib.mms_id]]
    return bib, portfolio


@pytest.fixture
def from_bib(world, clock):
    def place(mms_id, draft, **kw):
        return ordering.order_from_bib(world, HVU, mms_id, draft, clock, **kw)
    return place


def _librarian(**changes):
    return ebook_draft(resource=ResourceMetadata(), **changes)


@pytest.mark.parametrize("assign_manually", [False, True])
@pytest.mark.parametrize("access_model", ["3U", "UNL", "NL"])
def test_license_upgrade_attaches_to_the_existing_portfolio(hvu, dh, from_bib, access_model, assign_manually):
    """ORDERING-RULES §4: a License Upgrade with an upgrade access model creates no portfolio, ticked or not;
    the line is an additional line of the existing portfolio, which then shows the upgrade's access model."""
    bib, portfolio = dh
    portfolios = len(hvu.portfolios)
    line = from_bib(bib.mms_id, _librarian(type="LICENSE_UPGRADE", access_model=access_model),
                    assign_inventory_manually=assign_manually)
    assert len(hvu.portfolios) == portfolios
    assert line.mms_id == bib.mms_id and line.portfolio_ids == [portfolio.id]
    assert portfolio.po_line == "POL-10001" and portfolio.additional_po_lines == [line.number]
    assert portfolio.access_model == access_model
    assert line.portfolio_outcome == "upgrade"


@pytest.mark.parametrize("access_model", ["1U", "DDA", ""])
def test_license_upgrade_with_another_access_model_is_refused(world, hvu, dh, from_bib, access_model):
    """ORDERING-RULES §4: any other access model → 400 401872, and nothing changes."""
    bib, portfolio = dh
    before = snapshot(hvu, world)
    with pytest.raises(IllegalValue) as refusal:
        from_bib(bib.mms_id, _librarian(type="LICENSE_UPGRADE", access_model=access_model))
    assert refusal.value.code == "401872" and "access_model" in refusal.value.message
    assert snapshot(hvu, world) == before and portfolio.access_model == "1U"


def test_institution_can_configure_more_upgrade_access_models(hvu, dh, from_bib):
    """ORDERING-RULES §4: three upgrade access models by default; an institution can configure more."""
    bib, portfolio = dh
    assert hvu.upgrade_access_models == ["3U", "UNL", "NL"]
    hvu.upgrade_access_models.append("DDA")
    line = from_bib(bib.mms_id, _librarian(type="LICENSE_UPGRADE", access_model="DDA"))
    assert portfolio.access_model == "DDA" and line.number in portfolio.additional_po_lines


def test_license_upgrade_needs_a_record_with_a_portfolio(world, hvu, from_bib):
    """ORDERING-RULES §4: an upgrade is ordered from an IZ bib that has a portfolio; a print-only bib → 401872."""
    (rivers,) = hvu.catalogue.lookup("isbn", RIVERS_OF_EMPIRE)
    before = snapshot(hvu, world)
    with pytest.raises(IllegalValue):
        from_bib(rivers.mms_id, _librarian(type="LICENSE_UPGRADE", access_model="3U"))
    assert snapshot(hvu, world) == before


def test_license_upgrade_through_the_api_with_mms_id(world, hvu, dh, order):
    """ORDERING-RULES §4: the same upgrade arriving through Create PO line with the bib's mms_id."""
    bib, portfolio = dh
    line = order(ebook_draft(type="LICENSE_UPGRADE", access_model="UNL", resource=ResourceMetadata(mms_id=bib.mms_id)))
    assert line.portfolio_ids == [portfolio.id] and portfolio.access_model == "UNL"


def test_order_from_an_unknown_bib_is_refused(world, hvu, from_bib):
    """ORDERING-RULES §4: the librarian orders from an IZ bib; an unknown MMS ID → 401872."""
    with pytest.raises(IllegalValue) as refusal:
        from_bib("990000000000004561", _librarian())
    assert refusal.value.code == "401872"


def test_duplicate_same_platform_assign_manually_links_to_bib_only(hvu, dh, from_bib):
    """ORDERING-RULES §4: a duplicate order on the same platform with "Assign inventory manually" links to
    the bib only; the portfolio keeps its single line."""
    bib, portfolio = dh
    portfolios = len(hvu.portfolios)
    line = from_bib(bib.mms_id, _librarian(), assign_inventory_manually=True)
    assert line.mms_id == bib.mms_id and line.portfolio_ids == [] and line.portfolio_outcome == "bib-only"
    assert len(hvu.portfolios) == portfolios
    assert portfolio.po_line == "POL-10001" and portfolio.additional_po_lines == []


def test_duplicate_same_platform_without_the_tick_creates_a_second_portfolio(hvu, dh, from_bib):
    """ORDERING-RULES §4: without the tick a second portfolio on the same platform is created and the
    inventory-exists alert is raised — the outcome the seed warns against."""
    bib, portfolio = dh
    line = from_bib(bib.mms_id, _librarian())
    ebsco = [hvu.portfolios[p] for p in hvu.portfolios_by_bib[bib.mms_id] if hvu.portfolios[p].platform == "EBSCOhost"]
    assert len(ebsco) == 2
    (second,) = [p for p in ebsco if p.id != portfolio.id]
    assert second.po_line == line.number and line.portfolio_ids == [second.id]
    assert "INVENTORY_EXISTS" in codes(line)
    assert portfolio.id in line.alerts[codes(line).index("INVENTORY_EXISTS")].text


def test_duplicate_on_a_different_platform_from_the_cz_portfolio_list(world, hvu, dh, clock):
    """ORDERING-RULES §4: ordering the new platform's portfolio from the CZ record's portfolio list activates
    it into the IZ and links it to the new line: one portfolio per platform, each with its own line."""
    bib, ebsco = dh
    cz_portfolio = next(p for p in world.community_zone.portfolios.values()
                        if p.isbn == DIGITAL_HUMANITIES and p.platform == "ProQuest Ebook Central")
    line = ordering.order_from_community_portfolio(world, HVU, cz_portfolio.id,
                                                   _librarian(**{"vendor": "OASIS", "vendor_account": "OASIS-HVU"}),
                                                   clock)
    assert line.mms_id == bib.mms_id
    (pid,) = line.portfolio_ids
    activated = hvu.portfolios[pid]
    assert activated.community_id == cz_portfolio.id and activated.platform == "ProQuest Ebook Central"
    assert activated.available is False and activated.mms_id == bib.mms_id
    by_platform = {hvu.portfolios[p].platform: hvu.portfolios[p].po_line for p in hvu.portfolios_by_bib[bib.mms_id]}
    assert by_platform == {"EBSCOhost": "POL-10001", "ProQuest Ebook Central": line.number}


def test_ordering_the_same_cz_portfolio_twice_links_the_second_to_the_bib_only(world, hvu, dh, clock):
    """ORDERING-RULES §4/§3: the activated portfolio already has its line; ordering it again links to the bib."""
    cz_portfolio = next(p for p in world.community_zone.portfolios.values()
                        if p.isbn == DIGITAL_HUMANITIES and p.platform == "Cambridge Core")
    first = ordering.order_from_community_portfolio(world, HVU, cz_portfolio.id, _librarian(), clock)
    portfolios = len(hvu.portfolios)
    second = ordering.order_from_community_portfolio(world, HVU, cz_portfolio.id, _librarian(), clock)
    assert len(hvu.portfolios) == portfolios and second.portfolio_ids == []
    assert first.number in second.alerts[codes(second).index("PORTFOLIO_HAS_PO_LINE")].text


def test_unknown_cz_portfolio_is_refused(world, hvu, clock):
    """ORDERING-RULES §4: ordering a CZ portfolio that does not exist → not found (60123), nothing changes."""
    before = snapshot(hvu, world)
    with pytest.raises(NotFound) as refusal:
        ordering.order_from_community_portfolio(world, HVU, "5399999999990000", _librarian(), clock)
    assert refusal.value.code == "60123"
    assert snapshot(hvu, world) == before
