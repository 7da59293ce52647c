"""Evidence of what a vendor sent and what Alma answered, for the living-documentation report.

Owns `RecordingBackend` (any `Backend`, wrapped: every exchange is forwarded unchanged and recorded), the
`Exchange` record, the sentence that tells an exchange in a librarian's words ("Vendor GOBI sent a PO line for
'Rivers of Empire' … → Alma created POL-10002, Sent") and the PO line card (number, status, title, vendor,
fund, owning library, alerts, portfolios) drawn from Alma's own JSON. Every reader tolerates missing keys.

A `Sheet` collects the exchanges of one scenario: `simulator.testing.evidence_plugin` opens one per test with
`collecting(...)`, and every RecordingBackend reports to the sheet open at the time of each request (or, when
none is open, to the one open when it was created). Imports simulator.errors, simulator.alma_json (coded
fields and money objects) and the route spec.
"""

from __future__ import annotations

import json
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

from simulator.alma_json import code_of, label_of, sum_and_currency
from simulator.errors import AlmaError

from simulator.api.routes import ALMA, LIBRARIAN
MAX_BODY_CHARS = 20_000  # a body larger than this is kept as a truncated text, so evidence files stay small


@dataclass
class Exchange:
    """One request to Alma and its answer (or refusal), in Alma's JSON and in a sentence."""

    method: str
    path: str
    query: dict[str, Any]
    request: Any
    answer: Any = None
    error: dict[str, Any] | None = None  # {"code", "message", "status"} when Alma refused
    duration_ms: float = 0.0
    summary: str = ""
    po_line: dict[str, Any] | None = None  # the PO line card, when the answer is a PO line
    step: int | None = None  # index of the scenario step during which it happened, when known

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Sheet:
    """The evidence of one scenario: its exchanges, and the step currently running."""

    exchanges: list[Exchange] = field(default_factory=list)
    step: int | None = None


_sheet: ContextVar[Sheet | None] = ContextVar("almasim_evidence_sheet", default=None)


@contextmanager
def collecting(sheet: Sheet | None = None) -> Iterator[Sheet]:
    """Every RecordingBackend used inside this block reports its exchanges to `sheet`."""
    sheet = sheet if sheet is not None else Sheet()
    token = _sheet.set(sheet)
    try:
        yield sheet
    finally:
        _sheet.reset(token)


