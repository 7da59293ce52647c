"""Stubs (pinned answers) and journal verification: over a real server with plain httpx as a non-Python vendor's
code would call it, through AlmaClient on the server backend, and with mock_alma."""

from __future__ import annotations

import httpx
import pytest
from alma_requests import HVU, KEY, po_line

from simulator import mock_alma
from simulator.api import codec
from simulator.backends import AlmaClient
from simulator.backends.http import HttpBackend
from simulator.errors import AlmaError, HarnessError

PO_LINES = "/almaws/v1/acq/po-lines"
JSON = {"accept": "application/json", "authorization": f"apikey {KEY}"}


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=10, headers=JSON) as client:
        yield client


def admin(http: httpx.Client, method: str, path: str, **options) -> httpx.Response:
    return http.request(method, f"/almasim/v1/admin{path}", **options)


def test_a_raw_answer_is_sent_exactly_as_pinned_for_n_calls_then_the_real_answer(http):
    made = admin(http, "POST", "/stubs", json={"method": "GET", "path": "/almaws/v1/acq/funds", "status": 200,
                                               "body": '{"fund": [{"code": "HIST', "times": 1})
    assert made.status_code == 201 and made.json()["id"] == 1
    broken = http.get("/almaws/v1/acq/funds")
    assert broken.status_code == 200 and broken.content == b'{"fund": [{"code": "HIST'
    with pytest.raises(ValueError):
        broken.json()
    assert http.get("/almaws/v1/acq/funds").json()["total_record_count"] > 0  # the stub retired after one call
    assert admin(http, "GET", "/stubs").json() == []


def test_a_load_balancers_html_page_and_headers(http):
    admin(http, "POST", "/stubs", json={"path": "/almaws/v1/acq/*", "status": 502, "content_type": "text/html",
                                        "body": "<html><body><h1>502 Bad Gateway</h1></body></html>",
                                        "headers": {"retry-after": "3"}})
    answer = http.get("/almaws/v1/acq/vendors")
    assert (answer.status_code, answer.headers["content-type"], answer.headers["retry-after"]) == (
        502, "text/html", "3")
    assert b"Bad Gateway" in answer.content and codec.parse_error_body(answer.content) == []


def test_an_alma_error_in_its_own_dialect_matched_on_the_body_and_query(http):
    admin(http, "POST", "/stubs", json={"method": "POST", "path": PO_LINES, "body_fields": {"vendor.value": "GOBI"},
                                        "query": {"profile_code": "*"}, "code": "402459",
                                        "message": "Vendor account is not active."})
    refused = http.post(PO_LINES, params={"profile_code": "GOBI_API"}, json=po_line())
    assert refused.status_code == 400
    assert codec.parse_error_body(refused.content) == [("402459", "Vendor account is not active.")]
    as_xml = http.post(PO_LINES, params={"profile_code": "GOBI_API"}, json=po_line(),
                       headers={"accept": "application/xml"})
    assert b"<errorCode>402459</errorCode>" in as_xml.content  # XML asked, XML envelope
    assert http.post(PO_LINES, json=po_line()).status_code == 200  # no profile_code: not matched
    entries = admin(http, "GET", "/journal").json()["entries"]
    assert [e["stubbed"] for e in entries] == [1, 1, None]
    assert entries[0]["summary"].startswith("stubbed (stub 1): PO line refused")


def test_a_sequence_first_503_then_the_real_answer(http):
    admin(http, "POST", "/stubs", json={"method": "POST", "path": PO_LINES,
                                        "answers": [{"status": 503, "code": "GENERAL_ERROR",
                                                     "message": "Try again later."}, {"passthrough": True}]})
    assert http.post(PO_LINES, json=po_line()).status_code == 503
    created = http.post(PO_LINES, json=po_line())
    assert created.status_code == 200 and created.json()["number"].startswith("POL-")
    assert http.post(PO_LINES, json=po_line()).status_code == 200  # the sequence is spent: the stub retired
    assert admin(http, "GET", "/stubs").json() == []
    counted = admin(http, "GET", "/journal/count", params={"method": "POST", "outcome": "stubbed"}).json()
    assert counted["count"] == 2  # the 503 and the passed-through answer were both the stub's


