"""ORDERING-RULES §2.12 — the answer: the PO line with its new number and its bib's mms_id; the vendor
reference number kept; an optional asynchronous mode."""

from __future__ import annotations

import re

from .conftest import HVU, print_draft


def test_answer_carries_number_mms_id_and_vendor_reference(hvu, order):
    """ORDERING-RULES §2.12: the line comes back with a new POL-<n> number, its bib's mms_id and the vendor's
    vendor_reference_number kept on the line."""
    line = order(print_draft(vendor_reference_number="GOBI-ORD-000123", vendor_reference_number_type="SO"))
    assert re.fullmatch(r"POL-\d+", line.number)
    assert line.mms_id in hvu.catalogue.bibs and line.draft.resource.mms_id == line.mms_id
    assert line.draft.vendor_reference_number == "GOBI-ORD-000123"
    assert hvu.po_lines[line.number].draft.vendor_reference_number == "GOBI-ORD-000123"
    assert line.created_date == "2026-09-01Z"


def test_numbers_increase_and_are_unique(order):
    """ORDERING-RULES §2.12/§1: each answer has a new number."""
    numbers = [order(print_draft()).number for _ in range(5)]
    assert len(set(numbers)) == 5
    assert [int(n.split("-")[1]) for n in numbers] == sorted(int(n.split("-")[1]) for n in numbers)


def test_synchronous_mode_by_default(order):
    """ORDERING-RULES §2.12: by default status and alerts are in the answer (nothing hidden)."""
    assert order(print_draft()).visible_after == 0.0


def test_asynchronous_mode_hides_status_until_processed(world, hvu, order, clock):
    """ORDERING-RULES §2.12: in asynchronous mode the line is processed after answering: status and alerts
    become visible later."""
    hvu.asynchronous_processing_seconds = 5
    line = order(print_draft(price=None))
    assert line.visible_after == clock.now().timestamp() + 5
    assert line.number and line.mms_id  # the answer still has its number and bib
    assert world.institution(HVU).po_lines[line.number] is line
