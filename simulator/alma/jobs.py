"""The daily jobs of Alma's acquisitions on the simulated clock: which there are, when each runs, which are due
between two moments, and running one for an institution.

Every job runs once a day at its daily time [decision: 02:00 in the institution's time, which the simulator
takes to be UTC — Alma runs these jobs overnight, at a time Ex Libris sets per data centre]. Whatever moves the
clock past a daily time (an admin clock advance, or the running clock of `almasim serve`) runs the job, once
for each day passed, on that day; a job can also be run now on demand (the admin API). Each run records its
moment on the institution (`Institution.job_runs`), so a snapshot keeps the last run.
Imports model, renewals, claims and simulator.clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from simulator.alma import claims, renewals
from simulator.alma.model import Institution
from simulator.clock import Clock


@dataclass(frozen=True)
class DailyJob:
    name: str
    title: str  # Alma's name for it on the Monitor Jobs page
    at: dt.time  # its daily time, UTC
    run: Callable[[Institution, Clock], dict]
    lists: tuple[str, ...]  # the keys of its answer that list PO line numbers


DAILY_AT = dt.time(2, 0)

JOBS: dict[str, DailyJob] = {
    renewals.JOB: DailyJob(renewals.JOB, "PO Line - Renewal", DAILY_AT, renewals.run,
                           ("renewed", "waiting_for_manual_renewal", "closed")),
    claims.JOB: DailyJob(claims.JOB, "PO Line - Claiming - Process Automation", DAILY_AT, claims.run,
                         ("claimed", "sent_to_vendor")),
}


def job(name: str) -> DailyJob | None:
    return JOBS.get(name)


def due(after: dt.datetime, until: dt.datetime) -> list[tuple[dt.datetime, DailyJob]]:
    """Every daily run that falls in (after, until], in time order (jobs of one moment in the table's order)."""
    if until <= after:
        return []
    runs = []
    day = after.astimezone(dt.timezone.utc).date()
    last = until.astimezone(dt.timezone.utc).date()
    while day <= last:
        for daily in JOBS.values():
            moment = dt.datetime.combine(day, daily.at, tzinfo=dt.timezone.utc)
            if after < moment <= until:
                runs.append((moment, daily))
        day += dt.timedelta(days=1)
    return runs


def next_run(daily: DailyJob, now: dt.datetime) -> dt.datetime:
    """The first moment after `now` the job runs by itself."""
    moment = dt.datetime.combine(now.astimezone(dt.timezone.utc).date(), daily.at, tzinfo=dt.timezone.utc)
    return moment if moment > now else moment + dt.timedelta(days=1)


def run(institution: Institution, daily: DailyJob, clock: Clock) -> dict:
    """Run one job for one institution now (on `clock`), under its lock; what it did."""
    with institution.lock:
        result = daily.run(institution, clock)
        institution.job_runs[daily.name] = clock.now().isoformat()
        return result


def merge(daily: DailyJob, results: list[dict]) -> dict:
    """The answers of one job over several institutions as one answer: its lists joined."""
    out: dict = {"job": daily.name}
    for key in daily.lists:
        out[key] = [number for result in results for number in result.get(key, [])]
    return out
