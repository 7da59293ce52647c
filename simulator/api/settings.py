"""What a user tunes on a running simulator, and the call thresholds those settings set.

`Settings` holds the numbers (admin API: PUT /almasim/v1/admin/settings); `Throttle` counts each institution's
calls against the per-second and daily thresholds, in windows of the service's clock.
Imports simulator.clock and simulator.errors only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from simulator.clock import Clock, FixedClock
from simulator.errors import HarnessError, Throttled

__all__ = ["Settings", "Throttle"]


@dataclass
class Settings:
    """What a user tunes on a running simulator (admin API: PUT /almasim/v1/admin/settings)."""

    per_second_threshold: int = 0  # calls per second per institution; 0 = no limit (Alma's is 25)
    daily_threshold: int = 1_000_000  # calls per day per institution; 0 = no limit
    journal_cap: int = 1000  # exchanges kept; 0 turns the journal off
    journal_body_cap: int = 4096  # bytes kept of each request and answer body
    strict: int = 0  # 1: a call with a query parameter the route does not read is refused (see strict.py)

    def update(self, changes: dict[str, Any]) -> None:
        for name, value in changes.items():
            if name not in self.__dataclass_fields__:
                raise HarnessError(f"unknown setting {name!r}; settings: {', '.join(self.__dataclass_fields__)}")
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise HarnessError(f"setting {name} must be a whole number, not {value!r}") from None
            if number < 0:
                raise HarnessError(f"setting {name} cannot be negative")
            setattr(self, name, number)


class Throttle:
    """Per-institution call counts for the per-second and daily thresholds, in windows of the service's clock
    (a fixed clock never rolls over to a new second: tests advance it, never wait)."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or FixedClock()
        self._lock = threading.Lock()
        #: per institution [second, calls in that second, day, calls that day] (a day absent counts 0 calls)
        self._counts: dict[str, list[int]] = {}
        self._windows: tuple[object, int, int] = (None, 0, 0)  # the last clock reading, its second and day

    def _now(self) -> tuple[int, int]:
        """The clock's second and day. A fixed clock answers the same datetime until advanced, so the last
        reading's windows are kept (one tuple, replaced whole, so threads never see half of one)."""
        moment = self.clock.now()
        windows = self._windows
        if windows[0] is not moment:
            now = moment.timestamp()
            windows = self._windows = (moment, int(now), int(now // 86400))
        return windows[1], windows[2]

    def admit(self, institution: str) -> int:
        """Count one call; returns the calls left today. Raises Throttled past a threshold."""
        second, day = self._now()
        per_second, daily = self.settings.per_second_threshold, self.settings.daily_threshold
        with self._lock:
            counts = self._counts.get(institution)
            if counts is None:
                counts = self._counts[institution] = [second, 0, day, 0]
            if counts[0] == second:
                counts[1] += 1
            else:
                counts[0], counts[1] = second, 1
            if per_second and counts[1] > per_second:
                raise Throttled(f"Too many requests: more than {per_second} calls per second for this "
                                "institution.", code="PER_SECOND_THRESHOLD")
            used = counts[3] if counts[2] == day else 0
            if daily and used >= daily:
                raise Throttled(f"Daily API threshold of {daily} calls reached for this institution.",
                                code="DAILY_THRESHOLD")
            counts[2], counts[3] = day, used + 1
            return daily - used - 1 if daily else 1_000_000_000

    def remaining(self, institution: str) -> int:
        daily = self.settings.daily_threshold
        if not daily:
            return 1_000_000_000
        counts = self._counts.get(institution)
        return daily - (counts[3] if counts is not None and counts[2] == self._now()[1] else 0)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
