"""Hypothesis for PO line bodies, in JSON and in XML, built over Alma's real field names: each field is sent
valid, left out, or replaced by garbage (random types, nested lists and objects, huge, negative and NaN
numbers, numbers as strings, unicode with right-to-left and combining characters, very long strings).

Every answer to `POST /acq/po-lines` is 200 with a PO line number or a 4xx with Alma's error envelope; never a
500, never a traceback. Every line accepted can be read back by its number. `wire.handle` is called with bytes,
exactly as the server calls it."""

from __future__ import annotations

import json
import re

from alma_requests import new_isbn, po_line
from defusedxml.ElementTree import fromstring
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import check_answer, to_xml

BOUNDED = settings(max_examples=150, derandomize=True, database=None, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                          HealthCheck.data_too_large])
PO_LINES = "/almaws/v1/acq/po-lines"
NUMBER = re.compile(r"POL-\d+\Z")
ABSENT = object()

FIELDS = ["owner", "type", "vendor", "vendor_account", "acquisition_method", "price", "discount", "no_charge",
          "rush", "number", "resource_metadata", "fund_distribution", "location", "vendor_reference_number",
          "vendor_reference_number_type", "access_provider", "access_model", "license", "url", "note",
          "reporting_code", "interested_user", "material_type", "title", "isbn", "mms_id", "sum", "currency",
          "value", "desc", "fund_code", "amount", "percent", "quantity", "library", "shelving_location", "copy",
          "item_policy"]

unicode_text = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Z"]), max_size=40),
    st.sampled_from(["כתבי הקודש", "القرآن الكريم", "e\u0301te\u0301", "Z\u0308\u0336a\u0338l\u0335g\u0337o",
                     "\u202eabc\u202c", "\u200f\u05e2\u200e", "𝔘𝔫𝔦 😀", "<b>&amp;</b>", "\u0000\u0007", "\ufeff"]),
    st.builds(lambda char, times: char * times, st.sampled_from(["x", "é", "ש", "😀", "\u0301"]),
              st.integers(1_000, 60_000)),
)
numberish = st.one_of(
    st.integers(), st.integers(-10**40, 10**40), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["NaN", "-NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-1", "-0.01", "0",
                     "99999999999999999999.99", "1e12", "0x1F", "1_000", " 12 ", "", "١٢٣", "12,50"]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
)
leaf = st.one_of(st.none(), st.booleans(), numberish, unicode_text)
garbage = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS),
                                                                                          inner, max_size=3),
                       max_leaves=8)


#: Where a good order can be damaged: a path of keys (and list positions) into the body.
PATHS = [("owner",), ("type",), ("vendor",), ("vendor_account",), ("acquisition_method",), ("price",),
         ("price", "sum"), ("price", "currency"), ("discount",), ("rush",), ("no_charge",), ("number",), ("url",),
         ("note",), ("resource_metadata",), ("resource_metadata", "title"), ("resource_metadata", "isbn"),
         ("resource_metadata", "author"), ("resource_metadata", "mms_id"), ("fund_distribution",),
         ("fund_distribution", 0, "fund_code"), ("fund_distribution", 0, "amount"),
         ("fund_distribution", 0, "amount", "sum"), ("fund_distribution", 0, "percent"), ("location",),
         ("location", 0, "quantity"), ("location", 0, "library"), ("location", 0, "shelving_location"),
         ("location", 0, "copy")]
damage = st.one_of(st.just(ABSENT), garbage, numberish, unicode_text, st.builds(lambda v: {"value": v}, leaf))


@st.composite
def po_line_bodies(draw) -> dict:
    """A good GOBI order with a fuzzed title, then up to four of its fields damaged."""
    body = po_line(resource_metadata={"title": draw(unicode_text), "author": "Doe, Jane", "isbn": new_isbn()})
    for path in draw(st.lists(st.sampled_from(PATHS), max_size=4, unique=True)):
        _put(body, path, draw(damage))
    return body


def _put(body, path: tuple, value) -> None:
    *parents, last = path
    for key in parents:
        try:
            body = body[key]
        except (KeyError, IndexError, TypeError):
            return  # an earlier damage already replaced the parent
    if not isinstance(body, (dict, list)) or (isinstance(body, list) and not isinstance(last, int)):
        return
    if value is ABSENT:
        if isinstance(body, dict):
            body.pop(last, None)
    elif isinstance(body, dict) or (isinstance(body, list) and last < len(body)):
        body[last] = value


def _check_number(number, body: dict) -> None:
    """A generated number, or the one the vendor sent (Alma takes a vendor's own PO line number)."""
    assert isinstance(number, str) and number.strip(), number
    if "number" not in body:
        assert NUMBER.match(number), number


def _readable(number: str) -> bool:
    return number.isprintable() and not any(c in number for c in "/?#%") and number == number.strip()


def _accepted_or_envelope(response) -> str | None:
    codes = check_answer(response.status, response.headers, response.body)
    if response.status >= 400:
        assert codes and response.status in (400,), (response.status, codes)
        return None
    assert response.status == 200, response.status
    return response.body.decode("utf-8")


def test_json_po_line_bodies_get_a_number_or_alma_s_envelope(wire):
    numbers = []

    @BOUNDED
    @given(body=po_line_bodies())
    def post(body):
        payload = json.dumps(body, ensure_ascii=bool(len(numbers) % 2)).encode("utf-8")
        response = wire("POST", f"{PO_LINES}?format=json", body=payload, headers={"content-type": "application/json"})
        text = _accepted_or_envelope(response)
        if text is not None:
            number = json.loads(text)["number"]
            _check_number(number, body)
            numbers.append(number)

    post()
    assert numbers, "no fuzzed order was accepted: the strategy lost touch with a good order"
    assert len(set(numbers)) == len(numbers)
    for number in filter(_readable, numbers):
        assert wire("GET", f"{PO_LINES}/{number}?format=json").status == 200, number


def test_xml_po_line_bodies_get_a_number_or_alma_s_envelope(wire):
    numbers = []

    @BOUNDED
    @given(body=po_line_bodies())
    def post(body):
        response = wire("POST", PO_LINES, body=to_xml("po_line", body), headers={"content-type": "application/xml"})
        text = _accepted_or_envelope(response)
        if text is not None:
            root = fromstring(text)
            assert root.tag == "po_line", root.tag
            number = root.findtext("number")
            _check_number(number, body)
            numbers.append(number)

    post()
    assert numbers, "no fuzzed order was accepted: the strategy lost touch with a good order"
    assert len(set(numbers)) == len(numbers)
    for number in filter(_readable, numbers):
        assert wire("GET", f"{PO_LINES}/{number}").status == 200, number
