"""What a real vendor needs from its Alma client: back off on 429, retry 5xx and time-outs a bounded number
of times, and never send an order twice when a time-out hid that Alma had in fact created it."""

from __future__ import annotations

from simulator.backends import AlmaClient
from simulator.vendors import RetryPolicy, open_cart

from .conftest import FlakyBackend, read_timeout, server_error, throttled


def _order(backend, catalogues, naps, vendor="gobi", retry=None, seed=0):
    cart = open_cart(vendor, AlmaClient(backend), sleep=naps.append, retry=retry, seed=seed)
    cart.add(catalogues[vendor].bulk[0], "print", owning_library="MAIN", funds="HIST-MONO")
    return cart.checkout().lines[0]


def test_throttled_orders_back_off_and_go_through(backend, catalogues, naps):
    flaky = FlakyBackend(backend, throttled(), failures=3)
    line = _order(flaky, catalogues, naps)
    assert line.result.outcome == "created" and line.result.attempts == 4
    assert naps == [0.5, 1.0, 2.0] and flaky.creates == 1


def test_throttling_beyond_the_budget_fails_harness_side(backend, catalogues, naps):
    flaky = FlakyBackend(backend, throttled(), failures=99)
    line = _order(flaky, catalogues, naps, retry=RetryPolicy(throttled=(0.1, 0.2)))
    assert (line.result.outcome, line.result.code) == ("failed", "PER_SECOND_THRESHOLD")
    assert naps == [0.1, 0.2] and flaky.creates == 0


def test_server_errors_are_retried_a_bounded_number_of_times(backend, catalogues, naps):
    assert _order(FlakyBackend(backend, server_error(), failures=2), catalogues, naps).result.outcome == "created"
    assert naps == [1.0, 4.0]
    naps.clear()
    gave_up = _order(FlakyBackend(backend, server_error(), failures=99), catalogues, naps, seed=1).result
    assert (gave_up.outcome, gave_up.code, gave_up.attempts) == ("failed", "INTERNAL_SERVER_ERROR", 4)
    assert naps == [1.0, 4.0, 10.0]


def test_a_time_out_before_alma_answered_is_retried(backend, catalogues, naps):
    flaky = FlakyBackend(backend, read_timeout(), failures=1)
    line = _order(flaky, catalogues, naps)
    assert line.result.outcome == "created" and flaky.creates == 1


def test_a_time_out_after_the_order_was_created_is_a_possible_duplicate(backend, catalogues, naps):
    flaky = FlakyBackend(backend, read_timeout(), failures=1, after_sending=True)
    line = _order(flaky, catalogues, naps)
    assert line.result.outcome == "possible_duplicate"
    assert flaky.creates == 1  # not sent a second time
    po_line = AlmaClient(backend).get_po_line(line.po_line_number)
    assert po_line["vendor_reference_number"] == line.vendor_reference_number
    assert line.vendor_reference_number in line.result.message
