"""ORDERING-RULES §7 — continuous lines and their renewal (Knowledge Center "Renewal Workflow", "Processing
Renewals"): the renewal terms a continuous order carries, waiting for renewal after receipt or activation, the
daily renewal job (manual: Waiting for Manual Renewal at renewal date minus the reminder period; automatic: the
renewal date moves on one cycle; SUNY: closed once the subscription-to date passes), the librarian's manual
renewal, and the registry of daily jobs."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from simulator.alma import jobs, lifecycle, ordering, renewals, snapshot
from simulator.alma.model import INTERESTED_IN, InterestedUser, POLineStatus, ResourceMetadata
from simulator.errors import AlmaError

from .conftest import HUDSON_ISSN, HVU, ebook_draft, print_draft, usd
from .rule_7_helpers import invoice_for, sent


def journal(**changes):
    """A print journal subscription from GOBI, renewing each year on 1 December (reminder: 30 days before)."""
    terms = dict(type="PRINTED_JOURNAL_CO", price=usd(120), renewal_date="2026-12-01", renewal_period=30,
                 renewal_cycle="1", subscription_from="2026-09-01", subscription_to="2027-08-31")
    terms.update(changes)
    return print_draft(**terms)


def _receive_all(world, clock, line):
    for loc in line.draft.locations:
        for item_id in loc.item_ids:
            lifecycle.receive(world, HVU, line.number, clock, item_id=item_id)


def _run(hvu, clock, job=renewals.JOB):
    return jobs.run(hvu, jobs.JOBS[job], clock)


def _on(clock, day: str) -> None:
    """Move the fixed clock to 02:00 UTC of `day` (when the daily jobs run)."""
    target = dt.datetime.fromisoformat(f"{day}T02:00:00+00:00")
    clock.advance(seconds=(target - clock.now()).total_seconds())


# ---------------------------------------------------------------- ordering a continuous line ---------------------


def test_a_continuous_order_without_its_renewal_date_is_held_in_review(world, clock):
    """§7 [decision]: renewal_date is expected for subscriptions and standing orders (Developer Network blog):
    without it the line is kept In Review with an alert; with it the line goes on to processing."""
    held = ordering.create_po_line(world, HVU, print_draft(type="PRINTED_JOURNAL_CO", renewal_date=""), clock)
    assert held.status is POLineStatus.IN_REVIEW
    assert [a.code for a in held.alerts] == [renewals.RENEWAL_DATE_MISSING]
    standing = ordering.create_po_line(world, HVU, print_draft(type="PRINTED_BOOK_SO", renewal_date=""), clock)
    assert [a.code for a in standing.alerts] == [renewals.RENEWAL_DATE_MISSING]
    one_time = ordering.create_po_line(world, HVU, print_draft(), clock)
    assert one_time.status is POLineStatus.AUTO_PACKAGING and not one_time.alerts
    fine = ordering.create_po_line(world, HVU, journal(), clock)
    assert fine.status is POLineStatus.AUTO_PACKAGING and not fine.alerts


def test_sending_the_renewal_date_later_clears_the_alert(world, clock):
    held = ordering.create_po_line(world, HVU, print_draft(type="PRINTED_JOURNAL_CO", renewal_date=""), clock)
    lifecycle.update(world, HVU, held.number, replace(held.draft, renewal_date="2027-01-01"), clock)
    assert held.alerts == [] and held.draft.renewal_date == "2027-01-01"
    lifecycle.approve(world, HVU, held.number, clock)
    assert held.status is POLineStatus.AUTO_PACKAGING


@pytest.mark.parametrize("changes, field", [
    ({"renewal_date": "next spring"}, "renewal_date"),
    ({"renewal_date": "2027-02-30"}, "renewal_date"),
    ({"renewal_cycle": "FORTNIGHTLY"}, "renewal_cycle"),
    ({"renewal_period": -3}, "renewal_period"),
    ({"subscription_from": "2027-01-01", "subscription_to": "2026-01-01"}, "subscription_to_date"),
])
def test_renewal_terms_alma_cannot_read_are_refused_and_leave_no_trace(world, hvu, clock, changes, field):
    before = (len(hvu.po_lines), hvu.po_line_numbers.next)
    with pytest.raises(AlmaError) as refusal:
        ordering.create_po_line(world, HVU, journal(**changes), clock)
    assert refusal.value.code == "401872" and field in refusal.value.message
    assert (len(hvu.po_lines), hvu.po_line_numbers.next) == before


def test_a_cycle_sent_by_its_name_is_kept_as_its_code(world, clock):
    line = ordering.create_po_line(world, HVU, journal(renewal_cycle="Quarterly"), clock)
    assert line.draft.renewal_cycle == "3" and renewals.cycle_label("3") == "Quarterly"
    assert renewals.cycle_code("annual") == "1"


def test_months_are_added_as_a_calendar_does():
    assert renewals.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert renewals.add_months(dt.date(2026, 12, 1), 12) == dt.date(2027, 12, 1)
    assert renewals.add_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)


# ---------------------------------------------------------------- waiting for renewal ----------------------------


def test_a_received_subscription_waits_for_renewal_before_any_invoice(world, hvu, clock):
    """§7: after receipt a continuous line waits for renewal; an invoice does not change that (never closes)."""
    line = sent(world, clock, journal())
    _receive_all(world, clock, line)
    assert line.status is POLineStatus.RECURRING_RENEWAL
    invoice_for(world, clock, [line], subscription_from="2026-09-01", subscription_to="2027-08-31")
    assert line.status is POLineStatus.RECURRING_RENEWAL
    assert hvu.purchase_orders[line.po_number].status == "SENT"


def test_an_activated_e_journal_waits_for_renewal(world, hvu, clock):
    line = sent(world, clock, ebook_draft(type="E_JOURNAL_CO", renewal_date="2027-01-01", title="An E-Journal",
                                          isbn="", resource=None))
    for portfolio_id in line.portfolio_ids:
        lifecycle.activate_portfolio(world, HVU, portfolio_id, clock)
    assert line.portfolio_ids and line.status is POLineStatus.RECURRING_RENEWAL


# ---------------------------------------------------------------- the renewal job --------------------------------


def test_manual_renewal_waits_from_the_reminder_day_until_a_librarian_renews(world, hvu, clock):
    """Renewal date 2026-12-01 minus 30 days: due on 2026-11-01. Before that nothing happens."""
    line = sent(world, clock, journal(manual_renewal=True))
    _receive_all(world, clock, line)
    _on(clock, "2026-10-31")
    assert _run(hvu, clock) == {"job": "renewal", "renewed": [], "waiting_for_manual_renewal": [], "closed": []}
    _on(clock, "2026-11-01")
    assert _run(hvu, clock)["waiting_for_manual_renewal"] == [line.number]
    assert line.status is POLineStatus.WAITING_FOR_MANUAL_RENEWAL and line.status_date == "2026-11-01Z"
    assert renewals.task_list(hvu) == [line]
    assert _run(hvu, clock)["waiting_for_manual_renewal"] == []  # already waiting: not counted again
    renewals.renew(world, HVU, line.number, clock)
    assert (line.status, line.draft.renewal_date) == (POLineStatus.RECURRING_RENEWAL, "2027-12-01")
    assert renewals.task_list(hvu) == []


def test_editing_the_renewal_date_renews_a_line_waiting_for_manual_renewal(world, hvu, clock):
    """Knowledge Center "Processing Renewals": a line renewed by hand is renewed by editing its renewal date; its
    vendor and acquisition method cannot change while it is marked for renewal."""
    line = sent(world, clock, journal(manual_renewal=True))
    _receive_all(world, clock, line)
    _on(clock, "2026-11-05")
    _run(hvu, clock)
    assert line.status is POLineStatus.WAITING_FOR_MANUAL_RENEWAL
    with pytest.raises(AlmaError) as refusal:
        lifecycle.update(world, HVU, line.number, replace(line.draft, acquisition_method="PURCHASE"), clock)
    assert refusal.value.code == "401876" and "marked for renewal" in refusal.value.message
    lifecycle.update(world, HVU, line.number, replace(line.draft, renewal_date="2026-11-20"), clock)
    assert line.status is POLineStatus.WAITING_FOR_MANUAL_RENEWAL  # its reminder (2026-10-21) has passed
    lifecycle.update(world, HVU, line.number, replace(line.draft, renewal_date="2027-12-01"), clock)
    assert line.status is POLineStatus.RECURRING_RENEWAL and renewals.task_list(hvu) == []


def test_a_librarian_can_renew_to_a_date_of_her_choice_but_not_backwards(world, hvu, clock):
    line = sent(world, clock, journal(manual_renewal=True))
    _receive_all(world, clock, line)
    with pytest.raises(AlmaError) as refusal:
        renewals.renew(world, HVU, line.number, clock, renewal_date="2026-06-01")
    assert refusal.value.code == "401872"
    renewals.renew(world, HVU, line.number, clock, renewal_date="2027-06-30")
    assert line.draft.renewal_date == "2027-06-30"


def test_only_a_continuous_line_waiting_for_renewal_can_be_renewed(world, clock):
    one_time = sent(world, clock, print_draft())
    not_received = sent(world, clock, journal())
    for line in (one_time, not_received):
        with pytest.raises(AlmaError) as refusal:
            renewals.renew(world, HVU, line.number, clock)
        assert refusal.value.code == "401876"
    with pytest.raises(AlmaError) as unknown:
        renewals.renew(world, HVU, "POL-99999", clock)
    assert unknown.value.code == "401871"


def test_automatic_renewal_moves_the_date_on_by_one_cycle_and_tells_no_vendor(world, hvu, clock):
    line = sent(world, clock, journal(renewal_cycle="2"))  # semi-annual
    _receive_all(world, clock, line)
    outbox = {v: list(m) for v, m in hvu.edi_outbox.items()}
    _on(clock, "2026-11-01")
    assert _run(hvu, clock)["renewed"] == [line.number]
    assert (line.status, line.draft.renewal_date) == (POLineStatus.RECURRING_RENEWAL, "2027-06-01")
    assert _run(hvu, clock)["renewed"] == []  # the next reminder is 2027-05-02
    assert {v: list(m) for v, m in hvu.edi_outbox.items()} == outbox  # renewals are never sent to the vendor


def test_a_renewal_tells_the_interested_users_who_asked_and_no_one_else(world, hvu, clock):
    told = InterestedUser(primary_id="omar.haddad", notify_renewal=True)
    untold = InterestedUser(primary_id="ada.reyes", notify_receiving_activation=True)
    automatic = sent(world, clock, journal(interested_users=[told, untold]))
    manual = sent(world, clock, journal(manual_renewal=True, interested_users=[told]))
    for line in (automatic, manual):
        _receive_all(world, clock, line)
    before = len(hvu.letters)
    _on(clock, "2026-11-01")
    assert _run(hvu, clock)["renewed"] == [automatic.number]
    renewal_letters = [(l.primary_id, l.po_line, l.code, l.reason) for l in hvu.letters[before:]]
    assert renewal_letters == [("omar.haddad", automatic.number, INTERESTED_IN, "renewal")]
    renewals.renew(world, HVU, manual.number, clock)  # by hand: told as well
    assert [(l.primary_id, l.po_line) for l in hvu.letters[before + 1:]] == [("omar.haddad", manual.number)]


def test_a_job_that_missed_days_catches_up_in_one_run(world, hvu, clock):
    line = sent(world, clock, journal(renewal_cycle="4", subscription_to=""))  # monthly
    _receive_all(world, clock, line)
    _on(clock, "2027-03-15")
    _run(hvu, clock)
    assert line.draft.renewal_date == "2027-05-01"  # its reminder (2027-04-01) lies ahead again


def test_an_automatic_line_closes_once_its_subscription_has_ended(world, hvu, clock):
    """[decision, SUNY practice] the subscription-to date ends an automatically renewing line; an invoice
    that comes later does not reopen it."""
    line = sent(world, clock, journal())
    _receive_all(world, clock, line)
    _on(clock, "2027-08-31")
    assert _run(hvu, clock)["closed"] == []
    _on(clock, "2027-09-01")
    assert _run(hvu, clock)["closed"] == [line.number]
    assert line.status is POLineStatus.CLOSED
    assert hvu.purchase_orders[line.po_number].status == "CLOSED"
    invoice_for(world, clock, [line], subscription_from="2026-09-01", subscription_to="2027-08-31")
    assert line.status is POLineStatus.CLOSED


def test_an_automatic_line_without_a_cycle_waits_for_a_person(world, hvu, clock):
    """[decision] automatic renewal needs a cycle (SUNY: the cycle is required for automatic renewal)."""
    line = sent(world, clock, journal(renewal_cycle=""))
    _receive_all(world, clock, line)
    _on(clock, "2026-11-02")
    assert _run(hvu, clock)["waiting_for_manual_renewal"] == [line.number]


def test_the_job_records_its_last_run_on_the_institution(hvu, clock):
    _run(hvu, clock)
    assert hvu.job_runs == {"renewal": clock.now().isoformat()}


# ---------------------------------------------------------------- daily times and snapshots ----------------------


def test_due_lists_each_daily_run_between_two_moments_in_time_order():
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.timezone.utc)
    assert jobs.due(start, start + dt.timedelta(hours=16)) == []
    runs = jobs.due(start, start + dt.timedelta(days=2))
    assert [(m.isoformat(), j.name) for m, j in runs] == [
        ("2026-09-02T02:00:00+00:00", "renewal"), ("2026-09-02T02:00:00+00:00", "claiming"),
        ("2026-09-03T02:00:00+00:00", "renewal"), ("2026-09-03T02:00:00+00:00", "claiming")]
    at_two = dt.datetime(2026, 9, 2, 2, 0, tzinfo=dt.timezone.utc)
    assert [j.name for _, j in jobs.due(at_two - dt.timedelta(seconds=1), at_two)] == ["renewal", "claiming"]
    assert jobs.due(at_two, at_two + dt.timedelta(hours=23)) == []  # (after, until]: a run is never counted twice
    assert jobs.next_run(jobs.JOBS["renewal"], start).isoformat() == "2026-09-02T02:00:00+00:00"


def test_a_snapshot_of_before_the_codes_were_aligned_still_loads(world, clock):
    """The status code was WAITING_FOR_RENEWAL and the renewal terms were kept as sent: both still load."""
    line = sent(world, clock, journal())
    _receive_all(world, clock, line)
    data = snapshot.dump(world)
    stored = data["institutions"][HVU]["po_lines"][line.number]
    stored["status"] = "WAITING_FOR_RENEWAL"
    draft = stored["draft"]
    for name in ("renewal_date", "subscription_from", "subscription_to", "claiming_interval"):
        draft.pop(name)
    draft["extra"].update({"renewal_date": "2026-12-01Z", "subscription_to_date": "2027-08-31",
                           "claiming_interval": "5"})
    loaded = snapshot.load(data).institutions[HVU].po_lines[line.number]
    assert loaded.status is POLineStatus.RECURRING_RENEWAL
    assert (loaded.draft.renewal_date, loaded.draft.subscription_to, loaded.draft.claiming_interval) == \
        ("2026-12-01", "2027-08-31", 5)
    assert loaded.draft.extra == {}


def test_a_subscription_is_matched_on_its_issn(world, hvu, clock):
    """A subscription is matched with the profile's serial match method (ISSN, matching.py): ordering a journal
    the catalogue holds links the line to that record instead of a new brief one."""
    held = [b for b in hvu.catalogue.bibs.values() if HUDSON_ISSN in b.issns]
    line = ordering.create_po_line(world, HVU, journal(resource=ResourceMetadata(title="Hudson Review",
                                                                                  issn=HUDSON_ISSN)), clock)
    assert held and line.mms_id in {b.mms_id for b in held}
