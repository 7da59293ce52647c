"""The only module that knows Alma's JSON field names: request bodies in, Alma-shaped objects out.

Parsing accepts what real clients send — JSON as well as the dicts `codec.from_xml` makes of XML (every leaf
a string), coded fields as `{"value": …}` or bare strings, booleans as true/"true" — and turns it into the
domain's `POLineDraft`. Rendering fills `desc` on every coded field, writes money sums as strings and dates
as 2026-09-01Z, as Alma does (reference §4). Coded fields and money objects are read and written through
simulator.alma_json. Imports the domain model (and ordering's acquisition method labels), simulator.alma_json,
simulator.money and simulator.errors.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from simulator.alma import records
from simulator.alma import claims, renewals
from simulator.alma.model import (
    STATUS_LABELS, Bib, ElectronicCollection, FiscalPeriod, Fund, FundShare, Holding, Institution, Item, Ledger,
    Library,
    Location,
    NewOrderProfile, OrderedLocation, POLine, POLineDraft, Portfolio, ResourceMetadata, Vendor,
)
from simulator.alma.model import (
    API_RESTRICTIONS, FUND_VIEWS, ApiRestrictionProfile, InterestedUser, Letter, PurchasingReview, UserRequest,
)
from simulator.alma.ordering import ACQUISITION_METHODS
from simulator.alma_json import code_of, coded, sum_and_currency, sum_text
from simulator import alma_json
from simulator.errors import IllegalValue
from simulator.money import Money, cents, to_decimal

ALMA_BASE = "https://api-na.hosted.exlibrisgroup.com/almaws/v1"
CURRENCY_NAMES = {"USD": "US Dollar", "GBP": "Pound Sterling", "EUR": "Euro", "CAD": "Canadian Dollar",
                  "CHF": "Swiss Franc", "AUD": "Australian Dollar", "JPY": "Yen"}
SOURCE_TYPES = {"API": "API", "MANUALENTRY": "Manual Entry"}

# ---------------------------------------------------------------- reading --------------------------------------


def text_of(value: Any) -> str:
    if type(value) is str:  # the common case first
        return value.strip()
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def flag_of(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = text_of(value).lower()
    if text in ("", "false", "0", "no"):
        return False
    if text in ("true", "1", "yes"):
        return True
    raise IllegalValue(f"Given {name} is illegal: {value!r} is not true or false.")


def list_of(value: Any) -> list:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def money_of(value: Any, name: str) -> tuple[Money | None, str]:
    """(money, text as sent when it is not money). An absent price is (None, "")."""
    if not isinstance(value, dict):
        text = text_of(value)
        return (None, text) if text else (None, "")
    sent = sum_and_currency(value)
    if sent is None:
        return None, ""
    raw_sum, currency = sent[0], sent[1].upper() or "USD"
    amount = to_decimal(raw_sum)
    if amount is None or abs(amount) > _LARGEST_SUM:
        return None, str(raw_sum)
    if not currency.isalpha() or len(currency) != 3:
        raise IllegalValue(f"Given {name} currency is illegal: {currency!r}.")
    return Money(amount, currency), ""


_LARGEST_SUM = Decimal("1e12")


def _quantity(value: Any) -> int:
    """A whole number of copies; absent means one. 2.5, [3] or {"value": 2} are refused, never guessed."""
    if value is None:  # the common cases first: no quantity sent, and plain digits (what the lines below make of them)
        return 1
    if type(value) is str and value.isascii() and value.isdigit():
        quantity = int(value)
        if quantity > 10_000:
            raise IllegalValue(f"Given quantity is illegal: {quantity} copies.")
        return quantity
    if isinstance(value, (dict, list, bool)):
        raise IllegalValue(f"Given quantity is illegal: {value!r} is not a number of copies.")
    text = text_of(value) or "1"
    number = to_decimal(text)
    if number is None or number != number.to_integral_value():
        raise IllegalValue(f"Given quantity is illegal: {value!r} is not a whole number of copies.")
    quantity = int(number)
    if quantity > 10_000:
        raise IllegalValue(f"Given quantity is illegal: {quantity} copies.")
    return quantity


def _text_or_code(value: Any) -> str:
    return text_of(value) or code_of(value)


# The draft's plain fields: each read from the body field of the same name by a reader that never refuses, and
# that reads a bare string as the string stripped. A body usually sends a dozen of the fields a PO line has, so
# draft_from_json walks the body's own keys against this table rather than looking up every field.
_PLAIN_FIELDS = {"owner": code_of, "type": code_of, "vendor": code_of, "vendor_account": _text_or_code,
                 "number": text_of, "vendor_reference_number": text_of, "vendor_reference_number_type": code_of,
                 "access_provider": _text_or_code, "access_model": code_of, "license": code_of, "url": text_of}
# resource_metadata's text fields, read the same way
_RESOURCE_TEXTS = frozenset(("title", "author", "isbn", "issn", "publisher", "publication_place",
                             "publication_year", "vendor_title_number"))


def draft_from_json(body: dict) -> POLineDraft:
    """A PO line body (POST or PUT) as a draft. Unknown fields are ignored, as Alma ignores them.

    Only the fields the body sends are read: a field that is absent (or null) is left to POLineDraft's default,
    which is what its reader makes of nothing ("", false, no price, no discount, no terms — tests/api/
    test_schemas_draft.py holds the two equal). The fields that can be refused are read in a fixed order (price,
    discount, fund_distribution, location, interested_user, no_charge, rush, the renewal terms), so a body with
    two bad fields is always refused for the same one."""
    if not isinstance(body, dict):
        raise IllegalValue("Given po_line is illegal: the body is not a PO line object.")
    meta = body.get("resource_metadata") or {}
    if not isinstance(meta, dict):
        meta = {}
    fields: dict[str, Any] = {}
    rare = not _RARE_FIELDS.isdisjoint(body)  # most bodies send none of these: one look for all of them
    if (sent := body.get("price")) is not None:
        fields["price"], fields["price_text"] = money_of(sent, "price")
    if rare and (sent := body.get("discount")) is not None:
        discount = to_decimal(text_of(sent) or "0")
        if discount is None:
            raise IllegalValue(f"Given discount is illegal: {sent!r}.")
        fields["discount"] = discount
    if (sent := body.get("fund_distribution")) is not None:
        fields["funds"] = _fund_shares(sent)
    if (sent := body.get("location")) is not None:
        fields["locations"] = _ordered_locations(sent)
    texts: dict[str, Any] = {}
    for name, value in meta.items():
        if name in _RESOURCE_TEXTS:
            texts[name] = value.strip() if type(value) is str else text_of(value)  # a bare string: no call
    mms = meta.get("mms_id")
    numbers = meta.get("system_control_number")
    fields["resource"] = ResourceMetadata(
        **texts, system_control_numbers=[] if numbers is None else
        [text_of(n) for n in list_of(numbers) if text_of(n)], mms_id=code_of(mms) if mms else "")
    if rare:
        if not _KEPT_SET.isdisjoint(body):
            fields["extra"] = {k: body[k] for k in _KEPT if k in body}
        if (sent := body.get("interested_user")) is not None:
            fields["interested_users"] = interested_users_from_json(sent)
        if (sent := body.get("no_charge")) is not None:
            fields["no_charge"] = flag_of(sent, "no_charge")
        if (sent := body.get("rush")) is not None:
            fields["rush"] = flag_of(sent, "rush")
        if not _TERM_FIELDS.isdisjoint(body):
            fields.update(_continuous_terms(body))
    for name, value in body.items():
        read = _PLAIN_FIELDS.get(name)
        if read is not None:
            fields[name] = value.strip() if type(value) is str else read(value)  # a bare string: no call
    if (sent := body.get("acquisition_method")) is not None:
        fields["acquisition_method"] = code_of(sent) or "PURCHASE"
    return POLineDraft(**fields)


def _fund_shares(sent: Any) -> list[FundShare]:
    funds = []
    for share in list_of(sent):
        if not isinstance(share, dict):
            raise IllegalValue("Given fund_distribution is illegal.")
        sent_amount = share.get("amount")
        amount, amount_text = (None, "") if sent_amount is None else money_of(sent_amount, "fund_distribution amount")
        if amount_text:
            raise IllegalValue(f"Given fund_distribution amount is illegal: {amount_text!r}.")
        sent_percent = share.get("percent")
        percent_text = sent_percent.strip() if type(sent_percent) is str else text_of(sent_percent)  # no call
        percent = to_decimal(percent_text) if percent_text else None
        if amount is not None and percent is not None and percent == 0:
            percent = None
        funds.append(FundShare(fund=code_of(share.get("fund_code")), amount=amount, percent=percent))
    return funds


def _ordered_locations(sent: Any) -> list[OrderedLocation]:
    locations = []
    for loc in list_of(sent):
        if not isinstance(loc, dict):
            raise IllegalValue("Given location is illegal.")
        copies = list_of(loc.get("copy"))
        policy = code_of(copies[0].get("item_policy")) if copies and isinstance(copies[0], dict) else ""
        locations.append(OrderedLocation(library=code_of(loc.get("library")),
                                         location=text_of(loc.get("shelving_location")) or code_of(loc.get("shelving_location")),
                                         quantity=_quantity(loc.get("quantity")), item_policy=policy))
    return locations


# Fields Alma keeps on the line as sent (and a PUT replaces): notes, reporting codes …
_KEPT = ("note", "reporting_code", "secondary_reporting_code", "tertiary_reporting_code", "fourth_reporting_code",
         "fifth_reporting_code", "vendor_note", "receiving_note", "additional_order_reference",
         "invoice_reference", "material_type")
_KEPT_SET = frozenset(_KEPT)


# --- renewals: a continuous order's renewal terms and the intervals claiming counts with (renewals.py, claims.py)
_DAY_FIELDS = {"renewal_date": "renewal_date", "subscription_from_date": "subscription_from",
               "subscription_to_date": "subscription_to", "expected_receipt_date": "expected_receipt_date",
               "expected_activation_date": "expected_activation_date"}
_DAY_INTERVALS = ("expected_receipt_interval", "expected_activation_interval", "claiming_interval")
# every body field _continuous_terms reads: a body with none of them has no terms (each reads None as unset)
_TERM_FIELDS = frozenset((*_DAY_FIELDS, *_DAY_INTERVALS, "manual_renewal", "renewal_cycle", "renewal_period"))
# the fields draft_from_json reads only when the body sends one of them
_RARE_FIELDS = _KEPT_SET | _TERM_FIELDS | {"discount", "interested_user", "no_charge", "rush"}


def _days(value: Any, name: str) -> int | None:
    """A number of days as sent (30, "30", {"value": "30"}); "" and absent are None."""
    text = (text_of(value) or code_of(value)).strip() if not isinstance(value, (int, float)) else str(int(value))
    if not text:
        return None
    if not text.isdigit():
        raise IllegalValue(f"Given {name} is illegal: {text!r} is not a number of days.")
    return int(text)


def _continuous_terms(body: dict) -> dict[str, Any]:
    terms: dict[str, Any] = {target: text_of(body.get(name)).strip().rstrip("Z")
                             for name, target in _DAY_FIELDS.items() if text_of(body.get(name)).strip()}
    terms.update({name: number for name in _DAY_INTERVALS
                  if (number := _days(body.get(name), name)) is not None})
    if "manual_renewal" in body:
        terms["manual_renewal"] = flag_of(body.get("manual_renewal"), "manual_renewal")
    cycle = code_of(body.get("renewal_cycle")) or text_of(body.get("renewal_cycle"))
    if cycle:
        terms["renewal_cycle"] = cycle
    period = _days(body.get("renewal_period"), "renewal_period")
    if period is not None:
        terms["renewal_period"] = period
    return terms


def _put_continuous(result: dict[str, Any], line: POLine, inst: Institution) -> None:
    """The renewal terms and claiming dates as Alma answers them, written into the line's answer in this order
    (a field already there keeps its place): dates as 2027-01-01Z, the cycle coded, the period a number, the
    intervals digit strings; the expected date a line is claimed against, once known."""
    d = line.draft
    result["manual_renewal"] = d.manual_renewal
    result["renewal_period"] = d.renewal_period
    result["renewal_cycle"] = ({"value": d.renewal_cycle, "desc": renewals.cycle_label(d.renewal_cycle)}
                               if d.renewal_cycle else {})
    if d.renewal_date:
        result["renewal_date"] = f"{d.renewal_date}Z"
    if d.subscription_from:
        result["subscription_from_date"] = f"{d.subscription_from}Z"
    if d.subscription_to:
        result["subscription_to_date"] = f"{d.subscription_to}Z"
    if d.expected_receipt_date:
        result["expected_receipt_date"] = f"{d.expected_receipt_date}Z"
    if d.expected_activation_date:
        result["expected_activation_date"] = f"{d.expected_activation_date}Z"
    if d.expected_receipt_interval is not None:
        result["expected_receipt_interval"] = str(d.expected_receipt_interval)
    if d.expected_activation_interval is not None:
        result["expected_activation_interval"] = str(d.expected_activation_interval)
    if d.claiming_interval is not None:
        result["claiming_interval"] = str(d.claiming_interval)
    # claims.expected_day is None unless the line has an expected date or interval of its own (a sent date, else
    # the order date plus an interval): a line with neither has no expected date, whatever its kind
    if (d.expected_receipt_date or d.expected_activation_date or d.expected_receipt_interval is not None
            or d.expected_activation_interval is not None):
        kind = claims.claim_kind(inst, line)
        expected = claims.expected_day(inst, line) if kind else None
        if expected is not None:
            result[f"expected_{kind}_date"] = f"{expected.isoformat()}Z"

# ---------------------------------------------------------------- writing --------------------------------------


def money_json(money: Money | None) -> dict:
    return alma_json.money_json(money, CURRENCY_NAMES)


# Physical material types (code table "PhysicalMaterialType"), for the PO line's material_type.
MATERIAL_TYPES = {"BOOK": "Book", "ISSUE": "Issue", "JOURNAL": "Journal", "DVD": "DVD", "CD": "CD-ROM",
                  "SCORE": "Score", "MAP": "Map", "KEYS": "Digital File", "OTHER": "Other"}
# Fields every real PO line carries even when nothing was sent (docs/conformance.md, "PO lines, funds and
# vendors"): the strings are "", the intervals the strings Alma shows for an order with no claiming set up.
_PO_LINE_STRINGS = ("reporting_code", "secondary_reporting_code", "tertiary_reporting_code", "fourth_reporting_code",
                    "fifth_reporting_code", "vendor_note", "receiving_note", "renewal_note",
                    "additional_order_reference", "invoice_reference", "base_status")
_PO_LINE_INTERVALS = ("reclaim_interval", "expected_receipt_interval", "claiming_interval")
_PO_LINE_EMPTY_STRINGS = dict.fromkeys(_PO_LINE_STRINGS, "")  # built once, spread into every answer
_PO_LINE_NO_INTERVALS = dict.fromkeys(_PO_LINE_INTERVALS, "0")
# The keys every PO line answer has, in the answer's order (orjson and the XML rendering keep it). The values that
# never change are here (immutable ones only: an answer's dicts and lists are its own); None marks a value
# po_line_to_json fills in for every answer. Copying this dict and filling it in costs about two thirds of
# building the fifty-key dict literal for each answer.
_PO_LINE_SKELETON: dict[str, Any] = {
    "link": None, "number": None, "owner": None, "type": None, "vendor": None, "vendor_account": None,
    "acquisition_method": None, "no_charge": None, "rush": None, "cancellation_restriction": False,
    "manual_renewal": False, "price": None, "vendor_reference_number": None, "source_type": None, "po_number": None,
    "resource_metadata": None, "fund_distribution": None, "location": None, "access_provider": None,
    "access_model": None, "license": None, "url": None, "portfolios": None, "created_date": None,
    "status_date": None, "note": None, **_PO_LINE_EMPTY_STRINGS, **_PO_LINE_NO_INTERVALS, "renewal_cycle": None,
    "renewal_period": 0, "material_type": None,
}


def _kept_fields(d: POLineDraft) -> dict[str, Any]:
    """The fields kept as sent, in the JSON types real Alma answers with (strings, digit strings, lists), so a
    body that sent a reporting code as {"value": …} or an interval as 30 reads back as Alma would show it."""
    out: dict[str, Any] = {}
    for name, value in d.extra.items():
        if name == "note":
            out[name] = [n if isinstance(n, dict) else {"note_text": text_of(n)} for n in list_of(value)]
        elif name == "material_type":
            code = code_of(value).upper()
            out[name] = coded(code, MATERIAL_TYPES.get(code, code)) if code else coded("", "")
        else:
            out[name] = text_of(value) or code_of(value)
    return out


def po_line_to_json(line: POLine, institution: Institution, *, base: str = ALMA_BASE, now: float = 0.0,
                    expand: frozenset[str] | None = None) -> dict:
    """A PO line as Alma answers it. While asynchronous processing is still running, status and alerts are
    left out, exactly as Alma's documentation warns vendors. In a list (`expand` given) locations and notes
    appear only when expanded (`expand=locations,notes`), as in Alma's GET po-lines.

    Every field real captures always carry is present (empty strings, `[]`, `{}`, false), and fields that are
    unset and carry no default (discount, vendor_reference_number_type, subscription dates …) are left out,
    as real GETs leave them out (docs/conformance.md).

    Every answer goes through here, so the coded fields are written as dict literals ({"value", "desc"}, what
    alma_json.coded makes) rather than through a call each; the order of the keys is the answer's."""
    d, inst = line.draft, institution
    library = inst.libraries.get(d.owner)
    line_type = inst.po_line_types.get(d.type)
    vendor = inst.vendors.get(d.vendor)
    meta = d.resource
    mms_id = line.mms_id
    result = _PO_LINE_SKELETON.copy()  # every key in the answer's order; each None below is filled in here
    result["link"] = f"{base}/acq/po-lines/{line.number}"
    result["number"] = line.number
    result["owner"] = {"value": d.owner, "desc": library.name if library else inst.name}
    result["type"] = {"value": d.type, "desc": line_type.label if line_type else d.type}
    result["vendor"] = {"value": d.vendor, "desc": vendor.name if vendor else ""}
    result["vendor_account"] = d.vendor_account
    result["acquisition_method"] = {"value": d.acquisition_method,
                                    "desc": ACQUISITION_METHODS.get(d.acquisition_method, "")}
    result["no_charge"] = d.no_charge
    result["rush"] = d.rush
    result["price"] = alma_json.money_json(d.price, CURRENCY_NAMES)
    result["vendor_reference_number"] = d.vendor_reference_number
    result["source_type"] = {"value": d.source_type, "desc": SOURCE_TYPES.get(d.source_type, d.source_type)}
    result["po_number"] = line.po_number
    result["resource_metadata"] = {
        "mms_id": {"value": mms_id, "link": f"{base}/bibs/{mms_id}"},
        "title": meta.title, "author": meta.author, "isbn": meta.isbn, "issn": meta.issn,
        "publisher": meta.publisher, "publication_place": meta.publication_place,
        "publication_year": meta.publication_year, "vendor_title_number": meta.vendor_title_number,
        "system_control_number": list(meta.system_control_numbers),
    }
    result["fund_distribution"] = [_share_json(s, inst, line) for s in d.funds] if d.funds else []
    result["location"] = [_location_json(loc, inst, base) for loc in d.locations] if d.locations else []
    result["access_provider"] = d.access_provider
    result["access_model"] = d.access_model or "Null"
    result["license"] = {"value": d.license, "desc": d.license}
    result["url"] = d.url
    result["portfolios"] = {"portfolio": [{"id": pid, "link": f"{base}/bibs/{mms_id}/portfolios/{pid}"}
                                          for pid in line.portfolio_ids] if line.portfolio_ids else [],
                            "total_record_count": len(line.portfolio_ids)}
    result["created_date"] = line.created_date
    result["status_date"] = line.status_date
    result["note"] = []
    result["renewal_cycle"] = {}
    result["material_type"] = ({"value": line_type.material_type,
                                "desc": MATERIAL_TYPES.get(line_type.material_type, "")}
                               if line_type and line_type.material_type else {"value": "", "desc": ""})
    if d.discount:
        result["discount"] = f"{d.discount:g}"
    if d.vendor_reference_number_type:
        result["vendor_reference_number_type"] = {"value": d.vendor_reference_number_type,
                                                  "desc": d.vendor_reference_number_type}
    if line.collection_id:
        result["e_collection"] = {"value": line.collection_id, "link": f"{base}/electronic/e-collections/{line.collection_id}"}
    if line.net_price is not None:
        result["net_price"] = alma_json.money_json(line.net_price, CURRENCY_NAMES)
    if line.cancellation_reason:
        result["cancellation_reason"] = coded(line.cancellation_reason,
                                              inst.cancellation_reasons.get(line.cancellation_reason, ""))
        result["cancellation_note"] = line.cancellation_comment
        result["inform_vendor"] = line.vendor_informed
    if d.interested_users:
        result["interested_user"] = [interested_user_json(u) for u in d.interested_users]
    if d.extra:
        result.update(_kept_fields(d))
    _put_continuous(result, line, inst)
    if expand is not None:
        if "locations" not in expand:
            result.pop("location", None)
        if "notes" not in expand:
            result.pop("note", None)
    if not (line.visible_after and now < line.visible_after):
        status = line.status
        # _value_ is the member's value (`.value` reads it through a property, a Python call per answer)
        result["status"] = {"value": status._value_, "desc": STATUS_LABELS[status]}
        result["alert"] = [{"value": a.code, "desc": a.text} for a in line.alerts] if line.alerts else []
    return result


