"""The almasim pytest plugin, registered by entry point: fixtures for users' own tests, and the options the
feature suite runs on.

    --alma-backend inprocess|mocked|server|real   (default inprocess)
    --alma-url URL --alma-api-key KEY             a running almasim server, or a real Alma
    --no-alma-strict                              let unexpected calls through (strict mode is on by default)

Fixtures:
    alma            Hudson Valley University's Alma, fresh for the test, on the chosen backend
    alma_connect    alma_connect("01TRLC_LSU") → a fresh AlmaClient for any institution of the seed world
    vendor_cart     vendor_cart("gobi") → that vendor's shopping cart, ordering through `alma`
    mock_alma       every httpx call to Alma's hosts answered by a fresh simulated Alma (no sockets)
    almasim_server  one `almasim serve`-like server on 127.0.0.1 for the test session (per xdist worker)

Strict mode (the default): a call the simulator does not serve as sent — an unknown path or verb, or a query
parameter the route does not read — fails the test with a near-miss explanation ("Nearest: GET
/almaws/v1/acq/po-lines/{po_line_id}"), so a test never passes because a typo was silently ignored.

"Fresh" means: a new world in-process and mocked; the world reset on our own server; a new tenant institution
(copied from the seed institution, removed afterwards) on a server given with --alma-url. Tests marked
`seeded` are skipped against a real Alma, which has its own funds, records and profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

HUDSON_VALLEY = "01TRLC_HVU"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("almasim", "simulated Alma")
    group.addoption("--alma-backend", default="inprocess", choices=("inprocess", "mocked", "server", "real"),
                    help="which backend the alma fixtures use (default: inprocess)")
    group.addoption("--alma-url", default=None, help="base URL (…/almaws/v1) of a running almasim server or a real Alma")
    group.addoption("--alma-api-key", default=None, help="API key for --alma-url with --alma-backend=real")
    group.addoption("--no-alma-strict", dest="alma_strict", action="store_false", default=True,
                    help="do not fail tests on unexpected calls (strict mode is on by default)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "seeded: needs the simulator's seed data; skipped against a real Alma")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.config.getoption("--alma-backend") == "real" and item.get_closest_marker("seeded"):
        pytest.skip("needs the simulator's seed data (Hudson Valley University's funds, records and profiles, "
                    "the librarian's set-up actions); a real Alma has its own")


def _admin(root: str, method: str, path: str, body: dict | None = None) -> dict:
    """The simulator's own control API (never an Alma path)."""
    import httpx

    answer = httpx.request(method, f"{root}/almasim/v1/admin{path}", json=body, timeout=30)
    answer.raise_for_status()
    return answer.json() if answer.content else {}


@pytest.fixture(scope="session")
def almasim_server() -> Iterator[str]:
    """The root URL (http://127.0.0.1:PORT) of a simulator started for this test process, always stopped."""
    from simulator.api.server import ThreadedServer

    server = ThreadedServer().start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def alma_connect(request: pytest.FixtureRequest) -> Iterator[Callable[[str], object]]:
    """Open fresh connections to institutions of the seed world; everything is dropped after the test."""
    from simulator.api.service import full_key
    from simulator.backends import AlmaClient, make_backend

    config = request.config
    kind, url = config.getoption("--alma-backend"), config.getoption("--alma-url")
    strict = config.getoption("alma_strict")
    opened: list = []
    tenants: list[tuple[str, str]] = []
    watched: list[tuple[str, str]] = []  # (server root, institution) whose unexpected calls fail the test
    services: list = []  # the in-process and mocked backends' services, whose unexpected calls fail the test
    reset_done = False

    def connect(institution: str = HUDSON_VALLEY):
        nonlocal reset_done
        if kind == "inprocess":
            client = make_backend(kind, institution=institution, strict=strict)
            services.append(client.backend.service)  # type: ignore[attr-defined]
        elif kind == "mocked":
            from simulator.backends.mocked import MockedBackend
            mocked = MockedBackend(institution=institution)
            mocked.service.settings.strict = int(strict)
            services.append(mocked.service)
            client = AlmaClient(mocked)
        elif kind == "server" and url:
            root = url.split("/almaws/v1")[0]
            tenant = _admin(root, "POST", "/tenants", {"template": institution})
            tenants.append((root, tenant["code"]))
            watched.append((root, tenant["code"]))
            key = next(k["key"] for k in tenant["api_keys"] if k["write"])
            client = make_backend("server", base_url=url, api_key=key)
        elif kind == "server":
            root = request.getfixturevalue("almasim_server")
            if not reset_done:
                _admin(root, "POST", "/reset")
                _admin(root, "PUT", "/settings", {"strict": int(strict)})
                reset_done = True
            watched.append((root, institution))
            from simulator.alma.seed import load_world
            client = make_backend("server", base_url=f"{root}/almaws/v1", api_key=full_key(load_world(), institution))
        else:
            if not (url and config.getoption("--alma-api-key")):
                pytest.skip("--alma-backend=real needs --alma-url and --alma-api-key")
            client = make_backend("real", base_url=url, api_key=config.getoption("--alma-api-key"))
        opened.append(client)
        return client

    try:
        yield connect
        unexpected = [call["explanation"] for service in services for call in service.unmatched]
        unexpected += [call["explanation"] for root, code in watched
                       for call in _admin(root, "GET", f"/unmatched?institution={code}")["unmatched"]]
        if strict and unexpected:
            pytest.fail("unexpected calls to the simulated Alma (strict mode; --no-alma-strict lets them through):\n  "
                        + "\n  ".join(unexpected), pytrace=False)
    finally:
        for client in opened:
            close = getattr(client.backend, "close", None)
            if close is not None:
                close()
        for root, code in tenants:
            _admin(root, "DELETE", f"/tenants/{code}")


@pytest.fixture
def alma(alma_connect):
    """Hudson Valley University's Alma (an `AlmaClient`), fresh for this test."""
    return alma_connect(HUDSON_VALLEY)


@pytest.fixture
def vendor_cart(alma):
    """`vendor_cart("gobi")`: a vendor's shopping cart (simulator.vendors) ordering through `alma`."""
    from simulator.vendors import open_cart

    def open_for(vendor: str, **options):
        return open_cart(vendor, alma, **options)
    return open_for


@pytest.fixture
def mock_alma():
    """A fresh simulated Alma behind every Alma host while the test runs (httpx patched through respx)."""
    from simulator import mock_alma as make

    with make() as mock:
        yield mock
