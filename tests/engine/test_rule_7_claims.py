"""ORDERING-RULES §7 — claims (Knowledge Center "Processing Claims"): the daily claiming job claims a physical line
not received by its expected receipt date plus the claiming grace period, an electronic line not activated by its
expected activation date plus grace; only the first claim goes to the vendor (EDI OSTENQ when its EDI account
takes claims, else an e-mail claim letter); standing orders and lines that order no inventory are never claimed,
save the standing order Alma does claim: Physical - Standing Order Non Monograph (PRINT_SO_NONMON)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from simulator import edifact
from simulator.alma import claims, jobs, lifecycle, ordering
from simulator.alma.model import OrderedLocation

from .conftest import HVU, ebook_draft, print_draft
from .rule_7_helpers import sent

# Ordered on 2026-09-01 (the seed clock): expected 10 days later, 5 days' grace — claimed from 2026-09-17.
TERMS = dict(expected_receipt_interval=10, claiming_interval=5)


def _on(clock, day: str) -> None:
    target = dt.datetime.fromisoformat(f"{day}T02:00:00+00:00")
    clock.advance(seconds=(target - clock.now()).total_seconds())


def _claim(hvu, clock) -> dict:
    return jobs.run(hvu, jobs.JOBS[claims.JOB], clock)


def test_a_book_not_received_by_its_expected_date_plus_grace_is_claimed_once_and_the_vendor_told_by_edi(world, hvu, clock):
    line = sent(world, clock, print_draft(**TERMS))
    _on(clock, "2026-09-16")
    assert _claim(hvu, clock) == {"job": "claiming", "claimed": [], "sent_to_vendor": []}
    _on(clock, "2026-09-17")
    assert _claim(hvu, clock) == {"job": "claiming", "claimed": [line.number], "sent_to_vendor": [line.number]}
    assert claims.task_list(hvu) == [line]
    [claim] = line.claims
    assert (claim.date, claim.expected, claim.kind, claim.channel) == ("2026-09-17", "2026-09-11", "receipt", "EDI")
    [message] = edifact.read(hvu.edi_outbox["GOBI"][-1]).claims  # GOBI's EDI account takes claims (OSTENQ)
    assert (message.po_line, message.supplier, message.title, message.quantity) == \
        (line.number, "GOBI", "A Brand New Monograph", 1)
    assert message.identifier == line.draft.resource.isbn and message.identifier_type == "IB" and not message.serial
    _on(clock, "2026-09-18")
    assert _claim(hvu, clock)["claimed"] == []  # still in claim: not claimed again, nothing sent again
    assert len(hvu.edi_outbox["GOBI"]) == 1


def test_receiving_takes_the_line_out_of_the_claims_list(world, hvu, clock):
    line = sent(world, clock, print_draft(**TERMS))
    _on(clock, "2026-09-20")
    _claim(hvu, clock)
    lifecycle.receive(world, HVU, line.number, clock, item_id=line.draft.locations[0].item_ids[0])
    assert claims.task_list(hvu) == []
    assert _claim(hvu, clock)["claimed"] == []


def test_a_later_expected_date_ends_the_claim_and_a_new_claim_is_not_sent_again(world, hvu, clock):
    """Only the first claim of a line goes to the vendor, even when the line is claimed again after its expected
    date was moved."""
    line = sent(world, clock, print_draft(**TERMS))
    _on(clock, "2026-09-20")
    _claim(hvu, clock)
    lifecycle.update(world, HVU, line.number, replace(line.draft, expected_receipt_date="2026-10-15"), clock)
    assert claims.task_list(hvu) == []
    _on(clock, "2026-10-20")
    assert _claim(hvu, clock) == {"job": "claiming", "claimed": [], "sent_to_vendor": []}  # grace: up to 10-20
    _on(clock, "2026-10-21")
    assert _claim(hvu, clock) == {"job": "claiming", "claimed": [line.number], "sent_to_vendor": []}
    assert [(c.expected, c.sent_to_vendor) for c in line.claims] == [("2026-09-11", True), ("2026-10-15", False)]
    assert len(hvu.edi_outbox["GOBI"]) == 1


def test_a_vendor_without_edi_claims_gets_an_email_claim_letter(world, hvu, clock):
    line = sent(world, clock, print_draft(vendor="HARRASSOWITZ", vendor_account="HAR-HVU", **TERMS))
    _on(clock, "2026-09-17")
    assert _claim(hvu, clock)["sent_to_vendor"] == [line.number]
    [claim] = line.claims
    assert claim.channel == "EMAIL" and "HARRASSOWITZ" not in hvu.edi_outbox
    assert "Otto Harrassowitz" in claim.letter and line.number in claim.letter and "2026-09-11" in claim.letter


def test_an_electronic_line_not_activated_by_its_expected_activation_date_plus_grace_is_claimed(world, hvu, clock):
    """The Knowledge Center's example: ordered April 20, activation expected after 5 days, 2 days' grace: in the
    claims list on April 28 — here ordered 2026-09-01: claimed from 2026-09-09."""
    line = sent(world, clock, ebook_draft(expected_activation_interval=5, claiming_interval=2))
    assert line.portfolio_ids and not all(hvu.portfolios[p].available for p in line.portfolio_ids)
    _on(clock, "2026-09-08")
    assert _claim(hvu, clock)["claimed"] == []
    _on(clock, "2026-09-09")
    assert _claim(hvu, clock)["claimed"] == [line.number]
    assert line.claims[0].kind == "activation"
    for portfolio_id in line.portfolio_ids:
        lifecycle.activate_portfolio(world, HVU, portfolio_id, clock)
    assert claims.task_list(hvu) == []


def test_an_expected_receipt_date_sent_overrides_the_interval(world, hvu, clock):
    line = sent(world, clock, print_draft(expected_receipt_interval=10, expected_receipt_date="2026-09-03"))
    assert claims.expected_day(hvu, line) == dt.date(2026, 9, 3)
    _on(clock, "2026-09-04")
    assert _claim(hvu, clock)["claimed"] == [line.number]


def test_what_is_never_claimed(world, hvu, clock):
    """Standing orders and lines ordering no inventory are not claimed (Alma does not claim them); a line with no
    expected date is never overdue, nor is one In Review or cancelled [decision]."""
    standing = sent(world, clock, print_draft(type="PRINTED_BOOK_SO", **TERMS))
    no_date = sent(world, clock, print_draft())
    in_review = ordering.create_po_line(world, HVU, print_draft(vendor="", **TERMS), clock)
    cancelled = sent(world, clock, print_draft(**TERMS))
    lifecycle.cancel(world, HVU, cancelled.number, "ORDERED_IN_ERROR", clock)
    several = sent(world, clock, print_draft(locations=[OrderedLocation(library="MAIN", location="STACKS",
                                                                         quantity=2)], **TERMS))
    lifecycle.receive(world, HVU, several.number, clock, item_id=several.draft.locations[0].item_ids[0])
    _on(clock, "2027-01-01")
    assert _claim(hvu, clock)["claimed"] == [several.number]  # one of two copies has not come: claimed
    for line in (standing, no_date, in_review, cancelled):
        assert line.claims == []
    assert claims.claim_kind(hvu, standing) == "" and claims.expected_day(hvu, no_date) is None


def test_a_non_monograph_standing_order_is_claimed_and_the_monograph_ones_are_not(world, hvu, clock):
    """Knowledge Center "Processing Claims": claims for standing orders are not available, which does not include
    Physical - Standing Order Non Monograph — it goes through the claim mechanism like a continuous line."""
    renews = dict(TERMS, renewal_date="2027-09-01", renewal_period=30)  # a standing order without one waits In Review
    nonmon = sent(world, clock, print_draft(type="PRINT_SO_NONMON", **renews))
    monograph = sent(world, clock, print_draft(type="PRINT_SO", **renews))
    classic = sent(world, clock, print_draft(type="PRINTED_BOOK_SO", **renews))
    assert {line.status.value for line in (nonmon, monograph, classic)} == {"SENT"}
    assert [hvu.po_line_types[t].continuity.value for t in ("PRINT_SO_NONMON", "PRINT_SO", "PRINTED_BOOK_SO")] == [
        "standing-order"] * 3  # all three are standing orders; only the row's `claimed` sets the first apart
    assert claims.claim_kind(hvu, nonmon) == "receipt"
    assert claims.expected_day(hvu, nonmon) == dt.date(2026, 9, 11)
    _on(clock, "2026-09-16")
    assert _claim(hvu, clock)["claimed"] == []  # expected by the end of Sept 11 + 5 days' grace
    _on(clock, "2026-09-17")
    assert _claim(hvu, clock)["claimed"] == [nonmon.number]
    assert len(nonmon.claims) == 1 and monograph.claims == [] and classic.claims == []
    assert claims.claim_kind(hvu, monograph) == claims.claim_kind(hvu, classic) == ""


def test_a_claim_message_round_trips_and_one_without_its_po_line_is_refused():
    """The OSTENQ format (simulator.edifact): what Alma writes, a vendor reads back; a claim that does not name its
    PO line (RFF+LI) is malformed."""
    sent = edifact.OstenqMessage(reference="7", date="2026-09-17", buyer="MAIN", supplier="GOBI", po_line="POL-1",
                                 serial=True, identifier="21563713", identifier_type="IS",
                                 title="Journal of Hudson Valley Studies", quantity=2)
    text = edifact.write_ostenq(sent, sender="01TRLC_HVU", recipient="GOBI", control="7",
                                when=dt.datetime(2026, 9, 17, 2, tzinfo=dt.timezone.utc))
    assert "UNH+7+OSTENQ:D:96A:UN:EAN008'" in text and "BGM+92J::9+POL-1+9'" in text
    assert edifact.read(text).claims == [sent]
    with pytest.raises(edifact.EdifactError, match="RFF"):
        edifact.read(text.replace("RFF+LI:POL-1'", "FTX+LIN+++a note'"))  # the same number of segments
