"""Bibliographic records are MARC records (issue 9 §1): GET /bibs/{mms_id} answers Alma's bib object with its
MARC record (JSON `anies`, XML `<record>`), read here with pymarc and with almapipy; PUT /bibs/{mms_id}
overlays a brief record with a full one, POST /bibs creates one; holdings and items are read under the record."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pymarc
import pytest
from alma_requests import KEY, new_isbn, po_line

from simulator.api import codec

ALMA = "/almaws/v1"

FULL_RECORD = """<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000cam a2200000 i 4500</leader>
<controlfield tag="001">123</controlfield>
<datafield tag="020" ind1=" " ind2=" "><subfield code="a">{isbn}</subfield></datafield>
<datafield tag="100" ind1="1" ind2=" "><subfield code="a">Okafor, Ngozi,</subfield></datafield>
<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Harbours of the Bight :</subfield>
<subfield code="b">a history /</subfield></datafield>
<datafield tag="250" ind1=" " ind2=" "><subfield code="a">Second edition.</subfield></datafield>
<datafield tag="264" ind1=" " ind2="1"><subfield code="a">Lagos :</subfield><subfield code="b">Cowrie Press,</subfield>
<subfield code="c">2025.</subfield></datafield>
</record>"""


def marc_of(bib: dict) -> pymarc.Record:
    """What a client that reads bibs as MARC does with Alma's JSON: parse the one `anies` string."""
    (text,) = bib["anies"]
    assert text.startswith('<?xml version="1.0" encoding="UTF-16"?><record>')
    (record,) = pymarc.parse_xml_to_array(io.StringIO(text.split("?>", 1)[1]), strict=False)
    return record


def marc_of_xml(body: bytes) -> pymarc.Record:
    root = ET.fromstring(body)
    assert root.tag == "bib"
    element = root.find("record")
    assert element is not None and list(root)[-1] is element
    (record,) = pymarc.parse_xml_to_array(io.StringIO(ET.tostring(element, encoding="unicode")), strict=False)
    return record


def order(wire, **metadata) -> dict:
    meta = {"title": "A Brand New Monograph", "author": "Doe, Jane", "isbn": new_isbn(), **metadata}
    answer = wire("POST", f"{ALMA}/acq/po-lines?format=json", json_body=po_line(resource_metadata=meta))
    assert answer.status == 200, answer.body
    return json.loads(answer.body)


def get(wire, path: str, fmt: str = "json"):
    answer = wire("GET", f"{path}?format={fmt}")
    assert answer.status == 200, answer.body
    return json.loads(answer.body) if fmt == "json" else answer.body


def test_a_brief_record_holds_what_the_order_sent_as_marc_in_json_and_xml(wire):
    isbn, other = new_isbn(), new_isbn()
    line = order(wire, isbn=f"{isbn}; {other}", issn="0317-8471", publisher="Cowrie Press", publication_year="2026",
                 publication_place="Lagos", system_control_number=["(OCoLC)998877"])
    mms_id = line["resource_metadata"]["mms_id"]["value"]
    bib = get(wire, f"{ALMA}/bibs/{mms_id}")
    for record in (marc_of(bib), marc_of_xml(get(wire, f"{ALMA}/bibs/{mms_id}", "xml"))):
        assert [f.value() for f in record.get_fields("001")] == [mms_id]
        assert record.get_fields("005") and len(record["008"].data) == 40
        assert [f["a"] for f in record.get_fields("020")] == [isbn, other]  # every ISBN sent
        assert record["022"]["a"] == "0317-8471" and record["100"]["a"] == "Doe, Jane"
        assert record["245"]["a"] == "A Brand New Monograph"
        assert (record["264"]["a"], record["264"]["b"], record["264"]["c"]) == ("Lagos", "Cowrie Press", "2026")
        assert "(OCoLC)998877" in [f["a"] for f in record.get_fields("035")]
        assert str(record.leader)[17] == "3"  # the default metadata template's encoding level: abbreviated
    assert (bib["isbn"], bib["brief_level"]["value"], bib["record_format"]) == (isbn, "01", "marc21")


def test_view_brief_leaves_the_marc_record_out(wire):
    mms_id = order(wire)["resource_metadata"]["mms_id"]["value"]
    assert "anies" in get(wire, f"{ALMA}/bibs/{mms_id}") and "anies" not in json.loads(
        wire("GET", f"{ALMA}/bibs/{mms_id}?format=json&view=brief").body)


