"""What real Alma answers look like for PO lines, funds, vendors (and, for the invoice work, invoices), as facts
in data: which fields every captured answer carries and the JSON type of each. The captures themselves stay in
their repositories; docs/conformance.md ("PO lines, funds and vendors") lists every source by its key.

A shape is a dict from field name to a type. A type is one of the names in TYPES, a nested shape (a JSON
object with at least those fields), or `[type]` (a JSON list whose every element has that type). The checker
lives in test_acquisitions_conformance.py; these are only facts.
"""

from __future__ import annotations

# The JSON types real answers use.
TYPES = {
    "string": "a JSON string",
    "digits": "a JSON string of decimal digits (Alma's intervals, in days)",
    "date": "a JSON string YYYY-MM-DDZ",
    "bool": "a JSON true/false (never the strings)",
    "int": "a JSON integer",
    "number": "a JSON number (int or float, never a string)",
    "code": 'a code object {"value": string, "desc": string} (desc may be missing on an empty code)',
    "object": "a JSON object ({} when unset)",
}

CODE = "code"
MONEY = {"sum": "string", "currency": CODE}  # a price: the sum is a string ("234.0", "54.10")

# ---------------------------------------------------------------- PO line ---------------------------------------
# Sources SLSP1, SLSP2, SLSP3, TAU1, TAU2: every one of these fields is in all five captures.
PO_LINE = {
    "number": "string", "owner": CODE, "type": CODE, "vendor": CODE, "vendor_account": "string",
    "rush": "bool", "no_charge": "bool", "cancellation_restriction": "bool", "manual_renewal": "bool",
    "price": MONEY,
    "portfolios": {"portfolio": ["object"], "total_record_count": "int"},
    "license": CODE, "url": "string",
    "reclaim_interval": "digits", "expected_receipt_interval": "digits", "claiming_interval": "digits",
    "acquisition_method": CODE, "vendor_reference_number": "string", "source_type": CODE,
    "po_number": "string", "additional_order_reference": "string", "invoice_reference": "string",
    "resource_metadata": {
        "title": "string", "author": "string", "isbn": "string", "publisher": "string",
        "publication_place": "string", "publication_year": "string", "vendor_title_number": "string",
        "mms_id": {"value": "string", "link": "string"}, "system_control_number": ["string"],
    },
    "fund_distribution": [{"fund_code": CODE, "amount": MONEY}],
    "reporting_code": "string", "secondary_reporting_code": "string", "tertiary_reporting_code": "string",
    "fourth_reporting_code": "string", "fifth_reporting_code": "string",
    "vendor_note": "string", "receiving_note": "string", "renewal_note": "string",
    "alert": [CODE], "note": ["object"], "location": ["object"],
    "base_status": "string", "access_provider": "string",
    "renewal_cycle": "object", "renewal_period": "int",  # renewal_period is a number, the intervals strings
    "material_type": CODE,
}
# Sources SLSP3 (2024), TAU1, TAU2 (2025): added to Alma's answer after the 2021 captures; alma-api.md §4.6
# shows them too. `status` is left out of a line Alma is still processing (SLSP1, SLSP2; alma-api.md §4.6).
PO_LINE_SINCE_2024 = {"access_model": "string", "created_date": "date", "status_date": "date", "status": CODE}

# A location of a PO line (SLSP2, SLSP3, TAU1, TAU2) and a copy on it.
PO_LINE_LOCATION = {"quantity": "int", "library": CODE, "shelving_location": "string",
                    "holding": [{"id": "string", "link": "string"}], "copy": ["object"]}
PO_LINE_COPY = {"pid": "string", "barcode": "string", "item_policy": CODE, "link": "string"}
# Only after receipt (TAU1 → TAU2 differ by this key alone; SLSP2 unreceived, SLSP3 received): absent before,
# never "".
PO_LINE_COPY_AFTER_RECEIPT = {"receive_date": "date"}

# Fields no real PO line GET shows when they are unset (none of the five captures has them): Alma leaves out
# what carries no default. `percent` on a fund share is a request form only (captures show amount alone).
PO_LINE_ABSENT_WHEN_UNSET = ("discount", "vendor_reference_number_type", "cancellation_restriction_note",
                             "interested_user", "subscription_from_date", "subscription_to_date", "renewal_date",
                             "expected_activation_date")
FUND_SHARE_NEVER = ("percent",)

# Values that real captures show for a field with nothing set (SLSP3 material_type; all five for the rest).
PO_LINE_EMPTY_VALUES = {"access_model": "Null", "renewal_cycle": {}, "renewal_period": 0, "note": [],
                        "license": {"value": "", "desc": ""}}