def test_stubs_are_listed_removed_and_cleared_by_reset(http):
    first = admin(http, "POST", "/stubs", json={"path": "/almaws/v1/acq/test", "status": 500, "body": "oops"}).json()
    admin(http, "POST", "/stubs", json={"path": "/almaws/v1/conf/libraries", "delay": 0.01})
    assert [s["id"] for s in admin(http, "GET", "/stubs").json()] == [first["id"], first["id"] + 1]
    assert http.get("/almaws/v1/acq/test").status_code == 500
    assert admin(http, "DELETE", f"/stubs/{first['id']}").json() == {"removed": first["id"]}
    assert http.get("/almaws/v1/acq/test").status_code == 200
    assert admin(http, "DELETE", f"/stubs/{first['id']}").status_code == 400  # already gone
    admin(http, "POST", "/reset")
    assert admin(http, "GET", "/stubs").json() == []


def test_a_bad_stub_is_refused_in_one_line(http):
    refused = admin(http, "POST", "/stubs", json={"path": PO_LINES, "stauts": 503})
    assert refused.status_code == 400 and "unknown stub field(s) stauts" in refused.json()["error"]
    assert admin(http, "POST", "/stubs", json={"path": PO_LINES}).status_code == 400  # no answer at all


def test_strict_mode_does_not_refuse_what_a_stub_answers(http):
    admin(http, "PUT", "/settings", json={"strict": 1})
    admin(http, "POST", "/stubs", json={"path": "/almaws/v1/acq/licenses", "status": 200, "body": '{"license": []}'})
    assert http.get("/almaws/v1/acq/licenses").json() == {"license": []}  # no such simulated route, but stubbed
    refused = http.get("/almaws/v1/acq/funds", params={"modee": "POL"})
    assert refused.status_code == 400 and "modee" in refused.text  # strict mode still explains the rest


def test_verification_counts_and_explains_near_misses_over_the_admin_api(http):
    number = http.post(PO_LINES, json=po_line()).json()["number"]
    http.get(f"{PO_LINES}/{number}")
    http.delete(f"{PO_LINES}/{number}", params={"reason": "ORDERED_IN_ERROR"})
    count = admin(http, "GET", "/journal/count", params={"vendor": "GOBI", "po_line": number}).json()
    assert count["count"] == 3
    assert admin(http, "GET", "/journal/count",
                 params={"method": "DELETE", "query.reason": "ORDERED_IN_ERROR"}).json()["count"] == 1
    ok = admin(http, "POST", "/journal/verify", json={"method": "POST", "path": PO_LINES, "times": 1})
    assert ok.status_code == 200 and ok.json() == {"ok": True, "count": 1}
    failed = admin(http, "POST", "/journal/verify", json={"method": "DELETE", "po_line": number,
                                                           "query": {"reason": "VENDOR_CANCELLED"}, "times": 1})
    assert failed.status_code == 417
    assert "query has reason=ORDERED_IN_ERROR" in failed.json()["error"]
    assert failed.json()["near_misses"][0]["call"].startswith(f"DELETE {PO_LINES}/{number}")


@pytest.fixture
def alma(server):
    backend = HttpBackend(server.base_url, KEY)
    yield AlmaClient(backend)
    backend.close()


