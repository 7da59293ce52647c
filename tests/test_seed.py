"""The hand-written seed world (fixtures/) loads, is realistic and valid, holds what the scenarios and the
issue's brief rely on, and agrees with the feature files that quote it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from simulator.alma.model import Inventory, Zone
from simulator.alma.seed import load_world
from simulator.identifiers import is_valid_isbn, is_valid_issn

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def world():
    return load_world()


def _all_bibs(world):
    yield from world.community_zone.catalogue.bibs.values()
    for network in world.networks.values():
        yield from network.catalogue.bibs.values()
    for institution in world.institutions.values():
        yield from institution.catalogue.bibs.values()


def test_every_isbn_and_issn_in_the_seed_has_a_valid_check_digit(world):
    bibs = list(_all_bibs(world))
    assert bibs
    for bib in bibs:
        assert all(is_valid_isbn(i) for i in bib.isbns), (bib.title, bib.isbns)
        assert all(is_valid_issn(i) for i in bib.issns), (bib.title, bib.issns)
    for portfolio in world.community_zone.portfolios.values():
        assert not portfolio.isbn or is_valid_isbn(portfolio.isbn), portfolio.title


def test_the_vendors_catalogue_file_has_valid_isbns():
    data = tomllib.loads((ROOT / "simulator" / "data" / "vendor-catalogue.toml").read_text("utf-8"))
    isbns = re.findall(r"\b97[89]\d{10}\b", str(data))
    assert isbns and all(is_valid_isbn(i) for i in isbns)


def test_a_consortium_with_a_network_zone_and_three_members(world):
    assert len(world.networks) == 1
    network = next(iter(world.networks.values()))
    assert len(network.members) >= 3 and len(network.catalogue) >= 1
    assert {world.institutions[m].network for m in network.members} == {network.code}


@pytest.mark.parametrize("code", ["01TRLC_HVU", "01TRLC_RVC", "01TRLC_LSU"])
def test_each_member_has_gobi_oasis_a_generic_vendor_a_profile_each_and_one_default(world, code):
    institution = world.institutions[code]
    systems = {v.system for v in institution.vendors.values()}
    assert {"GOBI", "OASIS", "OTHER"} <= systems
    assert {"GOBI", "OASIS", "OTHER"} <= {p.system for p in institution.profiles.values()}
    assert sum(p.default for p in institution.profiles.values()) == 1
    assert institution.libraries and all(lib.locations for lib in institution.libraries.values())
    assert institution.current_fiscal_period is not None and institution.funds


def test_hudson_valley_has_the_funds_the_rules_need(world):
    funds = world.institutions["01TRLC_HVU"].funds.values()
    assert any(f.active and f.available * 20 < f.allocated for f in funds), "a nearly spent fund"
    assert any(not f.active for f in funds), "an inactive fund"
    assert any(f.libraries for f in funds), "a fund restricted to a library"
    assert len({f.ledger for f in funds}) >= 3, "funds across ledgers"


def test_the_community_zone_has_three_platforms_with_portfolios(world):
    platforms = {p.platform for p in world.community_zone.portfolios.values()}
    assert len(platforms) >= 3


def test_the_catalogue_has_print_only_electronic_only_and_mixed_records_and_an_owned_ebook(world):
    hvu = world.institutions["01TRLC_HVU"]
    kinds = {hvu.inventory_of(mms_id) for mms_id in hvu.catalogue.bibs}
    assert {Inventory.PHYSICAL, Inventory.ELECTRONIC, Inventory.MIXED} <= kinds
    ordered = [p for p in hvu.portfolios.values() if p.po_line]
    assert ordered and ordered[0].community_id, "an ebook already owned on one platform, with its PO line"
    assert all(b.zone is Zone.INSTITUTION for b in hvu.catalogue.bibs.values())


def test_seed_001s_ambiguous_matches_are_in_the_catalogue(world):
    """Several records per ISBN: one print + one electronic, and two print + one mixed (seed 001's rules)."""
    hvu = world.institutions["01TRLC_HVU"]
    by_isbn: dict[str, list[str]] = {}
    for bib in hvu.catalogue.bibs.values():
        for isbn in bib.isbns:
            by_isbn.setdefault(isbn, []).append(bib.mms_id)
    shapes = {tuple(sorted(hvu.inventory_of(m).value for m in ids)) for ids in by_isbn.values() if len(ids) > 1}
    assert ("electronic", "physical") in shapes
    assert ("mixed", "physical", "physical") in shapes


def test_every_fund_code_the_features_quote_exists_in_the_seed(world):
    quoted = set()
    for feature in (ROOT / "features").rglob("*.feature"):  # a vendor's reference numbers look alike: not funds
        text = re.sub(r'reference number "[^"]*"', "", feature.read_text("utf-8"))
        quoted |= set(re.findall(r'"([A-Z][A-Z0-9]+-[A-Z0-9-]+)"', text))
    known = {code for inst in world.institutions.values() for code in inst.funds}
    assert quoted and quoted <= known, quoted - known


def test_every_profile_name_the_features_quote_exists_in_the_seed(world):
    names = {p.name for inst in world.institutions.values() for p in inst.profiles.values()}
    text = "\n".join(f.read_text("utf-8") for f in (ROOT / "features").rglob("*.feature"))
    quoted = {q for q in re.findall(r'"([^"]+)"', text) if q.endswith(("orders", "(default)", "Network Zone"))}
    assert quoted and quoted <= names, quoted - names


def test_loading_twice_gives_two_independent_worlds():
    first, second = load_world(), load_world()
    first.institutions["01TRLC_HVU"].funds["HIST-MONO"].encumber(100)
    assert second.institutions["01TRLC_HVU"].funds["HIST-MONO"].encumbered == 0


# -- a world from a table already parsed (seed.world_from_spec; a posted world) ------------------------------------
def test_a_world_table_builds_the_same_world_as_its_file():
    from simulator.alma.seed import DEFAULT_WORLD, FIXTURES, read_toml, world_from_spec

    from_table, from_file = world_from_spec(read_toml(DEFAULT_WORLD), FIXTURES), load_world()
    assert list(from_table.institutions) == list(from_file.institutions)
    assert from_table.name == from_file.name and list(from_table.networks) == list(from_file.networks)
    assert len(from_table.community_zone.portfolios) == len(from_file.community_zone.portfolios)
    hvu_table, hvu_file = from_table.institution("01TRLC_HVU"), from_file.institution("01TRLC_HVU")
    assert list(hvu_table.funds) == list(hvu_file.funds) and list(hvu_table.po_lines) == list(hvu_file.po_lines)


def test_a_posted_world_may_give_its_defaults_and_institutions_inline():
    import json

    from simulator.alma.seed import FIXTURES, read_toml
    from simulator.api.service import AlmaService

    hudson = read_toml(FIXTURES / "institutions" / "hudson-valley.toml")
    posted = {"name": "Inline Hudson", "defaults": read_toml(FIXTURES / "alma-defaults.toml"),
              "community_zone": "community-zone.toml",
              "networks": [{"code": "TRLC", "name": "A smaller network", "mms_suffix": "7000"}],
              "institutions": [hudson, "institutions/riverside.toml"]}
    service = AlmaService()
    world = service.load_text(json.dumps(posted))
    assert world.name == "Inline Hudson" and list(world.institutions) == ["01TRLC_HVU", "01TRLC_RVC"]
    assert world.institution("01TRLC_HVU").funds  # built through the rules, with the inline defaults
    assert service.world is world


@pytest.mark.parametrize("posted, says", [
    ({"community_zone": {"titles": []}}, "community_zone must name a file"),
    ({"institutions": 5}, "institutions is a list"),
    ({"defaults": 5}, "defaults is a file name or a table"),
    ({"institutions": [{"code": "X"}]}, "the posted world (institution X)"),
])
def test_a_posted_world_that_cannot_be_built_says_why_in_one_line(posted, says):
    import json

    from simulator.api.service import AlmaService
    from simulator.errors import HarnessError

    service = AlmaService()
    before = service.world
    with pytest.raises(HarnessError, match=re.escape(says)):
        service.load_text(json.dumps(posted))
    assert service.world is before  # nothing half-loaded
