"""Stubs: pinned answers for chosen calls, WireMock-style — the generalisation of fault rules.

A `Stub` names which calls it matches (a method, a path — "*", a route template, a concrete path or a glob such
as `/almaws/v1/acq/po-lines/*` — query parameters that must have given values, and predicates on the JSON body
by dotted field name or a substring of the body text; optionally one institution) and what each matching call
gets, as a list of `Step`s taken in turn:

- an Alma error in Alma's own dialect (`code`, `message`, `status`): the envelope in the negotiated format;
- a raw answer (`status`, `body`, `content_type`, `headers`): any status and any bytes — malformed JSON,
  truncated XML, an HTML error page as a load balancer sends — exactly as given;
- a delay (`delay` seconds), then the real answer (or, with an error or a raw answer, that one late);
- `passthrough`: the simulator's real answer.

How long a stub lives: `times` N (retire after N matching calls) or until removed. [decision] A sequence of
several steps ("first 503, then the real answer") retires after its last step unless `times` says otherwise;
with `times` larger than the sequence, the last step repeats. Stubs are checked in the order they were added;
the first that matches wins. A stubbed call is journalled with the stub's id. [decision] A stub answers only
calls with a valid API key (an unknown key is still 401) and before the route is looked up, so a stub may
answer a path the simulator does not serve; strict mode never refuses a call a stub answered (the test
pinned it, so it is expected).

Imports the standard library and simulator.errors only.
"""

from __future__ import annotations

import fnmatch
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.errors import HarnessError, error_for_code

__all__ = ["Step", "Stub", "StubBook"]

_STEP_FIELDS = {"code", "message", "status", "body", "content_type", "headers", "delay", "passthrough"}
_MATCH_FIELDS = {"method", "path", "query", "body_fields", "body_contains", "institution"}


@dataclass(kw_only=True)
class Step:
    """One answer of a stub."""

    code: str = ""  # an Alma error code: Alma's envelope with it
    message: str = ""
    status: int = 0  # with code: the envelope's status; without: a raw answer with this status
    body: str | None = None  # a raw answer's body, sent exactly as given
    content_type: str = "application/json;charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    passthrough: bool = False

    @property
    def raw(self) -> bool:
        return not self.code and not self.passthrough and (self.status != 0 or self.body is not None)

    def error(self) -> tuple[int, str, str] | None:
        """(status, code, message) when this step answers with Alma's error envelope."""
        if not self.code:
            return None
        message = self.message or f"Stubbed error {self.code}."
        return self.status or type(error_for_code(self.code, message, 400)).status, self.code, message

    def to_json(self) -> dict:
        out: dict[str, Any] = {}
        for name in ("code", "message", "status", "body", "delay", "passthrough", "headers"):
            value = getattr(self, name)
            if value not in ("", 0, 0.0, None, False, {}):
                out[name] = value
        if self.raw:
            out["content_type"] = self.content_type
        return out or {"passthrough": True}

    @classmethod
    def from_json(cls, spec: Mapping) -> Step:
        if not isinstance(spec, Mapping):
            raise HarnessError("a stub's answer is a JSON object")
        unknown = set(spec) - _STEP_FIELDS
        if unknown:
            raise HarnessError(f"unknown stub answer field(s) {', '.join(sorted(unknown))}; "
                               f"known: {', '.join(sorted(_STEP_FIELDS))}")
        headers = spec.get("headers") or {}
        if not isinstance(headers, Mapping):
            raise HarnessError("a stub's headers are a JSON object of name: value")
        step = cls(code=str(spec.get("code", "")), message=str(spec.get("message", "")),
                   status=int(spec.get("status", 0)), body=None if spec.get("body") is None else str(spec["body"]),
                   content_type=str(spec.get("content_type") or "application/json;charset=UTF-8"),
                   headers={str(k): str(v) for k, v in headers.items()}, delay=float(spec.get("delay", 0)),
                   passthrough=bool(spec.get("passthrough", False)))
        if step.status and not 100 <= step.status <= 599:
            raise HarnessError("a stub's status is an HTTP status (100-599)")
        if not 0 <= step.delay <= 120:
            raise HarnessError("a stub's delay is between 0 and 120 seconds")
        if step.code and step.body is not None:
            raise HarnessError("a stub answers with an Alma error (code) or a raw body, not both")
        if not (step.code or step.raw or step.delay or step.passthrough):
            raise HarnessError("a stub's answer needs one of: code, status, body, delay, passthrough")
        return step


