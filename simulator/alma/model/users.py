"""The people the library tells about its orders: users (patrons and staff, by primary ID), the letters Alma
sends them, and the requests that hold an item for them. Letters and requests are world state, like the PO
lines they come from. Imports only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Alma's letters that tell interested users about an order: code (its letter file's name) -> name as the
#: Letters Configuration page shows it.
INTERESTED_IN = "InterestedInLetter"
PO_LINE_CANCELLATION = "POLineCancellationLetter"
LETTER_NAMES = {INTERESTED_IN: "Interested In Letter", PO_LINE_CANCELLATION: "PO Line Cancellation Letter"}


@dataclass(kw_only=True)
class User:
    """An Alma user, known by its primary ID."""

    primary_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    user_group: str = ""  # e.g. PATRON, STAFF, FACULTY

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.primary_id


@dataclass(kw_only=True)
class Letter:
    """One letter Alma sent: which letter, to whom, about which PO line, why and when."""

    id: str
    code: str  # INTERESTED_IN or PO_LINE_CANCELLATION
    primary_id: str
    email: str
    po_line: str
    reason: str  # received | activated | cancelled | renewal
    title: str
    date: str  # 2026-09-01Z
    item_id: str = ""  # the received item (physical)
    portfolio_id: str = ""  # the activated portfolio (electronic)
    text: str = ""  # what the letter says, in one line

    @property
    def name(self) -> str:
        return LETTER_NAMES.get(self.code, self.code)


@dataclass(kw_only=True)
class UserRequest:
    """A hold request (Alma's user request of type HOLD) that keeps a received item for a user."""

    request_id: str
    primary_id: str
    mms_id: str
    holding_id: str
    item_id: str
    po_line: str
    title: str
    request_date: str
    pickup_library: str
    place_in_queue: int = 1
    request_type: str = "HOLD"
    request_sub_type: str = "PATRON_PHYSICAL"
    status: str = "NOT_STARTED"
    comment: str = ""
