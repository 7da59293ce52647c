"""`almasim clone`: read an institution's acquisitions set-up from any Alma (GET only, a read-only key will do)
and write it as a world file that `almasim serve --world`, `almasim rehearse --world` and the pytest plugin's
`--alma-world` load.

Owns the command line, the progress bar (stderr, only on a terminal and never with --json) and the summary:
what was cloned, then one line per part the API did not show (defaulted) and per piece of messy data kept or
left out (reported). The reading and the world file are `simulator.tools.clone`.
Imports simulator.tools.clone and simulator.errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit, urlunsplit

from simulator.errors import HarnessError
from simulator.api.durability import write_atomically
from simulator.tools.clone import DEFAULT_PER_SECOND, AlmaReader, clone, world_text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--alma-url", required=True, metavar="URL",
                        help="the Alma to read (https://api-eu.hosted.exlibrisgroup.com, or an almasim server)")
    parser.add_argument("--api-key", required=True, metavar="KEY",
                        help="an API key of the institution to clone (read-only is enough; it is not written)")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="the world file to write (TOML)")
    parser.add_argument("--per-second", type=float, default=DEFAULT_PER_SECOND, metavar="N",
                        help=f"calls per second at most ({DEFAULT_PER_SECOND}; Alma's threshold is 25)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the summary")


def run(args: argparse.Namespace) -> int:
    if args.out.exists() and not args.force:
        raise HarnessError(f"{args.out} exists; --force overwrites it")
    if not args.out.parent.is_dir():
        raise HarnessError(f"{args.out.parent} is not a folder")
    if not args.per_second > 0:
        raise HarnessError("--per-second must be more than 0")
    bar = ProgressBar(sys.stderr, enabled=not args.json and sys.stderr.isatty())
    reader = AlmaReader(_without_query(args.alma_url), args.api_key, per_second=args.per_second)
    try:
        result = clone(reader, source=_without_query(args.alma_url), progress=bar)
    finally:
        bar.end()
        reader.close()
    text = world_text(result)
    if args.api_key in text:  # e.g. a key inside the URL's path: the file is never written with it
        raise HarnessError("the world file would hold the API key (is it part of --alma-url?); nothing written")
    write_atomically(args.out, text)
    inst = result.spec["institutions"][0]
    counts = {"libraries": len(inst["libraries"]),
              "locations": sum(len(lib["locations"]) for lib in inst["libraries"]),
              "fiscal_periods": len(inst["fiscal_periods"]), "ledgers": len(inst["ledgers"]),
              "funds": len(inst["funds"]), "vendors": len(inst["vendors"]), "profiles": len(inst["profiles"]),
              "po_line_types": len(inst["po_line_types"])}
    if args.json:
        print(json.dumps({"out": str(args.out), "institution": result.institution, "name": inst["name"],
                          "reads": result.reads, "waits": result.waits, "counts": counts,
                          "defaulted": result.defaulted, "reported": result.reported}))
        return 0
    print(f"Cloned {result.institution} ({inst['name']}) from {_without_query(args.alma_url)} into {args.out}: "
          + ", ".join(f"{n} {name.replace('_', ' ').replace('po line', 'PO line')}" for name, n in counts.items())
          + f" ({result.reads} reads" + (f", {result.waits} waits on 429" if result.waits else "") + ")")
    for line in result.defaulted:
        print(f"  defaulted: {line}")
    for line in result.reported:
        print(f"  reported:  {line}")
    print(f"Serve it: almasim serve --world {args.out}")
    return 0


def _without_query(url: str) -> str:
    """The base URL as the world file and the summary name it: never a query (where `?apikey=` could hide)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


class ProgressBar:
    """A plain-text bar on stderr: reads done of the reads known so far (the total grows as libraries appear)."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream, self.enabled, self.drawn = stream, enabled, False

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        filled = round(30 * done / total) if total else 30
        self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} reads  {what[:30]:<30}")
        self.stream.flush()
        self.drawn = True

    def end(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
