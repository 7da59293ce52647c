"""Time, injected: the system clock for servers, a fixed clock that tests advance by hand.

Imports only the standard library.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)


class FixedClock:
    """Stands still until `advance` is called, so dates in answers are the same on every run."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = start or dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.timezone.utc)

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += dt.timedelta(**delta)


def alma_date(moment: dt.datetime | dt.date) -> str:
    """Alma writes dates as 2026-09-01Z."""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    return f"{day.isoformat()}Z"
