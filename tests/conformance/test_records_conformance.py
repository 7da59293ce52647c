"""The bib, holding and item objects the simulator answers carry the fields, with the JSON types, that REAL
captured Alma answers share (docs/conformance.md, "Bibs, holdings and items").

The facts are data here (`BIB`, `HOLDING`, `ITEM_*`), each a field every capture below has, with its JSON type;
optional fields (present only in some captures) are listed apart and checked for type when present. Sources
(research notes /work/research/conformance.md §5–7; P = pretty-printed or re-serialised real capture,
R = raw one-line capture):

* scriptotek/php-alma-client spec/data: bib_response.json/.xml, bib_response_iz.json, bibs_holdings.json,
  holding_response.json/.xml, item_response.json (commits 0b7b55b, b83ba4c) — Oslo (BIBSYS), 2015–2018, P.
* tulibraries/alma_rb spec/fixtures: multiple_bibs.json (5592e0e), single_holding.json (a008378),
  item_from_barcode.json (4bf8a35) — Temple/Princeton, 2018–2021, P.
* pulibrary/bibdata spec/fixtures/files/alma: 9972625743506421.json (fd1b44e), 99122455086806421.json (a46ca385),
  holding_22153448500006421.json (841cb20), holding_22639719450006421.json, barcode_32101111979348.json,
  99227515106421_po.json (7bec27e), 99131644166406421_in_process_acq.json — Princeton, 2020–2026, R/P.
* Swiss-Library-Service-Platform/almapiwrapper test/data: nz_record_orig.xml (8fceb5e), bib_local_test.xml
  (548271d), item_22423662710005504_23224723290005504_01.xml (4d811e6) — SLSP, 2020–2024, P.
* KB Denmark cloud-app test data (holding, item), 2023, P.
* Ex Libris' OpenAPI file acq.json (../shared/reference/openapi): what the PO line's item endpoints answer
  (rest_item, rest_items) and the list's own description ("only barcodes and a link").

Where captures disagree by age (JSON null in 2018–2021, `{}` or `""` from 2023), the modern form is the fact.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from alma_requests import new_isbn, po_line

ALMA = "/almaws/v1"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}Z$")
STR, OBJ, LIST, BOOL = str, dict, list, bool
CODED = "coded"  # {"value": str, "desc"?: str}
FLAG = "string flag"  # "true" / "false", a string, never a JSON boolean
DATE_T = "date"  # "2026-09-01Z"

# ---------------------------------------------------------------- the facts ---------------------------------------

#: §5.1: fields every captured bib JSON has, and their types.
BIB = {"mms_id": STR, "record_format": STR, "linked_record_id": OBJ, "title": STR, "author": STR,
       "network_number": LIST, "holdings": OBJ, "created_by": STR, "created_date": DATE_T,
       "suppress_from_publishing": FLAG, "originating_system": STR, "originating_system_id": STR,
       "place_of_publication": STR, "date_of_publication": STR, "publisher_const": STR, "complete_edition": STR,
       "anies": LIST}
#: §5.1: fields only some captures have (by age or state); their type when present.
BIB_OPTIONAL = {"isbn": STR, "issn": STR, "last_modified_by": STR, "last_modified_date": DATE_T,
                "suppress_from_external_search": FLAG, "sync_with_oclc": STR, "sync_with_libraries_australia": STR,
                "cataloging_level": CODED, "brief_level": CODED, "link": STR}
#: §5.2: the order of the elements a captured `<bib>` opens and closes with.
BIB_XML_FIRST, BIB_XML_LAST = "mms_id", "record"

#: §6: fields every captured holding JSON has.
HOLDING = {"holding_id": STR, "created_by": STR, "created_date": DATE_T, "suppress_from_publishing": FLAG,
           "anies": LIST}
HOLDING_OPTIONAL = {"originating_system": STR, "originating_system_id": STR, "last_modified_by": STR,
                    "last_modified_date": DATE_T, "calculated_suppress_from_publishing": FLAG}
#: §6: no capture has these at holding level.
HOLDING_ABSENT = ("link", "copy_id")

#: §7: an item is exactly these four parts.
ITEM_TOP = {"bib_data": OBJ, "holding_data": OBJ, "item_data": OBJ, "link": STR}
ITEM_BIB_DATA = {"mms_id": STR, "title": STR, "author": STR, "isbn": STR, "complete_edition": STR,
                 "place_of_publication": STR, "date_of_publication": STR, "publisher_const": STR, "link": STR,
                 "network_number": LIST, "bib_suppress_from_publishing": FLAG}
ITEM_HOLDING_DATA = {"holding_id": STR, "call_number": STR, "permanent_call_number": STR, "accession_number": STR,
                     "copy_id": STR, "temp_call_number": STR, "temp_call_number_source": STR, "link": STR,
                     "call_number_type": CODED, "permanent_call_number_type": CODED, "in_temp_location": BOOL,
                     "temp_library": OBJ, "temp_location": OBJ, "temp_call_number_type": CODED, "temp_policy": CODED,
                     "holding_suppress_from_publishing": FLAG, "calculated_suppress_from_publishing": FLAG}
ITEM_DATA = {"pid": STR, "barcode": STR, "description": STR, "pages": STR, "pieces": STR, "po_line": STR,
             "receiving_operator": STR, "inventory_number": STR, "inventory_price": STR,
             "storage_location_id": STR, "alternative_call_number": STR, "public_note": STR,
             "fulfillment_note": STR, "internal_note_1": STR, "internal_note_2": STR, "internal_note_3": STR,
             "statistics_note_1": STR, "statistics_note_2": STR, "statistics_note_3": STR, "retention_note": STR,
             "creation_date": DATE_T, "modification_date": DATE_T, "base_status": CODED,
             "physical_material_type": CODED, "policy": CODED, "provenance": CODED, "library": CODED,
             "location": CODED, "process_type": CODED, "alternative_call_number_type": CODED,
             "retention_reason": CODED, "requested": BOOL, "is_magnetic": BOOL, "awaiting_reshelving": BOOL,
             "physical_condition": OBJ, "committed_to_retain": OBJ}
#: §2.5/§7: an ordered, unreceived item (PUL 99227515106421_po.json) and the same after receipt
#: (PUL 99131644166406421_in_process_acq.json).
ON_ORDER = {"process_type": ("ACQ", "Acquisition"), "base_status": ("0", "Item not in place")}
RECEIVED = {"process_type": ("WORK_ORDER_DEPARTMENT", "In Process"), "base_status": ("0", "Item not in place")}

#: Ex Libris' acq.json: both receiving calls (`POST /acq/po-lines/{id}/items`, `.../items/{item_id}?op=receive`)
#: answer rest_item -- the item object above, the one `GET /bibs/{mms_id}/holdings/{hid}/items/{pid}` answers.
#: `GET /acq/po-lines/{id}/items` answers rest_items, and "the items retrieved include only barcodes and a link
#: for the Get-Item API"; limit 0-100 (default: every item), offset. [decision] Each listed item is the item
#: object cut to `item_data.barcode` and `link` (docs/http-api.md, "The PO line's items").
PO_LINE_LISTED_ITEM = {"item_data": {"barcode"}, "link": None}

#: §5.1: the one `anies` string opens with this, then `<record>` with no namespace.
ANIES_OPENING = '<?xml version="1.0" encoding="UTF-16"?><record>'


# ---------------------------------------------------------------- checking ----------------------------------------


def type_problems(obj: dict, required: dict, optional: dict | None = None, where: str = "") -> list[str]:
    problems = [f"{where}{name} is missing" for name in required if name not in obj]
    for name, kind in {**(optional or {}), **required}.items():
        if name in obj and not _is(obj[name], kind):
            problems.append(f"{where}{name} = {obj[name]!r} is not {getattr(kind, '__name__', kind)}")
    return problems


def _is(value, kind) -> bool:
    if kind == CODED:
        return isinstance(value, dict) and isinstance(value.get("value"), str) and \
            all(isinstance(value[k], str) for k in ("desc",) if k in value)
    if kind == FLAG:
        return value in ("true", "false")
    if kind == DATE_T:
        return isinstance(value, str) and bool(DATE.match(value))
    if kind is BOOL:
        return isinstance(value, bool)
    return isinstance(value, kind) and not isinstance(value, bool)


@pytest.fixture
def ordered(wire):
    """A print order for a title nothing matches: a brief record, one holding, one item on order."""
    answer = wire("POST", f"{ALMA}/acq/po-lines?format=json",
                  json_body=po_line(resource_metadata={"title": "Harbour Walls", "author": "Reyes, Ana",
                                                       "isbn": new_isbn()}))
    assert answer.status == 200, answer.body
    line = json.loads(answer.body)
    location = line["location"][0]
    return line, line["resource_metadata"]["mms_id"]["value"], location["holding"][0]["id"], \
        location["copy"][0]["pid"]


def get(wire, path: str, fmt: str = "json"):
    answer = wire("GET", f"{path}?format={fmt}")
    assert answer.status == 200, answer.body
    return json.loads(answer.body) if fmt == "json" else ET.fromstring(answer.body)


# ---------------------------------------------------------------- the tests ---------------------------------------


def test_a_bib_has_the_fields_and_types_of_captured_bibs(wire, ordered):
    _, mms_id, _, _ = ordered
    seeded = next(iter(wire.service.world.institution("01TRLC_HVU").catalogue.bibs))
    for bib in (get(wire, f"{ALMA}/bibs/{mms_id}"), get(wire, f"{ALMA}/bibs/{seeded}")):
        assert not type_problems(bib, BIB, BIB_OPTIONAL), type_problems(bib, BIB, BIB_OPTIONAL)
        assert len(bib["anies"]) == 1 and bib["anies"][0].startswith(ANIES_OPENING)
        assert all(isinstance(n, str) for n in bib["network_number"])
        assert bib["holdings"]["link"].endswith(f"/bibs/{bib['mms_id']}/holdings")
        assert None not in bib.values()  # modern Alma: no JSON null


def test_a_bib_list_is_the_captured_envelope(wire, ordered):
    _, mms_id, _, _ = ordered
    answer = wire("GET", f"{ALMA}/bibs?mms_id={mms_id}&format=json")
    listed = json.loads(answer.body)
    assert set(listed) == {"bib", "total_record_count"} and listed["total_record_count"] == 1


def test_a_bib_in_xml_opens_with_its_mms_id_and_ends_with_its_record(wire, ordered):
    _, mms_id, _, _ = ordered
    root = get(wire, f"{ALMA}/bibs/{mms_id}", "xml")
    children = [child.tag for child in root]
    assert root.tag == "bib" and (children[0], children[-1]) == (BIB_XML_FIRST, BIB_XML_LAST)
    assert root.find("record/leader") is not None  # the record is embedded as XML, not as escaped text
    assert root.find("brief_level").get("desc") and root.find("holdings").get("link")


def test_a_holding_has_the_fields_and_types_of_captured_holdings(wire, ordered):
    _, mms_id, holding_id, _ = ordered
    holding = get(wire, f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}")
    assert not type_problems(holding, HOLDING, HOLDING_OPTIONAL), type_problems(holding, HOLDING, HOLDING_OPTIONAL)
    assert not [name for name in HOLDING_ABSENT if name in holding]
    (marc,) = holding["anies"]
    assert marc.startswith(ANIES_OPENING) and "<leader>00000nx" in marc and 'tag="852"' in marc


def test_an_item_has_the_fields_and_types_of_captured_items(wire, ordered):
    line, mms_id, holding_id, pid = ordered
    path = f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}/items/{pid}"
    item = get(wire, path)
    problems = [*type_problems(item, ITEM_TOP), *type_problems(item["bib_data"], ITEM_BIB_DATA, where="bib_data."),
                *type_problems(item["holding_data"], ITEM_HOLDING_DATA, where="holding_data."),
                *type_problems(item["item_data"], ITEM_DATA, where="item_data.")]
    assert set(item) == set(ITEM_TOP) and not problems, problems
    data = item["item_data"]
    assert {k: (data[k]["value"], data[k]["desc"]) for k in ON_ORDER} == ON_ORDER
    assert "arrival_date" not in data and data["po_line"] == line["number"]

    received = wire("POST", f"{ALMA}/acq/po-lines/{line['number']}/items/{pid}?op=receive&format=json",
                    json_body={})
    assert received.status == 200, received.body
    data = get(wire, path)["item_data"]
    assert {k: (data[k]["value"], data[k]["desc"]) for k in RECEIVED} == RECEIVED
    assert DATE.match(data["arrival_date"]) and "work_order_type" in data


def test_an_item_in_xml_has_its_parts_and_codes_as_desc_attributes(wire, ordered):
    _, mms_id, holding_id, pid = ordered
    root = get(wire, f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}/items/{pid}", "xml")
    assert root.tag == "item" and [c.tag for c in root][:3] == ["bib_data", "holding_data", "item_data"]
    assert root.find("item_data/base_status").get("desc") == "Item not in place"
    assert root.find("bib_data/network_numbers") is not None


# ---------------------------------------------------------------- the PO line's items -----------------------------


def _item_path(mms_id: str, holding_id: str, pid: str) -> str:
    return f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}/items/{pid}"


def test_receiving_an_existing_item_answers_the_item_object_the_bibs_api_answers(wire, ordered):
    line, mms_id, holding_id, pid = ordered
    received = wire("POST", f"{ALMA}/acq/po-lines/{line['number']}/items/{pid}?op=receive&receive_date=2026-09-03Z"
                            "&format=json", json_body={})
    assert received.status == 200, received.body
    item = json.loads(received.body)
    assert item == get(wire, _item_path(mms_id, holding_id, pid))
    problems = [*type_problems(item, ITEM_TOP), *type_problems(item["item_data"], ITEM_DATA, where="item_data.")]
    assert set(item) == set(ITEM_TOP) and not problems, problems
    data = item["item_data"]
    assert (data["pid"], data["po_line"], data["arrival_date"]) == (pid, line["number"], "2026-09-03Z")
    assert {k: (data[k]["value"], data[k]["desc"]) for k in RECEIVED} == RECEIVED


def test_receiving_a_new_item_answers_the_new_item_as_the_bibs_api_answers_it(wire, ordered):
    line, mms_id, holding_id, pid = ordered
    received = wire("POST", f"{ALMA}/acq/po-lines/{line['number']}/items?format=json", json_body={})
    assert received.status == 200, received.body
    item = json.loads(received.body)
    new_pid = item["item_data"]["pid"]
    assert new_pid != pid and item["link"].endswith(f"/items/{new_pid}")
    assert item == get(wire, ALMA + item["link"].split(ALMA, 1)[1])
    assert DATE.match(item["item_data"]["arrival_date"]) and item["item_data"]["process_type"]["value"] != "ACQ"


def test_the_po_line_items_list_holds_only_each_barcode_and_link(wire, ordered):
    line, mms_id, holding_id, pid = ordered
    wire("POST", f"{ALMA}/acq/po-lines/{line['number']}/items?format=json", json_body={})  # a second item
    listed = get(wire, f"{ALMA}/acq/po-lines/{line['number']}/items")
    assert set(listed) == {"item", "total_record_count"} and listed["total_record_count"] == 2
    for item in listed["item"]:
        assert {k: set(v) if isinstance(v, dict) else None for k, v in item.items()} == PO_LINE_LISTED_ITEM
        full = get(wire, ALMA + item["link"].split(ALMA, 1)[1])  # the link is the Get-Item API
        assert item == {"item_data": {"barcode": full["item_data"]["barcode"]}, "link": full["link"]}
    assert listed["item"][0]["link"].endswith(_item_path(mms_id, holding_id, pid))


def test_the_po_line_items_list_pages_with_limit_and_offset(wire, ordered):
    line = ordered[0]
    wire("POST", f"{ALMA}/acq/po-lines/{line['number']}/items?format=json", json_body={})
    path = f"{ALMA}/acq/po-lines/{line['number']}/items"
    every = json.loads(wire("GET", f"{path}?format=json").body)
    page = json.loads(wire("GET", f"{path}?limit=1&offset=1&format=json").body)
    assert page == {"item": every["item"][1:], "total_record_count": 2}
    assert json.loads(wire("GET", f"{path}?limit=0&format=json").body)["total_record_count"] == 2
    for bad in ("limit=101", "limit=-1", "offset=x"):
        refused = wire("GET", f"{path}?{bad}&format=json")
        assert refused.status == 400 and json.loads(refused.body)["errorList"]["error"][0]["errorCode"] == "402119"


def test_the_po_line_items_in_xml_are_items_of_barcode_and_link(wire, ordered):
    line, mms_id, holding_id, pid = ordered
    root = get(wire, f"{ALMA}/acq/po-lines/{line['number']}/items", "xml")
    assert root.tag == "items" and root.get("total_record_count") == "1"
    (item,) = root
    # the item's link is an attribute, as in a captured item of the bibs API (<item link="…">)
    assert item.tag == "item" and [c.tag for c in item] == ["item_data"] and item.get("link").endswith(pid)
    assert [c.tag for c in item.find("item_data")] == ["barcode"]
    received = wire("POST", f"{ALMA}/acq/po-lines/{line['number']}/items/{pid}?op=receive", body=b"<item/>",
                    headers={"content-type": "application/xml", "accept": "application/xml"})
    answer = ET.fromstring(received.body)
    assert answer.tag == "item" and [c.tag for c in answer][:3] == ["bib_data", "holding_data", "item_data"]
    assert answer.get("link").endswith(pid) and answer.find("bib_data").get("link").endswith(mms_id)
    assert answer.find("holding_data").get("link").endswith(holding_id) and answer.find("link") is None
    assert answer.find("item_data/pid").text == pid and answer.find("item_data/arrival_date") is not None
    assert received.body == wire("GET", _item_path(mms_id, holding_id, pid),
                                 headers={"accept": "application/xml"}).body
