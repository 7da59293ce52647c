"""ORDERING-RULES §2.7 — which bib: a given mms_id wins; else the profile's serial / non-serial match method
from a registry, over the IZ (plus the NZ when the profile uses it), never the CZ, through indexes."""

from __future__ import annotations

import pytest

from simulator.alma import configuration
from simulator.alma.matching import MATCH_METHODS
from simulator.alma.model import Bib, FundShare, NewOrderProfile, ResourceMetadata, Zone
from simulator.errors import HarnessError, IllegalValue

from .conftest import (
    CITIES, COASTAL, CONSTITUTIONAL, HUDSON_ISSN, HVU, RIVERS_OF_EMPIRE, RVC, SACRED_OCLC, new_isbn, print_draft,
    vendor,
)


def _only(hvu, isbn):
    (bib,) = hvu.catalogue.lookup("isbn", isbn)
    return bib


def _rvc_draft(**changes):
    return print_draft(owner="RIVER", vendor_account="GOBI-RVC", funds=[FundShare(fund="GEN-BOOKS")], locations=[],
                       **changes)


def test_given_mms_id_wins_over_matching(hvu, order):
    """ORDERING-RULES §2.7: a given mms_id wins, even when the ISBN sent matches another record."""
    rivers = _only(hvu, RIVERS_OF_EMPIRE)
    line = order(print_draft(resource=ResourceMetadata(mms_id=rivers.mms_id, title="x", isbn=CITIES)))
    assert line.mms_id == rivers.mms_id


def test_non_serial_type_matches_by_isbn(hvu, order):
    """ORDERING-RULES §2.7: a non-serial line uses the non-serial method (ISBN by default)."""
    line = order(print_draft(isbn=RIVERS_OF_EMPIRE))
    assert line.mms_id == _only(hvu, RIVERS_OF_EMPIRE).mms_id


def test_non_serial_type_ignores_issn(hvu, order):
    """ORDERING-RULES §2.7: the ISBN method does not match on ISSN; a print book with the journal's ISSN gets
    a new brief record."""
    journal = hvu.catalogue.lookup("issn", "21563713")[0]
    line = order(print_draft(resource=ResourceMetadata(title="Book", issn=HUDSON_ISSN)))
    assert line.mms_id != journal.mms_id and hvu.catalogue.bibs[line.mms_id].brief


@pytest.mark.parametrize("line_type", ["PRINTED_JOURNAL_CO", "PRINTED_JOURNAL_OT"])
def test_serial_type_matches_by_issn(hvu, order, line_type):
    """ORDERING-RULES §2.7: serial PO line types (journals, subscriptions) use the serial method (ISSN)."""
    journal = hvu.catalogue.lookup("issn", "21563713")[0]
    line = order(print_draft(type=line_type, funds=[FundShare(fund="SERIALS")],
                             resource=ResourceMetadata(title="J. Hudson Valley Stud.", issn="2156-3713")))
    assert line.mms_id == journal.mms_id


def test_serial_type_ignores_isbn(hvu, order):
    """ORDERING-RULES §2.7: the serial method (ISSN) does not match an ISBN."""
    rivers = _only(hvu, RIVERS_OF_EMPIRE)
    line = order(print_draft(type="PRINTED_JOURNAL_CO", funds=[FundShare(fund="SERIALS")], isbn=RIVERS_OF_EMPIRE))
    assert line.mms_id != rivers.mms_id and hvu.catalogue.bibs[line.mms_id].brief


def test_oclc_number_method(world, hvu, order):
    """ORDERING-RULES §2.7: the 035 other system number / OCLC method matches "(OCoLC)…"."""
    sacred = hvu.catalogue.lookup("system_number", SACRED_OCLC.upper())[0]
    resource = ResourceMetadata(title="Sacred Geographies", system_control_numbers=[" (OCoLC)987654321 "])
    assert order(print_draft(resource=resource)).mms_id != sacred.mms_id  # ISBN method: no match
    configuration.change_profile(world, HVU, "GOBI_API", non_serial_match_method="035 Other System Number")
    assert order(print_draft(resource=resource)).mms_id == sacred.mms_id


def test_vendor_title_number_method(world, hvu, order):
    """ORDERING-RULES §2.7: the vendor title number method."""
    bib = configuration.add_bib(world, HVU, Bib(mms_id="", zone=Zone.INSTITUTION, title="Catalogued",
                                                 vendor_title_numbers=["GOBI-555"]))
    configuration.change_profile(world, HVU, "GOBI_API", non_serial_match_method="Vendor title number")
    assert order(print_draft(resource=ResourceMetadata(title="x", vendor_title_number="gobi-555"))).mms_id == bib.mms_id
    assert order(print_draft(resource=ResourceMetadata(title="x", vendor_title_number="GOBI-556"))).mms_id != bib.mms_id


def test_registered_match_method_changes_behaviour(world, hvu, order, registered):
    """ORDERING-RULES §2.7: match methods are a registry; a registered method can be chosen and is used."""
    def by_exact_title(catalogue, record):
        return [b for b in catalogue.bibs.values() if b.title == record.title]
    registered(MATCH_METHODS, "Exact title", by_exact_title)
    rivers = _only(hvu, RIVERS_OF_EMPIRE)
    configuration.change_profile(world, HVU, "GOBI_API", non_serial_match_method="Exact title")
    line = order(print_draft(resource=ResourceMetadata(title=rivers.title, isbn=new_isbn())))
    assert line.mms_id == rivers.mms_id


def test_duplicate_match_method_name_raises_harness_error():
    """ORDERING-RULES §2.7: registering a taken match method name is a HarnessError."""
    with pytest.raises(HarnessError):
        MATCH_METHODS.add("ISBN", lambda catalogue, record: [])


