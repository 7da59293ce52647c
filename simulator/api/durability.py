"""Durability: what a service writes to its store (store.py) as a command log, how a logged command runs again,
and JSON state files written whole or not at all.

A write call is logged as a command (`call_entry`): its route, parameters, query, parsed body and base URL; the
moment it ran on is the entry's time. `replay_call` runs such a command again on a world, on a clock stopped at
that moment, so replaying the log gives the same world, the same numbers and the same dates. `append` is the
one write to the log: a change that cannot be written is refused (never acknowledged). The service decides when
to log, compact and replay (service.py: execute, _log, _replay, open_store).
Imports the domain's model, this package's handlers and store, simulator.clock and simulator.errors.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from simulator.alma.model import World
from simulator.api.handlers import ROUTES, Call, Route
from simulator.api.store import Store
from simulator.clock import FixedClock
from simulator.errors import AlmaError, HarnessError, InternalError

__all__ = ["append", "call_entry", "replay_call", "save_state", "read_state"]

_ROUTE_BY_TEMPLATE = {(route.method, route.template): route for route in ROUTES}


def call_entry(route: Route, call: Call) -> dict:
    """A write call as a log entry of kind "call"."""
    entry = {"institution": call.institution.code, "method": route.method, "route": route.template,
             "params": call.params, "query": dict(call.query), "body": call.body, "base": call.base}
    if call.restriction_profile:  # the key's API Restrictions profile rules the call again on replay
        entry["restriction_profile"] = call.restriction_profile
    return entry


def replay_call(world: World, moment: dt.datetime, data: dict) -> None:
    """Run a logged call again on `world` at `moment` (nothing if its institution is gone)."""
    route = _ROUTE_BY_TEMPLATE[(data["method"], data["route"])]
    institution = world.institutions.get(data["institution"])
    if institution is None:
        return
    call = Call(world=world, institution=institution, clock=FixedClock(moment), params=data["params"],
                query=data["query"], body=data["body"], base=data["base"],
                restriction_profile=data.get("restriction_profile", ""))
    try:
        route.handler(call)
    except AlmaError:
        pass  # refused the first time too, with the same effect (none, or the same partial one)


def append(store: Store, kind: str, moment: dt.datetime, entry: dict) -> None:
    """Log one committed change; if it cannot be written it is not durable, and must not be acknowledged."""
    try:
        store.append(kind, moment.isoformat(), entry)
    except Exception as exc:
        print(f"almasim: the state file could not be written: {exc}", file=sys.stderr)
        raise InternalError("Internal server error: the change could not be saved.") from None


def save_state(path: Path | str, data: dict) -> None:
    """Write a state (snapshot.dump) to `path` atomically."""
    write_atomically(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def write_atomically(path: Path | str, text: bytes | str) -> None:
    """The whole file or nothing, on disk before it returns: a temporary file beside it, flushed and synced, then
    os.replace (a state file, a cloned world)."""
    target = Path(path)
    if isinstance(text, str):
        text = text.encode("utf-8")
    for leftover in (target.parent or Path(".")).glob(f".{target.name}.*.tmp"):
        leftover.unlink(missing_ok=True)  # a save that was killed mid-write; the state file itself is intact
    with tempfile.NamedTemporaryFile(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp",
                                     delete=False) as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
        temporary = Path(handle.name)
    try:
        temporary.chmod(0o644)
        temporary.replace(target)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def read_state(path: Path | str) -> dict:
    """A JSON state file, or one readable line saying why not."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise HarnessError(f"state file {path} is not JSON: {exc}") from None
    except UnicodeDecodeError as exc:
        raise HarnessError(f"state file {path} is not UTF-8 JSON (byte {exc.start})") from None
    return data
