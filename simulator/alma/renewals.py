"""Renewals of continuous PO lines (ORDERING-RULES §7; Knowledge Center "Renewal Workflow", "Processing
Renewals"): the renewal terms a continuous order must carry, the daily renewal job, and the librarian's manual
renewal.

A continuous line (subscription or standing order) waits for renewal (RECURRING_RENEWAL, "Waiting for
Renewal") once it is received or activated (closing.py). Each day the renewal job looks at those lines whose
renewal date minus the reminder period (`renewal_period`, days) has been reached:

- manual renewal: the line goes to WAITING_FOR_MANUAL_RENEWAL and appears in the renewals task list, until a
  librarian renews it (a new renewal date, by default one cycle later);
- automatic renewal: the renewal date moves on by one renewal cycle, and the line stays where it is;
- an automatically renewing line whose subscription-to date has passed closes [decision, SUNY practice: the
  renewal date falls before the subscription-to date, and the subscription ends there].

Renewals are never sent to the vendor; the line's interested users who asked to be told of renewals get a letter
(letters.renewal_notice). Imports model, closing, letters and simulator.clock/errors.
"""

from __future__ import annotations

import datetime as dt
import re

from simulator.alma import closing, letters
from simulator.alma.model import Alert, Institution, POLine, POLineDraft, POLineStatus, POLineType, World
from simulator.clock import Clock, alma_date
from simulator.errors import IllegalValue, POLineNotFound, UpdateFailed

# The code table RenewalCycle [decision: Alma's codes are not published beyond the example {"value": "1"}; these
# codes, their labels and their lengths in months are ours, and the English names are accepted as codes too].
RENEWAL_CYCLES: dict[str, tuple[str, int]] = {
    "1": ("Annual", 12),
    "2": ("Semi-Annual", 6),
    "3": ("Quarterly", 3),
    "4": ("Monthly", 1),
    "5": ("Biennial", 24),
}
_CYCLE_NAMES = {"ANNUAL": "1", "YEARLY": "1", "SEMI_ANNUAL": "2", "SEMIANNUAL": "2", "QUARTERLY": "3",
                "MONTHLY": "4", "BIENNIAL": "5"}

#: With no cycle on the line, a manual renewal moves the renewal date one year on [decision].
DEFAULT_CYCLE = "1"

RENEWAL_DATE_MISSING = "RENEWAL_DATE_MISSING"  # listed with the others in alerts.ALERT_CODES

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

JOB = "renewal"


def cycle_code(value: str) -> str:
    """A cycle as sent (its code, or its English name) as its code; "" stays ""; anything else is refused."""
    text = value.strip()
    if not text:
        return ""
    code = _CYCLE_NAMES.get(text.upper().replace("-", "_").replace(" ", "_"), text)
    if code not in RENEWAL_CYCLES:
        known = ", ".join(f"{c} ({label})" for c, (label, _) in RENEWAL_CYCLES.items())
        raise IllegalValue(f"Given renewal_cycle is illegal: {value!r}. Renewal cycles are: {known}.")
    return code


def cycle_label(code: str) -> str:
    return RENEWAL_CYCLES[code][0] if code in RENEWAL_CYCLES else ""


