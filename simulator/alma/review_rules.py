"""Purchasing review rules and the PO line price threshold: which automatically created PO lines Alma holds In
Review (Knowledge Center "Configuring Purchasing Review Rules", "PO Line Alert: Price Limit Reached").

Facts: the rules apply only to PO lines created automatically (by API or import), never to the librarian's own
orders; the default rule is checked first — True sends every line to review, False hands over to the other rules;
those are checked in their listed order and only the first enabled rule whose criteria all hold decides (its
result True = review, False = packaging); no match = packaging. A line above the PO Line Price Threshold of its
owning library (or the institution's) carries the alert "Price Limit Reached", review rules or not.

[decision] The criteria the simulator evaluates are vendor, PO line type, acquisition method, fund (any of the
line's funds), owning library, rush and "net price over an amount" (in the institution's currency); the price
compared with the threshold is the line's net price (all copies, after discount) in the institution's currency,
and only a price strictly above it raises the alert; with no threshold configured no line raises it. A rule
that sends a line to review and the price limit each add one alert (codes REVIEW_RULE, PRICE_LIMIT_REACHED, ours).
The table is configured as a whole (`configure`: the world file, the librarian's endpoint). Imports model,
alerts and simulator.errors/money.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from simulator.alma import alerts
from simulator.alma.model import Alert, Institution, POLineDraft, PurchasingReview, ReviewRule, World
from simulator.errors import IllegalValue
from simulator.money import Money

MANUAL_ENTRY = "MANUALENTRY"  # the source type of the librarian's own orders


def matches(rule: ReviewRule, draft: POLineDraft, owner: str, net_in_base: Decimal | None) -> bool:
    """Every criterion the rule sets holds for the line (an empty criterion holds for any line)."""
    if rule.vendors and draft.vendor not in rule.vendors:
        return False
    if rule.po_line_types and draft.type not in rule.po_line_types:
        return False
    if rule.acquisition_methods and draft.acquisition_method not in rule.acquisition_methods:
        return False
    if rule.funds and not any(share.fund in rule.funds for share in draft.funds):
        return False
    if rule.owners and owner not in rule.owners:
        return False
    if rule.rush is not None and draft.rush != rule.rush:
        return False
    if rule.price_over is not None and (net_in_base is None or net_in_base <= rule.price_over):
        return False
    return True


def deciding_rule(institution: Institution, draft: POLineDraft, owner: str,
                  net: Money | None) -> tuple[str, bool] | None:
    """(name, review) of what decides an automatic line: the default rule when True, else the first matching
    enabled rule; None when nothing sends it anywhere (a manual line, or no rule matched)."""
    if draft.source_type == MANUAL_ENTRY:
        return None
    table = institution.purchasing_review
    if table.default:
        return ("default", True)
    base = institution.to_base(net) if net is not None else None
    for rule in table.rules:
        if rule.enabled and matches(rule, draft, owner, base):
            return (rule.name, rule.review)
    return None


def price_limit(institution: Institution, owner: str) -> Decimal | None:
    table = institution.purchasing_review
    return table.library_price_limits.get(owner, table.price_limit)


def review(institution: Institution, draft: POLineDraft, owner: str, net: Money | None) -> list[Alert]:
    """The alerts the review rules and the price threshold put on a new line (review alerts: In Review)."""
    found = []
    decided = deciding_rule(institution, draft, owner, net)
    if decided is not None and decided[1]:
        found.append(alerts.review_rule(decided[0]))
    limit = price_limit(institution, owner)
    if limit is not None and net is not None and institution.to_base(net) > limit:
        found.append(alerts.price_limit_reached(institution.to_base(net), limit, institution.currency))
    return found


_LISTS = ("vendors", "po_line_types", "acquisition_methods", "funds", "owners")


def _amount(value: Any, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise IllegalValue(f"Given {name} is illegal: {value!r} is not an amount.") from None
    if not amount.is_finite() or amount < 0:
        raise IllegalValue(f"Given {name} is illegal: {value!r} is not an amount.")
    return amount


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise IllegalValue(f"Given {name} is illegal: {value!r} is not true or false.")


def _rule(table: Any, position: int) -> ReviewRule:
    if not isinstance(table, dict):
        raise IllegalValue(f"Given rule {position} is illegal: a table of criteria is expected.")
    known = {"name", "review", "enabled", "price_over", "rush", *_LISTS}
    unknown = [k for k in table if k not in known]
    if unknown:
        raise IllegalValue(f"Given rule {position} is illegal: unknown {', '.join(unknown)}; criteria: "
                           f"{', '.join(sorted(known))}.")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise IllegalValue(f"Given rule {position} is illegal: every rule has a name.")
    lists = {}
    for key in _LISTS:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise IllegalValue(f"Given {key} of rule {name!r} is illegal: a list of codes is expected.")
        lists[key] = value
    rush = table.get("rush")
    return ReviewRule(name=name, review=_flag(table.get("review", True), "review"),
                      enabled=_flag(table.get("enabled", True), "enabled"),
                      price_over=_amount(table.get("price_over"), "price_over"),
                      rush=None if rush is None else _flag(rush, "rush"), **lists)


def table_from_dict(table: dict[str, Any]) -> PurchasingReview:
    """The rules table from a TOML/JSON table: default, rules (in order), price_limit, library_price_limits."""
    known = ("default", "rules", "price_limit", "library_price_limits")
    unknown = [k for k in table if k not in known]
    if unknown:
        raise IllegalValue(f"Given purchasing review field is illegal: {', '.join(unknown)}; fields: "
                           f"{', '.join(known)}.")
    rules = table.get("rules", [])
    if not isinstance(rules, list):
        raise IllegalValue("Given rules is illegal: a list of rules is expected.")
    limits = table.get("library_price_limits", {})
    if not isinstance(limits, dict):
        raise IllegalValue("Given library_price_limits is illegal: library code → amount is expected.")
    return PurchasingReview(default=_flag(table.get("default", False), "default"),
                            rules=[_rule(r, i + 1) for i, r in enumerate(rules)],
                            price_limit=_amount(table.get("price_limit"), "price_limit"),
                            library_price_limits={str(k): a for k, v in limits.items()
                                                  if (a := _amount(v, f"price limit of {k}")) is not None})


def configure(world: World, institution_code: str, table: PurchasingReview) -> PurchasingReview:
    """Replace the institution's review rules and price thresholds; codes a rule names must exist there."""
    institution = world.institution(institution_code)
    known: dict[str, set[str]] = {"vendors": set(institution.vendors), "po_line_types": set(institution.po_line_types),
                                  "funds": set(institution.funds), "owners": {*institution.libraries, institution.code}}
    names = set()
    for rule in table.rules:
        if rule.name in names:
            raise IllegalValue(f"Given rule name is illegal: two rules are called {rule.name!r}.")
        names.add(rule.name)
        for key, codes in known.items():
            wrong = [c for c in getattr(rule, key) if c not in codes]
            if wrong:
                raise IllegalValue(f"Given {key} of rule {rule.name!r} is illegal: {institution.name} has no "
                                   f"{', '.join(wrong)}.")
    wrong = [lib for lib in table.library_price_limits if lib not in institution.libraries]
    if wrong:
        raise IllegalValue(f"Given library_price_limits is illegal: {institution.name} has no library "
                           f"{', '.join(wrong)}.")
    with institution.lock:
        institution.purchasing_review = table
    return table
