"""Who is told after an order (ORDERING-RULES §7; after-ordering.md "Who is told"): the interested users a PO
line names, the letters Alma sends them and the hold requests that keep a received item for them.

- On receipt (physical) or when the activation task is Done (electronic: a portfolio made available, also one
  that was available before the order found it, or an electronic collection activated), each interested user
  with "notify upon receiving/activation" gets the Interested In Letter — once per PO line, on its first
  receipt or activation [decision].
- Each interested user with "hold item" gets a hold request on the first item received, in the order the line
  lists them (the first user first in the queue). Alma places it when the new item is scanned in at its
  circulation desk; the simulator has no step between receiving and the shelf, so the request is placed as
  the item is received — by the receiving API, a scan-in or a barcode scan alike [decision].
- Cancelling the line sends each user with "notify upon cancellation" the PO Line Cancellation Letter.
- `renewal_notice` tells users with "notify upon renewal" that the line was renewed (for the renewal job).
- An interested user must be a user of the institution (primary ID); an unknown, empty or repeated primary
  ID is refused with 401872 and nothing is created [decision].

Letters are kept in the institution (world state, in every snapshot), oldest first; a librarian reads them
with `letters`. The callers (lifecycle.py) hold the institution's lock. Imports model, simulator.clock/errors.
"""

from __future__ import annotations

from simulator.alma.model import (
    INTERESTED_IN, PO_LINE_CANCELLATION, ElectronicCollection, Institution, InterestedUser, Item, Letter, POLine, Portfolio, UserRequest,
    World,
)
from simulator.clock import Clock, alma_date
from simulator.errors import IllegalValue

__all__ = ["check_interested_users", "item_requests", "letters", "on_activation", "on_cancel",
           "on_collection_activation", "on_receipt", "renewal_notice"]


def check_interested_users(institution: Institution, users: list[InterestedUser]) -> None:
    """Refuse (401872) an interested user that is not a user of the institution, or is named twice."""
    seen: set[str] = set()
    for interested in users:
        primary_id = interested.primary_id
        if not primary_id:
            raise IllegalValue("Given interested_user is illegal: primary_id is empty.")
        if primary_id not in institution.users:
            raise IllegalValue(f"Given interested_user is illegal: {institution.name} has no user with primary ID "
                               f"{primary_id!r}.")
        if primary_id in seen:
            raise IllegalValue(f"Given interested_user is illegal: user {primary_id!r} is named twice.")
        seen.add(primary_id)


# ---------------------------------------------------------------- what happens -------------------------------


def on_receipt(institution: Institution, line: POLine, item: Item, clock: Clock) -> list[Letter]:
    """An item of the line was received: the Interested In Letter to users not yet told, hold requests for
    users who asked for the item to be held and have none on this line yet."""
    sent = [_send(institution, line, interested.primary_id, INTERESTED_IN, "received", clock, item_id=item.id)
            for interested in line.draft.interested_users
            if interested.notify_receiving_activation and not _told(institution, line, interested.primary_id)]
    for interested in line.draft.interested_users:
        if interested.hold_item and not _holds(institution, line, interested.primary_id):
            _hold(institution, line, item, interested.primary_id, clock)
    return sent


def on_activation(institution: Institution, line: POLine, portfolio: Portfolio, clock: Clock) -> list[Letter]:
    """A portfolio of the line became available (its activation task Done): the Interested In Letter to users
    not yet told."""
    return [_send(institution, line, interested.primary_id, INTERESTED_IN, "activated", clock,
                  portfolio_id=portfolio.id)
            for interested in line.draft.interested_users
            if interested.notify_receiving_activation and not _told(institution, line, interested.primary_id)]


def on_collection_activation(institution: Institution, line: POLine, collection: ElectronicCollection,
                             clock: Clock) -> list[Letter]:
    """The electronic collection the line orders was activated (its activation task Done): the Interested In
    Letter to users not yet told, as for a portfolio."""
    return [_send(institution, line, interested.primary_id, INTERESTED_IN, "activated", clock)
            for interested in line.draft.interested_users
            if interested.notify_receiving_activation and not _told(institution, line, interested.primary_id)]


