"""`almasim replay`: send a recording's requests to another Alma and report the differences in library words.

    almasim replay run.jsonl --alma-url http://127.0.0.1:8765/almaws/v1 --api-key l8xx-hvu-0000-read-write

Prints "N exchange(s) replayed …: no differences." or one line per difference (status, Alma error codes, PO
line status, alerts, matched record, portfolio source; simulator/tools/replay.py declares what is compared and
what is ignored); --json prints the same as one JSON object. [decision] The exit code is 0 without
differences, 3 with some (1 stays "could not replay"), so a CI job can gate on it.
Imports simulator.tools (recording, replay).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from simulator.tools.recording import read_recording
from simulator.tools.replay import replay

DIFFERENT = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("recording", type=Path, metavar="FILE", help="a recording made by almasim record")
    parser.add_argument("--alma-url", required=True, metavar="URL", help="the Alma to replay against")
    parser.add_argument("--api-key", required=True, metavar="KEY", help="its API key")
    parser.add_argument("--json", action="store_true", help="the differences as one JSON object")


def run(args: argparse.Namespace) -> int:
    found = replay(read_recording(args.recording), args.alma_url, args.api_key)
    if args.json:
        print(json.dumps(found.to_json(), ensure_ascii=False))
    else:
        print(found.report(args.alma_url))
    return DIFFERENT if found.differences else 0
