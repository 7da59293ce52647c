"""`almasim bench` in a tiny mode: every key comes back as a number or as null with a reason.

No timing is asserted here: speed targets are met in benchmarks (docs/benchmarks.md), never in tests.
"""

from __future__ import annotations

import json

import pytest

from simulator.tools import benchmark
from simulator.alma import ordering
from simulator.api.schemas import draft_from_json
from simulator.alma.model import Catalogue, Zone
from simulator.alma.matching import MATCH_METHODS
from simulator.alma.model import ResourceMetadata
from simulator.cli import main
from simulator.clock import FixedClock
from simulator.identifiers import is_valid_isbn, isbn_key


def _check_report(report: dict) -> None:
    for key in benchmark.KEYS:
        assert key in report
        value = report[key]
        if value is None:
            assert report["reasons"].get(key), f"{key} is null without a reason"
            assert report["verdicts"][key] is None
        else:
            assert isinstance(value, float | int) and value >= 0, key
            assert report["verdicts"][key] in ("PASS", "MISS")
    assert report["machine"]["cores"] >= 1 and report["machine"]["python"]


@pytest.fixture(scope="module")
def tiny_report(tmp_path_factory) -> dict:
    empty = tmp_path_factory.mktemp("no-features")
    plan = benchmark.Plan.tiny()
    plan.features_dir = str(empty)
    return benchmark.run(plan)


def test_a_tiny_run_gives_every_key_a_number_or_a_reason(tiny_report):
    _check_report(tiny_report)
    assert tiny_report["inprocess_orders_per_s"] is not None, tiny_report["reasons"]
    assert set(tiny_report["lookup_us"]) == {"200", "400", "800"}
    assert tiny_report["lookup_ratios"]["200"] == pytest.approx(1.0)
    for size in ("200", "400", "800"):
        got = tiny_report["details"]["catalogue"][size]
        assert got["bibs"] == int(size) and got["hits"] == got["expected_hits"]


def test_in_process_orders_are_counted_per_cpu_second_with_the_wall_clock_and_collector_beside(tiny_report):
    got = tiny_report["details"]["inprocess"]
    assert got["orders"] > 0 and 0 < got["cpu_seconds"] and got["seconds"] > 0
    assert tiny_report["inprocess_orders_per_s"] == pytest.approx(got["orders"] / got["cpu_seconds"])
    assert got["wall_orders_per_s"] == pytest.approx(got["orders"] / got["seconds"])
    assert 0 <= got["collector_share"] <= 1
    assert "by the wall clock" in benchmark.table(tiny_report)


def test_a_tiny_run_leaves_out_the_million_rows_and_says_so(tiny_report):
    for key in ("lookup_ratio_1m_vs_1k", "load_1m_bibs_s", "peak_memory_1m_bibs_mb"):
        assert tiny_report[key] is None and "largest catalogue 800" in tiny_report["reasons"][key]
    assert "lookup_ratio_largest_vs_first" in tiny_report
    assert "no features/" in tiny_report["reasons"]["features_wall_s"]


def test_the_http_row_is_measured_or_explained(tiny_report):
    if tiny_report["http_ratio_vs_bare"] is None:
        assert tiny_report["reasons"]["http_ratio_vs_bare"]
    else:
        counts = tiny_report["details"]["http"]["counts"]
        assert counts["po"]["ok"] > 0 and counts["bare"]["ok"] > 0


def test_the_table_shows_every_bar_and_the_machine(tiny_report):
    text = benchmark.table(tiny_report)
    assert text.startswith("Machine: ")
    for bar in benchmark.BARS:
        assert bar.label in text
    assert "left out in tiny mode" in text


def test_the_cost_of_state_and_tenant_creation_at_scale_are_rows_or_reasons(tiny_report):
    text = benchmark.table(tiny_report)
    if "durable_http" in tiny_report["details"]:
        got = tiny_report["details"]["durable_http"]
        assert got["memory"]["ok"] > 0 and got["durable"]["ok"] > 0
        assert "HTTP orders/s, with --state" in text
    else:
        assert tiny_report["reasons"]["durable_http"] in text
    assert set(tiny_report["details"]["tenants"]["ms_per_tenant"]) == {"100", "300"}
    assert "Create a tenant at 300 tenants" in text


