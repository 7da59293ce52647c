"""The librarian's words and what they mean to the client: converters for step arguments, and `Outcome`.

Gherkin speaks in labels ("In Review", "Publish holdings only", "the fund code is invalid"); Alma's API
speaks in codes. This module is the one dictionary between the two, so step modules stay thin and no
code, field spelling or error number ever has to appear in a feature file. Every phrase a step accepts is
listed here; an unknown phrase fails with the list of known ones. `EXTRA_TYPES` feeds `parsers.parse`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from parse import with_pattern  # type: ignore[import-untyped]  # pytest-bdd's parser, untyped

from simulator.errors import AlmaError
from simulator.money import Money
from simulator.vendors import CheckoutResult


def _choice(table: Mapping[str, object], what: str):
    """A converter that accepts exactly the phrases of `table`, matched case-sensitively."""
    pattern = "|".join(sorted((_escape(k) for k in table), key=len, reverse=True))

    @with_pattern(pattern)
    def convert(text: str) -> object:
        try:
            return table[text]
        except KeyError:
            raise ValueError(f"unknown {what} {text!r}; known: {', '.join(table)}") from None
    return convert


def _escape(text: str) -> str:
    return "".join("\\" + c if c in r".^$*+?{}[]\|()" else c for c in text)


# ---------------------------------------------------------------- vocabulary --------------------------------------

# The vendors of the seed, by the name a librarian uses (Examples tables carry these names), as Alma's vendor
# records. A cart finds its vendor profile by the record (simulator.testing.steps._cart.vendor_for): at Hudson Valley
# HARRASSOWITZ is the generic profile (simulator/vendors/profiles/generic.toml).
VENDORS = {"GOBI": "GOBI", "Oasis": "OASIS", "Harrassowitz": "HARRASSOWITZ"}

# PO line types, by the words a selector uses for what is in the cart.
FORMATS = {
    "print book": "PRINTED_BOOK_OT",
    "ebook": "E_BOOK_OT",
    "print journal subscription": "PRINTED_JOURNAL_CO",
}

STATUSES = {"In Review": "INREVIEW", "Sent": "SENT", "Auto Packaging": "AUTO_PACKAGING",
            "Waiting for Invoice": "WAITING_FOR_INVOICE", "Cancelled": "CANCELLED", "Closed": "CLOSED"}
STATUSES.update({"Waiting for Renewal": "RECURRING_RENEWAL",  # --- renewals: continuous lines
                 "Waiting for Manual Renewal": "WAITING_FOR_MANUAL_RENEWAL"})

# Why a PO line sits In Review: the alert Alma puts on it.
REVIEW_REASONS = {
    "the renewal date is missing": "RENEWAL_DATE_MISSING",  # --- renewals: a continuous order needs it
    "the vendor account is missing": "VENDOR_ACCOUNT_MISSING",
    "the price is missing": "PRICE_MISSING",
    "the fund distribution is missing": "FUND_MISSING",
    "the vendor asked for manual review": "MANUAL_REVIEW",
    "the fund code is invalid": "FUND_CODE_INVALID",
    "the order is not fully funded": "FUND_NOT_FULLY_FUNDED",
    "the fund balance is insufficient to cover the encumbrance": "FUND_BALANCE_INSUFFICIENT",
    "the ISBN is invalid": "INVALID_METADATA",
    "a purchasing review rule sends it to review": "REVIEW_RULE",
    "the price limit is reached": "PRICE_LIMIT_REACHED",
}

# Informational alerts: the line is processed, Alma just says something.
NOTES = {
    "the ordered resource already exists in the inventory": "INVENTORY_EXISTS",
    "the portfolio is already ordered by another PO line": "PORTFOLIO_HAS_PO_LINE",
    "several records matched": "SEVERAL_MATCHES",
}


@dataclass(frozen=True)
class Refusal:
    codes: tuple[str, ...]  # Alma error codes that express this refusal
    says: str  # what the message must mention (case-insensitive)


REFUSALS = {
    "the fund code is invalid": Refusal(("401872",), "invalid fund code"),
    "the order is not fully funded": Refusal(("401872",), "order is not fully funded"),
    "the fund balance is insufficient to cover the encumbrance": Refusal(("401872", "401876"),
                                                                         "fund balance insufficient"),
    "the owning library is missing": Refusal(("401664",), "owner"),
    "the ISBN is invalid": Refusal(("401872",), "isbn"),
    "Alma has no integration profile of that code": Refusal(("401872",), "profile"),
    "a License Upgrade takes only an upgrade access model": Refusal(("401872",), "upgrade access model"),
    "a cancellation reason is required": Refusal(("401881",), "reason"),
    "the PO line is already cancelled": Refusal(("401884",), "already cancelled"),
    "a purchase cannot be free of charge": Refusal(("60320",), "no charge"),
    "the price is still missing": Refusal(("401876",), "price is missing"),
    "only one profile may be the default": Refusal(("401872",), "only one profile may be the default"),
    "Add to Network Zone needs a profile that uses the Network Zone": Refusal(("401872",), "network zone"),
    "the API key may order only from its own vendor": Refusal(("401872",), "only for vendor"),
    "the API key may not move the library's money": Refusal(("UNAUTHORIZED",), "may not post fund transactions"),
    "the API key's Limited fund view shows no fund transactions": Refusal(("UNAUTHORIZED",), "limited fund view"),
}

# Why a fund code is invalid, as Alma's refusal or alert says it (simulator.alma.funds): the words each must contain.
INVALID_FUND_REASONS = {
    "the fund does not exist": "does not exist",
    "the fund is inactive": "is inactive",
    "the fund is not in the current fiscal year": "not in the current fiscal period",
    "the fund is a summary fund, not an allocated one": "summary fund, not an allocated fund",
    "the owning library may not order on the fund": "is not available for library",
}

# The three "Do not create order in case of" checks of a New Order API profile (seed 001).
# By their labels on the profile's step 2, under "Do not create order in case of".
FUND_CHECKS = {
    "Order is not fully funded": "block_not_fully_funded",
    "Invalid fund code": "block_invalid_fund_code",
    "Fund balance insufficient to cover encumbrance": "block_insufficient_balance",
}

# Step 1's mandatory fields, by their label on the profile form.
PROFILE_FIELDS = {"Code": "code", "Name": "name", "Integration Type": "integration_type", "System": "system"}

MANAGEMENT_TAGS = {
    "Publish bibliographic records": "PUBLISH_BIB",
    "Publish holdings only": "PUBLISH_HOLDINGS",
    "Don't publish": "DONT_PUBLISH",
}

MATCH_METHODS = {
    "ISBN": "ISBN",
    "ISSN": "ISSN",
    "035 other system number": "035 Other System Number",
    "vendor title number": "Vendor title number",
}

INVENTORY_OPERATIONS = {"None": "NONE", "Physical": "PHYSICAL", "Electronic": "ELECTRONIC", "Mixed": "MIXED"}

VALIDATION_POLICIES = {"MarcXML Bib Import": "MarcXML Bib Import", "Strict": "Strict", "Ignore": "Ignore"}

# What a matched record holds, as the librarian describes it.
INVENTORY_KINDS = {"print": "physical", "electronic": "electronic", "print and electronic": "mixed"}

# Where the PO line's portfolio came from (seed 002's portfolio search).
PORTFOLIO_ORIGINS = {
    "the existing portfolio": "iz",
    "activated from the Community Zone": "cz",
    "a new local portfolio": "local",
}

ZONES = {"Institution Zone": "IZ", "Network Zone": "NZ"}

YES_NO = {"yes": True, "no": False, "ticked": True, "not ticked": False}

# What goes wrong between the cart and Alma, in the librarian's words (simulator.testing.steps._trouble says how each is
# made, in Alma's dialect): too many requests per second, a server fault, an answer lost after Alma did the work.
TROUBLES = {"is busy": "busy", "is temporarily failing": "failing",
            "creates the PO line but answers too late": "too late"}

# How many orders a trouble lasts for ("the next two orders"), and how many times the cart tried.
ORDERS = {"order": 1, "two orders": 2, "three orders": 3}
TIMES = {"once": 1, "twice": 2, "three times": 3, "four times": 4, "five times": 5, "six times": 6}

# Why the cart reports an order as not placed: the code the cart kept from Alma's last answer.
NOT_PLACED = {"Alma kept failing": "INTERNAL_SERVER_ERROR", "Alma has reached its daily limit": "DAILY_THRESHOLD"}


@with_pattern(r"-?\d+(?:\.\d{2})? [A-Z]{3}")
def money(text: str) -> Money:
    amount, currency = text.split()
    return Money(Decimal(amount), currency)


EXTRA_TYPES = {
    "Money": money,
    "Vendor": _choice(VENDORS, "vendor"),
    "Format": _choice(FORMATS, "format"),
    "Status": _choice(STATUSES, "PO line status"),
    "ReviewReason": _choice(REVIEW_REASONS, "In Review reason"),
    "Note": _choice(NOTES, "alert"),
    "Refusal": _choice(REFUSALS, "refusal"),
    "FundCheck": _choice(FUND_CHECKS, "fund check"),
    "InvalidFund": _choice(INVALID_FUND_REASONS, "reason a fund code is invalid"),
    "ProfileField": _choice(PROFILE_FIELDS, "profile field"),
    "Tag": _choice(MANAGEMENT_TAGS, "management tag"),
    "MatchMethod": _choice(MATCH_METHODS, "match method"),
    "Operations": _choice(INVENTORY_OPERATIONS, "inventory operations"),
    "Policy": _choice(VALIDATION_POLICIES, "validation exception profile"),
    "Kind": _choice(INVENTORY_KINDS, "inventory kind"),
    "Origin": _choice(PORTFOLIO_ORIGINS, "portfolio origin"),
    "Zone": _choice(ZONES, "zone"),
    "YesNo": _choice(YES_NO, "yes/no"),
    "Trouble": _choice(TROUBLES, "trouble"),
    "Orders": _choice(ORDERS, "number of orders"),
    "Times": _choice(TIMES, "number of times"),
    "NotPlaced": _choice(NOT_PLACED, "reason an order was not placed"),
}


# ---------------------------------------------------------------- outcomes -----------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What "nothing changes in Alma" compares: the institution's whole state as the simulator exports it —
    records, holdings, items, portfolios, PO lines and POs, the numbers consumed, funds with their balances (and
    their transactions, once the state holds them) — and its Network Zone's."""

    state: dict = field(default_factory=dict)

    def changes_since(self, before: Snapshot) -> list[str]:
        """Where this state differs from `before`, as paths ("institution.funds.HIST-MONO.encumbered")."""
        return _differences(before.state, self.state, "")


def _differences(old: object, new: object, path: str) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in old or key not in new:
                found.append(f"{where} {'added' if key in new else 'removed'}")
            else:
                found += _differences(old[key], new[key], where)
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (a, b) in enumerate(zip(old, new)) for d in _differences(a, b, f"{path}[{i}]")]
    return [] if old == new else [f"{path}: {old!r:.80} → {new!r:.80}"]


@dataclass(frozen=True)
class Outcome:
    """What a When step did: Alma's answer, or the refusal it raised (expected refusals are outcomes)."""

    value: dict | None = None
    error: AlmaError | None = None
    before: Snapshot | None = None
    number: str = ""  # the PO line the action was about
    checkout: CheckoutResult | None = None  # a cart's checkout: what the vendor's order line recorded

    @property
    def po_line(self) -> dict:
        assert self.error is None, f"Alma refused: {self.error}"
        assert self.value is not None and self.value.get("number"), \
            f"no PO line in Alma's answer: {self.value!r}" + (f" (checkout: {self.checkout})" if self.checkout else "")
        return self.value
