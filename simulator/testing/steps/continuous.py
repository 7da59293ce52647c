"""Steps about continuous orders — subscriptions and standing orders — and the nightly jobs that follow them:
the renewal terms a vendor sends, waiting for renewal, the renewal job (by hand or automatic), the claiming job
and what the vendor is told, and the librarian's renewals and claims task lists.

The vendor carts sell print books and ebooks, not subscriptions, so a continuous order is put together step by
step ("GOBI prepares an order for …", "the subscription renews …") and sent to Alma's Create PO line API as the
vendor's system would send it, with the vendor's record and account at the institution. Dates are counted from
the simulated clock's today ("90 days from today"), so a scenario reads the same whatever day the clock shows.
Time moves through the simulator's admin API (`AlmaClient.advance_clock`), which runs the nightly jobs the clock
passes; everything else goes through AlmaClient, so the steps run on every backend.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from simulator import edifact
from simulator.testing.steps._alma import attempt, current_line
from simulator.testing.steps._cart import vendor_for
from simulator.testing.steps._types import EXTRA_TYPES, Outcome, _choice
from simulator.testing.steps.institution import institution_of

# What a continuous order is, in the librarian's words, as Alma's PO line types (and whether it is physical).
CONTINUOUS_KINDS = {"print journal subscription": ("PRINTED_JOURNAL_CO", True),
                    "e-journal subscription": ("E_JOURNAL_CO", False),
                    "print standing order": ("PRINTED_BOOK_SO", True),
                    "print standing order for a non-monographic series": ("PRINT_SO_NONMON", True),
                    "print book": ("PRINTED_BOOK_OT", True),
                    "electronic collection": ("ELECTRONIC_COLLECTION_OT", False)}  # one-time, by its name
# Renewal cycles, by the words on the PO line's Renewal section, as Alma's RenewalCycle codes [decision: ours].
CYCLES = {"year": ("1", 12), "six months": ("2", 6), "three months": ("3", 3), "month": ("4", 1)}
# What a job says it did, by the librarian's words, as the key of its answer.
JOB_OUTCOMES = {"renewed": "renewed", "waiting for manual renewal": "waiting_for_manual_renewal",
                "closed": "closed", "claimed": "claimed", "sent to the vendor": "sent_to_vendor"}
JOBS = {"renewal": "renewal", "claiming": "claiming"}

TYPES = {**EXTRA_TYPES, "ContinuousKind": _choice(CONTINUOUS_KINDS, "kind of order"),
         "Cycle": _choice(CYCLES, "renewal cycle"), "JobOutcome": _choice(JOB_OUTCOMES, "job outcome"),
         "Job": _choice(JOBS, "job")}

# Issue prices and identifiers of the journals the scenarios subscribe to (the seed holds the first in print).
JOURNALS = {"Journal of Hudson Valley Studies": ("2156-3713", "Hudson Valley University Press"),
            "Hudson River Ecology Online": ("2475-8930", "Hudson Valley University Press"),
            "Annual Survey of Hudson Valley Archaeology": ("", "SUNY Press")}


def today(alma) -> dt.date:
    """The simulated clock's day (the admin API's jobs listing carries the clock's now)."""
    return dt.datetime.fromisoformat(alma.jobs()["now"]).date()


def _later(alma, days: int) -> str:
    return (today(alma) + dt.timedelta(days=days)).isoformat()


