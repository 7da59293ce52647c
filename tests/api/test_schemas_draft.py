"""Reading a PO line body into a draft (simulator.api.schemas.draft_from_json): a field the body does not send —
or sends as null — reads as POLineDraft's default, and a body with two bad fields is refused for the first of
them in a fixed order.

draft_from_json reads only the fields a body sends and leaves the rest to POLineDraft's defaults, so these tests
hold each default equal to what its reader makes of nothing."""

from __future__ import annotations

import pytest

from simulator.alma.model import POLineDraft
from simulator.api import schemas
from simulator.errors import IllegalValue

EVERY_FIELD = ("owner", "type", "vendor", "vendor_account", "acquisition_method", "price", "discount", "no_charge",
               "rush", "number", "resource_metadata", "fund_distribution", "location", "vendor_reference_number",
               "vendor_reference_number_type", "access_provider", "access_model", "license", "url",
               "interested_user", *schemas._TERM_FIELDS)  # not the fields kept as sent: a null one is kept


def test_every_plain_fields_default_is_what_its_reader_makes_of_nothing():
    defaults = POLineDraft()
    for name, read in schemas._PLAIN_FIELDS.items():
        assert getattr(defaults, name) == read(None), name
    assert defaults.acquisition_method == (schemas.code_of(None) or "PURCHASE")
    assert (defaults.price, defaults.price_text) == schemas.money_of(None, "price")
    assert defaults.discount == schemas.to_decimal(schemas.text_of(None) or "0")
    assert defaults.no_charge is schemas.flag_of(None, "no_charge")
    assert defaults.rush is schemas.flag_of(None, "rush")
    assert defaults.interested_users == schemas.interested_users_from_json(None)
    assert defaults.funds == [] and defaults.locations == [] and defaults.extra == {}


def test_the_renewal_terms_read_nothing_from_a_body_without_them():
    assert schemas._continuous_terms({}) == {}
    assert schemas._continuous_terms(dict.fromkeys(schemas._TERM_FIELDS - {"manual_renewal"})) == {}


def test_a_field_sent_as_null_reads_as_a_field_not_sent():
    assert schemas.draft_from_json(dict.fromkeys(EVERY_FIELD)) == schemas.draft_from_json({}) == POLineDraft()


def test_plain_fields_read_as_sent_in_either_form():
    draft = schemas.draft_from_json({"owner": " MAIN ", "vendor": {"value": "GOBI"}, "vendor_account": {"value": "A1"},
                                     "number": {"value": "ignored"}, "acquisition_method": "",
                                     "resource_metadata": {"title": " T ", "isbn": 9781234567897}})
    assert (draft.owner, draft.vendor, draft.vendor_account, draft.number) == ("MAIN", "GOBI", "A1", "")
    assert draft.acquisition_method == "PURCHASE"
    assert (draft.resource.title, draft.resource.isbn) == ("T", "9781234567897")


@pytest.mark.parametrize(("body", "refused_for"), [
    ({"rush": "maybe", "price": {"sum": "1", "currency": "EURO"}}, "price currency"),
    ({"no_charge": "maybe", "discount": "a lot"}, "discount"),
    ({"rush": "maybe", "no_charge": "perhaps"}, "no_charge"),
    ({"renewal_period": "soon", "location": [{"quantity": "2.5"}]}, "quantity"),
    ({"claiming_interval": "x", "rush": "maybe"}, "rush"),
])
def test_a_body_with_two_bad_fields_is_refused_for_the_first_in_reading_order(body, refused_for):
    with pytest.raises(IllegalValue, match=f"Given {refused_for} is illegal"):
        schemas.draft_from_json(body)


@pytest.mark.parametrize(("quantity", "copies"), [(None, 1), ("2", 2), (" 3 ", 3), ("007", 7), (4, 4), ("", 1)])
def test_a_quantity_reads_as_a_whole_number_of_copies(quantity, copies):
    body = {"location": [{"library": "MAIN", "shelving_location": "STACKS", "quantity": quantity}]}
    assert schemas.draft_from_json(body).locations[0].quantity == copies


@pytest.mark.parametrize("quantity", ["2.5", "²", "10001", [3], {"value": 2}, True])
def test_a_quantity_that_is_not_a_whole_number_of_copies_is_refused(quantity):
    with pytest.raises(IllegalValue, match="Given quantity is illegal"):
        schemas.draft_from_json({"location": [{"library": "MAIN", "quantity": quantity}]})
