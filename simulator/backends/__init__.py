"""Pluggable backends behind one `AlmaClient`: in-process, mocked (respx) and HTTP."""

from __future__ import annotations

from simulator.backends.base import AlmaClient, Backend
from simulator.backends.inprocess import InProcessBackend

__all__ = ["AlmaClient", "Backend", "InProcessBackend"]