def test_alma_s_bib_object_holds_no_simulator_fields_the_librarian_view_does(wire):
    line = order(wire)
    mms_id = line["resource_metadata"]["mms_id"]["value"]
    bib = get(wire, f"{ALMA}/bibs/{mms_id}")
    invented = {"zone", "created_by_order", "validation_problems", "metadata_template", "management_tag",
                "local_note", "encoding_level", "language"}
    assert not invented & set(bib), invented & set(bib)
    seen = get(wire, f"/almasim/v1/librarian/bibs/{mms_id}")
    assert (seen["created_by_order"], seen["zone"], seen["metadata_template"]) == \
        (line["number"], "IZ", "Default brief record (real-time orders)")
    assert seen["anies"] == bib["anies"]


def test_any_unicode_text_an_order_sends_renders_as_marc(wire):
    # text the edge accepts (control characters and lone surrogates are refused there, 402119) renders as sent
    title = "Cześć \U0001F4DA ⟨ok⟩ & <b> \u05e9\u05dc\u05d5\u05dd"
    line = order(wire, title=title)
    mms_id = line["resource_metadata"]["mms_id"]["value"]
    assert marc_of(get(wire, f"{ALMA}/bibs/{mms_id}"))["245"]["a"] == title
    assert marc_of_xml(get(wire, f"{ALMA}/bibs/{mms_id}", "xml"))["245"]["a"].startswith("Cześć")


def test_put_overlays_a_brief_record_and_keeps_its_inventory_and_orders(wire):
    line = order(wire)
    mms_id = line["resource_metadata"]["mms_id"]["value"]
    isbn = new_isbn()
    body = codec.to_xml("bib", {"anies": [FULL_RECORD.format(isbn=isbn)]})
    answer = wire("PUT", f"{ALMA}/bibs/{mms_id}?format=json", body=body, headers={"content-type": "application/xml"})
    assert answer.status == 200, answer.body
    bib = json.loads(answer.body)
    record = marc_of(bib)
    assert (bib["mms_id"], bib["brief_level"]["desc"], bib["title"]) == (mms_id, "Full", "Harbours of the Bight :")
    assert record["001"].value() == mms_id and record["250"]["a"] == "Second edition."
    assert record["020"]["a"] == isbn and bib["last_modified_date"]
    assert get(wire, f"{ALMA}/acq/po-lines/{line['number']}")["resource_metadata"]["mms_id"]["value"] == mms_id
    holdings = get(wire, f"{ALMA}/bibs/{mms_id}/holdings")
    assert holdings["total_record_count"] == 1
    # the overlaid record's ISBN now finds it: a new order for it attaches to the same record
    again = order(wire, title="Harbours of the Bight", isbn=isbn)
    assert again["resource_metadata"]["mms_id"]["value"] == mms_id


def test_put_takes_the_record_in_json_anies_too(wire):
    mms_id = order(wire)["resource_metadata"]["mms_id"]["value"]
    answer = wire("PUT", f"{ALMA}/bibs/{mms_id}?format=json",
                  json_body={"anies": [FULL_RECORD.format(isbn=new_isbn())]})
    assert answer.status == 200 and json.loads(answer.body)["brief_level"]["value"] == "10"


@pytest.mark.parametrize(("method", "path", "body", "code"), [
    ("PUT", "/bibs/{mms}", {"anies": ["<record><leader>x</leader>"]}, "4022032"),
    ("PUT", "/bibs/{mms}", {"anies": ["<record><datafield tag='100' ind1=' ' ind2=' '><subfield code='a'>x"
                                      "</subfield></datafield></record>"]}, "4022032"),
    ("PUT", "/bibs/{mms}", {"title": "no record"}, "4022032"),
    ("PUT", "/bibs/99999999", {"anies": [FULL_RECORD.format(isbn="1")]}, "402203"),
    ("PUT", "/bibs/abc", {"anies": [FULL_RECORD.format(isbn="1")]}, "402204"),
    ("POST", "/bibs", {"anies": ["not xml"]}, "402209"),
])
def test_refusals_use_alma_s_codes_and_change_nothing(wire, method, path, body, code):
    mms_id = order(wire)["resource_metadata"]["mms_id"]["value"]
    before = get(wire, f"{ALMA}/bibs/{mms_id}")
    answer = wire(method, f"{ALMA}{path.format(mms=mms_id)}?format=json", json_body=body)
    assert answer.status == 400 and codec.parse_error_body(answer.body)[0][0] == code, answer.body
    assert get(wire, f"{ALMA}/bibs/{mms_id}") == before


