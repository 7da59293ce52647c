"""The living documentation: one offline HTML page from a feature run, for librarians to read.

Owns reading a run (pytest-bdd's Cucumber JSON, the evidence file of `simulator.testing.evidence_plugin`, or both:
the evidence adds what the Cucumber JSON leaves out — rules, scenarios skipped before their first step, the
vendors of Examples tables, runs under pytest-xdist — and what the vendor sent and Alma answered) into
features grouped by workflow (their folder under features/), and rendering it as one HTML file: inline CSS, a
few lines of optional inline JavaScript for filtering, no external request of any kind, every text escaped.
Imports the standard library and simulator.errors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from simulator.errors import SimulatorError

VENDORS = {"gobi": "GOBI", "oasis": "OASIS", "generic": "Generic vendor"}
NO_VENDOR = "any"
STATUS_WORD = {"passed": "Passed", "failed": "Failed", "skipped": "Skipped", "not run": "Not run"}
STATUS_ICON = {"passed": "✓", "failed": "✗", "skipped": "⊘", "not run": "○"}
_RANK = {"failed": 3, "skipped": 2, "not run": 1, "passed": 0}


# -- the run, as the report sees it --------------------------------------------------------------------------------
@dataclass
class Step:
    keyword: str
    text: str
    status: str = "passed"
    error: str = ""
    datatable: list[list[str]] | None = None
    docstring: str | None = None


@dataclass
class Scenario:
    name: str
    keyword: str = "Scenario"
    line: int = 0
    status: str = "passed"
    steps: list[Step] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    rule: str = ""
    rule_description: str = ""
    examples: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    error: str = ""
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    test_name: str = ""

    @property
    def vendors(self) -> list[str]:
        found = [tag for tag in VENDORS if tag in self.tags]
        return found or [NO_VENDOR]


@dataclass
class Feature:
    uri: str
    name: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)

    @property
    def area(self) -> str:
        return area_of(self.uri)

    @property
    def status(self) -> str:
        return overall(s.status for s in self.scenarios)

    @property
    def anchor(self) -> str:
        return "f-" + re.sub(r"[^a-z0-9]+", "-", self.uri.lower()).strip("-")


@dataclass
class Run:
    features: list[Feature]
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def scenarios(self) -> list[Scenario]:
        return [s for f in self.features for s in f.scenarios]

    def count(self, status: str) -> int:
        return sum(1 for s in self.scenarios if s.status == status)

    @property
    def areas(self) -> dict[str, list[Feature]]:
        grouped: dict[str, list[Feature]] = {}
        for feature in self.features:
            grouped.setdefault(feature.area, []).append(feature)
        return grouped


def worst(statuses) -> str:
    return max(statuses, key=lambda s: _RANK.get(s, 0), default="passed")


def overall(statuses) -> str:
    """A group's result: failed if any scenario failed, passed if any passed, else skipped (or not run)."""
    statuses = list(statuses)
    for status in ("failed", "passed", "skipped"):
        if status in statuses:
            return status
    return "not run"


def area_of(uri: str) -> str:
    """The workflow a feature belongs to: its folder (features/fund_checks/x.feature → "Fund checks")."""
    folder = Path(uri).parent.name
    if folder in ("", ".", "features"):
        return "General"
    words = re.sub(r"[_\-]+", " ", folder).strip()
    return words[:1].upper() + words[1:]


