"""Replaying a recording against another Alma and saying what differs, in library words (`almasim replay`).

`replay(exchanges, alma_url, api_key)` sends each recorded request (recording.py's format) to the other Alma in
order, with the new API key where the connector sent its key, and compares the two answers by the declared
ASPECTS — what a vendor and a librarian care about:

    status            the HTTP status
    Alma error codes  the codes of Alma's error envelope
    PO line status    the PO line's status (Active, In Review, Sent …)
    alerts            the PO line's alert codes
    matched record    which record the PO line was attached to (resource_metadata.mms_id)
    portfolio source  a portfolio from the Community Zone or a local one

Everything else is not compared, and some values always differ between two Almas: they are declared in
`ALWAYS_DIFFERENT` (links name the host; dates and times, tracking and request ids are of the moment) and
`IDENTIFIERS` (numbers and ids each Alma hands out itself). [decision] Identifiers are learned, not ignored:
when the recorded answer said POL-10002 where the replayed one says POL-20417, later requests that name
POL-10002 (a read-back, a cancellation) are sent with POL-20417, so a rehearsal replays as a whole.
[decision] The matched record is compared through the same learning: it differs when one side attached the
line to a record already seen in its run and the other to one it had not seen, or when the two sides' records
no longer correspond one to one (two lines on one record here, on two records there). A first brief record on
each side is the same record by construction, so replaying against a real sandbox does not report every new
record's MMS ID.

Imports httpx, simulator.api.codec and this package's recording module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from simulator.alma_json import code_of, label_of
from simulator.api import codec
from simulator.errors import HarnessError
from simulator.tools.recording import ALMA, REDACTED, RecordingLine

__all__ = ["ALWAYS_DIFFERENT", "ASPECTS", "IDENTIFIERS", "Difference", "Replay", "replay"]

# What always differs between two Almas and is never compared (field names, wherever they occur).
ALWAYS_DIFFERENT: dict[str, str] = {
    "link": "a URL naming the Alma it came from",
    "created_date": "the day of the run", "status_date": "the day of the run",
    "creation_date": "the day of the run", "modification_date": "the day of the run",
    "expected_receipt_date": "counted from the day of the run", "expected_activation_date": "the day of the run",
    "receive_date": "the day of the run", "renewal_date": "the day of the run",
    "trackingId": "one per refusal", "tracking_id": "one per refusal", "request_id": "one per request",
}
# Identifiers each Alma hands out itself: learned (recorded → replayed) and substituted in later requests.
IDENTIFIERS = frozenset({"number", "po_number", "id", "pid", "mms_id", "holding_id", "item_id", "portfolio_id",
                         "po_line", "e_collection"})
# a coded field's "value" is an identifier only inside these (resource_metadata.mms_id.value …)
_VALUE_IDS = frozenset({"mms_id", "id", "holding_id", "e_collection"})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(slots=True)
class Difference:
    seq: int
    call: str
    aspect: str
    recorded: str
    replayed: str

    def __str__(self) -> str:
        return f"#{self.seq} {self.call}: {self.aspect}: {self.recorded} recorded, {self.replayed} on replay"

    def to_json(self) -> dict:
        return {"seq": self.seq, "call": self.call, "aspect": self.aspect, "recorded": self.recorded,
                "replayed": self.replayed}


@dataclass
class Side:
    """One side's answers, parsed: the body as a dict (JSON or XML) and the error codes."""

    status: int
    body: Any
    errors: list[str]


def parse(status: int, content_type: str, text: str) -> Side:
    data = text.encode("utf-8")
    errors = [code for code, _ in codec.parse_error_body(data)] if status >= 400 else []
    body: Any = None
    if text.strip() and not errors:
        try:
            body = json.loads(text) if "json" in content_type else codec.from_xml(data)[1]
        except Exception:  # a malformed body: compared by status only
            body = None
    return Side(status, body, errors)


def _po_line_status(side: Side) -> str:
    status = side.body.get("status") if isinstance(side.body, dict) and "number" in side.body else None
    return label_of(status)


