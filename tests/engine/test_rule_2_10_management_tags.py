"""ORDERING-RULES §2.10 — management tags: the profile's Synchronize with External Catalog is set on every
bib the order creates."""

from __future__ import annotations

import pytest

from simulator.alma import configuration
from simulator.alma.model import ExternalCatalogSync, FundShare

from .conftest import CONSTITUTIONAL, HVU, RIVERS_OF_EMPIRE, RVC, new_isbn, print_draft, vendor


@pytest.mark.parametrize(("vendor_code", "tag"), [
    ("GOBI", "PUBLISH_BIB"),           # GOBI_API: Publish bibliographic records
    ("OASIS", "PUBLISH_HOLDINGS"),     # OASIS_API: Publish holdings only
    ("HARRASSOWITZ", "DONT_PUBLISH"),  # DEFAULT_API: Don't publish
])
def test_created_bib_carries_the_profiles_tag(hvu, order, vendor_code, tag):
    """ORDERING-RULES §2.10: the brief bib an order creates carries its profile's management tag."""
    line = order(print_draft(**vendor(vendor_code)))
    assert hvu.catalogue.bibs[line.mms_id].publish_to_external_catalog == tag


def test_changing_the_profile_changes_the_tag(world, hvu, order):
    """ORDERING-RULES §2.10: the tag follows the profile's current setting."""
    configuration.change_profile(world, HVU, "GOBI_API", sync_with_external_catalog=ExternalCatalogSync.DONT_PUBLISH)
    line = order(print_draft())
    assert hvu.catalogue.bibs[line.mms_id].publish_to_external_catalog == "DONT_PUBLISH"


def test_matched_existing_bib_keeps_its_own_tag(hvu, order):
    """ORDERING-RULES §2.10: only bibs the order *creates* get the tag; a matched record is not re-tagged."""
    (rivers,) = hvu.catalogue.lookup("isbn", RIVERS_OF_EMPIRE)
    order(print_draft(**vendor("HARRASSOWITZ"), isbn=RIVERS_OF_EMPIRE))
    assert rivers.publish_to_external_catalog == "PUBLISH_BIB"


def test_network_zone_brief_and_its_link_carry_the_tag(world, order):
    """ORDERING-RULES §2.10: Add to Network Zone creates two records (NZ brief, IZ link); both are tagged."""
    configuration.change_profile(world, RVC, "GOBI_NZ", sync_with_external_catalog=ExternalCatalogSync.PUBLISH_HOLDINGS_ONLY)
    isbn = new_isbn()
    line = order(print_draft(owner="RIVER", vendor_account="GOBI-RVC", funds=[FundShare(fund="GEN-BOOKS")],
                             locations=[], isbn=isbn), institution=RVC)
    local = world.institution(RVC).catalogue.bibs[line.mms_id]
    (nz_bib,) = world.networks["TRLC"].catalogue.lookup("isbn", isbn)
    assert local.publish_to_external_catalog == nz_bib.publish_to_external_catalog == "PUBLISH_HOLDINGS"


def test_link_to_a_matched_network_record_carries_the_tag(world, order):
    """ORDERING-RULES §2.10: matching an existing NZ record makes the order create the IZ record linked to
    it; that new record carries the profile's tag (the shared NZ record is left alone)."""
    configuration.change_profile(world, RVC, "GOBI_NZ", sync_with_external_catalog=ExternalCatalogSync.DONT_PUBLISH)
    (nz_bib,) = world.networks["TRLC"].catalogue.lookup("isbn", CONSTITUTIONAL)
    line = order(print_draft(owner="RIVER", vendor_account="GOBI-RVC", funds=[FundShare(fund="GEN-BOOKS")],
                             locations=[], isbn=CONSTITUTIONAL), institution=RVC)
    local = world.institution(RVC).catalogue.bibs[line.mms_id]
    assert local.network_mms_id == nz_bib.mms_id
    assert local.publish_to_external_catalog == "DONT_PUBLISH"
    assert nz_bib.publish_to_external_catalog == "PUBLISH_BIB"
