"""Tenant isolation and key scopes over HTTP: one institution's key never sees another's PO lines, funds or
records (a PO line of another institution is simply not found, 401871, and no list includes it); read-only
keys cannot write; a key without an area cannot use it; a missing or unknown key is 401 in XML."""

from __future__ import annotations

import pytest
from alma_requests import ACQ_ONLY, KEY, READ_ONLY, po_line
from defusedxml.ElementTree import fromstring
from reliability_support import ADMIN, ENVELOPE_ROOT, LIBRARIAN, check_answer

RVC = "l8xx-rvc-0000-read-write"
LSU = "l8xx-lsu-0000-read-write"
RVC_CODE = "01TRLC_RVC"
JSON = {"accept": "application/json"}


@pytest.fixture(scope="module")
def orders(server, client):
    """Each institution (HVU, Riverside, a fresh HVU tenant) places one order carrying its own marker."""
    client.post(f"{server.url}{ADMIN}/reset").raise_for_status()
    tenant = client.post(f"{server.url}{ADMIN}/tenants", json={"template": "01TRLC_HVU"}).json()
    made = {}
    for name, key, order in (("hvu", KEY, po_line(vendor_reference_number="MARK-HVU")),
                             ("tenant", tenant["api_key"], po_line(vendor_reference_number="MARK-TENANT")),
                             ("rvc", RVC, _riverside_order())):
        response = client.post(f"{server.base_url}/acq/po-lines", params={"apikey": key}, json=order, headers=JSON)
        assert response.status_code == 200, (name, response.text[:300])
        made[name] = {"key": key, "line": response.json()}
    return made


def _riverside_order() -> dict:
    return {"owner": {"value": "RIVER"}, "type": {"value": "PRINTED_BOOK_OT"}, "vendor_reference_number": "MARK-RVC",
            "resource_metadata": {"title": "Riverside's own book"}}


def _lines(client, server, key: str) -> list[dict]:
    found = client.get(f"{server.base_url}/acq/po-lines", params={"apikey": key, "limit": 100, "status": "ALL"},
                       headers=JSON).json()
    return found.get("po_line", [])


def test_a_po_line_of_another_institution_is_not_found_and_never_listed(server, client, orders):
    for owner, made in orders.items():
        number = made["line"]["number"]
        marker = made["line"]["vendor_reference_number"]
        for other, seen in orders.items():
            if other == owner:
                continue
            response = client.get(f"{server.base_url}/acq/po-lines/{number}", params={"apikey": seen["key"]},
                                  headers=JSON)
            if response.status_code == 200:  # the other institution has its own line with this number
                assert response.json()["vendor_reference_number"] != marker, (owner, other)
            else:
                assert check_answer(response.status_code, response.headers, response.content) == ["401871"]
            listed = _lines(client, server, seen["key"])
            assert marker not in {line["vendor_reference_number"] for line in listed}, (owner, other)
            search = client.get(f"{server.base_url}/acq/po-lines",
                                params={"apikey": seen["key"], "q": f"title~{made['line']['resource_metadata']['title']}",
                                        "status": "ALL"}, headers=JSON).json()
            assert marker not in {line["vendor_reference_number"] for line in search.get("po_line", [])}


def test_funds_and_records_of_another_institution_are_not_found(server, client, orders):
    hvu_funds = client.get(f"{server.base_url}/acq/funds", params={"apikey": KEY, "limit": 100}, headers=JSON).json()
    rvc_funds = client.get(f"{server.base_url}/acq/funds", params={"apikey": RVC, "limit": 100}, headers=JSON).json()
    hvu_ids = {fund["id"] for fund in hvu_funds["fund"]}
    assert hvu_ids and not hvu_ids & {fund["id"] for fund in rvc_funds["fund"]}
    assert rvc_funds["fund"] and {fund["owner"]["value"] for fund in rvc_funds["fund"]} == {RVC_CODE}
    for fund_id in sorted(hvu_ids)[:3]:
        response = client.get(f"{server.base_url}/acq/funds/{fund_id}", params={"apikey": RVC}, headers=JSON)
        assert response.status_code == 400 and check_answer(400, response.headers, response.content)
    hvu_record = orders["hvu"]["line"]["resource_metadata"]["mms_id"]["value"]
    for key in (RVC, LSU, orders["tenant"]["key"]):
        response = client.get(f"{server.base_url}/bibs/{hvu_record}", params={"apikey": key}, headers=JSON)
        assert response.status_code == 400, response.text[:200]
        assert check_answer(400, response.headers, response.content) == ["402203"]


