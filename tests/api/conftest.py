"""The HTTP-face tests run a real server on the test's own AlmaService (the shared `service`), so a test can
look at the world it served; the other shared fixtures are in tests/conftest.py."""

from __future__ import annotations

import pytest

from simulator.api.server import ThreadedServer


@pytest.fixture
def server(service):
    running = ThreadedServer(service).start()
    try:
        yield running
    finally:
        running.stop()
