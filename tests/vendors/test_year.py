"""`almasim rehearse` a year on: the clock moves on, the daily renewal and claiming jobs run, and the summary counts
what became of every serial — the same numbers for a seed, in-process and over HTTP."""

from __future__ import annotations

import json

import pytest

from simulator.backends import AlmaClient, InProcessBackend
from simulator.cli import main
from simulator.vendors import VENDORS
from simulator.vendors.rehearsal import YEAR_COUNTS, rehearse

VENDORS_IN_ORDER = sorted(VENDORS.values(), key=lambda v: v.system == "OTHER")
BUCKETS = [k for k in YEAR_COUNTS if k not in ("claims", "claims_sent_to_vendor")]  # one per serial line


def _year(alma: AlmaClient, **kw) -> dict:
    return rehearse(alma, VENDORS_IN_ORDER, sleep=lambda seconds: None, **kw).as_json()


def test_a_year_on_every_serial_is_counted_once_and_explained():
    alma = AlmaClient(InProcessBackend())
    result = _year(alma, orders=20, seed=42, advance=365)
    assert result["advance"] == {"days": 365, "clock": "2027-09-01", "failed": ""}
    totals = dict.fromkeys(YEAR_COUNTS, 0)
    for name, summary in result["vendors"].items():
        serials = summary["serials"]
        ordered = sum(serials["ordered"].values())
        assert sum(serials[k] for k in BUCKETS) == ordered, name  # each serial line in exactly one column
        assert serials["claims"] == serials["claimed"]  # late print is claimed once …
        assert serials["claims_sent_to_vendor"] == serials["claimed"]  # … and that first claim goes to the vendor
        late = serials["claimed"] + serials["late_not_yet_claimed"] + serials["standing_orders_not_claimed"]
        assert late == serials["late"], name  # the lines the vendor did not ship, and nothing else, are late
        for key in YEAR_COUNTS:
            totals[key] += serials[key]
    assert totals["renewed"] and totals["waiting_for_manual_renewal"] and totals["claimed"]
    assert totals["standing_orders_not_claimed"] and totals["other"] == 0

    # read back from Alma: the claims are on print subscriptions and the one standing-order type Alma claims
    # (Physical - Standing Order Non Monograph, the generic vendor's); the renewals list holds manual lines only
    claimed = alma.claims()["po_line"]
    claimed_types = {line["type"]["value"] for line in claimed}
    assert claimed and claimed_types <= {"PRINTED_JOURNAL_CO", "PRINT_SO_NONMON"}
    assert "PRINT_SO_NONMON" in claimed_types
    assert all(len(line["claim"]) == 1 and line["claim"][0]["sent_to_vendor"] for line in claimed)
    waiting = alma.renewals()["po_line"]
    assert waiting and all(line["manual_renewal"] is True for line in waiting)
    assert len(waiting) == totals["waiting_for_manual_renewal"]


def test_the_year_is_deterministic_per_seed():
    first = _year(AlmaClient(InProcessBackend()), orders=12, seed=7, advance=365)
    assert first == _year(AlmaClient(InProcessBackend()), orders=12, seed=7, advance=365)
    other = _year(AlmaClient(InProcessBackend()), orders=12, seed=8, advance=365)
    assert [v["serials"] for v in other["vendors"].values()] != [v["serials"] for v in first["vendors"].values()]


def test_the_year_is_the_same_over_http():
    server = pytest.importorskip("simulator.api.server")
    http = pytest.importorskip("simulator.backends.http")
    running = server.ThreadedServer().start()  # 127.0.0.1, a free port
    backend = http.HttpBackend(running.base_url, "l8xx-hvu-0000-read-write")
    try:
        over_http = _year(AlmaClient(backend), orders=10, seed=5, advance=365)
    finally:
        backend.close()
        running.stop()
    embedded = _year(AlmaClient(InProcessBackend()), orders=10, seed=5, advance=365)
    assert over_http == embedded
    assert sum(v["serials"]["renewed"] + v["serials"]["claimed"] for v in embedded["vendors"].values()) > 0


def test_the_command_shows_the_year_and_explains_each_column(capsys):
    assert main(["rehearse", "--orders", "12", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "A year on — the clock moved on 365 days to 2027-09-01" in out
    for word in ("renewed:", "manual:", "claimed:", "sent:", "SO late:",
                 "which Alma does not claim (save Standing Order Non Monograph"):
        assert word in out
    assert main(["rehearse", "--orders", "4", "--advance", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["advance"]["days"] == 0
    assert main(["rehearse", "--advance", "-1"]) == 2
    assert capsys.readouterr().err.strip() == "almasim rehearse: --advance must be 0 or more days"
