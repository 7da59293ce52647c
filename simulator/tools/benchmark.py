"""`almasim bench`: the simulator measured against the quality bars of PRODUCT.md, as one table.

Six measurements, each in its own Python process so that one cannot warm, fill or slow another:

- ``inprocess_orders_per_s``: Create PO line through `ordering.create_po_line` in one thread (one core), on the
  seed world with a large fund and a catalogue of bulk bibs; varied orders (print with copies in several
  libraries, ebooks through GOBI, OASIS and a generic vendor, other currencies, split funds, matches,
  duplicates, a few lines without a fund that go to In Review), timed after a warm-up by the thread's CPU time
  (one core's throughput: on a shared machine the wall clock also counts other jobs' turns on the core; the
  wall-clock rate and the cyclic garbage collector's share of the CPU time are reported beside it). The default
  collector settings, not the serving process's tuned ones.
- ``http_ratio_vs_bare``: `POST /almaws/v1/acq/po-lines` requests per second divided by a bare JSON
  endpoint's (`/almasim/v1/admin/bare`) on the same server (`ThreadedServer`, the threaded uvicorn of
  `almasim serve`, default settings), measured in the same run in alternating rounds of equal length by
  client processes (the standard library's http.client, bodies encoded beforehand, a few keep-alive
  threads: light enough to keep the server saturated on the bare endpoint too). The server answers on one
  event loop, so its saturated throughput is one request per CPU time a request costs: the ratio is bare CPU
  µs per request / PO line CPU µs per request, counted on the server process. The raw request rates and how
  busy the server was are shown beside it; a server left idle part of the time spends more CPU per request,
  so the ratio is only fair when both kinds kept it busy.
- ``lookup_ratio_1m_vs_1k``: the real match path, `MATCH_METHODS["ISBN"]` over an institution `Catalogue`,
  with random hits and misses in mixed ISBN spellings, at 1,000 / 100,000 / 1,000,000 bibs; each size's
  time per lookup divided by the first's.
- ``load_1m_bibs_s`` and ``peak_memory_1m_bibs_mb``: generating and indexing 1,000,000 bibs, and the growth
  of the process's peak resident set (ru_maxrss) while doing it.
- ``features_wall_s``: `pytest features -q -p no:cacheprovider` on the in-process backend.

`--quick` uses 1k / 10k / 100k bibs and short rounds; it leaves out the 1M rows (their keys are null with the
reason) and reports the 100k figures under their own keys. Bulk data is deterministic: ISBN-13s come from a
seeded permutation with real check digits, titles from a small Faker-made pool recombined.
Nothing here is asserted in tests: speed targets are met in benchmarks, never in timed tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import os
import platform
import random
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.api.routes import path
from simulator.errors import HarnessError
from simulator.identifiers import isbn13_check_digit

REPO = Path(__file__).resolve().parents[1]
INSTITUTION = "01TRLC_HVU"
READ_WRITE_KEY = "l8xx-hvu-0000-read-write"
PO_LINES_PATH = path("create_po_line")
BARE_PATH = "/almasim/v1/admin/bare"
FULL_SIZES = (1_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000, 100_000)
MILLION = 1_000_000


class BenchError(HarnessError):
    """A wrong option to `almasim bench` (one readable line, no traceback)."""


# ---------------------------------------------------------------- the bars --------------------------------------


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    op: str  # ">=", "<=", "<"
    limit: float
    unit: str

    def passes(self, value: float) -> bool:
        return {">=": value >= self.limit, "<=": value <= self.limit, "<": value < self.limit}[self.op]

    @property
    def text(self) -> str:
        sign = {">=": "≥", "<=": "≤", "<": "<"}[self.op]
        return f"{sign} {_num(self.limit)}{self.unit}"


BARS = (
    Bar("inprocess_orders_per_s", "Create PO line in-process, one core", ">=", 5000, " orders/s"),
    Bar("http_ratio_vs_bare", "HTTP POST /acq/po-lines vs a bare JSON endpoint", ">=", 0.7, " ×"),
    Bar("lookup_ratio_1m_vs_1k", "Bib lookup (ISBN match) at 1,000,000 vs 1,000 bibs", "<=", 1.5, " ×"),
    Bar("load_1m_bibs_s", "Load 1,000,000 bibs", "<", 60, " s"),
    Bar("peak_memory_1m_bibs_mb", "Peak memory for 1,000,000 bibs", "<", 2000, " MB"),
    Bar("features_wall_s", "Feature suite in-process (wall)", "<", 20, " s"),
)
KEYS = tuple(bar.key for bar in BARS)


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


# ---------------------------------------------------------------- the machine -----------------------------------


def machine() -> dict[str, Any]:
    """CPU model (from /proc/cpuinfo where there is one), cores, Python and the OS."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": model, "cores": usable, "python": platform.python_version(),
            "implementation": platform.python_implementation(), "os": f"{platform.system()} {platform.release()}"}


# ---------------------------------------------------------------- bulk data -------------------------------------

_STRIDE = 387_420_489  # 3**18: coprime with 10**9, so i -> (i * stride + offset) % 10**9 is a permutation


