"""What each page of the librarian's view shows, read from the domain in Alma's own words.

Owns the view models of the librarian's view: plain dicts and lists built from an `Institution` (and the
request journal for a vendor key's activity), ready for the templates. Nothing here changes the world; the
actions are in `simulator.ui.app`, through the API's edge. The after-ordering task lists (renewals, claims) and
the letters sent are read with the domain's own reading functions (`renewals.task_list`, `claims.task_list`,
`letters.letters` …), never their jobs or `renew`.
Imports the domain (model, queries, renewals, claims, letters: to read), simulator.money/errors/identifiers
and simulator.admin.journal (to read it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from simulator.admin.journal import CALL, LIBRARIAN, JournalEntry
from simulator.alma import claims, letters, queries, renewals
from simulator.alma.model import (
    FINISHED, STATUS_LABELS, Claim, Fund, Institution, Inventory, POLine, POLineStatus, Portfolio, World,
)
from simulator.errors import IllegalValue
from simulator.identifiers import isbn_key
from simulator.money import Money, cents

# What clears each alert, in the words a librarian would use at the In Review task list.
CLEARS = {
    "VENDOR_MISSING": "Choose the vendor on the PO line (the vendor can resend the line with it), then approve.",
    "VENDOR_ACCOUNT_MISSING": "Choose the vendor account on the PO line, then approve.",
    "VENDOR_INACTIVE": "Make the vendor active again, or move the line to an active vendor, then approve.",
    "PRICE_MISSING": "Enter the price on the PO line (the vendor can resend it with a price), then approve.",
    "FUND_MISSING": "Add a fund distribution to the PO line, then approve.",
    "MANUAL_REVIEW": "Look the line over; approving clears it.",
    "FUND_CODE_INVALID": "Charge the line to an active, allocated fund of the current fiscal period that the "
                         "owning library may use; approval refuses the line until then.",
    "FUND_NOT_FULLY_FUNDED": "Make the fund distribution cover the whole net price; approval refuses the line "
                             "until then.",
    "FUND_BALANCE_INSUFFICIENT": "Allocate more to the fund, or charge another fund; approval refuses the line "
                                 "while the fund cannot cover it.",
    "INVALID_METADATA": "Correct the record's data (e.g. the ISBN); approving accepts the line as it is.",
}
OUTCOMES = {
    "iz": "an existing portfolio of the institution",
    "cz": "activated from the Community Zone",
    "local": "a local portfolio created by the order",
    "bib-only": "linked to the bibliographic record only (the portfolio found was already ordered)",
    "upgrade": "an upgrade of the access model of an existing portfolio",
}


def status_label(status: POLineStatus) -> str:
    return STATUS_LABELS.get(status, status.value)


def money(value: Money | Decimal | None, currency: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, Money):
        return f"{cents(value.amount):,.2f} {value.currency}"
    return f"{cents(value):,.2f} {currency}".strip()


# -- lists -----------------------------------------------------------------------------------------------------
def line_row(inst: Institution, line: POLine) -> dict[str, Any]:
    vendor = inst.vendors.get(line.draft.vendor)
    return {
        "number": line.number, "title": line.title or "(no title)", "status": status_label(line.status),
        "status_code": line.status.value, "vendor": vendor.name if vendor else line.draft.vendor or "—",
        "vendor_code": line.draft.vendor, "vendor_reference": line.draft.vendor_reference_number,
        "po_number": line.po_number, "created": line.created_date, "net_price": money(line.net_price),
        "funds": ", ".join(share.fund for share in line.draft.funds) or "—",
        "alerts": [{"code": a.code, "text": a.text, "review": a.review, "clears": CLEARS.get(a.code, "")}
                   for a in line.alerts],
    }


def in_review(inst: Institution) -> list[dict[str, Any]]:
    return [line_row(inst, line) for line in queries.in_review(inst)]


def all_lines(inst: Institution) -> list[dict[str, Any]]:
    """Every PO line, newest first: what a librarian watches while a rehearsal's orders arrive."""
    lines = queries.search_po_lines(inst, status="ALL_WITH_CLOSED", order_by="number", direction="desc")
    return [line_row(inst, line) for line in lines]


