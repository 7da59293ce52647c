"""Where an electronic title's portfolio comes from (seed 002, ORDERING-RULES §3).

GOBI and OASIS: an institution portfolio for the title on the order's platform, else a matching Community
Zone portfolio activated into the institution (arriving not available), else a local portfolio. Every other
vendor: the institution, else a local portfolio — the Community Zone is never searched. The strategy follows
the vendor's integration *system*; a new vendor behaviour is one entry in `PORTFOLIO_SEARCHES`.
Searches only decide; `ordering` carries the decision out: a portfolio found in the institution becomes the
line's (it stays available), and the line is activated only when its own activation task is Done — the
librarian activates that portfolio — not by its having been available before the order [decision; closing].
Imports model and registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.alma.model import CommunityZone, Institution, Portfolio, ResourceMetadata
from simulator.alma.registry import Registry
from simulator.identifiers import isbn_key


@dataclass(frozen=True)
class PortfolioFound:
    """An institution portfolio already exists for the title on the platform."""

    portfolio: Portfolio
    outcome: str = "iz"

    def __init__(self, portfolio: Portfolio, outcome: str = "iz") -> None:
        # the generated __init__ of a frozen class sets each field through object.__setattr__; filling the new
        # instance's dict is the same object at half the cost (an electronic order makes one decision)
        fields = self.__dict__
        fields["portfolio"] = portfolio
        fields["outcome"] = outcome


@dataclass(frozen=True)
class ActivateFromCommunityZone:
    community_portfolio: Portfolio
    outcome: str = "cz"

    def __init__(self, community_portfolio: Portfolio, outcome: str = "cz") -> None:
        fields = self.__dict__  # as PortfolioFound.__init__
        fields["community_portfolio"] = community_portfolio
        fields["outcome"] = outcome


@dataclass(frozen=True)
class CreateLocalPortfolio:
    outcome: str = "local"

    def __init__(self, outcome: str = "local") -> None:
        self.__dict__["outcome"] = outcome  # as PortfolioFound.__init__


PortfolioDecision = PortfolioFound | ActivateFromCommunityZone | CreateLocalPortfolio
PortfolioSearch = Callable[[Institution, CommunityZone, str, str, ResourceMetadata], PortfolioDecision]
PORTFOLIO_SEARCHES: Registry[PortfolioSearch] = Registry("portfolio search")
DEFAULT_SEARCH = "OTHER"


def search_for(system: str) -> PortfolioSearch:
    return PORTFOLIO_SEARCHES.get_or(system, DEFAULT_SEARCH)


def community_keys(record: ResourceMetadata) -> list[tuple[str, str]]:
    keys = []
    if record.isbn and (key := isbn_key(record.isbn)):
        keys.append(("isbn", key))
    if record.vendor_title_number:
        keys.append(("vendor_title_number", record.vendor_title_number.strip().upper()))
    return keys


def institution_portfolio(institution: Institution, mms_id: str, platform: str) -> Portfolio | None:
    for pid in institution.portfolios_by_bib.get(mms_id, ()):
        portfolio = institution.portfolios[pid]
        if portfolio.platform == platform:
            return portfolio
    return None


def _institution_then_local(institution: Institution, cz: CommunityZone, mms_id: str, platform: str,
                            record: ResourceMetadata) -> PortfolioDecision:
    found = institution_portfolio(institution, mms_id, platform) if mms_id else None
    return PortfolioFound(found) if found else CreateLocalPortfolio()


def _institution_then_community_then_local(institution: Institution, cz: CommunityZone, mms_id: str,
                                           platform: str, record: ResourceMetadata) -> PortfolioDecision:
    found = institution_portfolio(institution, mms_id, platform) if mms_id else None
    if found:
        return PortfolioFound(found)
    for candidate in cz.find_portfolios(platform, community_keys(record)):
        activated = institution.portfolio_by_community.get(candidate.id)
        if activated:  # already activated for another bib of the same title
            return PortfolioFound(institution.portfolios[activated])
        return ActivateFromCommunityZone(candidate)
    return CreateLocalPortfolio()


PORTFOLIO_SEARCHES.add("GOBI", _institution_then_community_then_local)
PORTFOLIO_SEARCHES.add("OASIS", _institution_then_community_then_local)
PORTFOLIO_SEARCHES.add(DEFAULT_SEARCH, _institution_then_local)
