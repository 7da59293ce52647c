"""Small read helpers over `AlmaClient` that several step modules share.

Everything here goes through the client, so it works on every backend.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.backends.base import AlmaClient
from simulator.errors import AlmaError
from simulator.testing.steps._types import Outcome, Snapshot


def snapshot(alma: AlmaClient) -> Snapshot:
    """The institution's whole state now (AlmaClient.institution_state: the simulator's own export)."""
    return Snapshot(alma.institution_state())


def attempt(alma: AlmaClient, action: Callable[[], dict | None], *, number: str = "") -> Outcome:
    """Run one action; an AlmaError is an expected refusal and becomes the outcome."""
    before = snapshot(alma)
    try:
        value = action()
    except AlmaError as refusal:
        return Outcome(error=refusal, before=before, number=number)
    return Outcome(value=value, before=before, number=number or (value or {}).get("number", ""))


def current_line(alma: AlmaClient, outcome: Outcome) -> dict:
    number = outcome.number or outcome.po_line["number"]
    return alma.get_po_line(number)


def mms_id_of(line: dict) -> str:
    return line["resource_metadata"]["mms_id"]["value"]


def portfolios_of(line: dict) -> list[str]:
    return [p["id"] for p in line.get("portfolios", {}).get("portfolio", [])]


def alert_codes(line: dict) -> list[str]:
    return [a["value"] for a in line.get("alert", [])]


def locate_record(alma: AlmaClient, title: str) -> dict:
    """Find an institution record by its title among the records the institution has ordered.

    [client gap] Alma's repository search has no REST call in AlmaClient; the records seed 000 starts from
    are ones the library has already ordered, so their PO lines lead to them.
    """
    seen = set()
    for line in alma.list_po_lines(status="ALL_WITH_CLOSED", limit=100)["po_line"]:
        mms_id = mms_id_of(line)
        if mms_id and mms_id not in seen:
            seen.add(mms_id)
            bib = alma.bib(mms_id)
            if bib["title"] == title:
                return bib
    raise AssertionError(f"no record titled {title!r} among the institution's ordered records")


# ---------------------------------------------------------------- integration profiles ---------------------------

_ENUMS = ("upon_no_match", "inventory_operations", "sync_with_external_catalog")


def integration_profiles(alma: AlmaClient) -> list[dict]:
    found = alma.integration_profiles(type="NEW_ORDER_API")  # the New Order API profiles, not API Restrictions
    return found.get("integration_profile", [])


def integration_profile(alma: AlmaClient, code: str) -> dict:
    """A profile as the fields of its two set-up steps (NewOrderProfile's names), ready to edit and save."""
    p = alma.integration_profile(code)
    checks = p.get("do_not_create_order_if", {})
    return {
        "name": p["name"], "integration_type": p["type"]["value"], "system": p["system"]["value"],
        "default": p["default"], "description": p.get("description", ""),
        "use_network_zone": p["use_network_zone"], "normalization": p["normalization"],
        "validation_exception_profile": p["validation_exception_profile"],
        "serial_match_method": p["serial_match_method"], "non_serial_match_method": p["non_serial_match_method"],
        "upon_no_match": p["upon_no_match"], "prefer_same_inventory_type": p["prefer_same_inventory_type"],
        "inventory_operations": p["inventory_operations"],
        "sync_with_external_catalog": p["sync_with_external_catalog"],
        "block_not_fully_funded": checks.get("order_not_fully_funded", False),
        "block_invalid_fund_code": checks.get("invalid_fund_code", False),
        "block_insufficient_balance": checks.get("fund_balance_insufficient", False),
    }


def profile_code_for(alma: AlmaClient, vendor_code: str) -> str:
    """The profile Alma uses for a vendor's orders: the one for the vendor's system, else the default."""
    system = alma.vendor(vendor_code).get("integration_system", "")
    profiles = integration_profiles(alma)
    chosen = next((p for p in profiles if p["system"]["value"] == system), None) \
        or next((p for p in profiles if p["default"]), None)
    assert chosen is not None, f"no integration profile handles {vendor_code}"
    return chosen["code"]


def edit_profile(alma: AlmaClient, code: str, **changes: object) -> dict:
    """Change some settings of a profile and save it, as a librarian edits the profile form."""
    fields = integration_profile(alma, code)
    fields.update(changes)
    return alma.configure_profile(code, fields)