# -- one PO line -----------------------------------------------------------------------------------------------
def po_line(world: World, inst: Institution, line: POLine, history: list[dict[str, str]]) -> dict[str, Any]:
    draft, meta = line.draft, line.draft.resource
    vendor = inst.vendors.get(draft.vendor)
    bib = inst.catalogue.bibs.get(line.mms_id)
    record = {
        "mms_id": line.mms_id,
        "title": bib.title if bib else meta.title,
        "author": (bib.author if bib else meta.author) or "—",
        "isbn": ", ".join(bib.isbns) if bib and bib.isbns else meta.isbn or "—",
        "issn": ", ".join(bib.issns) if bib and bib.issns else meta.issn,
        "publisher": ", ".join(p for p in ((bib.publication_place, bib.publisher, bib.publication_year) if bib else
                                           (meta.publication_place, meta.publisher, meta.publication_year)) if p) or "—",
        "brief": bool(bib and bib.brief), "created_by_order": bool(bib and bib.created_by_order == line.number),
        "suppressed": bool(bib and bib.suppressed), "in_catalogue": bib is not None,
    }
    line_type = inst.po_line_types.get(draft.type)
    physical = line_type is not None and line_type.inventory is Inventory.PHYSICAL
    locations = []
    for loc in draft.locations:
        library = inst.libraries.get(loc.library)
        location = library.locations.get(loc.location) if library else None
        items = [inst.items[i] for i in loc.item_ids if i in inst.items]
        locations.append({
            "library": library.name if library else loc.library, "location": location.name if location else loc.location,
            "quantity": loc.quantity, "holding_id": loc.holding_id if loc.holding_id in inst.holdings else "",
            "items": [{"id": i.id, "barcode": i.barcode, "received": i.received, "receive_date": i.receive_date,
                       "policy": i.item_policy or loc.item_policy} for i in items],
        })
    portfolios = [portfolio_row(world, inst, inst.portfolios[pid]) for pid in line.portfolio_ids
                  if pid in inst.portfolios]
    held = {e.fund: e.amount for e in line.encumbrances}
    distribution = []
    for share in draft.funds:
        fund = inst.funds.get(share.fund)
        part = (money(share.amount) if share.amount is not None else f"{share.percent}%" if share.percent is not None
                else "the whole net price")
        distribution.append({
            "fund": share.fund, "name": fund.name if fund else "(no such fund)", "share": part,
            "encumbered": money(held[share.fund], fund.currency if fund else "") if share.fund in held else "nothing",
            "available_now": money(fund.available, fund.currency) if fund else "—", "known": fund is not None,
        })
    active = line.status not in FINISHED
    return {
        "number": line.number, "title": record["title"], "status": status_label(line.status),
        "status_code": line.status.value, "status_date": line.status_date, "created": line.created_date,
        "history": history, "alerts": line_row(inst, line)["alerts"],
        "vendor": vendor.name if vendor else draft.vendor or "—", "vendor_code": draft.vendor,
        "vendor_account": draft.vendor_account or "—",
        "vendor_reference": draft.vendor_reference_number or "—",
        "vendor_reference_type": draft.vendor_reference_number_type,
        "po_number": line.po_number or "not yet (the line is not sent)",
        "expected_label": expected_label(inst, line), "expected_receipt": expected_receipt(inst, line),
        "renewal": renewal_terms(inst, line), "claims": [claim_row(c) for c in line.claims],
        "type": line_type.label if line_type else draft.type, "physical": physical,
        "owner": inst.libraries[draft.owner].name if draft.owner in inst.libraries else draft.owner,
        "acquisition_method": draft.acquisition_method.replace("_", " ").capitalize(),
        "price": money(draft.price) if draft.price else draft.price_text or "—", "net_price": money(line.net_price),
        "discount": f"{draft.discount}%" if draft.discount else "", "rush": draft.rush,
        "record": record, "locations": locations, "portfolios": portfolios,
        "outcome": OUTCOMES.get(line.portfolio_outcome, ""),
        "distribution": distribution, "invoices": invoices_of(inst, line),
        "cancellation": {"reason": inst.cancellation_reasons.get(line.cancellation_reason, line.cancellation_reason),
                         "comment": line.cancellation_comment, "vendor_informed": line.vendor_informed}
        if line.status is POLineStatus.CANCELLED else None,
        "can_approve": line.status is POLineStatus.IN_REVIEW,
        "can_cancel": line.status is not POLineStatus.CANCELLED and active,
        "can_receive": active and line.status is not POLineStatus.IN_REVIEW and bool(draft.locations) and physical,
        "can_activate": active and line.status is not POLineStatus.IN_REVIEW,
        "can_renew": line.status is POLineStatus.WAITING_FOR_MANUAL_RENEWAL,
        "cancellation_reasons": inst.cancellation_reasons,
        "interested": interested_users(inst, line),
    }


