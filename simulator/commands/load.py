"""`almasim load`: a load rehearsal — Locust drives the vendor carts against a simulated Alma (docs/load.md).

    almasim load --alma-url http://127.0.0.1:8765/almaws/v1 --headless --users 20 --run-time 1m --rate 2
    almasim load --serve --headless --run-time 10s                       # against an embedded server
    almasim load --alma-url URL --master --headless --expect-workers 2   # this machine: the master
    almasim load --worker --master-host 10.0.0.5                         # each other machine: a worker

Builds Locust's own command line for the shipped locustfile (`simulator/tools/load/locustfile.py`) and runs
`python -m locust` in a subprocess, so Locust runs exactly as Locust does: its web UI unless `--headless`, its
master and workers across machines, its own table and exit code. Anything after `--` goes to Locust unchanged.
The API key reaches Locust in the environment (ALMASIM_API_KEY), never on its command line; a master sends
it to its workers. `--serve` first starts a simulated Alma on 127.0.0.1 in this process and targets it.
At the end (standalone or master) prints Alma's answers by outcome, read from the summary the locustfile
writes (`--alma-summary`). Base URLs on Ex Libris' hosts are refused: load goes only to a simulator or to
your own test hosts. Locust is never imported here: gevent's monkey-patching stays in Locust's process.
Imports simulator.tools.load, simulator.backends.http (is_real_alma), simulator.errors, and for --serve
simulator.api.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from simulator.backends.http import is_real_alma
from simulator.errors import HarnessError
from simulator.tools.load import LOCUSTFILE, USER_CLASSES
from simulator.tools.load.summary import by_outcome, harness_failures, read_summary, render

DEFAULT_INSTITUTION = "01TRLC_HVU"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--alma-url", metavar="URL", help="Alma's base URL, e.g. http://127.0.0.1:8765/almaws/v1")
    parser.add_argument("--api-key", metavar="KEY",
                        help="the API key (default: env ALMASIM_API_KEY, else the seed's HVU read/write key)")
    parser.add_argument("--institution", default=DEFAULT_INSTITUTION, metavar="CODE",
                        help=f"the institution the key belongs to ({DEFAULT_INSTITUTION})")
    parser.add_argument("--vendor", action="append", metavar="NAME", choices=sorted(USER_CLASSES),
                        help=f"only this vendor's users (repeatable); known: {', '.join(USER_CLASSES)}")
    parser.add_argument("--users", type=int, default=10, metavar="N", help="peak concurrent users (10)")
    parser.add_argument("--spawn-rate", type=float, default=None, metavar="R",
                        help="users started per second (default: all within one second)")
    parser.add_argument("--run-time", metavar="TIME",
                        help="stop after e.g. 30s, 5m, 1h30m (default with --headless: 30s; else until stopped)")
    parser.add_argument("--rate", type=float, default=1.0, metavar="ORDERS_PER_S",
                        help="cart lines each user checks out per second, via constant_throughput (1; 0: no pause)")
    parser.add_argument("--retries", action="store_true",
                        help="let the carts retry 429s and 5xx as in production (default: count each answer)")
    parser.add_argument("--headless", action="store_true", help="no web UI: start at once, stop after --run-time")
    role = parser.add_mutually_exclusive_group()
    role.add_argument("--master", action="store_true", help="run as Locust's master; workers connect to it")
    role.add_argument("--worker", action="store_true", help="run as a worker of the master at --master-host")
    parser.add_argument("--master-host", default="127.0.0.1", metavar="H", help="the master's host (127.0.0.1)")
    parser.add_argument("--master-port", type=int, default=5557, metavar="P", help="the master's port (5557)")
    parser.add_argument("--expect-workers", type=int, metavar="N",
                        help="master with --headless: wait for N workers before starting")
    parser.add_argument("--serve", action="store_true",
                        help="start a simulated Alma on 127.0.0.1 in this process and load it")
    parser.add_argument("--per-second", type=int, default=0, metavar="N",
                        help="with --serve: the per-second threshold per institution (0: none; Alma's is 25)")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.add_argument("locust_args", nargs="*", metavar="-- LOCUST_ARGS",
                        help="anything after -- goes to Locust unchanged (e.g. -- --html report.html)")


def locust_command(args: argparse.Namespace, alma_url: str = "", summary: Path | None = None) -> list[str]:
    """The `python -m locust …` command line for these arguments."""
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE)]
    if args.worker:
        command += ["--worker", "--master-host", args.master_host, "--master-port", str(args.master_port)]
    else:
        users = max(1, args.users)
        command += ["--host", alma_url, "--users", str(users),
                    "--spawn-rate", str(args.spawn_rate if args.spawn_rate else users),
                    "--orders-per-s", str(args.rate), "--alma-institution", args.institution]
        run_time = args.run_time or ("30s" if args.headless else None)
        if run_time:
            command += ["--run-time", run_time]
        if args.headless:
            command.append("--headless")
        if args.retries:
            command.append("--alma-retries")
        if args.master:
            command += ["--master", "--master-bind-port", str(args.master_port)]
            if args.expect_workers:
                command += ["--expect-workers", str(args.expect_workers)]
        if summary is not None:
            command += ["--alma-summary", str(summary)]
    command += list(args.locust_args or ())
    command += [USER_CLASSES[name] for name in dict.fromkeys(args.vendor or ())]
    return command


def _check(args: argparse.Namespace) -> None:
    if importlib.util.find_spec("locust") is None:
        raise HarnessError("Locust is not installed: pip install 'locust>=2.30,<3' (or almasim[test])")
    if args.worker and (args.serve or args.master):
        raise HarnessError("--worker takes its target and settings from the master; drop --serve")
    if args.serve and args.alma_url:
        raise HarnessError("choose --serve or --alma-url, not both")
    if not args.worker and not args.serve and not args.alma_url:
        raise HarnessError("give --alma-url URL (e.g. from `almasim serve`), or --serve")
    if args.alma_url and is_real_alma(args.alma_url):
        raise HarnessError(f"{args.alma_url} is a real Alma: load rehearsals go only to a simulator "
                           "(almasim serve) or your own test hosts")
    if args.users < 1 or args.rate < 0 or (args.spawn_rate is not None and args.spawn_rate <= 0):
        raise HarnessError("--users must be at least 1, --rate at least 0 and --spawn-rate above 0")


def run(args: argparse.Namespace) -> int:
    _check(args)
    server = None
    alma_url, key = args.alma_url or "", args.api_key or os.environ.get("ALMASIM_API_KEY", "")
    try:
        if args.serve:
            server, key = _serve(args, key)
            alma_url = server.base_url
            print(f"Simulated Alma at {alma_url}", flush=True)
        with tempfile.TemporaryDirectory(prefix="almasim-load-") as folder:
            summary_file = None if args.worker else Path(folder) / "summary.json"
            code = _run_locust(locust_command(args, alma_url, summary_file), key)
            if summary_file is not None and summary_file.exists():
                summary = read_summary(summary_file)
                if args.json:
                    print(json.dumps({**summary, "by_outcome": by_outcome(summary),
                                      "harness_failures": harness_failures(summary)}))
                else:
                    print(render(summary))
    finally:
        if server is not None:
            server.stop()
    return code


def _serve(args: argparse.Namespace, key: str):
    from simulator.api.server import ThreadedServer
    from simulator.api.service import AlmaService, Settings, full_key
    from simulator.clock import RunningClock

    service = AlmaService(clock=RunningClock(), settings=Settings(per_second_threshold=max(0, args.per_second)))
    if args.institution not in {inst["code"] for inst in service.institutions_json()}:
        raise HarnessError(f"the embedded Alma has no institution {args.institution!r}")
    return ThreadedServer(service).start(), key or full_key(service.world, args.institution)


def _run_locust(command: list[str], key: str) -> int:
    """Run Locust in its own process; Ctrl-C reaches Locust, which stops and reports, and we wait for it."""
    env = dict(os.environ)
    if key:
        env["ALMASIM_API_KEY"] = key
    process = subprocess.Popen(command, env=env)
    previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    previous_term = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return process.wait()
    finally:
        signal.signal(signal.SIGINT, previous_int)
        signal.signal(signal.SIGTERM, previous_term)
