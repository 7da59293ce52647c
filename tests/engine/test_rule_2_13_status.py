"""ORDERING-RULES §2.13 — status after creation: In Review when any rule sent it there; otherwise
VENDOR_SYSTEM lines are packaged into a PO and Sent, others wait for packaging. The In Review task list."""

from __future__ import annotations

import re

import pytest

from simulator.alma.model import POLineStatus

from .conftest import codes, print_draft


def test_vendor_system_line_is_packaged_into_a_po_and_sent(hvu, order):
    """ORDERING-RULES §2.13: VENDOR_SYSTEM lines are packaged into a PO and Sent."""
    pos = len(hvu.purchase_orders)
    line = order(print_draft(acquisition_method="VENDOR_SYSTEM"))
    assert line.status is POLineStatus.SENT
    assert re.fullmatch(r"PO-\d+", line.po_number)
    po = hvu.purchase_orders[line.po_number]
    assert po.po_lines == [line.number] and po.vendor == "GOBI" and po.status == "SENT"
    assert len(hvu.purchase_orders) == pos + 1


@pytest.mark.parametrize("method", ["PURCHASE", "PURCHASE_NOLETTER", "APPROVAL"])
def test_other_methods_wait_for_packaging(hvu, order, method):
    """ORDERING-RULES §2.13: other acquisition methods wait for packaging (AUTO_PACKAGING), no PO yet."""
    pos = len(hvu.purchase_orders)
    line = order(print_draft(acquisition_method=method))
    assert line.status is POLineStatus.AUTO_PACKAGING and line.po_number == ""
    assert len(hvu.purchase_orders) == pos


def test_in_review_vendor_system_line_is_not_sent(hvu, order):
    """ORDERING-RULES §2.13: In Review wins: a VENDOR_SYSTEM line with a missing part is not packaged."""
    pos = len(hvu.purchase_orders)
    line = order(print_draft(acquisition_method="VENDOR_SYSTEM", funds=[]))
    assert line.status is POLineStatus.IN_REVIEW and line.po_number == ""
    assert len(hvu.purchase_orders) == pos


def test_informational_alerts_do_not_send_to_in_review(order):
    """ORDERING-RULES §2.13: only review alerts send the line to In Review (inventory-exists informs)."""
    line = order(print_draft(isbn="9781503642225", acquisition_method="VENDOR_SYSTEM"))
    assert codes(line) == ["INVENTORY_EXISTS"] and line.status is POLineStatus.SENT


def test_in_review_task_list_is_every_in_review_line_with_its_alerts(hvu, order):
    """ORDERING-RULES §2.13: the In Review task list is every line in In Review, each with its alerts."""
    done = order(print_draft())
    missing_price = order(print_draft(price=None))
    manual = order(print_draft(requires_manual_review=True))
    task_list = {n: codes(line) for n, line in hvu.po_lines.items() if line.in_review}
    assert task_list == {missing_price.number: ["PRICE_MISSING"], manual.number: ["MANUAL_REVIEW"]}
    assert done.number not in task_list