WRITES = [
    ("POST", "/almaws/v1/acq/po-lines", po_line()),
    ("PUT", "/almaws/v1/acq/po-lines/{number}", po_line()),
    ("DELETE", "/almaws/v1/acq/po-lines/{number}?reason=ORDERED_IN_ERROR", None),
    ("POST", "/almaws/v1/acq/po-lines/{number}/items", None),
    ("POST", "/almaws/v1/acq/test", None),
    ("POST", f"{LIBRARIAN}/po-lines/{{number}}/approve", None),
    ("PUT", f"{LIBRARIAN}/integration-profiles/GOBI_API", {"name": "x"}),
    ("PATCH", f"{LIBRARIAN}/funds/HIST-MONO", {"allocated": "1"}),
]


@pytest.mark.parametrize("method, path, body", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_a_read_only_key_cannot_write(server, client, orders, method, path, body):
    before = client.get(f"{server.url}{ADMIN}/state").json()
    target = server.url + path.format(number=orders["hvu"]["line"]["number"])
    response = client.request(method, target, params={"apikey": READ_ONLY}, json=body, headers=JSON)
    _unauthorized_in_xml(response)
    assert client.get(f"{server.url}{ADMIN}/state").json() == before


def test_a_read_only_key_reads(server, client, orders):
    number = orders["hvu"]["line"]["number"]
    for path in (f"/acq/po-lines/{number}", "/acq/funds", "/conf/libraries", "/acq/test"):
        assert client.get(f"{server.base_url}{path}", params={"apikey": READ_ONLY}).status_code == 200, path


@pytest.mark.parametrize("path", ["/conf/libraries", "/conf/integration-profiles", "/conf/code-tables/PurchaseType",
                                  "/conf/test", "/bibs/test", "/electronic/e-collections"])
def test_an_acq_only_key_cannot_read_other_areas(server, client, path):
    _unauthorized_in_xml(client.get(f"{server.base_url}{path}", params={"apikey": ACQ_ONLY, "format": "json"}))


def test_an_acq_only_key_works_in_acquisitions(server, client):
    assert client.get(f"{server.base_url}/acq/funds", params={"apikey": ACQ_ONLY}).status_code == 200
    made = client.post(f"{server.base_url}/acq/po-lines", params={"apikey": ACQ_ONLY}, json=po_line(), headers=JSON)
    assert made.status_code == 200, made.text[:300]


@pytest.mark.parametrize("auth", [{}, {"apikey": ""}, {"apikey": "l8xx-nobody"}, {"header": "Bearer " + KEY},
                                  {"header": "apikey"}, {"header": "apikey l8xx-nobody"}])
def test_a_missing_or_unknown_key_is_401_in_xml_whatever_was_asked_for(server, client, auth):
    headers = {**JSON, "content-type": "application/json"}
    params = {"format": "json"}
    if "apikey" in auth:
        params["apikey"] = auth["apikey"]
    if "header" in auth:
        headers["authorization"] = auth["header"]
    for method, path in (("GET", "/acq/funds"), ("POST", "/acq/po-lines"), ("GET", "/acq/test")):
        _unauthorized_in_xml(client.request(method, f"{server.base_url}{path}", params=params, headers=headers,
                                            content=b'{"owner": "MAIN"}' if method == "POST" else None))


def _unauthorized_in_xml(response) -> None:
    assert response.status_code == 401, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/xml")
    assert fromstring(response.content).tag == ENVELOPE_ROOT
    assert check_answer(401, response.headers, response.content) == ["UNAUTHORIZED"]
