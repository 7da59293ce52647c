"""Hand-written bad input against a real server: every refusal is Alma's envelope with the right code, entity
tricks are refused and nothing in them is expanded, absurd numbers are refused, and unicode titles (right-to-left,
combining characters, astral planes) travel intact through JSON and XML into the brief record."""

from __future__ import annotations

import json

import pytest
from alma_requests import KEY, po_line
from reliability_support import ADMIN, check_answer

from simulator.api import codec

JSON_ACCEPT = {"accept": "application/json"}


def _post(client, server, body: bytes, content_type: str | None = "application/json", fmt: str = "json"):
    headers = {"accept": f"application/{fmt}"}
    if content_type is not None:
        headers["content-type"] = content_type
    return client.post(f"{server.base_url}/acq/po-lines", params={"apikey": KEY}, content=body, headers=headers)


def _refused(response, code: str) -> str:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert check_answer(response.status_code, response.headers, response.content) == [code]
    return response.text


def _world(client, server) -> dict:
    return client.get(f"{server.url}{ADMIN}/state").json()


def _xml_order(**changes) -> bytes:
    return codec.to_xml("po_line", po_line(**changes))


BAD_BODIES = {
    "malformed JSON": (b'{"owner": {"value": "MAIN"', "application/json", "402119"),
    "JSON with a trailing comma": (b'{"owner": "MAIN",}', "application/json", "402119"),
    "JSON NaN": (b'{"owner": "MAIN", "price": {"sum": NaN}}', "application/json", "402119"),
    "a JSON array": (b'[{"owner": "MAIN"}]', "application/json", "402119"),
    "a JSON string": (b'"po_line"', "application/json", "402119"),
    "deeply nested JSON": (b"[" * 100_000 + b"]" * 100_000, "application/json", "402119"),
    "malformed XML": (b"<po_line><owner>MAIN</owner>", "application/xml", "402119"),
    "mismatched XML tags": (b"<po_line><owner>MAIN</type></po_line>", "application/xml", "402119"),
    "deeply nested XML": (b"<a>" * 5_000 + b"</a>" * 5_000, "application/xml", "402119"),
    "not UTF-8": (b'{"owner": "\xff\xfe MAIN"}', "application/json", "402119"),
    "plain text": (b"owner=MAIN&type=PRINTED_BOOK_OT", "text/plain", "402119"),
    "an empty body": (b"", "application/json", "401676"),
    "only white space": (b" \r\n\t ", "application/json", "401676"),
    "XML announced as JSON": (_xml_order(), "application/json", "402119"),
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_malformed_bodies_are_refused_with_alma_s_envelope(client, server, name, fmt):
    body, content_type, code = BAD_BODIES[name]
    _refused(_post(client, server, body, content_type, fmt), code)


def test_a_body_over_the_codec_cap_is_refused_before_parsing_and_the_server_keeps_answering(client, server):
    oversized = json.dumps(po_line(note=[{"content": "x" * codec.MAX_BODY_BYTES}])).encode()
    assert len(oversized) > codec.MAX_BODY_BYTES
    assert "larger than" in _refused(_post(client, server, oversized), "402119")
    as_xml = b"<po_line><note>" + b"x" * (codec.MAX_BODY_BYTES + 1) + b"</note></po_line>"
    _refused(_post(client, server, as_xml, "application/xml", "xml"), "402119")
    assert _post(client, server, json.dumps(po_line()).encode()).status_code == 200


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml", "application/octet-stream",
                                          "application/x-www-form-urlencoded", "nonsense"])
def test_a_json_body_is_read_as_json_whatever_the_content_type_says(client, server, content_type):
    response = _post(client, server, json.dumps(po_line()).encode(), content_type)
    assert response.status_code == 200, response.text[:300]
    assert response.json()["number"].startswith("POL-")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml", "text/xml"])
