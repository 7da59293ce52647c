"""What one `POST /acq/po-lines` costs, phase by phase, in one process (no sockets): the maintainers' profiler
behind docs/benchmarks.md "The create path".

Phases: the whole ASGI app answering a bare request and a PO line (prepared scopes, the same bodies as
`almasim bench`), then the PO line's pieces each run alone on prepared inputs — reading the body
(`codec.parse_body`), the body into a draft (`schemas.draft_from_json`), the engine
(`ordering.create_po_line`) and the answer (`schemas.po_line_to_json` written by `codec.dumps_json`).

    python -m simulator.tools.phases time [N]             CPU µs per request, best of three rounds
    valgrind --tool=callgrind --instr-atstart=no python -m simulator.tools.phases callgrind [N]
                                                          instructions per request: one dump per phase
    python -m simulator.tools.phases profile PHASE [N]    cProfile of one phase, by own time

BIBS in the environment sets the catalogue's size (default 20,000). Instruction counts do not move with the
machine's load; CPU times do. Nothing here is asserted in tests (a test runs it once on a toy world).
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from simulator.alma import ordering
from simulator.api import codec, schemas
from simulator.api.asgi import create_app
from simulator.api.server import tune_collector
from simulator.api.service import AlmaService
from simulator.tools.benchmark import BARE_PATH, INSTITUTION, PO_LINES_PATH, READ_WRITE_KEY, TitlePool, bench_world, \
    order_bodies

PHASES = ("app_bare", "app_po", "parse", "draft", "engine", "answer")


class Phases:
    """The bench world behind the ASGI app, and a runner for each phase over the next `n` order bodies."""

    def __init__(self, bibs: int) -> None:
        pool = TitlePool(2027)
        self.world = bench_world(bibs, pool)
        self.bodies = [json.dumps(b).encode() for b in order_bodies(4000, pool, catalogued=bibs, seed=2027)]
        self.service = AlmaService(self.world)
        self.app = create_app(self.service)
        tune_collector()  # as a serving process has it
        self.loop = asyncio.new_event_loop()
        self.headers = [(b"host", b"127.0.0.1:8000"), (b"accept", b"application/json"),
                        (b"content-type", b"application/json"),
                        (b"authorization", b"apikey " + READ_WRITE_KEY.encode()), (b"connection", b"keep-alive")]
        self._next = 0

    def take(self, n: int) -> list[bytes]:
        out = []
        for _ in range(n):
            self._next = (self._next + 1) % len(self.bodies)
            out.append(self.bodies[self._next])
        return out

    def _post(self, path: str, bodies: list[bytes]) -> None:
        async def one(body: bytes) -> int:
            scope = {"type": "http", "method": "POST", "path": path, "query_string": b"", "scheme": "http",
                     "headers": self.headers + [(b"content-length", str(len(body)).encode())]}
            status = []

            async def receive() -> dict:
                return {"type": "http.request", "body": body, "more_body": False}

            async def send(message: dict) -> None:
                if message["type"] == "http.response.start":
                    status.append(message["status"])

            await self.app(scope, receive, send)
            return status[0]

        async def run() -> None:
            for body in bodies:
                status = await one(body)
                if status != 200:
                    raise RuntimeError(f"POST {path} answered {status}")

        self.loop.run_until_complete(run())

    def prepared(self, n: int) -> dict[str, tuple[Callable[[Any], None], Any]]:
        """Each phase's runner and its input, for the next `n` bodies (the pieces' inputs made beforehand)."""
        raw = self.take(n)
        parsed = [codec.parse_body(b, "application/json") for b in raw]
        drafts = [schemas.draft_from_json(p) for p in parsed]
        lines = [ordering.create_po_line(self.world, INSTITUTION, schemas.draft_from_json(p), self.service.clock)
                 for p in parsed]
        institution = self.world.institutions[INSTITUTION]
        clock = self.service.clock

        def parse(items: list[bytes]) -> None:
            for body in items:
                codec.parse_body(body, "application/json")

        def draft(items: list[dict]) -> None:
            for body in items:
                schemas.draft_from_json(body)

        def engine(items: list) -> None:
            for d in items:
                ordering.create_po_line(self.world, INSTITUTION, d, clock)

        def answer(items: list) -> None:
            for line in items:
                codec.dumps_json(schemas.po_line_to_json(line, institution, now=clock.now().timestamp()))

        return {"app_bare": (lambda b: self._post(BARE_PATH, b), self.take(n)),
                "app_po": (lambda b: self._post(PO_LINES_PATH, b), self.take(n)),
                "parse": (parse, raw), "draft": (draft, parsed), "engine": (engine, drafts), "answer": (answer, lines)}

    def warm_up(self) -> None:
        self._post(BARE_PATH, self.take(300))
        self._post(PO_LINES_PATH, self.take(1000))


def cpu_times(phases: Phases, n: int, rounds: int = 3) -> dict[str, float]:
    """CPU µs per request of each phase, the best of `rounds`."""
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, (run, items) in phases.prepared(n).items():
            started = time.process_time()
            run(items)
            best[name] = min(best.get(name, float("inf")), (time.process_time() - started) / n * 1e6)
    return best


def callgrind_dumps(phases: Phases, n: int) -> None:
    """Under callgrind: counting on, one dump named after each phase (`callgrind_annotate` or the totals line)."""
    def control(*args: str) -> None:  # valgrind takes the command up while this process idles
        subprocess.Popen(["callgrind_control", *args, str(os.getpid())], stdout=subprocess.DEVNULL)
        time.sleep(3)

    for name, (run, items) in phases.prepared(n).items():
        control("--instr=on")
        control("--zero")
        run(items)
        control(f"--dump={name}")
        control("--instr=off")


USAGE = f"usage: python -m simulator.tools.phases time [N] | callgrind [N] | profile {'|'.join(PHASES)} [N]"


def main(argv: list[str]) -> int:
    mode = argv[0] if argv else "time"
    if mode not in ("time", "callgrind", "profile") or (mode == "profile" and (len(argv) < 2 or argv[1] not in PHASES)):
        print(USAGE, file=sys.stderr)
        return 2
    phases = Phases(int(os.environ.get("BIBS", "20000")))
    phases.warm_up()
    if mode == "time":
        n = int(argv[1]) if len(argv) > 1 else 2000
        best = cpu_times(phases, n)
        print("  ".join(f"{name} {best[name]:.1f} µs" for name in PHASES))
    elif mode == "callgrind":
        callgrind_dumps(phases, int(argv[1]) if len(argv) > 1 else 300)
    else:
        n = int(argv[2]) if len(argv) > 2 else 3000
        run, items = phases.prepared(n)[argv[1]]
        profile = cProfile.Profile()
        profile.runcall(run, items)
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
