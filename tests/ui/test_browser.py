"""The librarian's view in a real browser (Playwright driving Chromium): a vendor's cart places an order, the
librarian opens the In Review list, approves the line by clicking and sees its status change and the fund move;
no console errors; the keyboard alone reaches every action. ALMASIM_SCREENSHOTS=docs writes docs/ui-*.png."""

from __future__ import annotations

import re

from tests.ui.conftest import READ_WRITE, order, screenshot

UI = "/almasim/ui"


def sign_in(page, running) -> None:
    page.goto(f"{running.url}{UI}/sign-in")
    page.get_by_label("API key").fill(READ_WRITE)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/review$"))


def test_a_librarian_clears_in_review_by_clicking(running, alma, page):
    number = order(alma, review=True)
    order(alma, vendor="oasis", review=True)
    sign_in(page, running)
    row = page.locator(f'tr[data-po-line="{number}"]')
    assert "The vendor asked for this PO line to be reviewed" in row.inner_text()
    screenshot(page, "ui-in-review")
    page.goto(f"{running.url}{UI}/funds")
    before = page.locator('tr[data-fund="HIST-MONO"] td.encumbered').inner_text()
    page.goto(f"{running.url}{UI}/review")
    page.get_by_role("button", name=f"Approve {number}").click()
    page.wait_for_url(re.compile(r".*/review\?done="))
    assert f"PO line {number} approved" in page.get_by_role("status").inner_text()
    assert page.locator(f'tr[data-po-line="{number}"]').count() == 0
    page.get_by_role("link", name="PO lines").click()
    page.get_by_role("link", name=number).click()
    status = page.locator("#status").inner_text()
    assert status not in ("In Review", "") and alma.get_po_line(number)["status"]["value"] != "INREVIEW"
    assert re.match(r"PO-\d+", page.locator("#po-number").inner_text())
    screenshot(page, "ui-po-line")
    page.get_by_role("link", name="Funds", exact=True).click()
    assert page.locator('tr[data-fund="HIST-MONO"] td.encumbered').inner_text() != before
    screenshot(page, "ui-funds")
    page.get_by_role("link", name="Vendor activity").click()
    assert f"PO line {number} created" in page.locator("main").inner_text()
    screenshot(page, "ui-vendor-activity")
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_keyboard_reaches_every_action(running, alma, page):
    number = order(alma, review=False)
    order(alma, review=True)
    sign_in(page, running)
    for path in ("/review", f"/po-lines/{number}", "/funds", "/renewals", "/claims", "/letters"):
        page.goto(f"{running.url}{UI}{path}")
        wanted = page.eval_on_selector_all(
            "main button, main a[href], main select, main input:not([type=hidden]), header a[href], header button",
            "els => els.map(e => e.outerHTML)")
        reached: set[str] = set()
        for _ in range(len(wanted) + 5):
            page.keyboard.press("Tab")
            reached.add(page.evaluate("document.activeElement.outerHTML"))
        assert set(wanted) <= reached, set(wanted) - reached
    assert page.problems == []  # type: ignore[attr-defined]


def test_cancelling_with_a_reason_from_the_po_line_page(running, alma, page):
    number = order(alma, review=False)
    sign_in(page, running)
    page.goto(f"{running.url}{UI}/po-lines/{number}")
    page.get_by_label("Cancellation reason").select_option("VENDOR_CANNOT_SUPPLY")
    page.get_by_label("Note").fill("out of print")
    page.get_by_role("button", name="Cancel the PO line").click()
    page.wait_for_url(re.compile(r".*\?done="))
    assert page.locator("#status").inner_text() == "Cancelled"
    assert "Vendor cannot supply" in page.locator("main").inner_text()
    assert page.problems == []  # type: ignore[attr-defined]


def test_renewing_a_subscription_from_the_renewals_page(running, alma, page):
    from tests.ui.conftest import waiting_for_manual_renewal
    by_cycle, by_date = waiting_for_manual_renewal(alma, 2)
    sign_in(page, running)
    page.get_by_role("link", name="Renewals").click()
    page.wait_for_url(re.compile(r".*/renewals$"))
    assert page.locator(f'#renewals tr[data-po-line="{by_cycle}"]').count() == 1
    screenshot(page, "ui-renewals")
    page.get_by_role("button", name=f"Renew {by_cycle}").click()  # no date: one renewal cycle on
    page.wait_for_url(re.compile(r".*/renewals\?done="))
    assert f"PO line {by_cycle} renewed: it renews next on 2027-12-01" in page.get_by_role("status").inner_text()
    assert page.locator(f'#renewals tr[data-po-line="{by_cycle}"]').count() == 0
    assert "2027-12-01" in page.locator(f'#waiting-for-renewal tr[data-po-line="{by_cycle}"]').inner_text()
    page.get_by_label(f"New renewal date for {by_date}").fill("2027-06-01")
    page.get_by_role("button", name=f"Renew {by_date}").click()
    page.wait_for_url(re.compile(r".*/renewals\?done="))
    assert "No PO lines are waiting for manual renewal." in page.locator("main").inner_text()
    assert alma.get_po_line(by_date)["renewal_date"] == "2027-06-01Z"
    page.get_by_role("link", name=by_date).click()
    assert page.locator("#status").inner_text() == "Waiting for Renewal"
    assert page.locator("#renewal-date").inner_text() == "2027-06-01"
    assert page.problems == []  # type: ignore[attr-defined]
