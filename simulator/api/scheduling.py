"""The daily jobs on a running simulated Alma (`simulator.alma.jobs` says which there are and when they run):
running them when the service's clock passes their daily time, running one on demand, and describing them.

Whatever moves the clock runs the jobs it passed: the admin clock advance (`AlmaService.advance_clock`) and, in
`almasim serve`, the running clock, which the serve loop looks at twice a second (`catch_up`). Each run is
written to the service's log (`--state`) as a "job" entry at its moment, and replaying that entry runs the job
again on the same world at the same moment, so a restart reproduces what the jobs changed. The jobs never run
for moments before the scheduler started watching (the service's start, a restart, a new world).
Each run (but a replay: the journal holds this process's doings) leaves one journal entry per PO line it changed,
in library words ("PO line POL-10002: waiting for manual renewal (renewal job)"), of kind "job" with method "JOB"
and the line's number, so the line's history and the journal's po_line filter find what the job did.
Imports the domain's jobs module, simulator.admin.journal (to write the entries) and simulator.clock/errors (the
service for typing only).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from simulator.admin.journal import JOB, JournalEntry
from simulator.alma import jobs
from simulator.alma.model import Institution, POLine
from simulator.clock import FixedClock
from simulator.errors import HarnessError

if TYPE_CHECKING:
    from simulator.api.service import AlmaService

__all__ = ["Scheduler"]


class Scheduler:
    """When the jobs last looked at the clock, and what each did last."""

    def __init__(self, now: dt.datetime) -> None:
        self.last: dict[str, dict] = {}  # job -> its last answer (this process's runs)
        self.watch_from(now)

    def watch_from(self, now: dt.datetime) -> None:
        self.watched_from = now
        self._next_due = self.next_due

    @property
    def next_due(self) -> dt.datetime:
        """The first daily run after the last look (the serve loop asks twice a second: this keeps it a comparison)."""
        return min(jobs.next_run(daily, self.watched_from) for daily in jobs.JOBS.values())

    def catch_up(self, service: AlmaService) -> list[dict]:
        """Run every daily run the clock has passed since the last look, in time order, each at its own moment."""
        if service.clock.now() < self._next_due:
            return []
        with service.lock:
            now = service.clock.now()
            done = []
            for moment, daily in jobs.due(self.watched_from, now):
                done.append(self._run(service, daily, moment, ""))
                service._log("job", moment, {"job": daily.name, "institution": ""})
            self.watch_from(max(self.watched_from, now))
            return done

    def run_now(self, service: AlmaService, name: str, institution: str = "") -> dict:
        """Run one job now, for one institution or every one; what it did."""
        daily = jobs.job(name)
        if daily is None:
            raise HarnessError(f"no job {name!r}; jobs: {', '.join(jobs.JOBS)}")
        with service.lock:
            if institution:
                service.world.institution(institution)  # an unknown institution is refused before anything runs
            moment = service.clock.now()
            result = self._run(service, daily, moment, institution)
            service._log("job", moment, {"job": daily.name, "institution": institution})
            return result

    def replay(self, service: AlmaService, entry: dict, moment: dt.datetime) -> None:
        daily = jobs.job(entry["job"])
        if daily is None:
            raise HarnessError(f"state file: unknown job {entry['job']!r}")
        code = entry.get("institution", "")
        if code and code not in service.world.institutions:
            return
        self._run(service, daily, moment, code, journal=False)
        self.watch_from(max(self.watched_from, moment))

    def _run(self, service: AlmaService, daily: jobs.DailyJob, moment: dt.datetime, institution: str, *,
             journal: bool = True) -> dict:
        world = service.world
        targets: list[Institution] = ([world.institution(institution)] if institution
                                      else list(world.institutions.values()))
        clock = FixedClock(moment)
        results = [jobs.run(inst, daily, clock) for inst in targets]
        if journal and service.journal.cap:
            for inst, result in zip(targets, results):
                _journal(service, daily, inst, result, moment)
        answer = jobs.merge(daily, results)
        answer["at"] = moment.isoformat()
        answer["institutions"] = [inst.code for inst in targets]
        self.last[daily.name] = answer
        return answer

    def describe(self, service: AlmaService) -> dict:
        """The jobs, their daily time, their last run and the next, and the clock's now."""
        now = service.clock.now()
        out = []
        for daily in jobs.JOBS.values():
            runs = [inst.job_runs[daily.name] for inst in list(service.world.institutions.values())
                    if daily.name in inst.job_runs]
            last = self.last.get(daily.name)
            out.append({"name": daily.name, "title": daily.title, "daily_at": daily.at.strftime("%H:%M"),
                        "time_zone": "UTC", "last_run": max(runs) if runs else None,
                        "next_run": jobs.next_run(daily, now).isoformat(),
                        "last_result": {key: len(last.get(key, [])) for key in daily.lists} if last else None})
        return {"now": now.isoformat(), "jobs": out}


_CHANNELS = {"EDI": "EDI", "EMAIL": "email"}


def _move(key: str, line: POLine | None) -> str:
    """What a job did to a PO line, in library words, by the list of its answer that names the line."""
    if key == "renewed":
        return "renewed for another cycle" + (
            f": it renews next on {line.draft.renewal_date.rstrip('Z')}" if line and line.draft.renewal_date else "")
    if key == "sent_to_vendor":
        channel = line.claims[-1].channel if line and line.claims else ""
        return "claim sent to the vendor" + (f" by {_CHANNELS.get(channel, channel)}" if channel else "")
    return {"waiting_for_manual_renewal": "waiting for manual renewal", "closed": "closed: its subscription has ended",
            "claimed": "claimed"}.get(key, key.replace("_", " "))


def _journal(service: AlmaService, daily: jobs.DailyJob, inst: Institution, result: dict,
             moment: dt.datetime) -> None:
    """One journal entry per PO line the job changed in `inst`, its moves joined in one sentence."""
    moves: dict[str, list[str]] = {}
    for key in daily.lists:
        for number in result.get(key, []):
            moves.setdefault(number, []).append(_move(key, inst.po_lines.get(number)))
    for number, said in moves.items():
        service.journal.record(JournalEntry(
            at=moment, request_id="", institution=inst.code, method="JOB", path="", query=(), route="",
            handler=daily.name, status=0, params={"po_line_id": number}, caller=f"{daily.name} job", kind=JOB,
            fixed_summary=f"PO line {number}: {'; '.join(said)} ({daily.name} job)"))
