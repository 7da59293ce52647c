"""ORDERING-RULES §5 over Alma's HTTP face: listing PO lines with `limit`, `offset` and `expand`, and what a
vendor reads before it orders — funds (`mode=POL`), vendors, libraries and their shelving locations, code tables,
and `/acq/test`."""

from __future__ import annotations

import json

import pytest
from alma_requests import READ_ONLY, po_line

JSON = {"accept": "application/json"}
ALMA = "/almaws/v1"
POL = f"{ALMA}/acq/po-lines"


def get(wire, path: str):
    answer = wire("GET", f"{ALMA}{path}", headers=JSON)
    assert answer.status == 200, answer.body[:300]
    return json.loads(answer.body)


@pytest.fixture
def five_lines(wire) -> list[str]:
    numbers = []
    for n in range(5):
        answer = wire("POST", POL, json_body=po_line(resource_metadata={"title": f"Paging Title {n}"}), headers=JSON)
        numbers.append(json.loads(answer.body)["number"])
    return numbers


def test_limit_and_offset_page_through_the_list(wire, five_lines):
    """ORDERING-RULES §5: GET po-lines pages with `limit` and `offset`; every page reports the full count."""
    query = "/acq/po-lines?q=title~Paging&order_by=number&direction=asc"
    pages = [get(wire, f"{query}&limit=2&offset={offset}") for offset in (0, 2, 4)]
    assert [page["total_record_count"] for page in pages] == [5, 5, 5]
    assert [[line["number"] for line in page["po_line"]] for page in pages] == [
        five_lines[0:2], five_lines[2:4], five_lines[4:5]]
    beyond = get(wire, f"{query}&limit=2&offset=5")
    assert beyond["total_record_count"] == 5 and beyond.get("po_line", []) == []


def test_expand_locations_adds_the_locations_to_a_list(wire, five_lines):
    """ORDERING-RULES §5: in a list, locations appear only with `expand=locations` (GET one always has them)."""
    query = "/acq/po-lines?q=title~Paging&limit=1&order_by=number&direction=asc"
    (plain,) = get(wire, query)["po_line"]
    (expanded,) = get(wire, f"{query}&expand=locations")["po_line"]
    assert "location" not in plain
    assert [(loc["library"]["value"], loc["shelving_location"]) for loc in expanded["location"]] == [("MAIN", "STACKS")]
    assert get(wire, f"/acq/po-lines/{five_lines[0]}")["location"] == expanded["location"]


def test_funds_for_a_po_line_are_the_ones_the_library_may_use(wire):
    """ORDERING-RULES §5: `mode=POL` gives the funds a PO line of that library may use: the Law fund for Law,
    not for the Main Library; never an inactive or summary fund."""
    law = {f["code"] for f in get(wire, "/acq/funds?mode=POL&library=LAW&limit=100")["fund"]}
    main = {f["code"] for f in get(wire, "/acq/funds?mode=POL&library=MAIN&limit=100")["fund"]}
    assert "LAW-MONO" in law and "LAW-MONO" not in main and "HIST-MONO" in main
    assert not {"MUSIC-MONO", "HUMANITIES", "HIST-MONO-FY26"} & (law | main)


def test_vendors_and_their_accounts(wire):
    """ORDERING-RULES §5: vendors read the vendor list and one vendor with its accounts."""
    listed = get(wire, "/acq/vendors")
    assert {"GOBI", "OASIS"} <= {v["code"] for v in listed["vendor"]}
    assert listed["total_record_count"] >= len(listed["vendor"])
    gobi = get(wire, "/acq/vendors/GOBI")
    assert gobi["code"] == "GOBI" and "GOBI-HVU" in [a["code"] for a in gobi["account"]]


def test_libraries_and_their_shelving_locations(wire):
    """ORDERING-RULES §5: vendors read the libraries, one library, its shelving locations and one location."""
    assert {"MAIN", "LAW", "SCI"} <= {lib["code"] for lib in get(wire, "/conf/libraries")["library"]}
    assert get(wire, "/conf/libraries/MAIN")["code"] == "MAIN"
    locations = get(wire, "/conf/libraries/MAIN/locations")["location"]
    assert "STACKS" in {loc["code"] for loc in locations}
    stacks = get(wire, "/conf/libraries/MAIN/locations/STACKS")
    assert (stacks["code"], stacks["library"]["value"]) == ("STACKS", "MAIN")


def test_code_tables(wire):
    """ORDERING-RULES §5: vendors read code tables, e.g. the access models (with the upgrade models of §4)."""
    codes = {row["code"] for row in get(wire, "/conf/code-tables/AccessModel")["row"]}
    assert {"1U", "3U", "UNL", "NL"} <= codes


def test_acq_test(wire):
    """ORDERING-RULES §5: `/acq/test` answers GET with the key's institution and POST (a write check) with
    "POST - OK", as Ex Libris documents; a read-only key cannot POST."""
    assert get(wire, "/acq/test") == {"test": "GET - OK - institutionCode: 01TRLC_HVU"}
    answer = wire("POST", f"{ALMA}/acq/test", headers=JSON)
    assert answer.status == 200 and json.loads(answer.body) == {"test": "POST - OK"}
    assert wire("POST", f"{ALMA}/acq/test", key=READ_ONLY).status == 401


def test_the_list_of_code_tables_names_each_table_and_links_to_its_rows(wire):
    """GET /conf/code-tables (Retrieve Code Tables): every table a vendor can read, each link answering with
    that table's rows."""
    listed = get(wire, "/conf/code-tables")
    names = [table["name"] for table in listed["code_table"]]
    assert {"AccessModel", "PurchaseType", "POLineCancellationReasons"} <= set(names)
    assert listed["total_record_count"] == len(names)
    access = next(table for table in listed["code_table"] if table["name"] == "AccessModel")
    assert access["link"].endswith("/almaws/v1/conf/code-tables/AccessModel")
    assert get(wire, "/conf/code-tables/AccessModel")["name"] == "AccessModel"
