"""Creating PO lines: the vendor's Create PO line call (ORDERING-RULES §2, §3) and the librarian's orders
from an institution bib or from a Community Zone record's portfolio list (§4).

Every order is first *planned* — validated, normalized, matched, its funds checked, its inventory chosen —
without touching the world; only a plan that passes is *committed*. A refused order therefore leaves no
trace: no bib, portfolio, encumbrance or number is consumed. Planning and committing happen under the
institution's lock, so concurrent orders never overspend a fund or share a PO line number.
"In Review" is an outcome (a status with alerts), never an exception.
Imports model, alerts, funds, restrictions and review_rules, configuration (collection activation), the registries' modules and
simulator.clock/errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from simulator.alma import alerts, records, renewals, restrictions, review_rules
from simulator.alma.configuration import activated_collection
from simulator.alma.funds import FundPlan, encumber, net_price, plan_funds, refuse_or_alert
from simulator.alma.letters import check_interested_users
from simulator.alma.matching import MATCH_METHODS, choose, order_inventory
from simulator.alma.model import (
    DEFAULT_SETTINGS_PROFILE, Alert, ApiRestrictionProfile, Bib, ElectronicCollection, Holding, Institution, Inventory, Item,
    NewOrderProfile, NoMatchAction, OrderedLocation, POLine, POLineDraft, POLineStatus, POLineType, Portfolio,
    PurchaseOrder, ResourceMetadata, Vendor, World, Zone,
)
from simulator.alma.normalization import normalize_order
from simulator.alma.portfolio_search import (
    ActivateFromCommunityZone, CreateLocalPortfolio, PortfolioDecision, PortfolioFound, institution_portfolio,
    search_for,
)
from simulator.alma.validation import VALIDATION_EXCEPTION_PROFILES, metadata_problems
from simulator.clock import Clock, alma_date
from simulator.errors import IllegalValue, MandatoryFieldMissing, NoChargeNotAllowed, NotFound, POLineExists

ACQUISITION_METHODS = {
    "PURCHASE": "Purchase", "PURCHASE_NOLETTER": "Purchase - no letter",
    "VENDOR_SYSTEM": "Purchase at Vendor System", "TECHNICAL": "Technical", "LEGAL_DEPOSIT": "Legal Deposit",
    "GIFT": "Gift", "APPROVAL": "Approval plan", "EXCHANGE": "Exchange", "DEPOSITORY": "Depository",
}
# [decision] no_charge is allowed only where nothing is paid for; a purchase method with no_charge → 60320.
NO_CHARGE_METHODS = frozenset({"GIFT", "EXCHANGE", "DEPOSITORY", "LEGAL_DEPOSIT", "TECHNICAL", "APPROVAL"})
LICENSE_UPGRADE = "LICENSE_UPGRADE"  # [decision] the code of the "License Upgrade" PO line type

# Enum members the create path reads for every order, as plain module names: in Python 3.11 reading a member through
# its class (POLineStatus.IN_REVIEW) goes through EnumType's Python-level attribute hook; these are the same members.
_IN_REVIEW, _SENT, _AUTO_PACKAGING, _CANCELLED = (POLineStatus.IN_REVIEW, POLineStatus.SENT,
                                                  POLineStatus.AUTO_PACKAGING, POLineStatus.CANCELLED)
_PHYSICAL, _ELECTRONIC, _COLLECTION = Inventory.PHYSICAL, Inventory.ELECTRONIC, Inventory.COLLECTION
_NETWORK = Zone.NETWORK
_ZERO, _HUNDRED = Decimal(0), Decimal(100)  # the bounds of a percentage (made once: Decimals never change)
_PO_LINE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # usable in a path: GET /acq/po-lines/{number}


# ---------------------------------------------------------------- the plan --------------------------------------


@dataclass(slots=True)
class _Plan:
    draft: POLineDraft
    profile: NewOrderProfile
    line_type: POLineType
    vendor: Vendor | None
    alerts: list[Alert]
    funds: FundPlan
    bib: Bib | None = None  # an existing institution record
    network_bib: Bib | None = None  # a Network Zone record the institution links to
    new_bib_zone: Zone | None = None  # no match: a brief record in this zone
    platform: str = ""
    portfolio: PortfolioDecision | None = None
    upgrade_portfolio: Portfolio | None = None
    bib_only: bool = False  # the line links to the bib only (assign inventory manually, portfolio taken)
    collection: ElectronicCollection | None = None  # existing IZ collection, or a CZ one to activate
    locations: list[OrderedLocation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what metadata_problems found in the normalized record
    isbn_sent: str = ""  # the order's isbn field as sent: every ISBN in it becomes a brief record's 020 (_bring_bib)


# ---------------------------------------------------------------- profile selection -----------------------------


def select_profile(institution: Institution, profile_code: str | None, vendor: Vendor | None) -> NewOrderProfile:
    """`profile_code` → that profile; else the one whose System is the vendor's system; else the Default;
    with no profile at all, ISBN/ISSN matching with default settings (ORDERING-RULES §2.1)."""
    if profile_code:
        profile = institution.profiles.get(profile_code)
        if profile is None:
            raise IllegalValue(f"Given profile_code is illegal. {institution.name} has no New Order API "
                               f"integration profile {profile_code!r}.")
        return profile
    if vendor is not None:
        for profile in institution.profiles.values():
            if profile.system and profile.system == vendor.system:
                return profile
    return institution.default_profile() or DEFAULT_SETTINGS_PROFILE


# ---------------------------------------------------------------- hard validation -------------------------------


def _require(draft: POLineDraft) -> None:
    if not draft.owner:
        raise MandatoryFieldMissing("owner")
    if not draft.type:
        raise MandatoryFieldMissing("type")
    if not draft.resource.title.strip() and not draft.resource.mms_id.strip():
        raise MandatoryFieldMissing("title")


def validate_hard(institution: Institution, draft: POLineDraft) -> tuple[POLineType, Vendor | None]:
    """The refusals of ORDERING-RULES §2.2. Returns the line type and the vendor."""
    _require(draft)
    if draft.number and not _PO_LINE_NUMBER.fullmatch(draft.number):
        raise IllegalValue(f"Given number is illegal: {draft.number!r}; a PO line number is letters, digits, "
                           f"'.', '_' and '-' (at most 64).")
    if draft.number and draft.number in institution.po_lines:
        raise POLineExists(f"PoLine {draft.number} already exists.")
    if draft.owner not in institution.libraries and draft.owner != institution.code:
        raise IllegalValue(f"Given owner is illegal. {institution.name} has no library {draft.owner!r}.")
    line_type = institution.po_line_types.get(draft.type)
    if line_type is None or not line_type.enabled:
        enabled = ", ".join(code for code, t in institution.po_line_types.items() if t.enabled)
        raise IllegalValue(f"Given type is illegal. PO line type {draft.type!r} is not enabled in "
                           f"{institution.name}. Enabled types are: [{enabled}]")
    if draft.acquisition_method not in ACQUISITION_METHODS:
        raise IllegalValue(f"Given acquisition_method is illegal: {draft.acquisition_method!r}.")
    vendor = None
    if draft.vendor:
        vendor = institution.vendors.get(draft.vendor)
        if vendor is None:
            raise IllegalValue(f"Given vendor is illegal. {institution.name} has no vendor {draft.vendor!r}.")
        if draft.vendor_account and draft.vendor_account not in vendor.accounts:
            raise IllegalValue(f"Given vendor_account is illegal. Vendor {vendor.code} has no account "
                               f"{draft.vendor_account!r}.")
    if draft.price is None and draft.price_text:
        raise IllegalValue(f"Given price is illegal: {draft.price_text!r} is not an amount.")
    if draft.price is not None:
        if draft.price.amount < _ZERO:
            raise IllegalValue(f"Given price is illegal: {draft.price} is negative.")
        if not institution.knows_currency(draft.price.currency):
            raise IllegalValue(f"Given currency is illegal: {draft.price.currency!r} has no exchange rate in "
                               f"{institution.name}.")
    if not _ZERO <= draft.discount <= _HUNDRED:
        raise IllegalValue(f"Given discount is illegal: {draft.discount} is not a percentage.")
    for share in draft.funds:
        if share.amount is not None and (share.amount.amount < _ZERO
                                         or not institution.knows_currency(share.amount.currency)):
            raise IllegalValue(f"Given fund_distribution amount is illegal: {share.amount}.")
        if share.percent is not None and not _ZERO <= share.percent <= _HUNDRED:
            raise IllegalValue(f"Given fund_distribution percent is illegal: {share.percent}.")
    if draft.no_charge and draft.acquisition_method not in NO_CHARGE_METHODS:
        raise NoChargeNotAllowed(
            f"No charge is not allowed for this PO line configuration: acquisition method "
            f"{draft.acquisition_method} is a purchase.")
    for location in draft.locations:
        library = institution.libraries.get(location.library)
        if library is None:
            raise IllegalValue(f"Given library is illegal. {institution.name} has no library {location.library!r}.")
        if location.location and location.location not in library.locations:
            raise IllegalValue(f"Given shelving_location is illegal. {library.name} has no location "
                               f"{location.location!r}.")
        if location.quantity < 1:
            raise IllegalValue(f"Given quantity is illegal: {location.quantity}.")
    if draft.interested_users:  # (no one named: nothing to check)
        check_interested_users(institution, draft.interested_users)
    if draft.resource.mms_id:
        bib = institution.catalogue.bibs.get(draft.resource.mms_id)
        if bib is None or bib.suppressed:
            raise IllegalValue(f"Given mms_id is illegal. No record {draft.resource.mms_id} in the institution "
                               f"zone of {institution.name}.")
    if line_type.code == LICENSE_UPGRADE and draft.access_model not in institution.upgrade_access_models:
        allowed = ", ".join(institution.upgrade_access_models)
        raise IllegalValue(f"Given access_model is illegal. A License Upgrade takes one of the upgrade access "
                           f"models ({allowed}), not {draft.access_model or 'none'!r}.")
    return line_type, vendor


def missing_parts_text(draft: POLineDraft, vendor: Vendor | None) -> str:
    """The parts a line still needs before it can leave In Review, as one sentence (empty when complete)."""
    return " ".join(a.text for a in alerts.missing_parts(draft, vendor))


# ---------------------------------------------------------------- planning --------------------------------------


def owning_library(institution: Institution, draft: POLineDraft) -> str:
    """The library the line's funds must be available for: the owner, else the first ordered library."""
    if draft.owner in institution.libraries:
        return draft.owner
    return draft.locations[0].library if draft.locations else next(iter(institution.libraries))


