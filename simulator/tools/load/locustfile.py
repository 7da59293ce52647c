"""The locustfile of a load rehearsal: GOBI, OASIS and generic selectors ordering through the real vendor carts.

    python -m locust -f simulator/tools/load/locustfile.py --host http://127.0.0.1:8765/almaws/v1 \\
        --headless --users 10 --spawn-rate 10 --run-time 30s --orders-per-s 1 [GobiUser OasisUser GenericUser]

Each Locust user is one selector at one vendor (`GobiUser`, `OasisUser`, `GenericUser`). On start it opens a cart
over `make_backend("http", …)` and learns the institution's libraries, locations and funds from Alma, as the
vendor's setup worksheet does (`simulator.vendors.rehearsal.Selector`). Each task puts one realistic line in the
cart (the rehearsal's order mix: print, ebook, Community Zone ebooks, split funds, a nearly spent or restricted
fund, a line with parts missing) and checks out. The line is reported to Locust as one request: its type is the
vendor, its name the outcome (`simulator.tools.load.OUTCOMES`: created, In Review, refused, refused by vendor,
throttled, possible duplicate, failed), its response time that of Alma's answer to Create PO line. Only "failed"
is a failure in Locust's sense: the harness gave up (5xx, time-out, connection error).

Options added to Locust's command line (and web UI): --alma-api-key (or env ALMASIM_API_KEY; default the
seed's Hudson Valley read/write key), --alma-institution, --orders-per-s (per user, constant_throughput; 0: no
pause), --alma-retries (let the cart retry 429s and 5xx as it does in production; off by default, so every
answer is counted as Alma gave it), --alma-summary FILE (the master, or a lone Locust, writes the outcomes
there as JSON when it quits; `almasim load` reads it). A master sends these options to its workers.
A base URL on Ex Libris' hosts is refused: load goes only to a simulator or your own test hosts.
Imports locust (and so gevent), simulator.backends, simulator.vendors and simulator.tools.load; the seed world
(simulator.alma.seed, service.full_key) only lazily, for the default API key.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import random
import threading
import time
from functools import cache
from typing import Any

from locust import User, events, task
from locust.exception import StopUser
from locust.runners import WorkerRunner
from locust.user.wait_time import constant_throughput

from simulator.backends import AlmaClient
from simulator.backends.http import HttpBackend, is_real_alma
from simulator.errors import AlmaError
from simulator.tools.load import OUTCOMES, THROTTLED_CODES, outcome_name
from simulator.vendors import VENDORS, VendorStock, RetryPolicy, open_cart
from simulator.vendors.rehearsal import LINE_KINDS, Selector

log = logging.getLogger("almasim.load")
CATALOGUE_SEED = 42  # the stock every selector of a vendor searches, as in `almasim rehearse`
NO_RETRIES = RetryPolicy(throttled=(), transient=())
_environment: Any = None  # the Locust Environment, kept by the init listener for the quit listener


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--alma-api-key", default=os.environ.get("ALMASIM_API_KEY", ""), is_secret=True,
                        help="Alma API key (default: env ALMASIM_API_KEY, else the seed's HVU read/write key)")
    parser.add_argument("--alma-institution", default=os.environ.get("ALMASIM_INSTITUTION", "01TRLC_HVU"),
                        help="the institution the key belongs to (default 01TRLC_HVU)")
    parser.add_argument("--orders-per-s", type=float, default=1.0,
                        help="cart lines each user checks out per second (constant_throughput; 0: no pause)")
    parser.add_argument("--alma-retries", action="store_true", default=False,
                        help="let the cart retry 429s and 5xx as in production (default: count each answer)")
    parser.add_argument("--alma-summary", default="", include_in_web_ui=False,
                        help="write Alma's answers by outcome to this JSON file when Locust quits")


@events.init.add_listener
def _keep_environment(environment: Any, **_: Any) -> None:
    global _environment
    _environment = environment
    for name in ("httpx", "httpcore"):  # one log line per request would drown Locust's own output
        logging.getLogger(name).setLevel(logging.WARNING)


@cache
def _seed_key(institution: str) -> str:
    """The seed world's read/write key for the institution (what `almasim serve` prints)."""
    from simulator.api.service import full_key
    from simulator.alma.seed import load_world
    return full_key(load_world(), institution)


_selectors: dict[tuple[str, str, str], Selector] = {}
_learning = threading.Lock()


def _selector(vendor: str, institution: str, host: str, alma: AlmaClient) -> Selector:
    """The vendor's selector for the institution, learned from Alma once per Locust process; each user takes a
    copy with its own random choices (so a thousand users do not ask Alma for the setup a thousand times)."""
    key = (vendor, institution, host)
    with _learning:  # gevent's lock once Locust has patched threading: one user learns, the others wait
        if key not in _selectors:
            profile = VENDORS[vendor]
            stock = VendorStock.build(profile, seed=CATALOGUE_SEED, currency=profile.setup(institution).currency)
            _selectors[key] = Selector(profile, stock, alma, random.Random())
    return _selectors[key]


