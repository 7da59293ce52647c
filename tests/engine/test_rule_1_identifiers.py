"""ORDERING-RULES §1 — identifiers look like Alma's [decision, shaped on D]: MMS IDs 99…<4-digit institution
suffix>, holdings 22…, items 23…, portfolios 53…, collections 61…; PO lines POL-<n>, POs PO-<n>; all unique per
institution and never reused (not even after a cancellation deletes or withdraws what an order created)."""

from __future__ import annotations

import re

from simulator.alma import lifecycle
from simulator.alma.model import OrderedLocation, ResourceMetadata

from .conftest import COASTAL, HVU, ebook_draft, print_draft


def _shape(prefix: str, suffix: str) -> re.Pattern[str]:
    return re.compile(rf"{prefix}\d+{suffix}")


def test_every_kind_of_id_has_alma_s_shape(hvu, order):
    """ORDERING-RULES §1: one print order, one ebook and one collection order bring IDs of every kind, each with
    its prefix and the institution's four-digit suffix; the PO line and PO numbers are POL-<n> and PO-<n>."""
    assert re.fullmatch(r"\d{4}", hvu.mms_suffix)
    suffix = hvu.mms_suffix
    book = order(print_draft(acquisition_method="VENDOR_SYSTEM",
                             locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=2)]))
    ebook = order(ebook_draft(isbn=COASTAL))  # GOBI: the CZ portfolio is activated with its collection
    package = order(ebook_draft(type="ELECTRONIC_COLLECTION_OT", resource=ResourceMetadata(title="A Local Package")))
    assert re.fullmatch(r"POL-\d+", book.number) and re.fullmatch(r"PO-\d+", book.po_number)
    assert _shape("99", suffix).fullmatch(book.mms_id)
    (location,) = book.draft.locations
    assert _shape("22", suffix).fullmatch(location.holding_id)
    assert len(location.item_ids) == 2 and all(_shape("23", suffix).fullmatch(i) for i in location.item_ids)
    (portfolio_id,) = ebook.portfolio_ids
    assert _shape("53", suffix).fullmatch(portfolio_id)
    assert _shape("61", suffix).fullmatch(hvu.portfolios[portfolio_id].collection_id)
    assert _shape("61", suffix).fullmatch(package.collection_id)


def test_ids_are_unique_across_kinds(hvu, order):
    """ORDERING-RULES §1: every ID the institution hands out is unique, whatever its kind."""
    for _ in range(3):
        order(print_draft(locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=2)]))
        order(ebook_draft())
    ids = [*hvu.catalogue.bibs, *hvu.holdings, *hvu.items, *hvu.portfolios, *hvu.collections]
    assert len(ids) == len(set(ids))
    numbered = [n for n in ids if n[2:-4].isdigit()]
    assert len({n[2:-4] for n in numbered}) == len(numbered)  # the running number itself is never shared


def test_nothing_is_reused_after_a_cancellation_deletes_and_withdraws(world, hvu, order, clock):
    """ORDERING-RULES §1: cancelling frees no identifier — not the number of the cancelled line, not the MMS ID
    of a brief record deleted with it (`bib=delete`), not the IDs of the items it withdrew."""
    service = order(print_draft(type="OTHER_SERVICES_OT", locations=[], title="Ordered in Error"))
    lifecycle.cancel(world, HVU, service.number, "ORDERED_IN_ERROR", clock, bib="delete")
    assert service.mms_id not in hvu.catalogue.bibs
    book = order(print_draft(locations=[OrderedLocation(library="SCI", location="STACKS", quantity=2)]))
    (withdrawn,) = book.draft.locations
    lifecycle.cancel(world, HVU, book.number, "ORDERED_IN_ERROR", clock)
    assert not set(withdrawn.item_ids) & set(hvu.items)
    again = order(print_draft(title="Ordered Again", locations=[OrderedLocation(library="SCI", location="STACKS",
                                                                                 quantity=2)]))
    (location,) = again.draft.locations
    assert int(again.number.split("-")[1]) > int(book.number.split("-")[1]) > int(service.number.split("-")[1])
    assert again.mms_id not in (service.mms_id, book.mms_id)
    assert not set(location.item_ids) & set(withdrawn.item_ids)
    assert hvu.po_lines[service.number].status.value == "CANCELLED"  # the old number still names the old line


def test_po_numbers_are_unique_and_increase(hvu, order):
    """ORDERING-RULES §1: each Sent VENDOR_SYSTEM line is packaged in a PO with a new PO-<n> number."""
    numbers = [order(print_draft(acquisition_method="VENDOR_SYSTEM")).po_number for _ in range(3)]
    assert len(set(numbers)) == 3
    assert [int(n.split("-")[1]) for n in numbers] == sorted(int(n.split("-")[1]) for n in numbers)