class RecordingBackend:
    """A Backend that forwards every request to `inner` and keeps the exchange as evidence."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.kind = getattr(inner, "kind", "unknown")
        self.exchanges: list[Exchange] = []
        self._sheet_at_creation = _sheet.get()

    def __getattr__(self, name: str) -> Any:  # world, clock, institution … of the wrapped backend
        return getattr(self.inner, name)

    def send(self, method: str, path: str, query: dict[str, Any] | None = None, body: dict | None = None) -> Any:
        started = time.perf_counter()
        try:
            answer = self.inner.send(method, path, query, body)
        except AlmaError as exc:
            self._record(method, path, query, body, None, exc, started)
            raise
        self._record(method, path, query, body, answer, None, started)
        return answer

    def _record(self, method: str, path: str, query: dict | None, body: Any, answer: Any,
                exc: AlmaError | None, started: float) -> None:
        duration_ms = (time.perf_counter() - started) * 1000
        error = None if exc is None else {"code": str(exc.code), "message": exc.message,
                                          "status": getattr(exc, "status", None)}
        sheet = _sheet.get() or self._sheet_at_creation
        exchange = Exchange(method=method.upper(), path=path, query=dict(query or {}), request=_bounded(body),
                            answer=_bounded(answer), error=error, duration_ms=round(duration_ms, 3),
                            summary=describe(method, path, query or {}, body, answer, error),
                            po_line=po_line_card(answer) if exc is None else None,
                            step=sheet.step if sheet is not None else None)
        self.exchanges.append(exchange)
        if sheet is not None:
            sheet.exchanges.append(exchange)


LIST_ENTRIES_KEPT = 3  # a list answer keeps its first entries; the rest is counted, not copied


def _bounded(body: Any) -> Any:
    """A copy of a body small enough for a report page: long texts cut, long lists shortened."""
    if isinstance(body, dict) and "total_record_count" in body:
        body = {key: (value[:LIST_ENTRIES_KEPT] + [f"… {len(value) - LIST_ENTRIES_KEPT} more"]
                      if isinstance(value, list) and len(value) > LIST_ENTRIES_KEPT else value)
                for key, value in body.items()}
    if isinstance(body, str) and len(body) > MAX_BODY_CHARS:
        return body[:MAX_BODY_CHARS] + " … (truncated)"
    if isinstance(body, (dict, list)):
        text = json.dumps(body, default=str)
        if len(text) > MAX_BODY_CHARS:
            return text[:MAX_BODY_CHARS] + " … (truncated)"
        return json.loads(text)
    return body


# -- reading Alma's JSON, whatever is missing ---------------------------------------------------------------------
def _items(value: Any, key: str) -> list:
    """Alma lists come bare, or wrapped as {key: [...]}; a single object may stand for a list of one."""
    if isinstance(value, dict):
        value = value.get(key, [])
    if isinstance(value, dict):
        return [value]
    return value if isinstance(value, list) else []


def _money(value: Any) -> str:
    sent = sum_and_currency(value)
    return "" if sent is None else f"{sent[0]} {sent[1]}".strip()


def is_po_line(body: Any) -> bool:
    return isinstance(body, dict) and bool(body.get("number")) and (
        "status" in body or "resource_metadata" in body or "fund_distribution" in body)


def po_line_card(body: Any) -> dict[str, Any] | None:
    """A PO line as Alma's PO line page shows it; None when the body is not a PO line."""
    if not is_po_line(body):
        return None
    meta = body.get("resource_metadata") if isinstance(body.get("resource_metadata"), dict) else {}
    funds, shares = [], []
    for share in _items(body.get("fund_distribution"), "fund_distribution"):
        if not isinstance(share, dict):
            continue
        fund = code_of(share.get("fund_code")) or label_of(share.get("fund_code"))
        shares.append({"fund": fund, "name": label_of(share.get("fund_code")), "amount": _money(share.get("amount")),
                       "percent": str(share.get("percent") or "")})
        name = label_of(share.get("fund_code"))
        amount = _money(share.get("amount"))
        percent = share.get("percent")
        text = fund if not name or name == fund else f"{fund} ({name})"
        extra = ", ".join(x for x in (amount, f"{percent}%" if percent not in (None, "") else "") if x)
        funds.append(f"{text} — {extra}" if extra else text)
    locations = []
    for loc in _items(body.get("location"), "location"):
        if isinstance(loc, dict):
            where = " / ".join(x for x in (label_of(loc.get("library")), label_of(loc.get("shelving_location"))) if x)
            qty = loc.get("quantity")
            locations.append(f"{where} × {qty}" if where and qty not in (None, "") else where)
    portfolios = []
    for item in _items(body.get("portfolios"), "portfolio"):
        if isinstance(item, dict) and item.get("id"):
            portfolios.append(str(item["id"]))
    alerts = [label_of(a) for a in _items(body.get("alert"), "alert") if label_of(a)]
    mms = meta.get("mms_id")
    card = {
        "number": str(body.get("number", "")),
        "status": label_of(body.get("status")),
        "status_code": code_of(body.get("status")),
        "title": str(meta.get("title") or ""),
        "author": str(meta.get("author") or ""),
        "isbn": str(meta.get("isbn") or ""),
        "issn": str(meta.get("issn") or ""),
        "mms_id": code_of(mms) if isinstance(mms, dict) else str(mms or ""),
        "type": label_of(body.get("type")),
        "vendor": code_of(body.get("vendor")),
        "vendor_name": label_of(body.get("vendor")),
        "vendor_account": label_of(body.get("vendor_account")),
        "vendor_reference_number": str(body.get("vendor_reference_number") or ""),
        "owning_library": label_of(body.get("owner")),
        "price": _money(body.get("price")),
        "funds": funds,
        "fund_shares": shares,
        "po_number": str(body.get("po_number") or ""),
        "expected_receipt_date": str(body.get("expected_receipt_date") or ""),
        "expected_receipt_interval": label_of(body.get("expected_receipt_interval")),
        "net_price": _money(body.get("net_price")) if body.get("net_price") else "",
        "locations": [x for x in locations if x],
        "alerts": alerts,
        "portfolios": portfolios,
        "access_model": label_of(body.get("access_model")) if label_of(body.get("access_model")) != "Null" else "",
        "access_provider": label_of(body.get("access_provider")),
        "created": str(body.get("created_date") or ""),
    }
    return card


# -- the sentence ----------------------------------------------------------------------------------------------------
def _title(body: Any) -> str:
    meta = body.get("resource_metadata") if isinstance(body, dict) else None
    if not isinstance(meta, dict):
        return "a title without its description"
    title = str(meta.get("title") or "")
    ident = meta.get("isbn") or meta.get("issn")
    kind = "ISBN" if meta.get("isbn") else "ISSN"
    parts = [f"'{title}'" if title else "a title"]
    if ident:
        parts.append(f"({kind} {ident})")
    return " ".join(parts)


