"""ORDERING-RULES §5: listing and searching PO lines, the In Review task list, and the funds a vendor may use
on a PO line (mode=POL). Each rule has a case where it holds and one where the request is refused."""

from __future__ import annotations

import pytest

from simulator.alma import queries
from simulator.alma.model import FundShare, POLineStatus, ResourceMetadata
from simulator.errors import GeneralError, InvalidParameter

from .conftest import print_draft, new_isbn


@pytest.fixture
def three_lines(hvu, order):
    titles = ("Atlas of Ancient Harbours", "Bridges of the Hudson", "Canals and Commerce")
    return [order(print_draft(resource=ResourceMetadata(title=t, isbn=new_isbn()))) for t in titles]


def test_search_by_title_finds_the_line(hvu, three_lines):
    """§5 list with q=title~…: a brief search on one field."""
    found = queries.search_po_lines(hvu, q="title~bridges")
    assert [line.title for line in found] == ["Bridges of the Hudson"]


def test_search_combines_terms_with_and(hvu, three_lines):
    found = queries.search_po_lines(hvu, q="title~canals AND fund_code~HIST-MONO")
    assert [line.title for line in found] == ["Canals and Commerce"]


def test_search_on_an_unsupported_field_is_refused(hvu):
    """§5 list: a field Alma's brief search does not know → 40188600."""
    with pytest.raises(InvalidParameter) as refused:
        queries.search_po_lines(hvu, q="colour~red")
    assert refused.value.code == "40188600"


@pytest.mark.parametrize("direction, expected", [
    ("asc", ["Atlas of Ancient Harbours", "Bridges of the Hudson", "Canals and Commerce"]),
    ("desc", ["Canals and Commerce", "Bridges of the Hudson", "Atlas of Ancient Harbours"]),
])
def test_order_by_title_in_either_direction(hvu, three_lines, direction, expected):
    found = queries.search_po_lines(hvu, order_by="title", direction=direction)
    assert [line.title for line in found if line in three_lines] == expected


def test_an_unknown_sort_field_is_refused(hvu):
    with pytest.raises(InvalidParameter) as refused:
        queries.search_po_lines(hvu, order_by="colour")
    assert refused.value.code == "40188604"


def test_an_unknown_status_set_is_refused(hvu):
    with pytest.raises(GeneralError):
        queries.search_po_lines(hvu, status="SOMETIMES")


def test_status_sets_separate_active_and_cancelled_lines(world, hvu, three_lines, clock):
    from simulator.alma import lifecycle
    lifecycle.cancel(world, hvu.code, three_lines[0].number, "ORDERED_IN_ERROR", clock)
    active = queries.search_po_lines(hvu, status="ACTIVE")
    cancelled = queries.search_po_lines(hvu, status="CANCELLED")
    assert three_lines[0] in cancelled and three_lines[0] not in active
    assert three_lines[1] in active and three_lines[1] not in cancelled


def test_in_review_list_holds_exactly_the_lines_in_review(hvu, order):
    """§2.13 / §5: the In Review task list is every line in In Review, each with its alerts."""
    waiting = order(print_draft(funds=[]))
    sent = order(print_draft())
    listed = queries.in_review(hvu)
    assert waiting in listed and sent not in listed
    assert all(line.status is POLineStatus.IN_REVIEW and line.alerts for line in listed)


def test_funds_for_a_po_line_are_active_allocated_current_and_usable_by_the_library(hvu):
    """§5 funds mode=POL: only funds a PO line of that library may use."""
    main = {f.code for f in queries.funds_for_po_line(hvu, library="MAIN")}
    law = {f.code for f in queries.funds_for_po_line(hvu, library="LAW")}
    assert "HIST-MONO" in main and "LAW-MONO" not in main and "LAW-MONO" in law
    assert not {"MUSIC-MONO", "HIST-MONO-FY26", "HUMANITIES"} & (main | law)


def test_funds_for_a_po_line_filter_only_by_fund_code(hvu):
    assert {f.code for f in queries.funds_for_po_line(hvu, q="fund_code~hist")} == {"HIST-MONO", "BRIT-HIST"}
    with pytest.raises(InvalidParameter) as refused:
        queries.funds_for_po_line(hvu, q="name~History")
    assert refused.value.code == "401873"


def test_fund_shares_name_the_fund_searched(hvu, order):
    line = order(print_draft(funds=[FundShare(fund="ENGL-MONO")]))
    assert queries.search_po_lines(hvu, q="fund_code~ENGL") == [line]
