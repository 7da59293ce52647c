"""ORDERING-RULES §7 — fund transactions: every fund keeps its transactions (ALLOCATION, ENCUMBRANCE,
DISENCUMBRANCE, EXPENDITURE, TRANSFER) with amount, PO line, invoice number and date; they are read by type and
searched by amount, PO line or invoice number; and every balance of the fund is the sum of its transactions,
whatever orders, cancellations and invoices happened (a property test)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.alma import funds, invoices, lifecycle, ordering, snapshot
from simulator.alma.invoices import InvoiceLineDraft
from simulator.alma.model import Fund, FundShare, TransactionType
from simulator.alma.seed import load_world
from simulator.clock import FixedClock
from simulator.errors import AlmaError, HarnessError

from .conftest import HVU, print_draft, usd
from .rule_7_helpers import header, invoice_for, sent


def test_seeded_balances_are_opening_transactions(hvu):
    """§7 [decision]: a fund's configured balances open its transaction list, one transaction each."""
    fund = hvu.funds["ENGL-MONO"]
    assert [(t.type, t.amount, t.note) for t in fund.transactions] == [
        (TransactionType.ALLOCATION, Decimal("4000.00"), "Opening balance"),
        (TransactionType.ENCUMBRANCE, Decimal("615.40"), "Opening balance")]
    assert (fund.allocated, fund.encumbered, fund.expended) == (Decimal("4000.00"), Decimal("615.40"), 0)


def test_ordering_and_cancelling_are_transactions(world, hvu, clock, order):
    """§7: an order's encumbrance and a cancellation's release are transactions naming the PO line, dated."""
    line = order(print_draft(price=usd(70)))
    clock.advance(days=2)
    lifecycle.cancel(world, HVU, line.number, "ORDERED_IN_ERROR", clock)
    mine = funds.fund_transactions(world, HVU, "HIST-MONO", field_name="po_line", value=line.number)
    assert [(t.type, t.amount, t.date) for t in mine] == [
        (TransactionType.ENCUMBRANCE, Decimal("70.00"), "2026-09-01Z"),
        (TransactionType.DISENCUMBRANCE, Decimal("70.00"), "2026-09-03Z")]


def test_an_update_re_encumbers_through_transactions(world, hvu, clock, order):
    line = order(print_draft(price=usd(40)))
    lifecycle.update(world, HVU, line.number, print_draft(price=usd(60)), clock)
    mine = funds.fund_transactions(world, HVU, "HIST-MONO", field_name="po_line", value=line.number)
    assert [(t.type, t.amount) for t in mine] == [(TransactionType.ENCUMBRANCE, Decimal("40.00")),
                                                  (TransactionType.DISENCUMBRANCE, Decimal("40.00")),
                                                  (TransactionType.ENCUMBRANCE, Decimal("60.00"))]


def test_reading_by_type_and_searching(world, hvu, clock):
    """§7: `filter` by type (ALL by default), `q` by amount, po_line or invoice_number; a fund by id or code."""
    line = sent(world, clock, print_draft(price=usd(50)))
    invoice_for(world, clock, [line], number="INV-77")
    fund = hvu.funds["HIST-MONO"]
    assert funds.fund_transactions(world, HVU, fund.id) == fund.transactions
    spent = funds.fund_transactions(world, HVU, "HIST-MONO", kind="expenditure")
    assert [(t.amount, t.po_line, t.invoice_number) for t in spent] == [(Decimal("50.00"), line.number, "INV-77")]
    by_invoice = funds.fund_transactions(world, HVU, "HIST-MONO", field_name="invoice_number", value="inv-77")
    assert {t.type for t in by_invoice} == {TransactionType.EXPENDITURE, TransactionType.DISENCUMBRANCE}
    by_amount = funds.fund_transactions(world, HVU, "HIST-MONO", field_name="amount", value="50")
    assert len(by_amount) == 3  # encumbered, expended, released


@pytest.mark.parametrize(("fund", "kwargs", "code"), [
    ("NOPE", {}, "401873"),
    ("HIST-MONO", {"kind": "REFUND"}, "40166404"),
    ("HIST-MONO", {"field_name": "vendor", "value": "GOBI"}, "60106"),
    ("HIST-MONO", {"field_name": "amount", "value": "lots"}, "60106"),
])
def test_transaction_query_refusals(world, fund, kwargs, code):
    with pytest.raises(AlmaError) as refusal:
        funds.fund_transactions(world, HVU, fund, **kwargs)
    assert refusal.value.code == code


def _consistent(fund: Fund) -> None:
    sums = {kind: sum((t.amount for t in fund.transactions if t.type is kind), Decimal(0)) for kind in TransactionType}
    assert fund.allocated == sums[TransactionType.ALLOCATION] + sums[TransactionType.TRANSFER]
    assert fund.encumbered == sums[TransactionType.ENCUMBRANCE] - sums[TransactionType.DISENCUMBRANCE]
    assert fund.expended == sums[TransactionType.EXPENDITURE]
    assert fund.available == fund.allocated - fund.encumbered - fund.expended