@functools.lru_cache(maxsize=8)
def _offset(seed: int) -> int:
    return random.Random(seed).randrange(10**9)


def isbn13_of(index: int, seed: int = 2027) -> str:
    """The index-th ISBN-13 of a seeded sequence: distinct for every index below 10**9, check digit real."""
    body = f"978{(index * _STRIDE + _offset(seed)) % 10**9:09d}"
    return body + isbn13_check_digit(body)


def spelled(isbn13: str, style: int) -> str:
    """One ISBN as vendors send it: 0 digits only, 1 hyphenated, 2 as ISBN-10, 3 with a qualifier."""
    from simulator.identifiers import isbn13_to_10

    if style == 1:
        return f"{isbn13[:3]}-{isbn13[3]}-{isbn13[4:8]}-{isbn13[8:12]}-{isbn13[12]}"
    if style == 2:
        return isbn13_to_10(isbn13) or isbn13
    if style == 3:
        return f"{isbn13} (pbk.)"
    return isbn13


class TitlePool:
    """A few thousand Faker-made titles, authors and imprints, recombined: plausible and fast at 1M."""

    def __init__(self, seed: int = 2027, size: int = 2000) -> None:
        from simulator.fakes import acquisitions_faker

        fake = acquisitions_faker(seed)
        self.titles = [fake.scholarly_title() for _ in range(size)]
        self.subtitles = [fake.subtitle() for _ in range(size // 4)]
        self.authors = [fake.author_name() for _ in range(size)]
        self.publishers = [fake.publisher_name() for _ in range(size // 8)]
        self.places = [fake.publication_place() for _ in range(size // 16)]
        self.years = [str(year) for year in range(1960, 2027)]

    def title(self, i: int) -> str:
        title = self.titles[i % len(self.titles)]
        if i % 10 < 7:
            title = f"{title}: {self.subtitles[(i * 7) % len(self.subtitles)]}"
        return title

    def author(self, i: int) -> str:
        return self.authors[(i * 13) % len(self.authors)]

    def publisher(self, i: int) -> str:
        return self.publishers[(i * 31) % len(self.publishers)]

    def place(self, i: int) -> str:
        return self.places[(i * 17) % len(self.places)]

    def year(self, i: int) -> str:
        return self.years[(i * 11) % len(self.years)]


def bulk_bibs(count: int, pool: TitlePool, *, start: int = 0, seed: int = 2027, suffix: str = "4561") -> Iterator:
    """`count` full institution-zone records; record i carries isbn13_of(i) (one in five hyphenated)."""
    from simulator.alma.model import Bib, Zone

    for i in range(start, start + count):
        isbn = isbn13_of(i, seed)
        yield Bib(mms_id=f"99{i + 1:012d}{suffix}", zone=Zone.INSTITUTION, title=pool.title(i), author=pool.author(i),
                  isbns=[spelled(isbn, 1) if i % 5 == 0 else isbn], publisher=pool.publisher(i),
                  publication_place=pool.place(i), publication_year=pool.year(i))


def order_bodies(count: int, pool: TitlePool, *, catalogued: int, seed: int = 2027) -> list[dict]:
    """Varied Create PO line bodies in Alma's JSON for Hudson Valley; about 30 % match a catalogued bib."""
    rnd = random.Random(seed)
    libraries = [("MAIN", "STACKS"), ("MAIN", "NEWBK"), ("SCI", "STACKS"), ("MAIN", "REF")]
    bodies = []
    for n in range(count):
        i = rnd.randrange(catalogued) if catalogued and rnd.random() < 0.3 else catalogued + 10**7 + n
        isbn = spelled(isbn13_of(i, seed), rnd.randrange(4))
        roll = rnd.random()
        currency = "GBP" if roll < 0.08 else "EUR" if roll < 0.15 else "USD"
        body: dict[str, Any] = {
            "owner": {"value": "MAIN"},
            "acquisition_method": {"value": "PURCHASE"},
            "price": {"sum": f"{rnd.randint(1500, 25000) / 100:.2f}", "currency": {"value": currency}},
            "resource_metadata": {"title": pool.title(i), "author": pool.author(i), "isbn": isbn,
                                  "publisher": pool.publisher(i), "publication_place": pool.place(i),
                                  "publication_year": pool.year(i)},
            "vendor_reference_number": f"{rnd.randrange(10**8):08d}",
        }
        kind = rnd.random()
        if kind < 0.45:  # print, one to three copies in one or two places
            vendor, account = rnd.choice([("GOBI", "GOBI-HVU"), ("HARRASSOWITZ", "HAR-HVU")])
            places = rnd.sample(libraries, rnd.choice((1, 1, 1, 2)))
            body |= {"type": {"value": "PRINTED_BOOK_OT"}, "vendor": {"value": vendor}, "vendor_account": account,
                     "location": [{"library": {"value": lib}, "shelving_location": loc,
                                   "quantity": str(rnd.choice((1, 1, 2, 3)))} for lib, loc in places]}
            fund = "BENCH-MONO"
        else:  # an ebook: GOBI and OASIS search the Community Zone, the generic vendor does not
            vendor, account, platform_ = rnd.choice([("GOBI", "GOBI-HVU", "EBSCOhost"),
                                                     ("OASIS", "OASIS-HVU", "ProQuest Ebook Central"),
                                                     ("HARRASSOWITZ", "HAR-HVU", "Cambridge Core")])
            body |= {"type": {"value": "E_BOOK_OT"}, "vendor": {"value": vendor}, "vendor_account": account,
                     "access_provider": platform_, "access_model": {"value": rnd.choice(("1U", "3U", "UNL"))},
                     "acquisition_method": {"value": "VENDOR_SYSTEM"}}
            fund = "BENCH-ELEC"
        split = rnd.random()
        if split < 0.03:
            pass  # no fund distribution: the line goes to In Review
        elif split < 0.18:
            body["fund_distribution"] = [{"fund_code": {"value": fund}, "percent": "60"},
                                         {"fund_code": {"value": "BENCH-GEN"}, "percent": "40"}]
        else:
            body["fund_distribution"] = [{"fund_code": {"value": fund}, "percent": "100"}]
        bodies.append(body)
    return bodies


def bench_world(catalogued: int, pool: TitlePool):
    """The seed world, Hudson Valley with three bench funds big enough never to run dry, and bulk bibs."""
    from decimal import Decimal

    from simulator.alma import configuration
    from simulator.alma.model import Fund
    from simulator.alma.seed import load_world

    world = load_world()
    institution = world.institution(INSTITUTION)
    fiscal_period = institution.current_fiscal_period
    if fiscal_period is None:
        raise HarnessError(f"the seed gives {INSTITUTION} no current fiscal period to fund the benchmark from")
    for code, ledger in (("BENCH-MONO", "MONO"), ("BENCH-ELEC", "ELEC"), ("BENCH-GEN", "MONO")):
        configuration.add_fund(world, INSTITUTION, Fund(
            id=institution.new_id("34"), code=code, name=f"Benchmark {code}", ledger=ledger,
            fiscal_period=fiscal_period.id, currency="USD", allocated=Decimal("1e12")))
    for bib in bulk_bibs(catalogued, pool, suffix=institution.mms_suffix):
        institution.catalogue.add(bib)
    return world


# ---------------------------------------------------------------- measurements (run in worker processes) -----


def measure_inprocess(seconds: float = 5.0, warmup: int = 2000, catalogued: int = 20_000, orders: int = 20_000,
                      seed: int = 2027) -> dict[str, Any]:
    """Create PO line through the ordering engine, one thread on one core; orders/s after a warm-up."""
    from simulator.alma import ordering
    from simulator.api.schemas import draft_from_json
    from simulator.clock import FixedClock

    pool = TitlePool(seed)
    world = bench_world(catalogued, pool)
    drafts = [draft_from_json(b) for b in order_bodies(orders, pool, catalogued=catalogued, seed=seed)]
    clock = FixedClock()
    create = ordering.create_po_line
    for n in range(warmup):
        create(world, INSTITUTION, drafts[n % len(drafts)], clock)
    gc.collect()
    statuses: dict[str, int] = {}
    collecting = {"since": 0.0, "cpu_s": 0.0}

    def collector(phase: str, info: dict) -> None:  # the cyclic collector's CPU time, reported beside
        if phase == "start":
            collecting["since"] = time.thread_time()
        else:
            collecting["cpu_s"] += time.thread_time() - collecting["since"]

    gc.callbacks.append(collector)
    try:
        done, n, started, cpu_started = 0, warmup, time.perf_counter(), time.thread_time()
        deadline = started + seconds
        while True:
            for _ in range(200):
                line = create(world, INSTITUTION, drafts[n % len(drafts)], clock)
                statuses[line.status.value] = statuses.get(line.status.value, 0) + 1
                n += 1
            done += 200
            now = time.perf_counter()
            if now >= deadline:
                break
        cpu = time.thread_time() - cpu_started
    finally:
        gc.callbacks.remove(collector)
    elapsed = now - started
    # One core's throughput is orders per CPU second of the one thread: on a shared machine the wall clock also
    # counts the time other jobs held the core (the wall-clock rate is reported beside it).
    return {"orders_per_s": done / cpu if cpu > 0 else done / elapsed, "wall_orders_per_s": done / elapsed,
            "orders": done, "seconds": elapsed, "cpu_seconds": cpu,
            "collector_share": collecting["cpu_s"] / cpu if cpu > 0 else None,
            "statuses": statuses, "catalogued": catalogued}


def measure_catalogues(sizes: list[int], queries: int = 20_000, rounds: int = 7, seed: int = 2027) -> dict[str, Any]:
    """Generate and index a catalogue of each size, smallest first, timing each load and the growth of the
    peak resident set it causes; then time ISBN matches (half hits, half misses, mixed spellings) on every
    catalogue in interleaved rounds, so that a noisy neighbour slows every size alike. Best round wins."""
    from simulator.alma.matching import MATCH_METHODS
    from simulator.alma.model import Catalogue, ResourceMetadata, Zone

    pool = TitlePool(seed)
    match = MATCH_METHODS.get("ISBN")
    loads: dict[int, dict[str, Any]] = {}
    catalogues: dict[int, tuple[Any, list]] = {}
    for size in sorted(sizes):
        rnd = random.Random(seed + size)
        wanted = []
        for q in range(queries):
            index = rnd.randrange(size) if q % 2 == 0 else size + rnd.randrange(10**8)
            wanted.append(ResourceMetadata(title="", isbn=spelled(isbn13_of(index, seed), rnd.randrange(4))))
        rnd.shuffle(wanted)
        gc.collect()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        catalogue = Catalogue(Zone.INSTITUTION)
        for bib in bulk_bibs(size, pool, seed=seed):
            catalogue.add(bib)
        load_s = time.perf_counter() - started
        grew_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before  # Linux: KiB
        loads[size] = {"load_s": load_s, "peak_memory_mb": grew_kib / 1024, "bibs": len(catalogue)}
        catalogues[size] = (catalogue, wanted)
    gc.collect()
    best = {size: float("inf") for size in catalogues}
    hits = {}
    gc.disable()  # as timeit does: no collection lands in one size's round and not another's
    try:
        for _ in range(rounds):
            for size, (catalogue, wanted) in catalogues.items():
                found = 0
                started = time.perf_counter()
                for record in wanted:
                    if match(catalogue, record):
                        found += 1
                best[size] = min(best[size], time.perf_counter() - started)
                hits[size] = found
    finally:
        gc.enable()
    return {str(size): {**loads[size], "lookup_us": best[size] / queries * 1e6, "queries": queries,
                        "hits": hits[size], "expected_hits": (queries + 1) // 2} for size in catalogues}


@contextlib.contextmanager
def serve(world) -> Iterator[tuple[str, str]]:
    """`almasim serve`'s stack on 127.0.0.1:0 for this world: yields (base URL, path of a bare JSON endpoint)."""
    from simulator.api.server import ThreadedServer
    from simulator.api.service import AlmaService

    with ThreadedServer(AlmaService(world)) as server:  # the default settings, as `almasim serve` runs
        yield server.url, BARE_PATH


def measure_http(seconds: float = 6.0, threads: int = 4, rounds: int = 4, seed: int = 2027) -> dict[str, Any]:
    """The server in this process; each round's clients in a fresh process. Rounds alternate bare and PO line
    requests, equally long. The server's own CPU time per request of each kind gives the ratio of saturated
    throughputs; the raw request rates are reported beside it (they also depend on how busy the clients kept
    the server on a shared machine)."""
    pool = TitlePool(seed)
    world = bench_world(20_000, pool)
    bodies = order_bodies(4000, pool, catalogued=20_000, seed=seed)
    totals: dict[str, dict[str, Any]] = {
        kind: {"ok": 0, "failed": 0, "seconds": 0.0, "server_cpu_s": 0.0, "statuses": {}} for kind in ("bare", "po")}
    length = seconds / max(rounds // 2, 1)
    with serve(world) as (base_url, bare_path):
        spec = {"base_url": base_url, "bare_path": bare_path, "threads": threads, "key": READ_WRITE_KEY}
        for kind in ("bare", "po"):  # warm-up, not counted
            _worker("http_clients", {**spec, "kind": kind, "seconds": min(1.0, length / 2), "bodies": bodies[:500]},
                    timeout=120)
        for r in range(max(rounds, 2)):
            kind = "bare" if r % 2 == 0 else "po"
            chunk = bodies[(r // 2) * 1000:(r // 2 + 1) * 1000] or bodies
            cpu = _cpu_seconds()
            got = _worker("http_clients", {**spec, "kind": kind, "seconds": length, "bodies": chunk},
                          timeout=length + 120)
            total = totals[kind]
            total["server_cpu_s"] += _cpu_seconds() - cpu
            for name in ("ok", "failed", "seconds"):
                total[name] += got[name]
            for status, n in got["statuses"].items():
                total["statuses"][status] = total["statuses"].get(status, 0) + n
            if "example_failure" in got:
                total["example_failure"] = got["example_failure"]
    bare = totals["bare"]["ok"] / totals["bare"]["seconds"]
    po = totals["po"]["ok"] / totals["po"]["seconds"]
    cpu_us = {kind: t["server_cpu_s"] / max(t["ok"] + t["failed"], 1) * 1e6 for kind, t in totals.items()}
    busy = {kind: t["server_cpu_s"] / t["seconds"] for kind, t in totals.items()}
    # The server answers on one event loop: saturated, it serves one request per CPU time it costs. So the
    # ratio of saturated throughputs is the inverse ratio of CPU per request, whatever the clients managed.
    return {"ratio": cpu_us["bare"] / cpu_us["po"] if cpu_us["po"] else None,
            "throughput_ratio": po / bare if bare else None, "po_lines_per_s": po, "bare_per_s": bare,
            "server_busy": busy, "counts": totals, "threads": threads, "server_cpu_us_per_request": cpu_us}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def http_clients(base_url: str, bare_path: str, kind: str, seconds: float, threads: int, bodies: list[dict],
                 key: str) -> dict[str, Any]:
    """`threads` keep-alive connections sending `kind` requests ("bare" or "po") for `seconds`; counts by outcome.

    The client is the standard library's `http.client` with every body encoded beforehand: a light client, so
    that a few threads keep the server saturated even on the bare endpoint (an httpx client of the same
    threads kept it under half busy, and an idle server spends more CPU per request than a saturated one,
    which made the bare endpoint look dearer than it is and the ratio better than it is)."""
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(base_url)
    prefix = where.path.rstrip("/")
    payloads = [json.dumps(b).encode() for b in bodies]
    headers = {"Authorization": f"apikey {key}", "Content-Type": "application/json", "Accept": "application/json"}
    path = prefix + (bare_path if kind == "bare" else PO_LINES_PATH)
    tally: dict[str, Any] = {"ok": 0, "failed": 0, "statuses": {}}
    lock = threading.Lock()
    cursor = iter(range(10**12))

    def drive(deadline: float) -> None:
        connection = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port or 80, timeout=30)
        first = True  # every client sends at least one request, however busy the machine (no empty rounds)
        try:
            while first or time.perf_counter() < deadline:
                first = False
                with lock:
                    payload = payloads[next(cursor) % len(payloads)]
                try:
                    connection.request("POST", path, body=payload, headers=headers)
                    response = connection.getresponse()
                    text = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:  # dropped: count it, open a new connection
                    connection.close()
                    status, text = 0, f"{type(exc).__name__}: {exc}".encode()
                with lock:
                    ok = 0 < status < 300
                    tally["ok" if ok else "failed"] += 1
                    tally["statuses"][str(status)] = tally["statuses"].get(str(status), 0) + 1
                    if not ok:
                        tally.setdefault("example_failure", text[:300].decode("utf-8", "replace"))
        finally:
            connection.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=drive, args=(started + seconds,)) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    tally["seconds"] = time.perf_counter() - started
    return tally


def measure_features(directory: str = "", timeout: float = 600) -> dict[str, Any]:
    """Wall time of the Gherkin suite on the in-process backend, in a fresh pytest process."""
    candidates = [Path(directory)] if directory else [Path.cwd() / "features", REPO / "features"]
    features = next((p for p in candidates if p.is_dir()), None)
    if features is None or not any(features.rglob("*.feature")):
        return {"reason": "no features/ directory with .feature files here (run from a source checkout)"}
    command = [sys.executable, "-m", "pytest", str(features), "-q", "-p", "no:cacheprovider",
               "--alma-backend=inprocess"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=features.parent, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - started
    tail = [line for line in done.stdout.strip().splitlines() if line.strip()][-1:] or [done.stderr.strip()[-200:]]
    return {"wall_s": wall, "exit_code": done.returncode, "summary": tail[0]}


def measure_durable_http(seconds: float = 4.0, threads: int = 4, seed: int = 2027) -> dict[str, Any]:
    """HTTP orders/s on the `almasim serve` stack without persistence and with `--state` (every acknowledged
    order on disk before its answer: a SQLite WAL commit with synchronous=FULL per write), equally long each."""
    import tempfile

    from simulator.api.server import ThreadedServer
    from simulator.api.service import AlmaService

    pool = TitlePool(seed)
    bodies = order_bodies(2000, pool, catalogued=2000, seed=seed)
    out: dict[str, Any] = {"threads": threads}
    with tempfile.TemporaryDirectory() as directory:
        for mode in ("memory", "durable"):
            service = AlmaService(bench_world(2000, pool))
            if mode == "durable":
                service.open_store(Path(directory) / "bench.state")
            with ThreadedServer(service) as server:
                spec = {"base_url": server.url, "bare_path": BARE_PATH, "threads": threads, "key": READ_WRITE_KEY,
                        "bodies": bodies}
                _worker("http_clients", {**spec, "kind": "po", "seconds": min(0.5, seconds / 4)}, timeout=120)
                got = _worker("http_clients", {**spec, "kind": "po", "seconds": seconds}, timeout=seconds + 120)
            service.close()
            out[mode] = {"orders_per_s": got["ok"] / got["seconds"], "ok": got["ok"], "failed": got["failed"]}
    out["cost"] = 1 - out["durable"]["orders_per_s"] / out["memory"]["orders_per_s"] if out["memory"]["orders_per_s"] else None
    return out


def measure_tenants(counts: tuple[int, ...] = (100, 5000), block: int = 100) -> dict[str, Any]:
    """Mean time to create a tenant (admin API's POST /tenants, in-process) around each count in `counts`:
    the `block` creations ending at that count."""
    from simulator.api.service import AlmaService
    from simulator.api.wire import RawRequest, handle

    service = AlmaService()
    request = RawRequest("POST", "/almasim/v1/admin/tenants", [], {"content-type": "application/json"},
                         b'{"template": "01TRLC_HVU"}')
    made, started, out = 0, 0.0, {}
    for target in sorted(counts):
        while made < target:
            if made == target - block:
                started = time.perf_counter()
            answer = handle(service, request)
            if answer.status != 201:
                raise MeasurementFailed(f"tenant {made + 1}: {answer.status} {answer.body[:200]!r}")
            made += 1
        out[str(target)] = (time.perf_counter() - started) / block * 1000
    return {"ms_per_tenant": out, "block": block}


MEASUREMENTS: dict[str, Callable[..., dict[str, Any]]] = {
    "durable_http": measure_durable_http,
    "tenants": measure_tenants,
    "inprocess": measure_inprocess,
    "catalogues": measure_catalogues,
    "http": measure_http,
    "http_clients": http_clients,
    "features": measure_features,
}


# ---------------------------------------------------------------- worker processes ----------------------------


class MeasurementFailed(Exception):
    """A worker process failed or overran; its row is reported as null with this message."""


def _worker(name: str, params: dict[str, Any], *, timeout: float) -> dict[str, Any]:
    """Run MEASUREMENTS[name](**params) in a fresh interpreter; its last stdout line is the JSON answer."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    command = [sys.executable, "-m", "simulator.tools.benchmark", name]
    try:
        done = subprocess.run(command, input=json.dumps(params), capture_output=True, text=True, timeout=timeout,
                              env=env, cwd=Path.cwd())
    except subprocess.TimeoutExpired:
        raise MeasurementFailed(f"{name} took longer than {timeout:.0f} s") from None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise MeasurementFailed(f"{name} failed: {last}")
    return json.loads(lines[-1])


def _worker_main(argv: list[str]) -> int:
    name = argv[0]
    params = json.loads(sys.stdin.read() or "{}")
    print(json.dumps(MEASUREMENTS[name](**params)))
    return 0


# ---------------------------------------------------------------- the whole run ---------------------------------


@dataclass
class Plan:
    """What one run measures: sizes of the catalogues, seconds per timed phase, and what it leaves out."""

    sizes: tuple[int, ...] = FULL_SIZES
    orders_seconds: float = 5.0
    http_seconds: float = 6.0
    http_threads: int = 4
    lookups: int = 20_000
    features: bool = True
    features_dir: str = ""  # "" : ./features, else the checkout's features/
    http: bool = True
    mode: str = "full"

    @classmethod
    def quick(cls) -> Plan:
        return cls(sizes=QUICK_SIZES, orders_seconds=2.0, http_seconds=3.0, lookups=10_000, mode="quick")

    @classmethod
    def tiny(cls) -> Plan:
        """For the tests: every measurement runs, on toy sizes, in a few seconds (numbers mean nothing)."""
        return cls(sizes=(200, 400, 800), orders_seconds=0.2, http_seconds=0.4, http_threads=2, lookups=400,
                   mode="tiny")


def run(plan: Plan | None = None, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Every measurement of the plan; one JSON-ready dict (every bar's key: a number, or None and a reason)."""
    plan = plan or Plan()
    say = progress or (lambda _: None)
    report: dict[str, Any] = {"machine": machine(), "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                              "mode": plan.mode, "sizes": list(plan.sizes), "reasons": {}, "details": {}}
    reasons, details = report["reasons"], report["details"]
    for key in KEYS:
        report[key] = None

    say("Create PO line in-process …")
    try:
        got = _worker("inprocess", {"seconds": plan.orders_seconds, "warmup": 200 if plan.mode == "tiny" else 2000,
                                    "catalogued": min(20_000, plan.sizes[-1]),
                                    "orders": 2000 if plan.mode == "tiny" else 20_000}, timeout=600)
        report["inprocess_orders_per_s"] = got["orders_per_s"]
        details["inprocess"] = got
    except Exception as exc:  # one failed measurement never ends the run
        reasons["inprocess_orders_per_s"] = _why(exc)

    say("HTTP POST /acq/po-lines vs a bare endpoint …")
    if not plan.http:
        reasons["http_ratio_vs_bare"] = "left out by request"
    else:
        missing = _http_missing()
        if missing:
            reasons["http_ratio_vs_bare"] = missing
        else:
            try:
                got = _worker("http", {"seconds": plan.http_seconds, "threads": plan.http_threads}, timeout=600)
                details["http"] = got
                if got["ratio"] is None:
                    reasons["http_ratio_vs_bare"] = "the bare endpoint answered nothing"
                elif got["counts"]["po"]["failed"] or got["counts"]["bare"]["failed"]:
                    report["http_ratio_vs_bare"] = got["ratio"]
                    reasons["http_ratio_vs_bare"] = (f"{got['counts']['po']['failed']} PO line and "
                                                     f"{got['counts']['bare']['failed']} bare requests failed")
                else:
                    report["http_ratio_vs_bare"] = got["ratio"]
            except Exception as exc:  # one failed measurement never ends the run
                reasons["http_ratio_vs_bare"] = _why(exc)

    say(f"catalogues of {', '.join(f'{n:,}' for n in plan.sizes)} bibs: load, memory, lookups …")
    lookups: dict[int, dict[str, Any]] = {}
    try:
        got = _worker("catalogues", {"sizes": list(plan.sizes), "queries": plan.lookups}, timeout=1800)
        lookups = {int(k): v for k, v in got.items()}
    except Exception as exc:  # one failed measurement never ends the run
        for size in plan.sizes:
            reasons[f"catalogue_{size}"] = _why(exc)
    details["catalogue"] = {str(k): v for k, v in lookups.items()}
    first = lookups.get(plan.sizes[0])
    report["lookup_us"] = {str(k): v["lookup_us"] for k, v in lookups.items()}
    report["lookup_ratios"] = {str(k): v["lookup_us"] / first["lookup_us"] for k, v in lookups.items()} if first else {}
    largest = lookups.get(plan.sizes[-1])
    if MILLION in lookups and first:
        report["lookup_ratio_1m_vs_1k"] = report["lookup_ratios"][str(MILLION)]
        report["load_1m_bibs_s"] = lookups[MILLION]["load_s"]
        report["peak_memory_1m_bibs_mb"] = lookups[MILLION]["peak_memory_mb"]
    else:
        why = (f"left out in {plan.mode} mode (largest catalogue {plan.sizes[-1]:,} bibs)" if MILLION not in plan.sizes
               else reasons.get(f"catalogue_{MILLION}", "the 1,000,000-bib run failed"))
        for key in ("lookup_ratio_1m_vs_1k", "load_1m_bibs_s", "peak_memory_1m_bibs_mb"):
            reasons[key] = why
        if largest and first and largest is not first:
            report["lookup_ratio_largest_vs_first"] = largest["lookup_us"] / first["lookup_us"]
            report["load_largest_bibs_s"] = largest["load_s"]
            report["peak_memory_largest_bibs_mb"] = largest["peak_memory_mb"]

    say("HTTP orders/s with and without --state …")
    if not plan.http:
        reasons["durable_http"] = "left out by request"
    else:
        try:
            details["durable_http"] = _worker("durable_http", {"seconds": plan.http_seconds,
                                                              "threads": plan.http_threads}, timeout=900)
        except Exception as exc:  # one failed measurement is a row that says why, never a crashed run
            reasons["durable_http"] = _why(exc)

    counts = (100, 300) if plan.mode == "tiny" else (100, 5000)
    say(f"tenant creation at {counts[0]:,} and {counts[1]:,} tenants …")
    try:
        details["tenants"] = _worker("tenants", {"counts": list(counts), "block": 50 if plan.mode == "tiny" else 100},
                                     timeout=1800)
    except Exception as exc:
        reasons["tenants"] = _why(exc)

    say("Feature suite in-process …")
    if not plan.features:
        reasons["features_wall_s"] = "left out by request"
    else:
        try:
            got = _worker("features", {"directory": plan.features_dir}, timeout=900)
            details["features"] = got
            if "reason" in got:
                reasons["features_wall_s"] = got["reason"]
            else:
                report["features_wall_s"] = got["wall_s"]
                if got["exit_code"] != 0:
                    reasons["features_wall_s"] = f"the suite did not pass: {got['summary']}"
        except Exception as exc:  # one failed measurement never ends the run
            reasons["features_wall_s"] = _why(exc)

    report["verdicts"] = {bar.key: (None if report[bar.key] is None else
                                    "PASS" if bar.passes(report[bar.key]) else "MISS") for bar in BARS}
    report["bars"] = {bar.key: bar.text for bar in BARS}
    return report


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if isinstance(exc, MeasurementFailed) else f"{type(exc).__name__}: {text}"


def _http_missing() -> str:
    """Why the HTTP row cannot be measured yet ("" when it can)."""
    import importlib.util

    for module in ("simulator.api.wire", "simulator.api.asgi", "simulator.api.server"):
        if importlib.util.find_spec(module) is None:
            return f"the HTTP server is not built yet ({module} is missing)"
    return ""


# ---------------------------------------------------------------- rendering ------------------------------------


def _result_text(report: dict[str, Any], key: str) -> str:
    value = report.get(key)
    details = report.get("details", {})
    if value is None:
        return "—"
    if key == "inprocess_orders_per_s":
        return f"{value:,.0f} orders/s"
    if key == "http_ratio_vs_bare":
        cpu = details.get("http", {}).get("server_cpu_us_per_request", {})
        return f"{value:.2f} × ({cpu.get('po', 0):,.0f} vs {cpu.get('bare', 0):,.0f} µs server CPU per request)"
    if key == "lookup_ratio_1m_vs_1k":
        us = report.get("lookup_us", {})
        return f"{value:.2f} × ({us.get(str(MILLION), 0):.2f} µs vs {us.get(str(report['sizes'][0]), 0):.2f} µs)"
    if key == "load_1m_bibs_s":
        return f"{value:.1f} s"
    if key == "peak_memory_1m_bibs_mb":
        return f"{value:,.0f} MB"
    if key == "features_wall_s":
        features = report.get("details", {}).get("features", {})
        summary = features.get("summary", "") if features.get("exit_code") == 0 else ""
        return f"{value:.1f} s" + (f" ({summary})" if summary else "")
    return f"{value}"


def table(report: dict[str, Any]) -> str:
    """The report as a Markdown table with the machine above it (the same text goes into docs/benchmarks.md)."""
    m = report["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['implementation']} {m['python']}, {m['os']}",
             f"Run: {report['date']} ({report['mode']})", "",
             "| Measurement | Result | Bar | Verdict |", "|---|---|---|---|"]
    for bar in BARS:
        verdict = report["verdicts"].get(bar.key) or "—"
        result = _result_text(report, bar.key)
        reason = report["reasons"].get(bar.key)
        if reason:
            result = f"{result}; {reason}" if result != "—" else f"— ({reason})"
        lines.append(f"| {bar.label} | {result} | {bar.text} | {verdict} |")
    sizes = report.get("sizes", [])
    ratios = report.get("lookup_ratios", {})
    for size in sizes[1:]:
        if str(size) in ratios and size != MILLION:
            us = report["lookup_us"]
            lines.append(f"| Bib lookup at {size:,} vs {sizes[0]:,} bibs | {ratios[str(size)]:.2f} × "
                         f"({us[str(size)]:.2f} µs vs {us[str(sizes[0])]:.2f} µs) | ≤ 1.5 × | "
                         f"{'PASS' if ratios[str(size)] <= 1.5 else 'MISS'} |")
    if "load_largest_bibs_s" in report:
        size = sizes[-1]
        lines.append(f"| Load {size:,} bibs | {report['load_largest_bibs_s']:.2f} s | (1M bar: < 60 s) | — |")
        lines.append(f"| Peak memory for {size:,} bibs | {report['peak_memory_largest_bibs_mb']:,.0f} MB "
                     f"| (1M bar: < 2,000 MB) | — |")
    inprocess = report.get("details", {}).get("inprocess")
    if inprocess:
        lines += ["", f"In-process orders: {inprocess['orders']:,} after a warm-up, one thread, "
                      f"a catalogue of {inprocess['catalogued']:,} bulk bibs; outcomes "
                      + ", ".join(f"{k} {v:,}" for k, v in sorted(inprocess["statuses"].items())) + "."]
        if "cpu_seconds" in inprocess:
            share = inprocess.get("collector_share")
            lines[-1] += (f" Rate per CPU second of the thread; by the wall clock {inprocess['wall_orders_per_s']:,.0f}"
                          f" orders/s ({inprocess['cpu_seconds']:.1f} s CPU in {inprocess['seconds']:.1f} s)"
                          + (f"; the cyclic garbage collector took {share:.0%} of the CPU time" if share is not None
                             else "") + ".")
    http = report.get("details", {}).get("http")
    if http:
        busy = http["server_busy"]
        lines.append(f"HTTP: threaded uvicorn (the `almasim serve` stack, default settings), {http['threads']} http.client "
                     f"keep-alive client threads in another process; {http['counts']['po']['ok']:,} PO lines and "
                     f"{http['counts']['bare']['ok']:,} bare requests in alternating rounds of equal length. Raw "
                     f"rates: {http['po_lines_per_s']:,.0f} vs {http['bare_per_s']:,.0f} requests/s "
                     f"({http['throughput_ratio']:.2f} ×), the server busy {busy['po']:.0%} vs {busy['bare']:.0%} "
                     f"of the time.")
    lines += _extra_rows(report)
    return "\n".join(lines)


def _extra_rows(report: dict[str, Any]) -> list[str]:
    """Measurements without a bar of PRODUCT.md: the cost of --state, tenant creation at scale."""
    details, reasons = report.get("details", {}), report.get("reasons", {})
    rows = ["", "| Measurement | Result |", "|---|---|"]
    durable = details.get("durable_http")
    if durable:
        memory, disk = durable["memory"], durable["durable"]
        cost = f" (durability costs {durable['cost']:.0%})" if durable.get("cost") is not None else ""
        rows.append(f"| HTTP orders/s, in memory | {memory['orders_per_s']:,.0f} orders/s ({memory['failed']} failed) |")
        rows.append(f"| HTTP orders/s, with --state | {disk['orders_per_s']:,.0f} orders/s ({disk['failed']} failed)"
                    f"{cost} |")
    else:
        rows.append(f"| HTTP orders/s with and without --state | — ({reasons.get('durable_http', 'not measured')}) |")
    tenants = details.get("tenants")
    if tenants:
        for count, ms in tenants["ms_per_tenant"].items():
            rows.append(f"| Create a tenant at {int(count):,} tenants | {ms:.1f} ms "
                        f"(mean of the {tenants['block']} creations up to it) |")
    else:
        rows.append(f"| Tenant creation at scale | — ({reasons.get('tenants', 'not measured')}) |")
    for key, why in reasons.items():  # failures of measurements without a row of their own
        if key.startswith("catalogue_"):
            rows.append(f"| Catalogue of {int(key.removeprefix('catalogue_')):,} bibs | — (failed: {why}) |")
    return rows


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
