"""The load rehearsal: a short headless Locust run of the shipped locustfile, and `almasim load --serve`.

Locust (and so gevent's monkey-patching) runs only in subprocesses; this test process never imports it. The
server is a ThreadedServer on 127.0.0.1:0 started here and always stopped. What Alma holds afterwards is read
through AlmaClient over HTTP, as a vendor would.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService, full_key
from simulator.clock import RunningClock
from simulator.backends import AlmaClient, make_backend
from simulator.cli import build_parser
from simulator.commands import load
from simulator.tools.load import LOCUSTFILE, OUTCOMES, outcome_name
from simulator.tools.load.summary import by_outcome, harness_failures, render
from simulator.vendors import VENDORS, CheckoutResult

needs_locust = pytest.mark.skipif(importlib.util.find_spec("locust") is None,
                                  reason="the load rehearsal needs Locust: pip install 'almasim[test]'")

INSTITUTION = "01TRLC_HVU"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server():
    running = ThreadedServer(AlmaService(clock=RunningClock())).start()
    try:
        yield running
    finally:
        running.stop()


def _vendor_codes(alma: AlmaClient) -> Counter:
    """PO lines per vendor code, every status, read page by page."""
    codes: Counter = Counter()
    offset = 0
    while True:
        page = alma.list_po_lines(status="ALL_WITH_CLOSED", limit=100, offset=offset)
        lines = page.get("po_line", []) or []
        codes.update((line.get("vendor") or {}).get("value", "") for line in lines)
        offset += len(lines)
        if not lines or offset >= int(page.get("total_record_count", 0)):
            return codes


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOCUST_", "ALMASIM_"))}
    return {**env, **extra}


@needs_locust
def test_headless_locust_run_orders_through_the_vendor_carts(server, tmp_path):
    key = full_key(server.service.world, INSTITUTION)
    alma = make_backend("http", base_url=server.base_url, api_key=key)
    try:
        _run_and_check(server, key, alma, tmp_path)
    finally:
        alma.backend.close()


def _run_and_check(server: ThreadedServer, key: str, alma: AlmaClient, tmp_path: Path) -> None:
    before = _vendor_codes(alma)
    summary_file = tmp_path / "summary.json"
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--users", "4",
               "--spawn-rate", "4", "--run-time", "10s", "--stop-timeout", "60", "--host", server.base_url, "--orders-per-s", "2",
               "--only-summary", "--alma-summary", str(summary_file)]
    done = subprocess.run(command, env=_env(ALMASIM_API_KEY=key), cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)  # generous: a busy machine starts locust slowly; nothing here is timed
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(summary_file.read_text())

    assert harness_failures(summary) == 0 and summary["errors"] == 0
    assert summary["lines"] > 0  # how many depends on how busy the machine is: counts, never rates, are asserted
    assert {entry["vendor"] for entry in summary["entries"]} == {"gobi", "oasis", "generic"}
    assert {entry["outcome"] for entry in summary["entries"]} <= set(OUTCOMES)
    rows = by_outcome(summary)
    assert rows["created"]["lines"] > 0 and rows["failed"]["lines"] == 0 and rows["throttled"]["lines"] == 0
    assert all(entry["avg_ms"] > 0 for entry in summary["entries"] if entry["outcome"] == "created")
    assert "Alma's answers to Create PO line" in render(summary)

    # Every created or In Review line is really in Alma, under its vendor's code; nothing else was added. (Each
    # cart's checkout finishes before locust stops — --stop-timeout — so no order is cut off half-reported.)
    after = _vendor_codes(alma)
    placed: Counter = Counter()
    for entry in summary["entries"]:
        if entry["outcome"] in ("created", "In Review"):
            placed[VENDORS[entry["vendor"]].setup(INSTITUTION).vendor_code] += entry["lines"]
    assert after - before == placed


@needs_locust
def test_almasim_load_serve_headless():
    done = subprocess.run([sys.executable, "-m", "simulator.cli", "load", "--serve", "--headless", "--run-time",
                           "15s", "--users", "3", "--rate", "2", "--json"],
                          env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["harness_failures"] == 0
    assert summary["by_outcome"]["created"]["lines"] > 0
    assert summary["host"].startswith("http://127.0.0.1:")


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["load", *argv])


def test_the_locust_command_line_for_master_and_worker():
    master = load.locust_command(_args("--alma-url", "http://10.0.0.5:8765/almaws/v1", "--master", "--headless",
                                       "--expect-workers", "2", "--users", "50", "--rate", "0.5", "--vendor",
                                       "gobi", "--", "--html", "report.html"),
                                 "http://10.0.0.5:8765/almaws/v1")
    assert master[:5] == [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE)]
    text = " ".join(master)
    for part in ("--host http://10.0.0.5:8765/almaws/v1", "--users 50", "--spawn-rate 50", "--orders-per-s 0.5",
                 "--run-time 30s", "--headless", "--master --master-bind-port 5557", "--expect-workers 2",
                 "--html report.html"):
        assert part in text
    assert master[-1] == "GobiUser" and "apikey" not in text.lower()
    worker = load.locust_command(_args("--worker", "--master-host", "10.0.0.5"))
    assert worker[5:] == ["--worker", "--master-host", "10.0.0.5", "--master-port", "5557"]


@needs_locust
@pytest.mark.parametrize("argv, message", [
    (["--headless"], "--alma-url"),
    (["--alma-url", "https://api-eu.hosted.exlibrisgroup.com/almaws/v1"], "real Alma"),
    (["--worker", "--serve"], "--worker"),
])
def test_almasim_load_refuses_what_it_cannot_do(argv, message, capsys):
    from simulator.cli import main
    assert main(["load", *argv]) == 1
    assert message in capsys.readouterr().err


def test_outcome_names():
    assert outcome_name(CheckoutResult("created", attempts=1)) == "created"
    assert outcome_name(CheckoutResult("in_review", attempts=1)) == "In Review"
    assert outcome_name(CheckoutResult("refused", code="401872", attempts=1)) == "refused"
    assert outcome_name(CheckoutResult("refused", code="FUND_NOT_USABLE")) == "refused by vendor"
    assert outcome_name(CheckoutResult("failed", code="PER_SECOND_THRESHOLD", attempts=1)) == "throttled"
    assert outcome_name(CheckoutResult("failed", code="502", attempts=4)) == "failed"


def test_importing_the_simulator_never_imports_locust_or_gevent():
    code = ("import sys, simulator, simulator.cli, simulator.tools.load, simulator.tools.load.summary, simulator.commands.load\n"
            "simulator.cli.build_parser()\n"
            "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('locust', 'gevent', 'greenlet'))\n"
            "assert not leaked, leaked")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
