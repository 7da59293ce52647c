"""Steps about the simulator's own tools for vendors: stubs (Alma's answer pinned for chosen calls) and
verification (how many calls the vendor's integration made, and the near misses when none matched).

These are not Alma behaviour: they are what the simulator offers a vendor's engineer or QA lead in any language
(the admin API's /stubs and /journal/count, /journal/verify; README "Stubs" and "Verification"). The steps use
them through the scenario's client (`AlmaClient.stub`, `clear_stubs`, `journal.count`, `journal.assert_called`,
`journal.near_misses`), so they run on every backend: in-process, mocked and server alike. The cart is the
real vendor cart (simulator.testing.steps._cart) and meets the pinned answer exactly as it would meet Alma's.
Only Create PO line calls of the scenario's institution are stubbed; the cart's reads and the Then steps' reads
go to the simulated Alma.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from simulator.testing.steps._cart import check_out
from simulator.testing.steps._trouble import PO_LINES, orders
from simulator.testing.steps._types import EXTRA_TYPES

# One Create PO line call: the method and path a stub and a verification name (the route spec's, via the client).
CREATE_PO_LINE = {"method": "POST", "path": PO_LINES}
# [decision] The general error pinned in the features: Alma's envelope with the code GENERAL_ERROR and status
# 500, as a server fault reads in Alma's dialect (simulator.errors); any code and status may be pinned.
GENERAL_ERROR = {"code": "GENERAL_ERROR", "status": 500}


# -- stubs -------------------------------------------------------------------------------------------------------

@given(parsers.parse('the simulator answers the next Create PO line with Alma\'s error {code} "{message}"'))
def next_order_refused(alma, code, message):
    alma.stub(**CREATE_PO_LINE, code=code, message=message, times=1)


@given(parsers.parse('the simulator answers every Create PO line with Alma\'s error {code} "{message}"'))
def every_order_refused(alma, code, message):
    alma.stub(**CREATE_PO_LINE, code=code, message=message)


@given(parsers.parse('the simulator answers the next Create PO line with a general error "{message}", '
                     'then lets the simulated Alma answer'))
def general_error_then_real(alma, message):
    alma.stub(**CREATE_PO_LINE, answers=[{**GENERAL_ERROR, "message": message}, {"passthrough": True}])


@when("the QA lead removes the simulator's stubs")
def remove_stubs(alma):
    for stub in alma.stubs():
        alma.remove_stub(stub["id"])


@when(parsers.parse("the librarian checks out the {vendor:Vendor} cart again with the same title",
                    extra_types=EXTRA_TYPES), target_fixture="outcome")
def checks_out_again(alma, cart, vendor):
    assert cart.setup.vendor_code == vendor, f"the cart is {cart.vendor.label}'s, not {vendor}'s"
    assert cart.order is not None, "the cart was not checked out before"
    cart.lines.append(cart.order.lines[-1].cart_line)  # the selector puts the same title in the cart again
    return check_out(alma, cart)


@then(parsers.parse('the {vendor:Vendor} cart reports the order as refused by Alma with error {code} "{message}"',
                    extra_types=EXTRA_TYPES))
def refused_by_alma(cart, outcome, vendor, code, message):
    assert cart.setup.vendor_code == vendor
    result = outcome.checkout
    assert result is not None and result.outcome == "refused" and result.attempts == 1, f"checkout: {result}"
    assert (result.code, result.message) == (code, message), f"checkout: {result}"
    assert not result.po_line_number, f"checkout: {result}"


@then(parsers.parse("the simulator's journal shows the order answered by a stub with Alma's error {code}"))
def journal_shows_stubbed(alma, code):
    last = orders(alma)[-1]
    assert last["stubbed"] and last["error_code"] == code and last["status"] == 400, f"journal: {last}"


@then("the simulator's journal shows the order answered by the simulated Alma")
def journal_shows_real(alma, outcome):
    last = orders(alma)[-1]
    assert not last["stubbed"] and last["status"] == 200 and last["po_line"] == outcome.po_line["number"], \
        f"journal: {last}"


@then(parsers.parse("the simulator's journal shows {count:d} Create PO line calls answered by a stub"))
@then(parsers.parse("the simulator's journal shows {count:d} Create PO line call answered by a stub"))
def stubbed_calls(alma, count):
    assert alma.journal.count(**CREATE_PO_LINE, outcome="stubbed") == count, alma.journal(method="POST")


@then("the simulator has no stubs left")
def no_stubs_left(alma):
    assert alma.stubs() == []


# -- verification ------------------------------------------------------------------------------------------------

@then(parsers.parse("the vendor's integration made exactly {count:d} Create PO line calls for {vendor:Vendor}",
                    extra_types=EXTRA_TYPES))
@then(parsers.parse("the vendor's integration made exactly {count:d} Create PO line call for {vendor:Vendor}",
                    extra_types=EXTRA_TYPES))
def made_exactly(alma, count, vendor):
    alma.journal.assert_called(count, **CREATE_PO_LINE, vendor=vendor)


@then(parsers.parse("the vendor's integration never called Create PO line for {vendor:Vendor}",
                    extra_types=EXTRA_TYPES))
def never_called_for(alma, vendor):
    alma.journal.assert_not_called(**CREATE_PO_LINE, vendor=vendor)


@then("the vendor's integration never cancelled a PO line")
def never_cancelled(alma):
    alma.journal.assert_not_called(method="DELETE", path=f"{PO_LINES}/*")


@when(parsers.parse('the QA lead verifies one Create PO line call for {vendor:Vendor} naming the integration '
                    'profile "{profile}"', extra_types=EXTRA_TYPES), target_fixture="verification")
def verifies_profile(alma, vendor, profile):
    criteria = {**CREATE_PO_LINE, "vendor": vendor, "query": {"profile_code": profile}}
    try:
        alma.journal.assert_called(1, **criteria)
    except AssertionError as failed:
        return {"failure": str(failed), "near_misses": alma.journal.near_misses(**criteria)}
    return {"failure": "", "near_misses": []}


@then("the verification holds")
def verification_holds(verification):
    assert verification["failure"] == "", verification["failure"]


@then(parsers.parse("the verification fails, saying the journal has {count:d} such calls"))
def verification_fails(verification, count):
    assert verification["failure"].startswith("expected exactly 1 call(s)"), verification
    assert f"the journal has {count}." in verification["failure"], verification["failure"]


@then(parsers.parse('the nearest call is the cart\'s Create PO line, which differs in: {why}'))
def nearest_call(verification, outcome, why):
    misses = verification["near_misses"]
    assert misses, verification
    nearest = misses[0]
    assert nearest["call"].startswith(f"POST {PO_LINES} → 200"), nearest
    assert nearest["differs"] == [why], nearest
    assert why in verification["failure"], verification["failure"]  # the failure message explains it too