def _plan(world: World, institution: Institution, draft: POLineDraft, profile_code: str | None,
          forced_portfolio: PortfolioDecision | None = None) -> _Plan:
    line_type, vendor = validate_hard(institution, draft)
    profile = select_profile(institution, profile_code, vendor)
    draft_isbn = draft.resource.isbn
    record = normalize_order(draft.resource, vendor, profile, institution.code)
    draft = _own_copy(draft)  # the plan's own draft: the caller's is never changed
    draft.resource = record
    found_alerts: list[Alert] = []

    problems = metadata_problems(record)
    if problems:
        policy = VALIDATION_EXCEPTION_PROFILES.get(profile.validation_exception_profile)
        if policy.on_invalid == "reject":
            raise IllegalValue(f"Given resource_metadata is illegal: {'; '.join(problems)} "
                               f"(validation exception profile {policy.name}).")
        if policy.on_invalid == "alert":
            found_alerts += [alerts.invalid_metadata(p) for p in problems]

    found_alerts += alerts.missing_parts(draft, vendor)
    found_alerts += renewals.order_alerts(line_type, draft)  # continuous orders: renewal terms (renewals.py)
    net = net_price(institution, draft, vendor)
    owner = owning_library(institution, draft)
    funds = plan_funds(institution, draft, owner, net)
    if funds.problems:  # (refuse_or_alert has nothing to say about a plan without problems)
        found_alerts += refuse_or_alert(profile, funds)
    found_alerts += review_rules.review(institution, draft, owner, net)

    plan = _Plan(draft=draft, profile=profile, line_type=line_type, vendor=vendor, alerts=found_alerts,
                 funds=funds, problems=problems, isbn_sent=draft_isbn)
    _plan_bib(world, institution, plan)
    _plan_inventory(world, institution, plan, forced_portfolio)
    return plan


