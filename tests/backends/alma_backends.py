"""The three backends the contract runs on, and how a test gets a fresh one of each."""

from __future__ import annotations

import httpx

from simulator.api.server import ThreadedServer
from simulator.backends import AlmaClient, make_backend

KINDS = ("inprocess", "mocked", "http")
KEY = "l8xx-hvu-0000-read-write"


def backend(kind: str, server: ThreadedServer) -> AlmaClient:
    """A client on a fresh default world: the HTTP server is reset through its admin API first."""
    if kind == "http":
        httpx.post(f"{server.url}/almasim/v1/admin/reset", timeout=10).raise_for_status()
        return make_backend("http", base_url=server.base_url, api_key=KEY)
    return make_backend(kind)


def same_alma(client: AlmaClient, api_key: str) -> AlmaClient:
    """Another client of the same kind on the same simulated Alma, with another API key."""
    from simulator.backends.http import HttpBackend
    from simulator.backends.inprocess import InProcessBackend
    from simulator.backends.mocked import MockedBackend

    backend = client.backend
    if isinstance(backend, InProcessBackend):
        return AlmaClient(InProcessBackend(service=backend.service, api_key=api_key))
    if isinstance(backend, MockedBackend):
        return AlmaClient(MockedBackend(backend.service, api_key=api_key))
    assert isinstance(backend, HttpBackend)
    return make_backend("http", base_url=backend.base_url, api_key=api_key)
