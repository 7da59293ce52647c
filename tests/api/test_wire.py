"""Alma's HTTP face at the wire: auth, formats, errors, thresholds, headers (reference/alma-api.md §1, §6)."""

from __future__ import annotations

import json

from alma_requests import ACQ_ONLY, KEY, READ_ONLY, po_line

from simulator.api import codec
from simulator.api.wire import RawRequest, handle

JSON = {"accept": "application/json"}
POL = "/almaws/v1/acq/po-lines"


def envelope(response) -> list[tuple[str, str]]:
    return codec.parse_error_body(response.body)


def test_a_json_po_line_gets_200_and_a_number(wire):
    answer = wire("POST", POL, json_body=po_line(), headers=JSON)
    assert answer.status == 200
    body = json.loads(answer.body)
    assert body["number"].startswith("POL-")
    assert body["status"]["value"] == "SENT"  # a complete VENDOR_SYSTEM order goes straight out
    assert answer.header("content-type") == "application/json;charset=UTF-8"


def test_an_xml_po_line_gets_200_and_a_number(wire):
    xml = (b"<po_line><owner>MAIN</owner><type>PRINTED_BOOK_OT</type><vendor>GOBI</vendor>"
           b"<vendor_account>GOBI-HVU</vendor_account><price><sum>12.50</sum><currency>USD</currency></price>"
           b"<resource_metadata><title>An XML Order</title></resource_metadata>"
           b"<fund_distributions><fund_distribution><fund_code>HIST-MONO</fund_code><amount><sum>12.50</sum>"
           b"<currency>USD</currency></amount></fund_distribution></fund_distributions></po_line>")
    answer = wire("POST", POL, body=xml, headers={"content-type": "application/xml"})
    assert answer.status == 200
    assert answer.header("content-type") == "application/xml;charset=UTF-8"
    root, body = codec.from_xml(answer.body)
    assert root == "po_line" and body["number"].startswith("POL-")


def test_a_po_line_without_owner_gets_400_with_401664_in_both_formats(wire):
    order = po_line()
    del order["owner"]
    as_json = wire("POST", POL, json_body=order, headers=JSON)
    assert as_json.status == 400
    doc = json.loads(as_json.body)
    assert doc["errorsExist"] is True and doc["result"] is None
    assert doc["errorList"]["error"][0]["errorCode"] == "401664"
    as_xml = wire("POST", POL, json_body=order)
    assert as_xml.status == 400
    assert b'xmlns="http://com/exlibris/urm/general/xmlbeans"' in as_xml.body
    assert envelope(as_xml) == [("401664", "Mandatory field is missing: owner")]


def test_a_wrong_or_missing_key_gets_401_in_xml_even_when_json_was_asked(wire):
    for key in ("l8xx-nobody", None):
        answer = wire("GET", "/almaws/v1/acq/test", key=key, headers=JSON)
        assert answer.status == 401
        assert answer.header("content-type") == "application/xml;charset=UTF-8"
        assert envelope(answer) == [("UNAUTHORIZED", "API-key not defined or not configured to allow this API.")]


def test_the_key_may_come_in_the_authorization_header(wire):
    answer = wire("GET", "/almaws/v1/acq/test", key=None, headers={"Authorization": f"apikey {KEY}"})
    assert answer.status == 200
    assert answer.body.endswith(b"<test>GET - OK - institutionCode: 01TRLC_HVU</test>")


def test_a_read_only_key_reads_but_cannot_write(wire):
    assert wire("GET", "/almaws/v1/acq/test", key=READ_ONLY).status == 200
    assert wire("POST", "/almaws/v1/acq/test", key=READ_ONLY).status == 401
    assert wire("POST", POL, key=READ_ONLY, json_body=po_line()).status == 401


def test_an_acquisitions_only_key_cannot_read_configuration(wire):
    assert wire("GET", "/almaws/v1/acq/funds", key=ACQ_ONLY).status == 200
    answer = wire("GET", "/almaws/v1/conf/libraries", key=ACQ_ONLY)
    assert answer.status == 401 and envelope(answer)[0][0] == "UNAUTHORIZED"


