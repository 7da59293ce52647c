"""Claims (ORDERING-RULES §7; Knowledge Center "Processing Claims"): the daily claiming job, the claims task list,
and the claim the vendor is sent.

A line is overdue when what it ordered has not arrived by its expected date plus the claiming grace period
(`claiming_interval`, days):

- physical: the expected receipt date — the one sent, else the order date plus `expected_receipt_interval`;
- electronic (portfolio or collection): the expected activation date — the one sent, else the order date plus
  `expected_activation_interval`.

The order date is the day the line's PO was sent, else the day the line was created [decision]. A line with no
expected date (no date and no interval sent) is never overdue [decision: the vendor-account defaults Alma
would fall back on are not simulated]. The job claims a line when the day after expected date + grace has
come (the Knowledge Center's example: expected by the end of April 27, claimed on April 28). Lines of a
standing-order type and lines that order no inventory (digital, services) are never claimed, as Alma does not
claim them — except a standing-order type whose row says `claimed` (the defaults: PRINT_SO_NONMON, "Physical -
Standing Order Non Monograph", which the Knowledge Center says Alma does claim).

Only the first claim of a line goes to the vendor: by EDI (an OSTENQ message in the vendor's outbox) when the
vendor's EDI account takes claims, else as an e-mail claim letter kept on the claim [decision: every vendor is
taken to have an e-mail address]. A line stays in the claims task list while it is overdue; receiving or
activating it takes it out, and so does a later expected date (a new claim then follows it, never sent again).
Imports model, closing, simulator.edifact and simulator.clock.
"""

from __future__ import annotations

import datetime as dt

from simulator import edifact
from simulator.alma import closing
from simulator.alma.model import Claim, Continuity, FINISHED, Institution, Inventory, POLine, POLineStatus
from simulator.clock import Clock, alma_date

JOB = "claiming"


def order_day(institution: Institution, line: POLine) -> dt.date:
    """The day the order went out: its PO's sent date, else the line's creation date [decision]."""
    po = institution.purchase_orders.get(line.po_number) if line.po_number else None
    text = (po.sent_date if po is not None and po.sent_date else "") or line.created_date
    return dt.date.fromisoformat(text.rstrip("Z"))


def claim_kind(institution: Institution, line: POLine) -> str:
    """receipt (physical), activation (electronic), or "" for a line Alma never claims."""
    line_type = institution.po_line_types.get(line.draft.type)
    if line_type is None or (line_type.continuity is Continuity.STANDING_ORDER and not line_type.claimed):
        return ""  # standing orders are not claimed, save a type that says so (Standing Order Non Monograph)
    if line_type.inventory is Inventory.PHYSICAL:
        return "receipt"
    if line_type.inventory in (Inventory.ELECTRONIC, Inventory.COLLECTION):
        return "activation"
    return ""  # digital and services: nothing arrives to be claimed


def expected_day(institution: Institution, line: POLine) -> dt.date | None:
    """The expected receipt (physical) or activation (electronic) date, or None when nothing sets one."""
    kind = claim_kind(institution, line)
    draft = line.draft
    sent, interval = ((draft.expected_receipt_date, draft.expected_receipt_interval) if kind == "receipt"
                      else (draft.expected_activation_date, draft.expected_activation_interval))
    if not kind:
        return None
    if sent:
        return dt.date.fromisoformat(sent.rstrip("Z"))
    if interval is None:
        return None
    return order_day(institution, line) + dt.timedelta(days=interval)


def _open(line: POLine) -> bool:
    return line.status not in FINISHED and line.status is not POLineStatus.IN_REVIEW


def in_claim(institution: Institution, line: POLine) -> bool:
    """The line is claimed for the expected date it has now and has still not arrived."""
    if not line.claims or not _open(line) or closing.received_or_activated(institution, line):
        return False
    expected = expected_day(institution, line)
    return expected is not None and line.claims[-1].expected == expected.isoformat()


def overdue(institution: Institution, line: POLine, today: dt.date) -> dt.date | None:
    """The expected date the line has missed (grace included), or None."""
    if not _open(line) or not claim_kind(institution, line):
        return None
    expected = expected_day(institution, line)
    if expected is None or today <= expected + dt.timedelta(days=line.draft.claiming_interval or 0):
        return None
    if closing.received_or_activated(institution, line):
        return None
    return expected


def run(institution: Institution, clock: Clock) -> dict:
    """The claiming job for one institution, on the day `clock` says (call it under the institution's lock)."""
    now = clock.now()
    today = now.date()
    claimed: list[str] = []
    sent: list[str] = []
    for line in list(institution.po_lines.values()):
        expected = overdue(institution, line, today)
        if expected is None or in_claim(institution, line):
            continue
        claim = Claim(date=today.isoformat(), expected=expected.isoformat(), kind=claim_kind(institution, line))
        if not line.claims:  # only the first claim of a line goes to the vendor
            _tell_vendor(institution, line, claim, now)
            sent.append(line.number)
        line.claims.append(claim)
        claimed.append(line.number)
    return {"job": JOB, "claimed": claimed, "sent_to_vendor": sent}


def task_list(institution: Institution) -> list[POLine]:
    """The claims task list (Alma's Claim page): every line in claim, oldest first."""
    return [line for line in institution.po_lines.values() if in_claim(institution, line)]


def _tell_vendor(institution: Institution, line: POLine, claim: Claim, now: dt.datetime) -> None:
    vendor = institution.vendors.get(line.draft.vendor)
    resource = line.draft.resource
    claim.sent_to_vendor = True
    if vendor is not None and vendor.edi_claims:
        reference = str(institution.edi_references.take())
        recipient = vendor.edi_code or vendor.code
        serial = bool(resource.issn) and not resource.isbn
        identifier, kind = (resource.issn, "IS") if serial else (resource.isbn, "IB" if resource.isbn else "")
        message = edifact.OstenqMessage(
            reference=reference, date=alma_date(now).rstrip("Z"), buyer=line.draft.owner or institution.code,
            supplier=recipient, po_line=line.number, serial=serial, identifier=identifier, identifier_type=kind,
            title=resource.title, author=resource.author, publisher=resource.publisher, quantity=line.draft.copies)
        text = edifact.write_ostenq(message, sender=institution.code, recipient=recipient, control=reference,
                                    when=now)
        institution.edi_outbox.setdefault(vendor.code, []).append(text)
        claim.channel = "EDI"
        return
    what = "received" if claim.kind == "receipt" else "activated"
    claim.channel = "EMAIL"
    claim.letter = "\n".join([
        f"To: {vendor.name if vendor else line.draft.vendor}",
        f"From: {institution.name}",
        f"Subject: Claim for PO line {line.number}",
        "",
        f"We ordered {resource.title or 'this title'} on PO line {line.number}"
        + (f" ({line.po_number})" if line.po_number else "") + ".",
        f"It was expected by {claim.expected} and has not been {what}.",
        "Please send it, or tell us when it will arrive.",
    ])
