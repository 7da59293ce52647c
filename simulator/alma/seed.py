"""Building a world from the hand-written, named seed data in `fixtures/` (TOML).

`load_world()` gives a fresh copy of the default world every call; files are parsed once and cached.
`world_from_spec()` builds one from a world file's table already parsed (a posted world).
Configuration goes through `configuration` and existing orders through `ordering`, so seed data obeys the
same rules as everything else: a bad seed fails with the rule's own message, prefixed with the file.
Imports model, configuration, ordering, restrictions, review_rules, simulator.clock/money/errors and tomllib.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from simulator.alma import configuration, ordering, restrictions, review_rules
from simulator.alma.model import (
    ApiKey, Bib, Continuity, ElectronicCollection, ExternalCatalogSync, FiscalPeriod, Fund, FundShare, Institution, Inventory,
    InventoryOperations, Ledger, MetadataTemplate, Library, Location, NetworkZone, NewOrderProfile, NoMatchAction, POLine, POLineDraft,
    POLineType, Portfolio, ResourceMetadata, User, Vendor, VendorAccount, World, Zone,
)
from simulator.clock import Clock, FixedClock
from simulator.errors import AlmaError, HarnessError
from simulator.identifiers import isbn_key
from simulator.money import Money

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DEFAULT_WORLD = FIXTURES / "world.toml"
ALL_AREAS = frozenset({"acq", "bibs", "conf", "electronic"})


@lru_cache(maxsize=32)
def _read(path: Path, mtime: float) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def read_toml(path: Path) -> dict:
    try:
        return _read(path, path.stat().st_mtime)
    except FileNotFoundError:
        raise HarnessError(f"seed file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise HarnessError(f"seed file {path} is not valid TOML: {exc}") from None


def load_world(path: Path | str | None = None, clock: Clock | None = None) -> World:
    """A fresh world from a world file (the default consortium when no path is given)."""
    path = Path(path) if path else DEFAULT_WORLD
    return world_from_spec(read_toml(path), path.parent, clock, name=path.stem, source=f"seed file {path}")


def world_from_spec(spec: dict, base: Path = FIXTURES, clock: Clock | None = None, *, name: str = "world",
                    source: str = "the world file") -> World:
    """A fresh world from a world file's table, already parsed (a posted world: TOML or JSON).

    File names in it (`defaults`, `community_zone`, `institutions`) are read from `base`; `defaults` and each
    institution may also be a table inline. `name` is the world's name when the table gives none, `source` names
    the table in messages."""
    if not isinstance(spec.get("institutions", []), list):
        raise HarnessError(f"{source}: institutions is a list of file names or tables")
    world = World(name=spec.get("name", name))
    defaults = _defaults(spec, base)
    if "community_zone" in spec:
        if not isinstance(spec["community_zone"], str):
            raise HarnessError("community_zone must name a file (inline Community Zones are not supported)")
        _load_community_zone(world, read_toml(base / spec["community_zone"]))
    for network in spec.get("networks", []):
        _load_network(world, network)
    clock = clock or FixedClock()
    for entry in spec.get("institutions", []):
        # a file name beside the world file, or the institution's table inline (what `almasim clone` writes)
        where = (f"{source} (institution {entry.get('code', '?')})" if isinstance(entry, dict)
                 else f"seed file {base / entry}")
        try:
            load_institution(world, entry if isinstance(entry, dict) else read_toml(base / entry), defaults, clock)
        except (AlmaError, KeyError, ValueError) as exc:
            raise HarnessError(f"{where}: {exc}") from None
    return world


def _defaults(spec: dict, base: Path) -> dict:
    """The world file's `defaults`: a file name beside it, or the table inline."""
    defaults = spec.get("defaults")
    if isinstance(defaults, dict):
        return defaults
    if defaults and not isinstance(defaults, str):
        raise HarnessError("defaults is a file name or a table")
    return read_toml(base / defaults) if defaults else {}


