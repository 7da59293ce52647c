"""The request journal in the librarian's view, over HTTP without a browser: the Vendor activity page groups the
vendors' calls by vendor, says which key called (its restriction profile or its label, never the key), and keeps
the librarian's own actions apart even when the librarian signed in with the very key the cart uses; a PO line's
status history shows what the daily jobs did to it."""

from __future__ import annotations

import re

from alma_requests import po_line

from simulator.admin.journal import key_label
from simulator.backends import make_backend
from tests.ui.conftest import READ_WRITE, order, receive_all, subscription

UI = "/almasim/ui"
GOBI_KEY = "l8xx-hvu-0000-gobi"


def group(page: str, name: str) -> str:
    """The table of one group of the activity page, by the start of its name ("" when the page has none)."""
    found = re.search(rf'<table id="[^"]+" data-vendor="{re.escape(name)}[^"]*">.*?</table>', page, re.S)
    return found.group(0) if found else ""


def test_vendor_activity_keeps_the_librarian_s_actions_apart(running, alma, session):
    number = order(alma, review=True)  # GOBI's cart, with the institution's full key
    gobi = make_backend("http", base_url=running.base_url, api_key=GOBI_KEY)
    try:
        by_gobi_key = gobi.create_po_line(po_line())["number"]
    finally:
        gobi.backend.close()
    http = session(READ_WRITE)  # the librarian signs in with the cart's own key
    assert "done=" in http.post(f"{UI}/po-lines/{number}/approve").headers["location"]
    item = re.search(r'name="item" value="([^"]+)"', http.get(f"{UI}/po-lines/{number}").text).group(1)
    assert "done=" in http.post(f"{UI}/po-lines/{number}/receive", data={"item": item}).headers["location"]
    page = http.get(f"{UI}/activity").text
    vendor = group(page, "GOBI Library Solutions")
    assert f"PO line {number} created" in vendor and f"PO line {by_gobi_key} created" in vendor
    assert "approved" not in vendor and "received" not in vendor
    assert "<td>GOBI_KEY</td>" in vendor and f"<td>{key_label(READ_WRITE)}</td>" in vendor
    own = re.search(r'<table id="librarian".*?</table>', page, re.S).group(0)
    assert "The librarian&#39;s own actions" in page
    assert f"PO line {number} approved" in own and f"PO line {number}: item {item} received" in own
    assert "<td>librarian</td>" in own and "created" not in own
    assert page.index('<table id="librarian"') > page.index(f"PO line {number} created")  # the last group
    for secret in (READ_WRITE, GOBI_KEY):
        assert secret not in page


def test_a_po_line_s_history_shows_what_the_daily_jobs_did(running, alma, session):
    number = subscription(alma)
    alma.advance_clock(days=16)  # 2026-09-17: the claiming job claimed it at 02:00 (expected 09-11, 5 days' grace)
    receive_all(alma, number)
    alma.advance_clock(days=45)  # 2026-11-01: its reminder day; the renewal job made it wait for manual renewal
    assert alma.get_po_line(number)["status"]["value"] == "WAITING_FOR_MANUAL_RENEWAL"
    http = session()
    history = re.search(r'<table id="history">.*?</table>', http.get(f"{UI}/po-lines/{number}").text, re.S).group(0)
    assert f"PO line {number}: claimed; claim sent to the vendor by EDI (claiming job)" in history
    assert f"PO line {number}: waiting for manual renewal (renewal job)" in history
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", history)
    assert ("2026-11-01 02:00:00", f"PO line {number}: waiting for manual renewal (renewal job)") in rows
    assert [text for _, text in rows].index(f"PO line {number}: waiting for manual renewal (renewal job)") > \
        [text for _, text in rows].index(f"PO line {number}: claimed; claim sent to the vendor by EDI (claiming job)")
    other = subscription(alma)
    assert "(renewal job)" not in http.get(f"{UI}/po-lines/{other}").text  # another line's history has none
    assert "(renewal job)" not in http.get(f"{UI}/activity").text  # jobs are not a vendor's activity
