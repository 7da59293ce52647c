"""ORDERING-RULES §2.11 — inventory: physical → holdings and items on order; electronic titles → a
portfolio (§3); electronic collections → the collection is activated, no per-title portfolio."""

from __future__ import annotations

import pytest

from simulator.alma.model import OrderedLocation, POLineStatus, ResourceMetadata, Zone

from .conftest import ATLANTIC_WORLD, DIGITAL_HUMANITIES, RIVERS_OF_EMPIRE, codes, ebook_draft, print_draft, vendor


def test_physical_order_creates_holdings_and_items_per_location(hvu, order):
    """ORDERING-RULES §2.11: for each location a holding for library + shelving location and `quantity` items
    on order."""
    holdings, items = len(hvu.holdings), len(hvu.items)
    line = order(print_draft(locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=2),
                                        OrderedLocation(library="SCI", location="STACKS", quantity=1)]))
    assert len(hvu.holdings) == holdings + 2 and len(hvu.items) == items + 3
    main, sci = line.draft.locations
    assert [hvu.holdings[main.holding_id].library, hvu.holdings[sci.holding_id].library] == ["MAIN", "SCI"]
    assert len(main.item_ids) == 2 and len(sci.item_ids) == 1
    for item_id in main.item_ids + sci.item_ids:
        item = hvu.items[item_id]
        assert item.po_line == line.number and item.mms_id == line.mms_id and not item.received
        assert item.id.startswith("23") and item.barcode
    assert hvu.holdings[main.holding_id].id.startswith("22")
    assert "INVENTORY_EXISTS" not in codes(line)


def test_existing_holding_is_reused_and_inventory_exists_alert(hvu, order):
    """ORDERING-RULES §2.11: a holding for the same library + location is reused; the matched bib already
    has inventory → "The ordered resource already exists in the Inventory…" (informational)."""
    (rivers,) = hvu.catalogue.lookup("isbn", RIVERS_OF_EMPIRE)
    (existing,) = hvu.holdings_by_bib[rivers.mms_id]
    holdings = len(hvu.holdings)
    line = order(print_draft(isbn=RIVERS_OF_EMPIRE))
    assert line.mms_id == rivers.mms_id
    assert len(hvu.holdings) == holdings and line.draft.locations[0].holding_id == existing
    alert = line.alerts[codes(line).index("INVENTORY_EXISTS")]
    assert alert.text.startswith("The ordered resource already exists in the Inventory")
    assert "Hudson Valley University Main Library" in alert.text
    assert line.status is POLineStatus.AUTO_PACKAGING


def test_new_location_on_a_held_bib_adds_a_holding(hvu, order):
    """ORDERING-RULES §2.11: a location the bib has no holding for gets a new holding."""
    (rivers,) = hvu.catalogue.lookup("isbn", RIVERS_OF_EMPIRE)
    line = order(print_draft(isbn=RIVERS_OF_EMPIRE, locations=[OrderedLocation(library="SCI", location="STACKS")]))
    assert len(hvu.holdings_by_bib[rivers.mms_id]) == 2
    assert hvu.holdings[line.draft.locations[0].holding_id].library == "SCI"


def test_physical_line_without_location_gets_one_copy_at_the_owner(hvu, order):
    """ORDERING-RULES §2.11 [decision]: a physical line with no location gets one copy at the owning library's
    first location."""
    line = order(print_draft(owner="SCI", locations=[]))
    (loc,) = line.draft.locations
    assert (loc.library, loc.location, len(loc.item_ids)) == ("SCI", "STACKS", 1)


def test_electronic_title_gets_a_portfolio_not_holdings(hvu, order):
    """ORDERING-RULES §2.11: electronic title types → a portfolio by the vendor's portfolio search."""
    holdings, items = len(hvu.holdings), len(hvu.items)
    line = order(ebook_draft(**vendor("HARRASSOWITZ")))
    (pid,) = line.portfolio_ids
    portfolio = hvu.portfolios[pid]
    assert portfolio.mms_id == line.mms_id and portfolio.po_line == line.number
    assert portfolio.platform == "Cambridge Core" and portfolio.id.startswith("53")
    assert (len(hvu.holdings), len(hvu.items)) == (holdings, items)


@pytest.mark.parametrize(("title", "from_cz"), [("EBSCOhost Ebooks", True), ("A Local Package", False)])
def test_electronic_collection_is_activated_without_portfolios(world, hvu, order, title, from_cz):
    """ORDERING-RULES §2.11: electronic collection types → the collection is activated, no per-title portfolio."""
    portfolios = len(hvu.portfolios)
    line = order(ebook_draft(type="ELECTRONIC_COLLECTION_OT", resource=ResourceMetadata(title=title)))
    collection = hvu.collections[line.collection_id]
    assert collection.zone is Zone.INSTITUTION and collection.platform == "EBSCOhost"
    assert collection.id.startswith("61")
    assert bool(collection.community_id) is from_cz
    if from_cz:
        assert world.community_zone.collections[collection.community_id].name == title
    assert len(hvu.portfolios) == portfolios and line.portfolio_ids == []
    again = order(ebook_draft(type="ELECTRONIC_COLLECTION_OT", resource=ResourceMetadata(title=title)))
    assert again.collection_id == line.collection_id  # activated once, then reused


def test_electronic_order_for_a_print_bib_creates_no_holding(hvu, order):
    """ORDERING-RULES §2.11: an electronic order matched to a print bib adds a portfolio, not a holding."""
    (atlantic,) = hvu.catalogue.lookup("isbn", ATLANTIC_WORLD)
    holdings = len(hvu.holdings)
    line = order(ebook_draft(**vendor("HARRASSOWITZ"), isbn=ATLANTIC_WORLD))
    assert line.mms_id == atlantic.mms_id and len(hvu.holdings) == holdings
    assert hvu.portfolios[line.portfolio_ids[0]].platform == "Cambridge Core"


def test_service_line_creates_no_inventory(hvu, order):
    """ORDERING-RULES §2.11: a type with no inventory (Other Service) creates no holding, item or portfolio."""
    before = (len(hvu.holdings), len(hvu.items), len(hvu.portfolios))
    line = order(print_draft(type="OTHER_SERVICES_OT", locations=[], isbn=DIGITAL_HUMANITIES))
    assert (len(hvu.holdings), len(hvu.items), len(hvu.portfolios)) == before
    assert line.portfolio_ids == [] and line.draft.locations == []
