"""The running simulated Alma: one world plus everything a server keeps beside it.

`AlmaService` holds the world, the clock, the settings (thresholds, journal caps), the request journal,
the fault rules, the rate counters and a lock. The HTTP server, the respx router and the admin API all
work on one `AlmaService`; `wire.handle` is how requests reach it. Replacing the world (reset, load,
import) swaps one attribute under the lock, so a request in flight finishes on the world it started with
and the next one sees the new world whole.

Tenants are copies of an institution of the default world under a new code and new API keys: one per test
scenario gives parallel runs isolation without resets. They share the Community Zone and the Network
Zone, as real member institutions do.

Imports the domain (model, seed, snapshot), simulator.clock/errors, and this package's wire, journal and faults.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
import json
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
from simulator.api.handlers import Answer, Call, Route
from simulator.admin.faults import FaultBook
from simulator.admin.journal import Journal
from simulator.alma.model import ApiKey, Institution, World
from simulator.alma.seed import ALL_AREAS, DEFAULT_WORLD, load_institution, load_world, read_toml
from simulator.clock import Clock, FixedClock
from simulator.errors import HarnessError, Throttled

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
    """Per-institution call counts for the per-second and daily thresholds (wall-clock windows)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._second: dict[str, tuple[int, int]] = {}
        self._day: dict[str, tuple[int, int]] = {}

    def admit(self, institution: str) -> int:
        """Count one call; returns the calls left today. Raises Throttled past a threshold."""
        now = time.time()
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
        return daily - (used if window == int(time.time() // 86400) else 0)

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
        self.unmatched: deque[dict] = deque(maxlen=200)  # unexpected calls, newest last (strict.py)
        self.throttle = Throttle(self.settings)
        self.lock = threading.RLock()
        self._requests = itertools.count(1)
        self._tenants = itertools.count(1)

    # -- requests -------------------------------------------------------------------------------------------------
    def handle(self, raw: wire.RawRequest) -> wire.RawResponse:
        return wire.handle(self, raw)

    def execute(self, route: Route, call: Call) -> Answer:
        """Run one admitted call's handler. Every backend's edge calls this and nothing else to reach a handler,
        so what a write must do besides (durability, see --state) happens here, once."""
        return route.handler(call)

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
            self.unmatched.clear()
            self.throttle.reset()
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
            return self.clock.now()

    # -- institutions and tenants ---------------------------------------------------------------------------------
    def institutions_json(self) -> list[dict]:
        keys: dict[str, list[ApiKey]] = {}
        for key in self.world.api_keys.values():
            keys.setdefault(key.institution, []).append(key)
        return [{"code": inst.code, "name": inst.name, "api_key": full_key(self.world, inst.code),
                 "api_keys": [{"key": k.key, "areas": sorted(k.areas), "write": k.write}
                              for k in keys.get(inst.code, [])]}
                for inst in self.world.institutions.values()]

    def add_tenant(self, template: str = "01TRLC_HVU", code: str = "", name: str = "") -> Institution:
        """A new institution copied from `template` in the default world, with its own API keys."""
        spec, defaults = _template_spec(template)
        with self.lock:
            number = next(self._tenants)
            code = code or f"{template}_T{number:04d}"
            if code in self.world.institutions:
                raise HarnessError(f"institution {code} already exists")
            used = {inst.mms_suffix for inst in self.world.institutions.values()}
            suffix = next(s for s in (f"{9000 + (number + i) % 1000:04d}" for i in range(1000)) if s not in used)
            slug = code.lower().replace("_", "-")
            keys = [{"key": f"l8xx-{slug}-read-write", "write": True},
                    {"key": f"l8xx-{slug}-read-only", "write": False}]
            tenant = {**spec, "code": code, "name": name or f"{spec['name']} (tenant {code})", "mms_suffix": suffix,
                      "api_keys": keys}
            world = self.world
            try:
                return load_institution(world, tenant, defaults, self.clock)
            except HarnessError:
                raise
            except Exception as exc:  # a half-built tenant must not stay behind
                _forget_institution(world, code)
                raise HarnessError(f"tenant {code} could not be made from {template}: {exc}") from None

    def remove_tenant(self, code: str) -> None:
        with self.lock:
            self.world.institution(code)
            _forget_institution(self.world, code)


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
