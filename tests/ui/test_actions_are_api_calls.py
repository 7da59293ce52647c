"""The librarian's actions are API calls: made with the signed-in key through the edge every backend uses, so they
are in the request journal, meet the same admission (injected faults included), and with `almasim serve --state`
they are in the durable log — a kill -9 right after the page said "done" loses none of them."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from urllib.parse import parse_qs, urlsplit

import httpx
from alma_requests import KEY, po_line, start_almasim_serve, stop_almasim_serve

from tests.ui.conftest import order

UI = "/almasim/ui"
JSON = {"accept": "application/json"}


def _said(answer: httpx.Response) -> dict[str, str]:
    """What the page the action redirects to will say: {"done": …} or {"refused": …}."""
    assert answer.status_code == 303, answer.text[:300]
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()
            if k in ("done", "refused")}


# -- kill -9 after the page said "done": the actions are in the state file ---------------------------------------
def _start(state) -> tuple[subprocess.Popen, str]:
    process = start_almasim_serve("--json", "--state", str(state))
    line = process.stdout.readline()
    assert line, process.stderr.read()
    return process, json.loads(line)["base_url"]


def _status(base: str, number: str) -> str:
    answer = httpx.get(f"{base}/acq/po-lines/{number}", params={"apikey": KEY}, headers=JSON, timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()["status"]["value"]


def test_actions_taken_in_the_view_survive_a_kill_9_of_almasim_serve_state(tmp_path):
    state = tmp_path / "alma.state"
    process, base = _start(state)
    try:
        site = base.removesuffix("/almaws/v1")
        numbers = []
        for _ in range(2):
            made = httpx.post(f"{base}/acq/po-lines", params={"apikey": KEY, "requires_manual_review": "true"},
                              json=po_line(), headers=JSON, timeout=30)
            assert made.status_code == 200, made.text[:300]
            numbers.append(made.json()["number"])
        approved, cancelled = numbers
        assert _status(base, approved) == _status(base, cancelled) == "INREVIEW"
        with httpx.Client(base_url=site, timeout=30, headers={"Origin": site}) as librarian:
            assert librarian.get(f"{UI}/sign-in", params={"key": KEY}).status_code == 303
            said = _said(librarian.post(f"{UI}/po-lines/{approved}/approve", data={"back": f"{UI}/review"}))
            assert "done" in said and "approved" in said["done"], said
            said = _said(librarian.post(f"{UI}/po-lines/{cancelled}/cancel",
                                        data={"reason": "ORDERED_IN_ERROR", "comment": "ordered twice"}))
            assert "done" in said and "cancelled" in said["done"], said
        sent = _status(base, approved)
        assert sent not in ("INREVIEW", "CANCELLED")
        os.kill(process.pid, signal.SIGKILL)  # no clean stop, no last snapshot: only the log can bring them back
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)

    process, base = _start(state)
    try:
        assert _status(base, approved) == sent
        assert _status(base, cancelled) == "CANCELLED"
        line = httpx.get(f"{base}/acq/po-lines/{cancelled}", params={"apikey": KEY}, headers=JSON, timeout=30).json()
        assert line["cancellation_note"] == "ordered twice", line.get("cancellation_note")
    finally:
        assert stop_almasim_serve(process) == 0


# -- the journal, the history, the edge's admission ---------------------------------------------------------------
def test_an_action_in_the_view_is_in_the_admin_journal_and_once_in_the_line_s_history(running, alma, session):
    number = order(alma, review=True)
    http = session()
    assert "done" in _said(http.post(f"{UI}/po-lines/{number}/approve"))
    admin = httpx.get(f"{running.url}/almasim/v1/admin/journal", params={"institution": "01TRLC_HVU"}, timeout=30)
    entries = admin.json()["entries"]
    approvals = [e for e in entries if e["method"] == "POST"
                 and e["path"] == f"/almasim/v1/librarian/po-lines/{number}/approve"]
    assert len(approvals) == 1 and approvals[0]["status"] == 200, approvals
    assert approvals[0]["summary"].startswith(f"PO line {number} approved"), approvals[0]["summary"]
    history = re.search(r'id="history".*?</table>', http.get(f"{UI}/po-lines/{number}").text, re.S)
    assert history is not None
    assert history.group(0).count(f"PO line {number} approved") == 1  # from the journal, not kept twice


def test_a_refused_action_is_in_the_journal_with_alma_s_code(running, alma, session):
    number = order(alma, review=False)
    http = session()
    said = _said(http.post(f"{UI}/po-lines/{number}/cancel", data={"reason": "NOT_A_REASON"}))
    assert "refused" in said
    refused = [e for e in alma.journal(method="DELETE") if e["path"] == f"/almaws/v1/acq/po-lines/{number}"]
    assert len(refused) == 1 and refused[0]["status"] >= 400 and refused[0]["error_code"], refused
    assert alma.get_po_line(number)["status"]["value"] != "CANCELLED"


def test_an_injected_fault_stops_an_action_as_it_stops_an_api_call(running, alma, session):
    number = order(alma, review=True)
    alma.add_fault(method="POST", path=f"/almasim/v1/librarian/po-lines/{number}/approve", status=503,
                   message="Alma is being upgraded.", times=1)
    http = session()
    said = _said(http.post(f"{UI}/po-lines/{number}/approve"))
    assert said == {"refused": "Alma is being upgraded."}, said
    assert alma.get_po_line(number)["status"]["value"] == "INREVIEW"
    assert "done" in _said(http.post(f"{UI}/po-lines/{number}/approve"))  # the fault fired once
    assert alma.get_po_line(number)["status"]["value"] != "INREVIEW"


def test_an_answer_lost_after_the_work_says_so_and_the_work_is_done(running, alma, session):
    number = order(alma, review=True)
    alma.add_fault(method="POST", path=f"/almasim/v1/librarian/po-lines/{number}/approve", drop=True, after=True,
                   times=1)
    said = _said(session().post(f"{UI}/po-lines/{number}/approve"))
    assert "refused" in said and "Alma may have done it" in said["refused"], said
    assert alma.get_po_line(number)["status"]["value"] != "INREVIEW"  # it was done; only the answer was lost


# -- renewing from the Renewals page -------------------------------------------------------------------------------
def test_renewing_in_the_view_is_one_librarian_call_in_the_journal_refusals_too(running, alma, session):
    from tests.ui.conftest import waiting_for_manual_renewal
    [number] = waiting_for_manual_renewal(alma)
    path = f"/almasim/v1/librarian/po-lines/{number}/renew"
    http = session()
    said = _said(http.post(f"{UI}/po-lines/{number}/renew", data={"back": f"{UI}/renewals",
                                                                   "renewal_date": "2026-06-01"}))
    assert "not after the current renewal date 2026-12-01" in said["refused"], said
    said = _said(http.post(f"{UI}/po-lines/{number}/renew", data={"back": f"{UI}/renewals", "renewal_date": ""}))
    assert said == {"done": f"PO line {number} renewed: it renews next on 2027-12-01, now Waiting for Renewal"}
    calls = [e for e in alma.journal(method="POST") if e["path"] == path]
    assert [(c["status"], c["error_code"] or "") for c in calls] == [(400, "401872"), (200, "")], calls
    line = alma.get_po_line(number)
    assert (line["status"]["value"], line["renewal_date"]) == ("RECURRING_RENEWAL", "2027-12-01Z")
    page = http.get(f"{UI}/renewals?refused=x").text
    assert "Not done: x" in page  # the flash the page shows for a refusal


def test_a_read_only_key_sees_no_renew_button_and_its_post_is_refused_before_alma(running, alma, session):
    from tests.ui.conftest import READ_ONLY, waiting_for_manual_renewal
    [number] = waiting_for_manual_renewal(alma)
    http = session(READ_ONLY)
    page = http.get(f"{UI}/renewals").text
    assert f'data-po-line="{number}"' in page and "This key is read-only" in page
    assert f"{number}/renew" not in page and f"Renew {number}" not in page and 'name="renewal_date"' not in page
    assert f"{number}/renew" not in http.get(f"{UI}/po-lines/{number}").text
    answer = http.post(f"{UI}/po-lines/{number}/renew")
    assert answer.status_code == 403 and "may read but not act" in answer.text
    assert [e for e in alma.journal(method="POST") if e["path"].endswith("/renew")] == []
    assert alma.get_po_line(number)["status"]["value"] == "WAITING_FOR_MANUAL_RENEWAL"
