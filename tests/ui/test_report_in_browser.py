"""The living-documentation report in a real browser: it loads with no console error and no request, a scenario
leads to the passage of its source, the evidence opens, and the keyboard reaches every link and control.
ALMASIM_SCREENSHOTS=docs writes docs/report-*.png."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator.testing.report import read_run, render
from tests.ui.conftest import screenshot

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "living_doc" / "features" / "sample_steps.py"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    cucumber, evidence = folder / "cucumber.json", folder / "evidence.json"
    subprocess.run([sys.executable, "-m", "pytest", str(SAMPLE), "-q", "-p", "no:cacheprovider",
                    "-p", "simulator.testing.evidence_plugin", f"--cucumberjson={cucumber}",
                    f"--almasim-evidence={evidence}"], cwd=ROOT, capture_output=True, text=True, check=False)
    page = folder / "report.html"
    page.write_text(render(read_run(cucumber, evidence)), encoding="utf-8")
    return page


def test_a_scenario_leads_to_the_passage_of_its_source(report, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    screenshot(page, "report-front", full_page=False)
    scenario = page.locator("details.scenario", has_text="GOBI orders on an inactive fund")
    scenario.locator(".scenario-sources a").first.click()
    anchor = page.evaluate("location.hash")
    assert anchor.startswith("#src-")
    passage = page.locator(anchor)
    assert passage.is_visible() and "Do not create order in case of" in passage.inner_text()
    assert passage.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    passage.get_by_role("link", name="Fund checks on a real-time order").click()
    assert page.evaluate("location.hash") == scenario.evaluate("e => '#' + e.closest('section.feature').id")
    assert [url for url in requests if not url.startswith("file:")] == []
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_evidence_opens_and_shows_the_po_line_and_its_fund(report, page):
    page.goto(report.as_uri())
    page.get_by_role("button", name="Open all evidence").click()
    card = page.locator("article.card", has_text="Notes on Counterpoint").first
    assert card.is_visible()
    text = card.inner_text()
    assert "In Review" in text and "MUSIC-MONO: nothing encumbered yet" in text
    developers = page.locator("details.devs").first
    assert not developers.evaluate("e => e.open")  # raw calls stay folded for the librarian
    page.get_by_role("radio", name="✗ failed").check()
    visible = page.locator("details.scenario:not(.hidden)")
    assert visible.count() == 1 and "OASIS orders more than" in visible.inner_text()
    screenshot(page, "report-failed-only", full_page=False)
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_keyboard_reaches_the_front_page_links(report, page):
    page.goto(report.as_uri())
    wanted = page.eval_on_selector_all("#behaviours a[href]", "els => els.map(e => e.outerHTML)")
    reached: set[str] = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.outerHTML"))
        if set(wanted) <= reached:
            break
    assert wanted and set(wanted) <= reached
