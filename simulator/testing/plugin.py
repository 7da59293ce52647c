"""The almasim pytest plugin, registered by entry point: fixtures for users' own tests, and the options the
feature suite runs on.

    --alma-backend inprocess|mocked|server|real   (default inprocess)
    --alma-url URL --alma-api-key KEY             a running almasim server, or a real Alma
    --no-alma-strict                              let unexpected calls through (strict mode is on by default)
    --alma-world FILE (ini: alma_world)           a world file, e.g. from `almasim clone`, for the backends the
                                                  plugin runs itself (inprocess, mocked, its own server)

Fixtures:
    alma            Hudson Valley University's Alma (with --alma-world: the world's first institution), fresh
    alma_connect    alma_connect("01TRLC_LSU") → a fresh AlmaClient for any institution of the seed world
    vendor_cart     vendor_cart("gobi") → that vendor's shopping cart, ordering through `alma`
    mock_alma       every httpx call to Alma's hosts answered by a fresh simulated Alma (no sockets); strict too
    almasim_server  one `almasim serve`-like server on 127.0.0.1 for the test session (per xdist worker)
    alma_institutions  the world's institutions, name → code (the `alma` fixture's first)

The step library (simulator.testing.steps: the librarian's and the vendor's sentences) is registered too, so a
`.feature` file bound with pytest-bdd's `scenarios(...)` anywhere finds its steps (docs/your-own-features.md).

Strict mode (the default): a call the simulator does not serve as sent — an unknown path or verb, or a query
parameter the route does not read — fails the test with a near-miss explanation ("Nearest: GET
/almaws/v1/acq/po-lines/{po_line_id}"), so a test never passes because a typo was silently ignored.

"Fresh" means: a new world in-process and mocked; the world reset on our own server; a new tenant institution
(copied from the seed institution, removed afterwards) on a server given with --alma-url. Tests marked
`seeded` are skipped against a real Alma, which has its own funds, records and profiles.

Against a sandbox, recorded for a replay against the simulator (docs/http-api.md, "Against a real sandbox"):
`almasim record --alma-url SANDBOX --api-key KEY --out sandbox.jsonl`, then `--alma-backend=real --alma-url
http://127.0.0.1:8766/almaws/v1 --alma-api-key any`, then `almasim replay sandbox.jsonl --alma-url …`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from simulator.api.routes import ALMA

HUDSON_VALLEY = "01TRLC_HVU"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("almasim", "simulated Alma")
    group.addoption("--alma-backend", default="inprocess", choices=("inprocess", "mocked", "server", "real"),
                    help="which backend the alma fixtures use (default: inprocess)")
    group.addoption("--alma-url", default=None, help="base URL (…/almaws/v1) of a running almasim server or a real Alma")
    group.addoption("--alma-api-key", default=None, help="API key for --alma-url with --alma-backend=real")
    group.addoption("--no-alma-strict", dest="alma_strict", action="store_false", default=True,
                    help="do not fail tests on unexpected calls (strict mode is on by default)")
    group.addoption("--alma-world", default=None, metavar="FILE",
                    help="world file (e.g. from `almasim clone`) for the inprocess, mocked and own-server backends")
    parser.addini("alma_world", "world file for the alma fixtures (relative to the rootdir); --alma-world wins")


def _world_file(config: pytest.Config) -> str | None:
    """The world file the alma fixtures start from (None: the default consortium)."""
    if config.getoption("--alma-world"):
        return str(config.getoption("--alma-world"))
    ini = config.getini("alma_world")
    return str(config.rootpath / ini) if ini else None


def _first_institution(world_file: str | None) -> str:
    """Hudson Valley University, or the world file's first institution when it has no such institution."""
    if world_file is None:
        return HUDSON_VALLEY
    from simulator.alma.seed import load_world
    codes = list(load_world(world_file).institutions)
    return HUDSON_VALLEY if HUDSON_VALLEY in codes or not codes else codes[0]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "seeded: needs the simulator's seed data; skipped against a real Alma")
    config.addinivalue_line("markers", "over_http: needs an Alma with an address (record and replay); skipped "
                                       "on the in-process and mocked backends")
    for vendor, tag in (("GOBI", "gobi"), ("Oasis", "oasis"), ("a generic vendor", "generic")):
        config.addinivalue_line("markers", f"{tag}: scenarios placed through {vendor}")  # the features' vendor tags
    from simulator.testing.steps import STEP_MODULES
    for module in STEP_MODULES:  # pytest-bdd steps are fixtures: each step module is registered as a plugin
        config.pluginmanager.import_plugin(module)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.config.getoption("--alma-backend") == "real" and item.get_closest_marker("seeded"):
        pytest.skip("needs the simulator's seed data (Hudson Valley University's funds, records and profiles, "
                    "the librarian's set-up actions); a real Alma has its own")
    if item.config.getoption("--alma-backend") in ("inprocess", "mocked") and item.get_closest_marker("over_http"):
        pytest.skip("the recording proxy and the replay talk to an Alma over HTTP; the in-process and mocked "
                    "backends have no address (run with --alma-backend=server)")


