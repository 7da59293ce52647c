"""Fixtures for the vendor cart tests: a fresh in-process Alma (the default seed world, fixed clock), the vendors'
stocks, and the list a cart records its waits in instead of sleeping. (Alma's trouble in the retry tests is
the simulator's own fault injection and thresholds: see test_retries.py.)
"""

from __future__ import annotations

import pytest

from simulator.backends import AlmaClient, InProcessBackend
from simulator.vendors import VENDORS, VendorStock

COASTAL = "9780300120004"  # in the Community Zone on EBSCOhost, Ebook Central and Cambridge Core
RIVERS_OF_EMPIRE = "9781503642225"  # held in print at Hudson Valley


@pytest.fixture
def backend() -> InProcessBackend:
    return InProcessBackend()


@pytest.fixture
def alma(backend) -> AlmaClient:
    return AlmaClient(backend)


@pytest.fixture(scope="session")
def stocks() -> dict[str, VendorStock]:
    return {name: VendorStock.build(vendor) for name, vendor in VENDORS.items()}


@pytest.fixture
def naps() -> list[float]:
    return []