def claimed_line_json(line_json: dict, line: POLine) -> dict:
    """A line in the claims task list: the PO line as answered, with its claims (the simulator's, not Alma's
    fields: date, expected date, receipt | activation, whether and how the vendor was told, the letter)."""
    line_json["claim"] = [{"claim_date": f"{c.date}Z", "expected_date": f"{c.expected}Z", "kind": c.kind,
                           "sent_to_vendor": c.sent_to_vendor, "channel": c.channel, "letter": c.letter}
                          for c in line.claims]
    return line_json


def _share_json(share: FundShare, inst: Institution, line: POLine) -> dict:
    fund = inst.funds.get(share.fund)
    # A share sent as a percent reads back as its amount only: no real PO line shows `percent` (the percent form
    # belongs to request bodies and invoice lines; docs/conformance.md).
    amount = share.amount
    if amount is None and line.net_price is not None:
        percent = share.percent if share.percent is not None else (_HUNDRED if len(line.draft.funds) == 1 else _ZERO)
        # the share of the net price rounded to the cent, as Money(…) rounds it, written as money_json writes it
        net = line.net_price
        return {"fund_code": {"value": share.fund, "desc": fund.name if fund else ""},
                "amount": {"sum": sum_text(cents(net.amount * percent / 100)),
                           "currency": {"value": net.currency, "desc": CURRENCY_NAMES.get(net.currency, net.currency)}}}
    return {"fund_code": {"value": share.fund, "desc": fund.name if fund else ""}, "amount": money_json(amount)}