# ---------------------------------------------------------------- PO line types ---------------------------------
# Code table PurchaseType. Labels exactly as captured or documented; kinds from the KB "PO Line Types and
# Workflow Steps" (format × continuity). Real captures: PRINTED_BOOK_OT in SLSP1, SLSP2, TAU1 (2021, 2025);
# PRINT_OT in SLSP3 (2024) and TAU-LOG (2025) — both codes in one institution. Others: CARLI's recommended list,
# Cloud App constants (alma-api.md §5.1).
CLASSIC_PO_LINE_TYPES = {
    "PRINTED_BOOK_OT": ("Print Book - One Time", "physical", "one-time"),
    "PRINTED_BOOK_SO": ("Print Book - Standing Order", "physical", "standing-order"),
    "PRINTED_JOURNAL_CO": ("Print Journal - Subscription", "physical", "continuous"),
    "PRINTED_JOURNAL_OT": ("Print Journal - One Time", "physical", "one-time"),
    "E_BOOK_OT": ("Electronic Book - One Time", "electronic", "one-time"),
    "E_BOOK_CO": ("Electronic Book - Subscription", "electronic", "continuous"),
    "E_JOURNAL_CO": ("Electronic Journal - Subscription", "electronic", "continuous"),
}
CONSOLIDATED_PO_LINE_TYPES = {
    "PRINT_OT": ("Physical - One Time", "physical", "one-time"),
    "PRINT_CO": ("Physical - Subscription", "physical", "continuous"),
    "PRINT_SO": ("Physical - Standing Order Monograph", "physical", "standing-order"),
    "PRINT_SO_NONMON": ("Physical - Standing Order Non Monograph", "physical", "standing-order"),
    "ELECTRONIC_TITLE_OT": ("Electronic Title - One Time", "electronic", "one-time"),
    "ELECTRONIC_TITLE_CO": ("Electronic Title - Subscription", "electronic", "continuous"),
    "ELECTRONIC_SO": ("Electronic Title - Standing Order", "electronic", "standing-order"),
    "ELECTRONIC_COLLECTION_OT": ("Electronic Collection - One Time", "collection", "one-time"),
    "ELECTRONIC_COLLECTION_CO": ("Electronic Collection - Subscription", "collection", "continuous"),
    "ACCESS_SERVICE_CO": ("Access Service - Subscription", "none", "continuous"),
    "OTHER_SERVICES_OT": ("Other Service - One Time", "none", "one-time"),
}

# ---------------------------------------------------------------- fund ------------------------------------------
# No real full capture of a fund is public. Sources: MIT-S (the API console's sample, types only), ALMONAUT (a
# pydantic model written against real answers), alma-api.md §10. Where MIT-S and ALMONAUT agree, that is the fact.
FUND = {
    "id": "string", "code": "string", "name": "string", "external_id": "string", "description": "string",
    "link": "string",
    "type": CODE, "entity_type": CODE, "owner": CODE, "status": CODE, "fiscal_period": CODE, "currency": CODE,
    "overencumbrance_allowed": CODE, "overexpenditure_allowed": CODE,
    "available_for_library": [CODE],
    "parent": {"value": "string"},
    # percents are whole numbers, sums floats, the prior-period and grace figures integers (MIT-S, ALMONAUT)
    "overencumbrance_warning_percent": "int", "overencumbrance_limit_percent": "int",
    "overexpenditure_warning_sum": "number", "overexpenditure_limit_sum": "number",
    "encumbrances_prior_to_fiscal_period": "int", "expenditures_prior_to_fiscal_period": "int",
    "transfers_prior_to_fiscal_period": "int", "fiscal_period_end_encumbrance_grace_period": "int",
    "fiscal_period_end_expenditure_grace_period": "int",
    # balances are numbers (ALMONAUT; alma-api.md §10), not {sum, currency}
    "allocated_balance": "number", "available_balance": "number", "cash_balance": "number",
    "encumbered_balance": "number", "expended_balance": "number",
}
FUND_ENTITY_TYPES = ("LEDGER", "SUMMARY", "ALLOCATED")
FUND_YES_NO = ("YES", "NO")  # overencumbrance_allowed / overexpenditure_allowed codes (API-console sample)

