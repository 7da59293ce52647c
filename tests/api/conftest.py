"""Fixtures for the HTTP-face tests: a fresh AlmaService per test, `wire.handle` called with bytes, and a
real server on a free port (always stopped) when a test needs sockets."""

from __future__ import annotations

import pytest
from alma_requests import Wire

from simulator.alma.api.server import ThreadedServer
from simulator.alma.api.service import AlmaService


@pytest.fixture
def service() -> AlmaService:
    return AlmaService()


@pytest.fixture
def wire(service) -> Wire:
    return Wire(service)


@pytest.fixture
def server(service):
    running = ThreadedServer(service).start()
    try:
        yield running
    finally:
        running.stop()
