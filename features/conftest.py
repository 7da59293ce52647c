"""The features' fixtures: one fresh Alma per scenario, on the backend `--alma-backend` chooses.

The connections come from the almasim pytest plugin's `alma_connect` (simulator/testing/plugin.py: in-process,
mocked, server or a real Alma; fresh per scenario, so `pytest -n auto` is safe; `@seeded` scenarios are skipped
against a real Alma). Here each one is wrapped in a `RecordingBackend`, so the living documentation
(`almasim report`) shows what every scenario sent to Alma and what Alma answered.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from simulator.backends import AlmaClient
from simulator.testing.evidence import RecordingBackend

pytest_plugins = [
    "simulator.testing.evidence_plugin",
    "features.steps.institution",
    "features.steps.carts",
    "features.steps.orders",
    "features.steps.funds",
    "features.steps.profiles",
    "features.steps.catalogue",
    "features.steps.portfolios",
    "features.steps.review",
    "features.steps.lifecycle",
    "features.steps.invoicing",
    "features.steps.trouble",
]

HUDSON_VALLEY = "01TRLC_HVU"


@pytest.fixture
def connect(alma_connect: Callable[[str], AlmaClient]) -> Callable[[str], AlmaClient]:
    """`connect(institution)`: a fresh AlmaClient for one institution of the seed world, recording its evidence."""
    def open_institution(institution: str) -> AlmaClient:
        return AlmaClient(RecordingBackend(alma_connect(institution).backend))
    return open_institution


@pytest.fixture
def alma(connect: Callable[[str], AlmaClient]) -> AlmaClient:
    """Hudson Valley University's Alma, fresh for this scenario."""
    return connect(HUDSON_VALLEY)
