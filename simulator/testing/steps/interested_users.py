"""Steps about interested users: the people a PO line names, the letters Alma sends them (Interested In Letter,
PO Line Cancellation Letter) and the hold requests that keep a received item for them.

An interested user is named by the primary ID of an Alma user. The vendor carts send no interested users (a
selector names them in Alma, or a vendor's cart passes them on for the library), so the step adds them to the
body the real cart builds, and says so. Reads go through `AlmaClient`: the librarian's letters list and Alma's
Retrieve User Requests per Item.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from simulator.backends.base import AlmaClient, item_link_ids
from simulator.testing.steps._types import Outcome

#: What an interested user asks for, in the words of the PO line's Interested Users tab -> Alma's flag.
WISHES = {
    "to be notified on receipt or activation": "notify_receiving_activation",
    "to be notified on cancellation": "notify_cancel",
    "to be notified on renewal": "notify_renewal",
    "with the item held for them": "hold_item",
}
NOTHING = "to be notified of nothing"

#: The letters, by the name the Letters Configuration page gives them.
LETTERS = ("Interested In Letter", "PO Line Cancellation Letter")


def interested_user(primary_id: str, wishes: str) -> dict:
    """`wishes`: NOTHING, or phrases of WISHES joined by " and "."""
    flags = dict.fromkeys(WISHES.values(), False)
    if wishes != NOTHING:
        for wish in wishes.split(" and "):
            assert wish in WISHES, f"{wish!r} is not something an interested user asks for: {sorted(WISHES)}"
            flags[WISHES[wish]] = True
    return {"primary_id": primary_id, **flags}


@given(parsers.parse('the cart line names the interested user "{primary_id}", {wishes}'))
def names_interested_user(cart, primary_id, wishes):
    # Step-side: the vendor carts send no interested users; the step adds this one to what the cart sends, as a
    # selector's choice passed on with the order.
    user = interested_user(primary_id, wishes)
    cart.adjust(lambda body: body.setdefault("interested_user", []).append(user))


@given(parsers.parse('the order names the interested user "{primary_id}", {wishes}'))
def order_names_interested_user(continuous_order, primary_id, wishes):
    # Step-side, as for the cart line: the user is added to the order the vendor prepared.
    continuous_order["body"].setdefault("interested_user", []).append(interested_user(primary_id, wishes))


def _number(outcome: Outcome) -> str:
    return outcome.number or outcome.po_line["number"]


def _letters(alma: AlmaClient, outcome: Outcome, primary_id: str) -> list[str]:
    found = alma.letters(user=primary_id, po_line=_number(outcome)).get("letter", [])
    return [letter["letter_type"]["desc"] for letter in found]


@then(parsers.re(r'"(?P<primary_id>[^"]+)" is sent the (?P<letter>.+) about the PO line$'))
def sent_letter(alma, outcome, primary_id, letter):
    assert letter in LETTERS, f"{letter!r} is not one of Alma's letters here: {LETTERS}"
    assert _letters(alma, outcome, primary_id) == [letter], _letters(alma, outcome, primary_id)


@then(parsers.re(r'"(?P<primary_id>[^"]+)" is sent no letter about the PO line$'))
def sent_no_letter(alma, outcome, primary_id):
    assert _letters(alma, outcome, primary_id) == []


def _requests(alma: AlmaClient, outcome: Outcome) -> list[str]:
    mms_id, holding_id, pid = item_link_ids(alma.po_line_items(_number(outcome))["item"][0]["link"])
    found = alma.item_requests(mms_id, holding_id, pid).get("user_request", [])
    return [r["user_primary_id"] for r in sorted(found, key=lambda r: r["place_in_queue"])]


@then(parsers.parse('the received item is held for "{first}", then for "{second}"'))
def held_in_order(alma, outcome, first, second):
    assert _requests(alma, outcome) == [first, second]


@then(parsers.re(r'the received item is held for "(?P<primary_id>[^"]+)"$'))
def held_for(alma, outcome, primary_id):
    assert _requests(alma, outcome) == [primary_id]


@then("the received item is held for nobody")
def held_for_nobody(alma, outcome):
    assert _requests(alma, outcome) == []


@then(parsers.parse('Alma refuses the order because "{primary_id}" is not one of its users'))
def refused_unknown_user(outcome, primary_id):
    assert outcome.error is not None, "Alma created the PO line"
    assert outcome.error.code == "401872" and primary_id in outcome.error.message, outcome.error
