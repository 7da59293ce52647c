"""Configuring an institution the way a librarian does in Alma: New Order API integration profiles,
funds, vendors, libraries, catalogue records and inventory. The seed loader and the admin API use these,
so seed data obeys the same rules as a scenario's set-up.

Profile rules (seed 001): Code, Name, Integration Type and System are mandatory; codes are unique; exactly
one profile may be the Default; "Add to Network Zone" needs "Use network zone"; every named normalization
process, validation exception profile and match method must exist in its registry.
Imports model, the registries and simulator.errors.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from simulator.alma.matching import MATCH_METHODS
from simulator.alma.model import (
    Bib, ElectronicCollection, ExternalCatalogSync, Fund, Holding, Institution, InventoryOperations, Item,
    NewOrderProfile, NoMatchAction, Portfolio, Vendor, World, Zone,
)
from simulator.alma.normalization import NORMALIZATION_PROCESSES
from simulator.alma.validation import VALIDATION_EXCEPTION_PROFILES
from simulator.errors import IllegalValue, MandatoryFieldMissing

INTEGRATION_TYPE = "NEW_ORDER_API"


def add_profile(world: World, institution_code: str, profile: NewOrderProfile, *, replace_existing: bool = False) -> NewOrderProfile:
    institution = world.institution(institution_code)
    profile = _with_enum_values(profile)
    for name in ("code", "name", "integration_type", "system"):
        if not str(getattr(profile, name)).strip():
            raise MandatoryFieldMissing(name)
    if profile.integration_type != INTEGRATION_TYPE:
        raise IllegalValue(f"Given integration_type is illegal: {profile.integration_type!r}; a New Order API "
                           f"profile has integration type {INTEGRATION_TYPE}.")
    with institution.lock:
        if profile.code in institution.profiles and not replace_existing:
            raise IllegalValue(f"Given code is illegal: profile {profile.code} already exists in {institution.name}.")
        others = {c: p for c, p in institution.profiles.items() if c != profile.code}
        current_default = next((p for p in others.values() if p.default), None)
        if profile.default and current_default is not None:
            raise IllegalValue(f"Given default is illegal: {current_default.code} is already the default profile "
                               f"of {institution.name}; only one profile may be the default.")
        if profile.upon_no_match is NoMatchAction.ADD_TO_NETWORK_ZONE and not (profile.use_network_zone and institution.network):
            raise IllegalValue("Given upon_no_match is illegal: Add to Network Zone needs a profile that uses the "
                               "network zone, in an institution that belongs to a network.")
        if profile.use_network_zone and not institution.network:
            raise IllegalValue(f"Given use_network_zone is illegal: {institution.name} belongs to no network.")
        if profile.normalization and profile.normalization not in NORMALIZATION_PROCESSES:
            raise IllegalValue(f"Given normalization is illegal: no process {profile.normalization!r}.")
        if profile.validation_exception_profile not in VALIDATION_EXCEPTION_PROFILES:
            raise IllegalValue(f"Given validation_exception_profile is illegal: "
                               f"{profile.validation_exception_profile!r}.")
        for method in (profile.serial_match_method, profile.non_serial_match_method):
            if method not in MATCH_METHODS:
                raise IllegalValue(f"Given match method is illegal: {method!r}; known: {', '.join(MATCH_METHODS)}.")
        institution.profiles[profile.code] = profile
    return profile


def _with_enum_values(profile: NewOrderProfile) -> NewOrderProfile:
    """Plain strings ("PHYSICAL", "ADD_TO_NZ" …) become the enum members the engine compares by identity."""
    try:
        return replace(profile, upon_no_match=NoMatchAction(profile.upon_no_match),
                       inventory_operations=InventoryOperations(profile.inventory_operations),
                       sync_with_external_catalog=ExternalCatalogSync(profile.sync_with_external_catalog))
    except ValueError as exc:
        raise IllegalValue(f"Given profile field is illegal: {exc}.") from None


def change_profile(world: World, institution_code: str, code: str, **changes: Any) -> NewOrderProfile:
    institution = world.institution(institution_code)
    current = institution.profiles.get(code)
    if current is None:
        raise IllegalValue(f"Given profile_code is illegal: {institution.name} has no profile {code!r}.")
    known = {f.name for f in fields(NewOrderProfile)}
    unknown = set(changes) - known
    if unknown:
        raise IllegalValue(f"Given profile field is illegal: {', '.join(sorted(unknown))}.")
    return add_profile(world, institution_code, replace(current, **changes), replace_existing=True)


def remove_profile(world: World, institution_code: str, code: str) -> None:
    world.institution(institution_code).profiles.pop(code, None)


def add_fund(world: World, institution_code: str, fund: Fund) -> Fund:
    institution = world.institution(institution_code)
    if fund.code in institution.funds:
        raise IllegalValue(f"Given fund code is illegal: fund {fund.code} already exists.")
    if fund.fiscal_period not in institution.fiscal_periods:
        raise IllegalValue(f"Given fiscal_period is illegal: {fund.fiscal_period!r}.")
    if not institution.knows_currency(fund.currency):
        raise IllegalValue(f"Given currency is illegal: {fund.currency!r}.")
    for library in fund.libraries:
        if library not in institution.libraries:
            raise IllegalValue(f"Given library is illegal: {library!r}.")
    institution.funds[fund.code] = fund
    return fund


def change_fund(world: World, institution_code: str, code: str, **changes: object) -> Fund:
    institution = world.institution(institution_code)
    with institution.lock:
        fund = institution.funds.get(code)
        if fund is None:
            raise IllegalValue(f"Given fund_code is illegal: {institution.name} has no fund {code!r}.")
        for name, value in changes.items():
            if not hasattr(fund, name) or name in ("id", "code"):
                raise IllegalValue(f"Given fund field is illegal: {name}.")
            setattr(fund, name, value)
        return fund


def add_vendor(world: World, institution_code: str, vendor: Vendor) -> Vendor:
    institution = world.institution(institution_code)
    if vendor.code in institution.vendors:
        raise IllegalValue(f"Given vendor code is illegal: vendor {vendor.code} already exists.")
    if not vendor.code or not vendor.name:
        raise MandatoryFieldMissing("code" if not vendor.code else "name")
    institution.vendors[vendor.code] = vendor
    return vendor


def add_bib(world: World, institution_code: str, bib: Bib) -> Bib:
    """Catalogue a full record in the institution zone (not an order's brief record)."""
    institution = world.institution(institution_code)
    with institution.lock:
        bib = replace(bib, mms_id=bib.mms_id or institution.new_id("99"), zone=Zone.INSTITUTION)
        return institution.catalogue.add(bib)


def add_holding(world: World, institution_code: str, mms_id: str, library: str, location: str,
                items: int = 1) -> Holding:
    institution = world.institution(institution_code)
    with institution.lock:
        if library not in institution.libraries or location not in institution.libraries[library].locations:
            raise IllegalValue(f"Given location is illegal: {library}/{location}.")
        holding = Holding(id=institution.new_id("22"), mms_id=mms_id, library=library, location=location)
        institution.add_holding(holding)
        for _ in range(items):
            item = Item(id=institution.new_id("23"), holding_id=holding.id, mms_id=mms_id, po_line="",
                        barcode=f"{institution.code[-3:]}-{institution.barcodes.take():07d}", received=True)
            institution.items[item.id] = item
        return holding


def add_portfolio(world: World, institution_code: str, mms_id: str, platform: str, *, available: bool = True,
                  access_model: str = "", community_id: str = "") -> Portfolio:
    """An institution portfolio for a record: local, or activated from a Community Zone portfolio."""
    institution = world.institution(institution_code)
    with institution.lock:
        bib = institution.catalogue.bibs[mms_id]
        collection_id = ""
        if community_id:
            cz_portfolio = world.community_zone.portfolios[community_id]
            platform = cz_portfolio.platform
            cz_collection = world.community_zone.collections.get(cz_portfolio.collection_id)
            if cz_collection is not None:
                collection_id = activated_collection(institution, cz_collection).id
        portfolio = Portfolio(id=institution.new_id("53"), mms_id=mms_id, platform=platform, title=bib.title,
                              isbn=bib.isbns[0] if bib.isbns else "", available=available,
                              access_model=access_model, community_id=community_id, collection_id=collection_id)
        institution.add_portfolio(portfolio)
        return portfolio


def activated_collection(institution: Institution, cz_collection: ElectronicCollection) -> ElectronicCollection:
    """The institution's activation of a Community Zone collection, activating it on first use."""
    for collection in institution.collections.values():
        if collection.community_id == cz_collection.id:
            return collection
    local = ElectronicCollection(id=institution.new_id("61"), name=cz_collection.name,
                                 platform=cz_collection.platform, zone=Zone.INSTITUTION,
                                 community_id=cz_collection.id)
    institution.collections[local.id] = local
    return local
