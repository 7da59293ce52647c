"""What a real vendor needs from its Alma client: back off when Alma is busy, retry server errors and lost answers
a bounded number of times, stop at Alma's daily limit, and never send an order twice when a lost answer hid that
Alma had in fact created it.

Alma's trouble is the simulator's own — its fault injection and its daily threshold, set through the client's
admin calls — and every test runs unchanged on the in-process, mocked and HTTP backends. What reached Alma is
read from the simulator's request journal. The cart records its waits instead of sleeping; an answer that comes
too late is a delay longer than the client's time-out (raised at once in-process and mocked, waited for half a
second over HTTP)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator.backends import AlmaClient, make_backend
from simulator.vendors import RetryPolicy, open_cart

KINDS = ("inprocess", "mocked", "http")
PO_LINES = "/almaws/v1/acq/po-lines"
KEY = "l8xx-hvu-0000-read-write"


@pytest.fixture(params=KINDS)
def alma(request) -> Iterator[AlmaClient]:
    if request.param != "http":
        yield make_backend(request.param)
        return
    server = request.getfixturevalue("server")
    httpx.post(f"{server.url}/almasim/v1/admin/reset", timeout=10).raise_for_status()
    client = make_backend("http", base_url=server.base_url, api_key=KEY)
    before = client.settings()
    yield client
    client.change_settings(**before)  # settings outlive a reset on a shared server
    client.backend.close()


def _cart(alma, stocks, naps, vendor="gobi", retry=None, seed=0):
    cart = open_cart(vendor, alma, sleep=naps.append, retry=retry, seed=seed)
    cart.add(stocks[vendor].bulk[0], "print", owning_library="MAIN", funds="HIST-MONO")
    return cart


def _order(alma, stocks, naps, **options):
    return _cart(alma, stocks, naps, **options).checkout().lines[0]


def orders(alma) -> list[int]:
    """The status of every Create PO line call that reached Alma, oldest first."""
    return [e["status"] for e in alma.journal(method="POST", path=PO_LINES) if e["path"] == PO_LINES]


def test_throttled_orders_back_off_and_go_through(alma, stocks, naps):
    alma.add_fault(method="POST", path=PO_LINES, code="PER_SECOND_THRESHOLD", times=3)
    line = _order(alma, stocks, naps)
    assert line.result.outcome == "created" and line.result.attempts == 4
    assert naps == [0.5, 1.0, 2.0] and orders(alma) == [429, 429, 429, 200]


def test_throttling_beyond_the_budget_fails_harness_side(alma, stocks, naps):
    alma.add_fault(method="POST", path=PO_LINES, code="PER_SECOND_THRESHOLD")
    line = _order(alma, stocks, naps, retry=RetryPolicy(throttled=(0.1, 0.2)))
    assert (line.result.outcome, line.result.code) == ("failed", "PER_SECOND_THRESHOLD")
    assert naps == [0.1, 0.2] and orders(alma) == [429, 429, 429]


def test_server_errors_are_retried_a_bounded_number_of_times(alma, stocks, naps):
    alma.add_fault(method="POST", path=PO_LINES, status=500, times=2)
    assert _order(alma, stocks, naps).result.outcome == "created"
    assert naps == [1.0, 4.0] and orders(alma) == [500, 500, 200]
    naps.clear()
    alma.add_fault(method="POST", path=PO_LINES, status=500)
    gave_up = _order(alma, stocks, naps, seed=1).result
    assert (gave_up.outcome, gave_up.code, gave_up.attempts) == ("failed", "INTERNAL_SERVER_ERROR", 4)
    assert naps == [1.0, 4.0, 10.0] and orders(alma)[3:] == [500, 500, 500, 500]


def test_the_daily_threshold_stops_the_cart_without_a_retry(alma, stocks, naps):
    cart = _cart(alma, stocks, naps)
    cart.verify(cart.lines[0])  # the cart has read libraries and funds today: the day's calls are now spent
    assert cart.setup.vendor_code
    alma.change_settings(daily_threshold=1)
    line = cart.checkout().lines[0]
    assert (line.result.outcome, line.result.code, line.result.attempts) == ("failed", "DAILY_THRESHOLD", 1)
    assert naps == [] and orders(alma) == [429]
    alma.change_settings(daily_threshold=1_000_000)
    assert alma.list_po_lines(q=f"issn_isbn~{line.cart_line.title.isbn}")["total_record_count"] == 0


def test_a_connection_lost_before_alma_did_the_work_is_retried(alma, stocks, naps):
    alma.add_fault(method="POST", path=PO_LINES, drop=True, times=1)
    line = _order(alma, stocks, naps)
    assert line.result.outcome == "created" and line.result.attempts == 2 and naps == [1.0]
    assert [e["status"] for e in alma.journal(method="POST", path=PO_LINES)] == [0, 200]  # dropped, then created


def test_an_answer_too_late_after_the_order_was_created_is_a_possible_duplicate(alma, stocks, naps):
    alma.time_out_after(0.5)
    alma.add_fault(method="POST", path=PO_LINES, delay=3.0, times=1)
    line = _order(alma, stocks, naps)
    assert line.result.outcome == "possible_duplicate"
    assert orders(alma) == [200]  # Alma created it once; not sent a second time
    po_line = alma.get_po_line(line.po_line_number)
    assert po_line["vendor_reference_number"] == line.vendor_reference_number
    assert line.vendor_reference_number in line.result.message


def test_carts_and_steps_never_import_httpx():
    """Transport failures reach them as simulator.errors (NoAnswer), so neither needs the HTTP library."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    importing = []
    for source in [*root.joinpath("simulator", "vendors").rglob("*.py"), *root.joinpath("features").rglob("*.py")]:
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] in ("httpx", "respx") for name in names):
                importing.append(str(source.relative_to(root)))
    assert importing == []
