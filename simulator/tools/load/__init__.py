"""Load rehearsal: the vendor carts driven by Locust against a simulated Alma (`almasim load`, docs/load.md).

    python -m locust -f simulator/tools/load/locustfile.py --host http://127.0.0.1:8765/almaws/v1 --headless -u 10 -t 30s

`LOCUSTFILE` is the shipped locustfile; `OUTCOMES` are the names under which each cart line is reported to
Locust; `outcome_name` turns a cart's CheckoutResult into one of them. Nothing here imports Locust or gevent:
Locust runs only in its own process (its gevent monkey-patching must never reach the caller's process).
Imports simulator.vendors.cart (outcome constants) only.
"""

from __future__ import annotations

from pathlib import Path

from simulator.vendors.cart import CREATED, FAILED, IN_REVIEW, POSSIBLE_DUPLICATE, REFUSED, CheckoutResult

__all__ = ["LOCUSTFILE", "OUTCOMES", "THROTTLED_CODES", "USER_CLASSES", "VENDOR_REFUSALS", "outcome_name"]

LOCUSTFILE = Path(__file__).with_name("locustfile.py")

#: The names a cart line is reported under, in the order the summary lists them. Only "failed" counts as a
#: failure in Locust's sense (the harness gave up: 5xx, time-out, connection error); the others are Alma's
#: answers (or, for "refused by vendor", the vendor's own check before anything was sent).
OUTCOMES = ("created", "In Review", "refused", "refused by vendor", "throttled", "possible duplicate", "failed")

#: Alma's 429 codes: above the per-second threshold, or the day's calls spent.
THROTTLED_CODES = frozenset({"PER_SECOND_THRESHOLD", "DAILY_THRESHOLD"})

#: The cart's own refusals, made before anything is sent to Alma (simulator.vendors.cart.Cart.verify).
VENDOR_REFUSALS = frozenset({"LIBRARY_UNKNOWN", "LOCATION_UNKNOWN", "FUND_UNKNOWN", "FUND_NOT_USABLE"})

#: Locust User class per vendor profile in the locustfile.
USER_CLASSES = {"gobi": "GobiUser", "oasis": "OasisUser", "generic": "GenericUser"}


def outcome_name(result: CheckoutResult) -> str:
    """The name a cart line's result is reported under in Locust."""
    if result.outcome == CREATED:
        return "created"
    if result.outcome == IN_REVIEW:
        return "In Review"
    if result.outcome == REFUSED:
        return "refused by vendor" if result.code in VENDOR_REFUSALS and not result.attempts else "refused"
    if result.outcome == POSSIBLE_DUPLICATE:
        return "possible duplicate"
    if result.outcome == FAILED and result.code in THROTTLED_CODES:
        return "throttled"
    return "failed"