def _admin(root: str, method: str, path: str, body: dict | None = None) -> dict:
    """The simulator's own control API (never an Alma path)."""
    import httpx

    answer = httpx.request(method, f"{root}/almasim/v1/admin{path}", json=body, timeout=30)
    answer.raise_for_status()
    return answer.json() if answer.content else {}


@pytest.fixture(scope="session")
def almasim_server(pytestconfig: pytest.Config) -> Iterator[str]:
    """The root URL (http://127.0.0.1:PORT) of a simulator started for this test process, always stopped."""
    from simulator.api.server import ThreadedServer
    from simulator.api.service import AlmaService

    server = ThreadedServer(AlmaService(world_file=_world_file(pytestconfig))).start()
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
    world_file = _world_file(config)
    opened: list = []
    tenants: list[tuple[str, str]] = []
    watched: list[tuple[str, str]] = []  # (server root, institution) whose unexpected calls fail the test
    services: list = []  # the in-process and mocked backends' services, whose unexpected calls fail the test
    reset_done = False

    def connect(institution: str = ""):
        nonlocal reset_done
        from simulator.alma.seed import load_world
        institution = institution or _first_institution(world_file)
        world = load_world(world_file) if world_file and kind in ("inprocess", "mocked") else None
        if kind == "inprocess":
            client = make_backend(kind, institution=institution, strict=strict, world=world)
            services.append(client.backend.service)  # type: ignore[attr-defined]
        elif kind == "mocked":
            from simulator.backends.mocked import MockedBackend
            mocked = MockedBackend(institution=institution, world=world)
            mocked.service.settings.strict = int(strict)
            services.append(mocked.service)
            client = AlmaClient(mocked)
        elif kind == "server" and url:
            root = url.split(ALMA)[0]
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
            client = make_backend("server", base_url=f"{root}{ALMA}",
                                  api_key=full_key(load_world(world_file), institution))
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
        _fail_on_unexpected(strict, unexpected)
    finally:
        for client in opened:
            close = getattr(client.backend, "close", None)
            if close is not None:
                close()
        for root, code in tenants:
            _admin(root, "DELETE", f"/tenants/{code}")


@pytest.fixture(scope="session")
def alma_institutions(pytestconfig: pytest.Config) -> dict[str, str]:
    """The institutions of the world the alma fixtures start from, name → code, the `alma` fixture's first."""
    from simulator.alma.seed import load_world

    world_file = _world_file(pytestconfig)
    first = _first_institution(world_file)
    institutions = load_world(world_file).institutions
    return {institutions[code].name: code for code in [first, *(c for c in institutions if c != first)]}


@pytest.fixture
def alma(alma_connect):
    """Hudson Valley University's Alma (an `AlmaClient`; with --alma-world the world's first institution), fresh."""
    return alma_connect()


@pytest.fixture
def vendor_cart(alma):
    """`vendor_cart("gobi")`: a vendor's shopping cart (simulator.vendors) ordering through `alma`."""
    from simulator.vendors import open_cart

    def open_for(vendor: str, **options):
        return open_cart(vendor, alma, **options)
    return open_for


@pytest.fixture
def mock_alma(request: pytest.FixtureRequest):
    """A fresh simulated Alma behind every Alma host while the test runs (httpx patched through respx).

    Strict like `alma`: a call the simulator does not serve as sent (an unknown path or verb, a query parameter
    the route does not read) fails the test; --no-alma-strict lets it through."""
    from simulator import mock_alma as make

    strict = request.config.getoption("alma_strict")
    with make() as mock:
        mock.service.settings.strict = int(strict)
        yield mock
    _fail_on_unexpected(strict, [call["explanation"] for call in mock.service.unmatched])


def _fail_on_unexpected(strict: bool, unexpected: list[str]) -> None:
    if strict and unexpected:
        pytest.fail("unexpected calls to the simulated Alma (strict mode; --no-alma-strict lets them through):\n  "
                    + "\n  ".join(unexpected), pytrace=False)
