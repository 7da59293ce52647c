"""The running simulated Alma: one world plus everything a server keeps beside it.

`AlmaService` holds the world, the clock, the settings (settings.py: thresholds, journal caps), the request
journal, the fault rules, the stubs, the rate counters, the tenants (tenants.py) and a lock. The HTTP server,
the respx router and the admin API all work on one `AlmaService`; `wire.handle` is how requests reach it, and
`execute` is the one seam where an admitted call reaches its handler. Replacing the world (reset, load, import)
swaps one attribute under the lock, so a request in flight finishes on the world it started with and the next one
sees the new world whole.

With a store (`open_store`, `almasim serve --state`), `execute` makes every write durable before it is answered:
see durability.py, store.py and docs/http-api.md, Durability.
Imports the domain (model, seed, snapshot), simulator.clock/errors, and this package's wire, handlers, settings,
tenants, durability and store, and admin's journal, faults and stubs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import sys
import threading
import tomllib
import traceback
from collections import deque
from dataclasses import asdict
from pathlib import Path
from typing import Any

from simulator.alma import snapshot
from simulator.api import durability, wire
from simulator.api.handlers import Answer, Call, Route
from simulator.api.settings import Settings, Throttle
from simulator.api.scheduling import Scheduler
from simulator.api.store import Entry, Store
from simulator.api.tenants import TEMPLATE, Tenants, full_key, institution_json
from simulator.admin.faults import FaultBook
from simulator.admin.stubs import StubBook
from simulator.admin.journal import Journal
from simulator.alma.model import ApiKey, Institution, World
from simulator.alma.seed import load_world, world_from_spec
from simulator.clock import Clock, FixedClock
from simulator.errors import HarnessError, Unauthorized

__all__ = ["AlmaService", "Settings", "Throttle", "full_key"]


class AlmaService:
    """One simulated Alma: a world and its server-side state. `handle` answers raw HTTP requests."""

    def __init__(self, world: World | None = None, *, clock: Clock | None = None,
                 settings: Settings | None = None, world_file: Path | str | None = None) -> None:
        self.clock: Clock = clock or FixedClock()
        self.world_file = Path(world_file) if world_file else None
        self.world: World = world or load_world(self.world_file, clock=self.clock)
        self.settings = settings or Settings()
        self.journal = Journal(self.settings.journal_cap, self.settings.journal_body_cap)
        self.faults = FaultBook()
        self.stubs = StubBook()  # pinned answers (admin/stubs.py)
        self.unmatched: deque[dict] = deque(maxlen=200)  # unexpected calls, newest last (strict.py)
        self.throttle = Throttle(self.settings, self.clock)
        self.lock = threading.RLock()
        self._requests = itertools.count(1)
        self.tenants = Tenants()  # their numbering and the world's free MMS ID suffixes
        self.store: Store | None = None  # with --state: every committed write is logged here before its answer
        self.compact_every = 10_000  # log entries between snapshots
        self.scheduler = Scheduler(self.clock.now())  # the daily jobs (renewal, claiming) on this clock

    # -- requests -------------------------------------------------------------------------------------------------
    def handle(self, raw: wire.RawRequest) -> wire.RawResponse:
        return wire.handle(self, raw)

    def execute(self, route: Route, call: Call) -> Answer:
        """Run one admitted call's handler. Every backend's edge calls this and nothing else to reach a handler,
        so what a write must do besides (durability, see --state) happens here, once.

        With a store, writes are serialized: the handler runs on the service's clock stopped at one moment, and the
        call (route, parameters, query, parsed body, that moment) is appended to the log before the answer leaves,
        in commit order, so replaying the log gives the same world, the same numbers and the same dates."""
        store = self.store
        if store is None or not route.write:
            return route.handler(call)
        with self.lock:
            if call.world is not self.world:  # the world was replaced while this call waited for the lock
                institution = self.world.institutions.get(call.institution.code)
                if institution is None:
                    raise Unauthorized("API-key not defined or not configured to allow this API.")
                call = dataclasses.replace(call, world=self.world, institution=institution)
            moment = self.clock.now()
            call = dataclasses.replace(call, clock=FixedClock(moment))
            try:
                return route.handler(call)
            finally:
                self._log("call", moment, durability.call_entry(route, call))

    # -- durability ---------------------------------------------------------------------------------------------------
    def open_store(self, path: Path | str) -> int:
        """Persist to `path` (a SQLite database, see store.py): start from its snapshot and replay its log; from
        now on every committed change is logged before it is answered. Returns the number of entries replayed."""
        store = Store(path)
        with self.lock:
            if store.legacy is not None:  # a JSON state file of before: loaded, then kept beside
                self.world = snapshot.load(store.legacy)
                self.tenants.world_replaced()
                store.connect()
            base = store.base()
            if base is not None:
                self.world = snapshot.load(base.world)
                self.tenants.world_replaced()
                self.tenants.count_from(base.tenants)
                self._continue_clock(dt.datetime.fromisoformat(base.at))
            replayed = 0
            for entry in store.entries(base.seq if base is not None else 0):
                try:
                    self._replay(entry)
                except HarnessError:
                    raise
                except Exception as exc:  # a damaged entry: say which, never a traceback
                    raise HarnessError(f"state file {store.path}: log entry {entry.seq} cannot be replayed "
                                       f"({type(exc).__name__}: {exc})") from None
                replayed += 1
            self.scheduler.watch_from(self.clock.now())
            self.store = store
            self.checkpoint()
            return replayed

    def checkpoint(self) -> None:
        """Compact: a snapshot of the world now replaces the log (also forced by admin calls that replace the world,
        change processing or move the clock)."""
        with self.lock:
            if self.store is not None:
                self.store.compact(snapshot.dump(self.world), self.clock.now().isoformat(), self.tenants.next_number())

    def close(self) -> None:
        """A clean stop: a last snapshot, then the store is closed."""
        with self.lock:
            if self.store is not None:
                try:
                    self.checkpoint()
                finally:
                    self.store.close()
                    self.store = None

    def _log(self, kind: str, moment: dt.datetime, entry: dict) -> None:
        store = self.store
        if store is None:
            return
        durability.append(store, kind, moment, entry)  # the change is not durable: InternalError, not acknowledged
        if store.since_snapshot >= self.compact_every:
            try:
                self.checkpoint()
            except Exception:  # the log still holds everything; compaction is tried again later
                traceback.print_exc(file=sys.stderr)

    def _replay(self, entry: Entry) -> None:
        moment = dt.datetime.fromisoformat(entry.at)
        data = entry.entry
        if entry.kind == "call":
            durability.replay_call(self.world, moment, data)
        elif entry.kind == "tenant_add":
            self.tenants.add(self.world, self.clock, data["template"], data["code"], data["name"], data["suffix"],
                             data["number"])
        elif entry.kind == "tenant_remove":
            self.tenants.remove(self.world, data["code"])
        elif entry.kind == "job":
            self.scheduler.replay(self, data, moment)
        else:
            raise HarnessError(f"state file: unknown log entry kind {entry.kind!r} (seq {entry.seq})")
        self._continue_clock(moment)

    def _continue_clock(self, moment: dt.datetime) -> None:
        ahead = (moment - self.clock.now()).total_seconds()
        advance = getattr(self.clock, "advance", None)
        if ahead > 0 and advance is not None:
            advance(seconds=ahead)

    def next_request_number(self) -> int:
        return next(self._requests)

    def remember_unexpected(self, institution: str, method: str, path: str, query, explanation: str) -> None:
        """Keep an unexpected call (an unknown path or verb, or in strict mode a parameter no route reads)."""
        self.unmatched.append({"at": self.clock.now().isoformat(), "institution": institution, "method": method,
                               "path": path, "query": "&".join(f"{k}={v}" for k, v in query if k != "apikey"),
                               "explanation": explanation})

    # -- settings ---------------------------------------------------------------------------------------------------
    def configure(self, changes: dict[str, Any]) -> Settings:
        with self.lock:
            self.settings.update(changes)
            self.journal.resize(self.settings.journal_cap, self.settings.journal_body_cap)
            return self.settings

    def settings_json(self) -> dict:
        return asdict(self.settings)

    # -- the world ----------------------------------------------------------------------------------------------------
    def replace_world(self, world: World) -> World:
        """Swap in a new world atomically; journal, faults and counters start afresh."""
        with self.lock:
            self.world = world
            self.journal.clear()
            self.faults.clear()
            self.stubs.clear()
            self.unmatched.clear()
            self.throttle.reset()
            self.tenants.world_replaced()
            self.scheduler.watch_from(self.clock.now())
            self.checkpoint()
            return world

    def reset(self) -> World:
        """Back to the world the service started from (its world file, else the default world)."""
        return self.replace_world(load_world(self.world_file, clock=self.clock))

    def load_text(self, text: str) -> World:
        """A world from a posted world file (TOML or JSON, the shape of fixtures/world.toml) or a snapshot.

        Relative file names in it (defaults, community_zone, institutions) are read from the default
        fixtures directory; institutions may also be inline tables."""
        spec = _parse(text)
        if spec.get("format") == snapshot.FORMAT:
            return self.replace_world(snapshot.load(spec))
        return self.replace_world(world_from_spec(spec, clock=self.clock, source="the posted world"))

    def export(self) -> dict:
        with self.lock:
            return snapshot.dump(self.world)

    def import_(self, data: dict) -> World:
        return self.replace_world(snapshot.load(data))

    def save(self, path: Path | str) -> None:
        """Write the state to `path` atomically (a temporary file, then os.replace)."""
        durability.save_state(path, self.export())

    def restore(self, path: Path | str) -> World:
        return self.import_(durability.read_state(path))

    # -- processing mode and time -----------------------------------------------------------------------------------
    def set_processing(self, mode: str, seconds: float = 0.0, institution: str = "") -> list[str]:
        """synchronous: status and alerts are in the POST answer; asynchronous: they appear `seconds` later."""
        if mode not in ("synchronous", "asynchronous"):
            raise HarnessError(f"processing mode is synchronous or asynchronous, not {mode!r}")
        if mode == "asynchronous" and not 0 < seconds < float("inf"):  # NaN and infinity are refused too
            raise HarnessError("asynchronous processing needs seconds > 0")
        value = float(seconds) if mode == "asynchronous" else 0.0
        with self.lock:
            targets = [self.world.institution(institution)] if institution else list(self.world.institutions.values())
            for inst in targets:
                inst.asynchronous_processing_seconds = value
            self.checkpoint()
            return [inst.code for inst in targets]

    def processing_json(self) -> dict:
        return {code: ({"mode": "asynchronous", "seconds": inst.asynchronous_processing_seconds}
                       if inst.asynchronous_processing_seconds else {"mode": "synchronous", "seconds": 0})
                for code, inst in self.world.institutions.items()}

    def advance_clock(self, seconds: float) -> dt.datetime:
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise HarnessError("this simulator's clock cannot be advanced")
        with self.lock:
            advance(seconds=seconds)
            self.scheduler.catch_up(self)  # the daily jobs the clock passed, each on its day
            self.checkpoint()
            return self.clock.now()

    # -- institutions and tenants ---------------------------------------------------------------------------------
    def institutions_json(self) -> list[dict]:
        keys: dict[str, list[ApiKey]] = {}
        for key in self.world.api_keys.values():
            keys.setdefault(key.institution, []).append(key)
        return [institution_json(inst, keys.get(inst.code, [])) for inst in self.world.institutions.values()]

    def add_tenant(self, template: str = TEMPLATE, code: str = "", name: str = "") -> Institution:
        return self.create_tenant(template, code, name)[0]

    def tenant_json(self, template: str = TEMPLATE, code: str = "", name: str = "") -> dict:
        """A new tenant (see create_tenant) as `institutions_json` shows it, without a scan of the world."""
        with self.lock:
            tenant, keys = self.create_tenant(template, code, name)
            return institution_json(tenant, [self.world.api_keys[k] for k in keys])

    def create_tenant(self, template: str = TEMPLATE, code: str = "", name: str = "") -> tuple[Institution, list[str]]:
        """A new institution copied from `template` in the default world, with its own API keys (returned too);
        see tenants.py. Logged, so a restart with --state has it again."""
        with self.lock:
            tenant, keys, entry = self.tenants.create(self.world, self.clock, template, code, name)
            self._log("tenant_add", self.clock.now(), entry)
            return tenant, keys

    def remove_tenant(self, code: str) -> None:
        with self.lock:
            self.world.institution(code)
            self.tenants.remove(self.world, code)
            self._log("tenant_remove", self.clock.now(), {"code": code})


def _parse(text: str) -> dict:
    """A posted world file's table (JSON or TOML)."""
    stripped = text.lstrip()
    try:
        spec = json.loads(stripped) if stripped.startswith("{") else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise HarnessError(f"the posted world is neither JSON nor TOML: {exc}") from None
    if not isinstance(spec, dict):
        raise HarnessError("the posted world must be an object")
    return spec
