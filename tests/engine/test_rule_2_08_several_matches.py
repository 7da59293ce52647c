"""ORDERING-RULES §2.8 — several matches: "Prefer record with the same inventory type" and seed 001's
tie-break; with no preference the lowest MMS ID [decision] and an alert naming the other candidates."""

from __future__ import annotations

import pytest

from simulator.alma import configuration
from simulator.alma.model import Bib, Inventory, ResourceMetadata, Zone
from simulator.errors import IllegalValue

from .conftest import CITIES, HVU, MEDIEVAL, codes, ebook_draft, new_isbn, print_draft

P, E, M, N = "physical", "electronic", "mixed", "none"


def _records(world, kinds: list[str]) -> tuple[str, list[str]]:
    """One record per kind, all with one new ISBN; returns the ISBN and the MMS IDs in ascending order."""
    isbn, ids = new_isbn(), []
    for i, kind in enumerate(kinds):
        bib = configuration.add_bib(world, HVU, Bib(mms_id="", zone=Zone.INSTITUTION, title=f"Candidate {i}",
                                                    isbns=[isbn]))
        if kind in (P, M):
            configuration.add_holding(world, HVU, bib.mms_id, "MAIN", "STACKS")
        if kind in (E, M):
            configuration.add_portfolio(world, HVU, bib.mms_id, "JSTOR")
        ids.append(bib.mms_id)
    assert ids == sorted(ids)
    return isbn, ids


def _draft(order_kind: str, isbn: str):
    return (print_draft if order_kind == P else ebook_draft)(isbn=isbn)


# (candidates' inventory, the order's inventory, index of the winner or None for no preference)
TABLE = [
    ([P, E], P, 0),            # exactly one candidate with only the same type wins
    ([P, E], E, 1),
    ([E, P], P, 1),
    ([P, P, M], P, None),      # several same-only candidates → no preference
    ([P, P, M], E, None),      # one mixed, but print-only candidates exist → no preference (seed 001, literally)
    ([M, E], E, 1),            # same-only beats mixed
    ([M, E], P, None),         # one mixed, but an electronic-only candidate exists → no preference
    ([N, M], P, 1),            # one mixed and no candidate with only one type → the mixed record
    ([M, N], E, 0),
    ([N, M, N], E, 1),
    ([N, M, P], E, None),      # a print-only candidate blocks the mixed record for an ebook order
    ([N, M, E], P, None),      # an electronic-only candidate blocks it for a print order
    ([M, M], P, None),         # two mixed and no same-only → no preference
    ([M, N, M], E, None),
    ([E, E], P, None),         # neither same-only nor mixed → no preference
    ([N, P], P, 1),
    ([N, N], E, None),
    ([E, M, P], P, 2),
    ([E, M, P, P], P, None),
]


@pytest.mark.parametrize(("kinds", "ordered", "winner"), TABLE,
                         ids=[f"{'+'.join(k)}<-{o}" for k, o, _ in TABLE])
def test_inventory_type_preference_table(world, hvu, order, kinds, ordered, winner):
    """ORDERING-RULES §2.8: the order's inventory type picks the winner by the rules of seed 001."""
    isbn, ids = _records(world, kinds)
    line = order(_draft(ordered, isbn))
    if winner is None:
        assert line.mms_id == ids[0]  # [decision] the lowest MMS ID
        alert = next(a for a in line.alerts if a.code == "SEVERAL_MATCHES")
        assert all(other in alert.text for other in ids[1:])
        assert not alert.review
    else:
        assert line.mms_id == ids[winner]
        assert "SEVERAL_MATCHES" not in codes(line)


@pytest.mark.parametrize(("operations", "line_kind", "winner"), [
    ("MIXED", P, "print"),        # Mixed: the inventory type comes from the PO line type
    ("MIXED", E, "electronic"),
    ("PHYSICAL", E, "print"),     # Physical: the preference is physical whatever the line
    ("ELECTRONIC", P, "electronic"),
    ("NONE", E, None),            # None: no preference based on inventory
])
def test_inventory_operations_choose_the_type(world, hvu, order, operations, line_kind, winner):
    """ORDERING-RULES §2.8: the profile's Inventory Operations None/Physical/Electronic/Mixed choose which type
    the preference uses (seed 001's one print and one electronic "Cities of Salt and Steel")."""
    print_bib, electronic_bib = sorted(hvu.catalogue.lookup("isbn", CITIES), key=lambda b: b.mms_id)
    assert hvu.inventory_of(print_bib.mms_id) is Inventory.PHYSICAL
    assert hvu.inventory_of(electronic_bib.mms_id) is Inventory.ELECTRONIC
    configuration.change_profile(world, HVU, "GOBI_API", inventory_operations=operations)
    line = order(_draft(line_kind, CITIES))
    expected = {"print": print_bib, "electronic": electronic_bib, None: print_bib}[winner]
    assert line.mms_id == expected.mms_id
    assert ("SEVERAL_MATCHES" in codes(line)) is (winner is None)


@pytest.mark.parametrize("draft", [print_draft, ebook_draft], ids=["print order", "ebook order"])
def test_seed_medieval_landscape(world, hvu, order, draft):
    """ORDERING-RULES §2.8: two print records and one mixed record. A print order has two print-only candidates;
    an ebook order has one mixed candidate, but the print-only records block it (seed 001 read literally). Either
    way there is no preference: the lowest MMS ID, and an alert naming the other two."""
    a, b, mixed = sorted(hvu.catalogue.lookup("isbn", MEDIEVAL), key=lambda x: x.mms_id)
    assert [hvu.inventory_of(x.mms_id) for x in (a, b, mixed)] == [Inventory.PHYSICAL, Inventory.PHYSICAL,
                                                                   Inventory.MIXED]
    line = order(draft(isbn=MEDIEVAL))
    assert line.mms_id == a.mms_id and "SEVERAL_MATCHES" in codes(line)
    alert = line.alerts[codes(line).index("SEVERAL_MATCHES")].text
    assert b.mms_id in alert and mixed.mms_id in alert


def test_preference_switched_off_picks_lowest_mms_id(world, hvu, order):
    """ORDERING-RULES §2.8: with the preference off there is no preference: the lowest MMS ID and an alert."""
    print_bib, electronic_bib = sorted(hvu.catalogue.lookup("isbn", CITIES), key=lambda b: b.mms_id)
    configuration.change_profile(world, HVU, "GOBI_API", prefer_same_inventory_type=False)
    line = order(ebook_draft(isbn=CITIES))
    assert line.mms_id == print_bib.mms_id
    assert electronic_bib.mms_id in line.alerts[codes(line).index("SEVERAL_MATCHES")].text


def test_several_matches_alert_does_not_send_to_in_review(hvu, order):
    """ORDERING-RULES §2.8/§2.13: the several-matches alert informs; a complete line is still processed."""
    line = order(print_draft(isbn=MEDIEVAL))
    assert line.status.value == "AUTO_PACKAGING"


def test_single_match_has_no_alert(hvu, order):
    """ORDERING-RULES §2.8: one candidate is simply the match."""
    line = order(print_draft(resource=ResourceMetadata(title="x", isbn="9780312252595")))
    assert "SEVERAL_MATCHES" not in codes(line)


def test_unknown_inventory_operations_value_is_refused(world, hvu):
    """ORDERING-RULES §2.8: Inventory Operations is one of None / Physical / Electronic / Mixed."""
    with pytest.raises(IllegalValue):
        configuration.change_profile(world, HVU, "GOBI_API", inventory_operations="SIDEWAYS")
    assert hvu.profiles["GOBI_API"].inventory_operations == "MIXED"
