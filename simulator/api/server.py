"""A real HTTP server for the simulated Alma on a background thread (uvicorn), for tests and `almasim serve`.

    with ThreadedServer(AlmaService()) as server:
        httpx.get(f"{server.base_url}/acq/test", params={"apikey": key})

Port 0 takes a free port; `port` and `base_url` report the real one once `start` returns. The host may be an
IPv4 or an IPv6 address (`::1`, `::`); an IPv6 one is written in brackets in the URLs (http://[::1]:PORT).
`stop` asks uvicorn to finish and joins the thread, so a test never leaves a server behind.

Connections are bounded in time: one idle between requests is closed after `keep_alive` seconds (uvicorn's
keep-alive time-out), and one that has not delivered a whole request (its head and body) `request_timeout`
seconds after it opened or after its last answer — silent, trickling or stalled — is closed without an answer.
Imports uvicorn, simulator.errors and this package's asgi, handlers and service modules.
"""

from __future__ import annotations

import contextlib
import gc
import ipaddress
import socket
import threading
import time
from typing import Any

import uvicorn
from uvicorn.protocols.http.auto import AutoHTTPProtocol

from simulator.api.asgi import create_app
from simulator.api.handlers import ALMA
from simulator.api.service import AlmaService
from simulator.errors import HarnessError

__all__ = ["ThreadedServer", "tune_collector", "KEEP_ALIVE_SECONDS", "REQUEST_TIMEOUT_SECONDS", "http_url", "is_ipv6"]

KEEP_ALIVE_SECONDS = 5.0  # an idle keep-alive connection is closed after this long
REQUEST_TIMEOUT_SECONDS = 10.0  # a request's head and body must have arrived within this long


def _bounded_protocol(request_timeout: float) -> type:
    """uvicorn's HTTP protocol, plus the request time-out it lacks: a once-a-second look at each connection
    closes one that has waited for its client's request longer than `request_timeout`."""

    base: Any = AutoHTTPProtocol  # h11's or httptools' protocol, whichever uvicorn picked

    class BoundedProtocol(base):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._waiting_since: float | None = self.loop.time()
            self._seen = None  # the request cycle seen at the last look: a new one is progress
            self._watch = self.loop.call_later(1.0, self._look)

        def connection_lost(self, exc) -> None:
            self._watch.cancel()
            super().connection_lost(exc)

        def _look(self) -> None:
            if self.transport.is_closing():
                return
            cycle = self.cycle
            waiting = cycle is None or cycle.response_complete or (cycle.more_body and not cycle.response_started)
            now = self.loop.time()
            if cycle is not self._seen:
                self._seen = cycle
                self._waiting_since = now if waiting else None
            elif not waiting:
                self._waiting_since = None
            elif self._waiting_since is None:
                self._waiting_since = now
            elif now - self._waiting_since > request_timeout:
                self.transport.close()
                return
            self._watch = self.loop.call_later(1.0, self._look)

    return BoundedProtocol


_COLLECTOR_TUNED = False


def tune_collector() -> None:
    """A serving process keeps one large, long-lived world: freeze what is loaded so the cyclic collector stops
    re-scanning it, and let the youngest generation grow before collecting (about 8% less server CPU per PO line
    on a world of tens of thousands of lines). Once per process."""
    global _COLLECTOR_TUNED
    if not _COLLECTOR_TUNED:
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)
        _COLLECTOR_TUNED = True


def serve_on_thread(server: uvicorn.Server, host: str, port: int, name: str,
                    timeout: float = 10.0) -> tuple[threading.Thread, int]:
    """Bind host:port (an OSError such as "Address already in use" is raised here), run `server` on a daemon
    thread and return once it serves: (the thread, the bound port). A server that dies or is not up within
    `timeout` is stopped and refused with HarnessError."""
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets whose proto says TCP (else 40 ms stalls)
    host = host.strip("[]")
    family = socket.AF_INET6 if is_ipv6(host) else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6 and host == "::":  # every interface: IPv4 clients too, where the OS allows
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    port = sock.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            raise HarnessError(f"the server could not start on {host}:{port} (is the port in use?)")
        if time.monotonic() > deadline:
            server.should_exit = True
            thread.join(timeout)
            raise HarnessError(f"the server did not start within {timeout} s")
        time.sleep(0.005)
    return thread, port


def is_ipv6(host: str) -> bool:
    """Whether `host` is an IPv6 address (`::1`, `::`, with or without brackets); names are dialled over IPv4."""
    try:
        return ipaddress.ip_address(host.strip("[]")).version == 6
    except ValueError:
        return False


def http_url(host: str, port: int) -> str:
    """`http://host:port`, an IPv6 address in brackets as URLs write it (http://[::1]:8765)."""
    host = host.strip("[]")
    return f"http://[{host}]:{port}" if is_ipv6(host) else f"http://{host}:{port}"


class ThreadedServer:
    def __init__(self, service: AlmaService | None = None, host: str = "127.0.0.1", port: int = 0, *,
                 keep_alive: float = KEEP_ALIVE_SECONDS, request_timeout: float = REQUEST_TIMEOUT_SECONDS) -> None:
        self.service = service or AlmaService()
        self.host = host.strip("[]")  # an IPv6 address is kept bare (::1); `url` brackets it
        config = uvicorn.Config(create_app(self.service), host=host, port=port, log_level="warning",
                                access_log=False, server_header=False, lifespan="off",
                                timeout_keep_alive=max(1, round(keep_alive)),
                                http=_bounded_protocol(request_timeout))
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        self.port = port

    @property
    def url(self) -> str:
        return http_url(self.host, self.port)

    @property
    def base_url(self) -> str:
        """What an Alma client is given as its base URL: http://127.0.0.1:PORT/almaws/v1 (http://[::1]:PORT/… on IPv6)."""
        return f"{self.url}{ALMA}"

    def start(self, timeout: float = 10.0) -> ThreadedServer:
        """Bind (an OSError such as "Address already in use" is raised here), then serve on a thread."""
        tune_collector()
        self._thread, self.port = serve_on_thread(self._server, self.host, self.port, "almasim-server", timeout)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
