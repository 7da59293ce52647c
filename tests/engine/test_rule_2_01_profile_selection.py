"""ORDERING-RULES §2.1 — profile selection, and the rules a New Order API profile must obey."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator.alma import configuration, ordering
from simulator.alma.model import DEFAULT_SETTINGS_PROFILE, NewOrderProfile, ResourceMetadata
from simulator.errors import IllegalValue, MandatoryFieldMissing

from .conftest import HVU, codes, print_draft, snapshot, vendor


@pytest.mark.parametrize(("vendor_code", "profile_code", "expected"), [
    ("GOBI", None, "GOBI_API"),            # the profile whose System is the vendor's system
    ("OASIS", None, "OASIS_API"),
    ("HARRASSOWITZ", None, "DEFAULT_API"),  # system OTHER: DEFAULT_API has system OTHER
    ("GOBI", "OASIS_API", "OASIS_API"),     # profile_code wins over the vendor's system
    ("OASIS", "DEFAULT_API", "DEFAULT_API"),
])
def test_profile_is_chosen_by_code_then_vendor_system(order, vendor_code, profile_code, expected):
    """ORDERING-RULES §2.1: profile_code → that profile; otherwise the profile whose System is the vendor's."""
    line = order(print_draft(**vendor(vendor_code)), profile_code=profile_code)
    assert line.profile == expected


def test_unknown_profile_code_is_refused_401872(world, hvu, order):
    """ORDERING-RULES §2.1: an unknown profile_code → 400 401872, and nothing is created."""
    before = snapshot(hvu, world)
    with pytest.raises(IllegalValue) as refusal:
        order(print_draft(), profile_code="NO_SUCH_PROFILE")
    assert refusal.value.code == "401872"
    assert "profile_code" in refusal.value.message
    assert snapshot(hvu, world) == before


def test_vendor_system_without_profile_falls_back_to_default(world, hvu, order):
    """ORDERING-RULES §2.1: no profile for the vendor's system → the profile marked Default."""
    configuration.remove_profile(world, HVU, "GOBI_API")
    line = order(print_draft())
    assert line.profile == "DEFAULT_API"


def test_system_not_code_selects_the_profile(world, hvu, order):
    """ORDERING-RULES §2.1: the vendor's *system* chooses; a vendor coded differently but on GOBI gets GOBI_API."""
    hvu.vendors["YBP"] = replace(hvu.vendors["GOBI"], code="YBP", name="YBP (GOBI system)")
    line = order(print_draft(vendor="YBP", vendor_account="GOBI-HVU"))
    assert line.profile == "GOBI_API"


def test_no_profile_at_all_matches_isbn_or_issn_with_default_settings(world, hvu, order):
    """ORDERING-RULES §2.1: with no profile at all, match on ISBN/ISSN with default settings."""
    hvu.profiles.clear()
    assert ordering.select_profile(hvu, None, hvu.vendors["GOBI"]) is DEFAULT_SETTINGS_PROFILE
    line = order(print_draft(isbn="978-1-5036-4222-5"))  # Rivers of Empire, print
    assert line.profile == ""
    rivers = hvu.catalogue.lookup("isbn", "9781503642225")[0]
    assert line.mms_id == rivers.mms_id
    assert "INVENTORY_EXISTS" in codes(line)


def test_no_profile_default_settings_match_issn(world, hvu, order):
    """ORDERING-RULES §2.1: default settings match on ISSN when the order carries no ISBN."""
    hvu.profiles.clear()
    line = order(print_draft(type="PRINTED_JOURNAL_CO",
                             resource=ResourceMetadata(title="Journal of Hudson Valley Studies", issn="21563713")))
    assert line.mms_id == hvu.catalogue.lookup("issn", "21563713")[0].mms_id


@pytest.mark.parametrize("missing", ["code", "name", "integration_type", "system"])
def test_profile_mandatory_fields(world, missing):
    """ORDERING-RULES §2.1: Code, Name, Integration Type and System are mandatory on a profile."""
    profile = NewOrderProfile(code="NEW", name="New", system="OTHER")
    with pytest.raises(MandatoryFieldMissing) as refusal:
        configuration.add_profile(world, HVU, replace(profile, **{missing: ""}))
    assert refusal.value.code == "401664"
    assert refusal.value.field == missing


def test_profile_with_all_mandatory_fields_is_added(world, hvu):
    """ORDERING-RULES §2.1: a complete profile with a fresh code is accepted."""
    configuration.add_profile(world, HVU, NewOrderProfile(code="NEW", name="New", system="EBSCO"))
    assert "NEW" in hvu.profiles


def test_profile_codes_are_unique(world, hvu):
    """ORDERING-RULES §2.1: profile codes are unique."""
    with pytest.raises(IllegalValue) as refusal:
        configuration.add_profile(world, HVU, NewOrderProfile(code="GOBI_API", name="Another", system="GOBI"))
    assert refusal.value.code == "401872"
    assert hvu.profiles["GOBI_API"].name == "GOBI real-time orders"


def test_exactly_one_default_profile(world, hvu):
    """ORDERING-RULES §2.1: exactly one profile may be Default."""
    with pytest.raises(IllegalValue):
        configuration.add_profile(world, HVU, NewOrderProfile(code="SECOND", name="Second", system="X", default=True))
    assert [p.code for p in hvu.profiles.values() if p.default] == ["DEFAULT_API"]
    # moving the default: un-mark the old one first, then the new one may be Default
    configuration.change_profile(world, HVU, "DEFAULT_API", default=False)
    configuration.add_profile(world, HVU, NewOrderProfile(code="SECOND", name="Second", system="X", default=True))
    assert [p.code for p in hvu.profiles.values() if p.default] == ["SECOND"]


def test_integration_type_must_be_new_order_api(world):
    """ORDERING-RULES §2.1: the Integration Type of a New Order API profile is NEW_ORDER_API."""
    with pytest.raises(IllegalValue):
        configuration.add_profile(world, HVU, NewOrderProfile(code="X", name="X", system="X",
                                                              integration_type="REPOSITORY"))