def on_cancel(institution: Institution, line: POLine, clock: Clock) -> list[Letter]:
    """The line was cancelled: the PO Line Cancellation Letter to users who asked to be told."""
    return [_send(institution, line, interested.primary_id, PO_LINE_CANCELLATION, "cancelled", clock)
            for interested in line.draft.interested_users if interested.notify_cancel]


def renewal_notice(institution: Institution, line: POLine, clock: Clock) -> list[Letter]:
    """The hook for the renewal job: a continuous line was renewed, so each user with "notify upon renewal"
    gets the Interested In Letter saying so [decision: Alma's letter for this is not documented in what we
    found]. Call it under the institution's lock, after the renewal is committed."""
    return [_send(institution, line, interested.primary_id, INTERESTED_IN, "renewal", clock)
            for interested in line.draft.interested_users if interested.notify_renewal]


# ---------------------------------------------------------------- reading ------------------------------------


def letters(world: World, institution_code: str, *, primary_id: str = "", po_line: str = "") -> list[Letter]:
    """The letters sent, oldest first, to one user and/or about one PO line when given."""
    institution = world.institution(institution_code)
    with institution.lock:
        return [letter for letter in institution.letters
                if (not primary_id or letter.primary_id == primary_id) and (not po_line or letter.po_line == po_line)]


def item_requests(institution: Institution, item_id: str, *, active: bool = True) -> list[UserRequest]:
    """The hold requests on an item, first in the queue first (active ones; `active=False`: the finished)."""
    found = [r for r in institution.user_requests.values()
             if r.item_id == item_id and (r.status != "HISTORY") == active]
    return sorted(found, key=lambda r: r.place_in_queue)


# ---------------------------------------------------------------- inside -------------------------------------

_SAYS = {
    "received": "the item you are interested in has arrived",
    "activated": "the electronic resource you are interested in is now available",
    "cancelled": "the order you were interested in was cancelled",
    "renewal": "the subscription you are interested in was renewed",
}


def _send(institution: Institution, line: POLine, primary_id: str, code: str, reason: str, clock: Clock, *,
          item_id: str = "", portfolio_id: str = "") -> Letter:
    user = institution.users.get(primary_id)
    name = user.full_name if user else primary_id
    title = line.draft.resource.title
    letter = Letter(id=str(len(institution.letters) + 1), code=code, primary_id=primary_id,
                    email=user.email if user else "", po_line=line.number, reason=reason, title=title,
                    date=alma_date(clock.now()), item_id=item_id, portfolio_id=portfolio_id,
                    text=f"Dear {name}, {_SAYS[reason]}: {title} (PO line {line.number}).")
    institution.letters.append(letter)
    return letter


def _told(institution: Institution, line: POLine, primary_id: str) -> bool:
    return any(letter.code == INTERESTED_IN and letter.po_line == line.number and letter.primary_id == primary_id
               and letter.reason in ("received", "activated") for letter in institution.letters)


def _holds(institution: Institution, line: POLine, primary_id: str) -> bool:
    return any(r.po_line == line.number and r.primary_id == primary_id for r in institution.user_requests.values())


def _hold(institution: Institution, line: POLine, item: Item, primary_id: str, clock: Clock) -> UserRequest:
    holding = institution.holdings.get(item.holding_id)
    queue = len(item_requests(institution, item.id))
    request = UserRequest(request_id=institution.new_id("27"), primary_id=primary_id, mms_id=item.mms_id,
                          holding_id=item.holding_id, item_id=item.id, po_line=line.number,
                          title=line.draft.resource.title, request_date=alma_date(clock.now()),
                          pickup_library=holding.library if holding else line.draft.owner,
                          place_in_queue=queue + 1, comment=f"Hold item: interested user of PO line {line.number}")
    institution.user_requests[request.request_id] = request
    return request
