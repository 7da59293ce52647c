"""The daily jobs and continuous lines on the HTTP face (docs/http-api.md, "Daily jobs, renewals and claims"):
the PO line's renewal terms in and out, the admin API's jobs (GET /jobs, POST /jobs/{job}), the clock advance
running the jobs it passes, the librarian's renewals and claims task lists and manual renewal, AlmaClient's
methods for them, and durability: what a job changed is back after a restart, kill -9 included."""

from __future__ import annotations

import json
import os
import signal

import httpx
import pytest
from alma_requests import KEY, po_line, print_journal, receive_all, start_almasim_serve, stop_almasim_serve

from simulator import edifact
from simulator.api.routes import ADMIN, LIBRARIAN
from simulator.api.service import AlmaService
from simulator.backends import make_backend
from simulator.clock import FixedClock
from simulator.errors import HarnessError, UpdateFailed

JSON = {"accept": "application/json"}
HVU = "01TRLC_HVU"


@pytest.fixture
def alma(service):
    return make_backend("inprocess", service=service)


def test_the_renewal_terms_are_read_and_answered_as_alma_spells_them(alma):
    line = alma.create_po_line(print_journal())
    assert line["status"]["value"] == "SENT" and line["alert"] == []
    assert {k: line[k] for k in ("renewal_date", "renewal_cycle", "renewal_period", "manual_renewal",
                                 "subscription_from_date", "subscription_to_date", "expected_receipt_interval",
                                 "claiming_interval", "expected_receipt_date")} == {
        "renewal_date": "2026-12-01Z", "renewal_cycle": {"value": "1", "desc": "Annual"}, "renewal_period": 30,
        "manual_renewal": True, "subscription_from_date": "2026-09-01Z", "subscription_to_date": "2027-08-31Z",
        "expected_receipt_interval": "10", "claiming_interval": "5", "expected_receipt_date": "2026-09-11Z"}
    assert alma.get_po_line(line["number"])["renewal_date"] == "2026-12-01Z"
    plain = alma.create_po_line(po_line())
    assert (plain["renewal_cycle"], plain["renewal_period"], plain["manual_renewal"]) == ({}, 0, False)
    assert "renewal_date" not in plain and "expected_receipt_date" not in plain


def test_a_continuous_order_without_renewal_date_waits_in_review_and_bad_terms_are_refused(alma):
    held = alma.create_po_line(print_journal(renewal_date=""))
    assert held["status"]["value"] == "INREVIEW"
    assert [a["value"] for a in held["alert"]] == ["RENEWAL_DATE_MISSING"]
    for changes in ({"renewal_date": "1st of December"}, {"renewal_cycle": {"value": "99"}},
                    {"claiming_interval": "a week"}):
        with pytest.raises(Exception) as refusal:
            alma.create_po_line(print_journal(**changes))
        assert getattr(refusal.value, "code", "") == "401872"


def test_advancing_the_clock_runs_the_jobs_it_passes_and_the_librarian_reads_the_task_lists(alma):
    subscription = alma.create_po_line(print_journal())["number"]
    assert alma.claims() == {"po_line": [], "total_record_count": 0}
    now = alma.advance_clock(days=16)  # 2026-09-17 09:00: the claim date (09-11 + 5 days' grace) has passed
    assert now == "2026-09-17T09:00:00+00:00"
    listed = alma.claims()
    assert [l["number"] for l in listed["po_line"]] == [subscription]
    [claim] = listed["po_line"][0]["claim"]
    assert claim == {"claim_date": "2026-09-17Z", "expected_date": "2026-09-11Z", "kind": "receipt",
                     "sent_to_vendor": True, "channel": "EDI", "letter": ""}
    [sent] = edifact.read(alma.edi_outbox("GOBI")[-1]).claims
    assert sent.po_line == subscription
    receive_all(alma, subscription)
    assert alma.claims()["total_record_count"] == 0
    assert alma.get_po_line(subscription)["status"] == {"value": "RECURRING_RENEWAL", "desc": "Waiting for Renewal"}
    alma.advance_clock(days=45)  # 2026-11-01 is the reminder day
    assert alma.get_po_line(subscription)["status"]["value"] == "WAITING_FOR_MANUAL_RENEWAL"
    assert [l["number"] for l in alma.renewals()["po_line"]] == [subscription]
    renewed = alma.renew_po_line(subscription)
    assert (renewed["status"]["value"], renewed["renewal_date"]) == ("RECURRING_RENEWAL", "2027-12-01Z")
    assert alma.renewals()["total_record_count"] == 0
    [renewal] = [e for e in alma.journal() if e["path"].endswith("/renew")]
    assert renewal["summary"].startswith(f"PO line {subscription} renewed by hand ")
    assert renewal["summary"].endswith("(Waiting for Renewal)")
    with pytest.raises(UpdateFailed):
        alma.renew_po_line(alma.create_po_line(po_line())["number"])