def _own_copy(draft: POLineDraft) -> POLineDraft:
    """A shallow copy, as copy.copy makes one (a new instance whose dict is a copy of the draft's), without
    copy's generic reduce protocol; the dict copied whole rather than key by key into an empty one."""
    own = object.__new__(type(draft))
    own.__dict__ = draft.__dict__.copy()
    return own


def _plan_bib(world: World, institution: Institution, plan: _Plan) -> None:
    record, profile = plan.draft.resource, plan.profile
    if record.mms_id:
        plan.bib = institution.catalogue.bibs[record.mms_id]
        return
    method = MATCH_METHODS.get(profile.serial_match_method if plan.line_type.serial
                               else profile.non_serial_match_method)
    candidates = method(institution.catalogue, record)
    network = world.network_of(institution) if profile.use_network_zone else None
    if network is not None:
        seen = {c.mms_id for c in candidates}
        for nz_bib in method(network.catalogue, record):
            local = _linked_record(institution, nz_bib.mms_id)
            if local is None:
                candidates.append(nz_bib)
            elif local.mms_id not in seen:
                candidates.append(local)
                seen.add(local.mms_id)
    if not candidates:
        wants_network = profile.upon_no_match is NoMatchAction.ADD_TO_NETWORK_ZONE and network is not None
        plan.new_bib_zone = Zone.NETWORK if wants_network else Zone.INSTITUTION
        return
    if len(candidates) == 1:
        winner = candidates[0]  # what choose gives one candidate: it wins, passing over none
    else:
        wanted = order_inventory(profile.inventory_operations, plan.line_type.inventory)
        choice = choose(candidates, wanted, lambda b: institution.inventory_of(b.mms_id)
                        if b.zone is Zone.INSTITUTION else Inventory.NONE, profile.prefer_same_inventory_type)
        if choice.passed_over and not choice.by_preference:
            plan.alerts.append(alerts.several_matches(choice.winner, choice.passed_over))
        winner = choice.winner
    if winner.zone is _NETWORK:
        plan.network_bib = winner
    else:
        plan.bib = winner