def _load_community_zone(world: World, spec: dict) -> None:
    cz = world.community_zone
    for c in spec.get("collections", []):
        cz.collections[c["id"]] = ElectronicCollection(id=c["id"], name=c["name"], platform=c["platform"],
                                                       zone=Zone.COMMUNITY)
        cz.collection_keys[c["key"]] = c["id"]
    for t in spec.get("titles", []):
        bib = cz.catalogue.add(Bib(mms_id=f"99{cz.sequence.take():010d}0000", zone=Zone.COMMUNITY, title=t["title"],
                                   author=t.get("author", ""), isbns=[t["isbn"]] if "isbn" in t else [],
                                   publisher=t.get("publisher", ""), publication_year=t.get("year", "")))
        for p in t.get("portfolios", []):
            collection = cz.collections[cz.collection_keys[p["collection"]]]
            cz.add_portfolio(Portfolio(id=f"53{cz.sequence.take():010d}0000", mms_id=bib.mms_id,
                                       platform=collection.platform, title=bib.title, isbn=t.get("isbn", ""),
                                       vendor_title_number=p.get("vendor_title_number", ""),
                                       collection_id=collection.id, available=True))


def _load_network(world: World, spec: dict) -> None:
    network = NetworkZone(code=spec["code"], name=spec["name"], mms_suffix=spec["mms_suffix"])
    for r in spec.get("records", []):
        network.catalogue.add(_bib(r, f"99{network.sequence.take():010d}{network.mms_suffix}", Zone.NETWORK))
    world.networks[network.code] = network


def _bib(r: dict, mms_id: str, zone: Zone) -> Bib:
    return Bib(mms_id=mms_id, zone=zone, title=r["title"], author=r.get("author", ""), isbns=list(r.get("isbns", [])),
               issns=list(r.get("issns", [])), publisher=r.get("publisher", ""),
               publication_place=r.get("place", ""), publication_year=r.get("year", ""),
               system_numbers=list(r.get("system_numbers", [])),
               vendor_title_numbers=list(r.get("vendor_title_numbers", [])))


