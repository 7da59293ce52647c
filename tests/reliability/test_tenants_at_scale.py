"""Tenants at scale, through the admin API: thousands of them without a scan of every institution, MMS ID
suffixes from Alma's whole four-digit space (each tenant's own, freed when it is dropped), a clear one-line
refusal past the last one, and never a traceback from the admin API whatever it is sent."""

from __future__ import annotations

import json

import pytest
from reliability_support import ADMIN

from simulator.api.service import AlmaService
from simulator.api.wire import RawRequest, handle


def _admin(service: AlmaService, method: str, path: str, body: object = None, raw: bytes | None = None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    answer = handle(service, RawRequest(method, f"{ADMIN}{path}", [], {"content-type": "application/json"}, data))
    assert b"Traceback" not in answer.body and answer.status != 500, answer.body[:300]
    return answer.status, json.loads(answer.body)


def test_every_suffix_of_the_four_digit_space_can_be_a_tenant_then_a_clear_refusal():
    service = AlmaService()
    taken = {inst.mms_suffix for inst in service.world.institutions.values()}
    free = 10_000 - len(taken)
    suffixes = set()
    for _ in range(free):
        service.add_tenant()
    suffixes = {inst.mms_suffix for inst in service.world.institutions.values()}
    assert len(suffixes) == 10_000 and all(len(s) == 4 and s.isdigit() for s in suffixes)
    status, answer = _admin(service, "POST", "/tenants", {"template": "01TRLC_HVU"})
    assert status == 400 and "no MMS ID suffix left" in answer["error"] and "\n" not in answer["error"]
    dropped = next(code for code in service.world.institutions if "_T" in code)
    suffix = service.world.institutions[dropped].mms_suffix
    assert _admin(service, "DELETE", f"/tenants/{dropped}")[0] == 200
    status, made = _admin(service, "POST", "/tenants", {"template": "01TRLC_HVU"})
    assert status == 201
    assert service.world.institutions[made["code"]].mms_suffix == suffix  # freed, then reused
    assert made["api_key"] and made["api_keys"]


@pytest.mark.parametrize("raw", [b"[]", b"1e400", b'{"template": 5}', b'{"template": "NOPE"}', b'{"code": ["x"]}',
                                 b'{"template": "01TRLC_HVU", "code": "01TRLC_HVU"}', b"\xff\xfe", b'"\\ud800"',
                                 b'{"name": "\\ud800"}'])
def test_the_tenants_call_refuses_bad_bodies_in_one_line_never_a_traceback(raw):
    service = AlmaService()
    status, answer = _admin(service, "POST", "/tenants", raw=raw)
    if status != 201:
        assert status == 400 and answer["error"].startswith("SIMULATOR: ") and "\n" not in answer["error"]
