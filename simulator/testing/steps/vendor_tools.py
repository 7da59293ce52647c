"""Steps about the simulator's own tools for vendors: stubs (Alma's answer pinned for chosen calls), verification
(how many calls the vendor's integration made, and the near misses when none matched), and record and replay.

These are not Alma behaviour: they are what the simulator offers a vendor's engineer or QA lead in any language
(the admin API's /stubs, /journal/count and /journal/verify, and the `almasim record` and `almasim replay`
commands; README "For vendors in any language"). Stubs and verification are used through the scenario's client
(`AlmaClient.stub`, `stubs`, `remove_stub`, `journal.count`, `journal.assert_called`, `journal.near_misses`), so
they run on every backend: in-process, mocked and server alike. The cart is the real vendor cart
(simulator.testing.steps._cart) and meets the pinned answer exactly as it would meet Alma's. Only Create PO line
calls of the scenario's institution are stubbed; the cart's reads and the Then steps' reads go to the simulated
Alma.
"""

from __future__ import annotations

import json
import subprocess
import sys

from pytest_bdd import given, parsers, then, when

from simulator.backends import make_backend
from simulator.testing.steps._cart import check_out
from simulator.testing.steps._trouble import PATIENCE, PO_LINES, orders
from simulator.testing.steps._types import EXTRA_TYPES

# One Create PO line call: the method and path a stub and a verification name (the route spec's, via the client).
CREATE_PO_LINE = {"method": "POST", "path": PO_LINES}
# [decision] The general error pinned in the features: Alma's envelope with the code GENERAL_ERROR (one of the
# gateway's non-numeric codes, reference alma-api.md) and the status 500; any code and status may be pinned.
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


@given(parsers.parse('the simulator answers the next Create PO line with a load balancer\'s HTML page "{title}" '
                     'and the status {status:d}'))
def next_order_raw(alma, title, status):
    alma.stub(**CREATE_PO_LINE, status=status, content_type="text/html",
              body=f"<html><body><h1>{title}</h1></body></html>", times=1)


@given(parsers.parse("the simulator answers the next Create PO line {seconds:d} seconds late, later than the cart "
                     "waits"))
def next_order_late(alma, seconds):
    assert seconds > PATIENCE
    alma.time_out_after(PATIENCE)  # the cart's client waits two seconds for an answer, as in the trouble steps
    alma.stub(**CREATE_PO_LINE, delay=seconds, times=1)


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


@then(parsers.parse("the simulator's journal shows the first order answered by a stub with the status {status:d} "
                    "and no Alma error code"))
def journal_shows_raw(alma, status):
    first = orders(alma)[0]
    assert first["stubbed"] and first["status"] == status and first["error_code"] == "", f"journal: {first}"


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


# -- record and replay -------------------------------------------------------------------------------------------
# The tools as a vendor in any language runs them: the `almasim record` and `almasim replay` commands, over HTTP.
# The first Alma is the scenario's (the simulator on the server backend); the second is a fresh copy of its
# institution on the same simulator (a tenant of the admin API), so no real Alma is needed. These steps need an
# Alma with an address: the features mark their scenarios `over_http` (simulator.testing.plugin skips them on the
# in-process and mocked backends, which have none).

CONNECTOR_KEY = "the-connectors-own-key"  # what the vendor's connector sends; the proxy puts the target's key in


def _http(alma) -> tuple[str, str]:
    """The Alma's base URL and API key (an AlmaClient over HTTP)."""
    backend = alma.backend
    assert alma.kind == "http", "record and replay need an Alma with an address (the server backend)"
    return backend.base_url, backend.api_key


def _almasim(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


@given("a second simulated Alma, a fresh copy of the institution", target_fixture="second_alma")
def second_alma(request, alma):
    base_url, _ = _http(alma)
    tenant = alma.backend.admin("POST", "/tenants", {"template": alma.institution()})
    key = next(k["key"] for k in tenant["api_keys"] if k["write"])
    second = make_backend("server", base_url=base_url, api_key=key)

    def drop() -> None:
        alma.backend.admin("DELETE", f"/tenants/{tenant['code']}")
        second.backend.close()
    request.addfinalizer(drop)
    return second


@given("the recording proxy stands between the cart and Alma", target_fixture="recorder")
def recording_proxy(request, alma, cart, tmp_path):
    base_url, key = _http(alma)
    out = tmp_path / "rehearsal.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "simulator.cli", "record", "--alma-url", base_url,
                                "--api-key", key, "--out", str(out), "--port", "0", "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            process.communicate(timeout=30)
    request.addfinalizer(stop)
    proxy = json.loads(process.stdout.readline())["base_url"]
    through = make_backend("server", base_url=proxy, api_key=CONNECTOR_KEY)
    request.addfinalizer(through.backend.close)
    cart.alma = through  # the vendor's connector is pointed at the proxy, with its own key
    return {"process": process, "out": out, "key": key, "before": len(alma.journal())}


@when("the recording is stopped")
def stop_recording(recorder):
    process = recorder["process"]
    process.terminate()
    _, errors = process.communicate(timeout=30)
    assert "Traceback" not in errors, errors


@then("the recording holds every call the cart made to Alma, in order, and no API key")
def recording_holds(alma, recorder):
    lines = [json.loads(line) for line in recorder["out"].read_text(encoding="utf-8").splitlines()]
    journal = alma.journal()[recorder["before"]:]  # what the first Alma received since the proxy stood there
    assert [(e["method"], e["path"]) for e in lines] == [(e["method"], e["path"]) for e in journal], \
        f"recorded {[(e['method'], e['path']) for e in lines]}"
    text = recorder["out"].read_text(encoding="utf-8")
    assert lines and recorder["key"] not in text and CONNECTOR_KEY not in text


@given(parsers.parse('the second simulated Alma answers every Create PO line with Alma\'s error {code} "{message}"'))
def second_refuses(second_alma, code, message):
    second_alma.stub(**CREATE_PO_LINE, code=code, message=message)


@when("the QA lead replays the recording against the second simulated Alma", target_fixture="replayed")
def replays(second_alma, recorder):
    base_url, key = _http(second_alma)
    done = _almasim("replay", str(recorder["out"]), "--alma-url", base_url, "--api-key", key, "--json")
    assert done.returncode in (0, 3) and done.stdout, done.stderr  # 3: the replay found differences
    found = json.loads(done.stdout)
    assert found["replayed"] == len(recorder["out"].read_text(encoding="utf-8").splitlines()), found
    return found


@then("the replay reports no differences")
def no_differences(replayed):
    assert replayed["differences"] == [], replayed["differences"]


@then(parsers.parse("the replay reports that the Create PO line differs in its {aspect}: {recorded} recorded, "
                    "{on_replay} on replay"))
def differs(replayed, aspect, recorded, on_replay):
    found = [(d["call"], d["recorded"], d["replayed"]) for d in replayed["differences"] if d["aspect"] == aspect]
    assert (f"POST {PO_LINES}", recorded, on_replay) in found, replayed["differences"]


@then("the replay reports no other difference than the Create PO line's")
def only_the_order_differs(replayed):
    calls = {d["call"] for d in replayed["differences"]}
    assert calls == {f"POST {PO_LINES}"}, replayed["differences"]
