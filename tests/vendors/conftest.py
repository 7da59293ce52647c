"""Fixtures for the vendor cart tests: a fresh in-process Alma (the default seed world, fixed clock) and
small fake backends that wrap it to misbehave the way a network and a busy Alma do — real objects, no mocks.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from simulator.backends import AlmaClient, InProcessBackend
from simulator.errors import InternalError, Throttled
from simulator.vendors import VENDORS, Catalogue

COASTAL = "9780300120004"  # in the Community Zone on EBSCOhost, Ebook Central and Cambridge Core
RIVERS_OF_EMPIRE = "9781503642225"  # held in print at Hudson Valley


class FlakyBackend:
    """Wraps a backend; the next `failures` Create PO line calls fail with `error` — before reaching Alma,
    or, with `after_sending`, after Alma has done the work (a time-out on the way back)."""

    def __init__(self, inner: Any, error: Exception, failures: int, *, after_sending: bool = False) -> None:
        self.inner, self.error, self.failures, self.after_sending = inner, error, failures, after_sending
        self.kind = inner.kind
        self.creates = 0  # Create PO line requests that reached Alma

    def send(self, method: str, path: str, query: dict | None = None, body: dict | None = None) -> Any:
        creating = method == "POST" and path.endswith("/acq/po-lines")
        if creating and self.failures and not self.after_sending:
            self.failures -= 1
            raise self.error
        answer = self.inner.send(method, path, query, body)
        if creating:
            self.creates += 1
            if self.failures:
                self.failures -= 1
                raise self.error
        return answer


@pytest.fixture
def backend() -> InProcessBackend:
    return InProcessBackend()


@pytest.fixture
def alma(backend) -> AlmaClient:
    return AlmaClient(backend)


@pytest.fixture(scope="session")
def catalogues() -> dict[str, Catalogue]:
    return {name: Catalogue.build(vendor) for name, vendor in VENDORS.items()}


@pytest.fixture
def naps() -> list[float]:
    return []


def throttled() -> Throttled:
    return Throttled("Daily/per-second threshold exceeded.", code="PER_SECOND_THRESHOLD")


def server_error() -> InternalError:
    return InternalError("Internal server error.")


def read_timeout() -> httpx.ReadTimeout:
    return httpx.ReadTimeout("timed out reading the answer")