_HUNDRED, _ZERO = Decimal(100), Decimal(0)


def _location_json(loc: OrderedLocation, inst: Institution, base: str) -> dict:
    library = inst.libraries.get(loc.library)
    items = inst.items
    copies = [_copy_json(items[item_id], base) for item_id in loc.item_ids if item_id in items]
    return {"quantity": loc.quantity, "library": {"value": loc.library, "desc": library.name if library else ""},
            "shelving_location": loc.location,
            "holding": [{"id": loc.holding_id, "link": _holding_link(inst, loc.holding_id, base)}]
            if loc.holding_id else [],
            "copy": copies}


def _copy_json(item: Item, base: str) -> dict:
    """A copy on a PO line's location. `receive_date` appears only once the copy is received: before receipt
    real Alma leaves it out (it is never "")."""
    out: dict[str, Any] = {"pid": item.id, "barcode": item.barcode,
                           "link": f"{base}/bibs/{item.mms_id}/holdings/{item.holding_id}/items/{item.id}",
                           "item_policy": {"value": item.item_policy, "desc": item.item_policy}}
    if item.received and item.receive_date:
        out["receive_date"] = item.receive_date
    return out

def _holding_link(inst: Institution, holding_id: str, base: str) -> str:
    holding = inst.holdings.get(holding_id)
    return f"{base}/bibs/{holding.mms_id if holding else ''}/holdings/{holding_id}"