# -- reading -----------------------------------------------------------------------------------------------------------
def load_json(path: Path, what: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SimulatorError(f"no {what} at {path}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise SimulatorError(f"{path} is not a readable {what}: {exc}") from None


def load_evidence(path: Path) -> dict[str, Any]:
    """The evidence file, plus any per-worker files next to it (PATH.gw0 …) from an interrupted xdist run."""
    path = Path(path)
    evidence = load_json(path, "evidence file") if path.exists() else {"metadata": {}, "items": []}
    if not isinstance(evidence, dict) or not isinstance(evidence.get("items", []), list):
        raise SimulatorError(f"{path} is not an almasim evidence file")
    seen = {item.get("nodeid") for item in evidence.get("items", [])}
    for extra in sorted(path.parent.glob(path.name + ".*")):
        more = load_json(extra, "evidence file")
        for item in more.get("items", []) if isinstance(more, dict) else []:
            if item.get("nodeid") not in seen:
                evidence.setdefault("items", []).append(item)
    if not path.exists() and not evidence["items"]:
        raise SimulatorError(f"no evidence file at {path}")
    return evidence


def _cucumber_steps(steps: list[dict]) -> list[Step]:
    out, failed = [], False
    for raw in steps:
        result = raw.get("result") or {}
        status = result.get("status", "passed")
        if failed:
            status = "not run"  # pytest-bdd marks every step after a failure failed; none of them ran
        elif status == "failed":
            failed = True
        out.append(Step(keyword=str(raw.get("keyword", "")).strip(), text=str(raw.get("name", "")), status=status,
                        error=_short_error(result.get("error_message", "")) if status == "failed" else ""))
    return out


def _short_error(text: str) -> str:
    """From a pytest traceback keep the lines a reader needs: the "E   …" lines, else the last line."""
    lines = [line[1:].strip() for line in str(text).splitlines() if line.startswith("E ")]
    lines = [line for line in lines if not line.startswith("+  where") and not line.startswith("+    where")]
    if not lines:
        lines = [line for line in str(text).strip().splitlines()[-1:]]
    return "\n".join(lines)[:800]


def build_run(cucumber: list[dict] | None = None, evidence: dict[str, Any] | None = None,
              metadata: dict[str, Any] | None = None) -> Run:
    """Join the Cucumber JSON and the evidence into features, scenarios and steps (the evidence wins)."""
    features: dict[str, Feature] = {}
    scenarios: dict[tuple[str, str], Scenario] = {}
    for raw in cucumber or []:
        if not isinstance(raw, dict):
            continue
        uri = str(raw.get("uri") or raw.get("id") or raw.get("name") or "")
        feature = features.setdefault(uri, Feature(uri=uri, name=str(raw.get("name") or uri),
                                                   description=str(raw.get("description") or ""),
                                                   tags=[_tag(t) for t in raw.get("tags") or []]))
        for element in raw.get("elements") or []:
            if element.get("type", "scenario") != "scenario":
                continue
            steps = _cucumber_steps(element.get("steps") or [])
            scenario = Scenario(name=str(element.get("name", "")), keyword=str(element.get("keyword", "Scenario")),
                                line=int(element.get("line") or 0), steps=steps,
                                status=worst(s.status for s in steps) if steps else "passed",
                                tags=sorted({_tag(t) for t in element.get("tags") or []} | set(feature.tags)),
                                test_name=str(element.get("id", "")))
            scenario.error = next((s.error for s in steps if s.error), "")
            if not scenario.tags or not set(scenario.tags) & set(VENDORS):
                scenario.tags = sorted(set(scenario.tags) | _vendors_in_test_name(scenario.test_name))
            feature.scenarios.append(scenario)
            scenarios[(uri, scenario.test_name)] = scenario
    for item in (evidence or {}).get("items", []):
        if not isinstance(item, dict) or not item.get("feature") or not item.get("scenario"):
            continue  # not a scenario (a plain test in the same run)
        uri = str(item.get("feature_file") or "")
        info = item["feature"]
        if uri not in features:
            features[uri] = Feature(uri=uri, name=str(info.get("name") or uri),
                                    description=str(info.get("description") or ""),
                                    tags=[str(t) for t in info.get("tags") or []])
        feature = features[uri]
        matched = scenarios.get((uri, str(item.get("name", ""))))
        if matched is None:
            matched = Scenario(name=str(item["scenario"].get("name", "")), test_name=str(item.get("name", "")))
            feature.scenarios.append(matched)
        _enrich(matched, item, feature)
    for feature in features.values():
        feature.scenarios.sort(key=lambda s: s.line)
    ordered = sorted(features.values(), key=lambda f: (f.area.lower(), f.uri))
    meta = dict((evidence or {}).get("metadata") or {})
    meta.update({k: v for k, v in (metadata or {}).items() if v not in (None, "")})
    return Run(features=ordered, metadata=meta)


def _tag(raw: Any) -> str:
    return str(raw.get("name", "") if isinstance(raw, dict) else raw).lstrip("@")


def _vendors_in_test_name(name: str) -> set[str]:
    """Without evidence, an Examples row's vendor shows only in the test id: test_x[GOBI-GOBI-HVU-…]."""
    found = re.search(r"\[(.*)\]$", name)
    tokens = {t.lower() for t in re.split(r"[-_\s]+", found.group(1))} if found else set()
    return {tag for tag in ("gobi", "oasis") if tag in tokens}


def _enrich(scenario: Scenario, item: dict[str, Any], feature: Feature) -> None:
    info = item["scenario"]
    scenario.name = str(info.get("name") or scenario.name)
    scenario.keyword = str(info.get("keyword") or scenario.keyword)
    scenario.line = int(info.get("line") or scenario.line or 0)
    rule = item.get("rule") or {}
    scenario.rule = str(rule.get("name") or "")
    scenario.rule_description = str(rule.get("description") or "")
    scenario.tags = sorted(set(scenario.tags) | {str(t) for t in info.get("tags") or []}
                           | {str(t) for t in rule.get("tags") or []} | {str(t) for t in item.get("marks") or []}
                           | set(feature.tags))
    scenario.examples = {str(k): str(v) for k, v in (item.get("examples") or {}).items()}
    outcome = str(item.get("outcome") or "")
    if outcome in STATUS_WORD:
        scenario.status = outcome
    scenario.reason = str(item.get("reason") or "")
    scenario.error = str(item.get("error") or scenario.error)
    steps = item.get("steps") or []
    if steps:
        scenario.steps = [Step(keyword=str(s.get("keyword", "")).strip(), text=str(s.get("name", "")),
                               status=str(s.get("status") or "not run"), error=str(s.get("error") or ""),
                               datatable=s.get("datatable"), docstring=s.get("docstring")) for s in steps]
        if scenario.status == "failed" and not any(s.status == "failed" for s in scenario.steps):
            first = next((s for s in scenario.steps if s.status in ("running", "not run")), None)
            if first is not None:
                first.status, first.error = "failed", scenario.error
    scenario.exchanges = [e for e in item.get("exchanges") or [] if isinstance(e, dict)]


def read_run(cucumber: Path | None, evidence: Path | None, metadata: dict[str, Any] | None = None) -> Run:
    """Read whichever of the two files exist; at least one must."""
    cucumber_data, evidence_data = None, None
    if cucumber is not None and Path(cucumber).exists():
        cucumber_data = load_json(Path(cucumber), "Cucumber JSON")
        if not isinstance(cucumber_data, list):
            raise SimulatorError(f"{cucumber} is not Cucumber JSON (a list of features)")
    if evidence is not None and (Path(evidence).exists() or list(Path(evidence).parent.glob(Path(evidence).name + ".*"))):
        evidence_data = load_evidence(Path(evidence))
    if cucumber_data is None and evidence_data is None:
        where = " or ".join(str(p) for p in (cucumber, evidence) if p is not None)
        raise SimulatorError(f"no test run found at {where}: run `almasim report --run`, or "
                             f"`pytest features --cucumberjson=FILE` first")
    meta = dict(metadata or {})
    started_known = "started" in ((evidence_data or {}).get("metadata") or {})
    if not started_known and cucumber is not None and cucumber_data is not None:
        meta.setdefault("started", datetime.fromtimestamp(Path(cucumber).stat().st_mtime).astimezone()
                        .isoformat(timespec="seconds"))
    return build_run(cucumber_data, evidence_data, meta)


# -- rendering -----------------------------------------------------------------------------------------------------
def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def status_badge(status: str, small: bool = False) -> str:
    word = STATUS_WORD.get(status, status.title())
    return (f'<span class="badge s-{e(status.replace(" ", "-"))}{" small" if small else ""}">'
            f'<span aria-hidden="true">{STATUS_ICON.get(status, "•")}</span> {e(word)}</span>')


def step_text(text: str, examples: dict[str, str]) -> str:
    """Escape a step and mark its parameters: quoted values, the Examples row's values, numbers."""
    values = sorted({v for v in examples.values() if len(v.strip()) >= 2}, key=len, reverse=True)
    parts = [r'"[^"]*"', r"“[^”]*”", r"<[^<>\s]+>"] + [rf"(?<![\w-]){re.escape(v)}(?![\w-])" for v in values]
    parts.append(r"(?<![\w.\-])\d+(?:[.,]\d+)*(?![\w\-])")
    pattern = re.compile("|".join(parts))
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(e(text[last:found.start()]))
        token = found.group(0)
        if token[:1] in '"“':
            out.append(f'<span class="quote">“</span><span class="param">{e(token[1:-1])}</span>'
                       f'<span class="quote">”</span>')
        else:
            out.append(f'<span class="param">{e(token)}</span>')
        last = found.end()
    out.append(e(text[last:]))
    return "".join(out)


_STORY = re.compile(r"^(As an?|I want(?: to)?|So that|In order to|Source:)\s*(.*)$", re.IGNORECASE)


_LEAD = re.compile(r"^(As an?\b|I want\b|So that\b|In order to\b|Source:|Decision of the simulator)", re.IGNORECASE)


def _paragraphs(text: str) -> list[str]:
    """Lines joined into paragraphs: a paragraph ends at a blank line or where a line starts with a lead
    ("As a", "I want", "So that", "Source:", "Decision of the simulator")."""
    paragraphs: list[list[str]] = []
    blank = True
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            blank = True
            continue
        if blank or _LEAD.match(line) or not paragraphs:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
        blank = False
    return [" ".join(lines).replace("/ ", "/") if lines[0].lower().startswith("source:") else " ".join(lines)
            for lines in paragraphs]


def description_html(text: str) -> str:
    """"As a… I want… So that…" as a user story, the Source paragraphs as citations, the rest as paragraphs."""
    story, source, other = [], [], []
    for line in _paragraphs(text):
        found = _STORY.match(line)
        if found and found.group(1).lower() == "source:":
            source.append(found.group(2))
        elif found:
            story.append(f"<p><strong>{e(found.group(1))}</strong> {e(found.group(2))}</p>")
        elif line.lower().startswith("decision of the simulator"):
            other.append(f'<p class="decision">{e(line)}</p>')
        else:
            other.append(f"<p>{e(line)}</p>")
    html = ""
    if story:
        html += f'<div class="story">{"".join(story)}</div>'
    html += "".join(other)
    for cite in source:
        html += f'<p class="source"><span class="label">Source</span> {e(cite)}</p>'
    return html


def _json_block(value: Any) -> str:
    if value is None or value == "":
        return '<p class="muted">(nothing)</p>'
    text = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)
    return f"<pre>{e(text)}</pre>"


def _vendor_line(card: dict[str, Any]) -> str:
    code, name = str(card.get("vendor") or ""), str(card.get("vendor_name") or "")
    return f"{code} — {name}" if code and name and name != code else code or name


def po_line_card_html(card: dict[str, Any]) -> str:
    rows = [("Status", card.get("status")), ("Title", card.get("title")),
            ("ISBN" if card.get("isbn") else "ISSN", card.get("isbn") or card.get("issn")),
            ("Vendor", _vendor_line(card)),
            ("Vendor account", card.get("vendor_account")),
            ("Vendor reference", card.get("vendor_reference_number")),
            ("Order type", card.get("type")), ("Owning library", card.get("owning_library")),
            ("Price", card.get("price")), ("Fund", "; ".join(card.get("funds") or [])),
            ("Location", "; ".join(card.get("locations") or [])),
            ("Access", " · ".join(x for x in (card.get("access_provider"), card.get("access_model")) if x)),
            ("Portfolio", ", ".join(card.get("portfolios") or [])), ("Bib record (MMS ID)", card.get("mms_id"))]
    body = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows if v)
    alerts = card.get("alerts") or []
    alert_html = ""
    if alerts:
        alert_html = ('<div class="alerts"><span class="label">Alerts</span><ul>'
                      + "".join(f'<li><span aria-hidden="true">⚠</span> {e(a)}</li>' for a in alerts) + "</ul></div>")
    status_code = re.sub(r"[^a-z]+", "-", str(card.get("status") or card.get("status_code") or "").lower()).strip("-")
    return (f'<article class="card pol-{e(status_code)}"><header><span class="label">PO line</span> '
            f'<strong class="pol">{e(card.get("number"))}</strong><span class="pol-status">{e(card.get("status"))}'
            f"</span></header><dl>{body}</dl>{alert_html}</article>")


