"""The harness does what it says: both Alma fixtures (`alma` and `mock_alma`) fail a user's test that makes a
call the simulator does not serve as sent (strict by default, `--no-alma-strict` lets it through), and the
OpenAPI contract cannot be skipped into green under CI. Each case runs a real inner pytest (pytester)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

USERS_TESTS = '''
import httpx

ALMA = "https://api-na.hosted.exlibrisgroup.com/almaws/v1"


def test_alma_with_a_misspelt_parameter(alma):
    alma.list_po_lines(odrer_by="number")


def test_mock_alma_with_a_misspelt_parameter(mock_alma):
    answer = httpx.get(f"{ALMA}/acq/po-lines", params={"apikey": mock_alma.api_key(), "odrer_by": "number"})
    assert answer.status_code in (200, 400)


def test_mock_alma_with_a_misspelt_path(mock_alma):
    answer = httpx.get(f"{ALMA}/acq/po-line/POL-10001", params={"apikey": mock_alma.api_key()})
    assert answer.status_code == 404


def test_mock_alma_with_nothing_wrong(mock_alma):
    answer = httpx.get(f"{ALMA}/acq/vendors/GOBI", params={"apikey": mock_alma.api_key()})
    assert answer.status_code == 200
'''


def test_both_fixtures_fail_a_test_with_a_typo_and_no_alma_strict_lets_it_through(pytester):
    pytester.makepyfile(test_users_project=USERS_TESTS)
    strict = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    # each typo fails its test at teardown, with the explanation, whichever fixture made it (so code under test
    # that swallows the refusal cannot hide it); on the in-process backend the call itself raises as well
    strict.assert_outcomes(passed=3, failed=1, errors=3)
    strict.stdout.fnmatch_lines(["*test_alma_with_a_misspelt_parameter*", "*odrer_by*order_by*"])
    strict.stdout.fnmatch_lines(["*test_mock_alma_with_a_misspelt_parameter*", "*odrer_by*order_by*"])
    strict.stdout.fnmatch_lines(["*test_mock_alma_with_a_misspelt_path*",
                                 "*Nearest: GET /almaws/v1/acq/po-lines/{po_line_id}*"])
    relaxed = pytester.runpytest_subprocess("--no-alma-strict", "-p", "no:cacheprovider", "-p", "no:randomly")
    relaxed.assert_outcomes(passed=4)


CONTRACT = Path(__file__).resolve().parents[1] / "api" / "test_openapi_contract.py"


@pytest.mark.parametrize(("ci", "outcome"), [("1", "fails"), ("", "skips")])
def test_the_openapi_contract_fails_without_shared_under_ci_and_skips_otherwise(pytester, monkeypatch, ci, outcome):
    monkeypatch.setenv("ALMASIM_OPENAPI_DIR", str(pytester.path / "no-shared-here"))
    monkeypatch.setenv("CI", ci)
    result = pytester.runpytest_subprocess(str(CONTRACT), "-p", "no:cacheprovider", "-p", "no:randomly",
                                           "--rootdir", str(CONTRACT.parents[2]))
    outcomes = result.parseoutcomes()
    if outcome == "fails":
        assert result.ret != 0 and outcomes.get("errors", 0) > 0 and "skipped" not in outcomes, outcomes
        result.stdout.fnmatch_lines(["*CI is set, so the contract must run*"])
    else:
        assert result.ret == 0 and outcomes.get("skipped", 0) > 0 and "errors" not in outcomes, outcomes