def po_line_item_brief_json(item: Item, base: str = ALMA_BASE) -> dict:
    """An item as `GET /acq/po-lines/{po_line_id}/items` lists it. Ex Libris: "The items retrieved include only
    barcodes and a link for the Get-Item API" -- so each is Alma's item object cut to its barcode (in
    `item_data`, where the full object keeps it) and its link [decision: no other field; a client reads the item's
    PID from the link's last segment or follows the link]."""
    return {"item_data": {"barcode": item.barcode},
            "link": f"{base}/bibs/{item.mms_id}/holdings/{item.holding_id}/items/{item.id}"}


def fund_to_json(fund: Fund, inst: Institution, base: str = ALMA_BASE) -> dict:
    fp = inst.fiscal_periods.get(fund.fiscal_period)
    return {
        "id": fund.id, "link": f"{base}/acq/funds/{fund.id}", "code": fund.code, "name": fund.name,
        "description": "", "external_id": fund.external_id, "type": coded("ALLOCATED" if fund.entity_type == "ALLOCATED" else fund.entity_type),
        "entity_type": coded(fund.entity_type, fund.entity_type.title()),
        "status": coded("ACTIVE" if fund.active else "INACTIVE", "Active" if fund.active else "Inactive"),
        "owner": coded(inst.code, inst.name),
        "fiscal_period": coded(fund.fiscal_period, fp.name if fp else ""),
        "currency": coded(fund.currency, CURRENCY_NAMES.get(fund.currency, fund.currency)),
        "parent": _parent_json(fund, inst, base),
        "allocated_balance": float(fund.allocated), "encumbered_balance": float(fund.encumbered),
        "expended_balance": float(fund.expended), "cash_balance": float(fund.allocated - fund.expended),
        "available_balance": float(fund.available),
        "available_for_library": [coded(lib, inst.libraries[lib].name) for lib in fund.libraries if lib in inst.libraries],
        "overencumbrance_allowed": coded("YES" if fund.overencumbrance_allowed else "NO"),
        # percents are whole numbers in Alma's fund (docs/conformance.md); sums and balances are numbers
        "overencumbrance_limit_percent": int(fund.overencumbrance_limit_percent.to_integral_value()),
        # what Alma answers for settings the simulator does not model (reference §10): always present, as clients
        # with strict models of the fund (almonaut) require them
        "overexpenditure_allowed": coded("NO"), "overencumbrance_warning_percent": 0,
        "overexpenditure_warning_sum": 0.0, "overexpenditure_limit_sum": 0.0,
        "encumbrances_prior_to_fiscal_period": 0, "expenditures_prior_to_fiscal_period": 0,
        "transfers_prior_to_fiscal_period": 0, "fiscal_period_end_encumbrance_grace_period": 0,
        "fiscal_period_end_expenditure_grace_period": 0,
    }


def _parent_json(fund: Fund, inst: Institution, base: str) -> dict:
    """Alma's parent is a reference to the ledger (or summary fund) by its id, with a link, as mms_id is."""
    ledger = inst.ledgers.get(fund.ledger)
    if ledger is None or not ledger.id:
        return {"value": fund.ledger}
    return {"value": ledger.id, "link": f"{base}/acq/funds/{ledger.id}"}


def ledger_to_json(ledger: Ledger, inst: Institution, base: str = ALMA_BASE) -> dict:
    """A ledger as Alma shows it among funds: a fund object of entity type LEDGER whose balances are the sums of
    its allocated funds', with no parent, and its funds listed."""
    funds = [f for f in inst.funds.values() if f.ledger == ledger.code and f.entity_type == "ALLOCATED"]
    total = lambda name: sum((getattr(f, name) for f in funds), Decimal(0))  # noqa: E731
    as_fund = Fund(id=ledger.id, code=ledger.code, name=ledger.name, ledger="", fiscal_period=ledger.fiscal_period,
                   currency=inst.currency, allocated=total("allocated"), encumbered=total("encumbered"),
                   expended=total("expended"), entity_type="LEDGER")
    return {**fund_to_json(as_fund, inst, base),
            "fund": [{"code": f.code, "link": f"{base}/acq/funds/{f.id}"} for f in funds]}


PAYMENT_METHODS = {"ACCOUNTINGDEPARTMENT": "Accounting Department", "CASH": "Cash", "CREDITCARD": "Credit Card",
                   "BANKTRANSFER": "Bank Transfer", "DEPOSITACCOUNT": "Deposit Account"}


def _libraries_json(codes: list[str]) -> list[dict]:
    """A vendor's or account's libraries: [] means every library of the institution."""
    return [{"code": {"value": code}, "include_sub_units": False} for code in codes]


def vendor_to_json(vendor: Vendor, base: str = ALMA_BASE) -> dict:
    """A vendor as Alma answers it: an account's payment methods are a list, its discount and intervals strings
    (docs/conformance.md)."""
    return {
        "code": vendor.code, "name": vendor.name, "link": f"{base}/acq/vendors/{vendor.code}",
        "additional_code": "", "financial_sys_code": "", "national_tax_id": "",
        "status": coded("ACTIVE" if vendor.active else "INACTIVE", "Active" if vendor.active else "Inactive"),
        "language": coded("en", "English"), "liable_for_vat": False,
        "material_supplier": vendor.material_supplier, "access_provider": vendor.access_provider,
        "licensor": False, "governmental": False,
        "currency": [coded(vendor.currency, CURRENCY_NAMES.get(vendor.currency, vendor.currency))],
        "library": [],
        "account": [{"code": a.code, "description": a.description, "financial_sys_code": "", "note": "",
                     "status": coded("ACTIVE" if a.active else "INACTIVE", "Active" if a.active else "Inactive"),
                     "discount_percent": f"{a.discount_percent:g}",
                     "payment_method": [coded(a.payment_method, PAYMENT_METHODS.get(a.payment_method, a.payment_method))],
                     "library": _libraries_json(a.libraries)}
                    for a in vendor.accounts.values()],
        "contact_info": {"address": [], "email": [], "phone": [], "web_address": []},
        "contact_person": [], "note": [],
        "interface": [{"name": vendor.default_platform}] if vendor.default_platform else [],
        "integration_system": vendor.system,
    }


def library_to_json(library: Library, inst: Institution, base: str = ALMA_BASE) -> dict:
    return {"code": library.code, "name": library.name, "link": f"{base}/conf/libraries/{library.code}",
            "path": library.code, "description": library.name, "resource_sharing": False,
            "campus": coded(inst.code, inst.name)}


