"""Fixtures shared by the test folders: a fresh AlmaService, `wire.handle` called with bytes, and one real server
on 127.0.0.1:0 per test module (stopping uvicorn takes a tenth of a second, so modules share one), always
stopped. Helpers that build requests live beside this file in `alma_requests.py`."""

from __future__ import annotations

import httpx
import pytest
from alma_requests import Wire

from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService


@pytest.fixture
def service() -> AlmaService:
    return AlmaService()


@pytest.fixture
def wire(service) -> Wire:
    return Wire(service)


@pytest.fixture(scope="module")
def server():
    """One real simulator per test module, on a free port of 127.0.0.1."""
    running = ThreadedServer(AlmaService()).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(timeout=30) as http:
        yield http
