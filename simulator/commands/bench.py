"""`almasim bench`: measure the simulator against PRODUCT.md's quality bars and print the table.

`--quick` runs in under a minute (1k / 10k / 100k bibs, short rounds; the 1M rows are left out and say so),
`--json` prints one JSON object instead of the table, `--write FILE` also saves the table as Markdown.
The measuring itself lives in `simulator.tools.benchmark`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator.tools import benchmark


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="a run under a minute: smaller catalogues, "
                        "shorter rounds; the 1,000,000-bib rows are left out")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--sizes", help="catalogue sizes for the lookup, load and memory rows, e.g. 1000,100000")
    parser.add_argument("--seconds", type=float, help="length of each timed phase (in-process orders, HTTP)")
    parser.add_argument("--no-http", action="store_true", help="leave out the HTTP row")
    parser.add_argument("--no-features", action="store_true", help="leave out the feature suite row")
    parser.add_argument("--write", metavar="FILE", help="also write the table (Markdown) to FILE")


def plan_from(args: argparse.Namespace) -> benchmark.Plan:
    plan = benchmark.Plan.quick() if args.quick else benchmark.Plan()
    if args.sizes:
        try:
            plan.sizes = tuple(int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(",") if s.strip())
        except ValueError:
            raise benchmark.BenchError(f"--sizes takes whole numbers separated by commas, not {args.sizes!r}") from None
        if not plan.sizes or min(plan.sizes) < 1:
            raise benchmark.BenchError("--sizes needs at least one positive size")
        plan.mode = "custom"
    if args.seconds is not None:
        if args.seconds <= 0:
            raise benchmark.BenchError("--seconds must be positive")
        plan.orders_seconds = plan.http_seconds = args.seconds
        plan.mode = "custom" if plan.mode == "full" else plan.mode
    plan.http = not args.no_http
    plan.features = not args.no_features
    return plan


def run(args: argparse.Namespace) -> int:
    plan = plan_from(args)
    progress = None if args.json else (lambda text: print(f"  {text}", file=sys.stderr, flush=True))
    report = benchmark.run(plan, progress=progress)
    text = benchmark.table(report)
    if args.write:
        Path(args.write).write_text(text + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2) if args.json else text)
    return 0
