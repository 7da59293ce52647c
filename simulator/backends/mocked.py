"""The mocked backend and `mock_alma()`: respx answers every Alma regional host from a simulated Alma,
with no sockets.

`router(service)` is a respx Router whose routes are Alma's hosts (api-na, api-eu, api-ap, api-aps, api-ca
.hosted.exlibrisgroup.com and api-cn.hosted.exlibrisgroup.com.cn), each answered by `wire.handle`, the same
code the HTTP server runs. `MockedBackend` puts the HTTP backend's client on that router through
`httpx.MockTransport`, so nothing is patched. `mock_alma()` patches httpx globally instead (respx.mock), so
a user's own httpx code that calls Alma is answered by the simulator, like moto's `mock_aws`:

    with mock_alma() as alma:                       # a context manager,
        httpx.get("https://api-na.hosted.exlibrisgroup.com/almaws/v1/acq/test",
                  params={"apikey": alma.api_key()})
        alma.journal.entries()
        alma.journal.assert_called(1, method="GET", path="/almaws/v1/acq/test")

    alma.stub(...) pins an answer (simulator.admin.stubs); alma.journal.count(...) / assert_called(...) verify.

    @mock_alma()                                    # a decorator,
    def test_order(): ...

    def test_order(mock_alma): ...                  # and a pytest fixture (simulator.testing.plugin).

Any other host is refused loudly (respx's "not mocked" AssertionError). Injected dropped connections
become `httpx.RemoteProtocolError`; a slow answer really waits, unless it is slower than the request's read
time-out: then `httpx.ReadTimeout` is raised at once, after the work, as a client that stopped waiting sees it
(the backends turn both into simulator.errors' TimedOut and ConnectionLost).
Imports httpx, respx, simulator.api (service, wire) and this package.
"""

from __future__ import annotations

import functools
import inspect
import time
from typing import Any

import httpx
import respx

from simulator.admin.stubs import Stub
from simulator.api.handlers import ALMA
from simulator.api.service import AlmaService, full_key
from simulator.api.wire import RawRequest
from simulator.alma.model import World
from simulator.backends.base import AlmaClient
from simulator.backends.http import HttpBackend

__all__ = ["ALMA_HOSTS", "AlmaMock", "MockedBackend", "mock_alma", "router"]

ALMA_HOSTS = ("api-na.hosted.exlibrisgroup.com", "api-eu.hosted.exlibrisgroup.com",
              "api-ap.hosted.exlibrisgroup.com", "api-aps.hosted.exlibrisgroup.com",
              "api-ca.hosted.exlibrisgroup.com", "api-cn.hosted.exlibrisgroup.com.cn")
DEFAULT_HOST = ALMA_HOSTS[0]


def answer(service: AlmaService, request: httpx.Request) -> httpx.Response:
    """One httpx request answered by the simulated Alma."""
    url = request.url
    raw = RawRequest(request.method, url.path, url.params.multi_items(), request.headers, request.content,
                     f"{url.scheme}://{url.netloc.decode('ascii')}{ALMA}")
    response = service.handle(raw)
    if response.delay:
        read = (request.extensions.get("timeout") or {}).get("read")
        if read is not None and response.delay > read:
            raise httpx.ReadTimeout(f"no answer within {read:g} s (injected delay of {response.delay:g} s)",
                                    request=request)
        time.sleep(response.delay)
    if response.drop:
        raise httpx.RemoteProtocolError("peer closed connection without sending a response (injected fault)",
                                        request=request)
    return httpx.Response(response.status, headers=response.headers, content=response.body)


def _add_routes(target: respx.Router, service: AlmaService) -> None:
    side_effect = functools.partial(answer, service)
    for host in ALMA_HOSTS:
        target.route(host=host).mock(side_effect=side_effect)


def router(service: AlmaService) -> respx.Router:
    """A respx Router answering every Alma host from `service`; unrouted requests fail loudly."""
    target = respx.Router(assert_all_mocked=True, assert_all_called=False)
    _add_routes(target, service)
    return target


