"""The librarian's view over HTTP, without a browser: what each page says, what each action does to the world,
and who may do it (a read-only key, another institution's data, a post from another site)."""

from __future__ import annotations

import re

import pytest

from tests.ui.conftest import READ_ONLY, order

UI = "/almasim/ui"


def fund_encumbered(http, code: str) -> str:
    page = http.get(f"{UI}/funds/{code}").text
    return re.search(r'id="encumbered">([^<]+)<', page).group(1)


def test_the_in_review_list_shows_each_alert_and_what_clears_it(running, alma, session):
    number = order(alma, review=True)
    http = session()
    page = http.get(f"{UI}/review").text
    assert f'data-po-line="{number}"' in page
    assert "The vendor asked for this PO line to be reviewed" in page
    assert "To clear it: Look the line over; approving clears it." in page
    assert f'aria-label="Approve {number}"' in page


def test_approving_from_in_review_sends_the_line_and_encumbers_the_fund(running, alma, session):
    number = order(alma, review=True)
    http = session()
    before = fund_encumbered(http, "HIST-MONO")
    answer = http.post(f"{UI}/po-lines/{number}/approve", data={"back": f"{UI}/review"})
    assert answer.status_code == 303 and "done=" in answer.headers["location"]
    assert alma.get_po_line(number)["status"]["value"] != "INREVIEW"
    assert f'data-po-line="{number}"' not in http.get(f"{UI}/review").text
    assert fund_encumbered(http, "HIST-MONO") != before
    line_page = http.get(f"{UI}/po-lines/{number}").text
    assert f"PO line {number} approved" in line_page  # the status history: the action, from the journal


def test_a_po_line_page_reads_like_alma(running, alma, session):
    number = order(alma, review=False)
    line = alma.get_po_line(number)
    page = session().get(f"{UI}/po-lines/{number}").text
    assert line["vendor_reference_number"] in page and line["po_number"] and line["po_number"] in page
    assert "Expected receipt date" in page and "Vendor reference number" in page
    assert line["resource_metadata"]["title"] in page and "ISBN" in page and "Publisher" in page
    assert "HIST-MONO" in page and "Encumbered by this line" in page
    assert 'id="no-invoices"' in page and "No invoices yet." in page
    items = line["location"][0]["copy"]
    assert items and all(copy["barcode"] in page for copy in items)  # the items, by barcode, not yet received
    assert "not yet" in page


def test_cancelling_needs_a_reason_and_releases_the_encumbrance(running, alma, session):
    number = order(alma, review=False)
    http = session()
    held = fund_encumbered(http, "HIST-MONO")
    refused = http.post(f"{UI}/po-lines/{number}/cancel", data={"reason": "NOT_A_REASON"})
    assert "refused=" in refused.headers["location"]
    assert alma.get_po_line(number)["status"]["value"] != "CANCELLED"
    done = http.post(f"{UI}/po-lines/{number}/cancel", data={"reason": "ORDERED_IN_ERROR", "comment": "twice"})
    assert "done=" in done.headers["location"]
    assert alma.get_po_line(number)["status"]["value"] == "CANCELLED"
    assert fund_encumbered(http, "HIST-MONO") != held
    assert "Cancelled: Ordered in error" in http.get(f"{UI}/po-lines/{number}").text


def test_receiving_every_item_makes_the_line_wait_for_its_invoice(running, alma, session):
    number = order(alma, review=False)
    http = session()
    page = http.get(f"{UI}/po-lines/{number}").text
    item = re.search(r'name="item" value="([^"]+)"', page).group(1)
    answer = http.post(f"{UI}/po-lines/{number}/receive", data={"item": item})
    assert "done=" in answer.headers["location"]
    assert alma.get_po_line(number)["status"]["value"] == "WAITING_FOR_INVOICE"


def test_activating_an_ordered_portfolio_and_the_title_s_portfolio_map(running, alma, session):
    number = order(alma, vendor="generic", fmt="ebook", review=False, funds="EBOOKS-GEN")
    http = session()
    page = http.get(f"{UI}/po-lines/{number}").text
    assert "local: created in the institution" in page
    portfolio = re.search(r'name="portfolio" value="([^"]+)"', page).group(1)
    answer = http.post(f"{UI}/po-lines/{number}/activate", data={"portfolio": portfolio})
    assert "done=" in answer.headers["location"], answer.headers["location"]
    assert alma.get_po_line(number)["status"]["value"] == "WAITING_FOR_INVOICE"
    mms_id = alma.get_po_line(number)["resource_metadata"]["mms_id"]["value"]
    mapped = http.get(f"{UI}/titles/{mms_id}/portfolios").text
    assert portfolio in mapped and "available" in mapped