def load_institution(world: World, spec: dict, defaults: dict, clock: Clock) -> Institution:
    """Add one institution described by a TOML table (the same shape as fixtures/institutions/*.toml)."""
    code = spec["code"]
    if code in world.institutions:
        raise HarnessError(f"institution {code} is already in the world")
    merged = {**defaults, **spec}
    inst = Institution(
        code=code, name=spec["name"], mms_suffix=spec["mms_suffix"], network=spec.get("network", ""),
        currency=spec.get("currency", "USD"),
        exchange_rates={k: Decimal(v) for k, v in spec.get("exchange_rates", {}).items()},
        access_models=dict(merged.get("access_models", {})),
        upgrade_access_models=list(merged.get("upgrade_access_models", [])),
        cancellation_reasons=dict(merged.get("cancellation_reasons", {})),
        asynchronous_processing_seconds=float(spec.get("asynchronous_processing_seconds", 0)),
        metadata_template=MetadataTemplate(**merged.get("metadata_template", {})),
    )
    for t in merged.get("po_line_types", []):
        inst.po_line_types[t["code"]] = POLineType(code=t["code"], label=t["label"], inventory=Inventory(t["inventory"]),
                                                   serial=t.get("serial", False), enabled=t.get("enabled", True),
                                                   continuity=Continuity(t.get("continuity", "one-time")),
                                                   material_type=t.get("material_type", ""),
                                                   claimed=t.get("claimed", False))
    if inst.network and inst.network in world.networks:
        world.networks[inst.network].members.append(code)
    elif inst.network:
        raise HarnessError(f"institution {code} names an unknown network {inst.network!r}")
    world.institutions[code] = inst
    for k in spec.get("api_keys", []):
        world.api_keys[k["key"]] = ApiKey(key=k["key"], institution=code,
                                          areas=frozenset(k.get("areas", ALL_AREAS)), write=k.get("write", True))
    for lib in spec.get("libraries", []):
        inst.libraries[lib["code"]] = Library(code=lib["code"], name=lib["name"], locations={
            loc["code"]: Location(code=loc["code"], name=loc["name"]) for loc in lib.get("locations", [])})
    for fp in spec.get("fiscal_periods", []):
        inst.fiscal_periods[fp["id"]] = FiscalPeriod(id=fp["id"], name=fp["name"], start=fp["start"], end=fp["end"],
                                                     current=fp.get("current", False))
    current = inst.current_fiscal_period
    for led in spec.get("ledgers", []):
        inst.ledgers[led["code"]] = Ledger(code=led["code"], name=led["name"], fiscal_period=led["fiscal_period"],
                                           id=_given_id(inst, led, "33"))
    for f in spec.get("funds", []):
        configuration.add_fund(world, code, Fund(
            id=_given_id(inst, f, "34"), code=f["code"], name=f["name"], ledger=f["ledger"],
            fiscal_period=f.get("fiscal_period", current.id if current else ""),
            currency=f.get("currency", inst.currency), allocated=Decimal(f["allocated"]),
            encumbered=Decimal(f.get("encumbered", "0")), expended=Decimal(f.get("expended", "0")),
            active=f.get("active", True), entity_type=f.get("entity_type", "ALLOCATED"),
            libraries=list(f.get("libraries", [])), overencumbrance_allowed=f.get("overencumbrance_allowed", False),
            overencumbrance_limit_percent=Decimal(f.get("overencumbrance_limit_percent", "0"))))
    for v in spec.get("vendors", []):
        configuration.add_vendor(world, code, Vendor(
            code=v["code"], name=v["name"], system=v.get("system", "OTHER"), active=v.get("active", True),
            default_platform=v.get("default_platform", ""), currency=v.get("currency", inst.currency),
            access_provider=bool(v.get("default_platform")),
            edi_code=v.get("edi_code", ""), edi_cancellations=bool(v.get("edi_cancellations", False)),
            edi_claims=bool(v.get("edi_claims", False)) or v["code"] in spec.get("renewals", {}).get("edi_claims", []),
            accounts={a["code"]: VendorAccount(code=a["code"], description=a.get("description", ""),
                                               discount_percent=Decimal(a.get("discount", "0")),
                                               active=a.get("active", True),
                                               payment_method=a.get("payment_method", "ACCOUNTINGDEPARTMENT"))
                      for a in v.get("accounts", [])}))
    for p in spec.get("profiles", []):
        configuration.add_profile(world, code, profile_from_table(p))
    records: dict[str, str] = {}
    for r in spec.get("records", []):
        bib = configuration.add_bib(world, code, _bib(r, "", Zone.INSTITUTION))
        records[r.get("key", bib.mms_id)] = bib.mms_id
        for h in r.get("holdings", []):
            configuration.add_holding(world, code, bib.mms_id, h["library"], h["location"], h.get("items", 1))
        for p in r.get("portfolios", []):
            community_id = _community_portfolio(world, p["community"], bib) if "community" in p else ""
            configuration.add_portfolio(world, code, bib.mms_id, p.get("platform", ""),
                                        available=p.get("available", True), access_model=p.get("access_model", ""),
                                        community_id=community_id)
    _load_users(inst, spec)
    for o in spec.get("orders", []):
        _already_activated(inst, ordering.create_po_line(world, code, _draft(o, records), clock))
    _load_restrictions_and_review(world, inst, spec)
    return inst


def _already_activated(inst: Institution, line: POLine) -> None:
    """A world file's orders were placed before the world begins. One that found its portfolio in the
    institution, already available, is taken as activated then — its activation task Done — so it needs only
    its invoice to close [decision; closing.received_or_activated]."""
    portfolios = [inst.portfolios[p] for p in line.portfolio_ids if p in inst.portfolios]
    if line.portfolio_outcome == "iz" and portfolios and all(p.available for p in portfolios):
        line.activation_done = True