def _linked_record(institution: Institution, network_mms_id: str) -> Bib | None:
    return institution.catalogue.linked_to(network_mms_id)


def _plan_inventory(world: World, institution: Institution, plan: _Plan,
                    forced_portfolio: PortfolioDecision | None) -> None:
    draft, kind = plan.draft, plan.line_type.inventory
    mms_id = plan.bib.mms_id if plan.bib else ""
    if plan.line_type.code == LICENSE_UPGRADE:
        target = _portfolio_to_upgrade(institution, plan, mms_id)
        plan.upgrade_portfolio = target
        return
    if kind is _PHYSICAL:
        plan.locations = _plan_locations(institution, draft)
        if mms_id and institution.holdings_by_bib.get(mms_id):
            plan.alerts.append(alerts.inventory_exists_physical(institution, mms_id))
        return
    if kind is not _COLLECTION and kind is not _ELECTRONIC:
        return
    # [decision] the platform is the order's access_provider, else the vendor's default interface (§3)
    plan.platform = draft.access_provider or (plan.vendor.default_platform if plan.vendor else "")
    if kind is _COLLECTION:
        plan.collection = _find_collection(world, institution, plan.platform, draft.resource.title)
        return
    if draft.assign_inventory_manually:
        plan.bib_only = True
        return
    if forced_portfolio is not None:
        decision = forced_portfolio
    elif draft.source_type != "API":
        # the librarian's order from the bib without "assign inventory manually": a new portfolio (seed 000)
        decision = CreateLocalPortfolio()
        existing = institution_portfolio(institution, mms_id, plan.platform) if mms_id else None
        if existing is not None:
            plan.alerts.append(alerts.inventory_exists_electronic(existing))
    else:
        system = plan.vendor.system if plan.vendor else "OTHER"
        decision = search_for(system)(institution, world.community_zone, mms_id, plan.platform, draft.resource)
    if isinstance(decision, PortfolioFound) and decision.portfolio.po_line:
        other = institution.po_lines.get(decision.portfolio.po_line)
        if other is not None and other.status is not _CANCELLED:
            plan.bib_only = True
            plan.alerts.append(alerts.portfolio_has_po_line(decision.portfolio, other.number))
    plan.portfolio = decision