def test_profile_must_name_a_registered_match_method(world):
    """ORDERING-RULES §2.7: a profile can only name a registered match method."""
    with pytest.raises(IllegalValue):
        configuration.change_profile(world, HVU, "GOBI_API", serial_match_method="By colour")


def test_network_zone_is_searched_when_the_profile_uses_it(world, order):
    """ORDERING-RULES §2.7: the NZ is in scope when the profile uses the network zone; the IZ links to the
    NZ record, and the next order reuses that link."""
    rvc, network = world.institution(RVC), world.networks["TRLC"]
    (nz_bib,) = network.catalogue.lookup("isbn", CONSTITUTIONAL)
    line = order(_rvc_draft(isbn=CONSTITUTIONAL), institution=RVC)
    local = rvc.catalogue.bibs[line.mms_id]
    assert local.network_mms_id == nz_bib.mms_id and local.zone is Zone.INSTITUTION
    bibs = len(rvc.catalogue)
    again = order(_rvc_draft(isbn=CONSTITUTIONAL), institution=RVC)
    assert again.mms_id == line.mms_id and len(rvc.catalogue) == bibs


def test_network_zone_is_not_searched_without_the_profile_flag(world, hvu, order):
    """ORDERING-RULES §2.7: HVU's GOBI_API does not use the network zone: no NZ match, an IZ brief record."""
    line = order(print_draft(isbn=CONSTITUTIONAL))
    bib = hvu.catalogue.bibs[line.mms_id]
    assert bib.brief and bib.network_mms_id == ""


@pytest.mark.parametrize("line_type", ["PRINTED_BOOK_OT", "E_BOOK_OT"])
def test_community_zone_is_never_searched_for_bib_matching(world, hvu, order, line_type):
    """ORDERING-RULES §2.7: the CZ is never a bib-matching scope; a CZ title gets an IZ brief record."""
    cz = world.community_zone
    cz_bibs = len(cz.catalogue)
    (cz_bib,) = cz.catalogue.lookup("isbn", COASTAL)
    line = order(print_draft(type=line_type, isbn=COASTAL, **({"locations": []} if line_type == "E_BOOK_OT" else {})))
    bib = hvu.catalogue.bibs[line.mms_id]
    assert bib.zone is Zone.INSTITUTION and bib.brief and line.mms_id != cz_bib.mms_id
    assert len(cz.catalogue) == cz_bibs


def test_lookups_are_indexed_not_scans(world, hvu, order):
    """ORDERING-RULES §2.7: lookups go through the catalogue's indexes: a record slipped into the catalogue
    without being indexed is invisible to matching; the indexed one is found."""
    isbn = new_isbn()
    hidden = Bib(mms_id="990999999999994561", zone=Zone.INSTITUTION, title="Hidden", isbns=[isbn])
    hvu.catalogue.bibs[hidden.mms_id] = hidden  # bypasses Catalogue.add, so no index entry
    assert order(print_draft(isbn=isbn)).mms_id != hidden.mms_id
    indexed = configuration.add_bib(world, HVU, Bib(mms_id="", zone=Zone.INSTITUTION, title="Indexed", isbns=[isbn]))
    assert hidden not in hvu.catalogue.lookup("isbn", isbn) and indexed in hvu.catalogue.lookup("isbn", isbn)


def test_suppressed_records_are_not_matched(hvu, order):
    """ORDERING-RULES §2.7: a suppressed record is not a candidate."""
    rivers = _only(hvu, RIVERS_OF_EMPIRE)
    hvu.catalogue.suppress(rivers.mms_id)
    assert order(print_draft(**vendor("HARRASSOWITZ"), isbn=RIVERS_OF_EMPIRE)).mms_id != rivers.mms_id


def test_a_line_ordered_by_mms_id_shows_the_records_title(hvu, order):
    """ORDERING-RULES §2.7 / §2.12: a given MMS ID wins, and the answer's metadata describes that record."""
    mms_id = next(b.mms_id for b in hvu.catalogue.bibs.values() if b.title.startswith("Rivers of Empire"))
    line = order(print_draft(resource=ResourceMetadata(mms_id=mms_id)))
    assert line.draft.resource.title.startswith("Rivers of Empire")
    assert line.draft.resource.isbn == "9781503642225"


def test_a_new_profile_matches_books_by_isbn_and_journals_by_issn_by_default(world, hvu, order):
    """ORDERING-RULES §2.7: ISBN is the default non-serial method and ISSN the default serial method — a profile
    saved with only its mandatory fields matches a book by its ISBN and a journal by its ISSN, and not the other
    way round."""
    configuration.add_profile(world, HVU, NewOrderProfile(code="PLAIN", name="Plain", system="OTHER"))
    profile = hvu.profiles["PLAIN"]
    assert (profile.non_serial_match_method, profile.serial_match_method) == ("ISBN", "ISSN")
    rivers = _only(hvu, RIVERS_OF_EMPIRE)
    journal = hvu.catalogue.lookup("issn", "21563713")[0]
    assert order(print_draft(isbn=RIVERS_OF_EMPIRE), profile_code="PLAIN").mms_id == rivers.mms_id
    serial = order(print_draft(type="PRINTED_JOURNAL_CO", funds=[FundShare(fund="SERIALS")],
                               resource=ResourceMetadata(title="J.", issn=HUDSON_ISSN)), profile_code="PLAIN")
    assert serial.mms_id == journal.mms_id
    book_with_issn = order(print_draft(resource=ResourceMetadata(title="Book", issn=HUDSON_ISSN)), profile_code="PLAIN")
    assert book_with_issn.mms_id != journal.mms_id