def _load_users(inst: Institution, spec: dict) -> None:
    """The institution's users (`[[users]]`: primary_id, first_name, last_name, email, user_group), the people
    a PO line can name as interested users. Loaded before the orders, which may name them."""
    for u in spec.get("users", []):
        user = User(primary_id=u["primary_id"], first_name=u.get("first_name", ""), last_name=u.get("last_name", ""),
                    email=u.get("email", ""), user_group=u.get("user_group", ""))
        if not user.primary_id.strip():
            raise HarnessError("a user needs a primary_id")
        if user.primary_id in inst.users:
            raise HarnessError(f"user {user.primary_id!r} is listed twice")
        inst.users[user.primary_id] = user

def _load_restrictions_and_review(world: World, inst: Institution, spec: dict) -> None:
    """API Restrictions profiles, the keys given to vendors under them, and the purchasing review rules with the
    price thresholds. Loaded after the orders already placed, which they therefore leave as they were."""
    for p in spec.get("api_restriction_profiles", []):
        restrictions.configure(world, inst.code, restrictions.profile_from_table(p))
    for k in spec.get("restricted_api_keys", []):
        profile = k["restriction_profile"]
        if profile not in inst.api_restrictions:
            raise HarnessError(f"API key {k['key']} names an unknown API Restrictions profile {profile!r}")
        if k["key"] in world.api_keys:
            raise HarnessError(f"API key {k['key']} is already in the world")
        world.api_keys[k["key"]] = ApiKey(key=k["key"], institution=inst.code, restriction_profile=profile,
                                          areas=frozenset(k.get("areas", ALL_AREAS)), write=k.get("write", True))
    if "purchasing_review" in spec:
        review_rules.configure(world, inst.code, review_rules.table_from_dict(spec["purchasing_review"]))


def _given_id(inst: Institution, table: dict, prefix: str) -> str:
    """The id a world file gives (a cloned Alma's own), else a new one; new ids never repeat a given one."""
    given = str(table.get("id", ""))
    if not given:
        return inst.new_id(prefix)
    number = given[len(prefix):len(prefix) + 10]
    shaped = len(given) == len(prefix) + 10 + len(inst.mms_suffix) and given.endswith(inst.mms_suffix)
    if shaped and given.startswith(prefix) and number.isdigit():
        inst.ids.next = max(inst.ids.next, int(number) + 1)
    return given


def _community_portfolio(world: World, collection_key: str, bib: Bib) -> str:
    """The CZ portfolio of this record's title (by ISBN) in the collection the seed names by its key."""
    cz = world.community_zone
    collection_id = cz.collection_keys.get(collection_key, collection_key)
    wanted = {isbn_key(i) for i in bib.isbns}
    for portfolio in cz.portfolios.values():
        if portfolio.collection_id == collection_id and isbn_key(portfolio.isbn) in wanted:
            return portfolio.id
    raise HarnessError(f"no Community Zone portfolio in {collection_key!r} for {bib.title!r}")


def profile_from_table(p: dict) -> NewOrderProfile:
    """A profile from a TOML/JSON table whose keys are NewOrderProfile's field names."""
    enums = {"upon_no_match": NoMatchAction, "inventory_operations": InventoryOperations,
             "sync_with_external_catalog": ExternalCatalogSync}
    # Any: keys and values come from TOML/JSON; NewOrderProfile refuses unknown keys, add_profile the values it rules on
    values: dict[str, Any] = {k: (enums[k](v) if k in enums else v) for k, v in p.items()}
    return NewOrderProfile(**values)


def _draft(o: dict, records: dict[str, str]) -> POLineDraft:
    return POLineDraft(
        owner=o["owner"], type=o["type"], vendor=o.get("vendor", ""), vendor_account=o.get("vendor_account", ""),
        acquisition_method=o.get("acquisition_method", "PURCHASE"),
        price=Money.parse(o["price"]) if "price" in o else None,
        resource=ResourceMetadata(mms_id=records[o["record"]]) if "record" in o else ResourceMetadata(title=o["title"]),
        funds=[FundShare(fund=o["fund"])] if "fund" in o else [],
        access_provider=o.get("access_provider", ""), access_model=o.get("access_model", ""),
        vendor_reference_number=o.get("vendor_reference_number", ""))
