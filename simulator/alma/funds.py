"""Money on a PO line: its net price, what its fund distribution asks of each fund, the profile's three
"do not create order in case of" checks (seed 001), and encumbering. Planning here changes nothing;
`encumber` is the one place where a fund's encumbered balance grows for a PO line.

Net price = price × copies × (1 − discount %), the discount being the line's, else the vendor account's
[decision]; amounts are converted at the institution's own exchange rates. A ticked check refuses the order
(401872, the message naming the check [decision]); an unticked one sends the line to In Review with an alert.
Imports model, alerts, simulator.errors and simulator.money.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from simulator.alma import alerts
from simulator.alma.alerts import CHECK_INSUFFICIENT_BALANCE, CHECK_INVALID_FUND, CHECK_NOT_FULLY_FUNDED
from simulator.alma.model import (
    Alert, Encumbrance, Fund, FundShare, Institution, NewOrderProfile, POLine, POLineDraft, Vendor,
)
from simulator.errors import FundCheckFailed
from simulator.money import Money, cents


@dataclass
class FundPlan:
    """What the distribution asks of each fund, and what is wrong with it."""

    net_price: Money | None = None
    charges: dict[str, Decimal] = field(default_factory=dict)  # fund code -> amount in the fund's currency
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (check, field, sentence)


def net_price(institution: Institution, draft: POLineDraft, vendor: Vendor | None) -> Money | None:
    """price × copies × (1 − discount %); the discount is the line's, else the vendor account's [decision]."""
    if draft.price is None:
        return None
    discount = draft.discount
    if not discount and vendor and draft.vendor_account in vendor.accounts:
        discount = vendor.accounts[draft.vendor_account].discount_percent
    return Money(draft.price.amount * draft.copies * (1 - discount / 100), draft.price.currency)


def plan_funds(institution: Institution, draft: POLineDraft, owner_library: str, net: Money | None) -> FundPlan:
    """What each fund would be charged, and every problem of the three profile checks (seed 001)."""
    plan = FundPlan(net_price=net)
    if not draft.funds or draft.no_charge:
        return plan
    fiscal_period = institution.current_fiscal_period
    if net is None:  # no price yet: the amounts cannot be checked, the fund codes can (§2.4)
        for share in draft.funds:
            reason = _why_fund_is_invalid(institution, institution.funds.get(share.fund), share.fund, owner_library,
                                          fiscal_period)
            if reason:
                plan.problems.append((CHECK_INVALID_FUND, "fund_code", reason))
        return plan
    covered = Decimal(0)
    for share in draft.funds:
        if share.amount is not None:
            part = institution.convert(share.amount, net.currency).amount
        elif share.percent is not None:
            part = cents(net.amount * share.percent / 100)
        elif len(draft.funds) == 1:
            part = net.amount
        else:
            part = Decimal(0)
        covered += part
        fund = institution.funds.get(share.fund)
        reason = _why_fund_is_invalid(institution, fund, share.fund, owner_library, fiscal_period)
        if reason:
            plan.problems.append((CHECK_INVALID_FUND, "fund_code", reason))
            continue
        assert fund is not None
        charge = institution.convert(Money(part, net.currency), fund.currency).amount
        plan.charges[fund.code] = plan.charges.get(fund.code, Decimal(0)) + charge
    if cents(covered) < net.amount:
        plan.problems.append((CHECK_NOT_FULLY_FUNDED, "fund_distribution",
                              f"The fund distribution covers {cents(covered):.2f} {net.currency} of the net "
                              f"price {net}."))
    for code, charge in plan.charges.items():
        fund = institution.funds[code]
        if not fund.can_cover(charge):
            plan.problems.append((CHECK_INSUFFICIENT_BALANCE, "fund_code",
                                  f"Fund {fund.code} has {fund.available:.2f} {fund.currency} available"
                                  + (f" (plus {fund.allowance:.2f} over-encumbrance allowance)" if fund.allowance else "")
                                  + f"; the order needs {cents(charge):.2f} {fund.currency}."))
    return plan


def _why_fund_is_invalid(institution: Institution, fund: Fund | None, code: str, library: str,
                         fiscal_period) -> str:
    if fund is None:
        return f"Fund {code} does not exist in {institution.name}."
    if not fund.active:
        return f"Fund {code} is inactive."
    if fund.entity_type != "ALLOCATED":
        return f"Fund {code} is a {fund.entity_type.lower()} fund, not an allocated fund."
    if fiscal_period is None or fund.fiscal_period != fiscal_period.id:
        return f"Fund {code} is not in the current fiscal period."
    if not fund.usable_by(library):
        return f"Fund {code} is not available for library {library}."
    return ""


_BLOCKS = {
    CHECK_INVALID_FUND: "block_invalid_fund_code",
    CHECK_NOT_FULLY_FUNDED: "block_not_fully_funded",
    CHECK_INSUFFICIENT_BALANCE: "block_insufficient_balance",
}


def refuse_or_alert(profile: NewOrderProfile, funds: FundPlan, *, block_all: bool = False) -> list[Alert]:
    """A ticked check refuses the order (401872, naming the check); an unticked one sends it to In Review."""
    result = []
    for check, field_name, sentence in funds.problems:
        if block_all or getattr(profile, _BLOCKS[check]):
            raise FundCheckFailed(f"Given {field_name} is illegal. {sentence} (check failed: {check})", check=check)
        result.append(alerts.fund_problem(check, sentence))
    return result


def encumber(institution: Institution, line: POLine, charges: dict[str, Decimal]) -> None:
    """Set each charge aside in its fund and record it on the line (released again on cancel)."""
    for code, amount in charges.items():
        institution.funds[code].encumber(amount)
        line.encumbrances.append(Encumbrance(fund=code, amount=amount))


def shares_in_proportion(institution: Institution, draft: POLineDraft, net: Money | None) -> list[FundShare]:
    """The line's funds as percentages of what each carried of its net price `net` (PUT with
    redistribute_funds: the new price is spread over the existing funds in the same proportions)."""
    whole = net.amount if net is not None else Decimal(100)
    parts: dict[str, Decimal] = {}
    for share in draft.funds:
        if share.amount is not None:
            part = share.amount.amount if net is None else institution.convert(share.amount, net.currency).amount
        elif share.percent is not None:
            part = whole * share.percent / 100
        else:
            part = whole if len(draft.funds) == 1 else Decimal(0)
        parts[share.fund] = parts.get(share.fund, Decimal(0)) + part
    total = sum(parts.values(), Decimal(0))
    if not total:
        return [FundShare(fund=code) for code in parts]
    return [FundShare(fund=code, percent=part * 100 / total) for code, part in parts.items()]
