"""A vendor's API key under an API Restrictions integration profile (Developer Network blog "Working with API
restriction profiles"): which vendor every PO line the key creates or updates must carry, and whether the funds
the key reads show their balances. The key → profile lookup happens at the edge (it knows the key); this module
rules on what the profile allows. Configuring a profile (the world file, the librarian's endpoint) goes through `configure`. Imports model and
simulator.errors.

[decision] A line the key sends for another vendor, or with no vendor at all, is refused with 400 `401872`
("Given vendor is illegal.", naming the profile's vendor): the blog says only lines with the profile's vendor
are created and gives no error code, and 401872 is how the simulator refuses every other illegal value. The
refusal comes before anything is planned, so it leaves no trace.
"""

from __future__ import annotations

from typing import Any

from simulator.alma.model import FUND_VIEWS, ApiRestrictionProfile, Institution, POLineDraft, World
from simulator.errors import IllegalValue, MandatoryFieldMissing, Unauthorized


def profile_for(institution: Institution, code: str) -> ApiRestrictionProfile | None:
    """The API Restrictions profile a key names (None for an unrestricted key)."""
    return institution.api_restrictions.get(code) if code else None


def check_vendor(profile: ApiRestrictionProfile | None, draft: POLineDraft) -> None:
    """The profile's vendor must be the vendor of the PO line sent; a profile without a vendor allows any."""
    if profile is None or not profile.vendor or draft.vendor == profile.vendor:
        return
    sent = f"vendor {draft.vendor!r}" if draft.vendor else "no vendor"
    raise IllegalValue(f"Given vendor is illegal. This API key may create and update PO lines only for vendor "
                       f"{profile.vendor} (API Restrictions profile {profile.code}); the PO line has {sent}.")


def check_update(profile: ApiRestrictionProfile | None, current_vendor: str, draft: POLineDraft) -> None:
    """[decision] An update by a restricted key keeps to its vendor twice: the line must already be the
    vendor's, and the new version must carry the vendor too."""
    if profile is not None and profile.vendor and current_vendor != profile.vendor:
        raise IllegalValue(f"Given vendor is illegal. This API key may update PO lines only for vendor "
                           f"{profile.vendor} (API Restrictions profile {profile.code}); the PO line is ordered "
                           f"from {current_vendor or 'no vendor'}.")
    check_vendor(profile, draft)


def shows_fund_balances(profile: ApiRestrictionProfile | None) -> bool:
    """Fund view: a key without a profile, or with the Full view, reads the balances; Limited hides them."""
    return profile is None or profile.fund_view != "LIMITED"


def check_fund_transactions(profile: ApiRestrictionProfile | None, *, posting: bool) -> None:
    """[decision] A restricted key keeps out of the library's bookkeeping: it may never post a fund transaction
    (an allocation or a transfer moves the library's money), and with the Limited fund view it may not read the
    transactions either (their amounts would show what the hidden balances hide). Both are refused with 401
    UNAUTHORIZED, as a key not configured for an API is, naming the profile; a Full view reads them."""
    if profile is None:
        return
    if posting:
        raise Unauthorized(f"API-key not configured to allow this API: a key under API Restrictions profile "
                           f"{profile.code} may not post fund transactions.")
    if not shows_fund_balances(profile):
        raise Unauthorized(f"API-key not configured to allow this API: API Restrictions profile {profile.code} has "
                           f"the Limited fund view, which shows no fund transactions.")


_FIELDS = ("code", "name", "description", "vendor", "fund_view")


def profile_from_table(table: dict[str, Any]) -> ApiRestrictionProfile:
    """A profile from a TOML/JSON table whose keys are ApiRestrictionProfile's field names."""
    unknown = [name for name in table if name not in _FIELDS]
    if unknown:
        raise IllegalValue(f"Given API Restrictions profile field is illegal: {', '.join(unknown)}; fields: "
                           f"{', '.join(_FIELDS)}.")
    values = {name: table[name] for name in _FIELDS if name in table}
    if not all(isinstance(v, str) for v in values.values()):
        raise IllegalValue("Given API Restrictions profile is illegal: every field is a string.")
    values["fund_view"] = str(values.get("fund_view", "FULL")).upper()
    return ApiRestrictionProfile(**values)


def configure(world: World, institution_code: str, profile: ApiRestrictionProfile) -> ApiRestrictionProfile:
    """Create or replace an API Restrictions profile: its vendor must be one of the institution's vendors."""
    institution = world.institution(institution_code)
    if not profile.code.strip():
        raise MandatoryFieldMissing("code")
    if profile.fund_view not in FUND_VIEWS:
        raise IllegalValue(f"Given fund_view is illegal: {profile.fund_view!r}; one of {', '.join(FUND_VIEWS)}.")
    if profile.vendor and profile.vendor not in institution.vendors:
        raise IllegalValue(f"Given vendor is illegal. {institution.name} has no vendor {profile.vendor!r}.")
    if profile.code in institution.profiles:
        raise IllegalValue(f"Given code is illegal: {profile.code} is a New Order API profile of {institution.name}.")
    with institution.lock:
        institution.api_restrictions[profile.code] = profile
    return profile
