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
        self._second: dict[str, tuple[int, int]] = {}
        self._day: dict[str, tuple[int, int]] = {}

    def admit(self, institution: str) -> int:
        """Count one call; returns the calls left today. Raises Throttled past a threshold."""
        now = self.clock.now().timestamp()
        second, day = int(now), int(now // 86400)
        per_second, daily = self.settings.per_second_threshold, self.settings.daily_threshold
        with self._lock:
            window, count = self._second.get(institution, (second, 0))
            count = count + 1 if window == second else 1
            self._second[institution] = (second, count)
            if per_second and count > per_second:
                raise Throttled(f"Too many requests: more than {per_second} calls per second for this "
                                "institution.", code="PER_SECOND_THRESHOLD")
            window, used = self._day.get(institution, (day, 0))
            used = used if window == day else 0
            if daily and used >= daily:
                raise Throttled(f"Daily API threshold of {daily} calls reached for this institution.",
                                code="DAILY_THRESHOLD")
            self._day[institution] = (day, used + 1)
            return daily - used - 1 if daily else 1_000_000_000

    def remaining(self, institution: str) -> int:
        daily = self.settings.daily_threshold
        if not daily:
            return 1_000_000_000
        window, used = self._day.get(institution, (0, 0))
        return daily - (used if window == int(self.clock.now().timestamp() // 86400) else 0)

    def reset(self) -> None:
        with self._lock:
            self._second.clear()
            self._day.clear()
