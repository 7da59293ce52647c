"""ORDERING-RULES §2.2 (and §2.4, §2.6, §4): a rejected request changes nothing — no bib, holding, item,
portfolio, PO line, encumbrance or number is consumed, in the institution, its Network Zone or the CZ."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from simulator.alma import configuration, ordering
from simulator.alma.model import FundShare, OrderedLocation, ResourceMetadata
from simulator.errors import AlmaError

from .conftest import (
    COASTAL, DIGITAL_HUMANITIES, HVU, LSU, RVC, ebook_draft, new_isbn, print_draft, snapshot, usd,
)

BAD_ISBN = "9781503642226"


def _lsu(**changes):
    fields = {"owner": "LAKE", "vendor_account": "GOBI-LSU", "funds": [FundShare(fund="LSU-BOOKS")],
              "locations": [OrderedLocation(library="LAKE", location="STACKS", quantity=3)]}
    return print_draft(**{**fields, **changes})


def _rvc(**changes):
    fields = {"owner": "RIVER", "vendor_account": "GOBI-RVC", "funds": [FundShare(fund="EBOOKS")]}
    return ebook_draft(**{**fields, **changes})


def _dh_mms_id(world):
    (bib,) = world.institution(HVU).catalogue.lookup("isbn", DIGITAL_HUMANITIES)
    return bib.mms_id


# (id, institution, draft builder, create_po_line keyword arguments, code)
REFUSALS = [
    ("no owner", HVU, lambda w: print_draft(owner=""), {}, "401664"),
    ("no title", HVU, lambda w: print_draft(resource=ResourceMetadata()), {}, "401664"),
    ("disabled type", HVU, lambda w: print_draft(type="E_BOOK_PKG_OT"), {}, "401872"),
    ("unknown mms_id", HVU, lambda w: print_draft(resource=ResourceMetadata(mms_id="991234")), {}, "401872"),
    ("malformed price", HVU, lambda w: print_draft(price=None, price_text="abc"), {}, "401872"),
    ("existing number", HVU, lambda w: print_draft(number="POL-10001"), {}, "401870"),
    ("no charge purchase", HVU, lambda w: print_draft(no_charge=True), {}, "60320"),
    ("unknown profile", HVU, lambda w: print_draft(), {"profile_code": "NOPE"}, "401872"),
    ("GOBI balance check, physical", HVU,
     lambda w: print_draft(price=usd(500), funds=[FundShare(fund="ART-MONO")],
                           locations=[OrderedLocation(library="MAIN", location="NEWBK", quantity=4)]), {}, "401872"),
    ("GOBI balance check, CZ title", HVU,
     lambda w: ebook_draft(isbn=COASTAL, price=usd(500), funds=[FundShare(fund="ART-MONO")]), {}, "401872"),
    ("balance check, split distribution", HVU,
     lambda w: print_draft(price=usd(100), funds=[FundShare(fund="HIST-MONO", percent=Decimal(50)),
                                                  FundShare(fund="ART-MONO", percent=Decimal(50))]), {}, "401872"),
    ("upgrade with 1U", HVU,
     lambda w: ebook_draft(type="LICENSE_UPGRADE", access_model="1U", resource=ResourceMetadata(mms_id=_dh_mms_id(w))),
     {}, "401872"),
    ("strict invalid ISBN", LSU, lambda w: _lsu(isbn=BAD_ISBN), {}, "401872"),
    ("strict not fully funded", LSU,
     lambda w: _lsu(funds=[FundShare(fund="LSU-BOOKS", percent=Decimal(10))]), {}, "401872"),
    ("strict fund for another library", LSU, lambda w: _lsu(funds=[FundShare(fund="LSU-MUSIC")]), {}, "401872"),
    ("strict over balance in another currency", LSU,
     lambda w: _lsu(price=usd(2000), funds=[FundShare(fund="LSU-EURO")]), {}, "401872"),
    ("RVC add-to-NZ over budget", RVC, lambda w: _rvc(isbn=new_isbn(), price=usd(7000)), {}, "401872"),
]


@pytest.mark.parametrize(("case", "institution", "build", "kwargs", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusal_leaves_no_trace(world, order, case, institution, build, kwargs, code):
    """ORDERING-RULES §2.2: a rejected request changes nothing: counts, fund encumbrances and every sequence's
    `.next` are identical before and after (the Network and Community Zones too)."""
    if institution == RVC:
        configuration.change_profile(world, RVC, "GOBI_NZ", block_insufficient_balance=True)
    draft = build(world)
    inst = world.institution(institution)
    cz = world.community_zone
    before = (snapshot(inst, world), len(cz.catalogue), len(cz.portfolios), cz.sequence.next)
    with pytest.raises(AlmaError) as refusal:
        order(draft, institution=institution, **kwargs)
    assert refusal.value.code == code
    assert (snapshot(inst, world), len(cz.catalogue), len(cz.portfolios), cz.sequence.next) == before


@pytest.mark.parametrize(("case", "institution", "build", "kwargs", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_after_a_refusal_the_next_order_gets_the_next_number(world, order, case, institution, build, kwargs, code):
    """ORDERING-RULES §2.2: no number is consumed by a refusal — the next accepted line gets the number the
    refused one would have taken."""
    if institution == RVC:
        configuration.change_profile(world, RVC, "GOBI_NZ", block_insufficient_balance=True)
    inst = world.institution(institution)
    expected = f"POL-{inst.po_line_numbers.next}"
    draft = build(world)
    with pytest.raises(AlmaError):
        order(draft, institution=institution, **kwargs)
    good = {HVU: print_draft(), LSU: _lsu(), RVC: _rvc(isbn=new_isbn())}[institution]
    assert order(good, institution=institution).number == expected


def test_librarian_refusals_leave_no_trace(world, hvu, clock):
    """ORDERING-RULES §4/§2.2: the librarian's refused orders (bad upgrade, unknown CZ portfolio) change nothing."""
    before = snapshot(hvu, world)
    draft = ebook_draft(resource=ResourceMetadata(), type="LICENSE_UPGRADE", access_model="DDA")
    with pytest.raises(AlmaError):
        ordering.order_from_bib(world, HVU, _dh_mms_id(world), draft, clock)
    with pytest.raises(AlmaError):
        ordering.order_from_community_portfolio(world, HVU, "nope", replace(draft, type="E_BOOK_OT"), clock)
    assert snapshot(hvu, world) == before
