"""Steps about a vendor's API key under an API Restrictions profile: the key the institution gave a vendor, the
vendor's cart checked out with it, a PO line updated with it, and the funds read with it.

The scenario's `alma` stays the librarian's full key; `vendor_key` is a second client on the same Alma with the
key the world gave the vendor (found through the simulator's admin API, `AlmaClient.restricted_api_keys`), wrapped
in a `RecordingBackend` so the living documentation shows what the vendor sent.
"""

from __future__ import annotations

from decimal import Decimal

from pytest_bdd import given, parsers, then, when

from simulator.backends import AlmaClient
from simulator.testing.evidence import RecordingBackend
from simulator.testing.steps._alma import attempt, current_line
from simulator.testing.steps._cart import check_out
from simulator.testing.steps._types import EXTRA_TYPES

# The balances a fund answers with under the Full fund view (simulator.api.schemas.FUND_BALANCES).
BALANCES = ("allocated_balance", "encumbered_balance", "expended_balance", "cash_balance", "available_balance")
FUND_VIEWS = {"Limited": "LIMITED", "Full": "FULL"}


@given(parsers.parse('{institution} gave {vendor:Vendor} the API key under the API Restrictions profile "{code}"',
                     extra_types=EXTRA_TYPES), target_fixture="vendor_key")
def vendor_key(alma, institution, vendor, code):
    keys = alma.restricted_api_keys()
    assert code in keys, f"{institution} has no API key under the API Restrictions profile {code}; keys: {keys}"
    profile = alma.integration_profile(code)
    assert profile["type"]["value"] == "API_RESTRICTIONS", profile
    assert profile["vendor"]["value"] == vendor, f"profile {code} restricts to {profile['vendor']}, not {vendor}"
    return AlmaClient(RecordingBackend(alma.backend.with_api_key(keys[code])))


@given(parsers.parse('the API Restrictions profile "{code}" has the {view} fund view'))
def fund_view(alma, code, view):
    profile = alma.integration_profile(code)
    alma.configure_api_restrictions(code, name=profile["name"], description=profile["description"],
                                    vendor=profile["vendor"]["value"], fund_view=FUND_VIEWS[view])


@when(parsers.parse("the librarian checks out the {vendor:Vendor} cart with the vendor's API key",
                    extra_types=EXTRA_TYPES), target_fixture="outcome")
def checks_out_with_vendor_key(alma, vendor_key, cart, vendor):
    assert cart.setup.vendor_code == vendor, f"the cart is {cart.vendor.label}'s, not {vendor}'s"
    cart.alma = vendor_key  # the cart talks to Alma with the key the institution gave the vendor
    return check_out(alma, cart)


@when(parsers.parse("the vendor moves the PO line to {other:Vendor} with its API key", extra_types=EXTRA_TYPES),
      target_fixture="outcome")
def moves_to_other_vendor(alma, vendor_key, outcome, other):
    number = outcome.po_line["number"]
    line = vendor_key.get_po_line(number)
    account = alma.vendor(other)["account"][0]["code"]
    line.update(vendor={"value": other}, vendor_account=account)
    return attempt(alma, lambda: vendor_key.update_po_line(number, line), number=number)


@then(parsers.parse("the PO line is ordered from {vendor:Vendor}", extra_types=EXTRA_TYPES))
def ordered_from(alma, outcome, vendor):
    line = current_line(alma, outcome)
    assert line["vendor"]["value"] == vendor, f"{line['number']} is ordered from {line['vendor']}"


@when(parsers.parse('the vendor reads the fund "{code}" with its API key'), target_fixture="fund_read")
def vendor_reads_fund(vendor_key, code):
    listed = [f for f in vendor_key.funds(mode="ALL")["fund"] if f["code"] == code]
    assert listed, f"the fund {code} is not among the funds the key reads"
    return [listed[0], vendor_key.fund(listed[0]["id"])]


@when(parsers.parse('the vendor allocates {amount:Money} to the fund "{code}" with its API key', extra_types=EXTRA_TYPES),
      target_fixture="outcome")
def vendor_allocates(alma, vendor_key, amount, code):
    fund_id = _fund_id(alma, code)
    return attempt(alma, lambda: vendor_key.add_fund_transaction(fund_id, "ALLOCATION", f"{amount.amount:.2f}"))


@when(parsers.parse('the vendor reads the transactions of the fund "{code}" with its API key'),
      target_fixture="outcome")
def vendor_reads_transactions(alma, vendor_key, code):
    fund_id = _fund_id(alma, code)
    return attempt(alma, lambda: vendor_key.fund_transactions(fund_id))


def _fund_id(alma, code: str) -> str:
    """The fund's id, as the librarian's full key finds it by its code."""
    found = [f["id"] for f in alma.funds(mode="ALL")["fund"] if f["code"] == code]
    assert found, f"no fund {code}"
    return found[0]


@then("the vendor sees the fund without its balances")
def fund_without_balances(fund_read):
    for fund in fund_read:
        shown = [name for name in BALANCES if name in fund]
        assert not shown, f"the fund {fund['code']} shows {shown}"
        assert fund["code"] and fund["status"]["value"], fund  # the rest of the fund is there


@then(parsers.parse("the vendor sees the fund with {amount:Money} available", extra_types=EXTRA_TYPES))
def fund_with_balances(fund_read, amount):
    for fund in fund_read:
        assert all(name in fund for name in BALANCES), f"the fund {fund['code']} lacks balances: {sorted(fund)}"
        assert Decimal(str(fund["available_balance"])) == amount.amount, fund["available_balance"]


@when("the librarian lists the API Restrictions integration profiles", target_fixture="listed_profiles")
def list_restriction_profiles(alma):
    return alma.integration_profiles(type="API_RESTRICTIONS").get("integration_profile", [])


@then(parsers.parse('the list shows "{code}" restricting the key to {vendor:Vendor} with the {view} fund view',
                    extra_types=EXTRA_TYPES))
def list_shows(listed_profiles, code, vendor, view):
    found = [p for p in listed_profiles if p["code"] == code]
    assert found, f"no profile {code} among {[p['code'] for p in listed_profiles]}"
    assert found[0]["vendor"]["value"] == vendor and found[0]["fund_view"]["value"] == FUND_VIEWS[view], found[0]
    assert all(p["type"]["value"] == "API_RESTRICTIONS" for p in listed_profiles), listed_profiles