def test_a_read_only_key_sees_no_buttons_and_cannot_act(running, alma, session):
    number = order(alma, review=True)
    http = session(READ_ONLY)
    page = http.get(f"{UI}/review").text
    assert f'data-po-line="{number}"' in page and "This key is read-only" in page
    assert "Approve" not in page
    answer = http.post(f"{UI}/po-lines/{number}/approve")
    assert answer.status_code == 403
    assert alma.get_po_line(number)["status"]["value"] == "INREVIEW"


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null"])
def test_a_post_from_another_site_is_refused_and_changes_nothing(running, alma, session, origin):
    number = order(alma, review=True)
    http = session()
    headers = {"Origin": origin} if origin else {}
    if origin is None:
        http.headers.pop("Origin")
    answer = http.post(f"{UI}/po-lines/{number}/approve", headers=headers)
    assert answer.status_code == 403
    assert alma.get_po_line(number)["status"]["value"] == "INREVIEW"


def test_another_institution_s_po_line_is_out_of_reach(running, alma, session):
    number = order(alma, review=True)
    other = running.service.world.institutions["01TRLC_LSC"] if "01TRLC_LSC" in running.service.world.institutions \
        else next(i for c, i in running.service.world.institutions.items() if c != "01TRLC_HVU")
    key = next(k.key for k in running.service.world.api_keys.values() if k.institution == other.code and k.write)
    http = session(key)
    assert http.get(f"{UI}/po-lines/{number}").status_code == 404
    answer = http.post(f"{UI}/po-lines/{number}/approve")
    assert answer.status_code == 303 and "refused=" in answer.headers["location"]
    assert alma.get_po_line(number)["status"]["value"] == "INREVIEW"


def test_an_unknown_key_is_not_signed_in(running, session):
    http = session()
    assert http.get(f"{UI}/sign-in", params={"key": "nobody"}).status_code == 403
    with type(http)(base_url=running.url) as fresh:
        assert fresh.get(f"{UI}/review").status_code == 303


def test_vendor_activity_speaks_library_words(running, alma, session):
    number = order(alma, review=True)
    page = session().get(f"{UI}/activity").text
    assert "GOBI" in page and f"PO line {number} created" in page


def test_the_funds_page_is_a_ledger_tree_with_a_picture(running, session):
    page = session().get(f"{UI}/funds").text
    assert "Ledger total" in page and 'data-fund="HIST-MONO"' in page and "<svg" in page
    assert "http://" not in page.replace(running.url, "") and "https://" not in page  # nothing external


def test_almasim_ui_serves_a_fresh_world_and_prints_the_page_url():
    import signal
    import subprocess
    import sys

    import httpx

    command = [sys.executable, "-m", "simulator.cli", "ui", "--port", "0", "--no-browser"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        process.stdout.readline()
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/almasim/ui/sign-in\?key=l8xx-hvu-0000-read-write", url), url
        with httpx.Client(timeout=30, follow_redirects=True) as http:
            page = http.get(url)
        assert page.status_code == 200 and "No PO lines are waiting in review." in page.text
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "almasim ui: stopped" in out, err


def test_the_po_line_page_shows_its_interested_users_their_letters_and_holds(running, alma, session):
    number = order(alma, review=False)
    line = alma.get_po_line(number)
    alma.update_po_line(number, {**line, "interested_user": [
        {"primary_id": "ada.reyes", "notify_receiving_activation": True, "hold_item": True}]})
    http = session()
    page = http.get(f"{UI}/po-lines/{number}").text
    assert "Interested users" in page and "Ada Reyes" in page and "none yet" in page
    item = re.search(r'name="item" value="([^"]+)"', page).group(1)
    http.post(f"{UI}/po-lines/{number}/receive", data={"item": item})
    page = http.get(f"{UI}/po-lines/{number}").text
    assert "Interested In Letter" in page and f"item {item}, place 1 in the queue" in page
