"""Refusals that name the fix: an unsupported search field lists the supported ones (as an unsupported
order_by does), a PO line type that is not enabled lists the enabled ones."""

from __future__ import annotations

from alma_requests import po_line

from simulator.api import codec
from simulator.alma.queries import SEARCH_FIELDS

POL = "/almaws/v1/acq/po-lines"
JSON = {"accept": "application/json"}


def test_an_unsupported_search_field_lists_the_supported_ones(wire):
    answer = wire("GET", f"{POL}?q=titel~rivers", headers=JSON)
    [(code, message)] = codec.parse_error_body(answer.body)
    assert (answer.status, code) == (400, "40188600")
    assert "Search query parameter titel is not supported" in message
    assert f"Supported search fields are: [{', '.join(SEARCH_FIELDS)}]" in message


def test_a_fund_search_for_po_lines_on_another_field_names_fund_code(wire):
    answer = wire("GET", "/almaws/v1/acq/funds?mode=POL&q=name~history", headers=JSON)
    [(code, message)] = codec.parse_error_body(answer.body)
    assert (answer.status, code) == (400, "401873")
    assert "Supported search fields are: [fund_code]" in message


def test_a_type_that_is_not_enabled_lists_the_enabled_ones(wire):
    answer = wire("POST", POL, json_body=po_line(type={"value": "E_BOOK_PKG_OT"}), headers=JSON)
    [(code, message)] = codec.parse_error_body(answer.body)
    assert (answer.status, code) == (400, "401872")
    assert "PO line type 'E_BOOK_PKG_OT' is not enabled in Hudson Valley University" in message
    enabled = message.split("Enabled types are: [", 1)[1].rstrip("]").split(", ")
    assert "PRINTED_BOOK_OT" in enabled and "PRINT_OT" in enabled and "E_BOOK_PKG_OT" not in enabled