def test_every_answer_carries_the_charset_a_request_id_and_the_calls_left(wire):
    answers = [wire("GET", "/almaws/v1/conf/libraries"), wire("GET", "/almaws/v1/conf/libraries", headers=JSON),
               wire("GET", "/almaws/v1/acq/po-lines/POL-0", headers=JSON), wire("GET", "/almaws/v1/nowhere"),
               wire("GET", "/almaws/v1/acq/test", key="bad"), wire("GET", "/almaws/v1/acq/test?format=json")]
    for answer in answers:
        assert answer.header("content-type").endswith(";charset=UTF-8")
        assert len(answer.header("x-request-id")) == 10
        assert int(answer.header("x-exl-api-remaining")) > 0
    assert len({a.header("x-request-id") for a in answers}) == len(answers)
    assert json.loads(answers[-1].body) == {"test": "GET - OK - institutionCode: 01TRLC_HVU"}


def test_format_parameter_wins_over_accept(wire):
    answer = wire("GET", "/almaws/v1/conf/libraries?format=json", headers={"accept": "application/xml"})
    body = json.loads(answer.body)
    assert body["total_record_count"] == len(body["library"])
    xml = wire("GET", "/almaws/v1/conf/libraries")
    assert xml.body.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><libraries total_record_count="')


def test_x_exl_api_remaining_counts_down_and_the_daily_threshold_refuses(service, wire):
    service.configure({"daily_threshold": 3})
    remaining = [int(wire("GET", "/almaws/v1/acq/test").header("x-exl-api-remaining")) for _ in range(3)]
    assert remaining == [2, 1, 0]
    refused = wire("GET", "/almaws/v1/acq/test", headers=JSON)
    assert refused.status == 429
    assert envelope(refused)[0][0] == "DAILY_THRESHOLD"


def test_the_per_second_threshold_answers_429(service, wire):
    service.configure({"per_second_threshold": 2})
    statuses = [wire("GET", "/almaws/v1/acq/test").status for _ in range(6)]
    assert 429 in statuses
    refused = next(a for a in (wire("GET", "/almaws/v1/acq/test") for _ in range(3)) if a.status == 429)
    assert envelope(refused)[0][0] == "PER_SECOND_THRESHOLD"


def test_thresholds_are_per_institution(service, wire):
    service.configure({"daily_threshold": 1})
    assert wire("GET", "/almaws/v1/acq/test").status == 200
    assert wire("GET", "/almaws/v1/acq/test").status == 429
    assert wire("GET", "/almaws/v1/acq/test", key="l8xx-rvc-0000-read-write").status == 200


def test_an_unknown_path_is_404_and_a_wrong_verb_405_both_with_the_envelope(wire):
    missing = wire("GET", "/almaws/v1/acq/no-such-thing", headers=JSON)
    assert missing.status == 404 and envelope(missing)[0][0] == "402119"
    wrong_verb = wire("PATCH", POL)
    assert wrong_verb.status == 405 and envelope(wrong_verb)[0][0] == "402119"
    assert wrong_verb.header("allow") == "GET, POST"


def test_a_malformed_body_is_402119(wire):
    for body, kind in ((b'{"owner": ', "application/json"), (b"<po_line><owner>", "application/xml")):
        answer = wire("POST", POL, body=body, headers={"content-type": kind})
        assert answer.status == 400
        assert envelope(answer)[0][0] == "402119"


def test_a_dtd_is_refused_and_nothing_is_created(service, wire):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b"<po_line><owner>&lol2;</owner></po_line>")
    before = len(service.world.institution("01TRLC_HVU").po_lines)
    answer = wire("POST", POL, body=bomb, headers={"content-type": "application/xml"})
    assert answer.status == 400 and envelope(answer)[0][0] == "402119"
    assert "DTD" in envelope(answer)[0][1]
    assert len(service.world.institution("01TRLC_HVU").po_lines) == before


def test_an_unexpected_failure_is_a_500_envelope_never_a_traceback(service, wire, capsys):
    service.world.institution("01TRLC_HVU").libraries = None  # a broken world: the handler will crash
    answer = wire("GET", "/almaws/v1/conf/libraries", headers=JSON)
    assert answer.status == 500
    assert envelope(answer)[0][0] == "INTERNAL_SERVER_ERROR"
    assert b"Traceback" not in answer.body
    assert "Traceback" in capsys.readouterr().err


