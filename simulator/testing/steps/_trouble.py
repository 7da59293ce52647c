"""Alma in trouble, made by the simulator itself: the fault rules a scenario sets on its Alma, and what the
request journal says the cart did while Alma was troubled.

The trouble is the simulator's own fault injection, set through the client (`AlmaClient.add_fault`, the admin
API on every backend: in-process, mocked and server alike), so the cart meets Alma's own answers — nothing is
wrapped or faked step-side. Only Create PO line calls of the scenario's institution are troubled; the cart's
reads (libraries, locations, funds, the search for its vendor reference number) and the Then steps' reads go
through. The troubles, in Alma's dialect:

- busy:          Alma answers that it is over its per-second threshold, before doing anything;
- failing:       Alma answers with an internal server error, before doing anything;
- too late:      Alma creates the PO line but its answer comes later than the cart waits (a delay longer than the
                 client's time-out: in-process and mocked the time-out is raised at once, against a server the
                 client waits its time-out, two seconds, and no longer);
- daily limit:   Alma answers that the institution's calls for the day are spent.

[decision] The daily limit is made as a fault on the cart's orders, not by lowering the daily threshold: a real
threshold would refuse the librarian's look in Alma afterwards too, and the scenario could not check that no PO
line was created. The thresholds themselves are driven in tests/vendors/test_retries.py and the backends'
"same story" test.

What the cart did is read back from the simulator's request journal (`AlmaClient.journal`), so it is what Alma
saw, on every backend.
"""

from __future__ import annotations

from typing import Any

from simulator.backends import AlmaClient
from simulator.backends.base import ALMA

BUSY, FAILING, TOO_LATE, DAILY_LIMIT = "busy", "failing", "too late", "daily limit"
PO_LINES = f"{ALMA}/acq/po-lines"  # the prefix from the route spec, through the client
PATIENCE = 2.0  # seconds the cart's client waits for an answer once Alma is slow
LATE = 6.0  # seconds Alma takes to answer when it answers too late: longer than the client waits

RULES: dict[str, dict[str, Any]] = {
    BUSY: {"code": "PER_SECOND_THRESHOLD",
           "message": "Per-second threshold exceeded for this institution. Please try again later."},
    FAILING: {"status": 500},
    TOO_LATE: {"delay": LATE},
    DAILY_LIMIT: {"code": "DAILY_THRESHOLD", "message": "Daily API threshold reached for this institution."},
}


def trouble(alma: AlmaClient, kind: str, count: int | None = None) -> dict:
    """Make the next `count` Create PO line calls (all of them if None) meet `kind`; the fault rule made."""
    if kind == TOO_LATE:
        alma.time_out_after(PATIENCE)
    return alma.add_fault(method="POST", path=PO_LINES, times=count, **RULES[kind])


def orders_and_searches(alma: AlmaClient) -> list[dict]:
    """The cart's orders (Create PO line) and searches of PO lines, oldest first, as Alma's journal has them."""
    return [entry for entry in alma.journal(path=PO_LINES)
            if entry["path"] == PO_LINES and (entry["method"] == "POST" or "q=" in entry["query"])]


def orders(alma: AlmaClient) -> list[dict]:
    """The Create PO line calls that reached Alma, oldest first."""
    return [entry for entry in orders_and_searches(alma) if entry["method"] == "POST"]


def described(entries: list[dict]) -> list[str]:
    return [("order " + (entry["error_code"] or str(entry["status"]))) if entry["method"] == "POST" else "search"
            for entry in entries]
