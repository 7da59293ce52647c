"""The features' fixtures: one fresh Alma per scenario, on the backend `--alma-backend` chooses.

`connect(institution)` builds an `AlmaClient` for one institution of the seed world; `alma` is Hudson Valley
University's. In-process (the default) loads a fresh world for every scenario, so scenarios share nothing and
`pytest -n auto` is safe. The other backends come from `simulator.backends.make_backend` (mocked, server,
real); until it exists those runs skip with the reason. Scenarios tagged `@seeded` rely on the simulator's
seed data and are skipped against a real Alma, which has its own funds, records and profiles.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator

import pytest

from simulator.backends import AlmaClient, InProcessBackend

pytest_plugins = [
    "features.steps.institution",
    "features.steps.carts",
    "features.steps.orders",
    "features.steps.funds",
    "features.steps.profiles",
    "features.steps.catalogue",
    "features.steps.portfolios",
    "features.steps.review",
    "features.steps.lifecycle",
]

HUDSON_VALLEY = "01TRLC_HVU"
# The seed's read-write API key of each institution (fixtures/institutions/*.toml): how a backend that speaks
# Alma's HTTP API knows which institution a scenario is in.
API_KEYS = {"01TRLC_HVU": "l8xx-hvu-0000-read-write", "01TRLC_RVC": "l8xx-rvc-0000-read-write",
            "01TRLC_LSU": "l8xx-lsu-0000-read-write"}


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.config.getoption("--alma-backend") == "real" and item.get_closest_marker("seeded"):
        pytest.skip("needs the simulator's seed data (Hudson Valley University's funds, records and profiles, "
                    "the librarian's set-up actions); a real Alma has its own")


def _backend(kind: str, institution: str, config: pytest.Config):
    if kind == "inprocess":
        return InProcessBackend(institution=institution)
    import simulator.backends as backends

    make_backend = getattr(backends, "make_backend", None)
    if make_backend is None:
        pytest.skip(f"--alma-backend={kind} needs simulator.backends.make_backend, which is not available yet")
    offered = {"institution": institution, "url": config.getoption("--alma-url"),
               "api_key": config.getoption("--alma-api-key") or API_KEYS.get(institution)}
    accepted = inspect.signature(make_backend).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    return make_backend(kind, **{k: v for k, v in offered.items() if takes_any or k in accepted})


@pytest.fixture
def connect(request: pytest.FixtureRequest) -> Iterator[Callable[[str], AlmaClient]]:
    """Open a fresh connection to one institution of the seed world; closed after the scenario."""
    opened = []

    def open_institution(institution: str) -> AlmaClient:
        built = _backend(request.config.getoption("--alma-backend"), institution, request.config)
        client = built if isinstance(built, AlmaClient) else AlmaClient(built)
        opened.append(built)
        return client

    yield open_institution
    for built in opened:
        close = getattr(built, "close", None) or getattr(getattr(built, "backend", None), "close", None)
        if close is not None:
            close()


@pytest.fixture
def alma(connect: Callable[[str], AlmaClient]) -> AlmaClient:
    """Hudson Valley University's Alma, fresh for this scenario."""
    return connect(HUDSON_VALLEY)
