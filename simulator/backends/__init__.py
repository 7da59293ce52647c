"""Pluggable backends behind one `AlmaClient`: in-process, mocked (respx) and HTTP.

    make_backend("inprocess")                                   the same edge as HTTP without the bytes (fastest)
    make_backend("mocked")                                      real httpx requests answered by respx, no sockets
    make_backend("http", base_url=..., api_key=...)             any server: `almasim serve`, or a real Alma

Each returns an `AlmaClient`; refusals raise the same AlmaError classes with the same codes on all three.
Importing this package loads only the client (`base.py`, standard library); a backend, and with it the
simulated Alma, is loaded when it is made (or when `InProcessBackend` is first asked for).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.backends.base import AlmaClient, Backend
from simulator.errors import HarnessError

if TYPE_CHECKING:
    from simulator.backends.inprocess import InProcessBackend

__all__ = ["AlmaClient", "Backend", "InProcessBackend", "KINDS", "make_backend"]

#: The backend kinds, with the names the pytest option also accepts.
KINDS = {"inprocess": "inprocess", "in-process": "inprocess", "mocked": "mocked", "respx": "mocked",
         "http": "http", "server": "http", "real": "http"}


def make_backend(kind: str = "inprocess", **options: Any) -> AlmaClient:
    """An AlmaClient on the chosen backend.

    inprocess: world=, institution="01TRLC_HVU", clock=, strict=, service= (an AlmaService), api_key=, timeout=30.0
    mocked:    service= (an AlmaService), institution="01TRLC_HVU", api_key=, host=, world=
    http:      base_url= (required), api_key= (required), client=, timeout=30.0, simulator= (guessed from the URL)
    """
    chosen = KINDS.get(kind)
    try:
        if chosen == "inprocess":
            from simulator.backends.inprocess import InProcessBackend
            return AlmaClient(InProcessBackend(**options))
        if chosen == "mocked":
            from simulator.backends.mocked import MockedBackend
            return AlmaClient(MockedBackend(**options))
        if chosen == "http":
            from simulator.backends.http import HttpBackend
            return AlmaClient(HttpBackend(**options))
    except TypeError as exc:
        raise HarnessError(f"make_backend({kind!r}): {exc}") from None
    raise HarnessError(f"no backend {kind!r}; choose one of {', '.join(sorted(set(KINDS.values())))}")


def __getattr__(name: str) -> Any:
    if name == "InProcessBackend":
        from simulator.backends.inprocess import InProcessBackend
        return InProcessBackend
    raise AttributeError(f"module 'simulator.backends' has no attribute {name!r}")
