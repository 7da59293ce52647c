"""The simulated Alma as a plain ASGI application: every request, whatever its path (a newline in it
included) and verb (TRACE, QUERY, …), is handed to `wire.handle`, and what it answers is written back.

Bodies are bounded: a Content-Length over codec.MAX_BODY_BYTES is refused before a byte of the body is read,
a body sent without one (chunked) stops being read at the cap; either way wire answers Alma's 400 `402119`
envelope and the connection is closed after it. An injected "dropped connection" closes the connection before
any byte of the answer (no status line).

No framework sits between the server and wire: nothing is parsed twice, no framework answers a plain-text
404/405/500 of its own, and an injected "dropped connection" can really drop it.
Requests are answered on the event loop (handlers are short and take the institution's lock); an injected
delay sleeps asynchronously, so a slow answer never holds up the others.
Imports anyio, this package's wire and service modules, and the librarian's view (simulator.ui, on Starlette). There is no module-level app:
call `create_app(service)`.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from types import SimpleNamespace

import anyio
from starlette.applications import Starlette
from starlette.routing import Mount

from simulator.api.codec import MAX_BODY_BYTES
from simulator.api.handlers import ALMA
from simulator.api.service import AlmaService
from simulator.api.wire import RawRequest, handle
from simulator.ui import create_ui  # the librarian's view at /almasim/ui/ (not Alma's API; docs/librarian-ui.md)

__all__ = ["AlmaApp", "ConnectionDropped", "create_app"]

UI = "/almasim/ui"

class ConnectionDropped(Exception):
    """Raised mid-answer to close a connection on purpose; the server's error log ignores it."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
#: What wire sees in place of a body too large to read: longer than the cap, so codec refuses it (402119).
_OVERSIZED = b"{" + b" " * MAX_BODY_BYTES


class _Endpoint:
    """Every request, adapted to RawRequest and answered by wire.handle."""

    def __init__(self, service: AlmaService) -> None:
        self.service = service

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        request_headers = _decoded(scope["headers"])
        body, oversized = await _read_body(scope["method"].upper(), request_headers, receive)
        if body is None:
            return  # the client went away
        query_string = scope["query_string"]
        query = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True) if query_string else []
        host = request_headers.get("host") or "127.0.0.1"
        raw = RawRequest(scope["method"], scope["path"], query, request_headers, body,
                         f"{scope.get('scheme', 'http')}://{host}{ALMA}")
        response = handle(self.service, raw)
        if response.delay:
            await anyio.sleep(response.delay)
        if response.drop:
            _close_connection(send)  # before any byte of the answer: the client sees no status line
            raise ConnectionDropped(f"{raw.method} {raw.path}: connection dropped (injected fault)")
        response_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        if response.status != 204:
            response_headers.append((b"content-length", str(len(response.body)).encode("ascii")))
        if oversized:  # the rest of the body is still on its way: this connection cannot carry another request
            response_headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": response.status, "headers": response_headers})
        await send({"type": "http.response.body", "body": response.body})


#: A header's name as the server hands it over -> the name lower-cased, as text: the few names clients send,
#: decoded once (at most 256 kept, so odd names cost memory no more than that).
_HEADER_NAMES: dict[bytes, str] = {}


def _decoded(raw_headers) -> dict[str, str]:
    """The request's headers as text (latin-1, as HTTP/1.1 carries them), names lower-cased; a repeated name keeps
    its last value (where it came first)."""
    names = _HEADER_NAMES
    headers: dict[str, str] = {}
    for raw_name, raw_value in raw_headers:
        name = names.get(raw_name)
        if name is None:
            name = raw_name.decode("latin-1").lower()
            if len(names) < 256:
                names[raw_name] = name
        headers[name] = raw_value.decode("latin-1")
    return headers


async def _read_body(method: str, headers: dict[str, str], receive) -> tuple[bytes | None, bool]:
    """(the body, whether it was too large to read whole); (None, _) if the client disconnected."""
    length = headers.get("content-length", "")
    if length.strip().isdigit() and int(length) > MAX_BODY_BYTES:
        return (_OVERSIZED if method in _BODY_METHODS else b""), True
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None, False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY_BYTES:  # a streamed body: stop reading at the cap
            return (b"".join(chunks)[:MAX_BODY_BYTES + 1] if method in _BODY_METHODS else b""), True
        if not message.get("more_body"):
            return b"".join(chunks), False


def _close_connection(send) -> None:
    """Close the connection under this request: uvicorn's `send` is a method of its request cycle, which holds
    the transport. (In-process ASGI transports have none; ConnectionDropped then reaches the client.)"""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None and not transport.is_closing():
        transport.close()


class AlmaApp:
    """The ASGI application: lifespan events are acknowledged, HTTP requests go to the endpoint, nothing in
    between (no framework middleware that could answer a plain-text 404, 405 or 500 of its own)."""

    def __init__(self, service: AlmaService) -> None:
        self.state = SimpleNamespace(service=service)
        self._endpoint = _Endpoint(service)
        # the librarian's view (not Alma's API) is the one part served through a framework: its pages and forms
        self._ui = Starlette(routes=[Mount(UI, app=create_ui(service))])

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        elif scope["type"] == "http":
            path = scope["path"]
            if path == UI or path.startswith(UI + "/"):
                await self._ui(scope, receive, send)
            else:
                await self._endpoint(scope, receive, send)


def create_app(service: AlmaService) -> AlmaApp:
    """The ASGI app serving `service`: Alma's paths, the librarian's and the admin API."""
    server_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in server_log.filters):
        server_log.addFilter(_QuietDrops())
    return AlmaApp(service)