@dataclass(kw_only=True)
class Stub:
    id: int = 0
    method: str = "*"
    path: str = "*"
    query: dict[str, str] = field(default_factory=dict)  # each named parameter has this value ("*": is present)
    body_fields: dict[str, Any] = field(default_factory=dict)  # dotted field name -> value in the JSON body
    body_contains: str = ""
    institution: str = ""
    steps: list[Step] = field(default_factory=list)
    times: int | None = None
    fired: int = 0

    def matches(self, method: str, template: str, path: str, query: Mapping[str, str], body: Any, text: str,
                institution: str) -> bool:
        if self.method != "*" and self.method != method:
            return False
        if self.institution and self.institution != institution:
            return False
        if self.path != "*" and self.path not in (template, path) and not (
                "*" in self.path and fnmatch.fnmatchcase(path, self.path)):
            return False
        for name, value in self.query.items():
            if name not in query or (value != "*" and query[name] != value):
                return False
        if self.body_contains and self.body_contains not in text:
            return False
        return all(_field(body, name) == value for name, value in self.body_fields.items())

    def to_json(self) -> dict:
        return {"id": self.id, "method": self.method, "path": self.path, "query": self.query,
                "body_fields": self.body_fields, "body_contains": self.body_contains,
                "institution": self.institution, "answers": [s.to_json() for s in self.steps],
                "times": self.times, "fired": self.fired}

    @classmethod
    def from_json(cls, spec: Mapping) -> Stub:
        """{"method", "path", "query", "body_fields", "body_contains", "institution", "times"} and either one
        answer's fields inline ({"status": 503}) or "answers": [{…}, {…}] for a sequence."""
        if not isinstance(spec, Mapping):
            raise HarnessError("a stub is a JSON object")
        unknown = set(spec) - _MATCH_FIELDS - _STEP_FIELDS - {"answers", "times"}
        if unknown:
            raise HarnessError(f"unknown stub field(s) {', '.join(sorted(unknown))}; known: "
                               f"{', '.join(sorted(_MATCH_FIELDS | _STEP_FIELDS | {'answers', 'times'}))}")
        inline = {k: v for k, v in spec.items() if k in _STEP_FIELDS}
        answers = spec.get("answers")
        if answers is not None and inline:
            raise HarnessError("give a stub's answer inline or as a list in answers, not both")
        if answers is None:
            answers = [inline]
        if not isinstance(answers, Sequence) or isinstance(answers, str) or not answers:
            raise HarnessError("a stub's answers are a non-empty JSON list of answers")
        query, fields = spec.get("query") or {}, spec.get("body_fields") or {}
        if not isinstance(query, Mapping) or not isinstance(fields, Mapping):
            raise HarnessError("a stub's query and body_fields are JSON objects of name: value")
        times = spec.get("times")
        stub = cls(method=str(spec.get("method", "*")).upper(), path=str(spec.get("path", "*")),
                   query={str(k): str(v) for k, v in query.items()}, body_fields=dict(fields),
                   body_contains=str(spec.get("body_contains", "")), institution=str(spec.get("institution", "")),
                   steps=[Step.from_json(a) for a in answers], times=None if times is None else int(times))
        if stub.times is None and len(stub.steps) > 1:
            stub.times = len(stub.steps)
        if stub.times is not None and stub.times < 1:
            raise HarnessError("a stub's times is at least 1")
        return stub


def _field(body: Any, dotted: str) -> Any:
    """The value at a dotted field name ("vendor.value", "fund_distribution.0.fund_code.value"), or a marker."""
    value = body
    for part in dotted.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


_MISSING = object()


def parse_body(body: dict | None, content: bytes) -> tuple[Any, str]:
    """The body as JSON (None if it is not JSON) and as text, for the predicates."""
    if body is not None:
        return body, json.dumps(body, ensure_ascii=False)
    text = content.decode("utf-8", errors="replace")
    try:
        return json.loads(text) if text.strip() else None, text
    except ValueError:
        return None, text


class StubBook:
    """The active stubs. Cheap when empty: one length check per call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stubs: list[Stub] = []
        self._next_id = 1

    def add(self, stub: Stub) -> Stub:
        with self._lock:
            stub.id = self._next_id
            self._next_id += 1
            self._stubs.append(stub)
            return stub

    def remove(self, stub_id: int) -> bool:
        with self._lock:
            before = len(self._stubs)
            self._stubs = [s for s in self._stubs if s.id != stub_id]
            return len(self._stubs) != before

    def clear(self) -> None:
        with self._lock:
            self._stubs = []

    def __len__(self) -> int:
        return len(self._stubs)

    def __iter__(self):
        return iter(list(self._stubs))

    def pick(self, method: str, template: str, path: str, query: Mapping[str, str], body: dict | None,
             content: bytes, institution: str) -> tuple[Stub, Step] | None:
        """The stub and the step that answer this call, if any; counts it and retires spent stubs."""
        if not self._stubs:
            return None
        parsed, text = parse_body(body, content)
        with self._lock:
            for stub in self._stubs:
                if not stub.matches(method, template, path, query, parsed, text, institution):
                    continue
                step = stub.steps[min(stub.fired, len(stub.steps) - 1)]
                stub.fired += 1
                if stub.times is not None and stub.fired >= stub.times:
                    self._stubs.remove(stub)
                return stub, step
        return None