# ---------------------------------------------------------------- vendor ----------------------------------------
# No real full capture of a vendor is public. Sources: MIT-S vendor_bkhs.json (API-console sample, types), DUE
# (a script that edits the raw GET text: it shows `"liable_for_vat":false,`, the status code object, and that
# `currency` is iterated as a list), alma-api.md §10.
VENDOR = {
    "code": "string", "name": "string", "additional_code": "string", "financial_sys_code": "string",
    "national_tax_id": "string",
    "status": CODE, "language": CODE, "liable_for_vat": "bool",
    "material_supplier": "bool", "access_provider": "bool", "licensor": "bool", "governmental": "bool",
    "currency": [CODE],
    "library": [{"code": {"value": "string"}, "include_sub_units": "bool"}],
    "contact_info": {"address": ["object"], "email": ["object"], "phone": ["object"],
                     "web_address": ["object"]},
    "contact_person": ["object"], "interface": ["object"], "note": ["object"],
    "account": ["object"],
}
VENDOR_ACCOUNT = {
    "code": "string", "description": "string", "financial_sys_code": "string", "note": "string",
    "status": CODE,
    "payment_method": [CODE],  # a list of codes, not one code object
    "library": [{"code": {"value": "string"}, "include_sub_units": "bool"}],
    "discount_percent": "string",  # a string, as the account's intervals are
}

# ---------------------------------------------------------------- invoice (for the invoice work) ----------------
# Checked by test_an_invoice_and_its_lines_carry_the_fields_real_ones_share. Sources SLSP-INV1/2 (Basel 2020/2023), MIT-INV (MIT, 2021
# data, anonymised), TAU-LOG (Tel Aviv 2025 POST answers). Unlike a PO line, an invoice's amounts are JSON
# numbers (25 when whole, 54.1 otherwise), an invoice line's reporting codes are code objects, and its fund
# shares carry `percent` as a float (100.0) and `amount` as a bare number.
INVOICE = {
    "id": "string", "number": "string", "vendor": CODE, "vendor_account": "string", "currency": CODE,
    "owner": CODE, "invoice_date": "date", "total_amount": "number", "total_invoice_lines_amount": "number",
    "payment": {"prepaid": "bool", "internal_copy": "bool", "payment_status": CODE,
                "voucher_number": "string", "voucher_amount": "string", "voucher_currency": CODE},
    "payment_method": CODE, "reference_number": "string", "creation_form": CODE, "invoice_status": CODE,
    "invoice_workflow_status": "object",  # a code, or {} once closed
    "invoice_approval_status": CODE, "vendor_contact_person": "object",
    "additional_charges": {"shipment": "number", "overhead": "number", "insurance": "number",
                           "discount": "number", "use_pro_rata": "bool"},
    "invoice_vat": {"percentage": "number", "type": CODE, "report_tax": "bool", "vat_per_invoice_line": "bool",
                    "vat_code": CODE, "vat_amount": "number", "expended_from_fund": "bool"},
    "explicit_ratio": ["object"], "alert": [CODE], "note": ["object"],
    "number_of_lines": {"value": "int", "link": "string"},
    "invoice_lines": {"invoice_line": ["object"], "total_record_count": "int"},
    "link": "string",
}
INVOICE_LINE = {
    "id": "string", "link": "string", "type": CODE, "number": "string", "status": CODE,
    "price": "number", "total_price": "number", "quantity": "int",
    "po_line": "string",  # the PO line's number, "" on a line not tied to an order
    "note": "string", "price_note": "string", "additional_info": "string", "vat_note": "string",
    "check_subscription_date_overlap": "bool", "fully_invoiced": "bool", "release_remaining_encumbrance": "bool",
    "reporting_code": CODE, "secondary_reporting_code": CODE, "tertiary_reporting_code": CODE,
    "invoice_line_vat": {"percentage": "number", "vat_code": CODE, "vat_amount": "number"},
    "fund_distribution": [{"fund_code": CODE, "percent": "number", "amount": "number"}],
}
INVOICE_CODES = {
    "invoice_status": ("ACTIVE", "CLOSED"),
    "invoice_workflow_status": ("InReview", "Waiting to be Sent"),  # the second's desc is "Ready to be paid"
    "invoice_approval_status": ("PENDING", "APPROVED"),
    "payment_status": ("NOT_PAID", "PAID"),
    "creation_form": ("MANUALLY", "PO", "EDI"),
    "invoice_line_status": ("INREVIEW", "READY"),  # "In-Review" when freshly posted
    "invoice_line_type": ("REGULAR", "OTHER"),
}
# TAU-LOG: after its item was received and its invoice paid, a SENT one-time line closed by itself
# (auto_closed); a READY line (never sent) stayed READY.
INVOICE_CLOSES_SENT_LINES = True
