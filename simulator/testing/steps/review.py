"""Steps about the In Review task list and approving a PO line from it."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from simulator.testing.steps._alma import attempt, current_line
from simulator.testing.steps._types import EXTRA_TYPES


@when("the librarian opens the In Review task list", target_fixture="task_list")
def open_in_review(alma):
    return alma.in_review()["po_line"]


@then(parsers.parse("the task list shows the PO line because {reason:ReviewReason}", extra_types=EXTRA_TYPES))
def task_list_shows(outcome, task_list, reason):
    listed = {line["number"]: line for line in task_list}
    assert outcome.po_line["number"] in listed, f"In Review: {sorted(listed)}"
    assert reason in [a["value"] for a in listed[outcome.po_line["number"]]["alert"]]


@then("the task list does not show the PO line")
def task_list_omits(outcome, task_list):
    assert outcome.po_line["number"] not in [line["number"] for line in task_list]


@given(parsers.parse("the librarian has added the price {price:Money} to the PO line", extra_types=EXTRA_TYPES))
def add_price(alma, outcome, price):
    line = current_line(alma, outcome)
    line["price"] = {"sum": f"{price.amount:.2f}", "currency": {"value": price.currency}}
    alma.update_po_line(line["number"], line)


@when("the librarian approves the PO line", target_fixture="outcome")
def approve(alma, outcome):
    number = outcome.po_line["number"]
    return attempt(alma, lambda: alma.approve_po_line(number), number=number)