def _portfolio_to_upgrade(institution: Institution, plan: _Plan, mms_id: str) -> Portfolio:
    portfolios = [institution.portfolios[p] for p in institution.portfolios_by_bib.get(mms_id, ())]
    platform = plan.draft.access_provider
    if platform:
        portfolios = [p for p in portfolios if p.platform == platform] or portfolios
    if not portfolios:
        raise IllegalValue(f"Given mms_id is illegal. A License Upgrade needs a record with a portfolio; "
                           f"{mms_id or 'the matched record'} has none in {institution.name}.")
    return portfolios[0]


def _plan_locations(institution: Institution, draft: POLineDraft) -> list[OrderedLocation]:
    if draft.locations:
        result = []
        for loc in draft.locations:
            library = institution.libraries[loc.library]
            result.append(OrderedLocation(library=loc.library, quantity=loc.quantity, item_policy=loc.item_policy,
                                          location=loc.location or library.default_location.code))
        return result
    # [decision] a physical line with no location gets one copy at the owning library's first location
    library = institution.libraries.get(draft.owner) or next(iter(institution.libraries.values()))
    return [OrderedLocation(library=library.code, location=library.default_location.code, quantity=1)]


def _find_collection(world: World, institution: Institution, platform: str, name: str) -> ElectronicCollection | None:
    wanted = name.strip().casefold()
    for collection in institution.collections.values():
        if collection.platform == platform and collection.name.casefold() == wanted:
            return collection
    for collection in world.community_zone.collections.values():
        if collection.platform == platform and collection.name.casefold() == wanted:
            return collection
    return None


# ---------------------------------------------------------------- committing ------------------------------------


def _commit(world: World, institution: Institution, plan: _Plan, clock: Clock) -> POLine:
    draft = plan.draft
    number = draft.number or _next_po_line_number(institution)
    today = alma_date(clock.now())
    bib = plan.bib or _bring_bib(world, institution, plan, number, today)
    # the line takes the plan's list of alerts as its own: the plan ends with this commit
    line = POLine(number=number, status=_IN_REVIEW, draft=draft, mms_id=bib.mms_id,
                  profile=plan.profile.code, created_date=today, status_date=today, alerts=plan.alerts,
                  net_price=plan.funds.net_price)
    _describe(draft.resource, bib)
    _create_inventory(world, institution, plan, line, bib)
    review = draft.requires_manual_review or _any_review(line.alerts)
    if draft.requires_manual_review:
        line.alerts.append(alerts.MANUAL_REVIEW)
    if not review:
        release_for_processing(institution, line, plan.funds, clock, today)
    if institution.asynchronous_processing_seconds:
        line.visible_after = clock.now().timestamp() + institution.asynchronous_processing_seconds
    institution.add_po_line(line)
    return line