def test_post_creates_a_record_from_marcxml(wire):
    isbn = new_isbn()
    answer = wire("POST", f"{ALMA}/bibs?format=json", json_body={"anies": [FULL_RECORD.format(isbn=isbn)]})
    assert answer.status == 200, answer.body
    bib = json.loads(answer.body)
    assert bib["mms_id"].startswith("99") and bib["isbn"] == isbn and bib["brief_level"]["desc"] == "Full"
    assert get(wire, f"{ALMA}/bibs/{bib['mms_id']}")["anies"] == bib["anies"]


def test_holdings_and_items_are_read_under_the_record(wire):
    line = order(wire)
    mms_id = line["resource_metadata"]["mms_id"]["value"]
    holding_link = line["location"][0]["holding"][0]["link"]
    holding_id = line["location"][0]["holding"][0]["id"]
    assert holding_link.endswith(f"/bibs/{mms_id}/holdings/{holding_id}")
    listed = get(wire, f"{ALMA}/bibs/{mms_id}/holdings")
    assert [h["holding_id"] for h in listed["holding"]] == [holding_id]
    holding = get(wire, f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}")
    record = marc_of(holding)
    assert (record["001"].value(), record["852"]["b"], record["852"]["c"]) == (holding_id, "MAIN", "STACKS")
    xml = ET.fromstring(get(wire, f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}", "xml"))
    assert xml.tag == "holding" and xml.find("record/datafield[@tag='852']") is not None
    items = get(wire, f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}/items")
    (item,) = items["item"]
    pid = item["item_data"]["pid"]
    assert item["item_data"]["po_line"] == line["number"] and item["item_data"]["process_type"]["value"] == "ACQ"
    assert "arrival_date" not in item["item_data"]
    one = get(wire, f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}/items/{pid}")
    assert one == item and one["link"].endswith(f"/bibs/{mms_id}/holdings/{holding_id}/items/{pid}")
    assert one["bib_data"]["mms_id"] == mms_id and one["holding_data"]["holding_id"] == holding_id


@pytest.mark.parametrize(("path", "code"), [
    ("/bibs/{mms}/holdings/22999", "402208"),
    ("/bibs/{mms}/holdings/{hid}/items/23999", "401689"),
    ("/bibs/991/holdings", "402203"),
])
def test_unknown_holdings_and_items_are_refused(wire, path, code):
    line = order(wire)
    mms_id, hid = line["resource_metadata"]["mms_id"]["value"], line["location"][0]["holding"][0]["id"]
    answer = wire("GET", f"{ALMA}{path.format(mms=mms_id, hid=hid)}?format=json")
    assert answer.status == 400 and codec.parse_error_body(answer.body)[0][0] == code, answer.body


def test_a_client_library_reads_the_ordered_isbn_from_020(server):
    """almapipy, unmodified, reads the bib in JSON and in XML; the ISBN is in 020 $a of the brief record."""
    almapipy = pytest.importorskip("almapipy")
    import httpx
    isbn = new_isbn()
    with httpx.Client(base_url=server.base_url, params={"apikey": KEY, "format": "json"}) as http:
        created = http.post("/acq/po-lines", json=po_line(resource_metadata={"title": "Coral Ports", "isbn": isbn}))
        mms_id = created.json()["resource_metadata"]["mms_id"]["value"]
    for fmt in ("json", "xml"):
        cnxn = almapipy.AlmaCnxn(KEY, location="America", data_format=fmt)
        catalog = cnxn.bibs.catalog
        catalog.cnxn_params["api_uri_full"] = f"{server.base_url}/bibs"
        answer = catalog.get(mms_id)
        if fmt == "json":
            record = marc_of(answer)
        else:
            element = answer.find("record")
            (record,) = pymarc.parse_xml_to_array(io.StringIO(ET.tostring(element, encoding="unicode")))
        assert record["020"]["a"] == isbn, fmt


def test_an_overlaid_record_survives_a_snapshot(wire):
    """The state file (`almasim serve --state`) keeps the cataloguer's MARC and re-indexes by its ISBN."""
    from alma_requests import Wire

    from simulator.alma import snapshot
    from simulator.api.service import AlmaService

    mms_id = order(wire)["resource_metadata"]["mms_id"]["value"]
    isbn = new_isbn()
    assert wire("PUT", f"{ALMA}/bibs/{mms_id}", json_body={"anies": [FULL_RECORD.format(isbn=isbn)]}).status == 200
    before = get(wire, f"{ALMA}/bibs/{mms_id}")
    world = snapshot.load(json.loads(json.dumps(snapshot.dump(wire.service.world))))
    again = Wire(AlmaService(world=world))
    assert get(again, f"{ALMA}/bibs/{mms_id}") == before
    assert world.institution("01TRLC_HVU").catalogue.lookup("isbn", isbn)[0].mms_id == mms_id
