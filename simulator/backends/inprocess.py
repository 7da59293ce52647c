"""The in-process backend: an `AlmaService` in this process, reached through the same edge as HTTP, minus the bytes.

Each request goes through `wire.serve` exactly as a server's or a mock's does — the API key and its scopes,
unknown paths and verbs, strict mode, the thresholds, injected faults, `AlmaService.execute` and the journal —
and only the bytes are skipped: bodies stay dicts and answers are the handlers' dicts. A refusal is raised as
the class the HTTP backend rebuilds from Alma's envelope (`errors.error_for_code`), so a test that passes here
passes over HTTP for the same reason.

Injected trouble arrives in the client's own words, without real waiting: a dropped connection raises
`ConnectionLost`; a delay longer than the backend's time-out raises `TimedOut` at once (after the work, if Alma
did it), a shorter one is slept. The simulator's own admin API (`admin`) is answered by the same service.
Imports simulator.api (service, wire), simulator.admin (the admin prefix), simulator.alma and simulator.errors.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from simulator.alma.model import World
from simulator.api import wire
from simulator.api.service import AlmaService, full_key
from simulator.backends.http import _result as read_answer
from simulator.clock import Clock
from simulator.errors import ConnectionLost, HarnessError, TimedOut, error_for_code

__all__ = ["InProcessBackend"]


class InProcessBackend:
    kind = "inprocess"

    def __init__(self, world: World | None = None, institution: str = "01TRLC_HVU", clock: Clock | None = None,
                 strict: bool = False, *, service: AlmaService | None = None, api_key: str | None = None,
                 timeout: float = 30.0, caller: str = "") -> None:
        self.service = service or AlmaService(world, clock=clock)
        if strict:
            self.service.settings.strict = 1  # an unexpected call is refused with its near-miss explanation
        if institution not in self.service.world.institutions:
            raise HarnessError(f"no institution {institution!r}; the world has "
                               f"{', '.join(self.service.world.institutions)}")
        self.institution = institution
        self.api_key = api_key or full_key(self.service.world, institution)
        self.timeout = timeout
        self.caller = caller  # who calls, for the journal ("librarian" from the librarian's view); "" = the key's
        self._headers = {"authorization": f"apikey {self.api_key}", "accept": "application/json"}

    @property
    def world(self) -> World:
        return self.service.world

    @property
    def clock(self) -> Clock:
        return self.service.clock

    @property
    def strict(self) -> bool:
        return bool(self.service.settings.strict)

    def set_timeout(self, seconds: float) -> None:
        self.timeout = seconds

    def with_api_key(self, api_key: str) -> InProcessBackend:
        """The same service reached with another API key of the institution."""
        return InProcessBackend(service=self.service, institution=self.institution, api_key=api_key,
                                timeout=self.timeout, caller=self.caller)

    def send(self, method: str, path: str, query: dict[str, Any] | None = None, body: dict | None = None) -> Any:
        outcome = wire.serve(self.service, wire.Request(method, path, list((query or {}).items()), self._headers,
                                                        body, caller=self.caller))
        if outcome.delay:
            if outcome.delay > self.timeout:
                raise TimedOut(f"{method} {path}: no answer within {self.timeout:g} s (injected delay of "
                               f"{outcome.delay:g} s)")
            time.sleep(outcome.delay)
        if outcome.drop:
            raise ConnectionLost(f"{method} {path}: the connection was closed without an answer (injected fault)")
        if outcome.raw:  # a stub's raw answer: read as the HTTP backend reads those bytes (admin/stubs.py)
            return read_answer(httpx.Response(outcome.status, headers=outcome.headers, content=outcome.payload))
        error = outcome.error
        if error is not None:
            raise error_for_code(error.code, error.message, error.status)
        answer = outcome.answer
        if answer is None or answer.status == 204:
            return None
        return answer.text if answer.text is not None else answer.body

    def admin(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Any:
        """The simulator's own admin API (/almasim/v1/admin…), answered by this backend's service."""
        content = json.dumps(body).encode("utf-8") if body is not None else b""
        response = self.service.handle(wire.RawRequest(method, wire.ADMIN + path, list((query or {}).items()),
                                                       {"content-type": "application/json"}, content))
        return admin_answer(response.status, response.body)


def admin_answer(status: int, body: bytes) -> Any:
    """The admin API's JSON answer; its refusals (`{"error": "SIMULATOR: …"}`) raise HarnessError."""
    data = json.loads(body) if body.strip() else None
    if status >= 400:
        message = data.get("error") if isinstance(data, dict) else body[:200].decode("utf-8", "replace")
        raise HarnessError(str(message))
    return data
