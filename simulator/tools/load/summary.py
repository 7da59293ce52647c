"""The summary of a load rehearsal: Alma's answers by outcome, read from the JSON the locustfile writes on quit.

    summary = read_summary(path)          # as written by --alma-summary
    print(render(summary))                # the table `almasim load` prints at the end

`by_outcome` adds up every vendor's lines per outcome name (simulator.tools.load.OUTCOMES); the response times per
outcome are the slowest vendor's (Locust keeps percentiles per entry, so they are not merged). Harness failures
are lines that failed (the harness gave up) plus exceptions raised in a user's task. Imports only the standard
library and simulator.tools.load.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from simulator.tools.load import OUTCOMES

__all__ = ["by_outcome", "by_vendor", "harness_failures", "read_summary", "render"]


def read_summary(path: Path | str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def by_outcome(summary: dict) -> dict[str, dict]:
    """Every outcome name (all of OUTCOMES, then any other seen) → lines, avg/median/p95/max ms."""
    rows: dict[str, dict] = {name: {"lines": 0, "avg_ms": 0.0, "median_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}
                             for name in OUTCOMES}
    for entry in summary.get("entries", []):
        row = rows.setdefault(entry["outcome"], {"lines": 0, "avg_ms": 0.0, "median_ms": 0.0, "p95_ms": 0.0,
                                                 "max_ms": 0.0})
        lines = row["lines"] + entry["lines"]
        if lines:
            row["avg_ms"] = (row["avg_ms"] * row["lines"] + entry["avg_ms"] * entry["lines"]) / lines
        row["lines"] = lines
        for key in ("median_ms", "p95_ms", "max_ms"):
            row[key] = max(row[key], entry[key] or 0)
    return rows


def by_vendor(summary: dict) -> Counter:
    vendors: Counter = Counter()
    for entry in summary.get("entries", []):
        vendors[entry["vendor"]] += entry["lines"]
    return vendors


def harness_failures(summary: dict) -> int:
    return int(summary.get("failures", 0)) + int(summary.get("exceptions", 0))


def render(summary: dict) -> str:
    rows = by_outcome(summary)
    total = sum(row["lines"] for row in rows.values())
    seconds = float(summary.get("seconds") or 0)
    out = [f"Alma's answers to Create PO line — {summary.get('host', '')}, {summary.get('users')} users, "
           f"{seconds:.1f} s",
           f"{'outcome':<20}{'lines':>8}{'share':>9}{'avg ms':>9}{'median':>9}{'p95':>9}{'max':>9}"]
    for name, row in rows.items():
        share = f"{100 * row['lines'] / total:.1f} %" if total else "-"
        times = (f"{row['avg_ms']:>9.1f}{row['median_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['max_ms']:>9.1f}"
                 if row["lines"] else f"{'-':>9}" * 4)
        out.append(f"{name:<20}{row['lines']:>8}{share:>9}{times}")
    rate = f"{total / seconds:.1f} lines/s" if seconds else "-"
    out.append(f"{'total':<20}{total:>8}   {rate}")
    vendors = by_vendor(summary)
    if vendors:
        out.append("by vendor: " + ", ".join(f"{name} {count}" for name, count in sorted(vendors.items())))
    out.append(f"harness failures: {harness_failures(summary)} (failed lines {summary.get('failures', 0)}, "
               f"task exceptions {summary.get('exceptions', 0)})")
    return "\n".join(out)
