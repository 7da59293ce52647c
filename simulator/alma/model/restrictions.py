"""What an institution configures to limit a vendor's API key and to hold automatic PO lines for review: API
Restrictions integration profiles (Developer Network blog "Working with API restriction profiles") and the
purchasing review rules with the PO line price threshold (Knowledge Center "Configuring Purchasing Review Rules",
"PO Line Alert: Price Limit Reached"). Plain data; the rules that read it live in simulator.alma.restrictions and
simulator.alma.review_rules. Imports only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

API_RESTRICTIONS = "API_RESTRICTIONS"  # the integration type of these profiles (Alma's IntegrationTypes code)
FUND_VIEWS = {"FULL": "Full", "LIMITED": "Limited"}  # [decision] our codes for the profile's Fund view


@dataclass(kw_only=True)
class ApiRestrictionProfile:
    """An "API Restrictions" integration profile; an API key names it by its code."""

    code: str
    name: str = ""
    description: str = ""
    vendor: str = ""  # PO lines created with the key must carry this vendor ("" = any vendor)
    fund_view: str = "FULL"  # LIMITED: the funds the key reads come without their balances


@dataclass(kw_only=True)
class ReviewRule:
    """One purchasing review rule: its criteria (input parameters; empty = any) and its result (output
    parameter: True = review, False = straight on to packaging)."""

    name: str
    review: bool = True
    enabled: bool = True
    vendors: list[str] = field(default_factory=list)
    po_line_types: list[str] = field(default_factory=list)
    acquisition_methods: list[str] = field(default_factory=list)
    funds: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)  # owning libraries (or the institution's code)
    price_over: Decimal | None = None  # the line's net price, in the institution's currency, above this
    rush: bool | None = None


@dataclass(kw_only=True)
class PurchasingReview:
    """The Purchasing Review Rules table (the default rule and the ordered rules) and the PO Line Price
    Threshold (one for the institution, optionally one per library)."""

    default: bool = False
    rules: list[ReviewRule] = field(default_factory=list)
    price_limit: Decimal | None = None  # in the institution's currency; None: no limit
    library_price_limits: dict[str, Decimal] = field(default_factory=dict)
