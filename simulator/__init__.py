"""almasim: a simulated Ex Libris Alma for real-time ordering — "moto for Alma acquisitions".

    from simulator import make_backend, mock_alma

    alma = make_backend("inprocess")            # or "mocked", or "http" with base_url= and api_key=
    line = alma.create_po_line({...})           # Alma's own JSON in and out

    with mock_alma() as alma:                   # httpx calls to Alma's hosts answered in-process
        ...

`almasim serve` runs the same simulator as a real HTTP server (docs/http-api.md).

The package is lazy: `import simulator` (or any of its shared-vocabulary modules) loads nothing else;
`AlmaClient` and `make_backend` are loaded from simulator.backends on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.backends import AlmaClient, make_backend
    from simulator.api.service import AlmaService
    from simulator.alma.model import World
    from simulator.backends.mocked import AlmaMock

__all__ = ["AlmaClient", "make_backend", "mock_alma"]


def mock_alma(service: AlmaService | None = None, *, world: World | None = None) -> AlmaMock:
    """A simulated Alma behind every Alma host for httpx code: a context manager, a decorator, and (as the
    `mock_alma` fixture of the almasim pytest plugin) a fixture. respx is imported on first use."""
    from simulator.backends.mocked import mock_alma as make
    return make(service, world=world)


def __getattr__(name: str) -> Any:
    if name in ("AlmaClient", "make_backend"):
        from simulator import backends
        return getattr(backends, name)
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