def location_to_json(location: Location, library: Library) -> dict:
    return {"code": location.code, "name": location.name, "external_name": location.name,
            "type": coded("OPEN", "Open Stack"), "suppress_from_publishing": "false",
            "library": coded(library.code, library.name)}


def fiscal_period_to_json(fp: FiscalPeriod) -> dict:
    return {"id": fp.id, "name": fp.name, "start_date": f"{fp.start}Z", "end_date": f"{fp.end}Z",
            "status": coded("CURRENT" if fp.current else "INACTIVE")}


SYNC_WITH_OCLC = {"PUBLISH_BIB": "BIBS", "PUBLISH_HOLDINGS": "HOLDINGS", "DONT_PUBLISH": "NONE"}


def bib_to_json(bib: Bib, base: str = ALMA_BASE, network_code: str = "") -> dict:
    """Alma's bib object with its MARC record in `anies` (in XML: the `<record>` element). Nothing here is the
    simulator's own: which order made the record and what it raised show on `librarian_bib_to_json`."""
    created = bib.created or records.SEEDED_DATE
    out: dict[str, Any] = {
        "mms_id": bib.mms_id, "record_format": "marc21",
        "linked_record_id": {"value": bib.network_mms_id, "type": "NZ"} if bib.network_mms_id else {},
        "title": bib.title, "author": bib.author}
    isbns = records.isbn_texts(bib)
    if isbns:
        out["isbn"] = isbns[0]
    if bib.issns:
        out["issn"] = records.issn_text(bib.issns[0])
    out.update({
        "complete_edition": "",
        "network_number": records.network_035(bib, network_code) if network_code else
        ([f"(EXLNZ){bib.network_mms_id}"] if bib.network_mms_id else []),
        "place_of_publication": bib.publication_place, "date_of_publication": bib.publication_year,
        "publisher_const": bib.publisher,
        "holdings": {"value": "", "link": f"{base}/bibs/{bib.mms_id}/holdings"},
        "created_by": "API" if bib.created else "import", "created_date": created})
    if bib.modified and (bib.marc or bib.modified != bib.created):  # Alma leaves these out until a change
        out.update({"last_modified_by": "API", "last_modified_date": bib.modified})
    out.update({
        "suppress_from_publishing": str(bib.suppressed).lower(), "suppress_from_external_search": "false",
        "sync_with_oclc": SYNC_WITH_OCLC.get(bib.publish_to_external_catalog, "NONE"),
        "sync_with_libraries_australia": "NONE",
        "originating_system": "OTHER" if bib.created else "ILS", "originating_system_id": bib.mms_id,
        "cataloging_level": coded("00", "Default Level"),
        "brief_level": coded("01" if bib.brief else "10", "Brief" if bib.brief else "Full"),
        "link": f"{base}/bibs/{bib.mms_id}",
        "anies": records.anies(records.bib_record(bib, network_code))})
    return out


def librarian_bib_to_json(bib: Bib, base: str = ALMA_BASE, network_code: str = "") -> dict:
    """The record as a librarian sees it in Alma's record view: Alma's bib object, and what the simulator knows
    about it that has no field in Alma's API (its zone, management tag, local notes, the order that made it,
    the validation problems it raised, the metadata template it was built from)."""
    return {**bib_to_json(bib, base, network_code), "zone": bib.zone.value,
            "management_tag": bib.publish_to_external_catalog, "local_note": list(bib.local_notes),
            "system_control_number": list(bib.system_numbers),
            "vendor_title_number": list(bib.vendor_title_numbers),
            "created_by_order": bib.created_by_order, "validation_problems": list(bib.validation_problems),
            "metadata_template": bib.metadata_template, "language": bib.language,
            "encoding_level": bib.encoding_level}


def bib_record_from_json(body: dict, code: str) -> str:
    """The MARCXML `<record>` of a bib PUT or POST body: `anies` in JSON, the `<record>` element in XML (which
    the codec also reads into `anies`)."""
    if not isinstance(body, dict):
        raise IllegalValue("Given bib is illegal: the body is not a bib object.", code=code)
    found = body.get("anies") or body.get("record")
    if isinstance(found, list):
        found = found[0] if len(found) == 1 else None
    if not isinstance(found, str) or not found.strip():
        raise IllegalValue("The bib holds no MARC record (anies in JSON, <record> in XML).", code=code)
    text = found.strip()
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2:].lstrip()
    return text


def _item_created(item: Item, inst: Institution) -> str:
    """An item is created with the PO line that ordered it; other items were loaded with the seed."""
    line = inst.po_lines.get(item.po_line) if item.po_line else None
    return line.created_date if line is not None and line.created_date else records.SEEDED_DATE


def _holding_created(holding: Holding, inst: Institution) -> str:
    first = next((i for i in inst.items.values() if i.holding_id == holding.id), None)
    return _item_created(first, inst) if first is not None else records.SEEDED_DATE


def holding_to_json(holding: Holding, inst: Institution, base: str = ALMA_BASE) -> dict:
    """Alma's holding object with its MARC record (852 $b library $c location) in `anies`."""
    library = inst.libraries.get(holding.library)
    location = library.locations.get(holding.location) if library else None
    return {"holding_id": holding.id,  # captured holdings carry no link of their own (conformance.md §6)
            "created_by": "API", "created_date": _holding_created(holding, inst),
            "originating_system": "OTHER", "originating_system_id": holding.id,
            "suppress_from_publishing": "false", "calculated_suppress_from_publishing": "false",
            "library": coded(holding.library, library.name if library else ""),
            "location": coded(holding.location, location.name if location else ""),
            "anies": records.anies(records.holding_record(holding))}


def holding_brief_json(holding: Holding, inst: Institution, base: str = ALMA_BASE) -> dict:
    """A holding as `GET /bibs/{mms_id}/holdings` lists it."""
    library = inst.libraries.get(holding.library)
    location = library.locations.get(holding.location) if library else None
    return {"holding_id": holding.id, "link": f"{base}/bibs/{holding.mms_id}/holdings/{holding.id}",
            "created_by": "API", "created_date": _holding_created(holding, inst),
            "library": coded(holding.library, library.name if library else ""),
            "location": coded(holding.location, location.name if location else ""),
            "suppress_from_publishing": "false", "calculated_suppress_from_publishing": "false"}