def _funds(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    codes = [code_of(s.get("fund_code")) for s in _items(body.get("fund_distribution"), "fund_distribution")
             if isinstance(s, dict) and code_of(s.get("fund_code"))]
    return ", ".join(codes)


def _count(answer: Any, key: str, noun: str) -> str:
    if isinstance(answer, dict):
        total = answer.get("total_record_count")
        if total is None:
            total = len(_items(answer, key))
        return f"{total} {noun}{'' if total == 1 else 's'}"
    return ""


def _line_outcome(answer: Any, verb: str) -> str:
    card = po_line_card(answer)
    if not card:
        return f"Alma {verb} it"
    text = f"Alma {verb} {card['number']}"
    if card["status"]:
        text += f", {card['status']}"
    if card["alerts"]:
        text += f" ({len(card['alerts'])} alert{'s' if len(card['alerts']) != 1 else ''})"
    return text


_PATTERNS: list[tuple[str, str, str]] = [
    # (method, path pattern after /almaws/v1 or /almasim/v1/librarian, kind)
    ("POST", r"/acq/po-lines", "create_pol"),
    ("GET", r"/acq/po-lines", "list_pol"),
    ("GET", r"/acq/po-lines/(?P<n>[^/]+)", "get_pol"),
    ("PUT", r"/acq/po-lines/(?P<n>[^/]+)", "update_pol"),
    ("DELETE", r"/acq/po-lines/(?P<n>[^/]+)", "cancel_pol"),
    ("GET", r"/acq/po-lines/(?P<n>[^/]+)/items", "items"),
    ("POST", r"/acq/po-lines/(?P<n>[^/]+)/items(?:/(?P<item>[^/]+))?", "receive"),
    ("GET", r"/acq/funds", "funds"),
    ("GET", r"/acq/funds/(?P<n>[^/]+)", "fund"),
    ("GET", r"/acq/vendors", "vendors"),
    ("GET", r"/acq/vendors/(?P<n>[^/]+)", "vendor"),
    ("GET", r"/conf/libraries", "libraries"),
    ("GET", r"/conf/libraries/(?P<n>[^/]+)/locations", "locations"),
    ("GET", r"/conf/code-tables/(?P<n>[^/]+)", "code_table"),
    ("GET", r"/bibs/(?P<n>[^/]+)", "bib"),
    ("GET", r"/bibs/(?P<n>[^/]+)/portfolios", "bib_portfolios"),
    ("GET", r"/(?P<n>[^/]+)/test", "test"),
    ("POST", r"/(?P<n>[^/]+)/test", "test"),
    ("POST", r"/bibs/(?P<n>[^/]+)/order", "order_from_bib"),
    ("GET", r"/community-zone/portfolios", "cz_search"),
    ("POST", r"/community-zone/portfolios/(?P<n>[^/]+)/order", "order_from_cz"),
    ("GET", r"/in-review", "in_review"),
    ("POST", r"/po-lines/(?P<n>[^/]+)/approve", "approve"),
    ("GET", r"/portfolios/(?P<n>[^/]+)", "portfolio"),
    ("POST", r"/portfolios/(?P<n>[^/]+)/activate", "activate"),
    ("PUT", r"/integration-profiles/(?P<n>[^/]+)", "profile"),
    ("DELETE", r"/integration-profiles/(?P<n>[^/]+)", "remove_profile"),
    ("PATCH", r"/funds/(?P<n>[^/]+)", "configure_fund"),
    ("PUT", r"/api-restrictions/(?P<n>[^/]+)", "api_restrictions"),
    ("PUT", r"/purchasing-review-rules", "review_rules"),
]


def describe(method: str, path: str, query: dict[str, Any], request: Any, answer: Any,
             error: dict[str, Any] | None) -> str:
    """One sentence in a librarian's words for one exchange; falls back to "GET /path" for the unknown."""
    method = method.upper()
    bare = path.split("?", 1)[0].rstrip("/")
    librarian = bare.startswith(LIBRARIAN)
    rest = bare[len(LIBRARIAN):] if librarian else bare[len(ALMA):] if bare.startswith(ALMA) else bare
    kind, n = "", ""
    for m, pattern, k in _PATTERNS:
        found = re.fullmatch(pattern, rest)
        if m == method and found:
            kind, n = k, found.groupdict().get("n") or ""
            break
    vendor = code_of(request.get("vendor")) if isinstance(request, dict) else ""
    who = "The librarian" if librarian else (f"Vendor {vendor}" if vendor else "The vendor")
    q = query or {}
    if kind == "create_pol":
        did = f"{who} sent a PO line for {_title(request)}"
        if _funds(request):
            did += f" on {_funds(request)}"
        if q.get("profile_code"):
            did += f" (integration profile {q['profile_code']})"
        outcome = _line_outcome(answer, "created")
    elif kind == "list_pol":
        did, outcome = f"{who} listed PO lines", f"Alma answered {_count(answer, 'po_line', 'PO line')}"
    elif kind == "get_pol":
        did, outcome = f"{who} looked up PO line {n}", _line_outcome(answer, "showed")
    elif kind == "update_pol":
        did, outcome = f"{who} updated PO line {n}", _line_outcome(answer, "saved")
    elif kind == "cancel_pol":
        reason = q.get("reason")
        did = f"{who} cancelled PO line {n}" + (f" (reason {reason})" if reason else "")
        outcome = "Alma cancelled it"
    elif kind == "items":
        did, outcome = f"{who} looked at the items of PO line {n}", f"Alma answered {_count(answer, 'item', 'item')}"
    elif kind == "receive":
        did, outcome = f"{who} received an item of PO line {n}", "Alma received it"
    elif kind == "funds":
        scope = f" for library {q['library']}" if q.get("library") else ""
        did, outcome = f"{who} looked up the funds{scope}", f"Alma answered {_count(answer, 'fund', 'fund')}"
    elif kind == "fund":
        did = f"{who} looked up fund {n}"
        outcome = f"Alma showed {label_of(answer.get('code')) or n}" if isinstance(answer, dict) else "Alma answered"
    elif kind == "vendors":
        did, outcome = f"{who} looked up the vendors", f"Alma answered {_count(answer, 'vendor', 'vendor')}"
    elif kind == "vendor":
        did = f"{who} looked up vendor {n}"
        outcome = f"Alma showed {label_of(answer.get('name')) or n}" if isinstance(answer, dict) else "Alma answered"
    elif kind == "libraries":
        did, outcome = f"{who} looked up the libraries", f"Alma answered {_count(answer, 'library', 'library')}"
    elif kind == "locations":
        did = f"{who} looked up the locations of library {n}"
        outcome = f"Alma answered {_count(answer, 'location', 'location')}"
    elif kind == "code_table":
        did, outcome = f"{who} read the code table {n}", "Alma answered"
    elif kind == "bib":
        did = f"{who} looked up bibliographic record {n}"
        title = answer.get("title") if isinstance(answer, dict) else None
        outcome = f"Alma showed '{title}'" if title else "Alma answered"
    elif kind == "bib_portfolios":
        did = f"{who} looked at the portfolios of record {n}"
        outcome = f"Alma answered {_count(answer, 'portfolio', 'portfolio')}"
    elif kind == "test":
        did, outcome = f"{who} checked the API key ({n})", "Alma answered"
    elif kind == "order_from_bib":
        did, outcome = f"{who} ordered from record {n} for {_title(request)}", _line_outcome(answer, "created")
    elif kind == "cz_search":
        did = f"{who} searched the Community Zone portfolios" + (f" for {q['q']}" if q.get("q") else "")
        outcome = f"Alma found {_count(answer, 'portfolio', 'portfolio')}"
    elif kind == "order_from_cz":
        did, outcome = f"{who} ordered Community Zone portfolio {n}", _line_outcome(answer, "created")
    elif kind == "in_review":
        did, outcome = f"{who} opened the In Review list", f"Alma listed {_count(answer, 'po_line', 'PO line')}"
    elif kind == "approve":
        did, outcome = f"{who} approved PO line {n}", _line_outcome(answer, "approved")
    elif kind == "portfolio":
        did = f"{who} opened portfolio {n}"
        status = label_of(answer.get("availability")) if isinstance(answer, dict) else ""
        outcome = f"Alma showed it{', ' + status if status else ''}"
    elif kind == "activate":
        did, outcome = f"{who} activated portfolio {n}", "Alma activated it"
    elif kind == "profile":
        did, outcome = f"{who} configured integration profile {n}", "Alma saved it"
    elif kind == "remove_profile":
        did, outcome = f"{who} removed integration profile {n}", "Alma removed it"
    elif kind == "api_restrictions":
        did, outcome = f"{who} configured API Restrictions profile {n}", "Alma saved it"
    elif kind == "review_rules":
        did, outcome = f"{who} set the purchasing review rules", "Alma saved them"
    elif kind == "configure_fund":
        changes = ", ".join(f"{k} {v}" for k, v in request.items()) if isinstance(request, dict) else ""
        did = f"{who} changed fund {n}" + (f": {changes}" if changes else "")
        outcome = "Alma saved it"
    else:
        did, outcome = f"{who}: {method} {path}", "Alma answered"
    if error:
        outcome = f"Alma refused it: {error.get('message')} (error {error.get('code')})".rstrip()
    return f"{did} → {outcome}"
