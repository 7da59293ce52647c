"""The living documentation: the evidence a RecordingBackend keeps, the evidence plugin, and `almasim report`.

The sample features in tests/fixtures/living_doc are run for real (in a subprocess, once) over the in-process
backend; one of their expectations is deliberately wrong and two scenarios are skipped, so the page has all
three results to show.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.backends import AlmaClient, InProcessBackend
from simulator.cli import main
from simulator.errors import AlmaError
from simulator.testing.evidence import RecordingBackend, collecting
from simulator.testing.report import build_run, read_run, render, step_text

SAMPLE = Path(__file__).parent / "fixtures" / "living_doc" / "features" / "sample_steps.py"
ROOT = Path(__file__).resolve().parents[1]

SCENARIOS = {  # scenario name → its results in the sample run
    "A vendor places a print order for a title the library does not hold": {"passed"},
    "A vendor's order without an owning library is refused": {"passed"},
    "The order is checked against a real Alma sandbox": {"skipped"},
    "GOBI orders on an inactive fund": {"passed"},
    "GOBI orders more than the Art History fund has left": {"passed"},
    "OASIS orders more than the Art History fund has left": {"failed"},
    "A generic vendor orders on last year's fund": {"skipped"},
}


def run_sample(folder: Path, *extra: str) -> tuple[Path, Path]:
    cucumber, evidence = folder / "cucumber.json", folder / "evidence.json"
    subprocess.run([sys.executable, "-m", "pytest", str(SAMPLE), "-q", "-p", "no:cacheprovider",
                    "-p", "simulator.testing.evidence_plugin", f"--cucumberjson={cucumber}",
                    f"--almasim-evidence={evidence}", *extra], cwd=ROOT, capture_output=True, text=True, check=False)
    return cucumber, evidence


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, Path]:
    return run_sample(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def page(sample) -> str:
    return render(read_run(*sample, {"seed": "20260901"}))


class _Resources(HTMLParser):
    """Every URL the page would load or link to: attributes, and url(…)/@import in its inline CSS."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster", "data") and value and not value.startswith("#") \
                    and value != "data:,":  # the empty icon that stops a browser asking for /favicon.ico
                self.found.append(f"{tag} {name}={value}")
            if name == "style" and value and "url(" in value:
                self.found.append(f"{tag} style={value}")

    def handle_data(self, data):
        if self.in_style and ("url(" in data or "@import" in data):
            self.found.append("css: " + data[:80])

    def handle_endtag(self, tag):
        self.in_style = False


def external_references(html: str) -> list[str]:
    parser = _Resources()
    parser.feed(html)
    return parser.found


def test_the_page_shows_every_feature_and_scenario_with_its_result(page, sample):
    run = read_run(*sample)
    assert {f.name for f in run.features} == {"Real-time ordering from a vendor's cart",
                                              "Fund checks on a real-time order"}
    assert {s.name: set() for s in run.scenarios}.keys() == SCENARIOS.keys()
    for name, results in SCENARIOS.items():
        assert {s.status for s in run.scenarios if s.name == name} == results, name
    for name in SCENARIOS:
        assert name.replace("'", "&#39;") in page
    assert page.count('data-status="passed"') == 6
    assert page.count('data-status="failed"') == 1
    assert page.count('data-status="skipped"') == 2
    assert "needs a real Alma sandbox" in page  # the skip keeps its reason
    assert "AssertionError: assert &#39;In Review&#39; == &#39;Sent&#39;" in page  # the failure, readable
    assert "So that" in page and "Source" in page and "seed 002" in page  # the feature's description
    assert "An order without a mandatory field is refused and leaves no trace" in page  # a Rule
    assert "20260901" in page  # the seed


def test_the_coverage_matrix_counts_workflows_by_vendor(sample):
    run = read_run(*sample)
    html = render(run)
    matrix = html[html.index('<table class="coverage">'):html.index("</table>", html.index('class="coverage"'))]
    for vendor in ("GOBI", "OASIS", "Generic vendor"):
        assert f"<th scope=col>{vendor}</th>" in matrix
    rows = re.findall(r"<tr><th scope=row>.*?</tr>", matrix)
    fund_row = next(r for r in rows if "Fund checks on a real-time order" in r)
    cells = re.findall(r'<td class="cell[^"]*">(.*?)</td>', fund_row)
    assert [re.sub(r"<[^>]+>", "", c) for c in cells] == ["✓ 2 passed", "✗ 1 failed", "⊘ 1 skipped"]
    ordering_row = next(r for r in rows if "Real-time ordering" in r)
    assert "✓ 1 passed⊘ 1 skipped" in re.sub(r"<[^>]+>", "", ordering_row)  # generic: one of each


