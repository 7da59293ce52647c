"""Fixtures and small draft-building helpers for the engine tests (ORDERING-RULES §2–§5).

Every test gets a fresh in-memory world loaded from the seed data (`fixtures/world.toml`) and a FixedClock.
No mocks: the tests call the real ordering engine and look at the real world afterwards.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import count

import pytest

from simulator.alma import ordering
from simulator.alma.model import (
    FundShare, Institution, OrderedLocation, POLine, POLineDraft, ResourceMetadata, World,
)
from simulator.alma.seed import load_world
from simulator.clock import FixedClock
from simulator.identifiers import isbn13_check_digit, issn_check_digit
from simulator.money import Money

HVU = "01TRLC_HVU"  # Hudson Valley University: richly seeded, profiles GOBI_API / OASIS_API / DEFAULT_API
RVC = "01TRLC_RVC"  # Riverside College: profiles use the Network Zone
LSU = "01TRLC_LSU"  # Lakeshore State University: strict profiles

# Seed records of Hudson Valley (fixtures/institutions/hudson-valley.toml), by ISBN.
RIVERS_OF_EMPIRE = "9781503642225"  # print only
DIGITAL_HUMANITIES = "9781108470377"  # electronic only (EBSCOhost, CZ-activated, ordered by POL-10001)
ATLANTIC_WORLD = "9780312252595"  # mixed
CITIES = "9780521852968"  # one print record, one electronic record
MEDIEVAL = "9781138003330"  # two print records and one mixed record
SACRED_OCLC = "(OCoLC)987654321"
HUDSON_ISSN = "2156-3713"
# Community Zone titles (fixtures/community-zone.toml)
COASTAL = "9780300120004"  # EBSCOhost 417203911, Ebook Central 318552042, Cambridge Core
LEDGERS = "9780190880743"  # Ebook Central only
# Network Zone record (fixtures/world.toml)
CONSTITUTIONAL = "9780226811482"

_isbn_numbers = count(1)


def usd(amount: str | int) -> Money:
    return Money(Decimal(str(amount)), "USD")


def new_isbn() -> str:
    """A valid ISBN-13 no seed record carries (979-0 prefix, never in the fixtures)."""
    body = f"9790{next(_isbn_numbers):08d}"
    return body + isbn13_check_digit(body)


def new_issn(n: int) -> str:
    body = f"{9100000 + n:07d}"
    return f"{body[:4]}-{body[4:]}{issn_check_digit(body)}"


def print_draft(**changes) -> POLineDraft:
    """A complete print order from GOBI for a title no record matches: it goes straight to processing."""
    resource = changes.pop("resource", None) or ResourceMetadata(
        title=changes.pop("title", "A Brand New Monograph"), isbn=changes.pop("isbn", None) or new_isbn(),
        author="Doe, Jane", publication_year="2026")
    draft = POLineDraft(owner="MAIN", type="PRINTED_BOOK_OT", vendor="GOBI", vendor_account="GOBI-HVU",
                        price=usd(50), resource=resource, funds=[FundShare(fund="HIST-MONO")],
                        locations=[OrderedLocation(library="MAIN", location="STACKS", quantity=1)])
    return replace(draft, **_complete_continuous(changes))


def ebook_draft(**changes) -> POLineDraft:
    """A complete electronic one-time order from GOBI (platform: the vendor's default, EBSCOhost)."""
    resource = changes.pop("resource", None) or ResourceMetadata(
        title=changes.pop("title", "A Brand New Ebook"), isbn=changes.pop("isbn", None) or new_isbn())
    draft = POLineDraft(owner="MAIN", type="E_BOOK_OT", vendor="GOBI", vendor_account="GOBI-HVU",
                        price=usd(80), resource=resource, funds=[FundShare(fund="EBOOKS-GEN")],
                        access_model="1U")
    return replace(draft, **_complete_continuous(changes))


def _complete_continuous(changes: dict) -> dict:
    """A complete continuous order (subscription, standing order) carries its renewal date (renewals.py)."""
    if str(changes.get("type", "")).endswith(("_CO", "_SO")):
        changes.setdefault("renewal_date", "2027-08-01")
    return changes


def vendor(code: str) -> dict:
    """The vendor and vendor account fields for an HVU vendor."""
    accounts = {"GOBI": "GOBI-HVU", "OASIS": "OASIS-HVU", "HARRASSOWITZ": "HAR-HVU", "BLACKWELL": "BLK-HVU"}
    return {"vendor": code, "vendor_account": accounts[code]}


def codes(line: POLine) -> list[str]:
    return [a.code for a in line.alerts]


def snapshot(institution: Institution, world: World | None = None) -> dict:
    """Everything an order could consume or change in an institution (and its Network Zone)."""
    state = {
        "bibs": len(institution.catalogue), "holdings": len(institution.holdings), "items": len(institution.items),
        "portfolios": len(institution.portfolios), "collections": len(institution.collections),
        "po_lines": len(institution.po_lines), "purchase_orders": len(institution.purchase_orders),
        "funds": {code: (f.encumbered, f.expended) for code, f in institution.funds.items()},
        "sequences": (institution.ids.next, institution.po_line_numbers.next, institution.po_numbers.next,
                      institution.barcodes.next),
        "portfolio_lines": {p.id: (p.po_line, tuple(p.additional_po_lines), p.access_model)
                            for p in institution.portfolios.values()},
    }
    if world is not None and institution.network:
        network = world.networks[institution.network]
        state["network"] = (len(network.catalogue), network.sequence.next)
    return state


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def world() -> World:
    """A fresh seed world per test."""
    return load_world()


@pytest.fixture
def hvu(world) -> Institution:
    return world.institution(HVU)


@pytest.fixture
def order(world, clock):
    """order(draft, institution=HVU, **kw) → the created POLine (create_po_line on this test's world)."""
    def place(draft: POLineDraft, institution: str = HVU, **kw) -> POLine:
        return ordering.create_po_line(world, institution, draft, clock, **kw)
    return place


@pytest.fixture
def registered():
    """Register entries in the engine's registries for one test; removed afterwards (Registry.remove)."""
    added = []

    def register(registry, name, entry):
        registry.add(name, entry)
        added.append((registry, name))
        return entry
    yield register
    for registry, name in reversed(added):
        registry.remove(name)