def alma_item_to_json(item: Item, inst: Institution, base: str = ALMA_BASE, network_code: str = "") -> dict:
    """Alma's item object as the bibs API answers it: bib_data, holding_data, item_data and a link."""
    holding = inst.holdings.get(item.holding_id)
    bib = inst.catalogue.bibs.get(item.mms_id)
    library = inst.libraries.get(holding.library) if holding else None
    location = library.locations.get(holding.location) if library and holding else None
    bib_data: dict[str, Any] = {"mms_id": item.mms_id, "title": bib.title if bib else "",
                                "author": bib.author if bib else "", "isbn": (records.isbn_texts(bib) or [""])[0] if bib else "",
                                "complete_edition": "", "place_of_publication": bib.publication_place if bib else "",
                                "date_of_publication": bib.publication_year if bib else "",
                                "publisher_const": bib.publisher if bib else "",
                                "network_number": records.network_035(bib, network_code) if bib else [],
                                "bib_suppress_from_publishing": str(bool(bib and bib.suppressed)).lower(),
                                "link": f"{base}/bibs/{item.mms_id}"}
    holding_data = {"holding_id": item.holding_id, "link": f"{base}/bibs/{item.mms_id}/holdings/{item.holding_id}",
                    "call_number": "", "call_number_type": coded("", ""), "permanent_call_number": "",
                    "permanent_call_number_type": coded("", ""), "accession_number": "", "copy_id": "",
                    "in_temp_location": False, "temp_library": {}, "temp_location": {},
                    "temp_call_number_type": coded(""), "temp_call_number": "", "temp_call_number_source": "",
                    "temp_policy": coded(""), "holding_suppress_from_publishing": "false",
                    "calculated_suppress_from_publishing": "false"}
    item_data: dict[str, Any] = {
        "pid": item.id, "barcode": item.barcode, "policy": coded(item.item_policy, item.item_policy),
        "provenance": coded(""), "description": item.description, "library": coded(
            holding.library if holding else "", library.name if library else ""),
        "location": coded(holding.location if holding else "", location.name if location else ""),
        "pages": "", "pieces": "", "requested": False, "creation_date": _item_created(item, inst),
        "modification_date": item.receive_date or _item_created(item, inst),
        # an ordered item is not in place, and stays so while received into the acquisitions work order
        "base_status": coded("0", "Item not in place") if item.po_line else coded("1", "Item in place"),
        "awaiting_reshelving": False, "physical_material_type": coded("BOOK", "Book"),
        "po_line": item.po_line, "is_magnetic": False, "receiving_operator": "API" if item.received else "",
        "inventory_number": "", "inventory_price": "", "alternative_call_number": "",
        "alternative_call_number_type": coded(""), "storage_location_id": "", "public_note": "",
        "fulfillment_note": "", "internal_note_1": "", "internal_note_2": "", "internal_note_3": "",
        "statistics_note_1": "", "statistics_note_2": "", "statistics_note_3": "",
        "physical_condition": {}, "committed_to_retain": {}, "retention_reason": coded(""), "retention_note": ""}
    if item.received:
        item_data["arrival_date"] = item.receive_date
        item_data["process_type"] = coded("WORK_ORDER_DEPARTMENT", "In Process")
        item_data["work_order_type"] = coded("AcqWorkOrder", "Acquisition technical services")
        item_data["work_order_at"] = coded(f"AcqDept{holding.library if holding else ''}", "Acquisitions Department")
    elif item.po_line:
        item_data["process_type"] = coded("ACQ", "Acquisition")
    else:
        item_data["process_type"] = coded("")
    return {"bib_data": bib_data, "holding_data": holding_data, "item_data": item_data,
            "link": f"{base}/bibs/{item.mms_id}/holdings/{item.holding_id}/items/{item.id}"}


def portfolio_to_json(portfolio: Portfolio, inst: Institution | None, base: str = ALMA_BASE, *,
                      collection_name: str | None = None) -> dict:
    """A portfolio as Alma answers it; `collection_name` also names its electronic collection (the Community
    Zone portfolio list shows it)."""
    body: dict[str, Any] = {"id": portfolio.id, "link": f"{base}/bibs/{portfolio.mms_id}/portfolios/{portfolio.id}",
            "resource_metadata": {"mms_id": {"value": portfolio.mms_id, "link": f"{base}/bibs/{portfolio.mms_id}"},
                                  "title": portfolio.title, "isbn": portfolio.isbn},
            "electronic_collection": {"id": {"value": portfolio.collection_id}, "service": {"value": ""}},
            "availability": coded("11" if portfolio.available else "10",
                                  "Available" if portfolio.available else "Not Available"),
            "interface_name": portfolio.platform,
            "is_local": inst is not None and not portfolio.community_id,  # inst None: a Community Zone portfolio
            "is_standalone": not portfolio.collection_id,
            "linked_to_cz": inst is None or bool(portfolio.community_id),
            "po_line": portfolio.po_line,
            "additional_po_line": list(portfolio.additional_po_lines),
            "access_model": coded(portfolio.access_model, inst.access_models.get(portfolio.access_model, portfolio.access_model)
                                  if inst else portfolio.access_model),
            "vendor_title_number": portfolio.vendor_title_number}
    if collection_name is not None:
        body["electronic_collection"]["name"] = collection_name
    if inst is None:  # a Community Zone portfolio: no Alma route reads it, so it carries no link that would 404
        del body["link"]
        del body["resource_metadata"]["mms_id"]["link"]
    return body


AVAILABILITY = {"11": True, "10": False}


def portfolio_changes(body: dict) -> dict:
    """What a portfolio PUT asks to change (a swap-all body read leniently: only these fields act)."""
    changes: dict = {}
    if "availability" in body:
        code = code_of(body["availability"])
        if code not in AVAILABILITY:
            raise IllegalValue(f"The portfolio availability code is not valid: {code!r} (11 or 10).", code="60161")
        changes["available"] = AVAILABILITY[code]
    if "po_line" in body:
        changes["po_line"] = code_of(body["po_line"])
    if code_of(body.get("access_model")) not in ("", "Null"):
        changes["access_model"] = code_of(body["access_model"])
    return changes


def collection_to_json(collection: ElectronicCollection, base: str = ALMA_BASE) -> dict:
    return {"id": collection.id, "link": f"{base}/electronic/e-collections/{collection.id}",
            "public_name": collection.name, "interface": {"name": collection.platform},
            "is_local": collection.zone.value == "IZ" and not collection.community_id,
            "community_zone_id": collection.community_id}


def service_to_json(collection: ElectronicCollection) -> dict:
    """A collection's one full-text electronic service; it shares the collection's ID."""
    return {"id": collection.id, "public_name": f"Full text — {collection.name}",
            "type": coded("getFullTxt", "Full Text")}


def currency_to_json(code: str, ratio: str) -> dict:
    return {"code": code, "description": CURRENCY_NAMES.get(code, code), "ratio": ratio}


def profile_to_json(profile: NewOrderProfile) -> dict:
    return {"id": profile.code, "code": profile.code, "description": profile.description or profile.name,
            "name": profile.name, "type": coded(profile.integration_type, "New Order API"),
            "system": coded(profile.system, profile.system), "default": profile.default,
            "use_network_zone": profile.use_network_zone,
            "normalization": profile.normalization, "validation_exception_profile": profile.validation_exception_profile,
            "serial_match_method": profile.serial_match_method, "non_serial_match_method": profile.non_serial_match_method,
            "upon_no_match": profile.upon_no_match.value,
            "prefer_same_inventory_type": profile.prefer_same_inventory_type,
            "inventory_operations": profile.inventory_operations.value,
            "sync_with_external_catalog": profile.sync_with_external_catalog.value,
            "do_not_create_order_if": {"order_not_fully_funded": profile.block_not_fully_funded,
                                       "invalid_fund_code": profile.block_invalid_fund_code,
                                       "fund_balance_insufficient": profile.block_insufficient_balance}}


# ---------------------------------------------------------------- a vendor's key and review rules (keys) ---------
# [decision] An API Restrictions profile is listed among the integration profiles with type API_RESTRICTIONS; its
# two settings are answered as `vendor` and `fund_view` (code and description): Ex Libris documents the settings,
# not their field names. Under the Limited fund view a fund answers without its five balances.

FUND_BALANCES = ("allocated_balance", "encumbered_balance", "expended_balance", "cash_balance", "available_balance")


def restriction_profile_to_json(profile: ApiRestrictionProfile, inst: Institution) -> dict:
    vendor = inst.vendors.get(profile.vendor)
    return {"id": profile.code, "code": profile.code, "name": profile.name or profile.code,
            "description": profile.description or profile.name,
            "type": coded(API_RESTRICTIONS, "API Restrictions"),
            "vendor": coded(profile.vendor, vendor.name if vendor else ""),
            "fund_view": coded(profile.fund_view, FUND_VIEWS.get(profile.fund_view, profile.fund_view))}


def without_balances(fund: dict) -> dict:
    """A fund (or ledger) answer with its balances left out, for a key whose fund view is Limited."""
    return {name: value for name, value in fund.items() if name not in FUND_BALANCES}


