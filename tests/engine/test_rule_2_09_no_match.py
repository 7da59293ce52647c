"""ORDERING-RULES §2.9 — no match: Import → a brief bib in the IZ; Add to Network Zone (network profiles
only) → the brief bib goes to the NZ and the IZ links to it."""

from __future__ import annotations

import pytest

from simulator.alma import configuration
from simulator.alma.model import FundShare, NewOrderProfile, NoMatchAction, ResourceMetadata, Zone
from simulator.errors import IllegalValue

from .conftest import HVU, RVC, new_isbn, print_draft


def _rvc(vendor="GOBI", account="GOBI-RVC", **changes):
    return print_draft(owner="RIVER", vendor=vendor, vendor_account=account, funds=[FundShare(fund="GEN-BOOKS")],
                       locations=[], **changes)


def test_import_creates_a_brief_bib_in_the_institution_zone(world, hvu, order):
    """ORDERING-RULES §2.9: Upon no match = Import → a brief bib in the IZ from the order's metadata."""
    isbn = new_isbn()
    resource = ResourceMetadata(title="Harbours of the North", author="Berg, Anna", isbn=isbn, publisher="Nordic",
                                publication_place="Oslo", publication_year="2026", vendor_title_number="G-1",
                                system_control_numbers=["(OCoLC)42"])
    network_before = len(world.networks["TRLC"].catalogue)
    line = order(print_draft(resource=resource))
    bib = hvu.catalogue.bibs[line.mms_id]
    assert (bib.zone, bib.brief, bib.created_by_order) == (Zone.INSTITUTION, True, line.number)
    assert (bib.title, bib.author, bib.isbns, bib.publisher, bib.publication_place, bib.publication_year) == (
        "Harbours of the North", "Berg, Anna", [isbn], "Nordic", "Oslo", "2026")
    assert bib.vendor_title_numbers == ["G-1"] and bib.system_numbers == ["(OCoLC)42"]
    assert bib.mms_id.startswith("99") and bib.mms_id.endswith(hvu.mms_suffix)
    assert len(world.networks["TRLC"].catalogue) == network_before


def test_brief_record_is_found_by_the_next_order(hvu, order):
    """ORDERING-RULES §2.9: the brief record is indexed: the next order of the same ISBN matches it."""
    isbn = new_isbn()
    first = order(print_draft(isbn=isbn))
    assert order(print_draft(isbn=isbn)).mms_id == first.mms_id


def test_add_to_network_zone_puts_the_brief_bib_in_the_nz(world, order):
    """ORDERING-RULES §2.9: Add to Network Zone → the brief bib goes to the NZ and the IZ links to it."""
    rvc, network = world.institution(RVC), world.networks["TRLC"]
    isbn = new_isbn()
    line = order(_rvc(isbn=isbn, title="A Network Title"), institution=RVC)  # GOBI_NZ: ADD_TO_NZ
    local = rvc.catalogue.bibs[line.mms_id]
    (nz_bib,) = network.catalogue.lookup("isbn", isbn)
    assert nz_bib.zone is Zone.NETWORK and nz_bib.brief and nz_bib.mms_id.endswith(network.mms_suffix)
    assert local.zone is Zone.INSTITUTION and local.network_mms_id == nz_bib.mms_id
    assert local.title == nz_bib.title == "A Network Title"
    # another member matching in the NZ finds the record the first one added
    other = order(_rvc(vendor="OASIS", account="OASIS-RVC", isbn=isbn), institution=RVC)
    assert other.mms_id == local.mms_id


def test_import_in_a_network_profile_stays_in_the_iz(world, order):
    """ORDERING-RULES §2.9: a network profile with Upon no match = Import creates the brief bib in the IZ."""
    rvc, network = world.institution(RVC), world.networks["TRLC"]
    before = len(network.catalogue)
    line = order(_rvc(vendor="OASIS", account="OASIS-RVC", isbn=new_isbn()), institution=RVC)  # OASIS_NZ: IMPORT
    bib = rvc.catalogue.bibs[line.mms_id]
    assert bib.brief and bib.network_mms_id == "" and len(network.catalogue) == before


@pytest.mark.parametrize(("institution", "use_network_zone"), [(HVU, False), ("01TRLC_LSU", False)])
def test_add_to_network_zone_needs_a_network_profile(world, institution, use_network_zone):
    """ORDERING-RULES §2.9: Add to Network Zone is for network profiles only."""
    with pytest.raises(IllegalValue):
        configuration.add_profile(world, institution, NewOrderProfile(
            code="NZ", name="NZ", system="X", use_network_zone=use_network_zone,
            upon_no_match=NoMatchAction.ADD_TO_NETWORK_ZONE))


def test_network_profile_needs_a_network(world):
    """ORDERING-RULES §2.9: Use network zone needs an institution in a network (all seed members are; one
    taken out of its network cannot keep such a profile)."""
    world.institution(RVC).network = ""
    with pytest.raises(IllegalValue):
        configuration.add_profile(world, RVC, NewOrderProfile(code="NZ2", name="NZ", system="X",
                                                              use_network_zone=True))



def test_brief_record_is_built_from_the_default_metadata_template(hvu, order):
    """ORDERING-RULES §2.9: no match → a brief bib from the order's metadata *and the default metadata template*."""
    line = order(print_draft(resource=ResourceMetadata(title="A Title Nobody Holds", isbn=new_isbn())))
    bib = hvu.catalogue.bibs[line.mms_id]
    assert bib.brief and bib.metadata_template == hvu.metadata_template.name == "Default brief record (real-time orders)"
    assert (bib.language, bib.encoding_level) == ("eng", "3")


def test_a_matched_record_is_not_touched_by_the_template(hvu, order):
    """ORDERING-RULES §2.9 (broken case): a matched record keeps its own cataloguing, no template applied."""
    line = order(print_draft(resource=ResourceMetadata(title="Rivers of Empire", isbn="9781503642225")))
    bib = hvu.catalogue.bibs[line.mms_id]
    assert not bib.brief and bib.metadata_template == ""
