"""ORDERING-RULES §2.14 — check and encumbrance are one atomic step: concurrent orders never overspend,
never share a PO line number, and the refused ones leave no trace."""

from __future__ import annotations

import sys
import threading
from decimal import Decimal

import pytest

from simulator.alma import configuration, ordering
from simulator.alma.model import Fund, FundShare, OrderedLocation
from simulator.alma.alerts import CHECK_INSUFFICIENT_BALANCE
from simulator.errors import FundCheckFailed

from .conftest import HVU, print_draft, snapshot, usd

THREADS, ORDERS_PER_THREAD = 16, 25


@pytest.fixture
def busy_switching():
    """Switch threads as often as possible so that unlocked check-then-encumber code would interleave."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


@pytest.mark.parametrize("overencumbrance", [False, True])
def test_concurrent_orders_never_overspend_a_fund(world, hvu, clock, busy_switching, overencumbrance):
    """ORDERING-RULES §2.14: 16 threads × 25 orders against one fund with a limited balance and the blocking
    balance check ticked (GOBI_API): the fund never goes below its allowance, every accepted line has a unique
    number, the encumbrances add up to the fund's delta, and refused orders consumed nothing."""
    fund = configuration.add_fund(world, HVU, Fund(
        id="34RACE", code="RACE", name="Contended fund", ledger="MONO", fiscal_period="FY2027", currency="USD",
        allocated=Decimal("1000.00"), overencumbrance_allowed=overencumbrance,
        overencumbrance_limit_percent=Decimal("10")))
    assert hvu.profiles["GOBI_API"].block_insufficient_balance
    drafts = [[print_draft(price=usd(5 + (t * ORDERS_PER_THREAD + i) % 7), funds=[FundShare(fund="RACE")],
                           locations=[OrderedLocation(library="MAIN", location="NEWBK", quantity=1)])
               for i in range(ORDERS_PER_THREAD)] for t in range(THREADS)]
    before = snapshot(hvu, world)
    accepted, refused, unexpected = [], [], []
    collect = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def work(mine):
        barrier.wait()
        for draft in mine:
            try:
                line = ordering.create_po_line(world, HVU, draft, clock)
            except FundCheckFailed as refusal:
                with collect:
                    refused.append((draft, refusal))
            except Exception as exc:  # noqa: BLE001 - anything else is a failure reported below
                with collect:
                    unexpected.append(exc)
            else:
                with collect:
                    accepted.append(line)

    threads = [threading.Thread(target=work, args=(mine,)) for mine in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert len(accepted) + len(refused) == THREADS * ORDERS_PER_THREAD
    assert accepted and refused
    # never below the allowance
    assert fund.available >= -fund.allowance
    # unique numbers, each the line stored under it
    numbers = [line.number for line in accepted]
    assert len(set(numbers)) == len(numbers)
    assert all(hvu.po_lines[n] is line for n, line in zip(numbers, accepted))
    # the encumbrances add up
    total = sum((e.amount for line in accepted for e in line.encumbrances), Decimal("0"))
    assert total == fund.encumbered - before["funds"]["RACE"][0]
    assert total == sum((line.net_price.amount for line in accepted), Decimal("0"))
    # every refusal was the balance check, and really could not fit at the end either
    remaining = fund.available + fund.allowance
    for draft, refusal in refused:
        assert refusal.check == CHECK_INSUFFICIENT_BALANCE and refusal.code == "401872"
        assert draft.price.amount > remaining
    # refused orders left no trace: each accepted order made one bib, holding and item, nothing more
    after = snapshot(hvu, world)
    n = len(accepted)
    assert after["po_lines"] == before["po_lines"] + n
    assert after["bibs"] == before["bibs"] + n
    assert after["holdings"] == before["holdings"] + n
    assert after["items"] == before["items"] + n
    ids, po_line_numbers, po_numbers, barcodes = before["sequences"]
    assert after["sequences"] == (ids + 3 * n, po_line_numbers + n, po_numbers, barcodes + n)
    assert {c: v for c, v in after["funds"].items() if c != "RACE"} == \
        {c: v for c, v in before["funds"].items() if c != "RACE"}


def test_concurrent_orders_across_institutions_keep_their_own_numbers(world, clock, busy_switching):
    """ORDERING-RULES §1/§2.14: numbers are unique per institution; two institutions ordering at once each
    get their own unbroken sequence."""
    lsu_draft = print_draft(owner="LAKE", vendor_account="GOBI-LSU", funds=[FundShare(fund="LSU-BOOKS")],
                            locations=[], price=usd(1))
    jobs = {HVU: [print_draft(price=usd(1)) for _ in range(50)], "01TRLC_LSU": [lsu_draft] * 50}
    results: dict[str, list[str]] = {HVU: [], "01TRLC_LSU": []}

    def work(code):
        for draft in jobs[code]:
            results[code].append(ordering.create_po_line(world, code, draft, clock).number)

    first = {code: world.institution(code).po_line_numbers.next for code in jobs}  # after the seed's own orders
    threads = [threading.Thread(target=work, args=(code,)) for code in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for code in jobs:
        assert sorted(results[code], key=lambda n: int(n[4:])) == [f"POL-{i}" for i in range(first[code],
                                                                                            first[code] + 50)]
