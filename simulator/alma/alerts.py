"""The alerts Alma puts on a PO line, each with a code and a sentence naming what is wrong.

Review alerts send the line to In Review; informational ones (several matches, inventory already exists,
portfolio already ordered) do not [decision: Alma's wording, our codes]. `ALERT_CODES` lists them all for
the coverage page. An invoice carries alerts too (`INVOICE_ALERT_CODES`): review alerts hold it In Review
when it is processed; NOT_LINKED_LINES and INVOICE_WAS_REJECTED_BY_ERP are Alma's own codes, the others ours
[decision]. Imports model only.
"""

from __future__ import annotations

from decimal import Decimal

from simulator.alma.model import Alert, Bib, Fund, Institution, Invoice, InvoiceLine, POLineDraft, Portfolio, Vendor

ALERT_CODES = {
    "VENDOR_MISSING": "No vendor on the PO line (In Review).",
    "VENDOR_ACCOUNT_MISSING": "No vendor account on the PO line (In Review).",
    "VENDOR_INACTIVE": "The vendor is inactive (In Review).",
    "PRICE_MISSING": "No price on the PO line (In Review).",
    "FUND_MISSING": "No fund distribution on the PO line (In Review).",
    "MANUAL_REVIEW": "The order asked for manual review (In Review).",
    "FUND_CODE_INVALID": "A fund is unknown, inactive, outside the current fiscal period, not allocated or "
                         "not available for the owning library (In Review when the check is not ticked).",
    "FUND_NOT_FULLY_FUNDED": "The fund distribution covers less than the net price (In Review when the check "
                             "is not ticked).",
    "FUND_BALANCE_INSUFFICIENT": "A fund cannot cover the encumbrance (In Review when the check is not ticked).",
    "INVALID_METADATA": "The order's metadata is invalid, e.g. an ISBN check digit (In Review, per the "
                        "validation exception profile).",
    "SEVERAL_MATCHES": "Several records matched and none was preferred; the lowest MMS ID was used.",
    "INVENTORY_EXISTS": "The ordered resource already exists in the Inventory.",
    "PORTFOLIO_HAS_PO_LINE": "The portfolio found is already ordered by another PO line; this line links to "
                             "the bib only.",
    "RENEWAL_DATE_MISSING": "A continuous order (subscription or standing order) without its renewal date "
                            "(In Review; renewals.py).",

    "REVIEW_RULE": "A purchasing review rule (or the default rule) sends the automatically created PO line to "
                   "review (In Review).",
    "PRICE_LIMIT_REACHED": "Price Limit Reached: the net price is above the PO line price threshold (In Review).",
}

MANUAL_REVIEW = Alert(code="MANUAL_REVIEW", text="The vendor asked for this PO line to be reviewed before it "
                      "is sent.")

# The profile's three fund checks, by the names Alma's screen gives them (seed 001), and the alert of each.
CHECK_INVALID_FUND = "invalid fund code"
CHECK_NOT_FULLY_FUNDED = "order is not fully funded"
CHECK_INSUFFICIENT_BALANCE = "fund balance insufficient to cover encumbrance"

_FUND_CODES = {
    CHECK_INVALID_FUND: "FUND_CODE_INVALID",
    CHECK_NOT_FULLY_FUNDED: "FUND_NOT_FULLY_FUNDED",
    CHECK_INSUFFICIENT_BALANCE: "FUND_BALANCE_INSUFFICIENT",
}


def missing_parts(draft: POLineDraft, vendor: Vendor | None) -> list[Alert]:
    """Vendor, vendor account, price and funds are needed for processing, not for creation."""
    found = []
    if not draft.vendor:
        found.append(Alert(code="VENDOR_MISSING", text="Vendor is missing: choose the vendor in Alma."))
    elif vendor is not None and not vendor.active:
        found.append(Alert(code="VENDOR_INACTIVE", text=f"Vendor {vendor.code} ({vendor.name}) is inactive."))
    if not draft.vendor_account:
        found.append(Alert(code="VENDOR_ACCOUNT_MISSING", text="Vendor account is missing."))
    if not draft.no_charge:
        if draft.price is None:
            found.append(Alert(code="PRICE_MISSING", text="Price is missing."))
        if not draft.funds:
            found.append(Alert(code="FUND_MISSING", text="Fund distribution is missing."))
    return found


def review_rule(name: str) -> Alert:
    """A purchasing review rule whose result is True matched the line (simulator.alma.review_rules)."""
    if name == "default":
        return Alert(code="REVIEW_RULE", text="The default purchasing review rule sends every automatically "
                                              "created PO line to review.")
    return Alert(code="REVIEW_RULE", text=f"Purchasing review rule {name!r} sends this PO line to review.")


def price_limit_reached(net: Decimal, limit: Decimal, currency: str) -> Alert:
    return Alert(code="PRICE_LIMIT_REACHED", text=f"Price Limit Reached: the net price {net:.2f} {currency} is "
                                                  f"above the PO line price threshold of {limit:.2f} {currency}.")


def fund_problem(check: str, sentence: str) -> Alert:
    return Alert(code=_FUND_CODES[check], text=f"{sentence} ({check})")


def invalid_metadata(problem: str) -> Alert:
    return Alert(code="INVALID_METADATA", text=f"Invalid data in the order: {problem}.")


