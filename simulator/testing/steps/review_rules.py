"""Steps about the purchasing review rules and the PO line price threshold: what the acquisitions administrator
sets in Alma's Purchasing Review Rules table and PO Line Price Threshold (through the simulator's librarian endpoint,
`AlmaClient.configure_review_rules`). The rules table is replaced as a whole, so each step writes it completely:
the scenario keeps what it configured in `review_table`.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from simulator.testing.steps._alma import alert_codes, current_line
from simulator.testing.steps._types import EXTRA_TYPES, FORMATS, VENDORS

RESULTS = {"review": True, "packaging": False}


@given("the purchasing review rules table is empty", target_fixture="review_table")
def empty_table(alma):
    table: dict = {"default": False, "rules": [], "price_limit": None}
    alma.configure_review_rules(**table)
    return table


@given(parsers.parse("the default purchasing review rule is {value}"), target_fixture="review_table")
def default_rule(alma, review_table, value):
    assert value in ("True", "False"), f"the default rule is True or False, not {value!r}"
    table = {**review_table, "default": value == "True"}
    alma.configure_review_rules(**table)
    return table


@given("the purchasing review rules are, in this order:", target_fixture="review_table")
def rules_in_order(alma, review_table, datatable):
    """Columns: rule, vendor, format, net price over, result (review or packaging); an empty cell is any."""
    header, *rows = datatable
    rules = []
    for row in rows:
        cell = dict(zip(header, row))
        rule: dict = {"name": cell["rule"], "review": RESULTS[cell["result"]]}
        if cell.get("vendor"):
            rule["vendors"] = [VENDORS[cell["vendor"]]]
        if cell.get("format"):
            rule["po_line_types"] = [FORMATS[cell["format"]]]
        if cell.get("net price over"):
            amount, currency = cell["net price over"].split()
            assert currency == "USD", "the rule's amount is in the institution's currency (USD)"
            rule["price_over"] = amount
        rules.append(rule)
    table = {**review_table, "rules": rules}
    alma.configure_review_rules(**table)
    return table


@given(parsers.parse("the PO line price threshold is {amount:Money}", extra_types=EXTRA_TYPES),
       target_fixture="review_table")
def price_threshold(alma, review_table, amount):
    assert amount.currency == "USD", "the threshold is in the institution's currency (USD)"
    table = {**review_table, "price_limit": str(amount.amount)}
    alma.configure_review_rules(**table)
    return table


@then("no purchasing review rule holds the PO line")
def not_held_by_a_rule(alma, outcome):
    line = current_line(alma, outcome)
    assert "REVIEW_RULE" not in alert_codes(line), f"{line['number']} alerts: {line.get('alert')}"
