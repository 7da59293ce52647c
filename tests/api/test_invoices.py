"""Invoices, fund transactions, scan-in and EDI on the HTTP face (ORDERING-RULES §7): Alma's routes and refusal
codes, JSON and XML, read as a vendor reads them through AlmaClient (and the wire for XML)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from alma_requests import Wire, po_line

from simulator.api import codec
from simulator.api.service import AlmaService
from simulator.backends import make_backend
from simulator.errors import AlmaError, HarnessError

EDI_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "edi" / "gobi-hvu-2026-09-17.edi"


@pytest.fixture
def alma():
    return make_backend("inprocess", service=AlmaService())


def header(**changes) -> dict:
    body = {"number": "GOBI-2026-001", "invoice_date": "2026-09-10", "vendor": {"value": "GOBI"},
            "total_amount": 25, "currency": {"value": "USD"}}
    body.update(changes)
    return body


def state_of(alma) -> dict:
    """What a refused invoice call must leave untouched: the institution's whole state (invoices, funds with their
    transactions, the id sequences, PO lines, the EDI outbox …)."""
    return alma.institution_state()


def refusal_code(call) -> str:
    with pytest.raises(AlmaError) as refused:
        call()
    return refused.value.code


def test_an_invoice_by_api_pays_a_po_line_and_closes_it_once_received(alma):
    line = alma.create_po_line(po_line())
    number = line["number"]
    invoice = alma.create_invoice(header())
    assert invoice["invoice_workflow_status"]["value"] == "InReview" and invoice["total_amount"] == 25
    assert invoice["creation_form"]["value"] == "API" and invoice["invoice_status"]["value"] == "ACTIVE"
    added = alma.add_invoice_line(invoice["id"], {"po_line": number, "price": 25, "quantity": 1})
    assert added["fund_distribution"][0]["fund_code"]["value"] == "HIST-MONO"
    assert added["fund_distribution"][0]["percent"] == 100.0 and added["price"] == 25
    processed = alma.invoice_operation(invoice["id"], "process_invoice")
    assert processed["invoice_workflow_status"]["value"] == "Waiting to be Sent"
    assert processed["invoice_approval_status"]["value"] == "APPROVED"
    assert alma.get_po_line(number)["status"]["value"] == "SENT"  # invoiced, not yet received
    alma.receive_item(number, alma.po_line_item_pids(number)[0])
    assert alma.get_po_line(number)["status"]["value"] == "CLOSED"
    po = alma.purchase_order(line["po_number"])
    assert po["status"]["value"] == "CLOSED" and po["po_line"] == [{"number": number,
                                                                    "status": {"value": "CLOSED", "desc": "Closed"}}]
    paid = alma.invoice_operation(invoice["id"], "paid")
    assert paid["invoice_status"]["value"] == "CLOSED" and paid["payment"]["payment_status"]["value"] == "PAID"
    assert paid["invoice_workflow_status"] == {}
    assert [i["number"] for i in alma.vendor_invoices("GOBI")["invoice"]] == ["GOBI-2026-001"]
    assert alma.invoices(q=f"po_line~{number}")["total_record_count"] == 1
    assert alma.invoice_lines(invoice["id"])["invoice_line"][0]["po_line"] == number


def test_fund_transactions_agree_with_the_funds_balances(alma):
    before = alma.fund("HIST-MONO")
    line = alma.create_po_line(po_line())
    invoice = alma.create_invoice(header(number="GOBI-2026-002"))
    alma.add_invoice_line(invoice["id"], {"po_line": line["number"], "price": 25})
    alma.invoice_operation(invoice["id"], "process_invoice")
    fund = alma.fund("HIST-MONO")
    assert Decimal(str(fund["expended_balance"])) == Decimal(str(before["expended_balance"])) + 25
    every = alma.fund_transactions("HIST-MONO", limit=100)
    assert every["total_record_count"] == len(every["fund_transaction"])
    sums: dict[str, Decimal] = {}
    for t in every["fund_transaction"]:
        sums[t["type"]["value"]] = sums.get(t["type"]["value"], Decimal(0)) + Decimal(str(t["amount"]["sum"]))
    assert sums.get("EXPENDITURE", Decimal(0)) == Decimal(str(fund["expended_balance"]))
    assert sums.get("ENCUMBRANCE", Decimal(0)) - sums.get("DISENCUMBRANCE", Decimal(0)) == \
        Decimal(str(fund["encumbered_balance"]))
    assert sums.get("ALLOCATION", Decimal(0)) + sums.get("TRANSFER", Decimal(0)) == \
        Decimal(str(fund["allocated_balance"]))
    spent = alma.fund_transactions("HIST-MONO", filter="EXPENDITURE")["fund_transaction"]
    assert {t["type"]["value"] for t in spent} == {"EXPENDITURE"}
    by_line = alma.fund_transactions("HIST-MONO", q=f"po_line~{line['number']}")["fund_transaction"]
    assert [t["type"]["value"] for t in by_line] == ["ENCUMBRANCE", "EXPENDITURE", "DISENCUMBRANCE"]
    by_invoice = alma.fund_transactions("HIST-MONO", q="invoice_number~GOBI-2026-002")["fund_transaction"]
    assert len(by_invoice) == 2
    assert alma.fund_transactions("HIST-MONO", q="amount~25", filter="EXPENDITURE")["total_record_count"] >= 1


@pytest.mark.parametrize(("case", "changes", "code"), [
    ("no number", {"number": ""}, "60233"),
    ("no date", {"invoice_date": ""}, "60234"),
    ("not a date", {"invoice_date": "10/09/2026"}, "60234"),
    ("no total", {"total_amount": None}, "60235"),
    ("unknown currency", {"currency": {"value": "XYZ"}}, "60236"),
    ("unknown account", {"vendor_account": "NOPE"}, "60237"),
    ("unknown vendor", {"vendor": {"value": "NOPE"}}, "4028805"),
])
def test_header_refusals_leave_no_trace(alma, case, changes, code):
    before = state_of(alma)
    assert refusal_code(lambda: alma.create_invoice(header(**changes))) == code
    assert state_of(alma) == before


def test_an_invoice_number_is_unique_per_vendor(alma):
    alma.create_invoice(header())
    before = state_of(alma)
    assert refusal_code(lambda: alma.create_invoice(header(number="gobi-2026-001"))) == "60288"
    assert state_of(alma) == before


def test_line_refusals_leave_no_trace(alma):
    cancelled = alma.create_po_line(po_line())["number"]
    alma.cancel_po_line(cancelled, "ORDERED_IN_ERROR")
    journal = alma.create_po_line(po_line(type={"value": "PRINTED_JOURNAL_CO"}))["number"]
    invoice = alma.create_invoice(header())
    before = state_of(alma)
    assert refusal_code(lambda: alma.add_invoice_line(invoice["id"], {"type": {"value": "GIFT"}, "price": 1})) \
        == "60247"
    assert refusal_code(lambda: alma.add_invoice_line(invoice["id"], {"po_line": cancelled, "price": 1})) == "60248"
    assert refusal_code(lambda: alma.add_invoice_line(invoice["id"], {"po_line": "POL-0", "price": 1})) == "60248"
    assert refusal_code(lambda: alma.add_invoice_line(invoice["id"], {"po_line": journal, "price": 1})) == "60249"
    assert state_of(alma) == before
    dated = alma.add_invoice_line(invoice["id"], {"po_line": journal, "price": 25,
                                                  "subscription_from_date": "2026-01-01",
                                                  "subscription_to_date": "2026-12-31"})
    assert dated["subscription_from_date"] == "2026-01-01Z"


def test_unknown_invoice_and_workflow_refusals(alma):
    assert refusal_code(lambda: alma.invoice("18999")) == "412400"
    assert refusal_code(lambda: alma.invoice_lines("18999")) == "412400"
    assert refusal_code(lambda: alma.invoice_operation("18999", "paid")) == "412400"
    invoice = alma.create_invoice(header())
    before = state_of(alma)
    assert refusal_code(lambda: alma.invoice_operation(invoice["id"], "pay")) == "40166410"
    assert refusal_code(lambda: alma.invoice_operation(invoice["id"], "rejected")) == "60268"
    assert refusal_code(lambda: alma.invoice_operation(invoice["id"], "paid")) == "60267"
    assert state_of(alma) == before


def test_updates_only_while_in_review(alma):
    line = alma.create_po_line(po_line())
    invoice = alma.create_invoice(header())
    added = alma.add_invoice_line(invoice["id"], {"po_line": line["number"], "price": 20})
    changed = alma.update_invoice_line(invoice["id"], added["id"], {"po_line": line["number"], "price": 25})
    assert changed["price"] == 25 and changed["number"] == added["number"]
    assert alma.update_invoice(invoice["id"], header(reference_number="R-1"))["reference_number"] == "R-1"
    alma.invoice_operation(invoice["id"], "process_invoice")
    assert refusal_code(lambda: alma.update_invoice(invoice["id"], header())) == "60291"
    assert refusal_code(lambda: alma.update_invoice_line(invoice["id"], added["id"], {"price": 1})) == "60286"
    assert refusal_code(lambda: alma.invoice_line(invoice["id"], "19999")) == "60284"


def test_a_rejected_invoice_goes_back_to_review_with_its_note(alma):
    line = alma.create_po_line(po_line())
    invoice = alma.create_invoice(header())
    alma.add_invoice_line(invoice["id"], {"po_line": line["number"], "price": 25})
    alma.invoice_operation(invoice["id"], "process_invoice")
    alma.invoice_operation(invoice["id"], "mark_in_erp")
    rejected = alma.invoice_operation(invoice["id"], "rejected", note="Duplicate of a paid invoice")
    assert rejected["invoice_workflow_status"]["value"] == "InReview"
    assert "Duplicate of a paid invoice" in [n["content"] for n in rejected["note"]]


def test_invoices_speak_xml_too():
    service = AlmaService()
    wire = Wire(service)
    xml = (b'<invoice><number>X-1</number><invoice_date>2026-09-10</invoice_date><vendor>GOBI</vendor>'
           b'<total_amount>12.5</total_amount><currency>USD</currency></invoice>')
    answer = wire("POST", "/almaws/v1/acq/invoices", body=xml,
                  headers={"content-type": "application/xml", "accept": "application/xml"})
    assert answer.status == 200, answer.body
    root, data = codec.from_xml(answer.body)
    assert root == "invoice" and data["number"] == "X-1" and data["total_amount"] == "12.5"
    refused = wire("POST", "/almaws/v1/acq/invoices", body=xml, headers={"content-type": "application/xml",
                                                                          "accept": "application/xml"})
    assert codec.parse_error_body(refused.body)[0][0] == "60288"
    listed = wire("GET", "/almaws/v1/acq/invoices", headers={"accept": "application/xml"})
    assert b"<invoices" in listed.body and b"X-1" in listed.body


def test_a_shelf_ready_item_is_received_by_scanning_it_in(alma):
    line = alma.create_po_line(po_line())
    pid = alma.po_line_item_pids(line["number"])[0]
    bib = line["resource_metadata"]["mms_id"]["value"]
    holding = alma.holdings(bib)["holding"][0]["holding_id"]
    scanned = alma.scan_in_item(bib, holding, pid)
    assert scanned["item_data"]["arrival_date"] and scanned["item_data"]["process_type"]["value"] != "ACQ"
    copy = alma.get_po_line(line["number"])["location"][0]["copy"][0]
    assert copy["pid"] == pid and copy["receive_date"]
    assert refusal_code(lambda: alma.scan_in_item(bib, holding, "23999")) == "401689"


def test_an_edi_file_loads_through_the_admin_api_and_a_malformed_one_is_refused_whole(alma):
    before = state_of(alma)
    broken = EDI_FILE.read_text("utf-8").replace("UNT+18+1'", "UNT+99+1'")
    with pytest.raises(HarnessError, match="nothing loaded"):
        alma.send_edi_file(broken, name="broken.edi")
    assert state_of(alma) == before
    loaded = alma.send_edi_file(EDI_FILE.read_text("utf-8"), name=EDI_FILE.name)
    assert loaded["vendor"] == "GOBI"
    assert [(i["number"], i["status"]) for i in loaded["invoices"]] == [
        ("G2609170001", "Waiting to be Sent"), ("G2609170002", "InReview")]
    assert loaded["invoices"][0]["lines"][0]["po_line"] == "POL-10001"
    assert alma.get_po_line("POL-10001")["status"]["value"] == "CLOSED"
    edi = alma.invoices(creation_form="EDI")
    assert edi["total_record_count"] == 2


def test_cancelling_with_inform_vendor_writes_the_vendor_an_ordchg(alma):
    from simulator import edifact
    line = alma.create_po_line(po_line())
    alma.cancel_po_line(line["number"], "ORDERED_IN_ERROR", inform_vendor=True)
    messages = alma.edi_outbox("GOBI")
    assert len(messages) == 1
    read = edifact.read(messages[0])
    assert [c.po_line for c in read.cancellations] == [line["number"]]


def test_an_allocation_and_a_transfer_are_fund_transactions(alma):
    before = alma.fund("HIST-MONO")
    posted = alma.add_fund_transaction("HIST-MONO", "ALLOCATION", "1000.00", note="Rehearsal budget")
    assert posted["type"]["value"] == "ALLOCATION" and posted["amount"]["sum"] == 1000
    after = alma.fund("HIST-MONO")
    assert after["allocated_balance"] == before["allocated_balance"] + 1000
    assert refusal_code(lambda: alma.add_fund_transaction("HIST-MONO", "EXPENDITURE", "1")) == "4018842"
    assert refusal_code(lambda: alma.add_fund_transaction("HIST-MONO", "TRANSFER", "1")) == "4018845"
    assert alma.fund_transactions("HIST-MONO", filter="ALLOCATION")["fund_transaction"][-1]["note"] == \
        "Rehearsal budget"


def test_the_receiving_desk_scans_a_shelf_ready_barcode(alma):
    line = alma.create_po_line(po_line())
    barcode = alma.po_line_items(line["number"])["item"][0]["item_data"]["barcode"]
    assert barcode
    scanned = alma.receive_by_barcode(barcode)
    assert scanned["item_data"]["barcode"] == barcode and scanned["item_data"]["arrival_date"]
    assert refusal_code(lambda: alma.receive_by_barcode("NO-SUCH-BARCODE")) == "401877"
