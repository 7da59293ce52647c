"""`almasim ui`: a fresh simulated Alma with the librarian's view, its page URL printed (and opened if it can be).

    almasim ui                          serve a fresh default world; print the URL of the In Review list
    almasim ui --rehearse 5             … and let the vendor carts place 5 orders each through the API,
                                        a few seconds apart, so the librarian watches them arrive
    almasim ui --no-browser             print the URL only (the default where no desktop browser is found)

The page URL signs in with the institution's read/write key. Ctrl-C stops it.
Imports simulator.api (server, service), simulator.backends and simulator.vendors (for --rehearse).
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
import webbrowser

from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService, full_key
from simulator.clock import RunningClock
from simulator.errors import HarnessError, SimulatorError

DEFAULT_INSTITUTION = "01TRLC_HVU"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any free port; default 8765)")
    parser.add_argument("--institution", default=DEFAULT_INSTITUTION, metavar="CODE",
                        help=f"the institution whose librarian signs in ({DEFAULT_INSTITUTION})")
    parser.add_argument("--rehearse", type=int, default=0, metavar="N",
                        help="also run a rehearsal through the API: N carts per vendor, one every --pause seconds")
    parser.add_argument("--pause", type=float, default=2.0, metavar="SECONDS",
                        help="seconds between the rehearsal's carts (2)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the rehearsal (42)")
    parser.add_argument("--no-browser", action="store_true", help="do not try to open a browser")


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise HarnessError(f"--port {args.port} is not a port number")
    service = AlmaService(clock=RunningClock())
    if args.institution not in service.world.institutions:
        raise HarnessError(f"no institution {args.institution!r}; the default world has "
                           f"{', '.join(service.world.institutions)}")
    key = full_key(service.world, args.institution)
    server = ThreadedServer(service, port=args.port)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        server.start()
        url = f"{server.url}/almasim/ui/sign-in?key={key}"
        print(f"The librarian's view of {service.world.institutions[args.institution].name}:", flush=False)
        print(f"  {url}")
        print(f"Alma's API at {server.base_url} (key {key})")
        print("Ctrl-C stops it.", flush=True)
        if not args.no_browser:
            webbrowser.open(url)  # returns False where there is no browser; the URL is printed anyway
        if args.rehearse:
            threading.Thread(target=_rehearse, args=(server.base_url, key, args, stop), daemon=True,
                             name="almasim-ui-rehearsal").start()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        stop.set()
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    print("almasim ui: stopped", flush=True)
    return 0


def _rehearse(base_url: str, key: str, args: argparse.Namespace, stop: threading.Event) -> None:
    """The vendor carts order through the HTTP API, a pause between carts, until done or stopped."""
    from simulator.backends import make_backend
    from simulator.vendors import VENDORS
    from simulator.vendors.rehearsal import rehearse

    alma = make_backend("http", base_url=base_url, api_key=key)

    def pause(vendor: str, done: int, total: int) -> None:
        print(f"  rehearsal: {vendor} cart {done}/{total} checked out", flush=True)
        if stop.wait(args.pause):
            raise SystemExit(0)

    try:
        rehearse(alma, sorted(VENDORS.values(), key=lambda v: v.system == "OTHER"), orders=args.rehearse,
                 seed=args.seed, institution=args.institution, progress=pause, sleep=time.sleep)
        print("  rehearsal: done", flush=True)
    except (SimulatorError, SystemExit):
        pass
