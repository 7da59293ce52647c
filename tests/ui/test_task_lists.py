"""The after-ordering task lists in the librarian's view, over HTTP without a browser: Renewals (PO Lines to Renew,
and the lines Waiting for Renewal), Claims and Letters, and a PO line's renewal terms and claims."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from alma_requests import po_line

from tests.ui.conftest import receive_all, subscription, waiting_for_manual_renewal

UI = "/almasim/ui"


def table(page: str, table_id: str) -> str:
    """The HTML of the table with this id ("" when the page has none)."""
    found = re.search(rf'<table id="{table_id}">.*?</table>', page, re.S)
    return found.group(0) if found else ""


def said(answer) -> dict[str, str]:
    assert answer.status_code == 303, answer.text[:300]
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()
            if k in ("done", "refused")}


def test_the_navigation_bar_leads_to_the_three_pages(running, session):
    http = session()
    page = http.get(f"{UI}/review").text
    for href, label in (("renewals", "Renewals"), ("claims", "Claims"), ("letters", "Letters")):
        assert f'<a href="{UI}/{href}">{label}</a>' in page
        shown = http.get(f"{UI}/{href}")
        assert shown.status_code == 200 and f'<a href="{UI}/{href}" aria-current="page">{label}</a>' in shown.text
    assert "No PO lines are waiting for manual renewal." in http.get(f"{UI}/renewals").text
    assert "No PO lines are in claim." in http.get(f"{UI}/claims").text
    assert "No letters sent yet." in http.get(f"{UI}/letters").text


def test_the_pages_need_a_signed_in_librarian(running):
    import httpx
    with httpx.Client(base_url=running.url, timeout=30) as stranger:
        for href in ("renewals", "claims", "letters"):
            answer = stranger.get(f"{UI}/{href}")
            assert answer.status_code == 303 and answer.headers["location"] == f"{UI}/sign-in"


def test_a_subscription_at_its_reminder_day_is_in_po_lines_to_renew_with_its_terms(running, alma, session):
    [number] = waiting_for_manual_renewal(alma)
    automatic = subscription(alma, manual_renewal=False, renewal_date="2027-03-01", renewal_cycle={"value": "2"})
    receive_all(alma, automatic)
    page = session().get(f"{UI}/renewals").text
    to_renew = table(page, "renewals")
    row = re.search(rf'<tr data-po-line="{number}">.*?</tr>', to_renew, re.S).group(0)
    for words in ("2026-12-01", "Annual", "30 days before the renewal date", "due 2026-11-01",
                  '2026-09-01</span> to <span class="day">2027-08-31', f'aria-label="Renew {number}"',
                  'name="renewal_date"'):
        assert words in row, words
    assert automatic not in to_renew
    waiting = table(page, "waiting-for-renewal")
    row = re.search(rf'<tr data-po-line="{automatic}">.*?</tr>', waiting, re.S).group(0)
    assert "2027-03-01" in row and "2027-01-30" in row and "Semi-Annual" in row and "automatic" in row
    assert "Today in the simulated Alma: 2026-11-01" in page


def test_renewing_moves_the_renewal_date_one_cycle_on_or_to_the_date_given(running, alma, session):
    by_cycle, by_date = waiting_for_manual_renewal(
        alma, 2, interested_user=[{"primary_id": "lena.park", "notify_renewal": True}])
    http = session()
    done = said(http.post(f"{UI}/po-lines/{by_cycle}/renew", data={"back": f"{UI}/renewals", "renewal_date": ""}))
    assert done == {"done": f"PO line {by_cycle} renewed: it renews next on 2027-12-01, now Waiting for Renewal"}
    refused = said(http.post(f"{UI}/po-lines/{by_date}/renew", data={"renewal_date": "2026-10-01"}))
    assert "not after the current renewal date" in refused["refused"], refused
    assert alma.get_po_line(by_date)["status"]["value"] == "WAITING_FOR_MANUAL_RENEWAL"
    assert "done" in said(http.post(f"{UI}/po-lines/{by_date}/renew", data={"renewal_date": "2027-06-01"}))
    assert [alma.get_po_line(n)["renewal_date"] for n in (by_cycle, by_date)] == ["2027-12-01Z", "2027-06-01Z"]
    assert {alma.get_po_line(n)["status"]["value"] for n in (by_cycle, by_date)} == {"RECURRING_RENEWAL"}
    page = http.get(f"{UI}/renewals").text
    assert "No PO lines are waiting for manual renewal." in page
    waiting = table(page, "waiting-for-renewal")
    assert waiting.index(by_date) < waiting.index(by_cycle)  # the next due first: 2027-05-02 before 2027-11-01
    letters = table(http.get(f"{UI}/letters").text, "letters")
    assert letters.count("the subscription was renewed") == 2 and "Lena Park" in letters


def test_the_po_line_page_shows_renewal_terms_and_offers_renew_while_waiting(running, alma, session):
    [number] = waiting_for_manual_renewal(alma)
    http = session()
    page = http.get(f"{UI}/po-lines/{number}").text
    terms = re.search(r'<div class="card" id="renewal">.*?</div>', page, re.S).group(0)
    for words in ("Renewal date", "2026-12-01", "Renewal cycle", "Annual", "30 days before the renewal date",
                  "Manual renewal", "Subscription from", "2026-09-01", "Subscription to", "2027-08-31"):
        assert words in terms, words
    assert f'action="{UI}/po-lines/{number}/renew"' in page and "Waiting for Manual Renewal" in page
    assert "/renew" not in table(page, "history")
    assert "done" in said(http.post(f"{UI}/po-lines/{number}/renew"))
    page = http.get(f"{UI}/po-lines/{number}").text
    assert f'action="{UI}/po-lines/{number}/renew"' not in page  # Waiting for Renewal: nothing to renew by hand
    assert '<dd id="renewal-date">2027-12-01</dd>' in page
    assert f"PO line {number} renewed by hand" in table(page, "history")  # the call, from the journal
    one_time = alma.create_po_line(po_line())["number"]
    assert 'id="renewal"' not in http.get(f"{UI}/po-lines/{one_time}").text


def test_late_orders_are_in_the_claims_list_with_how_the_vendor_was_told(running, alma, session):
    by_edi = subscription(alma)  # GOBI's EDI account takes claims
    by_letter = alma.create_po_line(po_line(
        vendor={"value": "HARRASSOWITZ"}, vendor_account="HAR-HVU", expected_receipt_interval="10",
        claiming_interval=5, resource_metadata={"title": "A Late Festschrift", "isbn": "9780199535569"}))["number"]
    alma.advance_clock(days=16)  # 2026-09-17: 2026-09-11 + 5 days' grace has passed
    http = session()
    claims = table(http.get(f"{UI}/claims").text, "claims")
    edi = re.search(rf'<tr data-po-line="{by_edi}">.*?</tr>', claims, re.S).group(0)
    assert "Expected receipt date: 2026-09-11" in edi and "5 days" in edi
    assert "Claimed 2026-09-17: not received by 2026-09-11." in edi
    assert "Sent to the vendor by EDI (an OSTENQ message)" in edi and "<details>" not in edi
    mailed = re.search(rf'<tr data-po-line="{by_letter}">.*?</tr>', claims, re.S).group(0)
    assert "Sent to the vendor by e-mail (a claim letter)" in mailed
    assert f"Subject: Claim for PO line {by_letter}" in mailed and "A Late Festschrift" in mailed
    line_page = http.get(f"{UI}/po-lines/{by_letter}").text
    assert "2026-09-17" in table(line_page, "line-claims") and "claim letter" in table(line_page, "line-claims")
    receive_all(alma, by_edi)
    claims = table(http.get(f"{UI}/claims").text, "claims")
    assert by_edi not in claims and by_letter in claims
    assert "2026-09-17" in table(http.get(f"{UI}/po-lines/{by_edi}").text, "line-claims")  # its claim is kept


def test_the_letters_page_lists_the_letters_sent_newest_first(running, alma, session):
    received = alma.create_po_line(po_line(interested_user=[
        {"primary_id": "ada.reyes", "notify_receiving_activation": True}]))["number"]
    cancelled = alma.create_po_line(po_line(interested_user=[
        {"primary_id": "omar.haddad", "notify_cancel": True}]))["number"]
    receive_all(alma, received)
    alma.advance_clock(days=1)
    alma.cancel_po_line(cancelled, "ORDERED_IN_ERROR")
    letters = table(session().get(f"{UI}/letters").text, "letters")
    rows = re.findall(r'<tr data-po-line="([^"]+)">(.*?)</tr>', letters, re.S)
    assert [number for number, _ in rows] == [cancelled, received]  # newest first
    newest, oldest = (text for _, text in rows)
    assert "2026-09-02" in newest and "PO Line Cancellation Letter" in newest
    assert "the PO line was cancelled" in newest and f'<a href="{UI}/po-lines/{cancelled}">{cancelled}</a>' in newest
    assert "Ada Reyes" in oldest and "ada.reyes" in oldest and "Interested In Letter" in oldest
    assert "the item was received" in oldest and "2026-09-01" in oldest
