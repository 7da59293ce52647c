"""`almasim serve`: the simulated Alma as a real HTTP server (on 127.0.0.1 unless --host), until Ctrl-C or SIGTERM.

Prints the base URL and each institution's API keys (or, with --json, exactly one JSON object on the first
line of stdout: {"base_url": …, "host": …, "port": …, "institutions": [{"code", "name", "api_key"}]}).
--host ADDR binds another address (0.0.0.0 for every interface, so a Java or .NET connector on another machine
or in a container can reach it); [decision] any address that is not a loopback one is served, with a warning on
stderr, since the API keys are well-known test keys and the admin API has no key at all. IPv6 addresses too:
`--host ::1` (loopback, no warning) and `--host ::` (every interface, IPv4 clients too where the system allows);
the URL is written with brackets, http://[::1]:8765/almaws/v1. With 0.0.0.0 or :: the announced base URL names
this machine's host name (what another machine dials), not the wildcard.
--state FILE makes the world durable: FILE is a SQLite database (store.py) holding a snapshot and a log of every committed change, each on
disk before its answer is sent; a start replays it, so a crash (even kill -9) loses nothing acknowledged.
Imports simulator.api (server, service) and simulator.errors.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import signal
import socket
import sys
import threading
from pathlib import Path

from simulator.api.server import KEEP_ALIVE_SECONDS, REQUEST_TIMEOUT_SECONDS, ThreadedServer, http_url
from simulator.api.service import AlmaService, Settings
from simulator.clock import RunningClock
from simulator.errors import HarnessError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", metavar="ADDR",
                        help="address to listen on (default 127.0.0.1; ::1 for IPv6 loopback; 0.0.0.0 or ::: every "
                             "interface — a warning is printed, since the keys are test keys and the admin API is open)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (0: any free port; default 8765)")
    parser.add_argument("--world", type=Path, default=None, help="a world file (default: fixtures/world.toml)")
    parser.add_argument("--state", type=Path, default=None,
                        help="keep the world durably in this SQLite file: every acknowledged write is on disk "
                             "before its answer; restarts continue from it (an older JSON state file is imported)")
    parser.add_argument("--keep-alive", type=float, default=KEEP_ALIVE_SECONDS, metavar="SECONDS",
                        help=f"close a connection idle between requests after SECONDS (default {KEEP_ALIVE_SECONDS:g})")
    parser.add_argument("--request-timeout", type=float, default=REQUEST_TIMEOUT_SECONDS, metavar="SECONDS",
                        help="close a connection that has not sent a whole request within SECONDS "
                             f"(default {REQUEST_TIMEOUT_SECONDS:g})")
    parser.add_argument("--json", action="store_true", help="print the base URL and keys as one JSON line")
    parser.add_argument("--strict", action="store_true",
                        help="refuse calls with query parameters no simulated route reads, and explain the near miss")
    parser.add_argument("--per-second", type=int, default=0, metavar="N",
                        help="per-second threshold per institution (0: none; real Alma's is 25)")
    parser.add_argument("--daily", type=int, default=1_000_000, metavar="N",
                        help="daily threshold per institution (0: none; default 1000000)")
    parser.add_argument("--asynchronous", type=float, default=0.0, metavar="SECONDS",
                        help="asynchronous processing: status and alerts appear SECONDS after the POST")


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise HarnessError(f"--port {args.port} is not a port number")
    settings = Settings(per_second_threshold=args.per_second, daily_threshold=args.daily, strict=int(args.strict))
    if not (args.keep_alive > 0 and args.request_timeout > 0):
        raise HarnessError("--keep-alive and --request-timeout must be positive numbers of seconds")
    service = AlmaService(clock=RunningClock(), settings=settings, world_file=args.world)
    if args.state is not None:
        if args.state.is_dir():
            raise HarnessError(f"--state {args.state} is a directory; give a file name inside it")
        service.open_store(args.state)
    if args.asynchronous:
        service.set_processing("asynchronous", args.asynchronous)
    warning = exposure(args.host)
    server = ThreadedServer(service, host=args.host, port=args.port, keep_alive=args.keep_alive,
                            request_timeout=args.request_timeout)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        server.start()
        if warning:
            print(f"almasim serve: warning: {warning}", file=sys.stderr, flush=True)
        _announce(server, args.json)
        try:
            while not stop.wait(0.5):
                service.scheduler.catch_up(service)  # the daily jobs the running clock has passed (renewals)
        except KeyboardInterrupt:
            pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        service.close()  # with --state: a last snapshot (everything was already on disk)
    if not args.json:
        print("almasim serve: stopped" + (f"; state saved to {args.state}" if args.state else ""), flush=True)
    return 0


def exposure(host: str) -> str:
    """Why listening on `host` deserves a warning ("" for a loopback address); a bad address is refused."""
    if host == "localhost":
        return ""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        try:
            address = ipaddress.ip_address(socket.gethostbyname(host))
        except OSError:
            raise HarnessError(f"--host {host} is neither an IP address nor a name this machine resolves") from None
    if address.is_loopback:
        return ""
    where = "every network interface" if address.is_unspecified else host
    return (f"listening on {where}: anyone who can reach this machine can order with the well-known test API "
            "keys and reset or reload the world through the open admin API. Use it on trusted networks only.")


def _public_url(server: ThreadedServer) -> str:
    """The server's URL as another machine dials it (the host name instead of a wildcard address)."""
    wildcard = server.host in ("0.0.0.0", "::")
    return http_url(socket.gethostname() if wildcard else server.host, server.port)


def _announce(server: ThreadedServer, as_json: bool) -> None:
    institutions = server.service.institutions_json()
    url = _public_url(server)
    base_url = url + server.base_url.removeprefix(server.url)
    if as_json:
        line = {"base_url": base_url, "host": server.host, "port": server.port,
                "clock": server.service.clock.now().isoformat(),
                "institutions": [{"code": i["code"], "name": i["name"], "api_key": i["api_key"]} for i in institutions]}
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()
        return
    listening = http_url(server.host, server.port).removeprefix("http://")  # [::1]:8765 for IPv6
    print(f"Simulated Alma at {base_url} (listening on {listening})", flush=False)
    print(f"Admin API at {url}/almasim/v1/admin (docs/http-api.md)")
    print(f"Simulated clock: {server.service.clock.now().isoformat(timespec='seconds')}; daily jobs (renewal, "
          "claiming) run at 02:00 UTC as it passes (GET /almasim/v1/admin/jobs)")
    for inst in institutions:
        print(f"  {inst['code']}  {inst['name']}")
        for key in inst["api_keys"]:
            scope = "read/write" if key["write"] else "read-only"
            restricted = f"  API Restrictions profile {key['restriction_profile']}" if "restriction_profile" in key else ""
            print(f"      {key['key']}  {scope}  {', '.join(key['areas'])}{restricted}")
    print("Ctrl-C stops it.", flush=True)
