"""The request journal: what the simulated Alma received, in library words and as the raw exchange.

Every answered Alma call leaves one `JournalEntry`: a summary a librarian can read ("PO line POL-10002 created
for ISBN 9781861895554 charged to HIST-MONO (In Review: FUND_NOT_FULLY_FUNDED)") and the raw request and
answer, each cut at `body_cap` bytes. The journal keeps the newest `cap` exchanges and forgets older ones,
so a long rehearsal never runs the server out of memory. Summaries are made from the dicts already at hand
(no re-parsing); bodies are decoded only when someone reads them.

Each entry says who called (`caller`), never the key itself: the key's API Restrictions profile code when it has
one, "librarian" for the librarian's paths and the librarian's view, else the key's label (`key_label`). What a
daily job did to a PO line is an entry too (`kind` "job", method "JOB", no exchange); verification (count,
verify, near misses) counts calls only unless asked for `kind="job"`.

Imports the standard library and simulator.alma_json (coded fields) only.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from simulator.alma_json import code_of, label_of

__all__ = ["CALL", "CRITERIA", "JOB", "LIBRARIAN", "Journal", "JournalEntry", "criteria_from_query", "key_label",
           "summarize"]

CALL, JOB = "call", "job"  # the kinds of entry: an answered call, or what a daily job did to one PO line
LIBRARIAN = "librarian"  # the caller of the librarian's paths and of the librarian's view's actions


@lru_cache(maxsize=1024)  # a pure function of the key, asked on every call: hashed once per key
def key_label(key: str) -> str:
    """A name for an API key that does not give the key away [decision]: "key " and the first 8 hex digits of its
    SHA-256 — the same key always has the same label, and two keys of one institution differ."""
    return "key " + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8] if key else ""


@dataclass(slots=True, kw_only=True)
class JournalEntry:
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
    stub: int = 0  # the id of the stub that answered (admin/stubs.py), 0 when none did
    line_vendor: str = ""  # the vendor of its PO line as an earlier call named it (filled in by verification)
    caller: str = ""  # who called: a restriction profile code, "librarian" or a key label (never the key)
    kind: str = CALL  # CALL, or JOB: what a daily job did to one PO line (params["po_line_id"]), not an exchange
    id: int = 0  # given by the journal

    @property
    def summary(self) -> str:
        if not self.fixed_summary:
            self.fixed_summary = summarize(self.handler, self.method, self.path, self.status, self.params,
                                           dict(self.query), self.answer, self.request, self.error)
            if self.stub:
                self.fixed_summary = f"stubbed (stub {self.stub}): " + (
                    self.fixed_summary if self.error or self.answer else f"{self.method} {self.path}: {self.status}")
        return self.fixed_summary

    @property
    def error_code(self) -> str:
        return self.error[0] if self.error else ""

    @property
    def vendor(self) -> str:
        """The vendor code of the PO line this call sent or read (or, for a call that names none, such as a
        cancellation, the vendor an earlier call named for its PO line); "" when unknown."""
        for source in (self.request if self.request is not None else _json_body(self.request_body), self.answer):
            if isinstance(source, dict) and source.get("vendor"):
                return code_of(source["vendor"])
        return self.line_vendor

    @property
    def po_line(self) -> str:
        """The PO line number this call was about (in its path, or the one it created), "" when none."""
        number = self.params.get("po_line_id")
        if not number and self.handler in _SUMMARIES and isinstance(self.answer, dict):
            number = self.answer.get("number")
        return str(number or "")

    @property
    def outcome(self) -> str:
        """answered (2xx/3xx), refused (an Alma error or any status of 400 and up) or dropped (no answer); a job's
        entry is done."""
        if self.kind == JOB:
            return "done"
        if self.status == 0:
            return "dropped"
        return "refused" if self.status >= 400 else "answered"

    def to_json(self) -> dict:
        return {
            "id": self.id, "at": self.at.isoformat() if hasattr(self.at, "isoformat") else str(self.at),
            "request_id": self.request_id, "institution": self.institution, "method": self.method,
            "path": self.path, "query": "&".join(f"{k}={v}" for k, v in self.query if k != "apikey"),
            "route": self.route, "status": self.status, "error_code": self.error_code, "summary": self.summary,
            "stubbed": self.stub or None, "vendor": self.vendor, "po_line": self.po_line, "outcome": self.outcome,
            "milliseconds": round(self.milliseconds, 3), "caller": self.caller, "kind": self.kind,
            "request": {"content_type": self.request_content_type, "body": _text(self.request_body)},
            "response": {"content_type": self.response_content_type, "body": _text(self.response_body)},
        }


def _json_body(body: bytes) -> object:
    """A JSON body the edge never parsed (a call a stub or a fault answered first), read for verification only."""
    if not body.lstrip().startswith(b"{"):
        return None
    try:
        return json.loads(body)
    except ValueError:  # cut at body_cap, or not JSON after all
        return None


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


#: What `Journal.record_call` keeps of a call, in this order (after the entry's id): JournalEntry's fields but the
#: four a call never sets when it is recorded (a fixed summary, verification's line vendor, the kind, the id).
_CALL_FIELDS = tuple(name for name in JournalEntry.__dataclass_fields__
                     if name not in ("fixed_summary", "line_vendor", "kind", "id"))


def _entry(kept: JournalEntry | tuple) -> JournalEntry:
    """A kept exchange as its entry: a call `record_call` kept as a tuple becomes the JournalEntry that
    `record(JournalEntry(...))` would have kept."""
    if isinstance(kept, JournalEntry):
        return kept
    entry = JournalEntry(**dict(zip(_CALL_FIELDS, kept[1:])))
    entry.id = kept[0]
    return entry


class Journal:
    """The newest `cap` exchanges; `cap=0` keeps none (the journal is off).

    The wire keeps each call with `record_call`, as a tuple of what the entry holds: making a JournalEntry (a
    score of fields) costs a call more than the rest of its journalling, and most entries are never read. The
    tuples become entries, once and for good, the first time the journal is read (`_read`), so every reader sees
    JournalEntry objects exactly as if each call had been recorded as one."""

    def __init__(self, cap: int = 1000, body_cap: int = 4096) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry | tuple] = deque(maxlen=max(cap, 0))
        self.body_cap = body_cap
        self._counter = 0
        self._unmade = False  # whether _entries may hold a call kept as a tuple

    @property
    def cap(self) -> int:
        return self._entries.maxlen or 0

    def resize(self, cap: int | None = None, body_cap: int | None = None) -> None:
        with self._lock:
            if cap is not None:
                self._entries = deque(self._entries, maxlen=max(cap, 0))
            if body_cap is not None:
                self.body_cap = max(body_cap, 0)

    def record(self, exchange: JournalEntry) -> None:
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

    def record_call(self, at: object, request_id: str, institution: str, method: str, path: str,
                    query: Sequence[tuple[str, str]], route: str, handler: str, status: int, params: dict,
                    request: dict | None, answer: dict | None, error: tuple[str, str] | None, request_body: bytes,
                    response_body: bytes, request_content_type: str, response_content_type: str,
                    milliseconds: float, stub: int, caller: str) -> None:
        """`record(JournalEntry(at=at, request_id=request_id, …, caller=caller))` for one answered call, the entry
        made only when the journal is read (see the class)."""
        if not self._entries.maxlen:
            return
        cap = self.body_cap
        if len(request_body) > cap:
            request_body = request_body[:cap]
        if len(response_body) > cap:
            response_body = response_body[:cap]
        with self._lock:
            self._counter += 1
            self._entries.append((self._counter, at, request_id, institution, method, path, query, route, handler,
                                  status, params, request, answer, error, request_body, response_body,
                                  request_content_type, response_content_type, milliseconds, stub, caller))
            self._unmade = True

    def _read(self) -> deque[JournalEntry]:
        """The kept exchanges, every one a JournalEntry from now on (call with the lock held)."""
        if self._unmade:
            self._entries = deque(map(_entry, self._entries), maxlen=self._entries.maxlen)
            self._unmade = False
        return self._entries  # type: ignore[return-value]  # no tuple is left in it

    def clear(self, institution: str = "") -> int:
        """Forget every exchange (or one institution's); returns how many were forgotten."""
        with self._lock:
            before = len(self._entries)
            if institution:
                kept = [e for e in self._read() if e.institution != institution]
                self._entries = deque(kept, maxlen=self._entries.maxlen)
            else:
                self._entries.clear()
            return before - len(self._entries)

    def entries(self, *, institution: str = "", method: str = "", path: str = "", status: int | None = None,
                limit: int | None = None, caller: str = "", po_line: str = "", kind: str = "") -> list[JournalEntry]:
        """Oldest first (calls and jobs' entries alike unless `kind` says one); `path` matches a substring of the
        path or the route template."""
        with self._lock:
            found: Iterable[JournalEntry] = list(self._read())
        method = method.upper()
        found = [e for e in found
                 if (not institution or e.institution == institution)
                 and (not method or e.method == method)
                 and (not path or path in e.path or path == e.route)
                 and (status is None or e.status == status)
                 and (not caller or e.caller == caller)
                 and (not po_line or e.po_line == po_line)
                 and (not kind or e.kind == kind)]
        return found[-limit:] if limit else found

    def __len__(self) -> int:
        return len(self._entries)

    # -- verification: count and assert ------------------------------------------------------------------------
    def matching(self, **criteria: Any) -> list[JournalEntry]:
        """The exchanges that meet every criterion (see CRITERIA), oldest first."""
        checks = _checks(criteria)
        return [e for e in self._verifiable(criteria.get("kind"))
                if all(check(e) is None for check in checks.values())]

    def _verifiable(self, kind: str | None = None) -> list[JournalEntry]:
        """The entries of one kind (the calls unless a job's entries are asked for), each call on a PO line knowing
        the vendor an earlier call named for it (work done only when someone verifies, never per request)."""
        entries = self.entries()
        vendors: dict[tuple[str, str], str] = {}
        for e in entries:
            line = e.po_line
            if not line or e.kind != CALL:
                continue
            named = e.vendor
            if named and not e.line_vendor:
                vendors[(e.institution, line)] = named
            elif not named:
                e.line_vendor = vendors.get((e.institution, line), "")
        return [e for e in entries if e.kind == (kind or CALL)]

    def count(self, **criteria: Any) -> int:
        """How many exchanges meet every criterion: method, path, query (a dict), institution, vendor, po_line,
        status, error_code, outcome (answered, refused, dropped, stubbed), caller, kind (call, the default, or job)."""
        return len(self.matching(**criteria))

    def verify(self, times: int | None = None, *, at_least: int | None = None, at_most: int | None = None,
               **criteria: Any) -> str:
        """"" when the journal holds the expected number of matching calls (exactly `times`; else at least
        `at_least`, default 1, and at most `at_most`); otherwise why not, with the near misses."""
        found = self.count(**criteria)
        if times is not None:
            ok, expected = found == times, f"exactly {times}"
        else:
            low = 1 if at_least is None and at_most is None else (at_least or 0)
            ok = found >= low and (at_most is None or found <= at_most)
            expected = f"at least {low}" + (f" and at most {at_most}" if at_most is not None else "")
        if ok:
            return ""
        wanted = ", ".join(
            ", ".join(f"query.{n}={w}" for n, w in v.items()) if isinstance(v, dict) else f"{k}={v}"
            for k, v in criteria.items() if v not in (None, "", {}))
        lines = [f"expected {expected} call(s) with {wanted or 'any criteria'}; the journal has {found}."]
        misses = self.near_misses(**criteria)
        if misses:
            lines.append("Nearest calls:")
            lines += [f"  #{m['id']} {m['call']}: {'; '.join(m['differs'])}" for m in misses]
        elif not len(self):
            lines.append("The journal is empty.")
        return "\n".join(lines)

    def assert_called(self, times: int | None = None, *, at_least: int | None = None, at_most: int | None = None,
                      **criteria: Any) -> None:
        """AssertionError with the near misses unless the journal holds the expected matching calls."""
        why = self.verify(times, at_least=at_least, at_most=at_most, **criteria)
        if why:
            raise AssertionError(why)

    def assert_not_called(self, **criteria: Any) -> None:
        self.assert_called(0, **criteria)

    def near_misses(self, limit: int = 3, **criteria: Any) -> list[dict]:
        """The calls that meet most criteria but not all, each with what differs, nearest first."""
        checks = _checks(criteria)
        scored = []
        for exchange in self._verifiable(criteria.get("kind")):
            differs = [why for why in (check(exchange) for check in checks.values()) if why]
            if differs and len(differs) < len(checks):
                scored.append((len(differs), -exchange.id, exchange, differs))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [{"id": e.id, "call": f"{e.method} {e.path} → {e.status}", "summary": e.summary, "differs": d}
                for _, _, e, d in scored[:limit]]


# ---------------------------------------------------------------- verification criteria -----------------------

Check = Callable[[JournalEntry], "str | None"]  # None when the exchange meets the criterion, else what differs


def _equal(name: str, wanted: Any, read: Callable[[JournalEntry], Any]) -> Check:
    def check(e: JournalEntry) -> str | None:
        got = read(e)
        return None if str(got) == str(wanted) else f"{name} is {got or '(none)'}, not {wanted}"
    return check


def _path(wanted: str) -> Check:
    def check(e: JournalEntry) -> str | None:
        if wanted in (e.path, e.route) or ("*" in wanted and fnmatch.fnmatchcase(e.path, wanted)):
            return None
        return f"path is {e.path}, not {wanted}"
    return check


def _query(wanted: dict) -> Check:
    def check(e: JournalEntry) -> str | None:
        sent = dict(e.query)
        wrong = [f"{k}={sent[k]!s}" if k in sent else f"no {k}" for k, v in wanted.items()
                 if k not in sent or (str(v) != "*" and sent[k] != str(v))]
        return f"query has {', '.join(wrong)}" if wrong else None
    return check


def _outcome(wanted: str) -> Check:
    def check(e: JournalEntry) -> str | None:
        if wanted == "stubbed":
            return None if e.stub else "not stubbed"
        return None if e.outcome == wanted else f"outcome is {e.outcome}, not {wanted}"
    return check


CRITERIA: dict[str, Callable[[Any], Check]] = {
    "method": lambda v: _equal("method", str(v).upper(), lambda e: e.method),
    "path": lambda v: _path(str(v)),
    "query": _query,
    "institution": lambda v: _equal("institution", v, lambda e: e.institution),
    "vendor": lambda v: _equal("vendor", v, lambda e: e.vendor),
    "po_line": lambda v: _equal("PO line", v, lambda e: e.po_line),
    "status": lambda v: _equal("status", int(v), lambda e: e.status),
    "error_code": lambda v: _equal("error code", v, lambda e: e.error_code),
    "outcome": lambda v: _outcome(str(v)),
    "caller": lambda v: _equal("caller", v, lambda e: e.caller),
    "kind": lambda v: _equal("kind", v, lambda e: e.kind),
}
_OUTCOMES = ("answered", "refused", "dropped", "stubbed", "done")
_KINDS = (CALL, JOB)


def _checks(criteria: dict[str, Any]) -> dict[str, Check]:
    unknown = set(criteria) - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown journal criteria {', '.join(sorted(unknown))}; known: {', '.join(CRITERIA)}")
    if criteria.get("outcome") not in (None, "", *_OUTCOMES):
        raise ValueError(f"outcome is one of {', '.join(_OUTCOMES)}")
    if criteria.get("kind") not in (None, "", *_KINDS):
        raise ValueError(f"kind is one of {', '.join(_KINDS)}")
    return {name: CRITERIA[name](value) for name, value in criteria.items() if value not in (None, "", {})}


def criteria_from_query(query: dict[str, str]) -> dict[str, Any]:
    """Criteria from an admin query string: ?method=POST&vendor=RIALTO&query.profile_code=GOBI."""
    criteria: dict[str, Any] = {}
    sent = {}
    for name, value in query.items():
        if name.startswith("query."):
            sent[name[len("query."):]] = value
        elif name not in ("times", "at_least", "at_most"):
            criteria[name] = value
    if sent:
        criteria["query"] = sent
    return criteria


# ---------------------------------------------------------------- summaries in library words -------------------


def _po_line_summary(verb: str) -> Callable[[dict, dict, dict | None], str]:
    def summary(answer: dict, params: dict, request: dict | None) -> str:
        what = _resource(answer.get("resource_metadata"))
        funds = ", ".join(code_of(share.get("fund_code")) for share in answer.get("fund_distribution") or ()
                          if isinstance(share, dict))
        text = f"PO line {answer.get('number', '?')} {verb}{what}"
        if funds:
            text += f" charged to {funds}"
        status = answer.get("status")
        if status is None:
            return text + " (still processing: status and alerts not yet known)"
        label = label_of(status)
        codes = [code_of(a) for a in answer.get("alert") or () if isinstance(a, dict) and code_of(a)]
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


_SUMMARIES: dict[str, Callable[[dict, dict, dict | None], str]] = {
    "create_po_line": _po_line_summary("created"),
    "order_from_bib": _po_line_summary("ordered by a librarian from the record"),
    "order_from_community_portfolio": _po_line_summary("ordered by a librarian from the Community Zone"),
    "update_po_line": _po_line_summary("updated"),
    "approve_po_line": _po_line_summary("approved"),
    "renew_po_line": _po_line_summary("renewed by hand"),
    "receive_new_item": lambda a, p, r: (f"PO line {p.get('po_line_id')}: new item "
                                         f"{(a.get('item_data') or {}).get('pid', '')} received"),  # Alma's item
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