def day_of(text: str, field: str) -> dt.date:
    """An ISO day (2027-01-01, Alma's trailing Z allowed) as a date; anything else is refused naming the field."""
    value = text.strip().rstrip("Z")
    if not _DAY.fullmatch(value):
        raise IllegalValue(f"Given {field} is illegal: {text!r} is not a date (YYYY-MM-DD).")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise IllegalValue(f"Given {field} is illegal: {text!r} is not a date.") from None


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved on by whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def check_terms(draft: POLineDraft) -> None:
    """Refuse renewal and claiming terms that cannot be read: dates, a negative period or interval, an unknown
    cycle (IllegalValue names the field)."""
    for field, value in (("renewal_date", draft.renewal_date), ("subscription_from_date", draft.subscription_from),
                         ("subscription_to_date", draft.subscription_to),
                         ("expected_receipt_date", draft.expected_receipt_date),
                         ("expected_activation_date", draft.expected_activation_date)):
        if value:
            day_of(value, field)
    if draft.renewal_cycle:
        cycle_code(draft.renewal_cycle)
    for field, number in (("renewal_period", draft.renewal_period),
                          ("expected_receipt_interval", draft.expected_receipt_interval),
                          ("expected_activation_interval", draft.expected_activation_interval),
                          ("claiming_interval", draft.claiming_interval)):
        if number is not None and number < 0:
            raise IllegalValue(f"Given {field} is illegal: {number} is negative.")
    if draft.subscription_from and draft.subscription_to and \
            day_of(draft.subscription_to, "subscription_to_date") < day_of(draft.subscription_from, "subscription_from_date"):
        raise IllegalValue(f"Given subscription_to_date is illegal: {draft.subscription_to} is before the "
                           f"subscription_from_date {draft.subscription_from}.")


def order_alerts(line_type: POLineType, draft: POLineDraft) -> list[Alert]:
    """What ordering adds for the renewal terms (`draft` is the plan's own copy: a cycle sent by its name is
    stored as its code): bad terms are refused; a continuous order without its renewal
    date is held In Review [decision: the Developer Network's real-time ordering blog says vendors are expected
    to send renewal_date for continuous and standing orders, and SUNY's workflow makes it mandatory; Alma's
    documentation does not say it is refused, so the line is kept and a person adds the date]."""
    # an order without renewal terms (most) has nothing to check or to turn into a code: every term empty, no
    # period, no interval (check_terms passes such a draft, and cycle_code("") is "")
    if (draft.renewal_date or draft.subscription_from or draft.subscription_to or draft.expected_receipt_date
            or draft.expected_activation_date or draft.renewal_cycle or draft.renewal_period
            or draft.expected_receipt_interval is not None or draft.expected_activation_interval is not None
            or draft.claiming_interval is not None):
        check_terms(draft)
        draft.renewal_cycle = cycle_code(draft.renewal_cycle)  # the plan's own draft: a name becomes its code
    if line_type.continuous and not draft.renewal_date:
        return [Alert(code=RENEWAL_DATE_MISSING,
                      text=f"Renewal date is missing: a {line_type.label} order needs the date it renews on.")]
    return []


def reminder_day(draft: POLineDraft) -> dt.date | None:
    """The renewal date minus the reminder period: the day the renewal is due."""
    if not draft.renewal_date:
        return None
    return day_of(draft.renewal_date, "renewal_date") - dt.timedelta(days=max(draft.renewal_period, 0))


def _continuous(institution: Institution, line: POLine) -> bool:
    line_type = institution.po_line_types.get(line.draft.type)
    return line_type is not None and line_type.continuous


def _set_status(institution: Institution, line: POLine, status: POLineStatus, today: str) -> None:
    line.status = status
    line.status_date = today
    closing.follow_lines(institution, line.po_number)


def run(institution: Institution, clock: Clock) -> dict:
    """The renewal job for one institution, on the day `clock` says (call it under the institution's lock)."""
    now = clock.now()
    today, stamp = now.date(), alma_date(now)
    renewed: list[str] = []
    waiting: list[str] = []
    closed: list[str] = []
    for line in list(institution.po_lines.values()):
        if line.status is not POLineStatus.RECURRING_RENEWAL or not _continuous(institution, line):
            continue
        draft = line.draft
        if not draft.manual_renewal and draft.subscription_to and \
                today > day_of(draft.subscription_to, "subscription_to_date"):
            _set_status(institution, line, POLineStatus.CLOSED, stamp)
            closed.append(line.number)
            continue
        due = reminder_day(draft)
        if due is None or today < due:
            continue
        if draft.manual_renewal or draft.renewal_cycle not in RENEWAL_CYCLES:
            # [decision] an automatic line without a renewal cycle cannot renew by itself: a person renews it
            _set_status(institution, line, POLineStatus.WAITING_FOR_MANUAL_RENEWAL, stamp)
            waiting.append(line.number)
            continue
        months = RENEWAL_CYCLES[draft.renewal_cycle][1]
        renewal = day_of(draft.renewal_date, "renewal_date")
        while True:  # a job that missed days catches up: the date moves on until its reminder lies ahead
            renewal = add_months(renewal, months)
            if renewal - dt.timedelta(days=max(draft.renewal_period, 0)) > today:
                break
        draft.renewal_date = renewal.isoformat()
        line.status_date = stamp
        renewed.append(line.number)
        letters.renewal_notice(institution, line, clock)
    return {"job": JOB, "renewed": renewed, "waiting_for_manual_renewal": waiting, "closed": closed}