_WISHES = (("notify_receiving_activation", "notified on receipt or activation"),
           ("notify_cancel", "notified on cancellation"), ("notify_renewal", "notified on renewal"),
           ("hold_item", "hold item"))


def interested_users(inst: Institution, line: POLine) -> list[dict[str, Any]]:
    """The PO line's interested users: what each asked for, the letters sent them about it, the item held."""
    rows = []
    for interested in line.draft.interested_users:
        user = inst.users.get(interested.primary_id)
        letters = [f"{letter.name} ({letter.date.rstrip('Z')})" for letter in inst.letters
                   if letter.po_line == line.number and letter.primary_id == interested.primary_id]
        held = [f"item {r.item_id}, place {r.place_in_queue} in the queue" for r in inst.user_requests.values()
                if r.po_line == line.number and r.primary_id == interested.primary_id]
        rows.append({"primary_id": interested.primary_id, "name": user.full_name if user else interested.primary_id,
                     "wishes": ", ".join(label for flag, label in _WISHES if getattr(interested, flag)) or "nothing",
                     "letters": "; ".join(letters) or "none yet", "held": "; ".join(held) or "—"})
    return rows


def expected_label(inst: Institution, line: POLine) -> str:
    return "Expected activation date" if claims.claim_kind(inst, line) == "activation" else "Expected receipt date"


def expected_receipt(inst: Institution, line: POLine) -> str:
    """The date claiming counts from (claims.expected_day): the expected receipt (physical) or activation
    (electronic) date sent, else the order date plus the expected interval; a line Alma never claims shows the
    date it was sent with, if any."""
    try:
        day = claims.expected_day(inst, line)
    except ValueError:  # a date that cannot be read (kept from before the terms were checked): shown as it is
        day = None
    if day is not None:
        return day.isoformat()
    sent = line.draft.expected_receipt_date or line.draft.expected_activation_date
    return sent.rstrip("Z") if sent else "not set (the line has no expected date or interval)"


def invoices_of(inst: Institution, line: POLine) -> list[dict[str, str]]:
    """The invoices of a PO line, once the domain keeps invoices; until then there are none to show."""
    found = []
    for invoice in getattr(inst, "invoices", {}).values():
        lines = getattr(invoice, "lines", [])
        if any(getattr(il, "po_line", "") == line.number for il in lines):
            found.append({"number": str(getattr(invoice, "number", "")), "status": str(getattr(invoice, "status", "")),
                          "total": str(getattr(invoice, "total", ""))})
    return found


def portfolio_row(world: World, inst: Institution, portfolio: Portfolio) -> dict[str, Any]:
    if portfolio.community_id:
        origin = f"activated from the Community Zone (portfolio {portfolio.community_id})"
    else:
        origin = "local: created in the institution"
    return {"id": portfolio.id, "platform": portfolio.platform, "available": portfolio.available,
            "origin": origin, "po_line": portfolio.po_line, "additional": list(portfolio.additional_po_lines),
            "access_model": inst.access_models.get(portfolio.access_model, portfolio.access_model) or "—",
            "mms_id": portfolio.mms_id}


