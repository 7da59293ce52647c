"""Strict mode: an unexpected call fails loudly, with a near-miss explanation, instead of getting a plausible
answer that lets a test pass for the wrong reason (what WireMock, requests-mock and moto users ask for).

A call is unexpected when no simulated route has its path, when the path takes other verbs, or — in strict
mode — when it carries a query parameter the route does not read (a typo such as `profilecode`, or a parameter
Alma documents that the simulator does not simulate). `explain` says which, and names the nearest routes and
the parameters the route reads. The wire answers such calls with Alma's error envelope and remembers them in
the service's list of unmatched calls; the in-process backend raises HarnessError; the pytest plugin fails
the test. (The nearest routes come from `handlers.near_misses`, which every 404 uses; both it and the
parameters a route reads come from the route spec, simulator.api.routes, through coverage.QUERY.) Imports
handlers and coverage of this package.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator.admin.coverage import QUERY
from simulator.api.handlers import find_route, no_route

ALWAYS = frozenset({"apikey", "format"})  # read on every route (the key, the answer's format)


def accepted(method: str, template: str) -> tuple[str, ...]:
    return tuple(sorted(ALWAYS | set(QUERY.get((method, template), ()))))


def explain(method: str, path: str, query_names: Iterable[str]) -> str:
    """Why this call is unexpected, in one paragraph; empty when the simulator serves it as sent."""
    route, _, path_known = find_route(method, path)
    if route is None:
        return no_route(method, path, path_known).message
    unknown = sorted(set(query_names) - ALWAYS - set(QUERY.get((method, route.template), ())))
    if unknown:
        return (f"{method} {route.template} does not read {', '.join(unknown)}: almasim would ignore "
                f"{'it' if len(unknown) == 1 else 'them'}. It reads: {', '.join(accepted(method, route.template))}. "
                f"(If Alma documents the parameter, the simulator lacks it; strict mode off ignores it.)")
    return ""