def test_the_client_stubs_and_verifies_on_the_server_backend(alma):
    alma.stub(method="POST", path=PO_LINES, answers=[{"status": 503}, {"passthrough": True}])
    with pytest.raises(AlmaError) as refused:
        alma.create_po_line(po_line())
    assert refused.value.status == 503
    number = alma.create_po_line(po_line())["number"]
    alma.journal.assert_called(2, method="POST", path=PO_LINES, outcome="stubbed")
    alma.journal.assert_called(po_line=number)
    assert alma.journal.count(outcome="refused") == 1
    assert [e["status"] for e in alma.journal(method="POST")] == [503, 200]  # still callable as before
    with pytest.raises(AssertionError) as missed:
        alma.journal.assert_called(method="POST", path=PO_LINES, vendor="RIALTO")
    assert "vendor is GOBI, not RIALTO" in str(missed.value)
    with pytest.raises(HarnessError):
        alma.journal.count(colour="blue")  # a misuse, not a failed assertion
    alma.stub(path="/almaws/v1/acq/vendors/*", status=200, body="{not json", times=1)
    with pytest.raises(ValueError):
        alma.vendor("GOBI")
    alma.clear_stubs()
    assert alma.stubs() == []


def test_mock_alma_stubs_and_verifies():
    with mock_alma() as alma:
        url = f"{alma.base_url}/acq/po-lines"
        stub = alma.stub(method="POST", path=PO_LINES, status=200, body="<po_line><number>POL-", times=1,
                         content_type="application/xml")
        truncated = httpx.post(url, json=po_line(), params={"apikey": alma.api_key()})
        assert truncated.status_code == 200 and truncated.text == "<po_line><number>POL-"
        assert httpx.post(url, json=po_line(), params={"apikey": alma.api_key()}).status_code == 200
        assert list(alma.stubs) == [] and stub.fired == 1
        alma.journal.assert_called(2, method="POST", path=PO_LINES)
        alma.journal.assert_called(1, outcome="stubbed")
        assert alma.journal.count(vendor="GOBI", outcome="answered") == 2  # the stubbed 200 too
        with pytest.raises(AssertionError) as missed:
            alma.journal.assert_called(method="GET", path=PO_LINES)
        assert "method is POST, not GET" in str(missed.value)
        alma.stub(path="/almaws/v1/acq/test", delay=0.01, passthrough=True)
        assert httpx.get(f"{alma.base_url}/acq/test", params={"apikey": alma.api_key()}).status_code == 200
        alma.clear_stubs()


def test_the_in_process_backend_reads_a_raw_stub_as_http_would(service):
    from simulator.backends import InProcessBackend
    alma = AlmaClient(InProcessBackend(service=service, institution=HVU))
    alma.stub(path="/almaws/v1/acq/test", status=500, body="<html>proxy error</html>", content_type="text/html")
    with pytest.raises(AlmaError) as refused:
        alma.test()
    assert refused.value.status == 500 and "without Alma's error envelope" in str(refused.value)


def test_the_curl_walkthrough_runs_as_written(server):
    """docs/curl-walkthrough.md's sh blocks, one after the other, with curl and jq, against a fresh server."""
    import re
    import shutil
    import subprocess
    from pathlib import Path
    if not (shutil.which("curl") and shutil.which("jq") and shutil.which("bash")):
        pytest.skip("the walkthrough needs bash, curl and jq")
    page = Path(__file__).resolve().parents[2] / "docs" / "curl-walkthrough.md"
    script = "\n".join(re.findall(r"```sh\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S))
    ran = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "ALMA": server.base_url})
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    for expected in ('{"test":"GET - OK - institutionCode: 01TRLC_HVU"}', "POL-10002", "POL-10003", "204",
                     "Cancelled", "PO line POL-10002 cancelled (reason ORDERED_IN_ERROR)", "401871",
                     "<html><body>502 Bad Gateway</body></html>", '{"fund": [{"code": "HIS', '{"stubs":[]}',
                     '{"ok":true,"count":1}', "  #8 DELETE /almaws/v1/acq/po-lines/POL-10002 → 204: query has "
                     "reason=ORDERED_IN_ERROR", "Three Rivers Library Consortium"):
        assert expected in lines, expected
