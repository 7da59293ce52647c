"""`almasim record`: a recording proxy between a vendor's connector and a real Alma (or another almasim).

    almasim record --alma-url https://api-eu.hosted.exlibrisgroup.com/almaws/v1 --api-key KEY --out run.jsonl

Point the connector at the printed base URL (any API key: the proxy sends KEY); each exchange on Alma's paths
is appended to FILE with every key redacted (simulator/tools/recording.py has the format). Ctrl-C or SIGTERM
stops it. --json prints one JSON line {"base_url", "out"} first, for scripts. Imports simulator.tools.recording.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from simulator.commands.serve import exposure
from simulator.errors import HarnessError
from simulator.tools.recording import RecordingProxy


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--alma-url", required=True, metavar="URL",
                        help="the Alma to forward to: a real Alma's or sandbox's base URL, or an almasim's")
    parser.add_argument("--api-key", required=True, metavar="KEY", help="the target's API key (never recorded)")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="the recording (JSON lines)")
    parser.add_argument("--append", action="store_true", help="add to FILE instead of starting it afresh")
    parser.add_argument("--host", default="127.0.0.1", metavar="ADDR", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8766, help="port to listen on (0: any free port; default 8766)")
    parser.add_argument("--json", action="store_true", help="print the proxy's base URL as one JSON line")


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise HarnessError(f"--port {args.port} is not a port number")
    if args.out.is_dir():
        raise HarnessError(f"--out {args.out} is a directory; give a file name inside it")
    warning = exposure(args.host)
    proxy = RecordingProxy(args.alma_url, args.api_key, args.out, host=args.host, port=args.port, append=args.append)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        proxy.start()
        if warning:
            print(f"almasim record: warning: {warning}", file=sys.stderr, flush=True)
        if args.json:
            print(json.dumps({"base_url": proxy.base_url, "out": str(args.out)}), flush=True)
        else:
            print(f"Recording proxy at {proxy.base_url} → {args.alma_url}; writing {args.out}. Ctrl-C stops it.",
                  flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        proxy.stop()
        signal.signal(signal.SIGTERM, previous)
    if not args.json:
        print(f"almasim record: {proxy.recorded} exchange(s) recorded in {args.out}", flush=True)
    return 0