def test_a_failed_measurement_is_a_row_with_its_reason_never_a_crash():
    plan = benchmark.Plan.tiny()
    plan.sizes, plan.http, plan.features = (0, 200), False, False  # an empty catalogue cannot be measured
    report = benchmark.run(plan)
    assert "catalogues failed" in report["reasons"]["catalogue_0"]
    assert report["inprocess_orders_per_s"] is not None  # the others still ran
    assert "Catalogue of 0 bibs | — (failed: catalogues failed" in benchmark.table(report)
    json.dumps(report)


def test_the_command_prints_one_json_object(capsys):
    assert main(["bench", "--json", "--sizes", "100,300", "--seconds", "0.2", "--no-http", "--no-features"]) == 0
    report = json.loads(capsys.readouterr().out)
    _check_report(report)
    assert report["reasons"]["http_ratio_vs_bare"] == "left out by request"


def test_wrong_sizes_are_one_readable_line(capsys):
    assert main(["bench", "--sizes", "many"]) == 1
    assert "--sizes takes whole numbers" in capsys.readouterr().err


@pytest.mark.parametrize("value, verdict", [(5000, True), (4999.9, False)])
def test_a_bar_is_met_or_missed(value, verdict):
    assert benchmark.BARS[0].passes(value) is verdict


def test_bulk_isbns_are_valid_distinct_and_deterministic():
    isbns = [benchmark.isbn13_of(i) for i in range(5000)]
    assert len(set(isbns)) == 5000 and all(is_valid_isbn(i) for i in isbns)
    assert isbns == [benchmark.isbn13_of(i) for i in range(5000)]
    assert benchmark.isbn13_of(7, seed=1) != benchmark.isbn13_of(7, seed=2)
    for style in range(4):
        assert isbn_key(benchmark.spelled(isbns[3], style)) == isbns[3]


def test_bulk_bibs_are_found_by_the_real_match_path():
    pool = benchmark.TitlePool(size=64)
    catalogue = Catalogue(Zone.INSTITUTION)
    for bib in benchmark.bulk_bibs(500, pool):
        catalogue.add(bib)
    match = MATCH_METHODS.get("ISBN")
    assert [b.mms_id for b in match(catalogue, ResourceMetadata(isbn=benchmark.spelled(benchmark.isbn13_of(42), 2)))] \
        == [f"99{43:012d}4561"]
    assert match(catalogue, ResourceMetadata(isbn=benchmark.isbn13_of(500))) == []


def test_the_bench_orders_are_accepted_and_mostly_processed():
    pool = benchmark.TitlePool(size=64)
    world = benchmark.bench_world(300, pool)
    lines = [ordering.create_po_line(world, benchmark.INSTITUTION, draft_from_json(body), FixedClock())
             for body in benchmark.order_bodies(300, pool, catalogued=300)]
    in_review = sum(line.in_review for line in lines)
    assert len(lines) == 300 and in_review < 30


def test_the_phase_profiler_measures_every_phase_of_a_po_line_on_a_toy_world():
    """`python -m simulator.tools.phases time` (docs/benchmarks.md, "The create path"): one CPU time per phase,
    each PO line answered 200 along the way (the runner refuses any other status)."""
    import os
    import re
    import subprocess
    import sys

    from simulator.tools import phases

    done = subprocess.run([sys.executable, "-m", "simulator.tools.phases", "time", "20"], capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, BIBS="300"))
    assert done.returncode == 0, done.stderr
    found = dict(re.findall(r"(\w+) ([\d.]+) µs", done.stdout))
    assert list(found) == list(phases.PHASES)
    assert all(float(v) > 0 for v in found.values())
    assert phases.main(["profile", "no-such-phase"]) == 2
