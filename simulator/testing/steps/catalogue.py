"""Steps about the bibliographic record a PO line is attached to: matched, brief, Network Zone, tags."""

from __future__ import annotations

import re

from pytest_bdd import parsers, then

from simulator.testing.steps._alma import alert_codes, current_line, mms_id_of, portfolios_of
from simulator.testing.steps._types import EXTRA_TYPES


def _record(alma, outcome) -> tuple[dict, dict]:
    line = current_line(alma, outcome)
    return line, alma.bib(mms_id_of(line))


@then(parsers.parse('the PO line is attached to the existing record "{title}"'))
def attached_to_existing(alma, outcome, title):
    _, bib = _record(alma, outcome)
    assert (bib["title"], bib["brief_level"]["desc"]) == (title, "Full"), bib


@then(parsers.parse('the PO line is attached to the {kind:Kind} record "{title}"', extra_types=EXTRA_TYPES))
def attached_to_kind(alma, outcome, kind, title):
    """Electronic inventory is what the record held before this order: its portfolios the line did not bring (a
    portfolio the vendor's order line found in the institution was there before)."""
    line, bib = _record(alma, outcome)
    assert bib["title"] == title, f"attached to {bib['title']!r}"
    found = outcome.checkout is not None and outcome.checkout.portfolio == "iz"
    earlier = [p for p in alma.bib_portfolios(bib["mms_id"])["portfolio"]
               if found or p["id"] not in portfolios_of(line)]
    assert bool(earlier) == (kind != "physical"), f"{title!r} had portfolios {[p['id'] for p in earlier]}"


@then(parsers.parse("Alma chose the record by {how}"))
def chose_by(alma, outcome, how):
    line = current_line(alma, outcome)
    several = [a["desc"] for a in line["alert"] if a["value"] == "SEVERAL_MATCHES"]
    if how == "inventory type":
        assert not several, several
        return
    assert how == "lowest MMS ID" and several, f"alerts: {line['alert']}"
    others = [n for n in re.findall(r"\d{10,}", several[0]) if n != mms_id_of(line)]
    assert others and all(mms_id_of(line) < n for n in others), several[0]


@then(parsers.parse('Alma creates a brief record "{title}" in the Institution Zone'))
def brief_record(alma, outcome, title):
    _, bib = _record(alma, outcome)
    assert (bib["title"], bib["brief_level"]["desc"], bib["zone"]) == (title, "Brief", "IZ"), bib
    assert not bib["network_number"], bib["network_number"]


@then(parsers.parse('Alma creates a brief record "{title}" in the Network Zone, linked to the institution'))
def brief_record_in_network(alma, outcome, title):
    _, bib = _record(alma, outcome)
    assert (bib["title"], bib["brief_level"]["desc"]) == (title, "Brief"), bib
    assert bib["network_number"], "the institution's record links to no Network Zone record"


@then(parsers.parse('the PO line is attached to the Network Zone record "{title}"'))
def attached_to_network_record(alma, outcome, title):
    _, bib = _record(alma, outcome)
    assert (bib["title"], bib["brief_level"]["desc"]) == (title, "Full"), bib
    assert bib["network_number"], "the record is not linked to the Network Zone"


@then(parsers.parse('the record\'s management tag is "{tag:Tag}"', extra_types=EXTRA_TYPES))
def management_tag(alma, outcome, tag):
    _, bib = _record(alma, outcome)
    assert bib["management_tag"] == tag, bib["management_tag"]


@then(parsers.parse('the record carries the local note "{note}"'))
def local_note(alma, outcome, note):
    _, bib = _record(alma, outcome)
    assert note in bib["local_note"], bib["local_note"]


@then("the record carries no local note")
def no_local_note(alma, outcome):
    _, bib = _record(alma, outcome)
    assert bib["local_note"] == [], bib["local_note"]


@then("the PO line has no several-matches alert")
def one_match(alma, outcome):
    assert "SEVERAL_MATCHES" not in alert_codes(current_line(alma, outcome))
