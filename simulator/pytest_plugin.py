"""The almasim pytest plugin (registered by entry point): fixtures for users' own tests.

Grows with the backends; for now it registers the command-line options the suite shares.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("almasim", "simulated Alma")
    group.addoption("--alma-backend", default="inprocess", choices=("inprocess", "mocked", "server", "real"),
                    help="which backend scenarios run on (default: inprocess)")
    group.addoption("--alma-url", default=None, help="base URL of a real Alma or a running almasim server")
    group.addoption("--alma-api-key", default=None, help="API key for --alma-url")


@pytest.fixture
def mock_alma():
    """A simulated Alma behind every Alma host for the test's httpx code (respx); `.world`, `.journal`,
    `.api_key()` and `.client()` reach it."""
    from simulator.backends.mocked import mock_alma as make
    with make() as alma:
        yield alma
