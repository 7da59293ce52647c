"""A fund's `parent` names its ledger, and that link resolves: GET /acq/funds/{ledger id} answers the ledger."""

from __future__ import annotations

from decimal import Decimal

from simulator.backends import make_backend


def test_a_funds_parent_link_resolves_to_its_ledger():
    alma = make_backend("inprocess")
    fund = alma.fund("HIST-MONO")
    ledger = alma.fund(fund["parent"]["value"])
    assert ledger["entity_type"]["value"] == "LEDGER" and ledger["code"] == "MONO"
    assert "HIST-MONO" in {f["code"] for f in ledger["fund"]}
    members = [alma.fund(f["code"]) for f in ledger["fund"]]
    assert Decimal(str(ledger["allocated_balance"])) == sum(Decimal(str(f["allocated_balance"])) for f in members)