def test_the_evidence_shows_what_was_sent_what_alma_answered_and_the_po_line(page):
    assert "Vendor GOBI sent a PO line for &#39;Notes on Counterpoint&#39; on MUSIC-MONO → Alma created " \
           "POL-10002, In Review" in page
    assert "Alma refused it: Mandatory field is missing: owner (error 401664)" in page  # words first, number after
    card = page[page.index('<article class="card pol-in-review">'):]
    card = card[:card.index("</article>")]
    for shown in ("POL-10002", "In Review", "Notes on Counterpoint", "GOBI — GOBI Library Solutions from EBSCO",
                  "MUSIC-MONO (Music Monographs)", "Hudson Valley University Main Library", "Fund MUSIC-MONO is inactive"):
        assert shown in card, shown
    assert "MUSIC-MONO: nothing encumbered yet" in card  # the effect on the fund, in words
    devs = page[page.index('<details class="devs">'):]
    assert "/almaws/v1/acq/po-lines" in devs[:devs.index("</details>")]  # raw calls only under "for developers"


def test_the_page_is_offline_and_escapes_every_text():
    cucumber = [{
        "keyword": "Feature", "uri": "features/ordering/x.feature", "name": "Orders <script>alert(1)</script>",
        "description": "As a selector\nSource: <a href=\"https://example.org\">a link</a>",
        "tags": [], "elements": [{
            "keyword": "Scenario", "id": "test_x", "name": "A title with <script>", "line": 3, "description": "",
            "tags": [{"name": "gobi", "line": 2}], "type": "scenario",
            "steps": [{"keyword": "When", "name": 'GOBI orders "<script>alert(2)</script>"', "line": 4,
                       "match": {"location": ""}, "result": {"status": "passed", "duration": 1}}]}]}]
    evidence = {"items": [{
        "nodeid": "x::test_x", "name": "test_x", "feature_file": "features/ordering/x.feature",
        "feature": {"name": "Orders <script>alert(1)</script>", "description": "", "tags": []},
        "scenario": {"name": "A title with <script>", "line": 3, "tags": ["gobi"]}, "outcome": "passed",
        "exchanges": [{"method": "POST", "path": "/almaws/v1/acq/po-lines", "query": {},
                       "request": {"resource_metadata": {"title": "<img src=https://evil.example/x.png>"}},
                       "answer": {"link": "https://api-na.hosted.exlibrisgroup.com/x"},
                       "summary": "Vendor GOBI sent <b>", "po_line": {"number": "POL-1", "title": "<i>t</i>"}}]}]}
    html = render(build_run(cucumber, evidence))
    assert "<script>alert" not in html and "<img src=https" not in html and "<b>" not in html
    assert "Orders &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A title with &lt;script&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert external_references(html) == []
    assert "&lt;i&gt;t&lt;/i&gt;" in html  # the PO line card, escaped too


def test_the_sample_page_makes_no_external_request(page):
    assert external_references(page) == []
    assert "Content-Security-Policy" in page and "default-src &#39;none&#39;" not in page
    assert "default-src 'none'" in page


def test_parameters_are_highlighted_in_step_text():
    html = step_text('the vendor orders "Rivers of Empire" for 52.00 USD through GOBI', {"vendor": "GOBI"})
    assert '<span class="param">Rivers of Empire</span>' in html
    assert '<span class="param">52.00</span>' in html
    assert '<span class="param">GOBI</span>' in html
    assert step_text("POL-10002 stays", {}) == "POL-10002 stays"  # numbers inside codes are left alone


