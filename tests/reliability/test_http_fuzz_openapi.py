"""Schemathesis against the simulator's own OpenAPI description (GET /almasim/v1/admin/openapi.json), over a
real server on 127.0.0.1:0: every operation it describes, in positive and negative generation modes, never
answers 500 or a traceback, and every 4xx is Alma's error envelope (JSON or XML, in the xmlbeans namespace).

Most cases carry the read/write key so they reach the handlers; the others keep the key schemathesis made up
(or none), which must be a 401 envelope. Settings are bounded and derandomized so CI time stays small."""

from __future__ import annotations

import httpx
import pytest
import requests
import schemathesis
from alma_requests import KEY
from hypothesis import HealthCheck, Phase, given, settings
from reliability_support import ADMIN, header, check_answer
from schemathesis import GenerationMode

EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 5}


@pytest.fixture
def schema(server):
    document = httpx.get(f"{server.url}{ADMIN}/openapi.json", timeout=10).json()
    assert document["servers"][0]["url"] == server.url  # the description names the server it came from
    return schemathesis.openapi.from_dict(document)


@pytest.mark.parametrize("mode", list(EXAMPLES), ids=lambda m: m.value)
def test_every_described_operation_answers_with_alma_s_envelope_never_a_500(server, schema, mode):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    seen: dict[int, int] = {}
    failures: list[str] = []
    with requests.Session() as session:
        for operation in operations:
            @settings(max_examples=EXAMPLES[mode], derandomize=True, database=None, deadline=None,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            @given(case=operation.as_strategy(generation_mode=mode))
            def probe(case):
                keep_fuzzed_key = case.query is not None and len(str(case.query.get("apikey", ""))) % 4 == 3
                if not keep_fuzzed_key:
                    case.query = {**(case.query or {}), "apikey": KEY}
                response = case.call(base_url=server.url, session=session, timeout=10)
                seen[response.status_code] = seen.get(response.status_code, 0) + 1
                try:
                    check_answer(response.status_code, response.headers, response.content)
                    assert header(response.headers, "x-request-id")
                    if response.status_code != 401:
                        assert header(response.headers, "x-exl-api-remaining")
                except AssertionError as exc:
                    failures.append(f"{operation.label}: {response.status_code} {case.as_curl_command()}\n  {exc}")

            probe()
    assert not failures, "\n".join(failures[:10])
    assert seen.get(200, 0) > 0 and any(400 <= status < 500 for status in seen), seen