def _latest_cards(exchanges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cards: dict[str, dict[str, Any]] = {}
    for exchange in exchanges:
        card = exchange.get("po_line")
        if isinstance(card, dict) and card.get("number"):
            cards.pop(str(card["number"]), None)
            cards[str(card["number"])] = card
    return list(cards.values())


def evidence_html(scenario: Scenario) -> str:
    if not scenario.exchanges:
        return ""
    cards = _latest_cards(scenario.exchanges)
    refusals = sum(1 for x in scenario.exchanges if x.get("error"))
    n = len(scenario.exchanges)
    glance = [f"{n} exchange{'s' if n != 1 else ''} with Alma"]
    glance += [f"PO line {c.get('number')} ({c.get('status')})" for c in cards[:3]]
    if refusals:
        glance.append(f"{refusals} refus{'als' if refusals != 1 else 'al'}")
    items = []
    for exchange in scenario.exchanges:
        error = exchange.get("error")
        step_index = exchange.get("step")
        during = ""
        if isinstance(step_index, int) and 0 <= step_index < len(scenario.steps):
            step = scenario.steps[step_index]
            during = f'<span class="during">during “{e(step.keyword)} {e(step.text)}”</span>'
        query = exchange.get("query") or {}
        target = exchange.get("path", "") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        answer = (f'<p class="refusal"><span aria-hidden="true">✗</span> Alma refused: error '
                  f'<strong>{e(error.get("code"))}</strong> — {e(error.get("message"))}</p>') if error \
            else _json_block(exchange.get("answer"))
        icon = '<span class="x-icon refused" aria-hidden="true">✗</span>' if error else \
            '<span class="x-icon" aria-hidden="true">⇄</span>'
        items.append(
            f'<li><details class="exchange"><summary>{icon} {e(exchange.get("summary"))}{during}</summary>'
            f'<div class="wire"><div><h5>Sent to Alma</h5><p class="request-line"><code>{e(exchange.get("method"))} '
            f'{e(target)}</code></p>'
            f'{_json_block(exchange.get("request")) if exchange.get("request") not in (None, {}, "") else ""}'
            f'</div><div><h5>What Alma answered <span class="muted">in {e(exchange.get("duration_ms"))} ms</span>'
            f"</h5>{answer}</div></div></details></li>")
    cards_html = f'<div class="cards">{"".join(po_line_card_html(c) for c in cards)}</div>' if cards else ""
    return (f'<details class="evidence"><summary><span class="label">Evidence</span> {e(" · ".join(glance))}'
            f'</summary>{cards_html}<h4>The conversation with Alma</h4><ol class="exchanges">{"".join(items)}'
            f"</ol></details>")


def _table(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{e(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    return f'<table class="datatable"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def scenario_html(scenario: Scenario) -> str:
    steps = []
    for step in scenario.steps:
        extra = ""
        if step.datatable:
            extra += _table(step.datatable)
        if step.docstring:
            extra += f'<pre class="docstring">{e(step.docstring)}</pre>'
        if step.error:
            extra += f'<pre class="error">{e(step.error)}</pre>'
        steps.append(f'<li class="step s-{e(step.status.replace(" ", "-"))}"><span class="step-status" '
                     f'title="{e(STATUS_WORD.get(step.status, step.status))}">{STATUS_ICON.get(step.status, "•")}'
                     f'<span class="sr"> {e(STATUS_WORD.get(step.status, step.status))}</span></span>'
                     f'<span class="kw">{e(step.keyword)}</span> {step_text(step.text, scenario.examples)}'
                     f"{extra}</li>")
    notes = ""
    if scenario.status == "skipped" and scenario.reason:
        notes += f'<p class="note skipped"><span class="label">Skipped because</span> {e(scenario.reason)}</p>'
    if scenario.status == "failed" and scenario.error and not any(s.error for s in scenario.steps):
        notes += f'<pre class="error">{e(scenario.error)}</pre>'
    vendors = "".join(f'<span class="chip vendor v-{e(v)}">{e(VENDORS[v])}</span>'
                      for v in scenario.vendors if v in VENDORS)
    other_tags = "".join(f'<span class="chip">@{e(t)}</span>' for t in scenario.tags if t not in VENDORS)
    example = ""
    if scenario.examples:
        example = '<span class="example">Example: ' + " · ".join(
            f'<span class="ex-name">{e(k)}</span> {e(v)}' for k, v in scenario.examples.items()) + "</span>"
    search = " ".join([scenario.name, scenario.rule, *scenario.examples.values(), *(s.text for s in scenario.steps)])
    return (f'<details class="scenario s-{e(scenario.status.replace(" ", "-"))}" open '
            f'data-status="{e(scenario.status)}" data-vendors="{e(" ".join(scenario.vendors))}" '
            f'data-text="{e(search.lower())}"><summary>{status_badge(scenario.status)} '
            f'<span class="scenario-kw">{e(scenario.keyword)}:</span> <span class="scenario-name">{e(scenario.name)}'
            f'</span> {vendors}{example}</summary><div class="scenario-body">'
            f'<ol class="steps">{"".join(steps)}</ol>{notes}{evidence_html(scenario)}'
            f'{f"<p class=tags>{other_tags}</p>" if other_tags else ""}</div></details>')


def feature_html(feature: Feature) -> str:
    counts = {s: sum(1 for x in feature.scenarios if x.status == s) for s in STATUS_WORD}
    summary = " · ".join(f"{STATUS_ICON[s]} {n} {STATUS_WORD[s].lower()}" for s, n in counts.items() if n)
    blocks, current = [], None
    for scenario in feature.scenarios:
        if scenario.rule != current:
            if current is not None:
                blocks.append("</section>")
            current = scenario.rule
            if scenario.rule:
                blocks.append(f'<section class="rule"><h3><span class="label">Rule</span> {e(scenario.rule)}</h3>'
                              + (f'<p class="rule-desc">{e(scenario.rule_description)}</p>'
                                 if scenario.rule_description else ""))
            else:
                blocks.append('<section class="rule no-rule">')
        blocks.append(scenario_html(scenario))
    if current is not None:
        blocks.append("</section>")
    tags = "".join(f'<span class="chip">@{e(t)}</span>' for t in feature.tags)
    return (f'<section class="feature s-{e(feature.status.replace(" ", "-"))}" id="{e(feature.anchor)}">'
            f'<header><p class="crumbs">{e(feature.area)} · <code>{e(feature.uri)}</code></p>'
            f'<h2>{e(feature.name)} {status_badge(feature.status, small=True)}</h2>'
            f'<p class="feature-counts">{e(summary)}</p></header>'
            f'<div class="description">{description_html(feature.description)}</div>'
            f'{f"<p class=tags>{tags}</p>" if tags else ""}{"".join(blocks)}</section>')


def coverage_html(run: Run) -> str:
    columns = list(VENDORS) + [NO_VENDOR]
    used = {v for s in run.scenarios for v in s.vendors}
    columns = [c for c in columns if c in VENDORS or c in used]
    head = "".join(f"<th scope=col>{e(VENDORS.get(c, 'No vendor named'))}</th>" for c in columns)
    rows = []
    for area, features in run.areas.items():
        rows.append(f'<tr class="area-row"><th colspan="{len(columns) + 1}" scope="rowgroup">{e(area)}</th></tr>')
        for feature in features:
            cells = []
            for column in columns:
                chosen = [s for s in feature.scenarios if column in s.vendors]
                if not chosen:
                    cells.append('<td class="cell empty"><span class="muted">not covered</span></td>')
                    continue
                status = overall(s.status for s in chosen)
                parts = []
                for st in STATUS_WORD:
                    n = sum(1 for s in chosen if s.status == st)
                    if n:
                        parts.append(f'<span class="cnt s-{e(st.replace(" ", "-"))}">{STATUS_ICON[st]} {n} '
                                     f'{e(STATUS_WORD[st].lower())}</span>')
                cells.append(f'<td class="cell s-{e(status.replace(" ", "-"))}">{"".join(parts)}</td>')
            rows.append(f'<tr><th scope=row><a href="#{e(feature.anchor)}">{e(feature.name)}</a></th>'
                        f'{"".join(cells)}</tr>')
    return (f'<table class="coverage"><thead><tr><th scope=col>Workflow</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _when(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return str(value or "not recorded")
    zone = moment.strftime("%Z") or moment.strftime("UTC%z")
    return f"{moment.day} {moment.strftime('%B %Y, %H:%M')} {zone}".strip()


_BACKENDS = {"inprocess": "the simulated Alma, in-process", "mocked": "the simulated Alma behind Alma's own URLs "
             "(mocked)", "server": "the simulated Alma over HTTP (almasim serve)", "real": "a real Alma"}


def render(run: Run, *, generated: datetime | None = None) -> str:
    meta = run.metadata
    generated = generated or datetime.now().astimezone()
    total = len(run.scenarios)
    counts = {s: run.count(s) for s in STATUS_WORD}
    bar = "".join(f'<span class="seg s-{e(s.replace(" ", "-"))}" style="width:{100 * n / total:.2f}%" '
                  f'title="{n} {e(STATUS_WORD[s].lower())}"></span>' for s, n in counts.items() if n and total)
    totals = "".join(f'<div class="total s-{e(s.replace(" ", "-"))}"><span class="num">{n}</span>'
                     f'<span class="what"><span aria-hidden="true">{STATUS_ICON[s]}</span> {e(STATUS_WORD[s])}</span>'
                     f"</div>" for s, n in counts.items() if n or s in ("passed", "failed"))
    backend = meta.get("backend")
    facts = [("Run", _when(meta.get("started"))),
             ("Seed", meta.get("seed") if meta.get("seed") not in (None, "") else "not recorded"),
             ("Against", _BACKENDS.get(str(backend), str(backend)) if backend else "not recorded")]
    if meta.get("alma_url"):
        facts.append(("Alma", meta["alma_url"]))
    if meta.get("duration_s") not in (None, ""):
        facts.append(("Duration", f"{float(meta['duration_s']):.1f} s"))
    facts.append(("Report made", _when(generated.isoformat(timespec="seconds"))))
    fact_html = "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in facts)
    toc = []
    for area, features in run.areas.items():
        links = "".join(f'<li><a href="#{e(f.anchor)}">{e(f.name)}</a> {status_badge(f.status, small=True)}</li>'
                        for f in features)
        toc.append(f"<li><span class=toc-area>{e(area)}</span><ul>{links}</ul></li>")
    areas = []
    for area, features in run.areas.items():
        areas.append(f'<section class="area"><h2 class="area-title">{e(area)}</h2>'
                     f'{"".join(feature_html(f) for f in features)}</section>')
    vendor_buttons = "".join(f'<label><input type="checkbox" name="vendor" value="{e(v)}" checked> {e(n)}</label>'
                             for v, n in [*VENDORS.items(), (NO_VENDOR, "No vendor named")])
    return _PAGE.format(
        title=e("Real-time ordering in Alma — living documentation"), css=_CSS, script=_SCRIPT,
        facts=fact_html, totals=totals, bar=bar, total=total, n_features=len(run.features),
        toc="".join(toc), coverage=coverage_html(run), areas="".join(areas) or
        '<p class="muted">This run has no scenarios.</p>', vendor_buttons=vendor_buttons)


def write_report(out: Path, cucumber: Path | None, evidence: Path | None,
                 metadata: dict[str, Any] | None = None) -> Run:
    run = read_run(cucumber, evidence, metadata)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(run), encoding="utf-8")
    return run


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="page-head">
  <p class="kicker">almasim · living documentation</p>
  <h1>Real-time ordering in Alma</h1>
  <p class="lede">What Alma does with an order a vendor sends in real time, written as the scenarios below and
  checked against the simulated Alma. Each scenario shows its result, and under <em>Evidence</em> what the vendor
  sent, what Alma answered and the PO line as Alma shows it.</p>
  <dl class="facts">{facts}</dl>
  <div class="totals"><div class="total all"><span class="num">{total}</span><span class="what">Scenarios in
  {n_features} features</span></div>{totals}</div>
  <div class="bar" role="img" aria-label="share of scenarios by result">{bar}</div>
</header>
<main>
<nav class="toc" aria-label="Contents"><h2>Workflows</h2><ul>{toc}</ul></nav>
<section class="coverage-wrap"><h2>Coverage: workflows × vendors</h2>
<p class="muted">Each cell counts the scenarios of a workflow run through that vendor (Examples tables and
scenarios tagged @gobi, @oasis, @generic).</p>{coverage}</section>
<form class="filters" onsubmit="return false" aria-label="Filter scenarios">
  <span class="label">Show</span>
  <label><input type="radio" name="status" value="all" checked> all</label>
  <label><input type="radio" name="status" value="failed"> ✗ failed</label>
  <label><input type="radio" name="status" value="skipped"> ⊘ skipped</label>
  <label><input type="radio" name="status" value="passed"> ✓ passed</label>
  <span class="sep"></span>{vendor_buttons}
  <input type="search" name="q" placeholder="Find a scenario, title, fund…" aria-label="find">
  <button type="button" data-toggle="open">Open all evidence</button>
</form>
{areas}
</main>
<footer><p>Made by <code>almasim report</code> from pytest-bdd's results. This page is self-contained: it loads
nothing from the network.</p></footer>
<script>{script}</script>
</body>
</html>
"""

_CSS = """
:root{--ink:#1f2328;--muted:#5b6370;--line:#d9d6cf;--paper:#fff;--bg:#f5f3ee;--accent:#1d4e89;
--pass:#17663a;--pass-bg:#e3f3e8;--fail:#a4161a;--fail-bg:#fde7e7;--skip:#7a4b00;--skip-bg:#fff1cf;
--idle:#59606b;--idle-bg:#eceef1;--param:#f3ecff;--param-ink:#4b2a86}
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;background:var(--bg);color:var(--ink);
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif;line-height:1.5}
h1,h2,h3{font-family:Georgia,"Times New Roman","DejaVu Serif",serif;font-weight:600;line-height:1.25}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.85rem}
a{color:var(--accent)}
.page-head{background:var(--paper);border-bottom:1px solid var(--line);padding:2rem max(1.5rem,calc(50% - 34rem)) 1.5rem}
.kicker{margin:0;color:var(--muted);text-transform:uppercase;letter-spacing:.08em;font-size:.8rem}
h1{margin:.2rem 0 .5rem;font-size:2.3rem}
.lede{max-width:48rem;margin:0 0 1rem;color:#333a44;font-size:1.05rem}
.facts{display:flex;flex-wrap:wrap;gap:.4rem 2rem;margin:0 0 1.2rem}
.facts div{display:flex;gap:.5rem}.facts dt{color:var(--muted)}.facts dd{margin:0;font-weight:600}
.totals{display:flex;flex-wrap:wrap;gap:.8rem;margin-bottom:.8rem}
.total{border:1px solid var(--line);border-radius:10px;padding:.5rem 1rem;min-width:8rem;background:#fbfaf7}
.total .num{display:block;font-size:1.9rem;font-weight:700;line-height:1.1}
.total .what{font-size:.9rem;color:var(--muted)}
.total.s-passed{background:var(--pass-bg);border-color:#b5dcc2}.total.s-passed .num,.total.s-passed .what{color:var(--pass)}
.total.s-failed{background:var(--fail-bg);border-color:#f3b9b9}.total.s-failed .num,.total.s-failed .what{color:var(--fail)}
.total.s-skipped{background:var(--skip-bg);border-color:#ecd08c}.total.s-skipped .num,.total.s-skipped .what{color:var(--skip)}
.bar{display:flex;height:.7rem;border-radius:99px;overflow:hidden;background:var(--idle-bg);max-width:60rem}
.seg.s-passed{background:var(--pass)}.seg.s-failed{background:var(--fail)}
.seg.s-skipped{background:#d69e1f;background-image:repeating-linear-gradient(45deg,transparent 0 4px,#fff6 4px 8px)}
.seg.s-not-run{background:#aab}
main{max-width:68rem;margin:0 auto;padding:1.5rem}
.toc,.coverage-wrap,.feature{background:var(--paper);border:1px solid var(--line);border-radius:12px;padding:1.2rem 1.5rem;margin-bottom:1.5rem}
.toc h2,.coverage-wrap h2{margin-top:0;font-size:1.35rem}
.toc>ul{list-style:none;padding:0;margin:0;columns:2 22rem}
.toc>ul>li{break-inside:avoid;margin-bottom:.6rem}
.toc-area{font-weight:700}.toc ul ul{list-style:none;padding-left:1rem;margin:.2rem 0}
.toc ul ul li{margin:.15rem 0}
.badge{display:inline-flex;align-items:center;gap:.3rem;border-radius:99px;padding:.05rem .6rem;font-size:.85rem;
font-weight:700;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,"DejaVu Sans",sans-serif;border:1px solid;white-space:nowrap;vertical-align:middle}
.badge.small{font-size:.75rem;padding:0 .5rem}
.badge.s-passed{color:var(--pass);background:var(--pass-bg);border-color:#a9d5b7}
.badge.s-failed{color:var(--fail);background:var(--fail-bg);border-color:#efb0b0}
.badge.s-skipped{color:var(--skip);background:var(--skip-bg);border-color:#e6c777}
.badge.s-not-run{color:var(--idle);background:var(--idle-bg);border-color:#cfd3d9}
table.coverage{border-collapse:collapse;width:100%;font-size:.95rem}
.coverage th,.coverage td{border:1px solid var(--line);padding:.45rem .6rem;text-align:left;vertical-align:top}
.coverage thead th{background:#f0ede6}
.coverage .area-row th{background:#faf8f4;font-family:Georgia,"DejaVu Serif",serif;font-size:1rem}
.coverage tbody th[scope=row]{font-weight:500;padding-left:1.2rem}
.cell .cnt{display:block;font-weight:600;white-space:nowrap}
.cnt.s-passed{color:var(--pass)}.cnt.s-failed{color:var(--fail)}.cnt.s-skipped{color:var(--skip)}.cnt.s-not-run{color:var(--idle)}
.cell.s-passed{background:var(--pass-bg)}.cell.s-failed{background:var(--fail-bg)}.cell.s-skipped{background:var(--skip-bg)}
.cell.empty{background:repeating-linear-gradient(135deg,#fff 0 6px,#f4f2ed 6px 12px)}
.muted{color:var(--muted)}
.filters{display:none;position:sticky;top:0;z-index:2;background:#fffdf8ee;border:1px solid var(--line);border-radius:12px;
padding:.6rem 1rem;margin-bottom:1.5rem;gap:.4rem 1rem;flex-wrap:wrap;align-items:center;font-size:.92rem}
.js .filters{display:flex}
.filters .sep{width:1px;height:1.4rem;background:var(--line)}
.filters input[type=search]{flex:1 1 14rem;padding:.3rem .6rem;border:1px solid var(--line);border-radius:8px;font:inherit}
.filters button{font:inherit;padding:.25rem .7rem;border:1px solid var(--line);border-radius:8px;background:#fff;cursor:pointer}
.label{font-size:.72rem;text-transform:uppercase;letter-spacing:.07em;color:var(--muted);font-weight:700;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,"DejaVu Sans",sans-serif}
.area-title{font-size:1.05rem;text-transform:uppercase;letter-spacing:.1em;color:var(--muted);margin:2rem 0 .8rem;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,"DejaVu Sans",sans-serif;border-bottom:2px solid var(--line);padding-bottom:.3rem}
.feature{border-left:6px solid var(--line)}
.feature.s-passed{border-left-color:var(--pass)}.feature.s-failed{border-left-color:var(--fail)}.feature.s-skipped{border-left-color:#d69e1f}
.feature h2{font-size:1.6rem;margin:.1rem 0 .2rem}
.crumbs{margin:0;color:var(--muted);font-size:.85rem}
.feature-counts{margin:0 0 .8rem;color:var(--muted);font-size:.9rem}
.story{background:#f7f5ff;border-left:4px solid #7b61c9;padding:.6rem 1rem;border-radius:0 8px 8px 0;margin:.4rem 0 .6rem;
font-family:Georgia,"DejaVu Serif",serif;font-size:1.05rem}
.story p{margin:.1rem 0}.story strong{color:#4b2a86}
.description>p{margin:.3rem 0}
.source{color:var(--muted);font-size:.92rem}.source .label{margin-right:.3rem}
.decision{border-left:3px solid #b7791f;background:#fffaf0;padding:.35rem .7rem;font-size:.95rem}
.chip{display:inline-block;border:1px solid var(--line);border-radius:6px;padding:0 .45rem;font-size:.78rem;
color:var(--muted);margin-right:.3rem;background:#faf9f6}
.chip.vendor{border-color:#9fb7d8;background:#eaf1fb;color:#1d4e89;font-weight:700}
.chip.v-oasis{border-color:#c7a8dd;background:#f4ecfa;color:#5b2a86}
.chip.v-generic{border-color:#bcc3cc;background:#f0f2f4;color:#3c4450}
.rule{margin-top:1.2rem}
.rule h3{font-size:1.2rem;margin:.2rem 0}
.rule h3 .label{margin-right:.4rem;vertical-align:middle}
.rule-desc{margin:.1rem 0 .6rem;color:#39404a;font-style:italic}
.scenario{border:1px solid var(--line);border-radius:10px;margin:.7rem 0;background:#fff}
.scenario>summary{cursor:pointer;padding:.6rem .9rem;list-style-position:outside;display:block}
.scenario>summary::-webkit-details-marker{display:none}
.scenario>summary::before{content:"▸";color:var(--muted);margin-right:.4rem;display:inline-block;transition:transform .1s}
.scenario[open]>summary::before{transform:rotate(90deg)}
.scenario.s-failed{border-color:#efb0b0;box-shadow:inset 4px 0 0 var(--fail)}
.scenario.s-skipped{box-shadow:inset 4px 0 0 #d69e1f}
.scenario.s-passed{box-shadow:inset 4px 0 0 var(--pass)}
.scenario-kw{color:var(--muted);margin-left:.3rem}
.scenario-name{font-weight:700;font-size:1.05rem}
.example{display:block;margin:.2rem 0 0 1.4rem;font-size:.85rem;color:var(--muted)}
.ex-name{font-style:italic}
.scenario-body{padding:0 .9rem .8rem 2.2rem}
.steps{list-style:none;margin:0;padding:0}
.step{padding:.22rem 0;font-size:1rem}
.step-status{display:inline-block;width:1.4rem;font-weight:700}
.step.s-passed .step-status{color:var(--pass)}.step.s-failed .step-status{color:var(--fail)}
.step.s-skipped .step-status{color:var(--skip)}.step.s-not-run{color:var(--idle)}
.step.s-failed{background:var(--fail-bg);border-radius:6px;padding-left:.3rem;margin-left:-.3rem}
.kw{font-weight:700;color:#1d4e89;margin-right:.25rem}
.param{background:var(--param);color:var(--param-ink);border-radius:4px;padding:0 .2rem;font-weight:600}
.quote{color:#9a8fb8}
.step.s-not-run .param{background:#f1f1f3;color:var(--idle)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
pre{background:#f6f8fa;border:1px solid #e3e6ea;border-radius:8px;padding:.6rem .8rem;overflow:auto;max-height:24rem;white-space:pre-wrap;word-break:break-word}
pre.error{background:var(--fail-bg);border-color:#efb0b0;color:#5c0b0d;margin:.3rem 0 .3rem 1.4rem}
.note{border-radius:8px;padding:.4rem .7rem;margin:.5rem 0}
.note.skipped{background:var(--skip-bg);color:#4d3200}
table.datatable{border-collapse:collapse;margin:.3rem 0 .3rem 1.4rem;font-size:.9rem}
.datatable th,.datatable td{border:1px solid var(--line);padding:.2rem .6rem}.datatable th{background:#f4f2ed}
.evidence{margin-top:.7rem;border-top:1px dashed var(--line);padding-top:.5rem}
.evidence>summary{cursor:pointer;color:#2d333b;font-size:.93rem}
.evidence>summary .label{margin-right:.4rem;color:#1d4e89}
.evidence h4{margin:.8rem 0 .3rem;font-size:.95rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:.8rem;margin-top:.7rem}
.card{border:1px solid #c9d3e0;border-radius:10px;background:#fbfcfe;padding:.6rem .9rem;font-size:.9rem}
.card header{display:flex;align-items:baseline;gap:.5rem;border-bottom:1px solid #e2e8f0;padding-bottom:.3rem;margin-bottom:.4rem}
.card .pol{font-size:1.1rem}
.pol-status{margin-left:auto;font-weight:700;border-radius:6px;padding:0 .5rem;background:#e7eef8;color:#1d4e89}
.pol-in-review .pol-status{background:var(--skip-bg);color:var(--skip)}
.pol-sent .pol-status{background:var(--pass-bg);color:var(--pass)}
.pol-cancelled .pol-status,.pol-closed .pol-status{background:var(--idle-bg);color:var(--idle)}
.card dl{display:grid;grid-template-columns:9.5rem 1fr;gap:.1rem .6rem;margin:0}
.card dt{color:var(--muted)}.card dd{margin:0;word-break:break-word}
.alerts{margin-top:.4rem;background:#fff8e6;border-radius:6px;padding:.3rem .6rem}
.alerts ul{margin:.1rem 0;padding-left:1rem}.alerts li{list-style:none;text-indent:-1rem}
.exchanges{padding-left:1.4rem;margin:.2rem 0}
.exchanges li{margin:.25rem 0}
.exchange summary{cursor:pointer}
.x-icon{font-weight:700;color:#1d4e89;margin-right:.2rem}.x-icon.refused{color:var(--fail)}
.during{display:block;color:var(--muted);font-size:.82rem;margin-left:1.3rem}
.wire{margin:.3rem 0 .6rem 1.3rem;display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:.8rem}
.wire pre{margin:.2rem 0}.wire h5 .muted{text-transform:none;letter-spacing:0;font-weight:400}.wire h5{margin:.5rem 0 .2rem;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.request-line{margin:.1rem 0}
.refusal{background:var(--fail-bg);color:#5c0b0d;border-radius:6px;padding:.3rem .6rem;margin:.2rem 0}
.tags{margin:.6rem 0 0}
footer{max-width:68rem;margin:0 auto 3rem;padding:0 1.5rem;color:var(--muted);font-size:.85rem}
.hidden{display:none!important}
@media print{.filters{display:none!important}.page-head{padding:1rem}body{background:#fff}}
"""

_SCRIPT = """
document.documentElement.classList.add('js');
(function(){
  var form=document.querySelector('.filters');if(!form)return;
  function apply(){
    var status=form.querySelector('input[name=status]:checked').value;
    var vendors=[].map.call(form.querySelectorAll('input[name=vendor]:checked'),function(i){return i.value});
    var q=form.q.value.trim().toLowerCase();
    document.querySelectorAll('.scenario').forEach(function(s){
      var ok=(status==='all'||s.dataset.status===status)&&
        s.dataset.vendors.split(' ').some(function(v){return vendors.indexOf(v)>=0})&&
        (!q||s.dataset.text.indexOf(q)>=0);
      s.classList.toggle('hidden',!ok);
    });
    document.querySelectorAll('.rule,.feature,.area').forEach(function(b){
      b.classList.toggle('hidden',!b.querySelector('.scenario:not(.hidden)'));
    });
  }
  form.addEventListener('input',apply);form.addEventListener('change',apply);
  var toggle=form.querySelector('[data-toggle]');
  toggle.addEventListener('click',function(){
    var open=toggle.dataset.toggle==='open';
    document.querySelectorAll('details.evidence').forEach(function(d){d.open=open});
    toggle.dataset.toggle=open?'close':'open';
    toggle.textContent=open?'Close all evidence':'Open all evidence';
  });
})();
"""
