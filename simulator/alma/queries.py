"""Searching PO lines and funds the way Alma's list endpoints do (brief search `field~text`, status sets,
sorting and paging), plus the In Review task list. Read-only. Imports model and simulator.errors.
"""

from __future__ import annotations

from simulator.alma.model import Fund, Institution, Ledger, POLine, POLineStatus
from simulator.errors import GeneralError, InvalidParameter

SEARCH_FIELDS = ("title", "author", "mms_id", "publisher", "publication_year", "publication_place", "issn_isbn",
                 "vendor_code", "vendor_name", "vendor_account", "fund_code", "fund_name", "number", "po_number",
                 "invoice_reference", "shelving_location", "all")
SORT_FIELDS = ("number", "title", "created_date", "po_number")
STATUS_SETS = {
    "ALL": lambda s: s is not POLineStatus.CLOSED,
    "ALL_WITH_CLOSED": lambda s: True,
    "ACTIVE": lambda s: s not in (POLineStatus.CLOSED, POLineStatus.CANCELLED),
    "CLOSED": lambda s: s is POLineStatus.CLOSED,
    "CANCELLED": lambda s: s is POLineStatus.CANCELLED,
}


def _field_values(line: POLine, inst: Institution, name: str) -> list[str]:
    d, meta = line.draft, line.draft.resource
    vendor = inst.vendors.get(d.vendor)
    values = {
        "title": [meta.title], "author": [meta.author], "mms_id": [line.mms_id], "publisher": [meta.publisher],
        "publication_year": [meta.publication_year], "publication_place": [meta.publication_place],
        "issn_isbn": [meta.isbn, meta.issn], "vendor_code": [d.vendor], "vendor_name": [vendor.name if vendor else ""],
        "vendor_account": [d.vendor_account], "fund_code": [s.fund for s in d.funds],
        "fund_name": [inst.funds[s.fund].name for s in d.funds if s.fund in inst.funds],
        "number": [line.number], "po_number": [line.po_number],
        "invoice_reference": [str(d.extra.get("invoice_reference", ""))],
        "shelving_location": [loc.location for loc in d.locations],
    }
    if name == "all":
        return [v for vs in values.values() for v in vs]
    return values[name]


def parse_query(q: str) -> list[tuple[str, str]]:
    """`title~history AND fund_code~HIST` → [("title", "history"), ("fund_code", "HIST")]."""
    terms = []
    for part in (q or "").split(" AND "):
        part = part.strip()
        if not part:
            continue
        name, sep, text = part.partition("~")
        if not sep:
            raise GeneralError(f"General error. Search query {part!r} is not of the form field~text.")
        name = name.strip()
        if name not in SEARCH_FIELDS:
            raise InvalidParameter(f"Search query parameter {name} is not supported. Supported search fields "
                                   f"are: [{', '.join(SEARCH_FIELDS)}]", code="40188600")
        terms.append((name, text.strip().casefold()))
    return terms


def search_po_lines(inst: Institution, *, q: str = "", status: str = "ALL", order_by: str = "title",
                    direction: str = "desc", acquisition_method: str = "ALL", library: str = "") -> list[POLine]:
    terms = parse_query(q)
    keep = STATUS_SETS.get(status.upper())
    if keep is None:
        raise GeneralError(f"General error. status {status!r} is not one of {', '.join(STATUS_SETS)}.")
    if order_by not in SORT_FIELDS:
        raise InvalidParameter(f"order_by value {order_by} is invalid. Valid sort values are: "
                               f"[{', '.join(SORT_FIELDS)}]", code="40188604")
    if direction.lower() not in ("asc", "desc"):
        raise GeneralError(f"General error. direction {direction!r} is not asc or desc.")
    found = []
    for line in inst.po_lines.values():
        if not keep(line.status):
            continue
        if acquisition_method.upper() != "ALL" and line.draft.acquisition_method != acquisition_method.upper():
            continue
        if library and line.draft.owner != library and all(loc.library != library for loc in line.draft.locations):
            continue
        if all(any(text in v.casefold() for v in _field_values(line, inst, name)) for name, text in terms):
            found.append(line)
    key = {"number": lambda l: int(l.number.rsplit("-", 1)[-1]) if l.number.rsplit("-", 1)[-1].isdigit() else 0,
           "title": lambda l: l.title.casefold(), "created_date": lambda l: (l.created_date, l.number),
           "po_number": lambda l: l.po_number}[order_by]
    return sorted(found, key=key, reverse=direction.lower() == "desc")


def in_review(inst: Institution) -> list[POLine]:
    """The In Review task list: every line in In Review, oldest first."""
    return [line for line in inst.po_lines.values() if line.status is POLineStatus.IN_REVIEW]


def funds_for_po_line(inst: Institution, *, library: str = "", q: str = "") -> list[Fund]:
    """mode=POL: allocated funds, active in the current fiscal period, usable on a PO line (for `library`)."""
    current = inst.current_fiscal_period
    wanted = ""
    if q:
        name, _, text = q.partition("~")
        if name.strip() != "fund_code":
            raise InvalidParameter(f"Search query parameter {name.strip()} is not supported when mode=POL. "
                                   f"Supported search fields are: [fund_code]", code="401873")
        wanted = text.strip().casefold()
    return [f for f in inst.funds.values()
            if f.active and f.entity_type == "ALLOCATED" and current is not None and f.fiscal_period == current.id
            and (not library or f.usable_by(library)) and wanted in f.code.casefold()]


def search_text(q: str) -> str:
    """The text of a one-field brief search (`name~text`, or bare text), folded for comparison."""
    return (q.partition("~")[2] if "~" in q else q).strip().casefold()


def all_funds(inst: Institution, *, q: str = "", status: str = "", entity_type: str = "", library: str = "") -> list[Fund]:
    text = search_text(q)
    return [f for f in inst.funds.values()
            if (not status or ("ACTIVE" if f.active else "INACTIVE") == status.upper())
            and (not entity_type or f.entity_type == entity_type.upper())
            and (not library or f.usable_by(library))
            and (not text or text in f.code.casefold() or text in f.name.casefold())]


def all_ledgers(inst: Institution, *, q: str = "", status: str = "", entity_type: str = "",
                library: str = "") -> list[Ledger]:
    """mode=ALL lists ledgers beside funds (entity type LEDGER; always active; not tied to a library)."""
    text = search_text(q)
    if entity_type and entity_type.upper() != "LEDGER" or status and status.upper() != "ACTIVE" or library:
        return []
    return [led for led in inst.ledgers.values()
            if not text or text in led.code.casefold() or text in led.name.casefold()]
