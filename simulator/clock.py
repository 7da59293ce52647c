"""Time, injected: a fixed clock that tests advance by hand, and a running clock for servers.

Imports only the standard library.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class FixedClock:
    """Stands still until `advance` is called, so dates in answers are the same on every run."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = start or dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.timezone.utc)

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += dt.timedelta(**delta)


class RunningClock:
    """Starts at the seed date and runs at real speed; `advance` jumps it forward. Servers use it: dates in
    answers stay those of the seed world (September 2026), while asynchronous processing still finishes after
    real seconds."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._start = start or FixedClock().now()
        self._began = time.monotonic()
        self._offset = dt.timedelta()

    def now(self) -> dt.datetime:
        return self._start + self._offset + dt.timedelta(seconds=time.monotonic() - self._began)

    def advance(self, **delta: float) -> None:
        self._offset += dt.timedelta(**delta)


def alma_date(moment: dt.datetime | dt.date) -> str:
    """Alma writes dates as 2026-09-01Z."""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    return f"{day.isoformat()}Z"
