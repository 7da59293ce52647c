"""Fixtures for the reliability suite: a fresh AlmaService per test and a real server on 127.0.0.1:0 that is
always stopped (one per test module). The HTTP-face helpers of tests/api (keys, a complete GOBI order, `Wire`) are reused as they are."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

_API_TESTS = str(Path(__file__).resolve().parent.parent / "api")
if _API_TESTS not in sys.path:  # tests/api's helpers (alma_requests), as its own conftest makes them importable
    sys.path.insert(0, _API_TESTS)

from alma_requests import Wire  # noqa: E402

from simulator.alma.api.server import ThreadedServer  # noqa: E402
from simulator.alma.api.service import AlmaService  # noqa: E402


@pytest.fixture
def service() -> AlmaService:
    return AlmaService()


@pytest.fixture
def wire(service) -> Wire:
    return Wire(service)


@pytest.fixture(scope="module")
def server():
    """One real server per test module (stopping one takes uvicorn a tenth of a second or more)."""
    running = ThreadedServer(AlmaService()).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(timeout=30) as http:
        yield http
