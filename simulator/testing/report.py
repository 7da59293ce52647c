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


_DECISION_LEAD = re.compile(r"^Decision of the simulator(?:, not documented Alma behaviou?r)?\s*[:.]\s*", re.I)
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


def description_parts(text: str) -> list[tuple[str, str, str]]:
    """A feature's description as (kind, lead, text): kind is story, source, decision or text."""
    parts = []
    for line in _paragraphs(text):
        found = _STORY.match(line)
        if found and found.group(1).lower() == "source:":
            for citation in re.split(r"\s+Source:\s*", found.group(2)):
                parts.append(("source", "Source", citation))
        elif found:
            parts.append(("story", found.group(1), found.group(2)))
        elif _DECISION_LEAD.match(line):
            parts.append(("decision", "Decision of the simulator", _DECISION_LEAD.sub("", line)))
        else:
            parts.append(("text", "", line))
    return parts


def description_html(text: str) -> str:
    """"As a… I want… So that…" as a user story, the Source paragraphs as citations, the rest as paragraphs."""
    story, source, other = [], [], []
    for kind, lead, line in description_parts(text):
        if kind == "source":
            source.append(line)
        elif kind == "story":
            story.append(f"<p><strong>{e(lead)}</strong> {e(line)}</p>")
        elif kind == "decision":
            other.append(f'<p class="decision"><strong>{e(lead)}:</strong> {e(line)}</p>')
        else:
            other.append(f"<p>{e(line)}</p>")
    html = f'<div class="story">{"".join(story)}</div>' if story else ""
    html += "".join(other)
    for cite in source:
        html += f'<p class="source"><span class="label">Source</span> {e(cite)}</p>'
    return html


# -- what the front page sorts: documented Alma and decisions of the simulator -------------------------------------
_DOCUMENT = re.compile(r"(seeds/[\w.\-]+\.txt|(?:shared/)?reference/[\w.\-/]+?\.(?:md|json)|alma-api\.md|"
                       r"after-ordering\.md|ORDERING-RULES\.md|PRODUCT\.md)")
_QUOTED = re.compile(r'"([^"]{12,})"|“([^”]{12,})”')
EXCERPT = 520  # characters of a source passage shown in the report


@dataclass
class Source:
    """One passage a feature cites ("Source: …"), and where it is in the source document when it can be read."""

    id: str
    citation: str
    document: str = ""
    passage: str = ""
    features: list[Feature] = field(default_factory=list)


@dataclass
class Behaviour:
    kind: str  # "documented" (Alma's documentation says so) or "decision" (the simulator chose)
    text: str
    feature: Feature
    sources: list[Source] = field(default_factory=list)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def default_sources() -> Path | None:
    """Where the source documents are: $ALMASIM_SOURCES, else a `shared` folder beside or above the working
    directory (the project's ../shared) that has seeds/ or reference/."""
    import os
    named = os.environ.get("ALMASIM_SOURCES")
    if named:
        return Path(named)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "shared", folder.parent / "shared"):
            if (candidate / "seeds").is_dir() or (candidate / "reference").is_dir():
                return candidate
    return None