def test_an_xml_body_without_a_json_content_type_is_read_as_xml(client, server, content_type):
    response = _post(client, server, _xml_order(), content_type, "xml")
    assert response.status_code == 200, response.text[:300]
    root, line = codec.from_xml(response.content)
    assert root == "po_line" and line["number"].startswith("POL-")


ENTITY_TRICKS = {
    "a DTD": b'<?xml version="1.0"?><!DOCTYPE po_line [<!ELEMENT po_line ANY>]><po_line><owner>MAIN</owner>'
             b"</po_line>",
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                      + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                                 for i in range(1, 10))
                      + b']><po_line><owner>MAIN</owner><resource_metadata><title>&lol9;</title>'
                        b"</resource_metadata></po_line>",
    "an internal entity": b'<!DOCTYPE p [<!ENTITY who "MAIN">]><po_line><owner>&who;</owner></po_line>',
    "an external entity": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                          b"<po_line><owner>MAIN</owner><resource_metadata><title>&xxe;</title>"
                          b"</resource_metadata></po_line>",
    "an external DTD": b'<?xml version="1.0"?><!DOCTYPE po_line SYSTEM "file:///etc/passwd"><po_line/>',
    "a parameter entity": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>'
                          b"<po_line/>",
    "an undeclared entity": b"<po_line><owner>&xxe;</owner></po_line>",
}


@pytest.mark.parametrize("name", list(ENTITY_TRICKS))
def test_xml_entity_tricks_are_refused_and_nothing_is_expanded_or_created(client, server, name):
    before = _world(client, server)
    for fmt in ("xml", "json"):
        text = _refused(_post(client, server, ENTITY_TRICKS[name], "application/xml", fmt), "402119")
        assert "root:" not in text and "lollol" not in text and "MAIN" not in text
    assert _world(client, server) == before


@pytest.mark.parametrize("price", ["-0.01", "-25.00", "1e400", "-1e400", "99999999999999999999", "1e13",
                                   "NaN", "Infinity", "-Infinity", "0x19", "25,00"])
def test_huge_negative_and_unreadable_prices_are_refused(client, server, price):
    order = po_line(price={"sum": price, "currency": {"value": "USD"}})
    order["fund_distribution"][0]["amount"]["sum"] = price
    _refused(_post(client, server, json.dumps(order).encode()), "401872")


@pytest.mark.parametrize("quantity", [-1, 0, -(10**30), 10**30, 10**9, "NaN", "Infinity", "1e400", "many",
                                      "-0.5", True])
def test_huge_negative_and_unreadable_quantities_are_refused(client, server, quantity):
    order = po_line()
    order["location"][0]["quantity"] = quantity
    _refused(_post(client, server, json.dumps(order).encode()), "401872")


def test_negative_fund_amounts_and_huge_discounts_are_refused_or_answered_never_a_500(client, server):
    for change in ({"discount": "-1e400"}, {"discount": "1e400"}, {"discount": "NaN"}, {"discount": "150"},
                   {"discount": "-50"}):
        response = _post(client, server, json.dumps(po_line(**change)).encode())
        check_answer(response.status_code, response.headers, response.content)
    order = po_line()
    order["fund_distribution"][0]["amount"]["sum"] = "-25.00"
    _refused(_post(client, server, json.dumps(order).encode()), "401872")


TITLES = [
    "כתבי הקודש: מהדורה ביקורתית",  # Hebrew, right to left
    "القرآن الكريم — تفسير الجلالين",  # Arabic, right to left
    "Mixed \u200fעברית\u200e and \u202eEnglish reversed\u202c",  # bidirectional marks and overrides
    "e\u0301te\u0301 a\u0300 Zu\u0308rich",  # decomposed: combining acute, grave and diaeresis
    "Z\u0308\u0336\u0301a\u0338\u0327l\u0335\u0323g\u0337\u0302o\u0334",  # stacked combining marks
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕿𝖎𝖙𝖑𝖊 😀 ﷺ",  # astral-plane characters
    "日本語の本：漢字とかな",
    "<title> & \"quotes\" 'apostrophes' ]]>",  # XML's own characters
]