def test_a_recording_backend_keeps_each_exchange_and_each_refusal():
    backend = RecordingBackend(InProcessBackend())
    alma = AlmaClient(backend)
    line = {"owner": {"value": "MAIN"}, "type": {"value": "PRINTED_BOOK_OT"}, "vendor": {"value": "GOBI"},
            "vendor_account": "GOBI-HVU", "price": {"sum": "50.00", "currency": {"value": "USD"}},
            "resource_metadata": {"title": "Rivers of Empire", "isbn": "9781503642225"},
            "fund_distribution": [{"fund_code": {"value": "HIST-MONO"}, "percent": 100}],
            "location": [{"library": {"value": "MAIN"}, "shelving_location": "STACKS", "quantity": 1}]}
    with collecting() as sheet:
        created = alma.create_po_line(line)
        with pytest.raises(AlmaError) as refused:
            alma.create_po_line({"vendor": {"value": "OASIS"}})
    assert backend.kind == "inprocess" and sheet.exchanges == backend.exchanges
    first, second = backend.exchanges
    assert (first.method, first.path, first.request, first.answer) == ("POST", "/almaws/v1/acq/po-lines", line, created)
    assert first.error is None and first.duration_ms >= 0
    assert first.summary == ("Vendor GOBI sent a PO line for 'Rivers of Empire' (ISBN 9781503642225) on HIST-MONO"
                             f" → Alma created {created['number']}, {created['status']['desc']} (1 alert)")
    assert first.po_line["number"] == created["number"] and first.po_line["owning_library"]
    assert second.error == {"code": refused.value.code, "message": refused.value.message,
                            "status": refused.value.status}
    assert second.answer is None and second.po_line is None
    assert second.summary.endswith(f"→ Alma refused it: {refused.value.message} (error {refused.value.code})")
    json.dumps([x.to_json() for x in backend.exchanges])  # evidence is plain JSON


