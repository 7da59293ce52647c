"""Fixtures for the librarian's view: a fresh simulator on 127.0.0.1 per test (always stopped), orders placed
through a vendor's cart over HTTP, and a signed-in HTTP session on the pages."""

from __future__ import annotations

import httpx
import pytest

from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService
from simulator.backends import AlmaClient, make_backend
from simulator.vendors import VENDORS, VendorStock, open_cart

READ_WRITE = "l8xx-hvu-0000-read-write"
READ_ONLY = "l8xx-hvu-0000-read-only"
RIVERS_OF_EMPIRE = "9781503642225"  # held in print at Hudson Valley


@pytest.fixture
def running():
    server = ThreadedServer(AlmaService()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def alma(running):
    client = make_backend("http", base_url=running.base_url, api_key=READ_WRITE)
    try:
        yield client
    finally:
        client.backend.close()


@pytest.fixture
def session(running):
    """`session(key)`: an HTTP session signed in to the librarian's view, its posts from the view's own origin."""
    opened: list[httpx.Client] = []

    def sign_in(key: str = READ_WRITE) -> httpx.Client:
        http = httpx.Client(base_url=running.url, timeout=30, headers={"Origin": running.url})
        opened.append(http)
        answer = http.get("/almasim/ui/sign-in", params={"key": key})
        assert answer.status_code in (303, 403), answer.text
        return http
    try:
        yield sign_in
    finally:
        for http in opened:
            http.close()


def order(alma: AlmaClient, *, vendor: str = "gobi", fmt: str = "print", review: bool = True, title: str = "",
          funds: str = "HIST-MONO", quantity: int = 1) -> str:
    """One cart through checkout; returns Alma's PO line number."""
    stock = VendorStock.build(VENDORS[vendor])
    chosen = stock.title(title) if title else next(t for t in stock.bulk if fmt == "print" or t.platforms)
    cart = open_cart(vendor, alma)
    cart.add(chosen, fmt, owning_library="MAIN", funds=funds, manual_review=review,
             **({"location": "STACKS", "quantity": quantity} if fmt == "print" else {}))
    line = cart.checkout().lines[0]
    assert line.result is not None and line.po_line_number, line.result
    return line.po_line_number



# -- a real browser: Playwright driving Debian's Chromium --------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"  # Debian's; ALMASIM_CHROMIUM names another (a missing one shows the skip/fail path)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Chromium under Playwright. Without one the browser tests skip with one line, and fail under CI."""
    import os
    import shutil
    chromium = os.environ.get("ALMASIM_CHROMIUM") or (CHROMIUM if os.path.exists(CHROMIUM) else
                                                       shutil.which("chromium") or CHROMIUM)
    missing = ""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "the playwright package is not installed (pip install -e '.[test]')"
    if not missing and not os.path.exists(chromium):
        missing = f"no Chromium at {chromium} (apt-get install -y chromium)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need a browser under CI: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser page; every console error and page error is collected in `page.problems`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.problems = problems  # type: ignore[attr-defined]
    try:
        yield opened
    finally:
        context.close()


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """With ALMASIM_SCREENSHOTS=DIR set, keep a PNG of the page as DIR/NAME.png (how docs/*.png are made)."""
    import os
    from pathlib import Path
    folder = os.environ.get("ALMASIM_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


# -- continuous orders: subscriptions that renew and claims --------------------------------------------------------
def subscription(alma: AlmaClient, **changes) -> str:
    """A print journal subscription from GOBI, renewed by hand each year on 1 December with a 30-day reminder
    (so due on 1 November); expected 10 days after ordering with 5 days' grace. Returns its PO line number."""
    from alma_requests import new_isbn, po_line
    body = po_line(type={"value": "PRINTED_JOURNAL_CO"},
                   resource_metadata={"title": "Hudson Valley Historical Review", "isbn": new_isbn()},
                   renewal_date="2026-12-01", renewal_period=30,
                   renewal_cycle={"value": "1"}, manual_renewal=True, subscription_from_date="2026-09-01Z",
                   subscription_to_date="2027-08-31Z", expected_receipt_interval="10", claiming_interval=5)
    body.update(changes)
    line = alma.create_po_line(body)
    assert line["status"]["value"] == "SENT", line["status"]
    return str(line["number"])


def receive_all(alma: AlmaClient, number: str) -> None:
    for pid in alma.po_line_item_pids(number):
        alma.receive_item(number, pid)


def waiting_for_manual_renewal(alma: AlmaClient, count: int = 1, **changes) -> list[str]:
    """`count` subscriptions received and then, the clock moved on to their reminder day (2026-11-01), Waiting for
    Manual Renewal: the renewal job put them in the renewals task list."""
    numbers = [subscription(alma, **changes) for _ in range(count)]
    for number in numbers:
        receive_all(alma, number)
        assert alma.get_po_line(number)["status"]["value"] == "RECURRING_RENEWAL"
    alma.advance_clock(days=61)  # 2026-09-01 09:00 → 2026-11-01 09:00; the renewal job ran at 02:00
    for number in numbers:
        assert alma.get_po_line(number)["status"]["value"] == "WAITING_FOR_MANUAL_RENEWAL"
    return numbers
