"""The request journal: what the simulated Alma received, in library words and as the raw exchange.

Every answered Alma call leaves one `Exchange`: a summary a librarian can read ("PO line POL-10002 created
for ISBN 9781861895554 charged to HIST-MONO (In Review: FUND_NOT_FULLY_FUNDED)") and the raw request and
answer, each cut at `body_cap` bytes. The journal keeps the newest `cap` exchanges and forgets older ones,
so a long rehearsal never runs the server out of memory. Summaries are made from the dicts already at hand
(no re-parsing); bodies are decoded only when someone reads them.

Imports the standard library only.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Exchange", "Journal", "summarize"]


@dataclass(slots=True, kw_only=True)
class Exchange:
    """One answered call. The summary and the texts are made when someone reads them, not per request."""

    at: object  # the service clock's datetime
    request_id: str
    institution: str
    method: str
    path: str
    query: Sequence[tuple[str, str]]
    route: str = ""
    handler: str = ""
    status: int = 0
    params: dict = field(default_factory=dict)
    request: dict | None = None
    answer: dict | None = None
    error: tuple[str, str] | None = None  # (code, message)
    request_body: bytes = b""
    response_body: bytes = b""
    request_content_type: str = ""
    response_content_type: str = ""
    milliseconds: float = 0.0
    fixed_summary: str = ""  # when the wire already knows what to say (an injected dropped connection)
    id: int = 0  # given by the journal

    @property
    def summary(self) -> str:
        if not self.fixed_summary:
            self.fixed_summary = summarize(self.handler, self.method, self.path, self.status, self.params,
                                           dict(self.query), self.answer, self.request, self.error)
        return self.fixed_summary

    @property
    def error_code(self) -> str:
        return self.error[0] if self.error else ""

    def to_json(self) -> dict:
        return {
            "id": self.id, "at": self.at.isoformat() if hasattr(self.at, "isoformat") else str(self.at),
            "request_id": self.request_id, "institution": self.institution, "method": self.method,
            "path": self.path, "query": "&".join(f"{k}={v}" for k, v in self.query if k != "apikey"),
            "route": self.route, "status": self.status, "error_code": self.error_code, "summary": self.summary,
            "milliseconds": round(self.milliseconds, 3),
            "request": {"content_type": self.request_content_type, "body": _text(self.request_body)},
            "response": {"content_type": self.response_content_type, "body": _text(self.response_body)},
        }


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


class Journal:
    """The newest `cap` exchanges; `cap=0` keeps none (the journal is off)."""

    def __init__(self, cap: int = 1000, body_cap: int = 4096) -> None:
        self._lock = threading.Lock()
        self._entries: deque[Exchange] = deque(maxlen=max(cap, 0))
        self.body_cap = body_cap
        self._counter = 0

    @property
    def cap(self) -> int:
        return self._entries.maxlen or 0

    def resize(self, cap: int | None = None, body_cap: int | None = None) -> None:
        with self._lock:
            if cap is not None:
                self._entries = deque(self._entries, maxlen=max(cap, 0))
            if body_cap is not None:
                self.body_cap = max(body_cap, 0)

    def record(self, exchange: Exchange) -> None:
        """Keep one exchange, numbered in arrival order. Its dicts are kept as they are (each request makes its
        own); its bodies are cut at `body_cap` bytes."""
        if not self._entries.maxlen:
            return
        cap = self.body_cap
        if len(exchange.request_body) > cap:
            exchange.request_body = exchange.request_body[:cap]
        if len(exchange.response_body) > cap:
            exchange.response_body = exchange.response_body[:cap]
        with self._lock:
            self._counter += 1
            exchange.id = self._counter
            self._entries.append(exchange)

    def clear(self, institution: str = "") -> int:
        """Forget every exchange (or one institution's); returns how many were forgotten."""
        with self._lock:
            before = len(self._entries)
            if institution:
                kept = [e for e in self._entries if e.institution != institution]
                self._entries = deque(kept, maxlen=self._entries.maxlen)
            else:
                self._entries.clear()
            return before - len(self._entries)

    def entries(self, *, institution: str = "", method: str = "", path: str = "", status: int | None = None,
                limit: int | None = None) -> list[Exchange]:
        """Oldest first; `path` matches a substring of the path or the route template."""
        with self._lock:
            found: Iterable[Exchange] = list(self._entries)
        method = method.upper()
        found = [e for e in found
                 if (not institution or e.institution == institution)
                 and (not method or e.method == method)
                 and (not path or path in e.path or path == e.route)
                 and (status is None or e.status == status)]
        return found[-limit:] if limit else found

    def __len__(self) -> int:
        return len(self._entries)


# ---------------------------------------------------------------- summaries in library words -------------------


def _po_line_summary(verb: str) -> Callable[[dict, dict, dict | None], str]:
    def summary(answer: dict, params: dict, request: dict | None) -> str:
        what = _resource(answer.get("resource_metadata"))
        funds = ", ".join(_code(share.get("fund_code")) for share in answer.get("fund_distribution") or ()
                          if isinstance(share, dict))
        text = f"PO line {answer.get('number', '?')} {verb}{what}"
        if funds:
            text += f" charged to {funds}"
        status = answer.get("status")
        if status is None:
            return text + " (still processing: status and alerts not yet known)"
        label = status.get("desc") or status.get("value", "") if isinstance(status, dict) else str(status)
        codes = [a.get("value", "") for a in answer.get("alert") or () if isinstance(a, dict) and a.get("value")]
        return f"{text} ({label}: {', '.join(codes)})" if codes else f"{text} ({label})"
    return summary


def _resource(meta) -> str:
    if not isinstance(meta, dict):
        return ""
    for key, label in (("isbn", "ISBN"), ("issn", "ISSN")):
        if meta.get(key):
            return f" for {label} {meta[key]}"
    title = meta.get("title")
    return f" for “{title}”" if title else ""


def _code(value) -> str:
    if isinstance(value, dict):
        return str(value.get("value", ""))
    return str(value or "")


_SUMMARIES: dict[str, Callable[[dict, dict, dict | None], str]] = {
    "create_po_line": _po_line_summary("created"),
    "order_from_bib": _po_line_summary("ordered by a librarian from the record"),
    "order_from_community_portfolio": _po_line_summary("ordered by a librarian from the Community Zone"),
    "update_po_line": _po_line_summary("updated"),
    "approve_po_line": _po_line_summary("approved"),
    "receive_new_item": lambda a, p, r: f"PO line {p.get('po_line_id')}: new item {a.get('pid', '')} received",
    "receive_item": lambda a, p, r: f"PO line {p.get('po_line_id')}: item {p.get('item_id')} received",
    "activate_portfolio": lambda a, p, r: f"Portfolio {p.get('portfolio_id')} activated",
}


def summarize(handler: str, method: str, path: str, status: int, params: dict, query: dict,
              answer: dict | None, request: dict | None, error: tuple[str, str] | None) -> str:
    """One line in library words for one exchange."""
    if error is not None:
        code, message = error
        if handler == "create_po_line":
            meta = request.get("resource_metadata") if isinstance(request, dict) else None
            return f"PO line refused{_resource(meta)}: {code} {message}"
        return f"{method} {path} refused: {code} {message}"
    if handler == "cancel_po_line":
        return f"PO line {params.get('po_line_id')} cancelled (reason {query.get('reason', '')})"
    make = _SUMMARIES.get(handler)
    if make is not None and isinstance(answer, dict):
        return make(answer, params, request)
    if isinstance(answer, dict) and "total_record_count" in answer:
        return f"{method} {path}: {answer['total_record_count']} found"
    return f"{method} {path}: {status}"
