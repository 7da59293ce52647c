"""ORDERING-RULES §7 — EDI: a vendor's EDIFACT INVOIC file loads as invoices, lines linked to PO lines by
RFF+LI (PO line number), else RFF+SLI (vendor reference number); an unmatched line loads unlinked with an alert
for a person; a malformed file is refused whole and nothing is half-loaded. Cancelling a line with "inform
vendor" writes the vendor an ORDCHG message (one per line, RFF+LI) that the vendor side can read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from simulator import edifact
from simulator.alma import edi, lifecycle
from simulator.alma.model import InvoiceWorkflowStatus, POLineStatus, TransactionType
from simulator.alma.seed import FIXTURES
from simulator.errors import AlmaError

from .conftest import HVU, print_draft, usd
from .rule_7_helpers import sent, trace

SAMPLE = FIXTURES / "edi" / "gobi-hvu-2026-09-17.edi"
WHEN = dt.datetime(2026, 9, 17, 6, 30)


def invoic(*lines: edifact.InvoicLine, number: str = "G-1", total: Decimal | None = None, supplier: str = "GOBI",
           **changes) -> str:
    message = edifact.InvoicMessage(number=number, date="2026-09-17", currency="USD", lines=list(lines),
                                    total=sum((l.price for l in lines), Decimal(0)) if total is None else total,
                                    **changes)
    return edifact.write_invoices([message], sender=supplier, recipient=HVU, control="1", when=WHEN)


def test_the_sample_file_loads_as_alma_loads_it(world, hvu, clock):
    """§7: fixtures/edi — the first invoice links POL-10001 by RFF+LI, is approved and closes the line; the second
    line matches nothing (RFF+SLI unknown) and waits In Review, unlinked, with alerts for a person."""
    paid, unlinked = edi.load_invoices(world, HVU, "GOBI", SAMPLE.read_text(), clock, file_name=SAMPLE.name)
    assert (paid.number, paid.creation_form, paid.workflow_status) == ("G2609170001", "EDI",
                                                                         InvoiceWorkflowStatus.READY_TO_BE_PAID)
    assert [(l.po_line, l.price) for l in paid.lines] == [("POL-10001", Decimal("95.00"))]
    assert hvu.po_lines["POL-10001"].status is POLineStatus.CLOSED
    assert hvu.purchase_orders["PO-5001"].status == "CLOSED"
    spent = [t for t in hvu.funds["EBOOKS-GEN"].transactions if t.type is TransactionType.EXPENDITURE]
    assert [(t.amount, t.po_line, t.invoice_number) for t in spent] == [(Decimal("95.00"), "POL-10001", "G2609170001")]
    assert unlinked.workflow_status is InvoiceWorkflowStatus.IN_REVIEW
    assert [(l.po_line, l.vendor_reference, l.quantity) for l in unlinked.lines] == [("", "88999001", 2)]
    assert sorted(a.code for a in unlinked.alerts) == ["LINE_WITHOUT_FUND", "NOT_LINKED_LINES"]
    assert "88999001" in " ".join(a.text for a in unlinked.alerts)


def test_lines_match_by_po_line_number_then_vendor_reference(world, hvu, clock):
    """§7: RFF+LI first (case-insensitively, FLVC), else RFF+SLI — the PO line's vendor reference number."""
    by_number = sent(world, clock, print_draft(price=usd(30)))
    by_reference = sent(world, clock, print_draft(price=usd(20), vendor_reference_number="GOBI-778899"))
    text = invoic(edifact.InvoicLine(number="1", amount=Decimal(30), po_line=by_number.number.lower()),
                  edifact.InvoicLine(number="2", amount=Decimal(20), vendor_reference="gobi-778899"),
                  edifact.InvoicLine(number="3", amount=Decimal(5), po_line="POL-99999", vendor_reference="NONE"),
                  total=Decimal(55))
    (invoice,) = edi.load_invoices(world, HVU, "GOBI", text, clock)
    assert [l.po_line for l in invoice.lines] == [by_number.number, by_reference.number, ""]
    assert invoice.lines[2].vendor_reference == "NONE"
    assert invoice.workflow_status is InvoiceWorkflowStatus.IN_REVIEW  # the unlinked line has no funds


def test_a_vendor_written_invoice_round_trips(world, hvu, clock):
    """§7: what the vendor side writes (simulator.edifact) is what Alma reads back."""
    line = sent(world, clock, print_draft(price=usd(48)))
    text = invoic(edifact.InvoicLine(number="1", quantity=2, unit_price=Decimal(24), po_line=line.number,
                                     title="A Brand New Monograph"))
    read = edifact.read(text)
    assert (read.sender, read.invoices[0].number, read.invoices[0].total) == ("GOBI", "G-1", Decimal("48.00"))
    assert read.invoices[0].lines[0].price == Decimal("48.00")
    (invoice,) = edi.load_invoices(world, HVU, "GOBI", text, clock)
    assert invoice.workflow_status is InvoiceWorkflowStatus.READY_TO_BE_PAID
    assert line.fully_invoiced and line.encumbrances == []