def review_rules_to_json(table: PurchasingReview) -> dict:
    """The purchasing review rules as the librarian's endpoint answers them (the simulator's own shape)."""
    def amount(value: Decimal | None) -> str | None:
        return None if value is None else f"{value:.2f}"
    rules = [{"name": r.name, "review": r.review, "enabled": r.enabled, "vendors": r.vendors,
              "po_line_types": r.po_line_types, "acquisition_methods": r.acquisition_methods, "funds": r.funds,
              "owners": r.owners, "price_over": amount(r.price_over), "rush": r.rush} for r in table.rules]
    return {"default": table.default, "rules": rules, "price_limit": amount(table.price_limit),
            "library_price_limits": {lib: amount(v) for lib, v in table.library_price_limits.items()}}


def code_table_to_json(name: str, description: str, rows: dict[str, str]) -> dict:
    return {"name": name, "description": description, "language": coded("en", "English"),
            "row": [{"code": code, "description": label, "default": i == 0, "enabled": True}
                    for i, (code, label) in enumerate(rows.items())]}


def code_table_brief_to_json(name: str, description: str, base: str = ALMA_BASE) -> dict:
    """One code table in the list of code tables: [decision] its name, description and link only (Alma's
    reference names rest_code_tables.xsd without its fields); its rows are read from the link."""
    return {"name": name, "description": description, "link": f"{base}/conf/code-tables/{name}"}


def list_json(singular: str, items: list[dict], total: int) -> dict:
    return {singular: items, "total_record_count": total}


# ---------------------------------------------------------------- invoices and fund transactions ----------------
# Invoices answer amounts as JSON numbers (25 when whole, 54.1 otherwise), unlike PO lines' string sums; an
# invoice line's fund shares carry `percent` and a bare `amount` (tests/conformance/facts.py).

from simulator.errors import AlmaError  # noqa: E402
from simulator.alma.invoices import InvoiceDraft, InvoiceLineDraft  # noqa: E402
from simulator.alma.model import (  # noqa: E402
    CREATION_FORMS, INVOICE_LINE_TYPES, PAYMENT_METHODS as INVOICE_PAYMENT_METHODS, WORKFLOW_LABELS, FundTransaction,
    Invoice, InvoiceLine, InvoiceWorkflowStatus,
)

_INVOICE_STATUS = {"ACTIVE": "Active", "CLOSED": "Closed"}
_APPROVAL = {"PENDING": "Pending", "APPROVED": "Approved"}
_PAYMENT_STATUS = {"NOT_PAID": "Not Paid", "PAID": "Paid"}
_LINE_STATUS = {"INREVIEW": "In Review", "READY": "Ready"}


def _number(value: Decimal) -> int | float:
    """An invoice amount as Alma writes it: 25 when whole, 54.1 otherwise."""
    return int(value) if value == value.to_integral_value() else float(value)


def _amount_of(value: Any, name: str, code: str) -> Decimal | None:
    """A bare number (JSON) or its text (XML); a money object {"sum": …} is accepted too."""
    if isinstance(value, dict):
        value = value.get("sum", value.get("value"))
    if value is None or value == "":
        return None
    amount = None if isinstance(value, bool) else to_decimal(value)
    if amount is None or abs(amount) > Decimal("1e12"):
        raise AlmaError(f"Given {name} is not an amount: {value!r}.", code=code)
    return amount


def invoice_draft_from_json(body: dict) -> InvoiceDraft:
    """POST/PUT /acq/invoices: the header fields Alma reads."""
    total = _amount_of(body.get("total_amount"), "total_amount", "60235")
    notes = [text_of(n.get("content") if isinstance(n, dict) else n) for n in list_of(
        (body.get("notes") or {}).get("note") if isinstance(body.get("notes"), dict) else body.get("note"))]
    return InvoiceDraft(number=text_of(body.get("number")), invoice_date=text_of(body.get("invoice_date")),
                        vendor=code_of(body.get("vendor")), vendor_account=text_of(body.get("vendor_account")),
                        total_amount=total, currency=code_of(body.get("currency")).upper(),
                        payment_method=code_of(body.get("payment_method")).upper(), owner=code_of(body.get("owner")),
                        reference_number=text_of(body.get("reference_number")), notes=[n for n in notes if n])


def invoice_line_draft_from_json(body: dict) -> InvoiceLineDraft:
    """POST/PUT /acq/invoices/{id}/lines: the line fields Alma reads; a fund share's amount is in the invoice's
    currency (the caller passes the currency afterwards through `funds_in`)."""
    price = _amount_of(body.get("price", body.get("total_price")), "price", "60255")
    raw_quantity = body.get("quantity")
    try:
        quantity = _quantity(raw_quantity) if raw_quantity not in (None, "") else 1
    except IllegalValue as exc:
        raise AlmaError(exc.message, code="60255") from None
    shares = []
    for raw in list_of(body.get("fund_distribution")):
        if not isinstance(raw, dict):
            raise AlmaError(f"Fund code not valid: {raw!r} is not a fund share.", code="60254")
        amount = _amount_of(raw.get("amount"), "fund amount", "60257")
        percent = _amount_of(raw.get("percent"), "fund percent", "60257")
        shares.append(FundShare(fund=code_of(raw.get("fund_code")), percent=percent,
                                amount=Money(amount, "") if amount is not None else None))
    return InvoiceLineDraft(
        type=code_of(body.get("type")) or "REGULAR", po_line=text_of(body.get("po_line")), price=price,
        quantity=quantity, funds=shares, subscription_from=text_of(body.get("subscription_from_date")),
        subscription_to=text_of(body.get("subscription_to_date")),
        fully_invoiced=flag_of(body["fully_invoiced"], "fully_invoiced") if "fully_invoiced" in body else True,
        release_remaining_encumbrance=flag_of(body.get("release_remaining_encumbrance", False),
                                              "release_remaining_encumbrance"),
        note=text_of(body.get("note")), vendor_reference=text_of(body.get("additional_info")))


def shares_in_currency(draft: InvoiceLineDraft, currency: str) -> InvoiceLineDraft:
    """A line's fund amounts are in its invoice's currency."""
    draft.funds = [FundShare(fund=s.fund, percent=s.percent,
                             amount=Money(s.amount.amount, currency) if s.amount is not None else None)
                   for s in draft.funds]
    return draft


def invoice_line_to_json(line: InvoiceLine, invoice: Invoice, inst: Institution, base: str = ALMA_BASE) -> dict:
    shares = []
    for share in line.funds:
        fund = inst.funds.get(share.fund)
        if share.amount is not None:
            amount = share.amount.amount
            percent = amount * 100 / line.price if line.price else Decimal(0)
        else:
            percent = share.percent if share.percent is not None else Decimal(100)
            amount = line.price * percent / 100
        shares.append({"fund_code": coded(share.fund, fund.name if fund else ""),
                       "percent": float(round(percent, 4)), "amount": _number(round(amount, 2))})
    result: dict[str, Any] = {
        "id": line.id, "link": f"{base}/acq/invoices/{invoice.id}/lines/{line.id}",
        "type": coded(line.type, INVOICE_LINE_TYPES.get(line.type, line.type)), "number": line.number,
        "status": coded(line.status, _LINE_STATUS.get(line.status, line.status)),
        "price": _number(line.price), "total_price": _number(line.price), "quantity": line.quantity,
        "po_line": line.po_line, "note": line.note, "price_note": "", "additional_info": line.vendor_reference,
        "vat_note": "", "check_subscription_date_overlap": False, "fully_invoiced": line.fully_invoiced,
        "release_remaining_encumbrance": line.release_remaining_encumbrance,
        "reporting_code": coded(""), "secondary_reporting_code": coded(""), "tertiary_reporting_code": coded(""),
        "invoice_line_vat": {"percentage": 0, "vat_code": coded(""), "vat_amount": 0},
        "fund_distribution": shares,
    }
    if line.subscription_from:
        result["subscription_from_date"] = line.subscription_from
    if line.subscription_to:
        result["subscription_to_date"] = line.subscription_to
    return result