@pytest.mark.parametrize("title", TITLES)
def test_unicode_titles_round_trip_through_json_and_xml_into_the_brief_record(client, server, title):
    made = _post(client, server, json.dumps(po_line(resource_metadata={"title": title}), ensure_ascii=False)
                 .encode("utf-8"))
    assert made.status_code == 200, made.text[:300]
    assert made.json()["resource_metadata"]["title"] == title
    mms_id = made.json()["resource_metadata"]["mms_id"]["value"]

    made_xml = _post(client, server, _xml_order(resource_metadata={"title": title}), "application/xml", "xml")
    assert made_xml.status_code == 200, made_xml.text[:300]
    _, line = codec.from_xml(made_xml.content)
    assert line["resource_metadata"]["title"] == title
    xml_mms_id = line["resource_metadata"]["mms_id"]["value"]

    for number, record in ((made.json()["number"], mms_id), (line["number"], xml_mms_id)):
        as_json = client.get(f"{server.base_url}/acq/po-lines/{number}", params={"apikey": KEY},
                             headers=JSON_ACCEPT).json()
        assert as_json["resource_metadata"]["title"] == title
        _, as_xml = codec.from_xml(client.get(f"{server.base_url}/acq/po-lines/{number}",
                                              params={"apikey": KEY}).content)
        assert as_xml["resource_metadata"]["title"] == title
        bib = client.get(f"{server.base_url}/bibs/{record}", params={"apikey": KEY}, headers=JSON_ACCEPT).json()
        assert bib["title"] == title and bib["brief_level"]["value"] == "01"
        _, bib_xml = codec.from_xml(client.get(f"{server.base_url}/bibs/{record}", params={"apikey": KEY}).content)
        assert bib_xml["title"] == title


ADMIN_MISUSE = [
    ("PUT", "/settings", b"[]"), ("PUT", "/settings", b'"x"'), ("PUT", "/settings", b'{"daily_threshold": 1e400}'),
    ("PUT", "/processing", b"[]"), ("PUT", "/processing", b'{"mode": "asynchronous", "seconds": 1e400}'),
    ("POST", "/clock", b"[]"), ("POST", "/clock", b'{"advance_seconds": 1e300}'),
    ("PUT", "/state", b'{"format": "almasim-world/1", "institutions": 5}'), ("PUT", "/state", b"[]"),
    ("POST", "/tenants", b"[]"), ("POST", "/tenants", b'{"code": ["x"]}'),
    ("POST", "/world", b'{"institutions": 5}'), ("POST", "/world", b'{"defaults": 5}'),
    ("POST", "/faults", b'{"times": [1]}'), ("GET", "/journal?limit=x", b""), ("DELETE", "/faults/abc", b""),
]


@pytest.mark.parametrize("method, path, body", ADMIN_MISUSE, ids=[f"{m} {p} {b[:30]!r}" for m, p, b in ADMIN_MISUSE])
def test_admin_api_misuse_is_a_400_in_the_simulator_s_own_words_never_a_500(client, server, method, path, body):
    response = client.request(method, f"{server.url}{ADMIN}{path}", content=body)
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert response.json()["error"].startswith("SIMULATOR: ")
    assert client.get(f"{server.base_url}/acq/test", params={"apikey": KEY}).status_code == 200



@pytest.mark.parametrize("quantity", ["2.5", 2.5, [3], {"value": 2}])
def test_fractional_and_structured_quantities_are_refused_not_guessed(client, server, quantity):
    order = po_line()
    order["location"][0]["quantity"] = quantity
    _refused(_post(client, server, json.dumps(order).encode()), "401872")


@pytest.mark.parametrize("number", ["POL/1", "POL-1\nX", " -POL", "P" * 65])
def test_a_po_line_number_that_cannot_be_fetched_again_is_refused(client, server, number):
    """A vendor-given number must work in GET /acq/po-lines/{number}: anything else is 401872."""
    _refused(_post(client, server, json.dumps(po_line(number=number)).encode()), "401872")