def test_a_continuous_order_is_invoiced_for_its_period(world, clock):
    """§7: an EDI invoice for a continuous order carries its invoicing period (DTM+194 / DTM+206)."""
    line = sent(world, clock, print_draft(type="PRINTED_JOURNAL_CO", price=usd(120)))
    text = invoic(edifact.InvoicLine(number="1", amount=Decimal(120), po_line=line.number),
                  period_start="2027-01-01", period_end="2027-12-31")
    (invoice,) = edi.load_invoices(world, HVU, "GOBI", text, clock)
    assert (invoice.lines[0].subscription_from, invoice.lines[0].subscription_to) == ("2027-01-01Z", "2027-12-31Z")


def _malformed(world) -> dict[str, str]:
    good = SAMPLE.read_text()
    line = edifact.InvoicLine(number="1", amount=Decimal(10), po_line="POL-10001")
    return {
        "empty": "",
        "not EDIFACT": "Dear library, please pay 95 dollars.",
        "truncated": good[: good.index("UNH+2")],
        "UNT count wrong": good.replace("UNT+18+2'", "UNT+17+2'"),
        "UNZ count wrong": good.replace("UNZ+2+", "UNZ+3+"),
        "amount not a number": good.replace("MOA+203:42.50", "MOA+203:42,50"),
        "no invoice date": good.replace("DTM+137:20260917:102'\n", "", 1).replace("UNT+18+1'", "UNT+17+1'"),
        "unknown currency in the 2nd invoice": good.replace("CUX+2:USD:4'\nLIN+1'\nIMD+F+050+:::Field",
                                                            "CUX+2:XYZ:4'\nLIN+1'\nIMD+F+050+:::Field"),
        "another vendor's file": invoic(line, supplier="OASIS"),
        "an invoice twice": good.replace("G2609170002", "G2609170001"),
        "continuous order without its period": "",  # filled below
    }


@pytest.mark.parametrize("case", list(_malformed(None)))
def test_malformed_edi_is_refused_whole(world, hvu, clock, case):
    """§7: a malformed file is refused whole with a clear error — nothing is half-loaded, even when the first
    invoice of the file was fine."""
    files = _malformed(world)
    if case == "continuous order without its period":
        line = sent(world, clock, print_draft(type="PRINTED_JOURNAL_CO", price=usd(120)))
        files[case] = invoic(edifact.InvoicLine(number="1", amount=Decimal(95), po_line="POL-10001"),
                             edifact.InvoicLine(number="2", amount=Decimal(120), po_line=line.number))
    before = trace(hvu)
    with pytest.raises(AlmaError) as refusal:
        edi.load_invoices(world, HVU, "GOBI", files[case], clock, file_name="gobi.edi")
    assert refusal.value.code == "402119"
    assert refusal.value.message.startswith("EDI file gobi.edi") and "refused" in refusal.value.message
    assert trace(hvu) == before


def test_a_loaded_invoice_number_cannot_load_again(world, hvu, clock):
    """§7: loading the same file twice refuses the second load whole (60288 inside the message)."""
    edi.load_invoices(world, HVU, "GOBI", SAMPLE.read_text(), clock)
    before = trace(hvu)
    with pytest.raises(AlmaError) as refusal:
        edi.load_invoices(world, HVU, "GOBI", SAMPLE.read_text(), clock)
    assert "60288" in refusal.value.message and trace(hvu) == before


def test_cancelling_with_inform_vendor_writes_one_ordchg_per_line(world, hvu, clock):
    """§7: a vendor that takes EDI cancellations gets one ORDCHG per cancelled line, RFF+LI = the PO line number,
    readable by the vendor side; without "inform vendor", or for a vendor without EDI cancellations, nothing."""
    hvu.vendors["GOBI"].edi_cancellations = True
    first, second, quiet = (sent(world, clock, print_draft(price=usd(p))) for p in (10, 20, 30))
    lifecycle.cancel(world, HVU, first.number, "ORDERED_IN_ERROR", clock, inform_vendor=True, comment="Duplicate")
    lifecycle.cancel(world, HVU, second.number, "ORDERED_IN_ERROR", clock, inform_vendor=True)
    lifecycle.cancel(world, HVU, quiet.number, "ORDERED_IN_ERROR", clock)
    oasis = sent(world, clock, print_draft(vendor="OASIS", vendor_account="OASIS-HVU"))
    lifecycle.cancel(world, HVU, oasis.number, "ORDERED_IN_ERROR", clock, inform_vendor=True)
    sent_to_gobi = edi.outbox(world, HVU, "GOBI")
    assert len(sent_to_gobi) == 2 and edi.outbox(world, HVU, "OASIS") == []
    read = [edifact.read(text) for text in sent_to_gobi]
    assert [(r.sender, r.recipient) for r in read] == [(HVU, "GOBI")] * 2
    cancellations = [c for r in read for c in r.cancellations]
    assert [c.po_line for c in cancellations] == [first.number, second.number]
    assert cancellations[0].title == first.title and "Duplicate" in cancellations[0].note
    assert cancellations[0].date == "2026-09-01" and cancellations[0].reference != cancellations[1].reference
    assert "RFF+LI:" + first.number in sent_to_gobi[0]


def test_the_sample_file_is_well_formed():
    """fixtures/edi: the hand-written sample reads cleanly (UNT and UNZ counts agree)."""
    read = edifact.read(Path(SAMPLE).read_text())
    assert [i.number for i in read.invoices] == ["G2609170001", "G2609170002"]
    assert read.invoices[0].lines[0].title == "Digital humanities: an introduction"