class Stopwatch:
    """A backend that times Alma's answers to Create PO line (POST /acq/po-lines) on their way through."""

    def __init__(self, backend: HttpBackend) -> None:
        self.backend = backend
        self.elapsed = 0.0  # seconds spent waiting for Create PO line answers since the last reading
        self.patient = False  # while learning the setup: wait out per-second throttling instead of failing

    def _patiently(self, method: str, path: str, query: dict | None, body: dict | None) -> Any:
        for wait in (0.25, 0.5, 1.0, 1.0, 2.0, 2.0, 4.0):
            try:
                return self.backend.send(method, path, query, body)
            except AlmaError as error:
                if error.status != 429 or error.code == "DAILY_THRESHOLD":
                    raise
            time.sleep(wait * (0.5 + random.random()))
        return self.backend.send(method, path, query, body)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)

    def send(self, method: str, path: str, query: dict | None = None, body: dict | None = None) -> Any:
        if self.patient:
            return self._patiently(method, path, query, body)
        if method != "POST" or not path.rstrip("/").endswith("/acq/po-lines"):
            return self.backend.send(method, path, query, body)
        start = time.perf_counter()
        try:
            return self.backend.send(method, path, query, body)
        finally:
            self.elapsed += time.perf_counter() - start

    def reading(self) -> float:
        elapsed, self.elapsed = self.elapsed, 0.0
        return elapsed


class VendorUser(User):
    """One selector at one vendor: fills a cart with one realistic line and checks out, again and again."""

    abstract = True
    vendor = ""

    def wait_time(self) -> float:
        rate = float(getattr(self.environment.parsed_options, "orders_per_s", 1.0) or 0)
        return constant_throughput(rate)(self) if rate > 0 else 0

    def on_start(self) -> None:
        options = self.environment.parsed_options
        if not self.host:
            raise StopUser("no --host: give Alma's base URL, e.g. http://127.0.0.1:8765/almaws/v1")
        if is_real_alma(self.host):
            log.error("refusing to load %s: load rehearsals go only to a simulator or your own test hosts", self.host)
            raise StopUser()
        institution = getattr(options, "alma_institution", "01TRLC_HVU")
        key = getattr(options, "alma_api_key", "") or _seed_key(institution)
        self.stopwatch = Stopwatch(HttpBackend(self.host, key, timeout=30.0))
        self.alma = AlmaClient(self.stopwatch)
        vendor = VENDORS[self.vendor]
        rng = random.Random()  # each user its own choices and its own run of vendor order numbers
        self.cart = open_cart(vendor, self.alma, institution=institution, seed=rng.randrange(2 ** 31),
                              retry=None if getattr(options, "alma_retries", False) else NO_RETRIES)
        self.stopwatch.patient = True
        try:
            self.selector = copy.copy(_selector(vendor.name, institution, self.host, self.alma))
            self.cart.setup  # the vendor account, from Alma
        finally:
            self.stopwatch.patient = False
        self.selector.rng = self.rng = rng

    def on_stop(self) -> None:
        if getattr(self, "stopwatch", None) is not None:
            self.stopwatch.backend.close()

    @task
    def order(self) -> None:
        """One cart line, checked out; reported to Locust under its outcome."""
        kind = self.rng.choices(list(LINE_KINDS), weights=list(LINE_KINDS.values()))[0]
        self.selector.add_line(self.cart, kind)
        self.stopwatch.reading()
        start = time.perf_counter()
        try:
            results = self.cart.checkout().results
        except AlmaError as error:  # a call before Create PO line (setup, verification) was refused
            self.cart.lines = []
            if error.status != 429:
                raise
            self._report("throttled", time.perf_counter() - start, code=error.code)
            return
        sent = self.stopwatch.reading()
        for result in results:
            name = outcome_name(result)
            seconds = sent if result.attempts else time.perf_counter() - start
            failure = RuntimeError(f"{result.code}: {result.message}") if name == "failed" else None
            self._report(name, seconds, code=result.code, exception=failure)

    def _report(self, name: str, seconds: float, *, code: str = "", exception: Exception | None = None) -> None:
        self.environment.events.request.fire(
            request_type=self.vendor, name=name, response_time=seconds * 1000.0, response_length=0,
            exception=exception, context={"code": code}, url=self.host)


class GobiUser(VendorUser):
    vendor = "gobi"


class OasisUser(VendorUser):
    vendor = "oasis"


class GenericUser(VendorUser):
    vendor = "generic"


@events.quit.add_listener
def _write_summary(exit_code: int, **_: Any) -> None:
    """Alma's answers by outcome, as JSON, for `almasim load` (the master or a lone Locust; never a worker)."""
    environment = _environment
    path = getattr(environment.parsed_options, "alma_summary", "") if environment and environment.parsed_options \
        else ""
    if not path or environment.runner is None or isinstance(environment.runner, WorkerRunner):
        return
    stats = environment.runner.stats
    entries = []
    for (name, vendor), entry in sorted(stats.entries.items()):
        slowest = entry.max_response_time or 0  # Locust's percentiles are rounded; never above the slowest
        entries.append({
            "vendor": vendor, "outcome": name, "lines": entry.num_requests, "failures": entry.num_failures,
            "avg_ms": round(entry.avg_response_time, 1),
            "median_ms": round(min(entry.median_response_time or 0, slowest), 1),
            "p95_ms": round(min(entry.get_response_time_percentile(0.95) or 0, slowest), 1),
            "max_ms": round(slowest, 1)})
    total = stats.total
    summary = {
        "host": environment.host, "outcomes": list(OUTCOMES), "throttled_codes": sorted(THROTTLED_CODES),
        "entries": entries, "lines": total.num_requests, "failures": total.num_failures,
        "errors": sum(error.occurrences for error in stats.errors.values()),
        "exceptions": sum(e["count"] for e in environment.runner.exceptions.values()),
        "seconds": round(max(0.0, (total.last_request_timestamp or total.start_time) - total.start_time), 2),
        "users": getattr(environment.parsed_options, "num_users", None), "exit_code": exit_code,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
