"""`almasim init` and the shipped step library, used as a user uses them: from a folder outside the repository,
with the installed `almasim` command and the installed pytest plugin, and no copy of the project's steps.

The proof of issue 16: a running simulator whose Hudson Valley University has a fund of its own is cloned with
`almasim clone`; `almasim init` writes a folder for the clone; a user's own feature about that fund is added;
`python -m pytest DIR --alma-world CLONE` passes on every local backend — and the same feature fails against the
default consortium, which has no such fund. Each test starts its servers on 127.0.0.1 and stops them."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService
from simulator.testing.steps import GLOSSARY, STEP_MODULES

REPO = Path(__file__).resolve().parents[1]
ALMASIM = str(Path(sys.executable).parent / "almasim")
HVU, READ_ONLY = "01TRLC_HVU", "l8xx-hvu-0000-read-only"

OWN_FEATURE = """\
Feature: Orders on our own fund
  As an acquisitions librarian at Hudson Valley University
  I want real-time orders charged to our local history fund to encumber it
  So that the fund's balance is right before the invoice comes

  Background:
    Given Hudson Valley University is set up for real-time ordering

  @oasis
  Scenario: An Oasis order on our own fund encumbers it
    Given the librarian has the print book "Mapping the Catskills: Surveyors and the State, 1790-1880" in the Oasis cart for 45.00 USD on "LOCAL-HISTORY"
    When the librarian checks out the Oasis cart
    Then Alma answers with a new PO line number
    And the PO line is Sent
    And the fund "LOCAL-HISTORY" has 89955.00 USD available
"""


@contextmanager
def running(service: AlmaService):
    server = ThreadedServer(service).start()
    try:
        yield server
    finally:
        server.stop()


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, timeout=600)


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m pytest DIR …` from outside the repository, as a user runs it (no project conftest, no pyproject)."""
    return run(sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider", *args,
               cwd=folder.parent)


