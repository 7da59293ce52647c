"""Who called, and what the daily jobs did, in the request journal (docs/http-api.md, "The journal: who called,
and the daily jobs' entries"): each entry names its caller — the key's API Restrictions profile, "librarian" for
the librarian's paths and view, else a label of the key, never the key — filterable by `caller=`; each job run
leaves one entry per PO line it moved (kind "job", method "JOB"), found by the line's number, while the
verification API (count, verify) keeps counting calls only unless asked for kind=job."""

from __future__ import annotations

import json

import pytest
from alma_requests import KEY, po_line, print_journal, receive_all

from simulator.admin.journal import key_label
from simulator.backends import make_backend

GOBI_KEY = "l8xx-hvu-0000-gobi"
ACQ_ONLY = "l8xx-hvu-0000-acq-only"


@pytest.fixture
def alma(service):
    return make_backend("inprocess", service=service)


def test_each_entry_names_its_caller_and_never_the_key(alma, service):
    gobi = make_backend("inprocess", service=service, api_key=GOBI_KEY)
    acq = make_backend("inprocess", service=service, api_key=ACQ_ONLY)
    by_gobi = gobi.create_po_line(po_line())["number"]
    by_cart = alma.create_po_line(po_line())["number"]
    acq.get_po_line(by_cart)
    alma.claims()  # the librarian's path, with the same full key as the cart's
    entries = alma.journal()
    assert [(e["method"], e["caller"], e["kind"]) for e in entries] == [
        ("POST", "GOBI_KEY", "call"), ("POST", key_label(KEY), "call"), ("GET", key_label(ACQ_ONLY), "call"),
        ("GET", "librarian", "call")]
    assert entries[0]["po_line"] == by_gobi
    assert key_label(KEY) != key_label(ACQ_ONLY) != key_label("l8xx-hvu-0000-read-only")
    assert key_label(KEY).startswith("key ") and len(key_label(KEY)) == len("key ") + 8
    written = json.dumps(alma.backend.admin("GET", "/journal"))  # raw bodies included
    for secret in (KEY, GOBI_KEY, ACQ_ONLY):
        assert secret not in written


def test_the_journal_is_filtered_and_counted_by_caller(alma, service):
    gobi = make_backend("inprocess", service=service, api_key=GOBI_KEY)
    gobi.create_po_line(po_line())
    gobi.create_po_line(po_line())
    alma.create_po_line(po_line())
    assert [e["caller"] for e in alma.journal(caller="GOBI_KEY")] == ["GOBI_KEY", "GOBI_KEY"]
    assert alma.journal.count(caller="GOBI_KEY") == 2
    assert alma.journal.count(caller=key_label(KEY), method="POST") == 1
    alma.journal.assert_not_called(caller="librarian")
    with pytest.raises(AssertionError, match="caller is GOBI_KEY, not librarian"):
        alma.journal.assert_called(1, caller="librarian", method="POST")


def test_a_wrong_key_is_journalled_by_its_label(service, wire):
    assert wire("GET", "/almaws/v1/acq/test", key="l8xx-not-a-key").status == 401
    [entry] = service.journal.entries()
    assert entry.caller == key_label("l8xx-not-a-key") and entry.status == 401


def test_each_job_run_leaves_one_entry_per_po_line_it_moved(alma):
    number = alma.create_po_line(print_journal())["number"]
    calls = alma.journal.count(po_line=number)
    alma.advance_clock(days=16)  # 2026-09-17: the claim date (09-11 + 5 days' grace) has passed at 02:00
    [claimed] = alma.journal(po_line=number, kind="job")
    assert claimed["summary"] == f"PO line {number}: claimed; claim sent to the vendor by EDI (claiming job)"
    assert (claimed["method"], claimed["kind"], claimed["caller"], claimed["outcome"], claimed["path"]) == \
        ("JOB", "job", "claiming job", "done", "")
    assert claimed["at"] == "2026-09-17T02:00:00+00:00"
    receive_all(alma, number)
    calls = alma.journal.count(po_line=number)
    alma.advance_clock(days=45)  # 2026-11-01 is the reminder day
    moves = [e["summary"] for e in alma.journal(po_line=number, kind="job")]
    assert moves[-1] == f"PO line {number}: waiting for manual renewal (renewal job)"
    assert alma.journal.count(po_line=number, kind="job") == 2
    assert alma.journal.count(po_line=number) == calls  # the calls only: verification is as it was
    alma.journal.assert_called(1, po_line=number, kind="job", query={}, caller="renewal job")
    assert alma.journal.near_misses(method="POST", po_line="POL-NONE") == alma.journal.near_misses(
        method="POST", po_line="POL-NONE", kind="call")


def test_an_automatic_renewal_and_the_end_of_a_subscription_are_journalled(alma):
    renews = alma.create_po_line(print_journal(manual_renewal=False, renewal_date="2026-09-15"))["number"]
    ended = alma.create_po_line(print_journal(manual_renewal=False, subscription_from_date="2025-09-01Z",
                                              subscription_to_date="2026-08-31Z"))["number"]
    for number in (renews, ended):
        receive_all(alma, number)
    ran = alma.run_job("renewal")
    assert (ran["renewed"], ran["closed"]) == ([renews], [ended])
    [renewed] = alma.journal(po_line=renews, kind="job")
    assert renewed["summary"] == (f"PO line {renews}: renewed for another cycle: it renews next on 2027-09-15 "
                                  "(renewal job)")
    [closed] = alma.journal(po_line=ended, kind="job")
    assert closed["summary"] == f"PO line {ended}: closed: its subscription has ended (renewal job)"
    assert alma.journal(kind="job", method="JOB") == [renewed, closed]
    assert alma.run_job("renewal")["renewed"] == [] and len(alma.journal(kind="job")) == 2  # nothing moved


def test_a_job_that_moves_nothing_and_a_replay_leave_no_entry(tmp_path):
    from simulator.api.service import AlmaService
    from simulator.clock import FixedClock
    state = tmp_path / "alma.state"
    first = AlmaService(clock=FixedClock())
    first.open_store(state)
    alma = make_backend("inprocess", service=first)
    assert alma.run_job("claiming")["claimed"] == [] and alma.journal(kind="job") == []
    late = alma.create_po_line(print_journal(expected_receipt_date="2026-08-20"))["number"]
    assert alma.run_job("claiming")["claimed"] == [late]
    assert len(alma.journal(kind="job")) == 1
    second = AlmaService(clock=FixedClock())
    second.open_store(state)  # the run is replayed onto the world; the journal holds this process's doings
    assert second.journal.entries(kind="job") == []
    assert [l["number"] for l in make_backend("inprocess", service=second).claims()["po_line"]] == [late]


def test_an_unknown_kind_is_a_clear_refusal(alma):
    from simulator.errors import HarnessError
    with pytest.raises(HarnessError, match="kind is one of call, job"):
        alma.journal.count(kind="cron")


def test_a_claim_mailed_to_the_vendor_says_so(alma):
    mailed = alma.create_po_line(po_line(
        vendor={"value": "HARRASSOWITZ"}, vendor_account="HAR-HVU", expected_receipt_interval="10",
        claiming_interval=5, resource_metadata={"title": "A Late Festschrift", "isbn": "9780199535569"}))["number"]
    alma.advance_clock(days=16)
    [claimed] = alma.journal(po_line=mailed, kind="job")
    assert claimed["summary"] == f"PO line {mailed}: claimed; claim sent to the vendor by email (claiming job)"
    alma.advance_clock(days=1)  # the claim is still open: the next run claims nothing new
    assert len(alma.journal(po_line=mailed, kind="job")) == 1