# -- after ordering: renewals, claims, letters -------------------------------------------------------------
def renewal_terms(inst: Institution, line: POLine) -> dict[str, Any] | None:
    """A continuous line's renewal terms (or any line sent with a renewal date), in the words of Alma's PO line."""
    line_type = inst.po_line_types.get(line.draft.type)
    draft = line.draft
    if not (line_type is not None and line_type.continuous) and not draft.renewal_date:
        return None
    due = _reminder_day(line)
    return {
        "renewal_date": draft.renewal_date.rstrip("Z") or "not set",
        "cycle": renewals.cycle_label(draft.renewal_cycle) or "not set",
        "reminder_period": f"{draft.renewal_period} day{'s' if draft.renewal_period != 1 else ''} before the "
                           "renewal date",
        "reminder_day": due.isoformat() if due else "—",
        "how": "Manual renewal (the librarian renews it)" if draft.manual_renewal else "Renews automatically",
        "subscription_from": draft.subscription_from.rstrip("Z") or "—",
        "subscription_to": draft.subscription_to.rstrip("Z") or "—",
    }


def _reminder_day(line: POLine) -> dt.date | None:
    try:
        return renewals.reminder_day(line.draft)
    except IllegalValue:  # a date kept from before the terms were checked; the page shows it as it is
        return None


def _task_row(inst: Institution, line: POLine) -> dict[str, Any]:
    row = line_row(inst, line)
    terms = renewal_terms(inst, line) or {}
    return {**row, **terms, "since": line.status_date.rstrip("Z"),
            "manual": line.draft.manual_renewal}


def renewals_task_list(inst: Institution) -> list[dict[str, Any]]:
    """Alma's PO Lines to Renew: the lines Waiting for Manual Renewal (renewals.task_list), oldest first."""
    return [_task_row(inst, line) for line in renewals.task_list(inst)]


def waiting_for_renewal(inst: Institution) -> list[dict[str, Any]]:
    """The continuous lines Waiting for Renewal, the next due first: when each renews and when it is due."""
    lines = [line for line in inst.po_lines.values() if line.status is POLineStatus.RECURRING_RENEWAL]
    lines.sort(key=lambda line: (_reminder_day(line) or dt.date.max, line.number))
    return [_task_row(inst, line) for line in lines]


_CHANNELS = {"EDI": "by EDI (an OSTENQ message)", "EMAIL": "by e-mail (a claim letter)"}


def claim_row(claim: Claim) -> dict[str, str]:
    """One claim of a PO line: when the claiming job claimed it, for which expected date, and whether and how the
    vendor was told (only a line's first claim goes to the vendor)."""
    if claim.sent_to_vendor:
        told = f"Sent to the vendor {_CHANNELS.get(claim.channel, claim.channel.lower())}"
    else:
        told = "Not sent to the vendor (only the first claim of a line is)"
    return {"date": claim.date, "expected": claim.expected,
            "kind": "not received" if claim.kind == "receipt" else "not activated",
            "told": told, "channel": claim.channel, "letter": claim.letter}


def claims_task_list(inst: Institution) -> list[dict[str, Any]]:
    """The claims task list (claims.task_list): each line in claim, oldest first, with its claims."""
    rows = []
    for line in claims.task_list(inst):
        row = line_row(inst, line)
        grace = line.draft.claiming_interval or 0
        rows.append({**row, "expected_label": expected_label(inst, line), "expected": expected_receipt(inst, line),
                     "grace": f"{grace} day{'s' if grace != 1 else ''}",
                     "claims": [claim_row(c) for c in line.claims]})
    return rows


_BECAUSE = {
    "received": "the item was received", "activated": "the electronic resource was activated",
    "cancelled": "the PO line was cancelled", "renewal": "the subscription was renewed",
}


def letters_sent(world: World, inst: Institution) -> list[dict[str, Any]]:
    """The letters sent to interested users (letters.letters), newest first."""
    rows = []
    for letter in reversed(letters.letters(world, inst.code)):
        user = inst.users.get(letter.primary_id)
        rows.append({"date": letter.date.rstrip("Z"), "primary_id": letter.primary_id,
                     "user": user.full_name if user else letter.primary_id, "email": letter.email,
                     "name": letter.name, "po_line": letter.po_line, "title": letter.title,
                     "reason": _BECAUSE.get(letter.reason, letter.reason), "text": letter.text,
                     "known_line": letter.po_line in inst.po_lines})
    return rows