@pytest.fixture(scope="module")
def cloned(tmp_path_factory) -> Path:
    """A world file cloned with `almasim clone` from a simulator whose Hudson Valley has a fund of its own."""
    service = AlmaService()
    hvu = service.world.institution(HVU)
    hvu.funds["LOCAL-HISTORY"] = replace(hvu.funds["HIST-MONO"], code="LOCAL-HISTORY", name="Local History",
                                         id="3400099990004561", allocated=Decimal("90000.00"), transactions=[])
    out = tmp_path_factory.mktemp("clone") / "our-alma.toml"
    with running(service) as server:
        done = run(ALMASIM, "clone", "--alma-url", server.base_url, "--api-key", READ_ONLY, "--out", str(out),
                   cwd=out.parent)
    assert done.returncode == 0, done.stderr
    assert "LOCAL-HISTORY" in out.read_text(encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def folder(cloned, tmp_path_factory) -> Path:
    """`almasim init DIR --world CLONE` outside the repository, plus the user's own feature."""
    folder = tmp_path_factory.mktemp("outside") / "our-scenarios"
    assert REPO not in folder.parents
    done = run(ALMASIM, "init", str(folder), "--world", str(cloned), cwd=folder.parent)
    assert done.returncode == 0, done.stderr
    assert f"Run it: cd {folder} && python -m pytest" in done.stdout
    (folder / "features" / "our-fund.feature").write_text(OWN_FEATURE, encoding="utf-8")
    return folder


def test_init_writes_a_folder_that_needs_no_copy_of_the_steps(folder):
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == ["GLOSSARY.md", "README.md", "STEPS.md", "features/ordering.feature",
                       "features/our-fund.feature", "features/test_features.py", "pytest.ini", "world/our-alma.toml"]
    assert "alma_world = world/our-alma.toml" in (folder / "pytest.ini").read_text(encoding="utf-8")
    binding = (folder / "features" / "test_features.py").read_text(encoding="utf-8")
    assert 'scenarios(".")' in binding and "steps" not in binding  # no step code and no conftest.py in the folder
    # the example is for the clone: the fund with most money available (the clone's own) and a vendor it has
    example = (folder / "features" / "ordering.feature").read_text(encoding="utf-8")
    assert "Given Hudson Valley University is set up for real-time ordering" in example
    assert 'in the GOBI cart for 45.00 USD on "LOCAL-HISTORY"' in example
    assert "- the librarian checks out the {vendor:Vendor} cart  (carts)" in (folder / "STEPS.md").read_text()


@pytest.mark.parametrize("backend", ["inprocess", "mocked", "server"])
def test_a_users_feature_for_a_cloned_institution_runs_outside_the_repository(folder, cloned, backend, tmp_path):
    evidence = tmp_path / "evidence.json"
    done = pytest_in(folder, f"--alma-backend={backend}", f"--alma-world={cloned}",
                     "-p", "simulator.testing.evidence_plugin", f"--almasim-evidence={evidence}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout  # the example's two scenarios and the user's own
    # the shipped steps record the evidence of a user's scenarios too (what `almasim report` shows)
    items = {item["name"]: item for item in json.loads(evidence.read_text(encoding="utf-8"))["items"]}
    own = items["test_an_oasis_order_on_our_own_fund_encumbers_it"]
    assert own["feature"]["name"] == "Orders on our own fund" and [s["status"] for s in own["steps"]] == ["passed"] * 6
    assert any(e["method"] == "POST" and e["path"].endswith("/acq/po-lines") for e in own["exchanges"])


def test_the_folders_own_pytest_ini_points_at_the_cloned_world(folder):
    done = pytest_in(folder, "-k", "own_fund")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_the_same_feature_fails_against_the_default_consortium(folder):
    """The world file is what the scenarios ran against: the default consortium has no LOCAL-HISTORY fund."""
    default_world = REPO / "fixtures" / "world.toml"
    done = pytest_in(folder, "-k", "own_fund", f"--alma-world={default_world}")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout and "LOCAL-HISTORY" in done.stdout


def test_init_with_the_default_world_copies_the_consortium_and_its_example_passes(tmp_path):
    folder = tmp_path / "consortium"
    done = run(ALMASIM, "init", str(folder), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (folder / "world" / "world.toml").exists() and (folder / "world" / "institutions" / "hudson-valley.toml").exists()
    ran = pytest_in(folder)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "2 passed" in ran.stdout


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    done = run(ALMASIM, "init", str(tmp_path / "taken"), cwd=tmp_path)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("almasim init: ") and line.endswith(f"{tmp_path / 'taken'} exists and is not an empty "
                                                                "folder; nothing written")
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]


def test_init_with_a_world_that_does_not_load_is_one_line_and_no_folder(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("institutions = [ 'nowhere.toml' ]\n", encoding="utf-8")
    done = run(ALMASIM, "init", str(tmp_path / "ours"), "--world", str(bad), cwd=tmp_path)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "nowhere.toml" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_the_step_library_imports_nothing_of_the_projects_features_or_tests():
    for module in STEP_MODULES + ["simulator.testing.steps._alma", "simulator.testing.steps._cart",
                                  "simulator.testing.steps._trouble", "simulator.testing.steps._types"]:
        source = REPO / (module.replace(".", "/") + ".py")
        tree = ast.parse(source.read_text(encoding="utf-8"))
        imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        assert not [name for name in imported if name.split(".")[0] in ("features", "tests")], module
        assert not [name for name in imported if name.startswith(("simulator.alma", "simulator.api"))], module


def test_the_features_glossary_is_the_shipped_one():
    """The glossary ships in the package (simulator/testing/steps/GLOSSARY.md, copied by `almasim init`);
    features/GLOSSARY.md is its copy for readers of the repository: edit the shipped one, then copy it."""
    assert (REPO / "features" / "GLOSSARY.md").read_text(encoding="utf-8") == GLOSSARY.read_text(encoding="utf-8")


def test_the_readmes_init_example_is_what_almasim_init_writes(tmp_path):
    """README "Your own scenarios": the summary and the example scenario are the real output for a clone of the
    simulator's own Hudson Valley University."""
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own scenarios", 1)[1]
    summary = re.search(r"```\n(Wrote ours:.*?)```", section, flags=re.S).group(1)
    scenario = re.search(r"```gherkin\n(.*?)```", section, flags=re.S).group(1)
    with running(AlmaService()) as server:
        cloned = run(ALMASIM, "clone", "--alma-url", server.base_url, "--api-key", READ_ONLY, "--out", "hvu.toml",
                     cwd=tmp_path)
    assert cloned.returncode == 0, cloned.stderr
    done = run(ALMASIM, "init", "ours", "--world", "hvu.toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == summary
    written = [line.strip() for line in (tmp_path / "ours/features/ordering.feature").read_text().splitlines()]
    shown = [line.strip() for line in scenario.splitlines()]
    assert " ".join(shown) in " ".join(written)
