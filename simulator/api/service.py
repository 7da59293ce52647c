"""The running simulated Alma: one world plus everything a server keeps beside it.

`AlmaService` holds the world, the clock, the settings (thresholds, journal caps), the request journal,
the fault rules, the rate counters and a lock. The HTTP server, the respx router and the admin API all
work on one `AlmaService`; `wire.handle` is how requests reach it. Replacing the world (reset, load,
import) swaps one attribute under the lock, so a request in flight finishes on the world it started with
and the next one sees the new world whole.

Tenants are copies of an institution of the default world under a new code and new API keys: one per test
scenario gives parallel runs isolation without resets. They share the Community Zone and the Network
Zone, as real member institutions do.

With a store (`open_store`, `almasim serve --state`), `execute` makes every write durable before it is answered:
see store.py and docs/http-api.md, Durability.
Imports the domain (model, seed, snapshot), simulator.clock/errors, and this package's wire, store, journal and
faults.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import heapq
import itertools
import sys
import traceback
from collections import deque
from functools import lru_cache
import json
import pickle
import os
import tempfile
import threading
import time
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from simulator.alma import snapshot
from simulator.api import wire
from simulator.api.handlers import ROUTES, Answer, Call, Route
from simulator.api.store import Entry, Store
from simulator.admin.faults import FaultBook
from simulator.admin.stubs import StubBook
from simulator.admin.journal import Journal
from simulator.alma.model import ApiKey, Institution, World
from simulator.alma.seed import ALL_AREAS, DEFAULT_WORLD, load_institution, load_world, read_toml
from simulator.clock import Clock, FixedClock
from simulator.errors import AlmaError, HarnessError, InternalError, Throttled, Unauthorized

__all__ = ["AlmaService", "Settings", "Throttle"]


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
        self._tenants = itertools.count(1)
        self._suffixes: _Suffixes | None = None  # free MMS ID suffixes of this world, built on first need
        self.store: Store | None = None  # with --state: every committed write is logged here before its answer
        self.compact_every = 10_000  # log entries between snapshots

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
                entry = {"institution": call.institution.code, "method": route.method, "route": route.template,
                         "params": call.params, "query": dict(call.query), "body": call.body, "base": call.base}
                if call.restriction_profile:  # the key's API Restrictions profile rules the call again on replay
                    entry["restriction_profile"] = call.restriction_profile
                self._log("call", moment, entry)

    # -- durability ---------------------------------------------------------------------------------------------------
    def open_store(self, path: Path | str) -> int:
        """Persist to `path` (a SQLite database, see store.py): start from its snapshot and replay its log; from
        now on every committed change is logged before it is answered. Returns the number of entries replayed."""
        store = Store(path)
        with self.lock:
            if store.legacy is not None:  # a JSON state file of before: loaded, then kept beside
                self.world = snapshot.load(store.legacy)
                self._suffixes = None
                store.connect()
            base = store.base()
            if base is not None:
                self.world = snapshot.load(base.world)
                self._suffixes = None
                self._tenants = itertools.count(base.tenants)
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
            self.store = store
            self.checkpoint()
            return replayed

    def checkpoint(self) -> None:
        """Compact: a snapshot of the world now replaces the log (also forced by admin calls that replace the world,
        change processing or move the clock)."""
        with self.lock:
            if self.store is not None:
                tenants = next(self._tenants)
                self._tenants = itertools.count(tenants)
                self.store.compact(snapshot.dump(self.world), self.clock.now().isoformat(), tenants)

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
        try:
            store.append(kind, moment.isoformat(), entry)
        except Exception as exc:  # the change is not durable: it must not be acknowledged
            print(f"almasim: the state file could not be written: {exc}", file=sys.stderr)
            raise InternalError("Internal server error: the change could not be saved.") from None
        if store.since_snapshot >= self.compact_every:
            try:
                self.checkpoint()
            except Exception:  # the log still holds everything; compaction is tried again later
                traceback.print_exc(file=sys.stderr)

    def _replay(self, entry: Entry) -> None:
        moment = dt.datetime.fromisoformat(entry.at)
        data = entry.entry
        if entry.kind == "call":
            route = _ROUTE_BY_TEMPLATE[(data["method"], data["route"])]
            institution = self.world.institutions.get(data["institution"])
            if institution is not None:
                call = Call(world=self.world, institution=institution, clock=FixedClock(moment), params=data["params"],
                            query=data["query"], body=data["body"], base=data["base"],
                            restriction_profile=data.get("restriction_profile", ""))
                try:
                    route.handler(call)
                except AlmaError:
                    pass  # refused the first time too, with the same effect (none, or the same partial one)
        elif entry.kind == "tenant_add":
            self._add_tenant(data["template"], data["code"], data["name"], data["suffix"], data["number"])
        elif entry.kind == "tenant_remove":
            self._remove_tenant(data["code"])
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
            self._suffixes = None
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
        return self.replace_world(_world_from_spec(spec, self.clock))

    def export(self) -> dict:
        with self.lock:
            return snapshot.dump(self.world)

    def import_(self, data: dict) -> World:
        return self.replace_world(snapshot.load(data))

    def save(self, path: Path | str) -> None:
        """Write the state to `path` atomically (a temporary file, then os.replace)."""
        target = Path(path)
        data = json.dumps(self.export(), ensure_ascii=False).encode("utf-8")
        for leftover in (target.parent or Path(".")).glob(f".{target.name}.*.tmp"):
            leftover.unlink(missing_ok=True)  # a save that was killed mid-write; the state file itself is intact
        with tempfile.NamedTemporaryFile(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp",
                                         delete=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            temporary = Path(handle.name)
        try:
            temporary.chmod(0o644)
            temporary.replace(target)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise

    def restore(self, path: Path | str) -> World:
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except json.JSONDecodeError as exc:
            raise HarnessError(f"state file {path} is not JSON: {exc}") from None
        except UnicodeDecodeError as exc:
            raise HarnessError(f"state file {path} is not UTF-8 JSON (byte {exc.start})") from None
        return self.import_(data)

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
            self.checkpoint()
            return self.clock.now()

    # -- institutions and tenants ---------------------------------------------------------------------------------
    def institutions_json(self) -> list[dict]:
        keys: dict[str, list[ApiKey]] = {}
        for key in self.world.api_keys.values():
            keys.setdefault(key.institution, []).append(key)
        return [_institution_json(inst, keys.get(inst.code, [])) for inst in self.world.institutions.values()]

    def add_tenant(self, template: str = "01TRLC_HVU", code: str = "", name: str = "") -> Institution:
        return self.create_tenant(template, code, name)[0]

    def tenant_json(self, template: str = "01TRLC_HVU", code: str = "", name: str = "") -> dict:
        """A new tenant (see create_tenant) as `institutions_json` shows it, without a scan of the world."""
        with self.lock:
            tenant, keys = self.create_tenant(template, code, name)
            return _institution_json(tenant, [self.world.api_keys[k] for k in keys])

    def create_tenant(self, template: str = "01TRLC_HVU", code: str = "", name: str = "") -> tuple[Institution, list[str]]:
        """A new institution copied from `template` in the default world, with its own API keys (returned too).
        Costs the same whatever the number of institutions: the template is read once, the free MMS ID suffixes
        are kept in a heap (the lowest free one is taken; a dropped tenant's is free again)."""
        if not isinstance(template, str) or not isinstance(code, str) or not isinstance(name, str):
            raise HarnessError("template, code and name are strings")
        for field, text in (("template", template), ("code", code), ("name", name)):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise HarnessError(f"the tenant's {field} holds a character that cannot be stored") from None
        with self.lock:
            number = next(self._tenants)
            code = code or f"{template}_T{number:04d}"
            if code in self.world.institutions:
                raise HarnessError(f"institution {code} already exists")
            suffix = self._free_suffixes().take()
            if suffix is None:
                raise HarnessError(f"no MMS ID suffix left: all {_SUFFIXES} four-digit suffixes are in use; "
                                   "drop a tenant (DELETE /almasim/v1/admin/tenants/{code}) first")
            try:
                tenant, keys = self._add_tenant(template, code, name, suffix, number)
            except BaseException:
                self._free_suffixes().give_back(suffix)
                raise
            self._log("tenant_add", self.clock.now(), {"template": template, "code": code, "name": name,
                                                       "suffix": suffix, "number": number})
            return tenant, keys

    def _add_tenant(self, template: str, code: str, name: str, suffix: str, number: int) -> tuple[Institution, list[str]]:
        spec, defaults = _template_spec(template)
        self._tenants = itertools.count(max(number + 1, next(self._tenants)))
        self._free_suffixes().claim(suffix)
        slug = code.lower().replace("_", "-")
        keys = [{"key": f"l8xx-{slug}-read-write", "write": True},
                {"key": f"l8xx-{slug}-read-only", "write": False}]
        # the template's keys given to vendors under an API Restrictions profile get the tenant's own key strings
        restricted = [{**k, "key": f"l8xx-{slug}-{str(k['restriction_profile']).lower().replace('_', '-')}"}
                      for k in spec.get("restricted_api_keys", [])]
        tenant = {**spec, "code": code, "name": name or f"{spec['name']} (tenant {code})", "mms_suffix": suffix,
                  "api_keys": keys, "restricted_api_keys": restricted}
        world = self.world
        try:
            institution = load_institution(world, tenant, defaults, self.clock)
        except HarnessError:
            _forget_institution(world, code)
            raise
        except Exception as exc:  # a half-built tenant must not stay behind
            _forget_institution(world, code)
            raise HarnessError(f"tenant {code} could not be made from {template}: {exc}") from None
        # A tenant lives as long as the world: out of the cyclic collector's way, so that full collections do not
        # re-scan every tenant made before and creating one costs the same at the 10th and the 9,000th.
        gc.freeze()
        return institution, [str(k["key"]) for k in [*keys, *restricted]]

    def remove_tenant(self, code: str) -> None:
        with self.lock:
            self.world.institution(code)
            self._remove_tenant(code)
            self._log("tenant_remove", self.clock.now(), {"code": code})

    def _remove_tenant(self, code: str) -> None:
        institution = self.world.institutions.get(code)
        if institution is not None:
            _forget_institution(self.world, code)
            self._free_suffixes().give_back(institution.mms_suffix)

    def _free_suffixes(self) -> _Suffixes:
        if self._suffixes is None:
            self._suffixes = _Suffixes({inst.mms_suffix for inst in self.world.institutions.values()})
        return self._suffixes


_SUFFIXES = 10_000  # Alma's MMS ID suffixes have four digits
_ROUTE_BY_TEMPLATE = {(route.method, route.template): route for route in ROUTES}


class _Suffixes:
    """The free four-digit MMS ID suffixes of one world, lowest first."""

    def __init__(self, used: set[str]) -> None:
        self.used = set(used)
        self.free = [f"{n:04d}" for n in range(_SUFFIXES) if f"{n:04d}" not in self.used]  # sorted: a heap

    def take(self) -> str | None:
        while self.free:
            suffix = heapq.heappop(self.free)
            if suffix not in self.used:
                self.used.add(suffix)
                return suffix
        return None

    def claim(self, suffix: str) -> None:
        self.used.add(suffix)  # a heap entry for it is skipped when popped

    def give_back(self, suffix: str) -> None:
        if suffix in self.used:
            self.used.discard(suffix)
            heapq.heappush(self.free, suffix)


def _institution_json(inst: Institution, keys: list[ApiKey]) -> dict:
    full = next((k.key for k in keys if k.write and k.areas >= ALL_AREAS), "")
    return {"code": inst.code, "name": inst.name, "api_key": full,
            "api_keys": [{"key": k.key, "areas": sorted(k.areas), "write": k.write,
                          **({"restriction_profile": k.restriction_profile} if k.restriction_profile else {})}
                         for k in keys]}


def full_key(world: World, institution: str) -> str:
    """The institution's API key with read/write on every area (empty if it has none)."""
    for key in world.api_keys.values():
        if key.institution == institution and key.write and key.areas >= ALL_AREAS:
            return key.key
    return ""


def _forget_institution(world: World, code: str) -> None:
    world.institutions.pop(code, None)
    for key in [k for k, v in world.api_keys.items() if v.institution == code]:
        del world.api_keys[key]
    for network in world.networks.values():
        if code in network.members:
            network.members.remove(code)


def _template_spec(code: str) -> tuple[dict, dict]:
    return pickle.loads(_read_template(code))  # a fresh copy each time (faster than deepcopy)


@lru_cache(maxsize=32)
def _read_template(code: str) -> bytes:
    return pickle.dumps(_find_template(code))


def _find_template(code: str) -> tuple[dict, dict]:
    spec = read_toml(DEFAULT_WORLD)
    base = DEFAULT_WORLD.parent
    defaults = read_toml(base / spec["defaults"]) if "defaults" in spec else {}
    for relative in spec.get("institutions", []):
        candidate = read_toml(base / relative)
        if candidate.get("code") == code:
            return candidate, defaults
    raise HarnessError(f"no institution {code!r} in the default world to copy a tenant from")


# ---------------------------------------------------------------- posted world files -----------------------------


def _parse(text: str) -> dict:
    stripped = text.lstrip()
    try:
        spec = json.loads(stripped) if stripped.startswith("{") else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise HarnessError(f"the posted world is neither JSON nor TOML: {exc}") from None
    if not isinstance(spec, dict):
        raise HarnessError("the posted world must be an object")
    return spec


def _world_from_spec(spec: dict, clock: Clock) -> World:
    """Build a world from a world-file table by writing it out beside absolute paths and loading it."""
    fixtures = DEFAULT_WORLD.parent
    inline = [t for t in spec.get("institutions", []) if isinstance(t, dict)]
    files = [str(fixtures / t) for t in spec.get("institutions", []) if isinstance(t, str)]
    out = dict(spec)
    out["institutions"] = files
    inline_defaults = None
    for key in ("defaults", "community_zone"):
        if isinstance(spec.get(key), str):
            out[key] = str(fixtures / spec[key])
        elif isinstance(spec.get(key), dict):
            out.pop(key)
            if key == "defaults":
                inline_defaults = spec[key]
            else:
                raise HarnessError("community_zone must name a file (inline Community Zones are not supported)")
    with tempfile.TemporaryDirectory(prefix="almasim-world-") as folder:
        path = Path(folder) / "world.toml"
        path.write_text("".join(f"{json.dumps(k)} = {_toml(v)}\n" for k, v in out.items()), "utf-8")
        world = load_world(path, clock=clock)
    defaults = inline_defaults if inline_defaults is not None else (
        read_toml(Path(out["defaults"])) if "defaults" in out else {})
    for table in inline:
        try:
            load_institution(world, table, defaults, clock)
        except (KeyError, ValueError) as exc:
            raise HarnessError(f"institution {table.get('code', '?')}: {exc}") from None
    return world


def _toml(value: Any) -> str:
    """A value as TOML (inline form): enough for world files, whose leaves are strings, numbers, booleans."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value))