_RENEWING = (POLineStatus.RECURRING_RENEWAL, POLineStatus.WAITING_FOR_MANUAL_RENEWAL)


def check_update(line: POLine, new: POLineDraft) -> None:
    """A line marked for renewal can be edited, but not its vendor or acquisition method (Knowledge Center
    "Processing Renewals"): UpdateFailed."""
    if line.status in _RENEWING:
        for field, old, wanted in (("vendor", line.draft.vendor, new.vendor),
                                   ("acquisition method", line.draft.acquisition_method, new.acquisition_method)):
            if old != wanted:
                raise UpdateFailed(f"Failed to update PO Line {line.number}: the {field} of a PO line marked for "
                                   f"renewal cannot change ({old} to {wanted}).")


def after_update(institution: Institution, line: POLine, clock: Clock) -> None:
    """Editing the renewal date of a line waiting for manual renewal renews it, once the new date's reminder lies
    ahead (Knowledge Center "Processing Renewals": a line is renewed by hand by editing its renewal date)."""
    if line.status is POLineStatus.WAITING_FOR_MANUAL_RENEWAL:
        due = reminder_day(line.draft)
        if due is not None and due > clock.now().date():
            _set_status(institution, line, POLineStatus.RECURRING_RENEWAL, alma_date(clock.now()))


def task_list(institution: Institution) -> list[POLine]:
    """The renewals task list (Alma's PO Lines to Renew): the lines waiting for manual renewal, oldest first."""
    return [line for line in institution.po_lines.values() if line.status is POLineStatus.WAITING_FOR_MANUAL_RENEWAL]


def renew(world: World, institution_code: str, number: str, clock: Clock, *, renewal_date: str = "") -> POLine:
    """A librarian renews a line by hand: its renewal date becomes `renewal_date`, or moves one renewal cycle on
    (a year when the line has no cycle [decision]); the line waits for its next renewal again. Only a continuous
    line waiting for renewal (manual or not) can be renewed [decision: UpdateFailed otherwise]; the new date
    must be later than the old one [decision]."""
    institution = world.institution(institution_code)
    with institution.lock:
        line = institution.po_lines.get(number)
        if line is None:
            raise POLineNotFound(f"Failed to find PO Line {number}.")
        if line.status not in (POLineStatus.WAITING_FOR_MANUAL_RENEWAL, POLineStatus.RECURRING_RENEWAL) \
                or not _continuous(institution, line):
            raise UpdateFailed(f"Failed to renew PO Line {number}: it is {line.status.value}; only a continuous "
                               f"line waiting for renewal can be renewed.")
        draft = line.draft
        current = day_of(draft.renewal_date, "renewal_date") if draft.renewal_date else clock.now().date()
        if renewal_date:
            new = day_of(renewal_date, "renewal_date")
            if draft.renewal_date and new <= current:
                raise IllegalValue(f"Given renewal_date is illegal: {renewal_date} is not after the current renewal "
                                   f"date {draft.renewal_date}.")
        else:
            new = add_months(current, RENEWAL_CYCLES[draft.renewal_cycle or DEFAULT_CYCLE][1])
        draft.renewal_date = new.isoformat()
        _set_status(institution, line, POLineStatus.RECURRING_RENEWAL, alma_date(clock.now()))
        letters.renewal_notice(institution, line, clock)
        return line