def several_matches(winner: Bib, others: list[Bib]) -> Alert:
    names = ", ".join(b.mms_id for b in others)
    return Alert(code="SEVERAL_MATCHES", review=False,
                 text=f"Several records match; used {winner.mms_id} (the lowest MMS ID), also matched: {names}.")


def inventory_exists_physical(institution: Institution, mms_id: str) -> Alert:
    copies: dict[str, int] = {}
    libraries, holdings = institution.libraries, institution.holdings
    for holding_id in institution.holdings_by_bib.get(mms_id, ()):
        library = holdings[holding_id].library
        name = libraries[library].name if library in libraries else library
        copies[name] = copies.get(name, 0) + 1
    where = "; ".join([f"{n} holdings in library: {name}" for name, n in copies.items()])
    return Alert(code="INVENTORY_EXISTS", review=False,
                 text=f"The ordered resource already exists in the Inventory: {where}.")


def inventory_exists_electronic(portfolio: Portfolio) -> Alert:
    return Alert(code="INVENTORY_EXISTS", review=False,
                 text=f"The ordered resource already exists in the Inventory: portfolio {portfolio.id} on "
                      f"{portfolio.platform}.")


def portfolio_has_po_line(portfolio: Portfolio, other_line: str) -> Alert:
    return Alert(code="PORTFOLIO_HAS_PO_LINE", review=False,
                 text=f"Portfolio {portfolio.id} on {portfolio.platform} is already ordered by {other_line}; "
                      f"this PO line is linked to the bib only.")


# ---------------------------------------------------------------- invoices --------------------------------------

INVOICE_ALERT_CODES = {
    "INVOICE_TOTAL_MISMATCH": "The invoice total amount differs from the sum of its lines (held In Review).",
    "INVOICE_NO_LINES": "The invoice has no lines (held In Review).",
    "LINE_WITHOUT_FUND": "A line has a price but no fund distribution, e.g. an EDI line that matched no PO line "
                         "(held In Review).",
    "INVOICE_FUND_INSUFFICIENT": "A fund cannot cover what the invoice expends beyond the encumbrances it "
                                 "releases (held In Review).",
    "NOT_LINKED_LINES": "Lines not linked: a regular line pays no PO line.",
    "VENDOR_DIFFERS": "The invoice's vendor differs from the vendor of a PO line it pays.",
    "PRICE_DIFFERS": "A line's price differs from the net price of the PO line it pays.",
    "INVOICE_WAS_REJECTED_BY_ERP": "The ERP rejected the invoice; it is back In Review with the reason.",
}
INVOICE_REJECTED_BY_ERP = "INVOICE_WAS_REJECTED_BY_ERP"


def invoice_total_mismatch(invoice: Invoice) -> Alert:
    return Alert(code="INVOICE_TOTAL_MISMATCH",
                 text=f"The Invoice Total Amount entered ({invoice.total_amount:.2f} {invoice.currency}) is different "
                      f"than the calculated Total Net Invoiced ({invoice.lines_total:.2f} {invoice.currency}).")


def invoice_without_lines(invoice: Invoice) -> Alert:
    return Alert(code="INVOICE_NO_LINES", text=f"Invoice {invoice.number} has no lines.")


def invoice_line_without_funds(line: InvoiceLine) -> Alert:
    refs = f" (vendor reference {line.vendor_reference})" if line.vendor_reference else ""
    return Alert(code="LINE_WITHOUT_FUND",
                 text=f"Invoice line {line.number}{refs} has no fund distribution: link it to a PO line or give it "
                      f"funds.")


def invoice_fund_insufficient(fund: Fund, amount: Decimal) -> Alert:
    return Alert(code="INVOICE_FUND_INSUFFICIENT",
                 text=f"Fund {fund.code} has {fund.available:.2f} {fund.currency} available; the invoice needs "
                      f"{amount:.2f} {fund.currency} more than it releases.")


def invoice_informational(institution: Institution, invoice: Invoice) -> list[Alert]:
    """What a person approving the invoice should see, without holding it."""
    found = []
    unlinked = [line for line in invoice.lines if line.type == "REGULAR" and not line.po_line]
    if unlinked:
        names = ", ".join(line.number + (f" ({line.vendor_reference})" if line.vendor_reference else "")
                          for line in unlinked)
        found.append(Alert(code="NOT_LINKED_LINES", review=False, text=f"Lines not linked to a PO line: {names}."))
    for line in invoice.lines:
        po_line = institution.po_lines.get(line.po_line)
        if po_line is None:
            continue
        if po_line.draft.vendor and po_line.draft.vendor != invoice.vendor:
            found.append(Alert(code="VENDOR_DIFFERS", review=False,
                               text=f"Line {line.number}: PO line {po_line.number} is ordered from "
                                    f"{po_line.draft.vendor}, the invoice is from {invoice.vendor}."))
        net = po_line.net_price
        differs = net is not None and institution.convert(net, invoice.currency).amount != line.price
        if net is not None and line.type == "REGULAR" and differs:
            found.append(Alert(code="PRICE_DIFFERS", review=False,
                               text=f"Line {line.number}: {line.price:.2f} {invoice.currency}, PO line "
                                    f"{po_line.number} costs {net}."))
    return found


def invoice_rejected(note: str) -> Alert:
    return Alert(code=INVOICE_REJECTED_BY_ERP, review=False, text=f"Invoice was rejected by external finance "
                                                                   f"system: {note}")
