"""`almasim report`: the living-documentation page of a feature run (optionally running the features first).

    almasim report                      render .almasim/report.html from the last run in .almasim/
    almasim report --run                run `pytest features` with the evidence plugin, then render
    almasim report --run -- -m gobi     … passing the rest to pytest
    almasim report --cucumber c.json --evidence e.json --out report.html

Imports simulator.testing.report; runs pytest in a subprocess so a failing feature never stops the page being made.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from simulator.errors import SimulatorError
from simulator.testing.report import write_report

FOLDER = Path(".almasim")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cucumber", type=Path, default=FOLDER / "cucumber.json", metavar="FILE",
                        help="pytest-bdd's Cucumber JSON (pytest features --cucumberjson=FILE); "
                             "default .almasim/cucumber.json")
    parser.add_argument("--evidence", type=Path, default=FOLDER / "evidence.json", metavar="FILE",
                        help="the evidence file (pytest -p simulator.testing.evidence_plugin --almasim-evidence=FILE); "
                             "default .almasim/evidence.json")
    parser.add_argument("--out", type=Path, default=FOLDER / "report.html", metavar="FILE",
                        help="the HTML page to write; default .almasim/report.html")
    parser.add_argument("--run", action="store_true", dest="run_first",
                        help="run the feature suite first (python -m pytest features …), then render")
    parser.add_argument("--features", default="features", metavar="PATH",
                        help="what --run hands to pytest; default features")
    parser.add_argument("--seed", default=None, help="the seed to show (and, with --run, to run with)")
    parser.add_argument("--sources", type=Path, default=None, metavar="DIR",
                        help="the source documents the features cite (a folder with seeds/ and reference/), to quote "
                             "their passages; default $ALMASIM_SOURCES, else a shared/ folder beside or above here")
    parser.add_argument("pytest_args", nargs="*", metavar="-- PYTEST_ARGS",
                        help="with --run: more arguments for pytest, after --")


def run_features(args: argparse.Namespace) -> int:
    if not Path(args.features).exists():
        raise SimulatorError(f"no features at {args.features}")
    for path in (args.cucumber, args.evidence):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        for stale in path.parent.glob(path.name + ".*"):
            stale.unlink()
    command = [sys.executable, "-m", "pytest", str(args.features), f"--cucumberjson={args.cucumber}",
               f"--almasim-evidence={args.evidence}", "-p", "simulator.testing.evidence_plugin", "-q", *args.pytest_args]
    env = dict(os.environ)
    if args.seed is not None:
        env["ALMASIM_SEED"] = str(args.seed)
    print("almasim report: running " + " ".join(command[2:]), file=sys.stderr)
    return subprocess.run(command, env=env).returncode


def run(args: argparse.Namespace) -> int:
    if args.pytest_args and not args.run_first:
        raise SimulatorError("pytest arguments are only used with --run")
    status = run_features(args) if args.run_first else 0
    if args.run_first and status not in (0, 1):  # 1 = some scenario failed: still worth a page
        if not args.cucumber.exists() and not args.evidence.exists():
            raise SimulatorError(f"pytest stopped with exit status {status} before any scenario ran")
    report = write_report(args.out, args.cucumber, args.evidence, {"seed": args.seed}, sources=args.sources)
    scenarios = report.scenarios
    failed = sum(1 for s in scenarios if s.status == "failed")
    size = args.out.stat().st_size
    print(f"{args.out} ({size / 1_000_000:.2f} MB): {len(report.features)} features, {len(scenarios)} scenarios, "
          f"{sum(1 for s in scenarios if s.status == 'passed')} passed, {failed} failed, "
          f"{sum(1 for s in scenarios if s.status == 'skipped')} skipped")
    if args.run_first:
        return status
    return 0