def _any_review(found: list[Alert]) -> bool:
    """any(alert.review for alert in found), as a plain loop (cheaper than any() over a generator)."""
    for alert in found:
        if alert.review:
            return True
    return False


def _next_po_line_number(institution: Institution) -> str:
    """The next generated number, skipping any a vendor already gave a line: numbers are never reused (§1)."""
    while (number := f"POL-{institution.po_line_numbers.take()}") in institution.po_lines:
        pass
    return number


def _describe(resource: ResourceMetadata, bib: Bib) -> None:
    """The line's resource metadata (the plan's own copy) names its bib; what the order left out (an order by
    MMS ID sends no title) is taken from the record, as Alma shows the record's title on the PO line."""
    resource.mms_id = bib.mms_id
    resource.title = resource.title or bib.title
    resource.author = resource.author or bib.author
    resource.isbn = resource.isbn or (bib.isbns[0] if bib.isbns else "")
    resource.issn = resource.issn or (bib.issns[0] if bib.issns else "")
    resource.publisher = resource.publisher or bib.publisher
    resource.publication_year = resource.publication_year or bib.publication_year


def release_for_processing(institution: Institution, line: POLine, funds: FundPlan, clock: Clock,
                           today: str = "") -> None:
    """The line leaves In Review: its funds are encumbered, then it is packaged (ORDERING-RULES §2.13–14).
    `today` is the clock's day when the caller has just read it (a new line: the day it was created)."""
    today = today or alma_date(clock.now())  # one reading of the clock for the encumbrances and the status date
    encumber(institution, line, funds.charges, today)
    line.status_date = today
    if line.draft.acquisition_method == "VENDOR_SYSTEM":
        po_number = f"PO-{institution.po_numbers.take()}"
        institution.purchase_orders[po_number] = PurchaseOrder(
            number=po_number, vendor=line.draft.vendor, po_lines=[line.number], sent_date=line.status_date)
        line.po_number = po_number
        line.status = _SENT
    else:
        line.status = _AUTO_PACKAGING


def _bring_bib(world: World, institution: Institution, plan: _Plan, number: str, today: str) -> Bib:
    """The institution record the line attaches to: a link to a Network Zone record, or a new brief record.
    Its MARC (020 every ISBN, 022, 035, 100, 245, 264 …) is built from these fields when it is read
    (simulator.alma.records)."""
    network = world.network_of(institution)
    if plan.network_bib is not None:
        return _link_network_record(institution, plan.network_bib, plan.profile)
    record = plan.draft.resource
    brief = Bib(mms_id="", zone=Zone.INSTITUTION, title=record.title, author=record.author,
                isbns=_every_isbn(record.isbn, records.identifiers_in(plan.isbn_sent)),
                issns=[record.issn] if record.issn else [],
                publisher=record.publisher, publication_place=record.publication_place,
                publication_year=record.publication_year, system_numbers=list(record.system_control_numbers),
                vendor_title_numbers=[record.vendor_title_number] if record.vendor_title_number else [],
                brief=True, local_notes=list(record.local_notes),
                publish_to_external_catalog=plan.profile.sync_with_external_catalog.value,
                created_by_order=number, validation_problems=plan.problems,  # (found in this record when planned)
                metadata_template=institution.metadata_template.name,
                language=institution.metadata_template.language,
                encoding_level=institution.metadata_template.encoding_level, created=today, modified=today)
    if plan.new_bib_zone is Zone.NETWORK and network is not None:
        nz_bib = replace(brief, zone=Zone.NETWORK,
                         mms_id=f"99{network.sequence.take():010d}{network.mms_suffix}")
        network.catalogue.add(nz_bib)
        return _link_network_record(institution, nz_bib, plan.profile)
    brief.mms_id = institution.new_id("99")
    return institution.catalogue.add(brief)


def _every_isbn(normalized: str, sent: list[str]) -> list[str]:
    """The normalized ISBN first (matching keys on it), then the other ISBNs the order sent in the same field."""
    first = [normalized] if normalized else []
    return first + [i for i in sent if i not in first]


