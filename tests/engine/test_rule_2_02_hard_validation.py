"""ORDERING-RULES §2.2 — hard validation: refusals with Alma's codes; a rejected request changes nothing."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from simulator.api.codec import parse_body
from simulator.alma.model import FundShare, OrderedLocation, ResourceMetadata
from simulator.errors import (
    BodyNotFound, GeneralError, IllegalValue, MandatoryFieldMissing, NoChargeNotAllowed, POLineExists,
)
from simulator.money import Money

from .conftest import print_draft, snapshot, usd


@pytest.mark.parametrize(("changes", "field"), [
    ({"owner": ""}, "owner"),
    ({"type": ""}, "type"),
    ({"resource": ResourceMetadata(title="", mms_id="")}, "title"),
    ({"resource": ResourceMetadata(title="   ")}, "title"),
])
def test_mandatory_field_missing_401664(world, hvu, order, changes, field):
    """ORDERING-RULES §2.2: owner, type, and title or mms_id are required → 400 401664 naming the field."""
    before = snapshot(hvu, world)
    with pytest.raises(MandatoryFieldMissing) as refusal:
        order(print_draft(**changes))
    assert refusal.value.code == "401664"
    assert refusal.value.message == f"Mandatory field is missing: {field}"
    assert snapshot(hvu, world) == before


def test_mms_id_alone_is_enough_without_title(hvu, order):
    """ORDERING-RULES §2.2: `title` *or* `mms_id` — an order with only an existing mms_id is accepted."""
    mms_id = hvu.catalogue.lookup("isbn", "9781503642225")[0].mms_id
    line = order(print_draft(resource=ResourceMetadata(mms_id=mms_id)))
    assert line.mms_id == mms_id


@pytest.mark.parametrize(("changes", "named"), [
    ({"owner": "NOWHERE"}, "owner"),
    ({"type": "NO_SUCH_TYPE"}, "type"),
    ({"type": "E_BOOK_PKG_OT"}, "type"),  # a type that exists but is not enabled
    ({"resource": ResourceMetadata(title="x", mms_id="990000000000004561")}, "mms_id"),
    ({"price": None, "price_text": "12,50 dollars"}, "price"),
    ({"price": usd(-1)}, "price"),
    ({"price": Money(Decimal(10), "JPY")}, "currency"),  # no exchange rate for yen
    ({"vendor": "NO_SUCH_VENDOR"}, "vendor"),
    ({"vendor_account": "NO-SUCH-ACCOUNT"}, "vendor_account"),
    ({"acquisition_method": "BARTER"}, "acquisition_method"),
    ({"discount": Decimal(120)}, "discount"),
    ({"locations": [OrderedLocation(library="ATLANTIS", location="STACKS")]}, "library"),
    ({"locations": [OrderedLocation(library="MAIN", location="BASEMENT")]}, "shelving_location"),
    ({"locations": [OrderedLocation(library="MAIN", location="STACKS", quantity=0)]}, "quantity"),
    ({"funds": [FundShare(fund="HIST-MONO", percent=Decimal(150))]}, "fund_distribution"),
])
def test_illegal_values_401872(world, hvu, order, changes, named):
    """ORDERING-RULES §2.2: unknown owner, type not enabled, unknown mms_id, malformed price … → 400 401872
    "Given X is illegal."; nothing is consumed."""
    before = snapshot(hvu, world)
    with pytest.raises(IllegalValue) as refusal:
        order(print_draft(**changes))
    assert refusal.value.code == "401872"
    assert refusal.value.message.startswith(f"Given {named}")
    assert snapshot(hvu, world) == before


def test_owner_may_be_the_institution_itself(order):
    """ORDERING-RULES §2.2: the owner is a library of the institution, or the institution code."""
    assert order(print_draft(owner="01TRLC_HVU")).number


def test_existing_number_is_refused_401870(world, hvu, order):
    """ORDERING-RULES §2.2: a `number` that exists → 400 401870."""
    before = snapshot(hvu, world)
    with pytest.raises(POLineExists) as refusal:
        order(print_draft(number="POL-10001"))
    assert refusal.value.code == "401870"
    assert snapshot(hvu, world) == before


def test_new_number_is_kept(order):
    """ORDERING-RULES §2.2: a `number` nobody uses yet is accepted and kept."""
    assert order(print_draft(number="POL-VENDOR-77")).number == "POL-VENDOR-77"


def test_generated_numbers_never_collide_with_a_number_given_by_the_vendor(hvu, order):
    """ORDERING-RULES §1/§2.2: PO line numbers are unique per institution and never reused — a number the
    vendor gave that looks like the next generated one must not be overwritten."""
    upcoming = f"POL-{hvu.po_line_numbers.next}"
    given = order(print_draft(number=upcoming))
    generated = order(print_draft())
    assert generated.number != upcoming
    assert hvu.po_lines[upcoming] is given
    assert hvu.po_lines[generated.number] is generated


@pytest.mark.parametrize("method", ["PURCHASE", "PURCHASE_NOLETTER", "VENDOR_SYSTEM"])
def test_no_charge_with_a_purchase_method_60320(world, hvu, order, method):
    """ORDERING-RULES §2.2: `no_charge` with a purchase method → 400 60320."""
    before = snapshot(hvu, world)
    with pytest.raises(NoChargeNotAllowed) as refusal:
        order(print_draft(no_charge=True, acquisition_method=method, price=None, funds=[]))
    assert refusal.value.code == "60320"
    assert snapshot(hvu, world) == before


@pytest.mark.parametrize("method", ["GIFT", "EXCHANGE", "DEPOSITORY", "LEGAL_DEPOSIT", "TECHNICAL", "APPROVAL"])
def test_no_charge_allowed_for_non_purchase_methods(order, method):
    """ORDERING-RULES §2.2 [decision]: no_charge is allowed for GIFT, EXCHANGE, DEPOSITORY, LEGAL_DEPOSIT,
    TECHNICAL, APPROVAL — and then needs neither price nor funds."""
    line = order(print_draft(no_charge=True, acquisition_method=method, price=None, funds=[]))
    assert line.status.value == "AUTO_PACKAGING"
    assert line.alerts == []
    assert line.encumbrances == []


@pytest.mark.parametrize(("body", "content_type"), [
    (b"{not json", "application/json"),
    (b"<po_line><title>unclosed", "application/xml"),
    (b"\xff\xfe\x00garbage", None),
])
def test_unparseable_body_402119(body, content_type):
    """ORDERING-RULES §2.2: an unparseable body → 400 402119."""
    with pytest.raises(GeneralError) as refusal:
        parse_body(body, content_type)
    assert refusal.value.code == "402119"


@pytest.mark.parametrize("body", [b"", b"   \n"])
def test_empty_body_401676(body):
    """ORDERING-RULES §2.2: an empty body → 400 401676."""
    with pytest.raises(BodyNotFound) as refusal:
        parse_body(body, "application/json")
    assert refusal.value.code == "401676"


def test_parseable_body_is_read(hvu):
    """ORDERING-RULES §2.2: a well-formed body is read (the counterpart of 402119/401676)."""
    assert parse_body(b'{"owner": {"value": "MAIN"}}', "application/json")["owner"] == {"value": "MAIN"}


def test_a_valid_order_is_accepted_and_consumes_numbers(world, hvu, order):
    """ORDERING-RULES §2.2: the counterpart — a valid order passes hard validation and creates things."""
    before = snapshot(hvu, world)
    line = order(print_draft())
    after = snapshot(hvu, world)
    assert after["po_lines"] == before["po_lines"] + 1
    assert after["bibs"] == before["bibs"] + 1
    assert line.number == f"POL-{before['sequences'][1]}"
    assert replace(line.draft).owner == "MAIN"
