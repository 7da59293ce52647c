"""One `alma` fixture, three backends: in-process, mocked (respx, no sockets) and HTTP (the shared real server on a
free port, one per module (tests/conftest.py) and reset through the admin API before each test, as moto's server mode is)."""

from __future__ import annotations

import pytest
from alma_backends import KINDS, backend


@pytest.fixture(params=KINDS)
def alma(request, server):
    client = backend(request.param, server)
    try:
        yield client
    finally:
        close = getattr(client.backend, "close", None)
        if close:
            close()
