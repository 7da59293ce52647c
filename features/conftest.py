"""The features' fixtures: one fresh Alma per scenario, on the backend `--alma-backend` chooses.

`connect(institution)` builds an `AlmaClient` for one institution of the seed world; `alma` is Hudson Valley
University's. In-process (the default) loads a fresh world for every scenario, so scenarios share nothing and
`pytest -n auto` is safe. Every backend comes from `simulator.backends.make_backend`: inprocess, mocked (respx,
no sockets), server (an almasim HTTP server: our own per test process, or `--alma-url`) and real; each is wrapped
in a `RecordingBackend`, so the living documentation (`almasim report`) shows what every scenario sent to Alma.
Scenarios tagged `@seeded` rely on the simulator's seed data and are skipped against a real Alma, which has its own funds, records and profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from simulator.backends import AlmaClient
from simulator.evidence import RecordingBackend

pytest_plugins = [
    "simulator.evidence_plugin",
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


def _admin(root: str, method: str, path: str, body: dict | None = None) -> dict:
    """The simulator's own control API (never an Alma path): reset the world, add or drop a tenant."""
    import httpx

    answer = httpx.request(method, f"{root}/almasim/v1/admin{path}", json=body, timeout=30)
    answer.raise_for_status()
    return answer.json()


@pytest.fixture(scope="session")
def own_server() -> Iterator[str]:
    """`--alma-backend=server` without `--alma-url`: one simulator per test process (so per xdist worker)."""
    from simulator.alma.api.server import ThreadedServer

    server = ThreadedServer().start()
    yield server.url
    server.stop()


@pytest.fixture
def connect(request: pytest.FixtureRequest) -> Iterator[Callable[[str], AlmaClient]]:
    """Open a fresh connection to one institution of the seed world; everything is dropped after the scenario.

    inprocess and mocked: a new world per connection. server: against our own server (one per process), the world
    is reset before the scenario; against `--alma-url`, each connection gets a fresh tenant copied from the
    institution (the Network Zone is then shared with other runs: use the own server for Network Zone scenarios
    run in parallel). real: `--alma-url` and `--alma-api-key`, for scenarios that need no seeding.
    """
    from simulator.backends import make_backend

    config = request.config
    kind, url = config.getoption("--alma-backend"), config.getoption("--alma-url")
    opened: list[AlmaClient] = []
    tenants: list[tuple[str, str]] = []

    def open_institution(institution: str) -> AlmaClient:
        if kind in ("inprocess", "mocked"):
            client = make_backend(kind, institution=institution)
        elif kind == "server" and url:
            root = url.split("/almaws/v1")[0]
            tenant = _admin(root, "POST", "/tenants", {"template": institution})
            tenants.append((root, tenant["code"]))
            key = next(k["key"] for k in tenant["api_keys"] if k["write"])
            client = make_backend("server", base_url=url, api_key=key)
        elif kind == "server":
            root = request.getfixturevalue("own_server")
            if not opened:
                _admin(root, "POST", "/reset")
            client = make_backend("server", base_url=f"{root}/almaws/v1", api_key=API_KEYS[institution])
        else:
            if not (url and config.getoption("--alma-api-key")):
                pytest.skip("--alma-backend=real needs --alma-url and --alma-api-key")
            client = make_backend("real", base_url=url, api_key=config.getoption("--alma-api-key"))
        client = AlmaClient(RecordingBackend(client.backend))  # every exchange becomes the scenario's evidence
        opened.append(client)
        return client

    yield open_institution
    for client in opened:
        close = getattr(client.backend, "close", None)
        if close is not None:
            close()
    for root, code in tenants:
        _admin(root, "DELETE", f"/tenants/{code}")


@pytest.fixture
def alma(connect: Callable[[str], AlmaClient]) -> AlmaClient:
    """Hudson Valley University's Alma, fresh for this scenario."""
    return connect(HUDSON_VALLEY)
