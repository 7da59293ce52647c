"""Steps about the order's life after it is placed: the vendor's invoice (through the API or an EDI file),
paying it, closing the PO line, and the fund's life from encumbered to spent.

The vendor's side bills with `simulator.vendors.invoicing` (what a real cart does); the library's side and every
check read through AlmaClient, so each step works on every backend. The invoice vocabulary (workflow statuses,
why an invoice waits, why Alma refuses one) is this module's own table, in the librarian's words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pytest_bdd import given, parsers, then, when

from simulator.testing.steps._alma import attempt, current_line, portfolios_of, snapshot
from simulator.testing.steps._cart import vendor_for
from simulator.testing.steps._types import Outcome, _choice
from simulator.testing.steps.institution import institution_of
from simulator import edifact
from simulator.errors import AlmaError, HarnessError
from simulator.vendors.invoicing import Shipped, bill

# Alma's invoice workflow statuses, by the labels of the librarian's screens.
INVOICE_STATUSES = {"In Review": "InReview", "Ready to be paid": "Waiting to be Sent",
                    "Waiting for Payment": "Waiting for Payment", "Closed": "Closed"}
# Why an invoice waits In Review: the alert Alma puts on it.
INVOICE_REASONS = {"a line is not linked to a PO line": "NOT_LINKED_LINES",
                   "a line has no fund": "LINE_WITHOUT_FUND",
                   "the lines do not add up to the invoice total": "TOTAL_MISMATCH"}
# Why Alma refuses an invoice call: its error codes.
INVOICE_REFUSALS = {"the invoice number is missing": "60233", "the invoice number is not unique": "60288",
                    "the invoice date is missing": "60234", "a rejection needs a note": "60268",
                    "the PO line cannot be invoiced": "60248"}


TYPES = {"InvoiceStatus": _choice(INVOICE_STATUSES, "invoice status"),
         "InvoiceReason": _choice(INVOICE_REASONS, "invoice reason"),
         "InvoiceRefusal": _choice(INVOICE_REFUSALS, "invoice refusal")}


def _vendor(request, po_line: dict):
    return vendor_for(po_line["vendor"]["value"], institution_of(request))


def _shipped(po_line: dict, *, reference: str | None = None, po_line_number: str | None = None) -> Shipped:
    net = po_line["net_price"]
    return Shipped(po_line=po_line["number"] if po_line_number is None else po_line_number,
                   vendor_reference=po_line.get("vendor_reference_number", "") if reference is None else reference,
                   title=po_line["resource_metadata"]["title"], quantity=1, amount=Decimal(net["sum"]),
                   currency=net["currency"]["value"])


def _invoice_date(po_line: dict) -> str:
    return str(po_line.get("created_date") or "2026-09-01Z").rstrip("Z")


# ---------------------------------------------------------------- the library's side before the invoice ------------


@given("the PO line's items have arrived and are received")
@when("the PO line's items arrive and are received")
def items_received(alma, outcome):
    number = outcome.po_line["number"]
    for pid in alma.po_line_item_pids(number):
        alma.receive_item(number, pid)


@given("the PO line's portfolio has been activated")
@when("the PO line's portfolio is activated")
def portfolio_activated(alma, outcome):
    for portfolio in portfolios_of(current_line(alma, outcome)):
        alma.activate_portfolio(portfolio)


# ---------------------------------------------------------------- the vendor's invoice ---------------------------


def _bill(alma, request, outcome: Outcome, how: str, **shipped) -> Outcome:
    line = current_line(alma, outcome)
    vendor = _vendor(request, line)
    assert vendor.invoicing == how, f"{vendor.label} invoices by {vendor.invoicing}, not {how}"
    item = _shipped(line, **shipped)
    before = snapshot(alma)
    try:
        billed = bill(alma, vendor, institution_of(request), [[item]], seed=1, date=_invoice_date(line))
    except (AlmaError, HarnessError) as refusal:
        return Outcome(error=refusal if isinstance(refusal, AlmaError) else AlmaError(str(refusal)),
                       before=before, number=line["number"])
    invoice = alma.invoice(billed[0].invoice_id)
    return Outcome(value=invoice, before=before, number=line["number"])


@when("the vendor invoices the PO line through Alma's API", target_fixture="invoiced")
@given("the vendor has invoiced the PO line through Alma's API", target_fixture="invoiced")
def invoice_by_api(alma, request, outcome):
    return _bill(alma, request, outcome, "api")


@when("the vendor sends an EDI invoice for the PO line", target_fixture="invoiced")
@given("the vendor has sent an EDI invoice for the PO line", target_fixture="invoiced")
def invoice_by_edi(alma, request, outcome):
    return _bill(alma, request, outcome, "edi")


@when("the vendor sends an EDI invoice that names only its own order number", target_fixture="invoiced")
def invoice_by_edi_reference(alma, request, outcome):
    return _bill(alma, request, outcome, "edi", po_line_number="")


@when("the vendor sends an EDI invoice for a title never ordered through Alma", target_fixture="invoiced")
def invoice_by_edi_unmatched(alma, request, outcome):
    return _bill(alma, request, outcome, "edi", po_line_number="", reference="PHONE-ORDER-1")


@when("the vendor sends an EDI file that is damaged in transit", target_fixture="invoiced")
def damaged_edi(alma, request, outcome):
    line = current_line(alma, outcome)
    vendor = _vendor(request, line)
    code = vendor.setup(institution_of(request)).vendor_code
    message = edifact.InvoicMessage(number="DAMAGED-1", date=_invoice_date(line), total=Decimal(1), currency="USD",
                                    supplier=code, lines=[edifact.InvoicLine(number="1", amount=Decimal(1),
                                                                             po_line=line["number"])])
    text = edifact.write_invoices([message], sender=code, recipient=institution_of(request), control="1",
                                  when=dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc))
    damaged = text.replace("UNT+", "UNT+9", 1)  # the segment count no longer matches
    before = snapshot(alma)
    try:
        alma.send_edi_file(damaged, vendor=code)
    except HarnessError as refusal:
        return Outcome(error=AlmaError(str(refusal)), before=before, number=line["number"])
    return Outcome(value={}, before=before, number=line["number"])


@when(parsers.parse('the vendor sends an invoice without a number'), target_fixture="invoiced")
def invoice_without_number(alma, outcome):
    line = current_line(alma, outcome)
    body = {"number": "", "invoice_date": _invoice_date(line), "vendor": {"value": line["vendor"]["value"]},
            "total_amount": 1, "currency": {"value": "USD"}}
    return attempt(alma, lambda: alma.create_invoice(body), number=line["number"])


@when("the vendor sends the same invoice number again", target_fixture="invoiced")
def same_number_again(alma, outcome, invoiced):
    first = invoiced.value
    assert first is not None, invoiced.error
    body = {"number": first["number"].lower(), "invoice_date": first["invoice_date"],
            "vendor": {"value": first["vendor"]["value"]}, "total_amount": 1, "currency": {"value": "USD"}}
    return attempt(alma, lambda: alma.create_invoice(body), number=invoiced.number)


# ---------------------------------------------------------------- the library pays ---------------------------


@when("the library pays the invoice", target_fixture="invoiced")
@given("the library has paid the invoice", target_fixture="invoiced")
def pay(alma, invoiced):
    invoice_id = invoiced.value["id"]
    return attempt(alma, lambda: alma.invoice_operation(invoice_id, "paid"), number=invoiced.number)


@when(parsers.parse('the ERP rejects the invoice saying "{note}"'), target_fixture="invoiced")
def erp_rejects(alma, invoiced, note):
    invoice_id = invoiced.value["id"]
    alma.invoice_operation(invoice_id, "mark_in_erp")
    return attempt(alma, lambda: alma.invoice_operation(invoice_id, "rejected", note=note), number=invoiced.number)


@when("the ERP rejects the invoice without saying why", target_fixture="invoiced")
def erp_rejects_silently(alma, invoiced):
    invoice_id = invoiced.value["id"]
    alma.invoice_operation(invoice_id, "mark_in_erp")
    return attempt(alma, lambda: alma.invoice_operation(invoice_id, "rejected"), number=invoiced.number)


# ---------------------------------------------------------------- what the library sees -------------------------


@then(parsers.parse("the invoice is {status:InvoiceStatus}", extra_types=TYPES))
def invoice_status(alma, invoiced, status):
    assert invoiced.error is None, f"Alma refused: {invoiced.error}"
    invoice = alma.invoice(invoiced.value["id"])
    shown = (invoice.get("invoice_workflow_status") or {}).get("value") or (
        "Closed" if invoice["invoice_status"]["value"] == "CLOSED" else "")
    assert shown == status, f"the invoice is {shown}, alerts {[a['value'] for a in invoice.get('alert', [])]}"


@then(parsers.parse("the invoice waits In Review because {reason:InvoiceReason}", extra_types=TYPES))
def invoice_waits(alma, invoiced, reason):
    invoice = alma.invoice(invoiced.value["id"])
    assert invoice["invoice_workflow_status"]["value"] == "InReview"
    assert reason in [a["value"] for a in invoice["alert"]], invoice["alert"]


@then("the invoice line pays the PO line")
def line_pays_po_line(alma, invoiced):
    lines = alma.invoice_lines(invoiced.value["id"])["invoice_line"]
    assert [l["po_line"] for l in lines] == [invoiced.number], lines


@then("the invoice line is not linked to any PO line")
def line_unlinked(alma, invoiced):
    lines = alma.invoice_lines(invoiced.value["id"])["invoice_line"]
    assert [l["po_line"] for l in lines] == [""], lines


@then(parsers.parse("Alma refuses the invoice because {reason:InvoiceRefusal}", extra_types=TYPES))
def invoice_refused(invoiced, reason):
    assert invoiced.error is not None, "Alma accepted it"
    assert invoiced.error.code == reason, f"refused with {invoiced.error}"


@then("Alma refuses the whole file")
def file_refused(invoiced):
    assert invoiced.error is not None, "Alma loaded it"
    assert "nothing loaded" in invoiced.error.message, invoiced.error.message


@then("nothing of the invoice stays in Alma")
def no_trace(alma, invoiced):
    changes = snapshot(alma).changes_since(invoiced.before)
    assert not changes, "Alma changed:\n  " + "\n  ".join(changes[:20])


@then(parsers.parse('the invoice carries the note "{note}"'))
def invoice_note(alma, invoiced, note):
    invoice = alma.invoice(invoiced.value["id"])
    assert note in [n["content"] for n in invoice["note"]], invoice["note"]


# ---------------------------------------------------------------- the fund's life ----------------------------


def _line_transactions(alma, fund: str, po_line: str) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for t in alma.fund_transactions(fund, q=f"po_line~{po_line}")["fund_transaction"]:
        sums[t["type"]["value"]] = sums.get(t["type"]["value"], Decimal(0)) + Decimal(str(t["amount"]["sum"]))
    return sums


@then(parsers.parse('the fund "{fund}" holds {amount} encumbered for the PO line'))
def encumbered_for_line(alma, outcome, fund, amount):
    sums = _line_transactions(alma, fund, outcome.number or outcome.po_line["number"])
    held = sums.get("ENCUMBRANCE", Decimal(0)) - sums.get("DISENCUMBRANCE", Decimal(0))
    assert held == Decimal(amount.split()[0]), sums


@then(parsers.parse('the fund "{fund}" has spent {amount} on the PO line and holds nothing for it'))
def spent_on_line(alma, invoiced, fund, amount):
    sums = _line_transactions(alma, fund, invoiced.number)
    assert sums.get("EXPENDITURE", Decimal(0)) == Decimal(amount.split()[0]), sums
    assert sums.get("ENCUMBRANCE", Decimal(0)) == sums.get("DISENCUMBRANCE", Decimal(0)), sums


@then(parsers.parse('the fund "{fund}" balances agree with its transactions'))
def balances_agree(alma, fund):
    sums: dict[str, Decimal] = {}
    every = alma.fund_transactions(fund, limit=100)
    assert every["total_record_count"] <= 100
    for t in every["fund_transaction"]:
        sums[t["type"]["value"]] = sums.get(t["type"]["value"], Decimal(0)) + Decimal(str(t["amount"]["sum"]))
    shown = alma.fund(fund)
    assert Decimal(str(shown["expended_balance"])) == sums.get("EXPENDITURE", Decimal(0))
    assert Decimal(str(shown["encumbered_balance"])) == \
        sums.get("ENCUMBRANCE", Decimal(0)) - sums.get("DISENCUMBRANCE", Decimal(0))