def test_the_admin_api_lists_the_jobs_and_runs_one_now(alma, service):
    listed = alma.jobs()
    assert listed["now"] == "2026-09-01T09:00:00+00:00"
    assert [(j["name"], j["daily_at"], j["last_run"], j["next_run"]) for j in listed["jobs"]] == [
        ("renewal", "02:00", None, "2026-09-02T02:00:00+00:00"),
        ("claiming", "02:00", None, "2026-09-02T02:00:00+00:00")]
    automatic = alma.create_po_line(print_journal(manual_renewal=False, renewal_date="2026-09-15"))["number"]
    receive_all(alma, automatic)
    ran = alma.run_job("renewal")
    assert ran["renewed"] == [automatic] and ran["institutions"] == [HVU]
    assert {k: ran[k] for k in ("job", "waiting_for_manual_renewal", "closed")} == \
        {"job": "renewal", "waiting_for_manual_renewal": [], "closed": []}
    assert alma.get_po_line(automatic)["renewal_date"] == "2027-09-15Z"
    assert alma.run_job("claiming") | {"at": "", "institutions": []} == \
        {"job": "claiming", "claimed": [], "sent_to_vendor": [], "at": "", "institutions": []}
    listed = alma.jobs()
    assert listed["jobs"][0]["last_run"] == "2026-09-01T09:00:00+00:00"
    assert listed["jobs"][0]["last_result"] == {"renewed": 1, "waiting_for_manual_renewal": 0, "closed": 0}
    with pytest.raises(HarnessError, match="no job 'packaging'"):
        alma.run_job("packaging")
    with pytest.raises(HarnessError):
        alma.backend.admin("POST", "/jobs/renewal", None, query={"institution": "NOWHERE"})
    every = alma.backend.admin("POST", "/jobs/renewal")
    assert set(every["institutions"]) == set(service.world.institutions)


def test_the_routes_are_declared_once(alma):
    from simulator.api.routes import endpoint
    assert endpoint("jobs").template == ADMIN + "/jobs" and endpoint("run_job").template == ADMIN + "/jobs/{job}"
    assert endpoint("renewals_list").template == LIBRARIAN + "/renewals"
    assert endpoint("claims_list").template == LIBRARIAN + "/claims"
    assert endpoint("renew_po_line").template == LIBRARIAN + "/po-lines/{po_line_id}/renew"


# ---------------------------------------------------------------- durability ------------------------------------


def test_what_the_jobs_changed_is_back_after_a_restart_without_a_clean_stop(tmp_path):
    """A job run on demand and the runs the clock passed are logged at their moments; a store opened again
    (the first one never closed, as after kill -9) replays them onto the same world."""
    state = tmp_path / "alma.state"
    clock = FixedClock()
    first = AlmaService(clock=clock)
    first.open_store(state)
    alma = make_backend("inprocess", service=first)
    late = alma.create_po_line(print_journal(expected_receipt_date="2026-08-20"))["number"]
    claimed = alma.run_job("claiming")["claimed"]  # logged, not compacted
    assert claimed == [late]
    later = alma.create_po_line(print_journal(expected_receipt_interval="0", claiming_interval="0"))["number"]
    clock.advance(days=2)  # the running clock of `almasim serve`: the serve loop catches up
    assert [r["claimed"] for r in first.scheduler.catch_up(first) if r["job"] == "claiming"] == [[later], []]
    before = first.export()

    second = AlmaService(clock=FixedClock())
    second.open_store(state)
    assert second.export() == before
    again = make_backend("inprocess", service=second)
    assert [l["number"] for l in again.claims()["po_line"]] == [late, later]
    assert len(again.edi_outbox("GOBI")) == 2
    assert second.scheduler.catch_up(second) == []  # nothing runs twice
    second.close()


def test_kill_9_after_a_job_keeps_what_it_did(tmp_path):
    state = tmp_path / "alma.state"
    process = start_almasim_serve("--json", "--state", str(state))
    try:
        announced = json.loads(process.stdout.readline())
        base, admin = announced["base_url"], announced["base_url"].removesuffix("/almaws/v1") + ADMIN
        assert announced["clock"].startswith("2026-09-01T09:00")
        with httpx.Client(timeout=30, headers=JSON, params={"apikey": KEY}) as http:
            made = http.post(f"{base}/acq/po-lines", json=print_journal(expected_receipt_date="2026-08-20"))
            number = made.json()["number"]
            ran = httpx.post(f"{admin}/jobs/claiming", params={"institution": HVU}, timeout=30).json()
            assert ran["claimed"] == [number]
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)
    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = json.loads(process.stdout.readline())["base_url"]
        listed = httpx.get(base.removesuffix("/almaws/v1") + LIBRARIAN + "/claims", params={"apikey": KEY},
                           headers=JSON, timeout=30).json()
        assert [(l["number"], [c["sent_to_vendor"] for c in l["claim"]]) for l in listed["po_line"]] == \
            [(number, [True])]
        jobs = httpx.get(base.removesuffix("/almaws/v1") + ADMIN + "/jobs", timeout=30).json()
        assert jobs["jobs"][1]["last_run"] is not None
    finally:
        assert stop_almasim_serve(process) == 0