# -- funds -----------------------------------------------------------------------------------------------------
def fund_row(fund: Fund) -> dict[str, Any]:
    allocated = fund.allocated or Decimal(1)
    share = {name: max(Decimal(0), min(Decimal(100), value * 100 / allocated))
             for name, value in (("encumbered", fund.encumbered), ("spent", fund.expended))}
    return {"code": fund.code, "name": fund.name, "currency": fund.currency, "active": fund.active,
            "allocated": money(fund.allocated, fund.currency), "encumbered": money(fund.encumbered, fund.currency),
            "spent": money(fund.expended, fund.currency), "available": money(fund.available, fund.currency),
            "encumbered_pct": float(share["encumbered"]), "spent_pct": float(share["spent"]),
            "over": fund.available < 0, "libraries": ", ".join(fund.libraries) or "every library"}


def ledgers(inst: Institution) -> list[dict[str, Any]]:
    """The fund tree: each ledger with its funds, and a ledger's totals."""
    tree = []
    for ledger in inst.ledgers.values():
        funds = [f for f in inst.funds.values() if f.ledger == ledger.code]
        period = inst.fiscal_periods.get(ledger.fiscal_period)
        tree.append({"code": ledger.code, "name": ledger.name, "fiscal_period": period.name if period else "",
                     "funds": [fund_row(f) for f in funds], "totals": _totals(funds)})
    orphans = [f for f in inst.funds.values() if f.ledger not in inst.ledgers]
    if orphans:
        tree.append({"code": "", "name": "Funds outside a ledger", "fiscal_period": "",
                     "funds": [fund_row(f) for f in orphans], "totals": _totals(orphans)})
    return tree


def _totals(funds: list[Fund]) -> dict[str, str]:
    currencies = {f.currency for f in funds}
    if len(currencies) != 1:
        return {}
    currency = currencies.pop()
    return {name: money(sum((getattr(f, attr) for f in funds), Decimal(0)), currency)
            for name, attr in (("allocated", "allocated"), ("encumbered", "encumbered"), ("spent", "expended"),
                               ("available", "available"))}


def fund_transactions(inst: Institution, fund: Fund) -> list[dict[str, str]]:
    """What moved the fund: today the encumbrances of its PO lines (expenditures come with invoices)."""
    moves = []
    for line in inst.po_lines.values():
        for enc in line.encumbrances:
            if enc.fund == fund.code:
                moves.append({"kind": "Encumbrance", "po_line": line.number, "title": line.title,
                              "date": line.status_date, "amount": money(enc.amount, fund.currency),
                              "status": status_label(line.status)})
    for transaction in getattr(fund, "transactions", []):  # when the domain keeps fund transactions
        moves.append({"kind": str(getattr(transaction, "kind", "Transaction")),
                      "po_line": str(getattr(transaction, "po_line", "")), "title": "",
                      "date": str(getattr(transaction, "date", "")),
                      "amount": money(getattr(transaction, "amount", None), fund.currency), "status": ""})
    return moves


# -- portfolios of a title -------------------------------------------------------------------------------------
def portfolio_map(world: World, inst: Institution, mms_id: str) -> dict[str, Any]:
    """Per platform: what the Community Zone offers for this title, and the institution's own portfolios
    (activated from the Community Zone, or local)."""
    bib = inst.catalogue.bibs.get(mms_id)
    mine = [inst.portfolios[p] for p in inst.portfolios_by_bib.get(mms_id, ()) if p in inst.portfolios]
    keys: list[tuple[str, str]] = []
    isbns = list(bib.isbns) if bib else [p.isbn for p in mine if p.isbn]
    keys += [("isbn", k) for k in (isbn_key(i) for i in isbns) if k]
    if bib:
        keys += [("vendor_title_number", n.strip().upper()) for n in bib.vendor_title_numbers if n.strip()]
    cz = world.community_zone
    platforms = sorted({c.platform for c in cz.collections.values()} | {p.platform for p in mine})
    rows = []
    for platform in platforms:
        community = cz.find_portfolios(platform, keys) if keys else []
        local = [p for p in mine if p.platform == platform]
        if not community and not local:
            continue
        rows.append({"platform": platform,
                     "community": [{"id": p.id, "collection": cz.collections[p.collection_id].name
                                    if p.collection_id in cz.collections else ""} for p in community],
                     "institution": [portfolio_row(world, inst, p) for p in local]})
    return {"mms_id": mms_id, "title": bib.title if bib else "(no record)", "rows": rows,
            "isbns": ", ".join(isbns) or "—"}


