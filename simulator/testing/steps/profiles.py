"""Steps about New Order API integration profiles: how each vendor's orders are handled (seed 001)."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from simulator.testing.steps._alma import attempt, edit_profile, integration_profiles, profile_code_for
from simulator.testing.steps._types import EXTRA_TYPES, FUND_CHECKS

# A complete, valid profile a librarian might add for JSTOR's ebooks (step 1 and step 2 left at defaults).
NEW_PROFILE = {"name": "JSTOR ebook orders", "integration_type": "NEW_ORDER_API", "system": "JSTOR",
               "description": "Real-time orders for JSTOR ebooks"}


@given(parsers.parse('"Do not create order in case of" "{check:FundCheck}" is ticked in the {vendor:Vendor} '
                     'integration profile', extra_types=EXTRA_TYPES))
def check_ticked(alma, vendor, check):
    """Only this check is at play: the profile's other two checks are left not ticked."""
    edit_profile(alma, profile_code_for(alma, vendor), **{c: c == check for c in FUND_CHECKS.values()})


@given(parsers.parse('"Do not create order in case of" "{check:FundCheck}" is not ticked in the {vendor:Vendor} '
                     'integration profile', extra_types=EXTRA_TYPES))
def check_not_ticked(alma, vendor, check):
    edit_profile(alma, profile_code_for(alma, vendor), **{c: False for c in FUND_CHECKS.values()})


@given(parsers.parse('"{kind} match method" is "{method:MatchMethod}" in the {vendor:Vendor} integration profile',
                     extra_types=EXTRA_TYPES))
def match_method(alma, vendor, kind, method):
    setting = {"Non Serial": "non_serial_match_method", "Serial": "serial_match_method"}[kind]
    edit_profile(alma, profile_code_for(alma, vendor), **{setting: method})


@given(parsers.parse('"Prefer record with the same inventory type" is {prefer:YesNo} in the {vendor:Vendor} '
                     'integration profile, with Inventory Operations "{operations:Operations}"',
                     extra_types=EXTRA_TYPES))
def inventory_preference(alma, prefer, vendor, operations):
    edit_profile(alma, profile_code_for(alma, vendor), prefer_same_inventory_type=prefer,
                 inventory_operations=operations)


@given(parsers.parse('"Handle invalid data using" is "{policy:Policy}" in the {vendor:Vendor} integration profile',
                     extra_types=EXTRA_TYPES))
def validation_policy(alma, vendor, policy):
    edit_profile(alma, profile_code_for(alma, vendor), validation_exception_profile=policy)


@given(parsers.parse('"Synchronize with External Catalog?" is "{tag:Tag}" in the {vendor:Vendor} integration '
                     'profile', extra_types=EXTRA_TYPES))
def management_tag(alma, vendor, tag):
    edit_profile(alma, profile_code_for(alma, vendor), sync_with_external_catalog=tag)


@given(parsers.parse("Hudson Valley University has no integration profile for {vendor:Vendor}",
                     extra_types=EXTRA_TYPES))
def no_profile_for(alma, vendor):
    alma.remove_profile(profile_code_for(alma, vendor))


@given("Hudson Valley University has no New Order API integration profile at all")
def no_profiles(alma):
    for profile in integration_profiles(alma):
        alma.remove_profile(profile["code"])


@when(parsers.parse('the librarian saves the integration profile "{code}" without its {field:ProfileField}',
                    extra_types=EXTRA_TYPES), target_fixture="outcome")
def save_without(alma, code, field):
    blank = " " if field == "code" else code  # a profile's code is also its address: a blank one is sent as such
    return attempt(alma, lambda: alma.configure_profile(blank, {**NEW_PROFILE, field: ""}))


@when(parsers.parse('the librarian saves the integration profile "{code}" as the default'), target_fixture="outcome")
def save_as_default(alma, code):
    return attempt(alma, lambda: alma.configure_profile(code, {**NEW_PROFILE, "default": True}))


@when(parsers.parse('the librarian saves the integration profile "{code}" with the description "{text}"'),
      target_fixture="outcome")
def save_with_description(alma, code, text):
    return attempt(alma, lambda: alma.configure_profile(code, {**NEW_PROFILE, "description": text}))


@when(parsers.parse('the librarian saves the integration profile "{code}" with "Upon no match" set to Add to Network '
                    'Zone and "Use network zone" not ticked'), target_fixture="outcome")
def save_add_to_nz_without_nz(alma, code):
    return attempt(alma, lambda: alma.configure_profile(code, {**NEW_PROFILE, "upon_no_match": "ADD_TO_NZ"}))


@then(parsers.parse("the integration profile is refused because its {field:ProfileField} is mandatory",
                    extra_types=EXTRA_TYPES))
def refused_mandatory(outcome, field):
    assert outcome.error is not None, "Alma saved the profile"
    assert outcome.error.code == "401664" and field in outcome.error.message, str(outcome.error)


@then(parsers.parse('the integration profile is saved with the description "{text}"'))
def saved_with_description(outcome, text):
    assert outcome.error is None, str(outcome.error)
    assert outcome.value["description"] == text


@then(parsers.parse("Hudson Valley University still has {count:d} integration profiles"))
def profile_count(alma, count):
    assert len(integration_profiles(alma)) == count
