"""The simulator's PO lines, funds and vendors hold to the fields and JSON types real Alma answers share
(tests/conformance/facts.py; sources in docs/conformance.md), read as a client reads them: bytes off the HTTP
face, parsed as JSON. And an institution's PO line type table may carry the classic or the consolidated codes,
with what a line does following its type."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from xml.etree import ElementTree

import pytest
from alma_requests import KEY, Wire, po_line

from conformance import facts
from simulator.alma.model import Continuity, Inventory
from simulator.alma.seed import load_world
from simulator.api import codec
from simulator.api.service import AlmaService

ALMA = "/almaws/v1"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}Z")
CONSOLIDATED_WORLD = Path(__file__).parent / "consolidated" / "world.toml"
HPC_KEY = "l8xx-hpc-0000-read-write"


def mismatches(value: Any, shape: Any, path: str = "") -> list[str]:
    """Every way `value` differs from a shape of facts.py: a missing field or a wrong JSON type."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return [f"{path or '.'}: {type(value).__name__}, not an object"]
        problems = []
        for name, inner in shape.items():
            if name not in value:
                problems.append(f"{path}.{name}: missing")
            else:
                problems += mismatches(value[name], inner, f"{path}.{name}")
        return problems
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, not a list"]
        return [p for i, element in enumerate(value) for p in mismatches(element, shape[0], f"{path}[{i}]")]
    return [] if _is(value, shape) else [f"{path}: {value!r} is not {facts.TYPES[shape]}"]


