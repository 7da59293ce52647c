"""One story, one test body, three backends: create, read, refuse, fault, throttle, journal.

The in-process backend goes through the same edge as HTTP (wire.serve: the API key and its scopes, strict mode,
the thresholds, injected faults, the journal) and skips only the bytes, so every line below holds on the
in-process, mocked and HTTP backends for the same reason, with the same exception classes and codes.
"""

from __future__ import annotations

import pytest
from alma_backends import same_alma
from test_contract import order

from simulator.errors import (
    ConnectionLost, GeneralError, InternalError, MandatoryFieldMissing, POLineNotFound, Throttled, TimedOut,
    Unauthorized,
)

READ_ONLY = "l8xx-hvu-0000-read-only"
PO_LINE = "/almaws/v1/acq/po-lines/{po_line_id}"


def test_the_same_story_on_every_backend(alma):
    settings = alma.settings()
    others = []
    try:
        # create and read
        line = alma.create_po_line(order())
        assert alma.get_po_line(line["number"])["number"] == line["number"]

        # refuse: Alma's own refusals, and the key's scopes
        missing = order()
        del missing["owner"]
        with pytest.raises(MandatoryFieldMissing) as refused:
            alma.create_po_line(missing)
        assert (refused.value.code, refused.value.status, refused.value.field) == ("401664", 400, "owner")
        with pytest.raises(POLineNotFound):
            alma.get_po_line("POL-404")
        reader = same_alma(alma, READ_ONLY)
        stranger = same_alma(alma, "l8xx-nobody")
        others += [reader, stranger]
        assert reader.get_po_line(line["number"])["number"] == line["number"]
        with pytest.raises(Unauthorized) as unauthorized:
            reader.create_po_line(order())
        assert (unauthorized.value.code, unauthorized.value.status) == ("UNAUTHORIZED", 401)
        with pytest.raises(Unauthorized):
            stranger.test()

        # strict mode: an unexpected parameter is Alma's general error naming what the route reads
        alma.change_settings(strict=1)
        with pytest.raises(GeneralError) as unexpected:
            alma.list_po_lines(sort="title")
        assert unexpected.value.code == "402119" and "order_by" in unexpected.value.message
        alma.change_settings(strict=0)

        # faults: an error answer, a dropped connection, an answer later than the client waits
        alma.add_fault(method="GET", path=PO_LINE, status=500, times=1)
        with pytest.raises(InternalError) as failing:
            alma.get_po_line(line["number"])
        assert (failing.value.code, failing.value.status) == ("INTERNAL_SERVER_ERROR", 500)
        alma.add_fault(method="GET", path=PO_LINE, drop=True, times=1)
        with pytest.raises(ConnectionLost):
            alma.get_po_line(line["number"])
        alma.time_out_after(0.5)
        alma.add_fault(method="POST", path="/almaws/v1/acq/po-lines", delay=3.0, times=1)
        with pytest.raises(TimedOut):
            alma.create_po_line(order(vendor_reference_number="G-LATE"))
        alma.time_out_after(30)
        assert alma.get_po_line(line["number"])["number"] == line["number"]  # the faults are spent

        # throttle: the day's calls are spent
        alma.change_settings(daily_threshold=1)
        with pytest.raises(Throttled) as throttled:
            alma.test()
        assert (throttled.value.code, throttled.value.status) == ("DAILY_THRESHOLD", 429)
        alma.change_settings(daily_threshold=settings["daily_threshold"])

        # the journal saw it all, in order, in Alma's codes
        seen = [(e["method"], e["route"] or e["path"], e["status"], e["error_code"]) for e in alma.journal()]
        assert seen == [
            ("POST", "/almaws/v1/acq/po-lines", 200, ""),
            ("GET", PO_LINE, 200, ""),
            ("POST", "/almaws/v1/acq/po-lines", 400, "401664"),
            ("GET", PO_LINE, 400, "401871"),
            ("GET", PO_LINE, 200, ""),  # the read-only key may read
            ("POST", "/almaws/v1/acq/po-lines", 401, "UNAUTHORIZED"),
            ("GET", "/almaws/v1/acq/po-lines", 400, "402119"),
            ("GET", PO_LINE, 500, "INTERNAL_SERVER_ERROR"),
            ("GET", PO_LINE, 0, ""),  # dropped
            ("POST", "/almaws/v1/acq/po-lines", 200, ""),  # done, but answered too late
            ("GET", PO_LINE, 200, ""),
            ("GET", "/almaws/v1/acq/test", 429, "DAILY_THRESHOLD"),
        ]
        assert len(alma.list_po_lines(q="title~Contract Monograph")["po_line"]) == 2  # the late one exists
    finally:
        alma.change_settings(**settings)
        for other in others:
            getattr(other.backend, "close", lambda: None)()