def test_the_cli_renders_a_page_and_reports_a_missing_run_in_one_line(sample, tmp_path, capsys):
    cucumber, evidence = sample
    out = tmp_path / "report.html"
    assert main(["report", "--cucumber", str(cucumber), "--evidence", str(evidence), "--out", str(out)]) == 0
    assert "Fund checks on a real-time order" in out.read_text(encoding="utf-8")
    assert "9 scenarios, 6 passed, 1 failed, 2 skipped" in capsys.readouterr().out
    assert main(["report", "--cucumber", str(tmp_path / "none.json"), "--evidence", str(tmp_path / "no.json"),
                 "--out", str(tmp_path / "x.html")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("almasim report: no test run found") and "\n" not in err


def test_the_cli_reads_cucumber_json_alone(sample, tmp_path):
    cucumber, _ = sample
    out = tmp_path / "report.html"
    assert main(["report", "--cucumber", str(cucumber), "--evidence", str(tmp_path / "none.json"),
                 "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "OASIS orders more than the Art History fund has left" in html and 'data-status="failed"' in html


def test_a_parallel_run_is_gathered_into_one_evidence_file(tmp_path):
    pytest.importorskip("xdist")
    cucumber, evidence = run_sample(tmp_path, "-n", "2")
    items = json.loads(evidence.read_text(encoding="utf-8"))["items"]
    assert len(items) == 9 and {item["worker"] for item in items} <= {"gw0", "gw1"}
    run = read_run(cucumber, evidence)  # pytest-bdd 9 writes an empty Cucumber JSON under xdist
    assert {s.name for s in run.scenarios} == set(SCENARIOS)
    assert sum(1 for s in run.scenarios if s.status == "failed") == 1


def test_the_evidence_plugin_records_a_test_that_is_not_a_python_function(tmp_path):
    """A doctest item has no `obj`: it is recorded as a plain test, not an INTERNALERROR for the whole run."""
    (tmp_path / "with_doctest.py").write_text('def f():\n    """\n    >>> 1 + 1\n    2\n    """\n',
                                              encoding="utf-8")
    evidence = tmp_path / "evidence.json"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules",
                           "-p", "simulator.testing.evidence_plugin", f"--almasim-evidence={evidence}",
                           str(tmp_path / "with_doctest.py")], cwd=tmp_path, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    items = json.loads(evidence.read_text(encoding="utf-8"))["items"]
    assert [(item["outcome"], item["scenario"]) for item in items] == [("passed", None)]


def test_a_feature_description_keeps_its_multi_line_source_and_decisions_whole():
    """Gherkin descriptions wrap lines: a Source or a Decision paragraph continues until a blank line or lead."""
    from simulator.testing.report import description_html

    text = """As a cataloguer
    I want one record per title
    So that nothing is duplicated

    Source: seeds/001.txt — the match methods, and
    the rules for choosing among several records.

    Decision of the simulator: the lowest MMS ID wins,
    and an alert names the others.
    """
    page = description_html(text)
    assert '<span class="label">Source</span> seeds/001.txt — the match methods, and the rules for choosing' in page
    assert ('<p class="decision"><strong>Decision of the simulator:</strong> the lowest MMS ID wins, and an alert names '
            'the others.</p>') in page
    assert page.count("<p>") == 3  # the three story lines only


def test_the_front_page_sorts_behaviours_into_documented_alma_and_decisions(page):
    documented = page[page.index('<section class="kind documented">'):page.index('<section class="kind decision">')]
    decided = page[page.index('<section class="kind decision">'):page.index('id="legend"')]
    assert "Fund checks on a real-time order" in documented and 'href="#src-' in documented
    assert "A check that is not ticked sends the order to In Review with an alert." in decided
    assert "A check that is not ticked" not in documented
    for anchor in re.findall(r'href="#(src-\d+)"', page):
        assert f'id="{anchor}"' in page  # every source link lands on its passage
    assert 'class="scenario-sources">Documented in:' in page  # each scenario leads to its sources


def test_the_run_is_recorded_and_the_setup_is_in_plain_tables(sample):
    page = render(read_run(*sample))  # no seed given: the default seed is named, never "not recorded"
    assert "not recorded" not in page and "0 (the default" in page
    assert "Command" in page and "pytest" in page
    setup = page[page.index('id="setup"'):page.index('id="coverage"')]
    assert "New Order API integration profiles" in setup and "HIST-MONO" in setup and "GOBI" in setup
    assert "<svg" in setup  # a fund's encumbered and spent, as a picture
    outcomes = page[page.index('id="outcomes"'):page.index('id="setup"')]
    assert "<svg" in outcomes and "GOBI" in outcomes and "refused" in outcomes
    effects = outcomes[outcomes.index('id="funds"'):]
    music = re.search(r"<tr><td>MUSIC-MONO.*?</tr>", effects, re.S).group(0)
    assert [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td class="num">(.*?)</td>', music)] == ["0", "—", "1", "0"]
    assert "no scenario" in page and "hatch" not in page  # the empty cells say so in words
    assert "How to read this page" in page


def test_a_source_passage_is_quoted_from_the_source_document(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "001_profile.txt").write_text(
        "Header Menu " * 200 + "VALIDATION OF ORDER INFORMATION Do not create order in case of: Order is not fully "
        "funded; Invalid fund code.", encoding="utf-8")
    cucumber = [{"keyword": "Feature", "uri": "features/funds/x.feature", "name": "Fund checks", "tags": [],
                 "description": 'I want checks\nSource: seeds/001_profile.txt — step 2: "Do not create order in '
                                'case of: Order is not fully funded"',
                 "elements": [{"keyword": "Scenario", "id": "t", "name": "s", "line": 3, "tags": [],
                               "type": "scenario", "steps": []}]}]
    html = render(build_run(cucumber), sources=tmp_path)
    passage = html[html.index('<blockquote class="passage">'):html.index("</blockquote>")]
    assert "Do not create order in case of: Order is not fully funded; Invalid fund code." in passage


def test_raw_bodies_are_cut_so_the_page_stays_small():
    from simulator.testing.report import RAW_CHARS

    huge = {"note": "x" * 50_000}
    evidence = {"items": [{
        "nodeid": "x::t", "name": "t", "feature_file": "features/ordering/x.feature",
        "feature": {"name": "F", "description": "", "tags": []}, "scenario": {"name": "S", "line": 1, "tags": []},
        "outcome": "passed", "exchanges": [{"method": "POST", "path": "/almaws/v1/acq/po-lines", "query": {},
                                            "request": huge, "answer": huge, "summary": "sent"},
                                           {"method": "GET", "path": "/almaws/v1/acq/funds", "query": {},
                                            "request": None, "answer": huge, "summary": "looked up the funds"}]}]}
    html = render(build_run(None, evidence))
    assert "x" * (RAW_CHARS - 20) in html and "x" * RAW_CHARS not in html
    assert len(re.findall(r"x{100,}", html)) == 2  # the POST's request and answer; a look-up's answer is not kept
    assert len(html.encode()) < 100_000