def _is(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "digits":
        return isinstance(value, str) and value.isdigit()
    if kind == "date":
        return isinstance(value, str) and DATE.fullmatch(value) is not None
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "code":
        return (isinstance(value, dict) and isinstance(value.get("value"), str)
                and isinstance(value.get("desc", ""), str))
    if kind == "object":
        return isinstance(value, dict)
    raise AssertionError(f"facts.py names an unknown type {kind!r}")


def test_the_checker_catches_what_a_strict_client_would():
    """The checker itself can fail: the old shapes the issue lists are caught."""
    assert mismatches({"percent": 10.5}, {"percent": "int"}) == [".percent: 10.5 is not a JSON integer"]
    assert mismatches({"payment_method": {"value": "CASH"}}, {"payment_method": [facts.CODE]}) == [
        ".payment_method: dict, not a list"]
    assert mismatches({"rush": "false"}, {"rush": "bool"})
    assert mismatches({"claiming_interval": 30}, {"claiming_interval": "digits"})
    assert mismatches({}, {"material_type": facts.CODE}) == [".material_type: missing"]


# ---------------------------------------------------------------- the HTTP face ---------------------------------


@pytest.fixture
def wire() -> Wire:
    return Wire(AlmaService())


def get_json(wire: Wire, path: str, key: str = KEY) -> dict:
    answer = wire("GET", f"{ALMA}{path}", key=key, headers={"accept": "application/json"})
    assert answer.status == 200, answer.body
    return json.loads(answer.body)


def order(wire: Wire, body: dict, key: str = KEY) -> dict:
    answer = wire("POST", f"{ALMA}/acq/po-lines", key=key, json_body=body, headers={"accept": "application/json"})
    assert answer.status == 200, answer.body
    return json.loads(answer.body)


def test_a_po_line_carries_every_field_real_ones_share(wire):
    number = order(wire, po_line())["number"]
    line = get_json(wire, f"/acq/po-lines/{number}")
    assert mismatches(line, facts.PO_LINE) == []
    assert mismatches(line, facts.PO_LINE_SINCE_2024) == []
    for name, empty in facts.PO_LINE_EMPTY_VALUES.items():
        assert line[name] == empty, name
    assert line["material_type"] == {"value": "BOOK", "desc": "Book"}  # the type's material type (as TAU1)


def test_a_po_line_leaves_out_what_is_unset(wire):
    number = order(wire, po_line(fund_distribution=[{"fund_code": {"value": "HIST-MONO"}, "percent": 100}]))["number"]
    line = get_json(wire, f"/acq/po-lines/{number}")
    assert [name for name in facts.PO_LINE_ABSENT_WHEN_UNSET if name in line] == []
    assert [name for share in line["fund_distribution"] for name in facts.FUND_SHARE_NEVER if name in share] == []
    assert line["fund_distribution"][0]["amount"]["sum"] == "25.00"  # the percent read back as an amount


def test_fields_kept_as_sent_read_back_in_alma_types(wire):
    """A client that sends an interval as 30 or a reporting code as a code object reads back Alma's types."""
    body = po_line(claiming_interval=30, reporting_code={"value": "RC1"}, vendor_note="Ship with invoice",
                   note=[{"note_text": "Rush for exhibit"}], material_type={"value": "dvd"}, discount="5")
    line = get_json(wire, f"/acq/po-lines/{order(wire, body)['number']}")
    assert mismatches(line, facts.PO_LINE) == []
    assert (line["claiming_interval"], line["reporting_code"], line["vendor_note"]) == ("30", "RC1", "Ship with invoice")
    assert line["note"] == [{"note_text": "Rush for exhibit"}]
    assert line["material_type"] == {"value": "DVD", "desc": "DVD"}
    assert line["discount"] == "5"


def test_a_copy_has_no_receive_date_until_it_is_received(wire):
    number = order(wire, po_line())["number"]
    location = get_json(wire, f"/acq/po-lines/{number}")["location"][0]
    assert mismatches(location, facts.PO_LINE_LOCATION) == []
    copy = location["copy"][0]
    assert mismatches(copy, facts.PO_LINE_COPY) == []
    assert "receive_date" not in copy
    item = copy["pid"]
    received = wire("POST", f"{ALMA}/acq/po-lines/{number}/items/{item}?op=receive&receive_date=2026-09-03Z",
                    headers={"accept": "application/json"})
    assert received.status == 200, received.body
    copy = get_json(wire, f"/acq/po-lines/{number}")["location"][0]["copy"][0]
    assert mismatches(copy, {**facts.PO_LINE_COPY, **facts.PO_LINE_COPY_AFTER_RECEIPT}) == []
    assert copy["receive_date"] == "2026-09-03Z"


def test_every_fund_and_ledger_has_the_fund_fields_and_types(wire):
    funds = get_json(wire, "/acq/funds?mode=ALL&limit=100")["fund"]
    assert {f["entity_type"]["value"] for f in funds} >= {"ALLOCATED", "LEDGER"}
    for fund in funds:
        assert mismatches(fund, facts.FUND) == [], fund["code"]
        assert fund["entity_type"]["value"] in facts.FUND_ENTITY_TYPES
        assert {fund["overencumbrance_allowed"]["value"], fund["overexpenditure_allowed"]["value"]} <= set(facts.FUND_YES_NO)
    single = get_json(wire, f"/acq/funds/{funds[0]['id']}")
    assert mismatches(single, facts.FUND) == []


def test_a_funds_percents_are_whole_numbers(wire):
    """An over-encumbrance limit configured as "10.00" reads back as 10, as Alma gives it."""
    service = wire.service
    fund = next(f for f in service.world.institution("01TRLC_HVU").funds.values() if f.overencumbrance_allowed)
    body = get_json(wire, f"/acq/funds/{fund.id}")
    assert body["overencumbrance_limit_percent"] == int(fund.overencumbrance_limit_percent)
    assert isinstance(body["overencumbrance_limit_percent"], int)


def test_every_vendor_and_account_has_the_vendor_fields_and_types(wire):
    vendors = get_json(wire, "/acq/vendors?limit=100")["vendor"]
    assert vendors
    for listed in vendors:
        vendor = get_json(wire, f"/acq/vendors/{listed['code']}")
        assert mismatches(vendor, facts.VENDOR) == [], vendor["code"]
        assert vendor["account"], vendor["code"]
        for account in vendor["account"]:
            assert mismatches(account, facts.VENDOR_ACCOUNT) == [], account["code"]
            assert account["payment_method"][0] == {"value": "ACCOUNTINGDEPARTMENT", "desc": "Accounting Department"}


# ---------------------------------------------------------------- invoices --------------------------------------


def test_an_invoice_and_its_lines_carry_the_fields_real_ones_share(wire):
    """Amounts are JSON numbers (25, 54.1), an invoice line's fund share carries percent and a bare amount, and
    the workflow status is a code until the invoice is closed, then {} (facts.INVOICE)."""
    number = order(wire, po_line())["number"]
    created = wire("POST", f"{ALMA}/acq/invoices", json_body={
        "number": "CONF-1", "invoice_date": "2026-09-10", "vendor": {"value": "GOBI"}, "total_amount": 25,
        "currency": {"value": "USD"}}, headers={"accept": "application/json"})
    invoice_id = json.loads(created.body)["id"]
    added = wire("POST", f"{ALMA}/acq/invoices/{invoice_id}/lines", json_body={"po_line": number, "price": 25},
                 headers={"accept": "application/json"})
    assert added.status == 200, added.body
    invoice = get_json(wire, f"/acq/invoices/{invoice_id}")
    assert mismatches(invoice, facts.INVOICE) == []
    line = invoice["invoice_lines"]["invoice_line"][0]
    assert mismatches(line, facts.INVOICE_LINE) == []
    assert invoice["total_amount"] == 25 and isinstance(invoice["total_amount"], int)
    for field_name in ("invoice_status", "invoice_workflow_status", "invoice_approval_status", "creation_form"):
        if invoice[field_name]:
            assert invoice[field_name]["value"] in facts.INVOICE_CODES[field_name] + ("API",), field_name
    assert line["status"]["value"] in facts.INVOICE_CODES["invoice_line_status"]
    for op in ("process_invoice", "paid"):
        assert wire("POST", f"{ALMA}/acq/invoices/{invoice_id}?op={op}").status == 200
    closed = get_json(wire, f"/acq/invoices/{invoice_id}")
    assert closed["invoice_workflow_status"] == {} and closed["invoice_status"]["value"] == "CLOSED"
    assert closed["payment"]["payment_status"]["value"] in facts.INVOICE_CODES["payment_status"]
    assert get_json(wire, f"/acq/po-lines/{number}")["status"]["value"] == "SENT"  # paid, not yet received
    assert facts.INVOICE_CLOSES_SENT_LINES


# ---------------------------------------------------------------- PO line types ---------------------------------


def test_the_default_table_carries_classic_and_consolidated_codes_with_their_exact_labels():
    inst = load_world().institution("01TRLC_HVU")
    for code, (label, inventory, continuity) in {**facts.CLASSIC_PO_LINE_TYPES,
                                                 **facts.CONSOLIDATED_PO_LINE_TYPES}.items():
        line_type = inst.po_line_types[code]
        assert (line_type.label, line_type.inventory, line_type.continuity) == (
            label, Inventory(inventory), Continuity(continuity)), code


@pytest.fixture
def consolidated() -> Wire:
    """A world whose institution (Harbour Point College) has the consolidated PO line types only."""
    return Wire(AlmaService(load_world(CONSOLIDATED_WORLD)))


def _hpc_order(**changes) -> dict:
    return po_line(owner={"value": "MAIN"}, vendor={"value": "GOBI"}, vendor_account="GOBI-HPC",
                   fund_distribution=[{"fund_code": {"value": "BOOKS"}, "amount": {"sum": "25.00", "currency": {"value": "USD"}}}],
                   **changes)


def test_an_institution_with_consolidated_types_orders_print_with_print_ot(consolidated):
    number = order(consolidated, _hpc_order(type={"value": "PRINT_OT"}), key=HPC_KEY)["number"]
    line = get_json(consolidated, f"/acq/po-lines/{number}", key=HPC_KEY)
    assert line["type"] == {"value": "PRINT_OT", "desc": "Physical - One Time"}
    assert mismatches(line, facts.PO_LINE) == []
    assert line["material_type"] == {"value": "", "desc": ""}  # as SLSP3's PRINT_OT line: none sent, none shown
    # physical, one-time: a holding and an item on order, like a classic print book line
    location = line["location"][0]
    assert location["holding"] and len(location["copy"]) == 1
    assert line["status"]["value"] in ("READY", "SENT")
    types = get_json(consolidated, "/conf/code-tables/PurchaseType", key=HPC_KEY)["row"]
    assert [row["code"] for row in types] == list(load_world(CONSOLIDATED_WORLD).institution("01TEST_HPC").po_line_types)


def test_a_consolidated_electronic_type_orders_electronic_inventory(consolidated):
    body = _hpc_order(type={"value": "ELECTRONIC_TITLE_OT"}, location=[], access_model={"value": "1U"})
    line = get_json(consolidated, f"/acq/po-lines/{order(consolidated, body, key=HPC_KEY)['number']}", key=HPC_KEY)
    assert line["location"] == []
    assert line["portfolios"]["total_record_count"] == 1


def test_a_classic_code_is_refused_where_only_consolidated_ones_are_enabled_and_the_error_names_them(consolidated):
    answer = consolidated("POST", f"{ALMA}/acq/po-lines", key=HPC_KEY, json_body=_hpc_order(),
                          headers={"accept": "application/json"})
    assert answer.status == 400
    message = json.loads(answer.body)["errorList"]["error"][0]["errorMessage"]
    assert "'PRINTED_BOOK_OT' is not enabled in Harbour Point College" in message
    assert "Enabled types are: [PRINT_OT, PRINT_CO, PRINT_SO, ELECTRONIC_TITLE_OT," in message


def test_the_xml_twins_carry_the_same_fields(wire):
    """In XML every leaf is text, so only presence is checked: each shared field is an element of the object
    (a list as its plural wrapper, as Alma's XML has it)."""
    number = order(wire, po_line())["number"]
    fund = get_json(wire, "/acq/funds?mode=ALL&limit=1")["fund"][0]["id"]
    for path, shape in ((f"/acq/po-lines/{number}", {**facts.PO_LINE, **facts.PO_LINE_SINCE_2024}),
                        (f"/acq/funds/{fund}", facts.FUND), ("/acq/vendors/GOBI", facts.VENDOR)):
        answer = wire("GET", f"{ALMA}{path}", headers={"accept": "application/xml"})
        assert answer.status == 200, answer.body
        elements = {child.tag.rpartition("}")[2] for child in ElementTree.fromstring(answer.body)}
        wrapper = {name: codec.REPEATING.get(name, codec.plural_of(name)) for name, kind in shape.items()
                   if isinstance(kind, list)}
        assert [name for name in shape if name not in elements and wrapper.get(name) not in elements] == [], path