class MockedBackend(HttpBackend):
    """The HTTP backend's code over respx (httpx.MockTransport): real requests and answers, no sockets."""

    kind = "mocked"

    def __init__(self, service: AlmaService | None = None, institution: str = "01TRLC_HVU", *,
                 api_key: str | None = None, host: str = DEFAULT_HOST, world: World | None = None) -> None:
        self.service = service or AlmaService(world)
        key = api_key or full_key(self.service.world, institution)
        client = httpx.Client(transport=httpx.MockTransport(router(self.service).handler))
        super().__init__(f"https://{host}{ALMA}", key, client=client, simulator=True)
        if api_key is None:
            self._institution = institution

    @property
    def world(self) -> World:
        return self.service.world

    def with_api_key(self, api_key: str) -> MockedBackend:
        """The same service reached with another API key of the institution."""
        other = MockedBackend(self.service, api_key=api_key)
        other._institution = self._institution
        return other


class AlmaMock:
    """A simulated Alma behind every Alma host while active (httpx patched globally through respx)."""

    def __init__(self, service: AlmaService | None = None, *, world: World | None = None) -> None:
        self.service = service or AlmaService(world)
        self._respx: respx.MockRouter | None = None

    # -- what tests reach ---------------------------------------------------------------------------------------
    @property
    def world(self) -> World:
        return self.service.world

    @property
    def journal(self):
        return self.service.journal

    @property
    def faults(self):
        return self.service.faults

    @property
    def stubs(self):
        return self.service.stubs

    def stub(self, **spec: Any) -> Stub:
        """Pin the answer for matching calls, as the admin API's POST /stubs does (simulator.admin.stubs.Stub):

            alma.stub(method="POST", path="/almaws/v1/acq/po-lines", answers=[{"status": 503}, {"passthrough": True}])
            alma.stub(path="/almaws/v1/acq/funds", status=200, body='{"fund": [', times=1)   # malformed JSON

        The stub is returned (its `id` removes it: `alma.stubs.remove(stub.id)`); reset clears every stub."""
        return self.service.stubs.add(Stub.from_json(spec))

    def clear_stubs(self) -> None:
        self.service.stubs.clear()

    base_url = f"https://{DEFAULT_HOST}{ALMA}"

    def api_key(self, institution: str = "01TRLC_HVU") -> str:
        """The institution's API key with read/write on every area."""
        return full_key(self.service.world, institution)

    def client(self, institution: str = "01TRLC_HVU") -> AlmaClient:
        """An AlmaClient talking to this mock over the patched httpx."""
        backend = HttpBackend(self.base_url, self.api_key(institution), client=httpx.Client(), simulator=True)
        backend.kind = "mocked"
        return AlmaClient(backend)

    # -- context manager ----------------------------------------------------------------------------------------
    def start(self) -> AlmaMock:
        if self._respx is not None:
            raise RuntimeError("this mock_alma() is already active")
        self._respx = respx.mock(assert_all_mocked=True, assert_all_called=False)
        _add_routes(self._respx, self.service)
        self._respx.start()
        return self

    def stop(self) -> None:
        if self._respx is not None:
            self._respx.stop()
            self._respx = None

    def __enter__(self) -> AlmaMock:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- decorator: every call of the decorated function starts from a fresh world --------------------------------
    def __call__(self, func):
        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def run_async(*args, **kwargs):
                self.service.reset()
                with self:
                    return await func(*args, **kwargs)
            return run_async

        @functools.wraps(func)
        def run(*args, **kwargs):
            self.service.reset()
            with self:
                return func(*args, **kwargs)
        return run


def mock_alma(service: AlmaService | None = None, *, world: World | None = None) -> AlmaMock:
    """A simulated Alma answering every Alma host for httpx code: context manager, decorator, fixture."""
    return AlmaMock(service, world=world)
