"""Schemathesis driven by Ex Libris' official OpenAPI files (../shared/reference/openapi: acq, bibs, conf,
electronic), not only the simulator's own description, against a real server: every operation Alma documents —
the many the simulator does not serve included — is answered within Alma's error envelope or with success,
never a 500, a traceback or a framework's plain-text page. Two derandomized positive examples and one negative per
operation keep CI time modest. Skipped where the reference folder is not beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import schemathesis
from alma_requests import KEY
from hypothesis import HealthCheck, Phase, given, settings
from reliability_support import check_answer, header
from schemathesis import GenerationMode

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "openapi"
FILES = sorted(REFERENCE.glob("*.json")) if REFERENCE.is_dir() else []
EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 1}

pytestmark = pytest.mark.skipif(not FILES, reason=f"the official OpenAPI files are not at {REFERENCE}")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("document", FILES, ids=lambda p: p.stem)
def test_every_officially_documented_operation_answers_within_the_envelope(server, document, mode):
    schema = schemathesis.openapi.from_path(str(document))
    operations = [result.ok() for result in schema.get_all_operations() if _loads(result)]
    assert len(operations) >= len(list(schema.get_all_operations())) // 2, f"{document.name}: too few operations could be read"
    failures: list[str] = []
    seen: dict[int, int] = {}
    with requests.Session() as session:
        for operation in operations:
            @settings(max_examples=EXAMPLES[mode], derandomize=True, database=None, deadline=None,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            @given(case=operation.as_strategy(generation_mode=mode))
            def probe(case):
                case.query = {**(case.query or {}), "apikey": KEY}
                try:
                    response = case.call(base_url=server.url, session=session, timeout=15)
                except requests.RequestException as exc:  # e.g. a header value requests itself refuses to send
                    if isinstance(exc, (requests.ConnectionError, requests.Timeout)):
                        failures.append(f"{operation.label}: {type(exc).__name__} {exc}")
                    return
                seen[response.status_code] = seen.get(response.status_code, 0) + 1
                try:
                    check_answer(response.status_code, response.headers, response.content)
                    assert header(response.headers, "x-request-id")
                except AssertionError as exc:
                    failures.append(f"{operation.label}: {response.status_code} {case.as_curl_command()}\n  {exc}")

            probe()
    assert not failures, f"{len(failures)} answers outside the envelope:\n" + "\n".join(failures[:10])
    assert any(400 <= status < 500 for status in seen), seen


def _loads(result) -> bool:
    try:
        result.ok()
    except Exception:  # an operation schemathesis cannot read from the official file
        return False
    return True
