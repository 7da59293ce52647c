"""The in-process backend: the route table's handlers called directly on an in-memory world.

No wire at all — bodies stay dicts — so it is the fastest, and the default for features and unit tests.
It still goes through the same handlers as the HTTP face, so its answers are the HTTP face's answers.
Imports simulator.alma (handlers, model, seed) and simulator.clock.
"""

from __future__ import annotations

from typing import Any

from simulator.api.handlers import Call, dispatch
from simulator.admin.strict import explain
from simulator.alma.model import World
from simulator.alma.seed import load_world
from simulator.clock import Clock, FixedClock
from simulator.errors import HarnessError


class InProcessBackend:
    kind = "inprocess"

    def __init__(self, world: World | None = None, institution: str = "01TRLC_HVU",
                 clock: Clock | None = None, strict: bool = False) -> None:
        self.strict = strict  # an unexpected call raises HarnessError with its near-miss explanation
        self.clock = clock or FixedClock()
        self.world = world or load_world(clock=self.clock)
        self.institution = institution

    def send(self, method: str, path: str, query: dict[str, Any] | None = None, body: dict | None = None) -> Any:
        if self.strict:
            unexpected = explain(method, path, query or {})
            if unexpected:
                raise HarnessError(f"unexpected call (strict mode): {unexpected}")
        call = Call(world=self.world, institution=self.world.institution(self.institution), clock=self.clock,
                    query=query or {}, body=body)
        answer = dispatch(call, method, path)
        return answer.text if answer.text is not None else answer.body