def test_delete_answers_204_without_a_body(wire):
    number = json.loads(wire("POST", POL, json_body=po_line(), headers=JSON).body)["number"]
    answer = wire("DELETE", f"{POL}/{number}?reason=ORDERED_IN_ERROR")
    assert answer.status == 204 and answer.body == b""
    again = wire("DELETE", f"{POL}/{number}?reason=ORDERED_IN_ERROR", headers=JSON)
    assert again.status == 400 and envelope(again)[0][0] == "401884"


def test_one_institutions_key_never_sees_anothers_po_lines(wire):
    number = json.loads(wire("POST", POL, json_body=po_line(), headers=JSON).body)["number"]
    other = wire("GET", f"{POL}/{number}", key="l8xx-rvc-0000-read-write", headers=JSON)
    assert other.status == 400 and envelope(other)[0][0] == "401871"


def test_links_in_answers_point_at_the_host_that_was_called(service):
    from simulator.api.wire import RawRequest, handle
    answer = handle(service, RawRequest("GET", "/almaws/v1/acq/vendors/GOBI", [("apikey", KEY)],
                                        {"accept": "application/json"}, b"", "http://127.0.0.1:9/almaws/v1"))
    assert json.loads(answer.body)["link"].startswith("http://127.0.0.1:9/almaws/v1/acq/vendors/")


# ---------------------------------------------------------------- one envelope for every answer (issue 10) -------


def _exact(wire, method: str, path: str, key: str = KEY):
    """The path exactly as given (the Wire helper's urlsplit would drop a newline or a tab)."""
    return handle(wire.service, RawRequest(method, path, [("apikey", key)], JSON))


def test_unknown_paths_with_odd_characters_get_404_in_alma_s_envelope_after_the_key_check(wire):
    for path in ("/almaws/v1/acq/po-lines\n", "/almaws/v1/acq/po-lines/POL-1\n", "/almaws/v1/acq/po-lines/PO\tL-1",
                 "/almaws/v1/acq/po-lines/POL-1/../..", "/almaws/v1/acq/pö-lines", "/almaws/v1/acq/\x00"):
        answer = _exact(wire, "GET", path)
        assert answer.status == 404, path
        assert answer.header("content-type") == "application/json;charset=UTF-8"
        [(code, message)] = envelope(answer)
        assert code == "402119" and "No such API" in message
        assert answer.header("x-request-id") and answer.header("x-exl-api-remaining")
        refused = _exact(wire, "GET", path, key="l8xx-nobody")  # the key is checked first
        assert refused.status == 401 and envelope(refused)[0][0] == "UNAUTHORIZED"


def test_unknown_methods_get_405_with_allow_naming_the_path_s_own_methods(wire):
    for method in ("TRACE", "QUERY", "PATCH", "OPTIONS"):
        answer = wire(method, "/almaws/v1/acq/po-lines/POL-1", headers=JSON)
        assert answer.status == 405 and answer.header("allow") == "DELETE, GET, PUT", method
        assert envelope(answer)[0][0] == "402119"
    listing = wire("TRACE", POL)
    assert listing.status == 405 and listing.header("allow") == "GET, POST"
    nowhere = wire("TRACE", "/almaws/v1/acq/nowhere")
    assert nowhere.status == 404 and nowhere.header("allow") is None
    assert wire("TRACE", POL, key="l8xx-nobody").status == 401


def test_two_different_keys_in_the_query_and_the_header_are_refused(wire):
    both = {**JSON, "authorization": f"apikey {READ_ONLY}"}
    answer = wire("GET", "/almaws/v1/acq/test", headers=both)  # KEY in the query, READ_ONLY in the header
    assert answer.status == 401 and answer.header("content-type") == "application/xml;charset=UTF-8"
    [(code, message)] = envelope(answer)
    assert code == "UNAUTHORIZED" and "Two different API keys" in message
    same = wire("GET", "/almaws/v1/acq/test", headers={**JSON, "authorization": f"apikey {KEY}"})
    assert same.status == 200


def test_a_repeated_single_valued_parameter_is_refused_naming_it(wire):
    answer = wire("GET", f"{POL}?limit=1&limit=2", headers=JSON)
    assert answer.status == 400
    [(code, message)] = envelope(answer)
    assert code == "40166410" and "limit" in message and "more than once" in message
    assert wire("GET", f"{POL}?limit=1&offset=0", headers=JSON).status == 200
    assert wire("GET", f"{POL}?limit=1&limit=2", key="l8xx-nobody").status == 401  # the key comes first
