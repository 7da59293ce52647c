"""Money on a PO line: its net price, what its fund distribution asks of each fund, the profile's three
"do not create order in case of" checks (seed 001), encumbering and releasing, and reading a fund's
transactions. Planning here changes nothing; `encumber` and `release` are where a PO line's money moves in
and out of a fund's encumbered balance — always as a transaction the fund keeps (ORDERING-RULES §7).

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
    Alert, Encumbrance, Fund, FundShare, FundTransaction, Institution, NewOrderProfile, POLine, POLineDraft,
    TransactionType, Vendor, World,
)
from simulator.clock import Clock, alma_date
from simulator.errors import AlmaError, FundCheckFailed, GeneralError, InvalidParameter
from simulator.money import Money, cents, to_decimal


# Decimal constants (a Decimal never changes): the same values the integers 0, 1 and 100 convert to in arithmetic
_ZERO, _ONE, _HUNDRED = Decimal(0), Decimal(1), Decimal(100)


@dataclass(slots=True)
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
    if not discount and discount.same_quantum(_ZERO):
        # no discount, written without decimals ("0", every seeded account's): the factor 1 - 0/100 is exactly 1
        # (exponent 0), and multiplying by it changes neither the digits nor the exponent
        return Money(draft.price.amount * draft.copies, draft.price.currency)
    return Money(draft.price.amount * draft.copies * (_ONE - discount / _HUNDRED), draft.price.currency)


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
    covered = _ZERO
    for share in draft.funds:
        if share.amount is not None:
            part = institution.convert(share.amount, net.currency).amount
        elif share.percent is not None:
            part = cents(net.amount * share.percent / _HUNDRED)
        elif len(draft.funds) == 1:
            part = net.amount
        else:
            part = _ZERO
        covered += part
        fund = institution.funds.get(share.fund)
        reason = _why_fund_is_invalid(institution, fund, share.fund, owner_library, fiscal_period)
        if reason:
            plan.problems.append((CHECK_INVALID_FUND, "fund_code", reason))
            continue
        assert fund is not None
        if fund.currency != net.currency:
            charge = institution.convert(Money(part, net.currency), fund.currency).amount
        else:  # what convert gives in the same currency: the part to the cent, which every part but a zero already is
            charge = cents(part) if part is _ZERO else part  # (a Money's amount, or rounded above)
        plan.charges[fund.code] = plan.charges.get(fund.code, _ZERO) + charge
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


def encumber(institution: Institution, line: POLine, charges: dict[str, Decimal], date: str = "") -> None:
    """Set each charge aside in its fund (an ENCUMBRANCE transaction naming the line) and record it on the
    line (released again on cancel or by an invoice)."""
    for code, amount in charges.items():
        institution.funds[code].encumber(amount, date=date or line.status_date, po_line=line.number)
        line.encumbrances.append(Encumbrance(fund=code, amount=amount))


def release(institution: Institution, line: POLine, date: str, *, invoice_number: str = "") -> None:
    """Give back everything the line still holds (a DISENCUMBRANCE transaction per fund)."""
    for enc in line.encumbrances:
        if enc.amount:
            institution.funds[enc.fund].release(enc.amount, date=date, po_line=line.number,
                                                invoice_number=invoice_number)
    line.encumbrances = []


# ---------------------------------------------------------------- fund transactions -----------------------------

TRANSACTION_FILTERS = ("ALL",) + tuple(t.value for t in TransactionType)
TRANSACTION_SEARCHES = ("amount", "po_line", "invoice_number")


def find_fund(institution: Institution, fund: str) -> Fund:
    """A fund by its id or its code; 401873 when there is none."""
    found = institution.funds.get(fund) or next((f for f in institution.funds.values() if f.id == fund), None)
    if found is None:
        raise InvalidParameter(f"The fund identifier is not valid: {institution.name} has no fund {fund!r}.",
                               code="401873")
    return found


def fund_transactions(world: World, institution_code: str, fund: str, *, kind: str = "ALL", field_name: str = "",
                      value: str = "") -> list[FundTransaction]:
    """GET /acq/funds/{fund_id}/transactions: a fund's transactions, oldest first, of one type (`filter`,
    ALL by default; 40166404 otherwise) and matching one search (`q=amount=25`, `po_line`, `invoice_number`;
    60106 for another field). An amount matches whatever its sign or trailing zeros [decision]."""
    institution = world.institution(institution_code)
    with institution.lock:
        found = find_fund(institution, fund)
        wanted = (kind or "ALL").upper()
        if wanted not in TRANSACTION_FILTERS:
            raise InvalidParameter(f"The filter parameter is not valid: {kind!r} (one of "
                                   f"{', '.join(TRANSACTION_FILTERS)}).", code="40166404")
        if field_name and field_name not in TRANSACTION_SEARCHES:
            raise InvalidParameter(f"The query parameter is not valid: {field_name!r} (one of "
                                   f"{', '.join(TRANSACTION_SEARCHES)}).", code="60106")
        result = [t for t in found.transactions if wanted == "ALL" or t.type.value == wanted]
        if field_name == "amount":
            amount = to_decimal(value)
            if amount is None:
                raise InvalidParameter(f"The query parameter is not valid: amount={value!r} is not an amount.",
                                       code="60106")
            result = [t for t in result if abs(t.amount) == abs(cents(amount))]
        elif field_name:
            result = [t for t in result if getattr(t, field_name).casefold() == value.strip().casefold()]
        return result


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


def add_fund_transaction(world: World, institution_code: str, fund: str, kind: str, amount: Decimal | None,
                         clock: Clock, *, related_fund: str = "", note: str = "") -> list[FundTransaction]:
    """POST /acq/funds/{fund_id}/transactions: an ALLOCATION (adds to the fund's allocation; negative takes it
    back) or a TRANSFER from this fund to `related_fund` [decision: the path's fund gives, the related fund
    receives; each records a TRANSFER, negative on the giving side]. Alma's codes: 4018841 no type, 4018842 a
    type that cannot be created, 4018843 no amount, 4018845 no related fund, 4018846 unknown related fund,
    4018847 another fiscal period, 4018848 inactive, 4018851 a ledger or summary fund; a transfer larger than
    what the fund has available → 402119 [decision]. Both sides are checked before either is posted."""
    institution = world.institution(institution_code)
    with institution.lock:
        source = find_fund(institution, fund)
        wanted = (kind or "").strip().upper()
        if not wanted:
            raise AlmaError("Missing mandatory field 'type'.", code="4018841")
        if wanted not in (TransactionType.ALLOCATION.value, TransactionType.TRANSFER.value):
            raise AlmaError(f"Transaction type is not supported: {kind!r} (ALLOCATION or TRANSFER).", code="4018842")
        if amount is None:
            raise AlmaError("Missing mandatory field 'amount'.", code="4018843")
        if source.entity_type != "ALLOCATED":
            raise AlmaError(f"Selected Fund code is a ledger / summary fund, transaction could not be created: "
                            f"{source.code}.", code="4018851")
        today = alma_date(clock.now())
        if wanted == TransactionType.ALLOCATION.value:
            if source.allocated + amount < 0:
                raise GeneralError(f"General error: fund {source.code} cannot be allocated below zero.")
            return [source.post(TransactionType.ALLOCATION, amount, date=today, note=note)]
        if not related_fund:
            raise AlmaError("Missing mandatory field 'related_fund'.", code="4018845")
        target = institution.funds.get(related_fund) or next(
            (f for f in institution.funds.values() if f.id == related_fund), None)
        if target is None or target is source:
            raise AlmaError(f"Fund id in 'related_fund' field is not valid: {related_fund!r}.", code="4018846")
        if target.fiscal_period != source.fiscal_period:
            raise AlmaError(f"Selected fund id in 'related_fund' field has a different fiscal period: "
                            f"{target.code}.", code="4018847")
        if not target.active:
            raise AlmaError(f"Selected fund id in 'related_fund' field is inactive: {target.code}.", code="4018848")
        if target.entity_type != "ALLOCATED":
            raise AlmaError(f"Selected Fund code is a ledger / summary fund, transaction could not be created: "
                            f"{target.code}.", code="4018851")
        if amount <= 0 or amount > source.available:
            raise GeneralError(f"General error: fund {source.code} has {source.available:.2f} {source.currency} "
                               f"available; it cannot transfer {amount:.2f}.")
        received = institution.convert(Money(amount, source.currency), target.currency).amount
        return [source.post(TransactionType.TRANSFER, -amount, date=today, related_fund=target.code, note=note),
                target.post(TransactionType.TRANSFER, received, date=today, related_fund=source.code, note=note)]
