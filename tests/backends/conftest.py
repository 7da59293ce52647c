"""One `alma` fixture, three backends: in-process, mocked (respx, no sockets) and HTTP (a real server on a
free port, shared by the module and reset through the admin API before each test, as moto's server mode is)."""

from __future__ import annotations

import pytest
from alma_backends import KINDS, backend

from simulator.alma.api.server import ThreadedServer
from simulator.alma.api.service import AlmaService


@pytest.fixture(scope="module")
def server():
    running = ThreadedServer(AlmaService()).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(params=KINDS)
def alma(request, server):
    client = backend(request.param, server)
    try:
        yield client
    finally:
        close = getattr(client.backend, "close", None)
        if close:
            close()