STEPS = st.lists(st.one_of(
    st.tuples(st.just("order"), st.integers(1, 300), st.sampled_from(["HIST-MONO", "ENGL-MONO", "SCI-EBOOK",
                                                                       "BRIT-HIST", "SPLIT"])),
    st.tuples(st.just("cancel"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("invoice"), st.integers(0, 20), st.sampled_from(["exact", "more", "less", "partial"])),
    st.tuples(st.just("receive"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("reject"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("transfer"), st.integers(1, 400), st.sampled_from(["ENGL-MONO", "BRIT-HIST", "SERIALS"])),
), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS)
def test_every_balance_agrees_with_its_transactions(steps):
    """§7 (property): after any sequence of orders, cancellations, receipts, invoices, ERP rejections and
    transfers, each fund's allocated, encumbered, expended and available balances are the sums of its
    transactions, and what
    the open PO lines hold is what the funds' transactions say they hold."""
    world, clock = load_world(), FixedClock()
    hvu = world.institution(HVU)
    opening = {code: sum((t.amount for t in fund.transactions if not t.po_line), Decimal(0))
               - fund.allocated - fund.expended for code, fund in hvu.funds.items()}  # the seed's opening encumbrance
    lines, paid = [], []
    for kind, number, detail in steps:
        try:
            if kind == "order":
                shares = ([FundShare(fund="HIST-MONO", percent=Decimal(70)),
                           FundShare(fund="ENGL-MONO", percent=Decimal(30))] if detail == "SPLIT"
                          else [FundShare(fund=detail)])
                lines.append(sent(world, clock, print_draft(price=usd(number), funds=shares)))
            elif kind == "cancel" and lines:
                lifecycle.cancel(world, HVU, lines[number % len(lines)].number, "ORDERED_IN_ERROR", clock,
                                 override=True)
            elif kind == "receive" and lines:
                lifecycle.receive(world, HVU, lines[number % len(lines)].number, clock,
                                  item_id=lines[number % len(lines)].draft.locations[0].item_ids[0])
            elif kind == "invoice" and lines:
                line = lines[number % len(lines)]
                price = line.net_price.amount + {"exact": 0, "more": 7, "less": -3, "partial": -10}[detail]
                invoice = invoice_for(world, clock, [line], number=f"INV-{len(hvu.invoices)}", total=price,
                                      process=False, fully_invoiced=detail != "partial")
                invoices.update_invoice_line(world, HVU, invoice.id, invoice.lines[0].id, InvoiceLineDraft(
                    po_line=line.number, price=price, fully_invoiced=detail != "partial"), clock)
                invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)
                if invoice.approval_status == "APPROVED":
                    invoices.invoice_operation(world, HVU, invoice.id, "mark_in_erp", clock)
                    paid.append(invoice)
            elif kind == "transfer":
                funds.add_fund_transaction(world, HVU, "HIST-MONO", "TRANSFER", Decimal(number), clock,
                                           related_fund=detail)
            elif kind == "reject" and paid:
                invoice = paid.pop(number % len(paid))
                invoices.invoice_operation(world, HVU, invoice.id, "rejected", clock, note="Rejected by the ERP")
        except AlmaError:
            pass  # a refusal (a cancelled line, a fund that cannot cover) is part of the game: it changes nothing
        for fund in hvu.funds.values():
            _consistent(fund)
        held: dict[str, Decimal] = {}
        for line in hvu.po_lines.values():
            for enc in line.encumbrances:
                held[enc.fund] = held.get(enc.fund, Decimal(0)) + enc.amount
        for code, fund in hvu.funds.items():
            assert fund.encumbered - opening[code] == held.get(code, Decimal(0)), code


def test_a_snapshot_round_trips_invoices_transactions_and_the_outbox(world, hvu, clock):
    """§7: the snapshot carries invoices, their postings, fund transactions (balances are recounted from them, not
    stored) and the EDI outbox; export → import → export is identical."""
    hvu.vendors["GOBI"].edi_cancellations = True
    line = sent(world, clock, print_draft(price=usd(50)))
    invoice_for(world, clock, [line])
    other = sent(world, clock, print_draft(price=usd(20)))
    lifecycle.cancel(world, HVU, other.number, "ORDERED_IN_ERROR", clock, inform_vendor=True)
    data = json.loads(json.dumps(snapshot.dump(world)))
    stored = data["institutions"][HVU]["funds"]["HIST-MONO"]
    assert "encumbered" not in stored and stored["transactions"]
    again = snapshot.load(data)
    assert snapshot.dump(again) == data
    copy = again.institution(HVU)
    assert copy.funds["HIST-MONO"].encumbered == hvu.funds["HIST-MONO"].encumbered
    assert copy.funds["HIST-MONO"].expended == hvu.funds["HIST-MONO"].expended
    assert copy.invoices == hvu.invoices and copy.edi_outbox == hvu.edi_outbox
    assert copy.edi_references.next == hvu.edi_references.next


def test_a_snapshot_cannot_carry_balances_its_transactions_deny(world):
    """§7: balances written into a snapshot by hand are ignored: the transactions decide."""
    data = json.loads(json.dumps(snapshot.dump(world)))
    data["institutions"][HVU]["funds"]["HIST-MONO"]["encumbered"] = "999.00"
    assert snapshot.load(data).institution(HVU).funds["HIST-MONO"].encumbered == 0
    data["institutions"][HVU]["funds"]["HIST-MONO"]["transactions"][0]["type"] = "REFUND"
    with pytest.raises(HarnessError):
        snapshot.load(data)


def test_the_invoice_total_shares_out_exactly(world, hvu, clock):
    """§7: a line split 1/3 each over three funds expends exactly the line's amount (the last share takes the cent)."""
    line = sent(world, clock, print_draft(price=usd(100)))
    invoice = invoices.create_invoice(world, HVU, header(total_amount=Decimal(100)), clock)
    third = Decimal("33.33")
    invoices.add_invoice_line(world, HVU, invoice.id, InvoiceLineDraft(
        po_line=line.number, price=Decimal(100), funds=[FundShare(fund="HIST-MONO", percent=third),
                                                        FundShare(fund="ENGL-MONO", percent=third),
                                                        FundShare(fund="SERIALS", percent=Decimal(100) - 2 * third)]),
        clock)
    invoices.invoice_operation(world, HVU, invoice.id, "process_invoice", clock)
    spent = [t.amount for code in ("HIST-MONO", "ENGL-MONO", "SERIALS")
             for t in hvu.funds[code].transactions if t.type is TransactionType.EXPENDITURE]
    assert sum(spent) == Decimal(100) and spent == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert ordering  # the engine module the steps use


def test_allocations_and_transfers_are_transactions(world, hvu, clock):
    """§7: POST /acq/funds/{id}/transactions makes an ALLOCATION or a TRANSFER [decision: the path's fund gives,
    the related fund receives, converted at the institution's rates]."""
    hist, brit = hvu.funds["HIST-MONO"], hvu.funds["BRIT-HIST"]
    funds.add_fund_transaction(world, HVU, "HIST-MONO", "allocation", Decimal(500), clock)
    assert hist.allocated == Decimal("5500.00")
    out, into = funds.add_fund_transaction(world, HVU, hist.id, "TRANSFER", Decimal("127.00"), clock,
                                           related_fund="BRIT-HIST")
    assert (out.amount, out.related_fund, into.amount, into.related_fund) == (Decimal("-127.00"), "BRIT-HIST",
                                                                              Decimal("100.00"), "HIST-MONO")
    assert (hist.allocated, brit.allocated) == (Decimal("5373.00"), Decimal("2100.00"))
    assert funds.fund_transactions(world, HVU, "BRIT-HIST", kind="TRANSFER") == [into]
    _consistent(hist)
    _consistent(brit)


@pytest.mark.parametrize(("fund", "kind", "amount", "related", "code"), [
    ("HIST-MONO", "", Decimal(1), "", "4018841"),
    ("HIST-MONO", "EXPENDITURE", Decimal(1), "", "4018842"),
    ("HIST-MONO", "ALLOCATION", None, "", "4018843"),
    ("HIST-MONO", "TRANSFER", Decimal(1), "", "4018845"),
    ("HIST-MONO", "TRANSFER", Decimal(1), "NOPE", "4018846"),
    ("HIST-MONO", "TRANSFER", Decimal(1), "HIST-MONO-FY26", "4018847"),
    ("HIST-MONO", "TRANSFER", Decimal(1), "MUSIC-MONO", "4018848"),
    ("HUMANITIES", "ALLOCATION", Decimal(1), "", "4018851"),
    ("ART-MONO", "TRANSFER", Decimal(41), "HIST-MONO", "402119"),
    ("NOPE", "ALLOCATION", Decimal(1), "", "401873"),
])
def test_fund_transaction_refusals_leave_no_trace(world, hvu, clock, fund, kind, amount, related, code):
    before = {c: list(f.transactions) for c, f in hvu.funds.items()}
    with pytest.raises(AlmaError) as refusal:
        funds.add_fund_transaction(world, HVU, fund, kind, amount, clock, related_fund=related)
    assert refusal.value.code == code
    assert {c: list(f.transactions) for c, f in hvu.funds.items()} == before
