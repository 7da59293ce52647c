"""Strict mode: an unexpected call fails loudly with a near-miss explanation instead of getting a plausible
answer. Unknown paths and verbs are always answered 404/405 with the nearest routes and remembered among the
unmatched calls; in strict mode a query parameter no route reads is refused too."""

from __future__ import annotations

import json

import pytest
from alma_requests import po_line

from simulator.api import codec
from simulator.backends import make_backend
from simulator.errors import GeneralError

POL = "/almaws/v1/acq/po-lines"
JSON = {"accept": "application/json"}


def _unmatched(wire) -> list[dict]:
    return json.loads(wire("GET", "/almasim/v1/admin/unmatched", key=None).body)["unmatched"]


def test_a_misspelt_parameter_is_ignored_without_strict_mode(wire):
    assert wire("POST", f"{POL}?profilecode=GOBI_API", json_body=po_line(), headers=JSON).status == 200
    assert _unmatched(wire) == []


def test_in_strict_mode_a_misspelt_parameter_is_refused_with_what_the_route_reads(wire):
    wire("PUT", "/almasim/v1/admin/settings", key=None, json_body={"strict": 1})
    answer = wire("POST", f"{POL}?profilecode=GOBI_API", json_body=po_line(), headers=JSON)
    [(code, message)] = codec.parse_error_body(answer.body)
    assert answer.status == 400 and code == "402119"
    assert "does not read profilecode" in message and "profile_code" in message
    [remembered] = _unmatched(wire)
    assert remembered["institution"] == "01TRLC_HVU" and remembered["query"] == "profilecode=GOBI_API"
    assert wire("POST", f"{POL}?profile_code=GOBI_API", json_body=po_line(), headers=JSON).status == 200


def test_an_unknown_path_names_the_nearest_routes_and_is_remembered(wire):
    answer = wire("GET", "/almaws/v1/acq/po-line/POL-10001", headers=JSON)
    [(code, message)] = codec.parse_error_body(answer.body)
    assert answer.status == 404 and "Nearest: GET /almaws/v1/acq/po-lines/{po_line_id}" in message
    assert [c["path"] for c in _unmatched(wire)] == ["/almaws/v1/acq/po-line/POL-10001"]
    wire("POST", "/almasim/v1/admin/reset", key=None)
    assert _unmatched(wire) == []


def test_the_in_process_backend_refuses_in_strict_mode_as_http_does():
    alma = make_backend("inprocess", strict=True)
    with pytest.raises(GeneralError) as loud:
        alma.list_po_lines(sort="title")
    assert loud.value.code == "402119" and loud.value.status == 400
    assert "does not read sort" in str(loud.value) and "order_by" in str(loud.value)
    assert [c["path"] for c in alma.backend.service.unmatched] == ["/almaws/v1/acq/po-lines"]
    assert make_backend("inprocess").list_po_lines(sort="title")["total_record_count"] >= 1  # not strict: ignored


USERS_TEST = '''
def test_lists_po_lines_with_a_typo(alma):
    alma.list_po_lines(odrer_by="number")
'''


@pytest.mark.parametrize("backend", ["inprocess", "mocked"])
def test_the_pytest_plugin_fails_a_test_that_makes_an_unexpected_call(pytester, backend):
    pytester.makepyfile(test_users_project=USERS_TEST)
    strict = pytester.runpytest_subprocess(f"--alma-backend={backend}", "-p", "no:cacheprovider")
    assert strict.ret != 0
    strict.stdout.fnmatch_lines(["*odrer_by*order_by*"])
    relaxed = pytester.runpytest_subprocess(f"--alma-backend={backend}", "--no-alma-strict", "-p", "no:cacheprovider")
    relaxed.assert_outcomes(passed=1)


pytest_plugins = ["pytester"]