def _link_network_record(institution: Institution, nz_bib: Bib, profile: NewOrderProfile) -> Bib:
    existing = _linked_record(institution, nz_bib.mms_id)
    if existing is not None:
        return existing
    local = replace(nz_bib, zone=Zone.INSTITUTION, mms_id=institution.new_id("99"), network_mms_id=nz_bib.mms_id,
                    isbns=list(nz_bib.isbns), issns=list(nz_bib.issns), local_notes=list(nz_bib.local_notes),
                    system_numbers=list(nz_bib.system_numbers),
                    vendor_title_numbers=list(nz_bib.vendor_title_numbers),
                    publish_to_external_catalog=profile.sync_with_external_catalog.value)  # a bib it creates (§2.10)
    return institution.catalogue.add(local)


def _create_inventory(world: World, institution: Institution, plan: _Plan, line: POLine, bib: Bib) -> None:
    if plan.upgrade_portfolio is not None:
        portfolio = plan.upgrade_portfolio
        portfolio.additional_po_lines.append(line.number)
        portfolio.access_model = line.draft.access_model
        line.portfolio_ids.append(portfolio.id)
        line.portfolio_outcome = "upgrade"
        return
    if plan.locations:
        line.draft.locations = [order_copies(institution, bib.mms_id, loc, line.number) for loc in plan.locations]
        return
    if plan.line_type.inventory is _COLLECTION:
        line.collection_id = _activate_collection(institution, plan, line).id
        return
    if plan.line_type.inventory is not _ELECTRONIC:
        return
    if plan.bib_only:
        line.portfolio_outcome = "bib-only"
        return
    decision = plan.portfolio
    if isinstance(decision, PortfolioFound):
        portfolio = decision.portfolio
    elif isinstance(decision, ActivateFromCommunityZone):
        portfolio = activate_community_portfolio(world, institution, decision.community_portfolio, bib.mms_id)
    else:
        portfolio = Portfolio(id=institution.new_id("53"), mms_id=bib.mms_id, platform=plan.platform,
                              title=bib.title, isbn=line.draft.resource.isbn,
                              vendor_title_number=line.draft.resource.vendor_title_number,
                              access_model=line.draft.access_model)
        institution.add_portfolio(portfolio)
    portfolio.po_line = line.number
    if line.draft.access_model and not portfolio.access_model:
        portfolio.access_model = line.draft.access_model
    line.portfolio_ids.append(portfolio.id)
    line.portfolio_outcome = decision.outcome if decision else "local"


def activate_community_portfolio(world: World, institution: Institution, cz_portfolio: Portfolio,
                                 mms_id: str) -> Portfolio:
    """Activate a Community Zone portfolio into the institution; it arrives *not available* [D]."""
    cz_collection = world.community_zone.collections.get(cz_portfolio.collection_id)
    collection_id = ""
    if cz_collection is not None:
        collection_id = activated_collection(institution, cz_collection).id
    portfolio = Portfolio(id=institution.new_id("53"), mms_id=mms_id, platform=cz_portfolio.platform,
                          title=cz_portfolio.title, isbn=cz_portfolio.isbn,
                          vendor_title_number=cz_portfolio.vendor_title_number, collection_id=collection_id,
                          community_id=cz_portfolio.id, available=False)
    institution.add_portfolio(portfolio)
    return portfolio


def _activate_collection(institution: Institution, plan: _Plan, line: POLine) -> ElectronicCollection:
    found = plan.collection
    if found is not None and found.zone is Zone.INSTITUTION:
        return found
    if found is not None:
        return activated_collection(institution, found)
    local = ElectronicCollection(id=institution.new_id("61"), name=line.title, platform=plan.platform,
                                 zone=Zone.INSTITUTION)
    institution.collections[local.id] = local
    return local


