"""Fault and latency injection: rules that make chosen Alma calls fail or slow down, in Alma's own dialect.

A `Fault` names which calls it hits (a method, a route template or a concrete path, optionally one
institution), what happens (an Alma error code with its message and status, a bare 500 or 503, a dropped
connection before or after the order is processed, or a delay) and how often (always; the next N calls;
or with a probability drawn from its own seeded random generator, so a run can be repeated exactly).
Rules are checked in the order they were added; the first one that fires wins.

Imports simulator.errors and the standard library only.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from simulator.errors import HarnessError, error_for_code

__all__ = ["Fault", "FaultBook"]

_ALWAYS, _NEXT, _PROBABILITY = "always", "next", "probability"


@dataclass(kw_only=True)
class Fault:
    id: int = 0
    method: str = "*"
    path: str = "*"  # "*", a route template (/almaws/v1/acq/po-lines/{po_line_id}) or a concrete path
    institution: str = ""
    # what happens
    code: str = ""  # an Alma error code: the answer is Alma's envelope with it
    message: str = ""
    status: int = 0  # 500, 503 … (with or without a code)
    drop: bool = False  # close the connection without an answer
    after: bool = False  # drop only after the call was processed (the order exists; the vendor never hears)
    delay: float = 0.0  # seconds added before answering
    # how often
    times: int | None = None  # fire for the next N matching calls, then retire
    probability: float = 1.0
    seed: int | None = None
    fired: int = 0
    _random: random.Random = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    @property
    def mode(self) -> str:
        if self.times is not None:
            return _NEXT
        return _PROBABILITY if self.probability < 1.0 else _ALWAYS

    def matches(self, method: str, template: str, path: str, institution: str) -> bool:
        return ((self.method == "*" or self.method == method)
                and (self.path == "*" or self.path == template or self.path == path)
                and (not self.institution or self.institution == institution))

    def error(self) -> tuple[int, str, str] | None:
        """(status, code, message) of the envelope this fault answers with, if it answers with one."""
        if self.drop or not (self.code or self.status):
            return None
        status = self.status
        if self.code:
            message = self.message or f"Injected fault {self.code}."
            usual = type(error_for_code(self.code, message, 400)).status  # 429 for PER_SECOND_THRESHOLD …
            return status or usual, self.code, message
        if status == 503:
            return 503, "GENERAL_ERROR", self.message or "The service is temporarily unavailable. Try again later."
        if status >= 500:
            return status, "INTERNAL_SERVER_ERROR", self.message or "Internal server error."
        return status, "402119", self.message or "General error."

    def to_json(self) -> dict:
        return {"id": self.id, "method": self.method, "path": self.path, "institution": self.institution,
                "code": self.code, "message": self.message, "status": self.status, "drop": self.drop,
                "after": self.after, "delay": self.delay, "times": self.times, "probability": self.probability,
                "seed": self.seed, "mode": self.mode, "fired": self.fired}

    @classmethod
    def from_json(cls, spec: dict) -> Fault:
        known = {"method", "path", "institution", "code", "message", "status", "drop", "after", "delay", "times",
                 "probability", "seed"}
        unknown = set(spec) - known
        if unknown:
            raise HarnessError(f"unknown fault field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        try:
            fault = cls(method=str(spec.get("method", "*")).upper(), path=str(spec.get("path", "*")),
                        institution=str(spec.get("institution", "")), code=str(spec.get("code", "")),
                        message=str(spec.get("message", "")), status=int(spec.get("status", 0)),
                        drop=bool(spec.get("drop", False)), after=bool(spec.get("after", False)),
                        delay=float(spec.get("delay", 0)),
                        times=None if spec.get("times") is None else int(spec["times"]),
                        probability=float(spec.get("probability", 1.0)),
                        seed=None if spec.get("seed") is None else int(spec["seed"]))
        except (TypeError, ValueError) as exc:
            raise HarnessError(f"bad fault: {exc}") from None
        if not (fault.code or fault.status or fault.drop or fault.delay):
            raise HarnessError("a fault needs one of: code, status, drop, delay")
        if not 0.0 <= fault.probability <= 1.0:
            raise HarnessError("a fault's probability is between 0 and 1")
        if fault.times is not None and fault.times < 1:
            raise HarnessError("a fault's times is at least 1")
        if fault.status and not 400 <= fault.status <= 599:
            raise HarnessError("a fault's status is an HTTP error status (400-599)")
        if fault.delay < 0 or fault.delay > 120:
            raise HarnessError("a fault's delay is between 0 and 120 seconds")
        fault._random = random.Random(fault.seed)
        return fault


class FaultBook:
    """The active fault rules. Cheap when empty: one length check per call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._next_id = 1

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            fault.id = self._next_id
            self._next_id += 1
            if fault._random is None:
                fault._random = random.Random(fault.seed)
            self._faults.append(fault)
            return fault

    def remove(self, fault_id: int) -> bool:
        with self._lock:
            before = len(self._faults)
            self._faults = [f for f in self._faults if f.id != fault_id]
            return len(self._faults) != before

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def __len__(self) -> int:
        return len(self._faults)

    def __iter__(self):
        return iter(list(self._faults))

    def pick(self, method: str, template: str, path: str, institution: str) -> Fault | None:
        """The fault that fires for this call, if any; counts it and retires spent next-N rules."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, template, path, institution):
                    continue
                if fault.probability < 1.0 and fault._random.random() >= fault.probability:
                    continue
                fault.fired += 1
                if fault.times is not None and fault.fired >= fault.times:
                    self._faults.remove(fault)
                return fault
        return None
