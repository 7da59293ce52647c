"""The alerts Alma puts on a PO line, each with a code and a sentence naming what is wrong.

Review alerts send the line to In Review; informational ones (several matches, inventory already exists,
portfolio already ordered) do not [decision: Alma's wording, our codes]. `ALERT_CODES` lists them all for
the coverage page. Imports model only.
"""

from __future__ import annotations

from simulator.alma.model import Alert, Bib, Institution, POLineDraft, Portfolio, Vendor

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
    for holding_id in institution.holdings_by_bib.get(mms_id, ()):
        holding = institution.holdings[holding_id]
        name = institution.libraries[holding.library].name if holding.library in institution.libraries else holding.library
        copies[name] = copies.get(name, 0) + 1
    where = "; ".join(f"{n} holdings in library: {name}" for name, n in copies.items())
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