def invoice_to_json(invoice: Invoice, inst: Institution, base: str = ALMA_BASE, *, with_lines: bool = True) -> dict:
    """An invoice as Alma answers it; `with_lines` adds `invoice_lines` (GET one invoice, expand=none as Alma)."""
    vendor = inst.vendors.get(invoice.vendor)
    workflow: dict = ({} if invoice.workflow_status is InvoiceWorkflowStatus.CLOSED else
                      coded(invoice.workflow_status.value, WORKFLOW_LABELS[invoice.workflow_status]))
    link = f"{base}/acq/invoices/{invoice.id}"
    owner_name = inst.libraries[invoice.owner].name if invoice.owner in inst.libraries else inst.name
    result: dict[str, Any] = {
        "id": invoice.id, "number": invoice.number,
        "vendor": coded(invoice.vendor, vendor.name if vendor else ""), "vendor_account": invoice.vendor_account,
        "currency": coded(invoice.currency, CURRENCY_NAMES.get(invoice.currency, invoice.currency)),
        "owner": coded(invoice.owner, owner_name), "invoice_date": invoice.invoice_date,
        "total_amount": _number(invoice.total_amount), "total_invoice_lines_amount": _number(invoice.lines_total),
        "payment": {"prepaid": False, "internal_copy": False,
                    "payment_status": coded(invoice.payment_status, _PAYMENT_STATUS.get(invoice.payment_status,
                                                                                        invoice.payment_status)),
                    "voucher_number": "", "voucher_amount": "", "voucher_currency": coded("")},
        "payment_method": coded(invoice.payment_method, INVOICE_PAYMENT_METHODS.get(invoice.payment_method,
                                                                                    invoice.payment_method)),
        "reference_number": invoice.reference_number,
        "creation_form": coded(invoice.creation_form if invoice.creation_form != "API" else "API",
                               CREATION_FORMS.get(invoice.creation_form, invoice.creation_form)),
        "invoice_status": coded(invoice.invoice_status, _INVOICE_STATUS[invoice.invoice_status]),
        "invoice_workflow_status": workflow,
        "invoice_approval_status": coded(invoice.approval_status, _APPROVAL.get(invoice.approval_status,
                                                                                invoice.approval_status)),
        "vendor_contact_person": {},
        "additional_charges": {"shipment": 0, "overhead": 0, "insurance": 0, "discount": 0, "use_pro_rata": False},
        "invoice_vat": {"percentage": 0, "type": coded(""), "report_tax": False, "vat_per_invoice_line": False,
                        "vat_code": coded(""), "vat_amount": 0, "expended_from_fund": False},
        "explicit_ratio": [], "alert": [coded(a.code, a.text) for a in invoice.alerts],
        "note": [{"content": n} for n in invoice.notes],
        "number_of_lines": {"value": len(invoice.lines), "link": f"{link}/lines"},
        "link": link,
    }
    if invoice.approval_date:
        result["approval_date"] = invoice.approval_date
    if invoice.voucher_date:
        result["payment"]["voucher_date"] = invoice.voucher_date
    if with_lines:
        lines = [invoice_line_to_json(l, invoice, inst, base) for l in invoice.lines]
        result["invoice_lines"] = {"invoice_line": lines, "total_record_count": len(lines)}
    return result


def fund_transaction_to_json(transaction: FundTransaction, fund: Fund, inst: Institution,
                             base: str = ALMA_BASE) -> dict:
    """One fund transaction, its amount a money object in the fund's currency [decision: as the fund's own
    currency, the sum a number as on the fund]."""
    result: dict[str, Any] = {
        "id": transaction.id, "type": coded(transaction.type.value, transaction.type.value.title()),
        "amount": {"sum": _number(transaction.amount),
                   "currency": coded(fund.currency, CURRENCY_NAMES.get(fund.currency, fund.currency))},
        "fund": {"value": fund.id, "desc": fund.code, "link": f"{base}/acq/funds/{fund.id}"},
        "transaction_date": transaction.date, "note": transaction.note,
        "po_line": transaction.po_line, "invoice": transaction.invoice_number,
        "invoice_line": transaction.invoice_line,
    }
    if transaction.related_fund:
        related = inst.funds.get(transaction.related_fund)
        result["related_fund"] = {"value": related.id if related else transaction.related_fund,
                                  "desc": transaction.related_fund}
    return result


def purchase_order_to_json(po, inst: Institution) -> dict:
    """A purchase order for the librarian's view [decision: Alma's REST API has no PO object; the fields are the
    PO screen's]: number, vendor, status, sent date and its lines with their statuses."""
    lines = [inst.po_lines[n] for n in po.po_lines if n in inst.po_lines]
    return {"number": po.number, "vendor": coded(po.vendor), "status": coded(po.status, po.status.title()),
            "sent_date": po.sent_date,
            "po_line": [{"number": l.number, "status": coded(l.status.value, STATUS_LABELS.get(l.status, ""))}
                        for l in lines]}


# ---------------------------------------------------------------- interested users, letters, requests ----------

_INTERESTED_FLAGS = ("notify_receiving_activation", "hold_item", "notify_renewal", "notify_cancel")


def interested_users_from_json(value: Any) -> list[InterestedUser]:
    """A PO line's `interested_user` array (JSON, or XML's `<interested_users><interested_user>`): each
    `{primary_id, notify_receiving_activation, hold_item, notify_renewal, notify_cancel}`, flags absent = false."""
    users = []
    for entry in list_of(value):
        if not isinstance(entry, dict):
            raise IllegalValue("Given interested_user is illegal: each is an object with a primary_id.")
        flags = {name: flag_of(entry.get(name), name) for name in _INTERESTED_FLAGS}
        users.append(InterestedUser(primary_id=text_of(entry.get("primary_id")) or code_of(entry.get("primary_id")),
                                    **flags))
    return users


def interested_user_json(user: InterestedUser) -> dict:
    return {"primary_id": user.primary_id, **{name: getattr(user, name) for name in _INTERESTED_FLAGS}}


#: Labels of a user request's coded fields (code tables RequestTypes, RequestSubTypes, RequestStatuses).
_REQUEST_LABELS = {"HOLD": "Patron physical item request", "PATRON_PHYSICAL": "Patron physical item request",
                   "NOT_STARTED": "Not Started"}


def user_request_to_json(request: UserRequest, inst: Institution, base: str = ALMA_BASE) -> dict:
    """A hold request as Alma's rest_user_request answers it."""
    library = inst.libraries.get(request.pickup_library)
    return {
        "user_primary_id": request.primary_id,
        "request_id": request.request_id,
        "request_type": request.request_type,
        "request_sub_type": coded(request.request_sub_type, _REQUEST_LABELS.get(request.request_sub_type, "")),
        "request_status": request.status,
        "pickup_location": library.name if library else request.pickup_library,
        "pickup_location_type": "LIBRARY",
        "pickup_location_library": request.pickup_library,
        "mms_id": request.mms_id,
        "holding_id": request.holding_id,
        "item_id": request.item_id,
        "title": request.title,
        "request_date": request.request_date,
        "place_in_queue": request.place_in_queue,
        "comment": request.comment,
        "task_name": "",
        "managed_by_library": library.name if library else "",
        "managed_by_library_code": request.pickup_library,
        "link": f"{base}/bibs/{request.mms_id}/holdings/{request.holding_id}/items/{request.item_id}/requests/"
                f"{request.request_id}",
    }


def letter_to_json(letter: Letter) -> dict:
    """A letter in the librarian's letters list (not an Alma API object: Alma's letter log has no REST API)."""
    return {"id": letter.id, "letter_type": coded(letter.code, letter.name), "user_primary_id": letter.primary_id,
            "email": letter.email, "po_line": letter.po_line, "reason": letter.reason, "title": letter.title,
            "date": letter.date, "item_id": letter.item_id, "portfolio_id": letter.portfolio_id, "text": letter.text}
