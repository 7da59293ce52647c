"""ORDERING-RULES §2.6 — validation exception profiles: the default keeps invalid metadata and raises an
alert; a strict policy rejects the order with 400; policies are a registry."""

from __future__ import annotations

import pytest

from simulator.alma import configuration
from simulator.alma.model import FundShare, POLineStatus, ResourceMetadata
from simulator.alma.validation import VALIDATION_EXCEPTION_PROFILES, ValidationExceptionProfile
from simulator.errors import HarnessError, IllegalValue

from .conftest import HVU, LSU, codes, print_draft, snapshot

BAD_ISBN = "9781503642226"  # Rivers of Empire's ISBN with a wrong check digit


@pytest.mark.parametrize(("resource", "problem"), [
    (ResourceMetadata(title="Bad check digit", isbn=BAD_ISBN), "ISBN 9781503642226"),
    (ResourceMetadata(title="Too short", isbn="12345"), "ISBN 12345"),
    (ResourceMetadata(title="Bad ISSN", issn="2156-3714"), "ISSN 21563714"),
    (ResourceMetadata(title="Bad year", publication_year="20xx"), "publication year"),
])
def test_default_policy_keeps_the_record_and_alerts(hvu, order, resource, problem):
    """ORDERING-RULES §2.6: the default (MarcXML Bib Import) keeps the record and raises an alert (In Review)."""
    line = order(print_draft(resource=resource))
    assert line.status is POLineStatus.IN_REVIEW
    assert codes(line) == ["INVALID_METADATA"]
    assert problem in line.alerts[0].text
    bib = hvu.catalogue.bibs[line.mms_id]
    assert bib.validation_problems and problem in bib.validation_problems[0]


def test_valid_metadata_raises_no_alert(order):
    """ORDERING-RULES §2.6: valid metadata passes every policy without an alert."""
    assert order(print_draft()).alerts == []


def test_strict_policy_rejects_invalid_metadata_with_400(world, order):
    """ORDERING-RULES §2.6: a strict policy (Lakeshore's LSU_GOBI) rejects the order with 400 401872."""
    lsu = world.institution(LSU)
    before = snapshot(lsu, world)
    draft = print_draft(owner="LAKE", vendor_account="GOBI-LSU", funds=[FundShare(fund="LSU-BOOKS")],
                        locations=[], resource=ResourceMetadata(title="Bad", isbn=BAD_ISBN))
    with pytest.raises(IllegalValue) as refusal:
        order(draft, institution=LSU)
    assert refusal.value.code == "401872"
    assert "Strict" in refusal.value.message and BAD_ISBN in refusal.value.message
    assert snapshot(lsu, world) == before


def test_strict_policy_accepts_valid_metadata(world, order):
    """ORDERING-RULES §2.6: the strict policy lets valid metadata through."""
    line = order(print_draft(owner="LAKE", vendor_account="GOBI-LSU", funds=[FundShare(fund="LSU-BOOKS")],
                             locations=[]), institution=LSU)
    assert line.status is POLineStatus.AUTO_PACKAGING


def test_ignore_policy_keeps_the_record_silently(world, order):
    """ORDERING-RULES §2.6: the "Ignore" policy keeps the record without an alert."""
    configuration.change_profile(world, HVU, "GOBI_API", validation_exception_profile="Ignore")
    line = order(print_draft(isbn=BAD_ISBN))
    assert line.alerts == [] and line.status is POLineStatus.AUTO_PACKAGING
    kept = world.institution(HVU).catalogue.bibs[line.mms_id]  # the record is kept, invalid ISBN and all
    assert BAD_ISBN in kept.isbns


def test_registered_policy_changes_behaviour(world, hvu, order, registered):
    """ORDERING-RULES §2.6: a user-registered validation exception profile can be chosen by a profile."""
    registered(VALIDATION_EXCEPTION_PROFILES, "Cataloguers reject",
               ValidationExceptionProfile(name="Cataloguers reject", on_invalid="reject", description="test"))
    configuration.change_profile(world, HVU, "GOBI_API", validation_exception_profile="Cataloguers reject")
    with pytest.raises(IllegalValue):
        order(print_draft(isbn=BAD_ISBN))


def test_duplicate_policy_name_raises_harness_error():
    """ORDERING-RULES §2.6: registering a taken policy name is a HarnessError."""
    with pytest.raises(HarnessError):
        VALIDATION_EXCEPTION_PROFILES.add("Strict", ValidationExceptionProfile(name="Strict", on_invalid="alert",
                                                                               description="dup"))


def test_profile_must_name_a_registered_policy(world):
    """ORDERING-RULES §2.6: a profile can only name a registered validation exception profile."""
    with pytest.raises(IllegalValue):
        configuration.change_profile(world, HVU, "GOBI_API", validation_exception_profile="Nope")
