"""ORDERING-RULES §2.5 — normalization: the initial normalization always runs before matching, then the
profile's named normalization process from a registry users can extend."""

from __future__ import annotations

import pytest

from simulator.alma import configuration
from simulator.alma.model import ResourceMetadata
from simulator.alma.normalization import NORMALIZATION_PROCESSES, initial_normalization
from simulator.errors import HarnessError, IllegalValue

from .conftest import HVU, RIVERS_OF_EMPIRE, print_draft, vendor


@pytest.mark.parametrize(("field", "sent", "kept"), [
    ("title", "  The   Sea \t and  the Shore  ", "The Sea and the Shore"),
    ("title", "Rivers of Empire /", "Rivers of Empire"),
    ("title", "A History of Maps :", "A History of Maps"),
    ("title", "Collected Essays.", "Collected Essays"),
    ("title", "Letters ;", "Letters"),
    ("author", "Doe, Jane,", "Doe, Jane"),
    ("publisher", "  Yale  University Press ,", "Yale University Press"),
    ("isbn", "978-1-5036-4222-5", "9781503642225"),
    ("isbn", "9781503642225 (pbk.)", "9781503642225"),
    ("isbn", " 978 1503 642225 ", "9781503642225"),
    ("isbn", "052185296x", "052185296X"),
    ("issn", "2156-3713", "21563713"),
    ("issn", "0000-006x", "0000006X"),
])
def test_initial_normalization(field, sent, kept):
    """ORDERING-RULES §2.5: trim and fold spaces, strip trailing ISBD punctuation, strip hyphens/spaces and
    qualifiers from ISBN/ISSN, upper-case the check digit X."""
    record = initial_normalization(ResourceMetadata(**{field: sent}))
    assert getattr(record, field) == kept


def test_initial_normalization_leaves_clean_data_alone():
    """ORDERING-RULES §2.5: clean values pass unchanged (and the input record is not mutated)."""
    original = ResourceMetadata(title="Clean Title", isbn="9781503642225", author="Doe, Jane")
    record = initial_normalization(original)
    assert (record.title, record.isbn, record.author) == ("Clean Title", "9781503642225", "Doe, Jane")
    assert record is not original


@pytest.mark.parametrize("isbn", ["978-1-5036-4222-5", "1503642220", "1-5036-4222-0", "9781503642225 (hbk.)"])
def test_normalization_runs_before_matching(hvu, order, isbn):
    """ORDERING-RULES §2.5: the initial normalization runs before matching; ISBN-10 and ISBN-13 are one key."""
    rivers = hvu.catalogue.lookup("isbn", RIVERS_OF_EMPIRE)[0]
    line = order(print_draft(isbn=isbn, title="Rivers of Empire :"))
    assert line.mms_id == rivers.mms_id


def test_a_different_isbn_does_not_match(hvu, order):
    """ORDERING-RULES §2.5: normalization folds spellings of one ISBN, not different ISBNs."""
    rivers = hvu.catalogue.lookup("isbn", RIVERS_OF_EMPIRE)[0]
    line = order(print_draft(isbn="9781503642232"))
    assert line.mms_id != rivers.mms_id


def test_brief_record_carries_the_normalized_metadata(hvu, order):
    """ORDERING-RULES §2.5: the brief record is built from the normalized metadata."""
    line = order(print_draft(**vendor("HARRASSOWITZ"),
                             resource=ResourceMetadata(title="  Tides  of  Trade /", isbn="979-0-9999-0001-6 (pbk.)")))
    bib = hvu.catalogue.bibs[line.mms_id]
    assert bib.title == "Tides of Trade"
    assert bib.isbns == ["9790999900016"]


def test_profile_process_adds_vendor_local_note(hvu, order):
    """ORDERING-RULES §2.5: GOBI_API's process "Add vendor local note" adds a local note naming the vendor."""
    line = order(print_draft())
    assert hvu.catalogue.bibs[line.mms_id].local_notes == [
        "Ordered through GOBI Library Solutions from EBSCO (real-time order)"]


def test_profile_without_process_adds_no_note(hvu, order):
    """ORDERING-RULES §2.5: a profile with no process (DEFAULT_API) runs the initial normalization only."""
    line = order(print_draft(**vendor("HARRASSOWITZ")))
    assert hvu.catalogue.bibs[line.mms_id].local_notes == []


def test_other_builtin_process_drop_publisher_and_place(world, hvu, order):
    """ORDERING-RULES §2.5: the chosen process is the one that runs."""
    configuration.change_profile(world, HVU, "DEFAULT_API", normalization="Drop publisher and place")
    line = order(print_draft(**vendor("HARRASSOWITZ"),
                             resource=ResourceMetadata(title="Imprints", publisher="Yale", publication_place="New Haven")))
    bib = hvu.catalogue.bibs[line.mms_id]
    assert (bib.publisher, bib.publication_place) == ("", "")


def test_user_registered_process_changes_behaviour(world, hvu, order, registered):
    """ORDERING-RULES §2.5: new processes can be registered by users and chosen by a profile."""
    def shout(record, context):
        record.title = record.title.upper()
        record.local_notes.append(f"profile {context.profile.code} for {context.institution_code}")
    registered(NORMALIZATION_PROCESSES, "Upper-case titles", shout)
    configuration.change_profile(world, HVU, "DEFAULT_API", normalization="Upper-case titles")
    line = order(print_draft(**vendor("HARRASSOWITZ"), title="quiet words"))
    bib = hvu.catalogue.bibs[line.mms_id]
    assert bib.title == "QUIET WORDS"
    assert bib.local_notes == ["profile DEFAULT_API for 01TRLC_HVU"]


def test_unknown_process_cannot_be_chosen(world):
    """ORDERING-RULES §2.5: a profile can only name a registered process."""
    with pytest.raises(IllegalValue):
        configuration.change_profile(world, HVU, "DEFAULT_API", normalization="No such process")


def test_duplicate_process_name_raises_harness_error():
    """ORDERING-RULES §2.5: registering a taken process name is a HarnessError."""
    with pytest.raises(HarnessError):
        NORMALIZATION_PROCESSES.add("Add vendor local note", lambda record, context: None)


@pytest.mark.parametrize(("field", "sent", "kept"), [
    ("title", "Sea\u00a0and\u2003Shore\u3000", "Sea and Shore"),  # every kind of Unicode space folds, as \s does
    ("title", "Letters\u00a0/\u00a0", "Letters"),  # trailing ISBD punctuation after a non-breaking space
    ("title", "Ends in a digit 1", "Ends in a digit 1"),  # untouched: no trailing punctuation
    ("author", "Doe, Jane\n", "Doe, Jane"),
    ("isbn", "9781503642225", "9781503642225"),  # already clean: the shortcut
    ("isbn", "052185296x", "052185296X"),  # clean but for the case of the check digit
    ("isbn", "\u0669\u0667\u0668", "\u0669\u0667\u0668"),  # non-ASCII digits take the long way, kept as before
    ("issn", "12345678 9", "12345678"),  # of two identifiers in a row the first stays
])
def test_initial_normalization_shortcuts_give_what_the_long_way_gives(field, sent, kept):
    """The shortcuts for clean values (issue 11, item 6) change nothing: the same values as before."""
    record = initial_normalization(ResourceMetadata(**{field: sent}))
    assert getattr(record, field) == kept