def titles_with_portfolios(inst: Institution) -> list[dict[str, str]]:
    seen = []
    for mms_id, ids in inst.portfolios_by_bib.items():
        if not ids:
            continue
        bib = inst.catalogue.bibs.get(mms_id)
        seen.append({"mms_id": mms_id, "title": bib.title if bib else mms_id, "count": str(len(ids))})
    return sorted(seen, key=lambda t: t["title"].casefold())


# -- a vendor key's activity (the journal) ---------------------------------------------------------------------
LIBRARIANS_OWN = "The librarian's own actions"


def activity(exchanges: Iterable[JournalEntry], inst: Institution) -> list[dict[str, Any]]:
    """The vendors' calls in the institution, one group per vendor they name, each with who called (a key's
    restriction profile or its label, never the key); the librarian's own actions (this view's and the librarian's
    paths) apart, in a last group of their own; the daily jobs' entries not at all (they are in each line's
    history)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    own: list[dict[str, Any]] = []
    for exchange in exchanges:
        if exchange.kind != CALL:
            continue
        entry = {
            "at": exchange.at.strftime("%Y-%m-%d %H:%M:%S") if hasattr(exchange.at, "strftime") else str(exchange.at),
            "summary": exchange.summary, "refused": bool(exchange.error), "caller": exchange.caller,
        }
        if exchange.caller == LIBRARIAN:
            own.append(entry)
            continue
        vendor = _vendor_of(exchange)
        name = inst.vendors[vendor].name if vendor in inst.vendors else vendor
        groups.setdefault(name or "Calls that name no vendor", []).append(entry)
    found = [{"vendor": name, "entries": list(reversed(entries)), "refused": sum(e["refused"] for e in entries),
              "librarian": False} for name, entries in sorted(groups.items())]
    if own:
        found.append({"vendor": LIBRARIANS_OWN, "entries": list(reversed(own)),
                      "refused": sum(e["refused"] for e in own), "librarian": True})
    return found


def _vendor_of(exchange: JournalEntry) -> str:
    for body in (exchange.request, exchange.answer):
        if isinstance(body, dict):
            vendor = body.get("vendor")
            if isinstance(vendor, dict):
                vendor = vendor.get("value")
            if vendor:
                return str(vendor)
    return ""


def history(exchanges: Iterable[JournalEntry], line: POLine) -> list[dict[str, str]]:
    """What happened to a PO line: the calls that named it or one of its portfolios, from the request journal —
    the vendor's and the librarian's alike, as the view's actions are API calls too — and what the daily jobs did
    to it (the journal's entries of kind job: "PO line …: waiting for manual renewal (renewal job)")."""
    found = []
    for exchange in exchanges:
        if (line.number in exchange.summary or exchange.params.get("po_line_id") == line.number
                or exchange.params.get("portfolio_id") in line.portfolio_ids):
            at = exchange.at.strftime("%Y-%m-%d %H:%M:%S") if hasattr(exchange.at, "strftime") else str(exchange.at)
            found.append({"at": at, "text": exchange.summary})
    if not any("created" in event["text"] or "ordered" in event["text"] for event in found):
        how = "by the API" if line.draft.source_type == "API" else f"({line.draft.source_type.lower()})"
        found.append({"at": line.created_date.rstrip("Z"), "text": f"PO line {line.number} created {how}"})
    return sorted(found, key=lambda h: h["at"])