def order_copies(institution: Institution, mms_id: str, location: OrderedLocation, po_line: str,
                 count: int | None = None) -> OrderedLocation:
    """The holding for the location's library and shelving location (reused, or created), and `count` more items
    on order for the PO line (default: the location's quantity). The location is filled in and returned."""
    holding = institution.holdings.get(location.holding_id) if location.holding_id else None
    if holding is None:  # the bib's first holding at the location's library and shelving location
        for holding_id in institution.holdings_by_bib.get(mms_id, ()):
            candidate = institution.holdings[holding_id]
            if candidate.library == location.library and candidate.location == location.location:
                holding = candidate
                break
    if holding is None:
        holding = Holding(id=institution.new_id("22"), mms_id=mms_id, library=location.library,
                          location=location.location)
        institution.add_holding(holding)
    for _ in range(location.quantity if count is None else count):
        item = Item(id=institution.new_id("23"), holding_id=holding.id, mms_id=mms_id, po_line=po_line,
                    barcode=institution.new_barcode(), item_policy=location.item_policy)
        institution.items[item.id] = item
        location.item_ids.append(item.id)
    location.holding_id = holding.id
    return location


# ---------------------------------------------------------------- the operations --------------------------------


def create_po_line(world: World, institution_code: str, draft: POLineDraft, clock: Clock, *,
                   profile_code: str | None = None, requires_manual_review: bool = False,
                   restriction: ApiRestrictionProfile | None = None) -> POLine:
    """The Create PO line API (POST /acq/po-lines): every rule of ORDERING-RULES §2 and §3; `restriction` is
    the API Restrictions profile of the key that sent it (simulator.alma.restrictions)."""
    institution = world.institution(institution_code)
    restrictions.check_vendor(restriction, draft)
    if requires_manual_review:
        draft = replace(draft, requires_manual_review=True)
    with institution.lock:
        plan = _plan(world, institution, draft, profile_code)
        return _commit(world, institution, plan, clock)


def order_from_bib(world: World, institution_code: str, mms_id: str, draft: POLineDraft, clock: Clock, *,
                   assign_inventory_manually: bool = False) -> POLine:
    """The librarian's Order from an institution record (seed 000): License Upgrade, or a duplicate order
    with or without "Assign inventory manually"."""
    institution = world.institution(institution_code)
    if not mms_id:
        raise MandatoryFieldMissing("mms_id")
    draft = replace(draft, resource=replace(draft.resource, mms_id=mms_id), source_type="MANUALENTRY",
                    assign_inventory_manually=assign_inventory_manually)
    with institution.lock:
        plan = _plan(world, institution, draft, None)
        return _commit(world, institution, plan, clock)


def order_from_community_portfolio(world: World, institution_code: str, community_portfolio_id: str,
                                   draft: POLineDraft, clock: Clock) -> POLine:
    """The librarian's Order from a Community Zone record's Portfolio List (seed 000, a different platform):
    the portfolio is activated into the institution and becomes the new line's portfolio."""
    institution = world.institution(institution_code)
    cz = world.community_zone
    cz_portfolio = cz.portfolios.get(community_portfolio_id)
    if cz_portfolio is None:
        raise NotFound(f"Failed to find the Portfolio ID {community_portfolio_id} in the Community Zone.",
                       code="60123")
    cz_bib = cz.catalogue.bibs.get(cz_portfolio.mms_id)
    resource = replace(draft.resource, title=draft.resource.title or cz_portfolio.title,
                       isbn=draft.resource.isbn or cz_portfolio.isbn or (cz_bib.isbns[0] if cz_bib and cz_bib.isbns else ""))
    with institution.lock:
        activated = institution.portfolio_by_community.get(cz_portfolio.id)
        decision: PortfolioDecision = (PortfolioFound(institution.portfolios[activated]) if activated
                                       else ActivateFromCommunityZone(cz_portfolio))
        draft = replace(draft, resource=resource, source_type="MANUALENTRY", access_provider=cz_portfolio.platform)
        plan = _plan(world, institution, draft, None, forced_portfolio=decision)
        return _commit(world, institution, plan, clock)