def _alerts(side: Side) -> str:
    if not (isinstance(side.body, dict) and "number" in side.body):
        return ""
    return ", ".join(sorted(code_of(a) for a in side.body.get("alert") or () if isinstance(a, dict)))


def _portfolio_source(side: Side) -> str:
    body = side.body
    if not isinstance(body, dict):
        return ""
    found = [body] if "linked_to_cz" in body else [p for p in body.get("portfolio") or () if isinstance(p, dict)]
    return ", ".join("Community Zone" if p.get("linked_to_cz") else "local" for p in found if "linked_to_cz" in p)


# The aspects compared, in the order they are reported: name → what each side says ("" for nothing).
ASPECTS: dict[str, Callable[[Side], str]] = {
    "status": lambda side: str(side.status),
    "Alma error codes": lambda side: ", ".join(side.errors),
    "PO line status": _po_line_status,
    "alerts": _alerts,
    "portfolio source": _portfolio_source,
}


def _mms_id(side: Side) -> str:
    body = side.body
    if not (isinstance(body, dict) and "number" in body):
        return ""
    mms = (body.get("resource_metadata") or {}).get("mms_id")
    return code_of(mms)


@dataclass
class Replay:
    """What a replay found: every difference, and how many exchanges were replayed."""

    replayed: int = 0
    differences: list[Difference] = field(default_factory=list)
    identifiers: dict[str, str] = field(default_factory=dict)  # recorded → replayed

    def report(self, target: str) -> str:
        if not self.differences:
            return f"{self.replayed} exchange(s) replayed against {target}: no differences."
        differing = len({d.seq for d in self.differences})
        lines = [f"{self.replayed} exchange(s) replayed against {target}: {differing} differ."]
        return "\n".join(lines + [str(d) for d in self.differences])

    def to_json(self) -> dict:
        return {"replayed": self.replayed, "differences": [d.to_json() for d in self.differences]}


class _Identifiers:
    """The identifiers learned so far, both ways, and the ones each side has seen."""

    def __init__(self) -> None:
        self.forward: dict[str, str] = {}
        self.backward: dict[str, str] = {}
        self.seen_recorded: set[str] = set()
        self.seen_replayed: set[str] = set()

    def learn(self, recorded: Any, replayed: Any, parent: str = "") -> None:
        """Walk both answers together; pair the identifiers found at the same places (equal pairs too, so a
        later answer pairing one of them otherwise is seen to disagree)."""
        if isinstance(recorded, dict) and isinstance(replayed, dict):
            for name, value in recorded.items():
                if name in replayed:
                    child = (parent if parent in _VALUE_IDS else "") if name == "value" else name
                    self.learn(value, replayed[name], child)
        elif isinstance(recorded, list) and isinstance(replayed, list):
            for one, other in zip(recorded, replayed):
                self.learn(one, other, parent)
        elif (parent in IDENTIFIERS and isinstance(recorded, (str, int)) and isinstance(replayed, (str, int))
              and not isinstance(recorded, bool) and not isinstance(replayed, bool)):
            a, b = str(recorded), str(replayed)
            if len(a) >= 4 and len(b) >= 4 and a not in self.forward and b not in self.backward:
                self.forward[a], self.backward[b] = b, a

    def see(self, recorded: Any, replayed: Any) -> None:
        self.seen_recorded.update(_strings(recorded))
        self.seen_replayed.update(_strings(replayed))

    def substitute(self, text: str) -> str:
        return self.forward.get(text, text)

    def in_body(self, text: str) -> str:
        changed = {k: v for k, v in self.forward.items() if k != v}
        if not changed or not text:
            return text
        pattern = re.compile("|".join(re.escape(k) for k in sorted(changed, key=len, reverse=True)))
        return pattern.sub(lambda m: changed[m.group(0)], text)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, (str, int)) and not isinstance(value, bool):
        yield str(value)


