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
