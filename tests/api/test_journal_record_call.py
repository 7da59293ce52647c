"""The journal keeps a call the wire records with `record_call` as a tuple and makes its JournalEntry when the
journal is first read: every reader must see exactly the entry `record(JournalEntry(...))` would have kept — the
same fields, the same ids in arrival order among the daily jobs' entries, the bodies cut at body_cap — and the
entry, once made, is the one every later read sees (what verification writes on it stays)."""

from __future__ import annotations

import datetime as dt

from simulator.admin.journal import JOB, Journal, JournalEntry

AT = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.timezone.utc)


def _facts(number: int, institution: str = "HVU", body: bytes = b'{"vendor": {"value": "GOBI"}}') -> dict:
    answer = {"number": f"POL-{number}", "vendor": {"value": "GOBI"}, "status": {"value": "ACTIVE"}}
    return {"at": AT, "request_id": f"RID{number}", "institution": institution, "method": "POST",
            "path": "/almaws/v1/acq/po-lines", "query": [("apikey", "k"), ("format", "json")],
            "route": "/almaws/v1/acq/po-lines", "handler": "create_po_line", "status": 200, "params": {},
            "request": {"vendor": {"value": "GOBI"}}, "answer": answer, "error": None, "request_body": body,
            "response_body": b'{"number": "POL-%d"}' % number, "request_content_type": "application/json",
            "response_content_type": "application/json;charset=UTF-8", "milliseconds": 1.25, "stub": 0,
            "caller": "key 12345678"}


def _job(number: int) -> JournalEntry:
    return JournalEntry(at=AT, request_id="", institution="HVU", method="JOB", path="", query=(), kind=JOB,
                        params={"po_line_id": f"POL-{number}"}, fixed_summary=f"PO line POL-{number}: renewed")


def _both(body_cap: int = 4096) -> tuple[Journal, Journal]:
    """Two journals fed alike: one with record(JournalEntry(...)), one with record_call(...)."""
    made, kept = Journal(body_cap=body_cap), Journal(body_cap=body_cap)
    for number in range(1, 6):
        facts = _facts(number, "HVU" if number % 2 else "OTHER", body=b"x" * (number * 10))
        made.record(JournalEntry(**facts))
        kept.record_call(*facts.values())
        if number == 3:
            made.record(_job(number))
            kept.record(_job(number))
    return made, kept


def test_a_call_kept_as_facts_reads_as_the_entry_record_would_have_kept() -> None:
    made, kept = _both(body_cap=25)
    assert kept.entries() == made.entries()  # every field, ids and the cut bodies included
    assert [e.id for e in kept.entries()] == [1, 2, 3, 4, 5, 6]
    assert [e.kind for e in kept.entries()] == ["call", "call", "call", "job", "call", "call"]
    assert [len(e.request_body) for e in kept.entries(kind="call")] == [10, 20, 25, 25, 25]
    assert [e.to_json() for e in kept.entries()] == [e.to_json() for e in made.entries()]
    assert kept.count(vendor="GOBI") == made.count(vendor="GOBI") == 5


def test_an_entry_is_made_once_so_what_a_reader_writes_on_it_stays() -> None:
    _, kept = _both()
    first = kept.entries()[0]
    first.line_vendor = "RIALTO"
    assert kept.entries()[0] is first and kept.entries()[0].line_vendor == "RIALTO"


def test_clearing_resizing_and_numbering_work_on_calls_not_yet_read() -> None:
    made, kept = _both()
    for journal in (made, kept):
        journal.resize(cap=4)  # the oldest two go
        assert journal.clear("OTHER") == 1  # the 4th call
    assert [e.id for e in kept.entries()] == [e.id for e in made.entries()] == [3, 4, 6]
    made.record_call(*_facts(7).values())
    kept.record(JournalEntry(**_facts(7)))
    assert kept.entries() == made.entries()
    assert kept.entries()[-1].id == 7


def test_a_journal_turned_off_keeps_no_call() -> None:
    journal = Journal(cap=0)
    journal.record_call(*_facts(1).values())
    assert len(journal) == 0 and journal.entries() == []


def test_record_call_takes_the_entry_s_fields_in_the_entry_s_order():
    """The wire passes a call's facts to record_call by position, and the tuple becomes a JournalEntry by the same
    order: a field added to JournalEntry must be added to record_call too, or this fails."""
    import inspect

    from simulator.admin.journal import _CALL_FIELDS

    assert list(inspect.signature(Journal.record_call).parameters)[1:] == list(_CALL_FIELDS)