def replay(exchanges: list[RecordingLine], alma_url: str, api_key: str, *, client: httpx.Client | None = None,
           timeout: float = 60.0) -> Replay:
    """Send every recorded request to `alma_url` in order and compare the answers by ASPECTS."""
    origin = alma_url.rstrip("/").removesuffix(ALMA)
    if not origin.startswith(("http://", "https://")):
        raise HarnessError(f"--alma-url {alma_url} is not an http(s) URL")
    own = client is None
    http = client or httpx.Client(timeout=timeout)
    ids = _Identifiers()
    result = Replay()
    try:
        for exchange in exchanges:
            _replay_one(http, origin, api_key, exchange, ids, result)
    finally:
        if own:
            http.close()
    result.identifiers = dict(ids.forward)
    return result


def _replay_one(http: httpx.Client, origin: str, api_key: str, exchange: RecordingLine, ids: _Identifiers,
                result: Replay) -> None:
    method = str(exchange["method"])
    path = "/".join(ids.substitute(part) for part in str(exchange["path"]).split("/"))
    query: list[tuple[str, str]] = [(str(k), api_key if k == "apikey" and v == REDACTED else ids.substitute(str(v)))
             for k, v in exchange.get("query") or ()]
    request = exchange.get("request") or {}
    headers = {k: v for k, v in (("content-type", request.get("content_type", "")),
                                 ("accept", request.get("accept", ""))) if v}
    if exchange.get("key_in") == "header":
        headers["authorization"] = f"apikey {api_key}"
    body = ids.in_body(str(request.get("body") or ""))
    try:
        answer = http.request(method, origin + path, params=tuple(query), headers=headers,
                              content=body.encode("utf-8") if body else None)
    except httpx.HTTPError as exc:
        raise HarnessError(f"#{exchange.get('seq')} {method} {path}: {origin} did not answer "
                           f"({type(exc).__name__})") from None
    recorded_answer = exchange.get("response") or {}
    recorded = parse(int(recorded_answer.get("status", 0)), str(recorded_answer.get("content_type", "")),
                     str(recorded_answer.get("body", "")))
    replayed = parse(answer.status_code, answer.headers.get("content-type", ""),
                     answer.content.decode("utf-8", errors="replace"))
    result.replayed += 1
    call = f"{method} {exchange['path']}"
    seq = int(exchange.get("seq") or result.replayed)
    for aspect, read in ASPECTS.items():
        before, after = read(recorded), read(replayed)
        if before != after:
            result.differences.append(Difference(seq, call, aspect, before or "none", after or "none"))
    mine, theirs = _mms_id(recorded), _mms_id(replayed)
    if (mine or theirs) and _record_differs(ids, mine, theirs):
        here = f"{'an existing' if mine in ids.seen_recorded else 'a new'} record {mine}" if mine else "none"
        there = f"{'an existing' if theirs in ids.seen_replayed else 'a new'} record {theirs}" if theirs else "none"
        result.differences.append(Difference(seq, call, "matched record", here, there))
    if recorded.body is not None and replayed.body is not None:
        ids.learn(recorded.body, replayed.body)
    ids.see(recorded.body, replayed.body)
    ids.see(_request_values(str(exchange.get("path", "")), exchange.get("query") or ()),
            _request_values(path, query))


def _record_differs(ids: _Identifiers, mine: str, theirs: str) -> bool:
    """Whether the two sides attached the line to records that do not correspond (see the module's decision)."""
    if not mine or not theirs:
        return True
    if (mine in ids.seen_recorded) != (theirs in ids.seen_replayed):
        return True  # one side found a record already met in its run, the other a record it had not met
    if mine in ids.forward and ids.forward[mine] != theirs:
        return True
    return theirs in ids.backward and ids.backward[theirs] != mine


def _request_values(path: str, query: Iterable) -> list[str]:
    """The values a request named (so a record the vendor looked up counts as seen by its side)."""
    return [part for part in path.split("/") if part] + [str(v) for _, v in query]
