"""A pytest plugin that writes the evidence of a feature run: `--almasim-evidence PATH`.

Not registered by entry point: load it with `-p simulator.testing.evidence_plugin` or list it in a conftest's
`pytest_plugins`. For each test it keeps the scenario as pytest-bdd knows it (feature and its description,
rule, scenario, every step with its data table or doc string and its own result, the tags and the vendor marks
that Examples tables carry), the test's outcome (a skip keeps its reason) and every exchange with Alma that a
`simulator.testing.evidence.RecordingBackend` made meanwhile. At the end of the session it writes one JSON file that
`almasim report` reads. It also knows what pytest-bdd's Cucumber JSON leaves out: rules, scenarios skipped
before their first step, steps never reached, and runs under pytest-xdist (whose workers hand their records
to the controller, which writes the one file).
Imports simulator.testing.evidence; pytest-bdd is used when present.
"""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from simulator.testing.evidence import Sheet, collecting

FORMAT = "almasim-evidence/1"
_NOT_TAGS = {"parametrize", "usefixtures", "skip", "skipif", "xfail", "filterwarnings", "seeded"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("almasim-evidence", "living-documentation evidence")
    group.addoption("--almasim-evidence", dest="almasim_evidence", default=None, metavar="PATH",
                    help="write what each scenario sent to Alma and what Alma answered to PATH (JSON), "
                         "for `almasim report`")


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("almasim_evidence", None)
    if path and not config.pluginmanager.has_plugin("almasim-evidence-collector"):
        config.pluginmanager.register(EvidenceCollector(config, Path(path)), "almasim-evidence-collector")


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _short(text: str, limit: int = 2000) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " …"


def _commit() -> str:
    """The code's git commit, when the run is made in a git work tree (else empty)."""
    import subprocess
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _first_lines(exception: BaseException) -> str:
    """The failure as a person reads it: the message, without pytest's "+ where …" introspection."""
    lines = []
    for line in f"{type(exception).__name__}: {exception}".splitlines():
        if line.lstrip().startswith("+  where") or line.lstrip().startswith("+    where"):
            break
        lines.append(line)
    return _short("\n".join(lines).strip(), 800)


def _step_json(step: Any) -> dict[str, Any]:
    table = None
    if getattr(step, "datatable", None) is not None:
        try:
            table = [[str(cell) for cell in row] for row in step.datatable.raw()]
        except Exception:  # a pytest-bdd without DataTable.raw(): the table is left out, the step kept
            table = None
    return {"keyword": step.keyword, "name": step.name, "line": step.line_number, "datatable": table,
            "docstring": step.docstring, "status": "not run", "duration_ms": 0.0, "error": None}


def _scenario_of(item: pytest.Item) -> tuple[Any, dict[str, str]]:
    """The scenario pytest-bdd will run for this test, rendered with its Examples row (None if not a scenario)."""
    try:
        from pytest_bdd.scenario import scenario_wrapper_template_registry
    except ImportError:
        return None, {}
    test_function = getattr(item, "obj", None)
    if test_function is None:  # not a Python test function (a doctest, another plugin's item): no scenario
        return None, {}
    template = scenario_wrapper_template_registry.get(test_function)
    if template is None:
        return None, {}
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec is not None else {}
    try:
        return template.render(example), {str(k): str(v) for k, v in example.items()}
    except Exception:
        return None, {}


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
        return reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason
    return str(longrepr or "")


class EvidenceCollector:
    """Keeps one record per test item and writes them all (merged from xdist workers) at the end."""

    def __init__(self, config: pytest.Config, path: Path) -> None:
        self.config = config
        self.path = path
        self.records: dict[str, dict[str, Any]] = {}
        self.sheets: dict[str, Sheet] = {}
        self.started = _now()
        self.clock = time.perf_counter()
        self.worker = getattr(config, "workerinput", {}).get("workerid") if hasattr(config, "workerinput") else None

    # -- one record per test ----------------------------------------------------------------------------------------
    def _record(self, item: pytest.Item) -> dict[str, Any]:
        record = self.records.get(item.nodeid)
        if record is not None:
            return record
        scenario, example = _scenario_of(item)
        marks = sorted({m.name for m in item.iter_markers()} - _NOT_TAGS)
        record = {"nodeid": item.nodeid, "name": item.name, "marks": marks, "examples": example,
                  "outcome": "not run", "reason": "", "error": "", "duration_s": 0.0, "worker": self.worker,
                  "feature_file": "", "feature": None, "rule": None, "scenario": None, "steps": [],
                  "exchanges": []}
        if scenario is not None:
            self._describe(record, scenario)
        self.records[item.nodeid] = record
        return record

    @staticmethod
    def _describe(record: dict[str, Any], scenario: Any) -> None:
        feature = scenario.feature
        rule = getattr(scenario, "rule", None)
        record["feature_file"] = feature.rel_filename
        record["feature"] = {"keyword": feature.keyword, "name": feature.name, "description": feature.description,
                             "tags": sorted(feature.tags), "line": feature.line_number}
        record["rule"] = None if rule is None else {"keyword": rule.keyword, "name": rule.name,
                                                    "description": rule.description, "tags": sorted(rule.tags)}
        record["scenario"] = {"keyword": scenario.keyword, "name": scenario.name, "line": scenario.line_number,
                              "description": scenario.description, "tags": sorted(scenario.tags)}
        record["steps"] = [_step_json(step) for step in scenario.steps]

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None):
        self._record(item)
        sheet = self.sheets[item.nodeid] = Sheet()
        with collecting(sheet):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        record = self._record(item)
        record["duration_s"] = round(record["duration_s"] + report.duration, 6)
        if report.when == "setup" and report.skipped:
            record["outcome"], record["reason"] = "skipped", _skip_reason(report)
        elif report.when == "call" or (report.failed and record["outcome"] in ("passed", "not run")):
            record["outcome"] = "skipped" if report.skipped else report.outcome
            if report.skipped:
                record["reason"] = _skip_reason(report)
                for step in record["steps"]:
                    if step["status"] == "running":
                        step["status"] = "skipped"
            elif report.failed:
                excinfo = call.excinfo
                record["error"] = _short(excinfo.exconly() if excinfo is not None else report.longreprtext)
                if report.when != "call":
                    record["error"] = f"while {'preparing' if report.when == 'setup' else 'cleaning up'}: " \
                                      f"{record['error']}"
        if report.when == "teardown":
            sheet = self.sheets.pop(item.nodeid, None)
            if sheet is not None:
                record["exchanges"] = [exchange.to_json() for exchange in sheet.exchanges]
        return report

    # -- step by step (pytest-bdd's hooks) ----------------------------------------------------------------------------
    def _step(self, request: Any, scenario: Any, step: Any) -> dict[str, Any] | None:
        record = self.records.get(request.node.nodeid)
        if record is None:
            return None
        steps = list(scenario.steps)
        index = next((i for i, s in enumerate(steps) if s is step), None)
        if index is None or index >= len(record["steps"]):
            return None
        sheet = self.sheets.get(request.node.nodeid)
        if sheet is not None:
            sheet.step = index
        return record["steps"][index]

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_before_scenario(self, request: Any, feature: Any, scenario: Any) -> None:
        record = self.records.get(request.node.nodeid)
        if record is not None:
            self._describe(record, scenario)  # the scenario actually run is the authority

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_before_step(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any) -> None:
        entry = self._step(request, scenario, step)
        if entry is not None:
            entry["status"], entry["_started"] = "running", time.perf_counter()

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_after_step(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any,
                              step_func_args: Any) -> None:
        self._finish(self._step(request, scenario, step), "passed")

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_step_error(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any,
                              step_func_args: Any, exception: BaseException) -> None:
        self._finish(self._step(request, scenario, step), "failed", _first_lines(exception))

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_step_func_lookup_error(self, request: Any, feature: Any, scenario: Any, step: Any,
                                          exception: BaseException) -> None:
        self._finish(self._step(request, scenario, step), "failed", f"no step definition matches: {step.name}")

    @staticmethod
    def _finish(entry: dict[str, Any] | None, status: str, error: str | None = None) -> None:
        if entry is None:
            return
        started = entry.pop("_started", None)
        if started is not None:
            entry["duration_ms"] = round((time.perf_counter() - started) * 1000, 3)
        entry["status"] = status
        if error:
            entry["error"] = _short(error)

    # -- writing (xdist: workers hand their records to the controller) -------------------------------------------
    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        payload = getattr(node, "workeroutput", {}).get("almasim_evidence")
        if payload:
            for record in json.loads(payload):
                self.records[record["nodeid"]] = record

    def _clean_records(self) -> list[dict[str, Any]]:
        for record in self.records.values():
            for step in record["steps"]:
                step.pop("_started", None)
                if step["status"] == "running":
                    step["status"] = "not run"
        return list(self.records.values())

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        records = self._clean_records()
        if self.worker is not None:
            # pytest-xdist sets workeroutput on a worker's config; pytest's Config does not declare it
            self.config.workeroutput["almasim_evidence"] = json.dumps(records, default=str)  # type: ignore[attr-defined]
            return
        option = self.config.option
        seed = getattr(option, "almasim_seed", None) or os.environ.get("ALMASIM_SEED")
        try:
            from importlib.metadata import version
            bdd = version("pytest-bdd")
        except Exception:
            bdd = ""
        metadata = {"started": self.started, "finished": _now(),
                    "duration_s": round(time.perf_counter() - self.clock, 3),
                    "seed": "0 (the default: fixed world, fixed clock, vendor catalogues built with seed 0)"
                    if seed in (None, "") else str(seed),
                    "world": str(getattr(option, "alma_world", None) or "the default world (fixtures/world.toml)"),
                    "commit": _commit(),
                    "backend": getattr(option, "alma_backend", None),
                    "alma_url": getattr(option, "alma_url", None),
                    "arguments": [str(a) for a in self.config.invocation_params.args],
                    "python": platform.python_version(), "pytest_bdd": bdd,
                    "exit_status": int(exitstatus)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps({"format": FORMAT, "metadata": metadata, "items": records},
                                        indent=1, default=str), encoding="utf-8")