def _passage(document: str, citation: str, folder: Path | None) -> str:
    """The words around the first quotation of `citation` found in `document` (whitespace folded)."""
    if folder is None or not document:
        return ""
    name = document.removeprefix("shared/")
    for path in (folder / name, folder / "reference" / Path(name).name, folder / "seeds" / Path(name).name):
        if path.is_file():
            break
    else:
        return ""
    try:
        text = _squash(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return ""
    folded = text.casefold()
    head = folded[:1500]  # a quoted page title is in the page's header too: such quotations come last
    quotes = sorted((_squash(f.group(1) or f.group(2)).rstrip(".…") for f in _QUOTED.finditer(citation)),
                    key=lambda q: (q.casefold()[:30] in head, -len(q)))
    for quote in quotes:
        for probe in (quote, quote[:60], quote[:30]):
            if len(probe) < 12:
                continue
            hits = [m.start() for m in re.finditer(re.escape(probe.casefold()), folded)]
            if hits:
                at = next((h for h in hits if h > 800), hits[0])  # past the page's header, when it is there too
                start = max(0, text.rfind(" ", 0, max(0, at - 120)) + 1)
                end = text.find(" ", min(len(text), start + EXCERPT))
                return ("… " if start else "") + text[start:end if end > 0 else len(text)] + " …"
    return ""


def behaviours(run: Run, folder: Path | None = None) -> tuple[list[Behaviour], list[Source]]:
    """Every behaviour the features state, sorted into documented Alma and decisions of the simulator, and the
    source passages they cite (numbered in the order they first appear)."""
    sources: dict[str, Source] = {}
    found: list[Behaviour] = []
    for feature in run.features:
        texts = [feature.description] + list(dict.fromkeys(s.rule_description for s in feature.scenarios
                                                           if s.rule_description))
        cited: list[Source] = []
        decisions: list[str] = []
        for text in texts:
            for paragraph in _paragraphs(text):
                if paragraph.lower().startswith("source:"):
                    citation = paragraph[len("source:"):].strip()
                    for part in re.split(r"\s+Source:\s*", citation):
                        key = _squash(part)
                        if key not in sources:
                            document = _DOCUMENT.search(part)
                            doc = document.group(1) if document else ""
                            sources[key] = Source(id=f"src-{len(sources) + 1}", citation=key, document=doc,
                                                  passage=_passage(doc, part, folder))
                        if feature not in sources[key].features:
                            sources[key].features.append(feature)
                        cited.append(sources[key])
                elif _DECISION_LEAD.match(paragraph):
                    decision = _DECISION_LEAD.sub("", paragraph)
                    decisions.append(decision[:1].upper() + decision[1:])
        story = next((p for p in _paragraphs(feature.description) if p.lower().startswith("i want")), "")
        found.append(Behaviour(kind="documented", feature=feature, sources=cited,
                               text=story[len("I want"):].strip().removeprefix("to ").strip() or feature.name))
        found += [Behaviour(kind="decision", text=d, feature=feature, sources=cited) for d in decisions]
    return found, list(sources.values())


# -- the setup, as plain tables ----------------------------------------------------------------------------------
def setup_tables(institution: str = "01TRLC_HVU") -> dict[str, Any]:
    """The default world's set-up of the institution the features order for: profiles, funds, vendors."""
    try:
        from simulator.alma.seed import load_world
        world = load_world()
        inst = world.institution(institution)
    except Exception as exc:  # the report still renders without its setup
        return {"problem": f"the set-up could not be read: {exc}"}
    checks = (("block_invalid_fund_code", "invalid fund code"), ("block_not_fully_funded", "not fully funded"),
              ("block_insufficient_balance", "fund balance insufficient"))
    profiles = [{"code": p.code, "name": p.name, "system": p.system or "any", "default": "yes" if p.default else "",
                 "match": f"{p.non_serial_match_method} (serials: {p.serial_match_method})",
                 "no_match": "import a brief record" if p.upon_no_match.value == "IMPORT" else "add to the Network Zone",
                 "refuses": ", ".join(label for attr, label in checks if getattr(p, attr)) or "none: held for review",
                 "validation": p.validation_exception_profile}
                for p in inst.profiles.values()]
    funds = []
    for f in inst.funds.values():
        allocated = f.allocated or 1
        funds.append({"code": f.code, "name": f.name, "ledger": inst.ledgers[f.ledger].name if f.ledger in inst.ledgers
                      else f.ledger, "currency": f.currency, "allocated": f"{f.allocated:,.2f}",
                      "encumbered": f"{f.encumbered:,.2f}", "spent": f"{f.expended:,.2f}",
                      "available": f"{f.available:,.2f}", "active": f.active, "type": f.entity_type.lower(),
                      "current": (inst.current_fiscal_period is not None
                                  and f.fiscal_period == inst.current_fiscal_period.id),
                      "encumbered_pct": _percent(f.encumbered, allocated), "spent_pct": _percent(f.expended, allocated)})
    vendors = [{"code": v.code, "name": v.name, "system": v.system, "active": v.active,
                "accounts": ", ".join(v.accounts)} for v in inst.vendors.values()]
    return {"institution": inst.name, "code": inst.code, "profiles": profiles, "funds": funds, "vendors": vendors}


def _percent(part: Any, whole: Any) -> float:
    return max(0.0, min(100.0, float(part) * 100 / float(whole)))


# -- the evidence, in library words ------------------------------------------------------------------------------
PHASES = {"given": "Setting up", "when": "Doing", "then": "Checking"}
RAW_CHARS = 400  # characters of a raw request or answer kept under "for developers"


def _phases(scenario: Scenario) -> list[str]:
    """Each step's phase (Given/When/Then), And and But taking the phase of the step before."""
    out, current = [], "given"
    for step in scenario.steps:
        keyword = step.keyword.strip().lower()
        if keyword in PHASES:
            current = keyword
        out.append(current)
    return out


def _raw(value: Any) -> str:
    if value in (None, "", {}):
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= RAW_CHARS else text[:RAW_CHARS] + f" … ({len(text) - RAW_CHARS} more characters)"


def exchange_view(exchange: dict[str, Any], phase: str, step: Step | None) -> dict[str, Any]:
    summary = str(exchange.get("summary") or "")
    if phase == "then" and summary.startswith("The vendor "):
        summary = "Checked in Alma: " + summary[len("The vendor "):]
    error = exchange.get("error") if isinstance(exchange.get("error"), dict) else None
    query = exchange.get("query") or {}
    method = str(exchange.get("method") or "")
    keep = method != "GET" or error is not None
    return {"summary": summary, "phase": PHASES.get(phase, ""), "refused": error is not None,
            "error_code": str(error.get("code", "")) if error else "",
            "error_message": str(error.get("message", "")) if error else "",
            "during": f"{step.keyword} {step.text}" if step else "", "method": method,
            "target": str(exchange.get("path", "")) + ("?" + "&".join(f"{k}={v}" for k, v in query.items())
                                                       if isinstance(query, dict) and query else ""),
            "request": _raw(exchange.get("request")) if keep else "",
            "answer": _raw(exchange.get("answer")) if keep and not error else "",
            "ms": exchange.get("duration_ms"), "action": method != "GET"}


def fund_effects(card: dict[str, Any]) -> list[str]:
    """What a PO line did to each fund, in library words."""
    status = str(card.get("status_code") or "").upper()
    effects = []
    for share in card.get("fund_shares") or []:
        fund = share.get("fund") or "?"
        amount = share.get("amount") or (f"{share['percent']}% of the net price" if share.get("percent") else
                                         "the net price")
        if status == "INREVIEW":
            effects.append(f"{fund}: nothing encumbered yet; {amount} once a librarian approves the line")
        elif status == "CANCELLED":
            effects.append(f"{fund}: the encumbrance ({amount}) is released")
        elif status:
            effects.append(f"{fund}: {amount} encumbered")
    return effects


def evidence_view(scenario: Scenario) -> dict[str, Any]:
    phases = _phases(scenario)
    exchanges = []
    for exchange in scenario.exchanges:
        index = exchange.get("step")
        if isinstance(index, int) and 0 <= index < len(scenario.steps):
            exchanges.append(exchange_view(exchange, phases[index], scenario.steps[index]))
        else:
            exchanges.append(exchange_view(exchange, "", None))
    cards = _latest_cards(scenario.exchanges)
    for card in cards:
        card["effects"] = fund_effects(card)
    return {"exchanges": exchanges, "cards": cards, "actions": [x for x in exchanges if x["action"] or x["refused"]],
            "refusals": sum(1 for x in exchanges if x["refused"])}


def _latest_cards(exchanges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cards: dict[str, dict[str, Any]] = {}
    for exchange in exchanges:
        card = exchange.get("po_line")
        if isinstance(card, dict) and card.get("number"):
            cards.pop(str(card["number"]), None)
            cards[str(card["number"])] = dict(card)
    return list(cards.values())


def vendor_outcomes(run: Run) -> list[dict[str, Any]]:
    """Per vendor, what became of the PO lines it sent in this run: created, held In Review, refused."""
    counts: dict[str, dict[str, int]] = {}
    for scenario in run.scenarios:
        for exchange in scenario.exchanges:
            if str(exchange.get("method")) != "POST" or not str(exchange.get("path", "")).endswith("/acq/po-lines"):
                continue
            request: dict[str, Any] = exchange["request"] if isinstance(exchange.get("request"), dict) else {}
            vendor = request.get("vendor")
            name = str((vendor.get("value") if isinstance(vendor, dict) else vendor) or "no vendor named")
            row = counts.setdefault(name, {"created": 0, "in_review": 0, "refused": 0})
            card: dict[str, Any] = exchange["po_line"] if isinstance(exchange.get("po_line"), dict) else {}
            if exchange.get("error"):
                row["refused"] += 1
            elif str(card.get("status_code", "")).upper() == "INREVIEW":
                row["in_review"] += 1
            else:
                row["created"] += 1
    widest = max((sum(r.values()) for r in counts.values()), default=1) or 1
    rows = []
    for y, (name, row) in enumerate(sorted(counts.items())):
        x, parts = 0.0, []
        for key in ("created", "in_review", "refused"):
            width = 300 * row[key] / widest
            parts.append({"key": key, "x": round(x, 1), "width": round(width, 1), "n": row[key]})
            x += width
        rows.append({"vendor": name, "y": 26 * y, "parts": parts, **row, "total": sum(row.values())})
    return rows


def fund_totals(run: Run) -> list[dict[str, Any]]:
    """Per fund, what the run's PO lines did to it: lines encumbering it (and how much, per currency), lines held
    In Review on it, lines whose encumbrance a cancellation released. Every scenario starts from the set-up afresh,
    so these add up the scenarios, not one history."""
    from decimal import Decimal, InvalidOperation

    totals: dict[str, dict[str, Any]] = {}
    for scenario in run.scenarios:
        for card in _latest_cards(scenario.exchanges):
            status = str(card.get("status_code") or "").upper()
            for share in card.get("fund_shares") or []:
                fund = str(share.get("fund") or "")
                if not fund:
                    continue
                row = totals.setdefault(fund, {"fund": fund, "name": share.get("name") or "", "encumbering": 0,
                                               "in_review": 0, "released": 0, "amounts": {}})
                if status == "INREVIEW":
                    row["in_review"] += 1
                elif status == "CANCELLED":
                    row["released"] += 1
                elif status:
                    row["encumbering"] += 1
                    amount, _, currency = str(share.get("amount") or "").partition(" ")
                    try:
                        row["amounts"][currency] = row["amounts"].get(currency, Decimal(0)) + Decimal(amount)
                    except InvalidOperation:
                        pass
    for row in totals.values():
        row["encumbered"] = ", ".join(f"{v:,.2f} {c}" for c, v in sorted(row.pop("amounts").items())) or "—"
    return sorted(totals.values(), key=lambda r: r["fund"])


def svg_bar(counts: dict[str, int], total: int) -> list[dict[str, Any]]:
    x, out = 0.0, []
    for status, n in counts.items():
        if n and total:
            width = 600 * n / total
            out.append({"status": status, "x": round(x, 2), "width": round(width, 2), "n": n,
                        "word": STATUS_WORD[status].lower()})
            x += width
    return out


def coverage_rows(run: Run) -> tuple[list[str], list[dict[str, Any]]]:
    columns = list(VENDORS) + [NO_VENDOR]
    used = {v for s in run.scenarios for v in s.vendors}
    columns = [c for c in columns if c in VENDORS or c in used]
    rows: list[dict[str, Any]] = []
    for area, features in run.areas.items():
        rows.append({"area": area})
        for feature in features:
            cells = []
            for column in columns:
                chosen = [s for s in feature.scenarios if column in s.vendors]
                counts = [(st, sum(1 for s in chosen if s.status == st)) for st in STATUS_WORD]
                cells.append({"status": overall(s.status for s in chosen) if chosen else "",
                              "counts": [(st, n) for st, n in counts if n]})
            rows.append({"feature": feature, "cells": cells})
    return columns, rows


# -- rendering -----------------------------------------------------------------------------------------------------
def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=PackageLoader("simulator.testing", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["step_text"] = lambda text, examples: Markup(step_text(text, examples))
    env.filters["description"] = lambda text: Markup(description_html(text))
    env.globals["description_parts"] = description_parts
    env.globals["squash"] = _squash
    env.filters["dashed"] = lambda text: str(text).replace(" ", "-")
    env.globals.update(STATUS_WORD=STATUS_WORD, STATUS_ICON=STATUS_ICON, VENDORS=VENDORS, NO_VENDOR=NO_VENDOR)
    return env


def _git_commit() -> str:
    import subprocess
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


_BACKENDS = {"inprocess": "the simulated Alma, in-process", "mocked": "the simulated Alma behind Alma's own URLs "
             "(mocked)", "server": "the simulated Alma over HTTP (almasim serve)", "real": "a real Alma"}


def _when(value: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return str(value or "not recorded")
    zone = moment.strftime("%Z") or moment.strftime("UTC%z")
    return f"{moment.day} {moment.strftime('%B %Y, %H:%M')} {zone}".strip()


def render(run: Run, *, generated: datetime | None = None, sources: Path | None = None) -> str:
    meta = run.metadata
    generated = generated or datetime.now().astimezone()
    total = len(run.scenarios)
    counts = {s: run.count(s) for s in STATUS_WORD}
    backend = meta.get("backend")
    seed = meta.get("seed")
    facts = [("Run", _when(meta.get("started"))),
             ("Seed", str(seed) if seed not in (None, "") else "0 (the default: fixed world, fixed clock, "
                                                              "vendor catalogues built with seed 0)"),
             ("Against", _BACKENDS.get(str(backend), str(backend)) if backend else _BACKENDS["inprocess"]),
             ("World", str(meta.get("world") or "the default world (fixtures/world.toml)"))]
    if meta.get("alma_url"):
        facts.append(("Alma", meta["alma_url"]))
    if meta.get("duration_s") not in (None, ""):
        facts.append(("Duration", f"{float(meta['duration_s']):.1f} s"))
    if meta.get("arguments"):
        facts.append(("Command", "pytest " + " ".join(str(a) for a in meta["arguments"])))
    commit = meta.get("commit") or _git_commit()
    if commit:
        facts.append(("Code", f"commit {commit}"))
    facts.append(("Report made", _when(generated.isoformat(timespec="seconds"))))
    found, cited = behaviours(run, sources if sources is not None else default_sources())
    by_feature: dict[str, list[Source]] = {}
    for source in cited:
        for feature in source.features:
            by_feature.setdefault(feature.anchor, []).append(source)
    columns, coverage = coverage_rows(run)
    return _environment().get_template("living-documentation.html").render(
        run=run, facts=facts, total=total, counts=counts, bar=svg_bar(counts, total),
        documented=[b for b in found if b.kind == "documented"], decisions=[b for b in found if b.kind == "decision"],
        sources=cited, sources_of=by_feature, source_ids={s.citation: s.id for s in cited}, outcomes=vendor_outcomes(run), fund_rows=fund_totals(run), setup=setup_tables(),
        columns=columns, coverage=coverage, evidence=evidence_view)


def write_report(out: Path, cucumber: Path | None, evidence: Path | None,
                 metadata: dict[str, Any] | None = None, *, sources: Path | None = None) -> Run:
    run = read_run(cucumber, evidence, metadata)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(run, sources=sources), encoding="utf-8")
    return run


