"""The simulated Alma as an ASGI application (Starlette): one catch-all route that hands every request to
`wire.handle` and writes back what it answers.

Starlette is here for its routing, lifespan and server ecosystem, not for request handling: the endpoint is
a plain ASGI callable, so nothing is parsed twice and an injected "dropped connection" can really drop it.
Requests are answered on the event loop (handlers are short and take the institution's lock); an injected
delay sleeps asynchronously, so a slow answer never holds up the others.
Imports starlette, anyio, and this package's wire and service modules. There is no module-level app:
call `create_app(service)`.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

import anyio
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from simulator.api.handlers import ALMA
from simulator.api.service import AlmaService
from simulator.api.wire import RawRequest, handle
from simulator.ui import create_ui  # the librarian's view at /almasim/ui/ (not Alma's API; docs/librarian-ui.md)

__all__ = ["ConnectionDropped", "create_app"]

class ConnectionDropped(Exception):
    """Raised mid-answer to close a connection on purpose; the server's error log ignores it."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


class _Endpoint:
    """Every request, adapted to RawRequest and answered by wire.handle."""

    def __init__(self, service: AlmaService) -> None:
        self.service = service

    async def __call__(self, scope, receive, send) -> None:
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        request_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        host = request_headers.get("host") or "127.0.0.1"
        raw = RawRequest(scope["method"], scope["path"], query, request_headers, b"".join(chunks),
                         f"{scope.get('scheme', 'http')}://{host}{ALMA}")
        response = handle(self.service, raw)
        if response.delay:
            await anyio.sleep(response.delay)
        if response.drop:
            # Promise a body, then fail: the server closes the connection mid-answer.
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]})
            raise ConnectionDropped(f"{raw.method} {raw.path}: connection dropped (injected fault)")
        response_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        if response.status != 204:
            response_headers.append((b"content-length", str(len(response.body)).encode("ascii")))
        await send({"type": "http.response.start", "status": response.status, "headers": response_headers})
        await send({"type": "http.response.body", "body": response.body})


def create_app(service: AlmaService) -> Starlette:
    """A Starlette app serving `service`: Alma's paths, the librarian's and the admin API."""
    server_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in server_log.filters):
        server_log.addFilter(_QuietDrops())
    app = Starlette(routes=[Mount("/almasim/ui", app=create_ui(service)),
                            Route("/{path:path}", _Endpoint(service), methods=_METHODS)])
    app.state.service = service
    return app
