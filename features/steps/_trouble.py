"""Alma in trouble, step-side: a real fake backend that makes the next Create PO line calls fail as Alma does.

`TroubledAlma(inner)` wraps the backend a scenario's `alma` client talks through, so the same trouble works on
every backend (in-process, mocked, server) — no mocks, nothing patched. It sits *inside* the evidence
`RecordingBackend` (features/conftest.py), so the living documentation shows Alma's busy and failing answers
as the cart received them; a time-out after the work is done raises no AlmaError, so that one exchange is
missing from the evidence, and the cart's search that finds the PO line shows what happened instead.

Only Create PO line calls are troubled; the cart's reads (libraries, locations, funds, the search for its vendor
reference number) and the Then steps' reads go through untouched. The troubles, in Alma's dialect:

- busy:          429 PER_SECOND_THRESHOLD before Alma does anything (too many requests per second);
- failing:       500 INTERNAL_SERVER_ERROR before Alma does anything;
- too late:      Alma creates the PO line, but its answer never reaches the cart (httpx.ReadTimeout);
- daily limit:   429 DAILY_THRESHOLD (the institution's calls for the day are spent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from simulator.backends import AlmaClient
from simulator.errors import InternalError, Throttled
from simulator.testing.evidence import RecordingBackend

BUSY, FAILING, TOO_LATE, DAILY_LIMIT = "busy", "failing", "too late", "daily limit"
EVERY = 10_000  # "keeps failing": more calls than any retry policy makes


def _trouble(kind: str) -> Exception:
    if kind == BUSY:
        return Throttled("Per-second threshold exceeded. Please try again later.", code="PER_SECOND_THRESHOLD")
    if kind == DAILY_LIMIT:
        return Throttled("Daily threshold exceeded for this institution.", code="DAILY_THRESHOLD")
    if kind == FAILING:
        return InternalError("Internal server error.")
    if kind == TOO_LATE:
        return httpx.ReadTimeout("timed out waiting for Alma's answer")
    raise ValueError(f"unknown trouble {kind!r}")


@dataclass
class Call:
    """One request the cart made while Alma was troubled, and what became of it."""

    method: str
    path: str
    query: dict
    troubled: str = ""  # the trouble it met, if any

    @property
    def creates(self) -> bool:
        return self.method == "POST" and self.path.endswith("/acq/po-lines")

    @property
    def searches(self) -> bool:
        return self.method == "GET" and self.path.endswith("/acq/po-lines") and "q" in self.query


@dataclass
class TroubledAlma:
    """A Backend: the next `count` Create PO line calls meet the trouble `meets`; every call is kept in `calls`."""

    inner: Any
    meets: str = ""
    count: int = 0
    calls: list[Call] = field(default_factory=list)

    @property
    def kind(self) -> str:  # the Backend protocol's kind: inprocess, mocked, http …
        return self.inner.kind

    def __getattr__(self, name: str) -> Any:  # world, clock, institution … of the wrapped backend
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def send(self, method: str, path: str, query: dict | None = None, body: dict | None = None) -> Any:
        call = Call(method.upper(), path, dict(query or {}))
        self.calls.append(call)
        if not (call.creates and self.count):
            return self.inner.send(method, path, query, body)
        self.count -= 1
        call.troubled = self.meets
        if self.meets == TOO_LATE:
            self.inner.send(method, path, query, body)  # Alma does the work; the answer is lost on the way
        raise _trouble(self.meets)

    @property
    def creates(self) -> list[Call]:
        return [c for c in self.calls if c.creates]


def trouble(alma: AlmaClient, kind: str, count: int) -> TroubledAlma:
    """Make the next `count` Create PO line calls of this client meet `kind`; the wrapper stays for the scenario."""
    outer = alma.backend
    if isinstance(outer, RecordingBackend):
        if not isinstance(outer.inner, TroubledAlma):
            outer.inner = TroubledAlma(outer.inner)
        found = outer.inner
    elif isinstance(outer, TroubledAlma):
        found = outer
    else:
        found = alma.backend = TroubledAlma(outer)
    found.meets, found.count = kind, count
    return found


def troubled(alma: AlmaClient) -> TroubledAlma:
    """The trouble set up for this client's Alma."""
    found = alma.backend.inner if isinstance(alma.backend, RecordingBackend) else alma.backend
    assert isinstance(found, TroubledAlma), "no trouble was set up for Alma in this scenario"
    return found
