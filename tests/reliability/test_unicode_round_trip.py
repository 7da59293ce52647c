"""Nothing is stored that cannot be answered: orders made from any unicode text hypothesis can think of are
either refused at the edge with 402119 naming the field (lone surrogates, the control characters XML forbids,
NUL, non-characters), with nothing committed, or stored — and then every one reads back, in JSON and in XML,
and through a state export and import and through the durable store, as the text that was sent."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st
from reliability_support import envelope_codes

from simulator.alma import snapshot
from simulator.api import codec
from simulator.api.service import AlmaService, full_key
from simulator.api.wire import RawRequest, handle

HVU = "01TRLC_HVU"
UNSTORABLE = {chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000),
                               *range(0xFDD0, 0xFDF0)]} | {chr(p * 0x10000 + 0xFFFE + i) for p in range(17)
                                                            for i in (0, 1)}


def _order(title: str, note: str) -> dict:
    return {"owner": {"value": "MAIN"}, "type": {"value": "PRINTED_BOOK_OT"},
            "resource_metadata": {"title": title}, "note": [{"content": note}],
            "location": [{"quantity": 1, "library": {"value": "MAIN"}, "shelving_location": "STACKS"}]}


def _call(service: AlmaService, method: str, path: str, fmt: str, body: bytes = b""):
    key = full_key(service.world, HVU)
    return handle(service, RawRequest(method, f"/almaws/v1{path}", [("apikey", key), ("format", fmt)],
                                      {"content-type": "application/json"}, body))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(title=st.text(min_size=1, max_size=30), note=st.text(max_size=30))
def test_any_unicode_is_refused_at_the_edge_or_read_back_everywhere(tmp_path_factory, title, note):
    title = f"T{title}T"  # whitespace at the ends is trimmed and an empty title is missing: not this test's point
    service = AlmaService()
    before = snapshot.dump(service.world)
    body = json.dumps(_order(title, note)).encode("ascii")  # \u escapes carry even lone surrogates
    made = _call(service, "POST", "/acq/po-lines", "json", body)
    bad = next((f for f, text in (("resource_metadata.title", title), ("note[0].content", note))
                if set(text) & UNSTORABLE), None)
    if bad is not None:
        assert made.status == 400, made.body[:300]
        assert envelope_codes(made.status, made.header("content-type"), made.body) == ["402119"]
        assert bad in made.body.decode("utf-8")  # the field is named
        assert snapshot.dump(service.world) == before  # nothing was committed
        return
    assert made.status == 200, made.body[:300]
    answered = json.loads(made.body)
    number, title = answered["number"], answered["resource_metadata"]["title"]  # as stored (blanks normalized)
    as_json = _call(service, "GET", f"/acq/po-lines/{number}", "json")
    assert as_json.status == 200
    assert json.loads(as_json.body)["resource_metadata"]["title"] == title
    as_xml = _call(service, "GET", f"/acq/po-lines/{number}", "xml")
    assert as_xml.status == 200
    root, parsed = codec.from_xml(as_xml.body)
    assert root == "po_line" and parsed["resource_metadata"]["title"] == title
    listed = _call(service, "GET", "/acq/po-lines", "json")
    assert listed.status == 200 and _call(service, "GET", "/acq/po-lines", "xml").status == 200
    exported = json.dumps(service.export(), ensure_ascii=False).encode("utf-8")  # a state save …
    again = AlmaService(snapshot.load(json.loads(exported)))  # … and load
    back = _call(again, "GET", f"/acq/po-lines/{number}", "json")
    assert json.loads(back.body)["resource_metadata"]["title"] == title
    path = tmp_path_factory.mktemp("store") / "alma.state"
    durable = AlmaService(snapshot.load(json.loads(exported)))
    durable.open_store(path)
    durable.close()
    reopened = AlmaService()
    reopened.open_store(path)
    assert json.loads(_call(reopened, "GET", f"/acq/po-lines/{number}", "json").body)["resource_metadata"]["title"] == title
    reopened.close()