def _moved_on(day: str, months: int) -> str:
    """`day` moved on by whole months (the end of a shorter month stays the end of the month)."""
    date = dt.date.fromisoformat(day.rstrip("Z"))
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    first_after = dt.date(year + (month == 11), (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(date.day, (first_after - dt.timedelta(days=1)).day)).isoformat()


# ---------------------------------------------------------------- the vendor puts the order together --------------


@given(parsers.parse('{vendor:Vendor} prepares an order for the {kind:ContinuousKind} "{title}"', extra_types=TYPES),
       target_fixture="continuous_order")
def prepare_order(request, alma, vendor, kind, title) -> dict[str, Any]:
    line_type, physical = kind
    institution = institution_of(request)
    profile = vendor_for(vendor, institution)
    setup = profile.setup(institution)
    account = setup.vendor_account or next(a["code"] for a in alma.vendor(setup.vendor_code).get("account", []))
    library = alma.libraries()["library"][0]["code"]
    issn, publisher = JOURNALS.get(title, ("", ""))
    price = {"sum": "180.00", "currency": {"value": "USD"}}
    body: dict[str, Any] = {
        "owner": {"value": library}, "type": {"value": line_type}, "vendor": {"value": setup.vendor_code},
        "vendor_account": account, "acquisition_method": {"value": profile.acquisition_method},
        "vendor_reference_number": f"{setup.vendor_code}-SUB-{zlib.crc32(title.encode()) % 100000:05d}",
        "price": price, "resource_metadata": {"title": title, "issn": issn, "publisher": publisher},
        "fund_distribution": [{"fund_code": {"value": "SERIALS"}, "amount": price}],
        "renewal_date": _later(alma, 365), "renewal_cycle": {"value": "1"}, "manual_renewal": True,
    }
    if physical:
        location = alma.locations(library)["location"][0]["code"]
        body["location"] = [{"quantity": 1, "library": {"value": library}, "shelving_location": location}]
    if not line_type.endswith(("_CO", "_SO", "_SO_NONMON")):
        for name in ("renewal_date", "renewal_cycle", "manual_renewal"):
            body.pop(name)
    return {"body": body, "physical": physical, "vendor": setup.vendor_code}


@given(parsers.parse("the subscription renews automatically every {cycle:Cycle}, {days:d} days from today",
                     extra_types=TYPES))
def renews_automatically(alma, continuous_order, cycle, days):
    continuous_order["body"].update(manual_renewal=False, renewal_cycle={"value": cycle[0]},
                                    renewal_date=_later(alma, days))


@given(parsers.parse("the subscription is renewed by hand, {days:d} days from today", extra_types=TYPES))
def renewed_by_hand(alma, continuous_order, days):
    continuous_order["body"].update(manual_renewal=True, renewal_date=_later(alma, days))


@given(parsers.parse("the renewal reminder comes {days:d} days before the renewal date"))
def reminder(continuous_order, days):
    continuous_order["body"]["renewal_period"] = days


@given(parsers.parse("the subscription ends {days:d} days from today"))
def subscription_ends(alma, continuous_order, days):
    continuous_order["body"].update(subscription_from_date=_later(alma, 0), subscription_to_date=_later(alma, days))


@given("the order sends no renewal date")
def no_renewal_date(continuous_order):
    continuous_order["body"].pop("renewal_date", None)


@given(parsers.parse("it is expected {days:d} days after ordering, with {grace:d} days' grace before a claim"))
def expected_after(continuous_order, days, grace):
    interval = "expected_receipt_interval" if continuous_order["physical"] else "expected_activation_interval"
    continuous_order["body"].update({interval: str(days), "claiming_interval": str(grace)})


@given("the vendor sends the order to Alma", target_fixture="outcome")
@when("the vendor sends the order to Alma", target_fixture="outcome")
def send_order(alma, continuous_order) -> Outcome:
    return attempt(alma, lambda: alma.create_po_line(continuous_order["body"]))


# ---------------------------------------------------------------- time and the nightly jobs ----------------------


@given(parsers.parse("{days:d} days pass"))
@when(parsers.parse("{days:d} days pass"))
def days_pass(alma, days):
    alma.advance_clock(days=days)


@given("one more day passes")
@when("one more day passes")
def one_more_day(alma):
    alma.advance_clock(days=1)


@when(parsers.parse("the {job:Job} job runs", extra_types=TYPES), target_fixture="job_answer")
def job_runs(alma, job) -> dict:
    return alma.run_job(job)


@then(parsers.parse("the job reports the PO line as {what:JobOutcome}", extra_types=TYPES))
def job_reports(job_answer, outcome, what):
    assert outcome.po_line["number"] in job_answer[what], f"{what}: {job_answer[what]} ({job_answer})"


@then(parsers.parse("the job does not report the PO line as {what:JobOutcome}", extra_types=TYPES))
def job_does_not_report(job_answer, outcome, what):
    assert outcome.po_line["number"] not in job_answer[what], job_answer


# ---------------------------------------------------------------- renewals --------------------------------------


def _in(task_list: dict, number: str) -> bool:
    return number in [line["number"] for line in task_list.get("po_line", [])]


@then("the PO line is in the renewals task list")
def in_renewals(alma, outcome):
    assert _in(alma.renewals(), outcome.po_line["number"])


@then("the PO line is not in the renewals task list")
def not_in_renewals(alma, outcome):
    assert not _in(alma.renewals(), outcome.po_line["number"])


@when("the librarian renews the subscription", target_fixture="outcome")
def librarian_renews(alma, outcome) -> Outcome:
    number = outcome.po_line["number"]
    return attempt(alma, lambda: alma.renew_po_line(number), number=number)


@when(parsers.parse("the librarian changes the renewal date to {days:d} days from today"), target_fixture="outcome")
def change_renewal_date(alma, outcome, days) -> Outcome:
    number = outcome.po_line["number"]
    line = alma.get_po_line(number)
    line["renewal_date"] = _later(alma, days)
    return attempt(alma, lambda: alma.update_po_line(number, line), number=number)


@then(parsers.parse("Alma refuses to renew it"))
def refuses_to_renew(outcome):
    assert outcome.error is not None and outcome.error.code == "401876", outcome.error


@then(parsers.parse("the renewal date has moved on by {cycle:Cycle}", extra_types=TYPES))
def renewal_date_moved(alma, outcome, continuous_order, cycle):
    sent = continuous_order["body"]["renewal_date"]
    assert current_line(alma, outcome)["renewal_date"] == _moved_on(sent, cycle[1]) + "Z"


@then("the renewal date is still the one the vendor sent")
def renewal_date_kept(alma, outcome, continuous_order):
    assert current_line(alma, outcome)["renewal_date"] == continuous_order["body"]["renewal_date"] + "Z"


@then("the PO line carries the renewal terms the vendor sent")
def carries_terms(alma, outcome, continuous_order):
    line, sent = current_line(alma, outcome), continuous_order["body"]
    assert line["renewal_date"] == sent["renewal_date"] + "Z"
    assert line["manual_renewal"] is sent["manual_renewal"]
    assert line["renewal_cycle"]["value"] == sent["renewal_cycle"]["value"]
    assert line["renewal_period"] == sent.get("renewal_period", 0)


# ---------------------------------------------------------------- claims ----------------------------------------


def _claimed_line(alma, number: str) -> dict:
    found = [line for line in alma.claims().get("po_line", []) if line["number"] == number]
    assert found, f"PO line {number} is not in the claims task list"
    return found[0]


def _edi_claims(alma, vendor: str, number: str) -> list[edifact.OstenqMessage]:
    return [claim for text in alma.edi_outbox(vendor) for claim in edifact.read(text).claims if claim.po_line == number]


@then("the PO line is in the claims task list")
def in_claims(alma, outcome):
    _claimed_line(alma, outcome.po_line["number"])


@then("the PO line is not in the claims task list")
def not_in_claims(alma, outcome):
    assert not _in(alma.claims(), outcome.po_line["number"])


@then("the vendor was sent the claim by EDI")
def claim_by_edi(alma, outcome, continuous_order):
    number = outcome.po_line["number"]
    [message] = _edi_claims(alma, continuous_order["vendor"], number)
    assert message.title == continuous_order["body"]["resource_metadata"]["title"]
    assert [c["channel"] for c in _claimed_line(alma, number)["claim"]] == ["EDI"]


@then("the vendor was sent a claim letter by e-mail")
def claim_by_email(alma, outcome, continuous_order):
    number = outcome.po_line["number"]
    [claim] = _claimed_line(alma, number)["claim"]
    assert claim["channel"] == "EMAIL" and number in claim["letter"]
    assert _edi_claims(alma, continuous_order["vendor"], number) == []


@then("the vendor was told of the claim only once")
def told_once(alma, outcome, continuous_order):
    number = outcome.po_line["number"]
    claims = _claimed_line(alma, number)["claim"]
    assert len(claims) >= 1 and [c["sent_to_vendor"] for c in claims].count(True) == 1
    assert len(_edi_claims(alma, continuous_order["vendor"], number)) <= 1


@then("Alma has sent the vendor nothing about the PO line")
def nothing_sent(alma, outcome, continuous_order):
    number = outcome.po_line["number"]
    interchanges = [edifact.read(text) for text in alma.edi_outbox(continuous_order["vendor"])]
    about = [m for i in interchanges for m in (*i.claims, *i.cancellations) if m.po_line == number]
    assert about == [], about


@pytest.fixture
def job_answer() -> dict:
    """What the last job run on demand said (set by "the … job runs")."""
    return {}
