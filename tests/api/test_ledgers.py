"""A fund's `parent` names its ledger, and that link resolves: GET /acq/funds/{ledger id} answers the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simulator.backends import make_backend


def test_a_funds_parent_link_resolves_to_its_ledger():
    alma = make_backend("inprocess")
    fund = alma.fund("HIST-MONO")
    ledger = alma.fund(fund["parent"]["value"])
    assert ledger["entity_type"]["value"] == "LEDGER" and ledger["code"] == "MONO"
    assert "HIST-MONO" in {f["code"] for f in ledger["fund"]}
    members = [alma.fund(f["code"]) for f in ledger["fund"]]
    assert Decimal(str(ledger["allocated_balance"])) == sum(Decimal(str(f["allocated_balance"])) for f in members)


def test_the_default_mode_is_pol_and_mode_all_lists_ledgers_and_every_fund():
    """GET /acq/funds: mode defaults to POL (acq.json); ALL is "all funds and ledgers", the ledgers first."""
    alma = make_backend("inprocess")
    default = {f["code"] for f in alma.funds(mode=None)["fund"]}
    assert "HIST-MONO" in default and not {"MUSIC-MONO", "HUMANITIES", "HIST-MONO-FY26"} & default
    every = alma.funds(mode="ALL")["fund"]
    kinds = [f["entity_type"]["value"] for f in every]
    assert kinds[:3] == ["LEDGER"] * 3 and {"MUSIC-MONO", "HUMANITIES"} <= {f["code"] for f in every}
    ledgers = alma.funds(mode="ALL", entity_type="LEDGER")["fund"]
    assert {f["code"] for f in ledgers} == {"MONO", "ELEC", "SER"}


def test_mode_pol_takes_view_and_the_default_all_but_refuses_real_filters():
    from simulator.errors import InvalidParameter

    alma = make_backend("inprocess")
    assert alma.funds(view="full", status="ALL")["total_record_count"] == alma.funds()["total_record_count"]
    with pytest.raises(InvalidParameter) as refused:
        alma.funds(status="INACTIVE")
    assert refused.value.code == "401873"


def test_vendors_filter_by_type_as_documented():
    """GET /acq/vendors type: material_supplier, access_provider, licensor, governmental; ALL by default."""
    alma = make_backend("inprocess")
    every = {v["code"] for v in alma.vendors(limit=100)["vendor"]}
    assert {v["code"] for v in alma.vendors(type="ALL", limit=100)["vendor"]} == every
    providers = {v["code"] for v in alma.vendors(type="access_provider", limit=100)["vendor"]}
    assert {"GOBI", "OASIS", "HARRASSOWITZ"} <= providers and "BLACKWELL" not in providers
    assert alma.vendors(type="licensor")["total_record_count"] == 0
