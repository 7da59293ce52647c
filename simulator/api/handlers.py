"""Alma's endpoints as framework-neutral functions, bound to the route spec (simulator.api.routes) as `ROUTES`.

Each handler is decorated `@serves`, which binds it to the `Endpoint` of the same name; the spec says what
its method, path, query parameters and codes are. `ROUTES` (compiled once) is what dispatch walks.

A handler takes a `Call` (the institution the API key belongs to, the path parameters, the query and the
parsed body) and returns an `Answer` (status, an Alma-shaped body, its XML root). Services raise
`AlmaError`s; handlers never catch them. The in-process backend calls `dispatch` directly, the Starlette
app and the respx router reach it through `wire`, so every backend runs exactly the same code.

Routes under /almaws/v1 are Alma's own (reference/openapi/). Routes under /almasim/v1/librarian are the
librarian's actions that have no Alma REST endpoint (ordering from a bib or a Community Zone portfolio list,
approving from In Review, activating a portfolio, configuring a profile or a fund for a scenario); they are
never Alma paths. Imports the domain, schemas and simulator.errors.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any
from dataclasses import dataclass, field
from decimal import Decimal

from simulator.alma import (
    claims, configuration, letters, lifecycle, ordering, queries, records, renewals, restrictions, review_rules,
)
from simulator.api import schemas as s
from simulator.api.routes import ALMA, LIBRARIAN, Endpoint, endpoint
from simulator.alma.model import API_RESTRICTIONS, STATUS_LABELS, ApiRestrictionProfile, Institution, Ledger, World
from simulator.alma.seed import profile_from_table
from simulator.clock import Clock
from simulator.money import to_decimal
from simulator.errors import BodyNotFound, GeneralError, IllegalValue, InvalidParameter, NotFound, POLineNotFound



@dataclass
class Call:
    world: World
    institution: Institution
    clock: Clock
    params: dict[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    body: dict | None = None
    base: str = s.ALMA_BASE
    restriction_profile: str = ""  # the API Restrictions profile the call's API key names ("" = unrestricted)

    def arg(self, name: str, default: str = "") -> str:
        value = self.query.get(name)
        return default if value is None else str(value)

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.query.get(name)
        return default if value is None else s.flag_of(value, name)

    def number(self, name: str, default: int, low: int = 0, high: int = 10**9) -> int:
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise GeneralError(f"General error. Parameter {name}={raw!r} is not a whole number.") from None
        if not low <= value <= high:
            raise GeneralError(f"General error. Parameter {name}={value} is outside {low}-{high}.")
        return value

    @property
    def now(self) -> float:
        return self.clock.now().timestamp()

    @property
    def restriction(self) -> ApiRestrictionProfile | None:
        if not self.restriction_profile:  # an unrestricted key: what profile_for answers, without the call
            return None
        return restrictions.profile_for(self.institution, self.restriction_profile)


@dataclass
class Answer:
    body: dict | None = None
    status: int = 200
    root: str = ""  # the XML root of a single object, e.g. "po_line"
    plural: str = ""  # the XML wrapper of a list, e.g. "po_lines" (the body holds the singular key)
    text: str | None = None  # the plain <test> answers


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Callable[[Call], Answer]
    area: str  # acq | bibs | conf | electronic | librarian
    write: bool = False
    spec: Endpoint | None = field(default=None, compare=False, repr=False)  # its entry in routes.ENDPOINTS
    pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)  # compiled from the template

    def __post_init__(self) -> None:
        # [decision] a path parameter never holds a control character, and the path ends at \Z (a trailing
        # newline is not the end): such a path is unknown (404), whatever route it resembles
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/\\x00-\\x1f\\x7f]+)", self.template) + r"/?\Z"
        object.__setattr__(self, "pattern", re.compile(regex))


Handler = Callable[[Call], Answer]


def _bind(spec: Endpoint, handler: Handler) -> Handler:
    ROUTES.append(Route(spec.method, spec.template, handler, spec.area, spec.write, spec))
    return handler


def serves(handler: Handler | str) -> Any:
    """`@serves` on a handler binds it to the entry of routes.ENDPOINTS with the function's own name (so the
    route table is the spec, in this module's order); `serves("name")(function)` names the entry explicitly."""
    if isinstance(handler, str):
        spec = endpoint(handler)
        return lambda function: _bind(spec, function)
    return _bind(endpoint(handler.__name__), handler)


ROUTES: list[Route] = []


def find_route(method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
    """(route, path parameters, whether the path exists for another verb)."""
    if _LITERAL_BUILT_FOR[0] != len(ROUTES):
        _build_literal()
    route = _LITERAL.get((method, path))
    if route is not None:  # a template without placeholders, sent as is: what the walk below gives, known ahead
        return route, {}, True
    return _walk_routes(method, path)


#: (method, path) -> the route `_walk_routes` finds for it, for each template without placeholders whose walk
#: gives no path parameters: the usual calls (POST /acq/po-lines) skip the regular expressions. Rebuilt when a
#: route is added.
_LITERAL: dict[tuple[str, str], Route] = {}
_LITERAL_BUILT_FOR = [-1]  # len(ROUTES) when _LITERAL was built


def _build_literal() -> None:
    table = {}
    count = len(ROUTES)
    for candidate in ROUTES[:count]:
        if "{" not in candidate.template:
            route, params, _ = _walk_routes(candidate.method, candidate.template)
            if route is not None and not params:
                table[(candidate.method, candidate.template)] = route
    _LITERAL.clear()
    _LITERAL.update(table)
    _LITERAL_BUILT_FOR[0] = count


def _walk_routes(method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
    path_known = False
    for route in ROUTES:
        found = route.pattern.match(path)
        if found:
            if route.method == method:
                return route, found.groupdict(), True
            path_known = True
    return None, {}, path_known


def dispatch(call: Call, method: str, path: str) -> Answer:
    route, params, path_known = find_route(method, path)
    if route is None:
        raise no_route(method, path, path_known)
    call.params = params
    return route.handler(call)


def verbs_for(path: str) -> list[str]:
    return sorted({r.method for r in ROUTES if r.pattern.match(path)})


def no_route(method: str, path: str, path_known: bool) -> GeneralError:
    """404 for a path Alma does not have (naming the nearest simulated routes), 405 (naming the verbs it has)
    for a known path and another verb."""
    if path_known:
        return GeneralError(f"General error. {method} is not supported for {path}; it supports "
                            f"{', '.join(verbs_for(path))}.", status=405)
    where = "" if path.startswith(ALMA) else f" Alma's API is under {ALMA}."
    nearest = near_misses(method, path)
    hint = f" Nearest: {'; '.join(nearest)}." if nearest else ""
    return GeneralError(f"General error. No such API: {method} {path}.{where}{hint}", status=404)


def near_misses(method: str, path: str, most: int = 3) -> list[str]:
    """The routes closest to `method path`, best first ("GET /almaws/v1/acq/po-lines/{po_line_id}")."""
    segments = path.strip("/").split("/")
    scored = []
    for route in ROUTES:
        parts = route.template.strip("/").split("/")
        if len(parts) == len(segments):  # compare with the path's own values in the placeholders
            parts = [seg if part.startswith("{") else part for part, seg in zip(parts, segments)]
        score = difflib.SequenceMatcher(None, path, "/" + "/".join(parts)).ratio()
        scored.append((score + (0.05 if route.method == method else 0.0), f"{route.method} {route.template}"))
    scored.sort(reverse=True)
    return [name for score, name in scored[:most] if score > 0.6]


def _body(call: Call) -> dict:
    if call.body is None:
        raise BodyNotFound("Request body not found.")
    return call.body


def _page(call: Call, items: list, default_limit: int = 10) -> tuple[list, int]:
    limit = call.number("limit", default_limit, 0, 100)
    offset = call.number("offset", 0, 0)
    return items[offset:offset + limit], len(items)


def _line_json(call: Call, line) -> dict:
    return s.po_line_to_json(line, call.institution, base=call.base, now=call.now)


# ---------------------------------------------------------------- acquisitions: PO lines -----------------------


@serves
def create_po_line(call: Call) -> Answer:
    draft = s.draft_from_json(_body(call))
    line = ordering.create_po_line(call.world, call.institution.code, draft, call.clock,
                                   profile_code=call.arg("profile_code") or None,
                                   requires_manual_review=call.flag("requires_manual_review"),
                                   restriction=call.restriction)
    return Answer(_line_json(call, line), root="po_line")


@serves
def list_po_lines(call: Call) -> Answer:
    lines = queries.search_po_lines(call.institution, q=call.arg("q"), status=call.arg("status", "ALL"),
                                    order_by=call.arg("order_by", "title"), direction=call.arg("direction", "desc"),
                                    acquisition_method=call.arg("acquisition_method", "ALL"),
                                    library=call.arg("library"))
    page, total = _page(call, lines)
    expand = frozenset(e.strip() for e in call.arg("expand").split(",") if e.strip())
    bodies = [s.po_line_to_json(line, call.institution, base=call.base, now=call.now, expand=expand) for line in page]
    return Answer(s.list_json("po_line", bodies, total), plural="po_lines")


@serves
def get_po_line(call: Call) -> Answer:
    line = lifecycle.get_po_line(call.world, call.institution.code, call.params["po_line_id"])
    return Answer(_line_json(call, line), root="po_line")


@serves
def update_po_line(call: Call) -> Answer:
    draft = s.draft_from_json(_body(call))
    if call.restriction is not None:
        current = lifecycle.get_po_line(call.world, call.institution.code, call.params["po_line_id"])
        restrictions.check_update(call.restriction, current.draft.vendor, draft)
    line = lifecycle.update(call.world, call.institution.code, call.params["po_line_id"], draft, call.clock,
                            update_inventory=call.flag("update_inventory", True),
                            redistribute_funds=call.flag("redistribute_funds"))
    return Answer(_line_json(call, line), root="po_line")


@serves
def cancel_po_line(call: Call) -> Answer:
    lifecycle.cancel(call.world, call.institution.code, call.params["po_line_id"], call.arg("reason"), call.clock,
                     comment=call.arg("comment"), bib=call.arg("bib", "retain"), override=call.flag("override"),
                     inform_vendor=call.flag("inform_vendor"))
    return Answer(None, status=204)


@serves
def po_line_items(call: Call) -> Answer:
    """Alma's rest_items of the line's items, each only its barcode and link (`schemas.po_line_item_brief_json`);
    every item unless `limit` (0-100) asks for fewer."""
    line = lifecycle.get_po_line(call.world, call.institution.code, call.params["po_line_id"])
    inst = call.institution
    found = [inst.items[i] for loc in line.draft.locations for i in loc.item_ids if i in inst.items]
    page, total = _page(call, found, default_limit=len(found))
    return Answer(s.list_json("item", [s.po_line_item_brief_json(i, call.base) for i in page], total),
                  plural="items")


@serves
def receive_new_item(call: Call) -> Answer:
    """The received item as Alma's item object (rest_item), as `GET /bibs/.../items/{item_pid}` answers it."""
    item = lifecycle.receive(call.world, call.institution.code, call.params["po_line_id"], call.clock,
                             receive_date=call.arg("receive_date"))
    return Answer(s.alma_item_to_json(item, call.institution, call.base, call.institution.network), root="item")


@serves
def receive_item(call: Call) -> Answer:
    """The received item as Alma's item object (rest_item), as `GET /bibs/.../items/{item_pid}` answers it."""
    if call.arg("op") != "receive":
        raise InvalidParameter("Param value is invalid: op must be receive.", code="40166411")
    item = lifecycle.receive(call.world, call.institution.code, call.params["po_line_id"], call.clock,
                             item_id=call.params["item_id"], receive_date=call.arg("receive_date"))
    return Answer(s.alma_item_to_json(item, call.institution, call.base, call.institution.network), root="item")


# ---------------------------------------------------------------- acquisitions: funds, vendors …---------------


# Filters mode=POL refuses (401873). `view` is not a filter, and a filter at its documented default ALL filters
# nothing: clients in production send both with the default mode (almonaut: view=full).
_POL_FILTERS = ("status", "entity_type", "fiscal_period", "parent_id", "owner")


def _unless_all(value: str) -> str:
    """A filter's documented default `ALL` (which clients such as almapipy send explicitly) filters nothing."""
    return "" if value.upper() == "ALL" else value


@serves
def list_funds(call: Call) -> Answer:
    inst = call.institution
    mode = call.arg("mode", "POL").upper()  # Alma's default (acq.json): funds usable on a PO line
    if mode == "POL":
        rejected = [f for f in _POL_FILTERS if _unless_all(call.query.get(f) or "")]
        if rejected:
            raise InvalidParameter(f"Filter not supported when mode=POL: {', '.join(rejected)}.", code="401873")
        funds = queries.funds_for_po_line(inst, library=call.arg("library"), q=call.arg("q"))
    elif mode == "ALL":  # "all funds and ledgers": the ledgers first, then their funds
        filters = dict(q=call.arg("q"), status=_unless_all(call.arg("status")),
                       entity_type=_unless_all(call.arg("entity_type")), library=call.arg("library"))
        page, total = _page(call, [*queries.all_ledgers(inst, **filters), *queries.all_funds(inst, **filters)])
        return Answer(s.list_json("fund", [_fund_view(call, s.ledger_to_json(x, inst, call.base)
                                                      if isinstance(x, Ledger) else s.fund_to_json(x, inst, call.base))
                                           for x in page], total),
                      plural="funds")
    else:
        raise InvalidParameter(f"Parameter mode={mode} is invalid. Valid options are: POL, ALL.")
    page, total = _page(call, funds)
    return Answer(s.list_json("fund", [_fund_view(call, s.fund_to_json(f, inst, call.base)) for f in page], total),
                  plural="funds")


def _fund_view(call: Call, fund: dict) -> dict:
    """A fund as the call's API key may see it: without balances under a Limited fund view."""
    return fund if restrictions.shows_fund_balances(call.restriction) else s.without_balances(fund)


@serves
def get_fund(call: Call) -> Answer:
    wanted = call.params["fund_id"]
    fund = next((f for f in call.institution.funds.values() if wanted in (f.id, f.code)), None)
    if fund is None:
        ledger = next((led for led in call.institution.ledgers.values() if wanted in (led.id, led.code)), None)
        if ledger is not None:  # a fund's parent link names its ledger
            return Answer(_fund_view(call, s.ledger_to_json(ledger, call.institution, call.base)), root="fund")
        raise NotFound(f"Fund {wanted} not found.", code="402119")
    return Answer(_fund_view(call, s.fund_to_json(fund, call.institution, call.base)), root="fund")


_VENDOR_TYPES = {"MATERIAL_SUPPLIER": "material_supplier", "ACCESS_PROVIDER": "access_provider",
                 "LICENSOR": "", "GOVERNMENTAL": ""}  # the simulator's vendors are never licensors or governmental


@serves
def list_vendors(call: Call) -> Answer:
    status = _unless_all(call.arg("status")).upper()
    kind = _unless_all(call.arg("type")).upper()
    if kind and kind not in _VENDOR_TYPES:
        raise GeneralError(f"General error. type={call.arg('type')!r} is not one of ALL, "
                           f"{', '.join(t.lower() for t in _VENDOR_TYPES)}.")
    flag = _VENDOR_TYPES.get(kind, "")
    text = queries.search_text(call.arg("q"))
    vendors = [v for v in call.institution.vendors.values()
               if (not status or ("ACTIVE" if v.active else "INACTIVE") == status)
               and (not kind or (bool(flag) and getattr(v, flag)))
               and (not text or text in v.code.casefold() or text in v.name.casefold()
                    or text in v.default_platform.casefold())]
    page, total = _page(call, vendors)
    return Answer(s.list_json("vendor", [s.vendor_to_json(v, call.base) for v in page], total), plural="vendors")


def _vendor(call: Call):
    vendor = call.institution.vendors.get(call.params["vendor_code"])
    if vendor is None:  # Alma's code for an unknown vendor is the PO line's 401871 ("Vendor X not found.")
        raise POLineNotFound(f"Vendor {call.params['vendor_code']} not found.")
    return vendor


@serves
def get_vendor(call: Call) -> Answer:
    return Answer(s.vendor_to_json(_vendor(call), call.base), root="vendor")


@serves
def vendor_po_lines(call: Call) -> Answer:
    vendor = _vendor(call)
    lines = [line for line in call.institution.po_lines.values() if line.draft.vendor == vendor.code]
    page, total = _page(call, lines)
    return Answer(s.list_json("po_line", [_line_json(call, line) for line in page], total), plural="po_lines")


@serves
def fiscal_periods(call: Call) -> Answer:
    periods = list(call.institution.fiscal_periods.values())
    if call.arg("mode").upper() == "CURRENT":
        periods = [p for p in periods if p.current]
        if not periods:
            raise InvalidParameter("There is no current fiscal period.", code="401873")
    return Answer(s.list_json("fiscal_period", [s.fiscal_period_to_json(p) for p in periods], len(periods)),
                  plural="fiscal_periods")


@serves
def currencies(call: Call) -> Answer:
    inst = call.institution
    rows = [s.currency_to_json(inst.currency, "1")]
    rows += [s.currency_to_json(c, f"{r}") for c, r in inst.exchange_rates.items()]
    return Answer(s.list_json("currency", rows, len(rows)), plural="currencies")


def _test_answer(call: Call, method: str) -> Answer:
    if method == "GET":
        return Answer(text=f"GET - OK - institutionCode: {call.institution.code}")
    return Answer(text="POST - OK")


for _area in ("acq", "conf", "bibs"):  # Alma has no /electronic/test
    serves(f"{_area}_test_get")(lambda call: _test_answer(call, "GET"))
    serves(f"{_area}_test_post")(lambda call: _test_answer(call, "POST"))


# ---------------------------------------------------------------- configuration --------------------------------


@serves
def list_libraries(call: Call) -> Answer:
    libs = [s.library_to_json(lib, call.institution, call.base) for lib in call.institution.libraries.values()]
    return Answer(s.list_json("library", libs, len(libs)), plural="libraries")


def _library(call: Call):
    library = call.institution.libraries.get(call.params["library_code"])
    if library is None:
        raise NotFound(f"Library {call.params['library_code']} not found.", code="402119")
    return library


@serves
def get_library(call: Call) -> Answer:
    return Answer(s.library_to_json(_library(call), call.institution, call.base), root="library")


@serves
def list_locations(call: Call) -> Answer:
    library = _library(call)
    locs = [s.location_to_json(loc, library) for loc in library.locations.values()]
    return Answer(s.list_json("location", locs, len(locs)), plural="locations")


@serves
def get_location(call: Call) -> Answer:
    library = _library(call)
    location = library.locations.get(call.params["location_code"])
    if location is None:
        raise NotFound(f"Location {call.params['location_code']} not found in {library.name}.", code="402119")
    return Answer(s.location_to_json(location, library), root="location")


def code_tables(inst: Institution) -> dict[str, tuple[str, dict[str, str]]]:
    return {
        "PurchaseType": ("PO line types", {t.code: t.label for t in inst.po_line_types.values() if t.enabled}),
        "AcquisitionMethod": ("Acquisition methods", dict(ordering.ACQUISITION_METHODS)),
        "AccessModel": ("Access models", dict(inst.access_models)),
        "POLineStatus": ("PO line statuses", {k.value: v for k, v in STATUS_LABELS.items()}),
        "POLineCancellationReasons": ("PO line cancellation reasons", dict(inst.cancellation_reasons)),
        "VendorReferenceNumberType": ("Vendor reference number types",
                                      {"SCO": "Supplier's continuation order", "IA": "Internal vendor number",
                                       "SNA": "Standing order number", "SLI": "Supplier's line item"}),
    }


@serves
def list_code_tables(call: Call) -> Answer:
    tables = code_tables(call.institution)
    rows = [s.code_table_brief_to_json(name, description, base=call.base)
            for name, (description, _) in tables.items()]
    return Answer(s.list_json("code_table", rows, len(rows)), plural="code_tables")


@serves
def get_code_table(call: Call) -> Answer:
    tables = code_tables(call.institution)
    name = call.params["code_table"]
    if name not in tables:
        raise NotFound(f"Code table {name} not found.", code="402119")
    description, rows = tables[name]
    return Answer(s.code_table_to_json(name, description, rows), root="code_table")


@serves
def list_profiles(call: Call) -> Answer:
    wanted = call.arg("type").upper()
    profiles = [s.profile_to_json(p) for p in call.institution.profiles.values()
                if wanted in ("", p.integration_type)]
    if wanted in ("", API_RESTRICTIONS):
        profiles += [s.restriction_profile_to_json(p, call.institution) for p in call.institution.api_restrictions.values()]
    page, total = _page(call, profiles)
    return Answer(s.list_json("integration_profile", page, total), plural="integration_profiles")


@serves
def get_profile(call: Call) -> Answer:
    profile = call.institution.profiles.get(call.params["id"])
    restricting = call.institution.api_restrictions.get(call.params["id"])
    if restricting is not None:
        return Answer(s.restriction_profile_to_json(restricting, call.institution), root="integration_profile")
    if profile is None:
        raise NotFound(f"Invalid profile ID: {call.params['id']}.", code="60304")
    return Answer(s.profile_to_json(profile), root="integration_profile")


# ---------------------------------------------------------------- bibs and electronic ---------------------------


def _bib(call: Call, mms_id: str):
    if not mms_id.isdigit():
        raise InvalidParameter(f"Input parameters mmsId {mms_id} is not numeric.", code="402204")
    bib = call.institution.catalogue.bibs.get(mms_id)
    if bib is None:
        raise NotFound(f"Input parameter mmsId {mms_id} is not valid.", code="402203")
    return bib


@serves
def list_bibs(call: Call) -> Answer:
    ids = [i.strip() for i in call.arg("mms_id").split(",") if i.strip()]
    if not ids or len(ids) > 100:
        raise NotFound("Input parameter mmsId list is not valid.", code="402203")
    bibs = [s.bib_to_json(b, call.base, call.institution.network)
            for b in (call.institution.catalogue.bibs.get(i) for i in ids) if b]
    return Answer(s.list_json("bib", bibs, len(bibs)), plural="bibs")


@serves
def get_bib(call: Call) -> Answer:
    bib = s.bib_to_json(_bib(call, call.params["mms_id"]), call.base, call.institution.network)
    if call.arg("view", "full").lower() == "brief":  # bibs.json: view=brief leaves the MARC record out
        bib.pop("anies")
    return Answer(bib, root="bib")


@serves
def bib_portfolios(call: Call) -> Answer:
    bib = _bib(call, call.params["mms_id"])
    inst = call.institution
    found = [s.portfolio_to_json(inst.portfolios[p], inst, call.base) for p in inst.portfolios_by_bib.get(bib.mms_id, ())]
    page, total = _page(call, found)
    return Answer(s.list_json("portfolio", page, total), plural="portfolios")


@serves
def get_portfolio(call: Call) -> Answer:
    bib = _bib(call, call.params["mms_id"])
    portfolio = call.institution.portfolios.get(call.params["portfolio_id"])
    if portfolio is None or portfolio.mms_id != bib.mms_id:
        raise NotFound("Failed to find the Portfolio ID.", code="60123")
    return Answer(s.portfolio_to_json(portfolio, call.institution, call.base), root="portfolio")


@serves
def update_portfolio(call: Call) -> Answer:
    """Availability (11 available, 10 not), the ordering PO line and the access model of a portfolio."""
    if not call.params["mms_id"].isdigit() or call.params["mms_id"] not in call.institution.catalogue.bibs:
        raise NotFound(f"The MMS ID is not valid: {call.params['mms_id']}.", code="60221")
    portfolio = call.institution.portfolios.get(call.params["portfolio_id"])
    if portfolio is None or portfolio.mms_id != call.params["mms_id"]:
        raise NotFound("Failed to find the Portfolio ID.", code="60123")
    changes = s.portfolio_changes(_body(call))
    portfolio = lifecycle.change_portfolio(call.world, call.institution.code, portfolio.id, call.clock, **changes)
    return Answer(s.portfolio_to_json(portfolio, call.institution, call.base), root="portfolio")


@serves
def overlay_bib(call: Call) -> Answer:
    """A cataloguer overlays the record with a full one (MARCXML in `<record>`, or in `anies` in JSON)."""
    bib = _bib(call, call.params["mms_id"])
    marcxml = s.bib_record_from_json(_body(call), code=records.INVALID_ON_PUT)
    bib = records.overlay_record(call.world, call.institution.code, bib.mms_id, marcxml, call.clock)
    return Answer(s.bib_to_json(bib, call.base, call.institution.network), root="bib")


@serves
def create_bib(call: Call) -> Answer:
    marcxml = s.bib_record_from_json(_body(call), code=records.INVALID_ON_POST)
    bib = records.create_record(call.world, call.institution.code, marcxml, call.clock)
    return Answer(s.bib_to_json(bib, call.base, call.institution.network), root="bib")


def _holding(call: Call):
    bib = _bib(call, call.params["mms_id"])
    holding = call.institution.holdings.get(call.params["holding_id"])
    if holding is None or holding.mms_id != bib.mms_id:
        raise NotFound(f"Search failed for Holdings ID: {call.params['holding_id']}.", code="402208")
    return holding


@serves
def bib_holdings(call: Call) -> Answer:
    bib = _bib(call, call.params["mms_id"])
    inst = call.institution
    found = [s.holding_brief_json(inst.holdings[h], inst, call.base) for h in inst.holdings_by_bib.get(bib.mms_id, ())]
    return Answer(s.list_json("holding", found, len(found)), plural="holdings")


@serves
def get_holding(call: Call) -> Answer:
    return Answer(s.holding_to_json(_holding(call), call.institution, call.base), root="holding")


@serves
def holding_items(call: Call) -> Answer:
    holding = _holding(call)
    inst = call.institution
    found = [i for i in inst.items.values() if i.holding_id == holding.id]
    page, total = _page(call, found)
    return Answer(s.list_json("item", [s.alma_item_to_json(i, inst, call.base, inst.network) for i in page], total),
                  plural="items")


@serves
def get_item(call: Call) -> Answer:
    holding = _holding(call)
    item = call.institution.items.get(call.params["item_pid"])
    if item is None or item.holding_id != holding.id:
        raise NotFound(f"No items found for item PID {call.params['item_pid']}.", code="401689")
    return Answer(s.alma_item_to_json(item, call.institution, call.base, call.institution.network), root="item")


@serves
def list_collections(call: Call) -> Answer:
    text = queries.search_text(call.arg("q"))
    found = [s.collection_to_json(c, call.base) for c in call.institution.collections.values()
             if not text or text in c.name.casefold() or text in c.platform.casefold()]
    page, total = _page(call, found)
    return Answer(s.list_json("electronic_collection", page, total), plural="electronic_collections")


def _collection(call: Call):
    collection = call.institution.collections.get(call.params["collection_id"])
    if collection is None:
        raise NotFound(f"Collection ID {call.params['collection_id']} not found.", code="60121")
    return collection


@serves
def get_collection(call: Call) -> Answer:
    return Answer(s.collection_to_json(_collection(call), call.base), root="electronic_collection")


@serves
def list_services(call: Call) -> Answer:
    service = s.service_to_json(_collection(call))
    return Answer(s.list_json("electronic_service", [service], 1), plural="electronic_services")


def _service_of(call: Call):
    """A collection's one full-text service; it shares the collection's ID."""
    collection = _collection(call)
    if call.params["service_id"] != collection.id:
        raise NotFound(f"The Service ID {call.params['service_id']} was not found.", code="60122")
    return collection


@serves
def get_service(call: Call) -> Answer:
    return Answer(s.service_to_json(_service_of(call)), root="electronic_service")


@serves
def get_collection_portfolio(call: Call) -> Answer:
    collection = _service_of(call)
    portfolio = call.institution.portfolios.get(call.params["portfolio_id"])
    if portfolio is None or portfolio.collection_id != collection.id:
        raise NotFound("Failed to find the Portfolio ID.", code="60123")
    return Answer(s.portfolio_to_json(portfolio, call.institution, call.base), root="portfolio")


@serves
def collection_portfolios(call: Call) -> Answer:
    collection = _service_of(call)
    inst = call.institution
    found = [s.portfolio_to_json(p, inst, call.base) for p in inst.portfolios.values() if p.collection_id == collection.id]
    page, total = _page(call, found)
    return Answer(s.list_json("portfolio", page, total), plural="portfolios")


# ---------------------------------------------------------------- the librarian's actions (no Alma REST path) ---


@serves
def order_from_bib(call: Call) -> Answer:
    """Order from an institution record: body is a PO line; `assign_inventory_manually=true` in the query."""
    line = ordering.order_from_bib(call.world, call.institution.code, call.params["mms_id"],
                                   s.draft_from_json(_body(call)), call.clock,
                                   assign_inventory_manually=call.flag("assign_inventory_manually"))
    return Answer(_line_json(call, line), root="po_line")


@serves
def community_portfolio_list(call: Call) -> Answer:
    """A Community Zone record's Portfolio List, found by ISBN or title (`q=isbn~…` or `q=title~…`)."""
    name, _, text = call.arg("q").partition("~")
    text = text.strip().casefold()
    cz = call.world.community_zone
    found = []
    for p in cz.portfolios.values():
        bib = cz.catalogue.bibs.get(p.mms_id)
        haystack = {"isbn": [p.isbn, *(bib.isbns if bib else [])], "title": [p.title]}.get(name.strip(), [p.isbn, p.title])
        if not text or any(text in (h or "").casefold().replace("-", "") for h in haystack):
            collection = cz.collections.get(p.collection_id)
            found.append(s.portfolio_to_json(p, None, call.base, collection_name=collection.name if collection else ""))
    return Answer(s.list_json("portfolio", found, len(found)), plural="portfolios")


@serves
def order_from_community_portfolio(call: Call) -> Answer:
    line = ordering.order_from_community_portfolio(call.world, call.institution.code, call.params["portfolio_id"],
                                                   s.draft_from_json(_body(call)), call.clock)
    return Answer(_line_json(call, line), root="po_line")


@serves
def in_review_list(call: Call) -> Answer:
    return _whole_list([_line_json(call, line) for line in queries.in_review(call.institution)])


@serves
def approve_po_line(call: Call) -> Answer:
    line = lifecycle.approve(call.world, call.institution.code, call.params["po_line_id"], call.clock)
    return Answer(_line_json(call, line), root="po_line")


# --- renewals: the renewals and claims task lists, and renewing by hand (simulator.alma.renewals, .claims) ---


@serves
def renewals_list(call: Call) -> Answer:
    return _whole_list([_line_json(call, line) for line in renewals.task_list(call.institution)])


@serves
def claims_list(call: Call) -> Answer:
    return _whole_list([s.claimed_line_json(_line_json(call, line), line) for line in claims.task_list(call.institution)])


def _whole_list(lines: list[dict]) -> Answer:
    """A librarian's task list of PO lines, unpaged: every line, and their count."""
    return Answer(s.list_json("po_line", lines, len(lines)), plural="po_lines")


@serves
def renew_po_line(call: Call) -> Answer:
    body = call.body if isinstance(call.body, dict) else {}
    line = renewals.renew(call.world, call.institution.code, call.params["po_line_id"], call.clock,
                          renewal_date=s.text_of(body.get("renewal_date")))
    return Answer(_line_json(call, line), root="po_line")


@serves
def activate_portfolio(call: Call) -> Answer:
    portfolio = lifecycle.activate_portfolio(call.world, call.institution.code, call.params["portfolio_id"], call.clock)
    return Answer(s.portfolio_to_json(portfolio, call.institution, call.base), root="portfolio")


@serves
def librarian_portfolio(call: Call) -> Answer:
    portfolio = call.institution.portfolios.get(call.params["portfolio_id"])
    if portfolio is None:
        raise NotFound("Failed to find the Portfolio ID.", code="60123")
    return Answer(s.portfolio_to_json(portfolio, call.institution, call.base), root="portfolio")


@serves
def activate_collection(call: Call) -> Answer:
    collection = lifecycle.activate_collection(call.world, call.institution.code, call.params["collection_id"],
                                               call.clock)
    return Answer(s.collection_to_json(collection, call.base), root="electronic_collection")


@serves
def configure_profile(call: Call) -> Answer:
    """Create or replace a New Order API profile; the body holds NewOrderProfile's fields by name."""
    body = dict(_body(call))
    body["code"] = call.params["code"]
    try:
        profile = profile_from_table(body)
    except (TypeError, ValueError) as exc:
        raise IllegalValue(f"Given integration profile is illegal: {exc}.") from None
    exists = profile.code in call.institution.profiles
    configuration.add_profile(call.world, call.institution.code, profile, replace_existing=exists)
    return Answer(s.profile_to_json(profile), root="integration_profile")


@serves
def remove_profile(call: Call) -> Answer:
    configuration.remove_profile(call.world, call.institution.code, call.params["code"])
    return Answer(None, status=204)


@serves
def configure_api_restrictions(call: Call) -> Answer:
    """Create or replace an API Restrictions profile; the body holds its fields by name (name, description, vendor,
    fund_view FULL or LIMITED)."""
    body = dict(_body(call))
    body["code"] = call.params["code"]
    profile = restrictions.configure(call.world, call.institution.code, restrictions.profile_from_table(body))
    return Answer(s.restriction_profile_to_json(profile, call.institution), root="integration_profile")


@serves
def configure_review_rules(call: Call) -> Answer:
    """Replace the purchasing review rules and the PO line price threshold: default, rules (in order: name, review,
    enabled and the criteria), price_limit, library_price_limits."""
    table = review_rules.configure(call.world, call.institution.code, review_rules.table_from_dict(_body(call)))
    return Answer(s.review_rules_to_json(table), root="purchasing_review_rules")


_FUND_FIELDS = {"allocated": Decimal, "expended": Decimal, "active": bool, "libraries": list,
                "overencumbrance_allowed": bool, "overencumbrance_limit_percent": Decimal}


@serves
def configure_fund(call: Call) -> Answer:
    """Change a fund for a scenario: allocated, expended, active, libraries, over-encumbrance."""
    changes = {}
    for name, value in _body(call).items():
        kind = _FUND_FIELDS.get(name)
        if kind is None:
            raise IllegalValue(f"Given fund field is illegal: {name}; changeable: {', '.join(_FUND_FIELDS)}.")
        if kind is Decimal:
            value = to_decimal(value)
            if value is None:
                raise IllegalValue(f"Given {name} is illegal.")
        elif kind is bool:
            value = s.flag_of(value, name)
        elif not isinstance(value, list):
            raise IllegalValue(f"Given {name} is illegal: a list of library codes is expected.")
        changes[name] = value
    fund = configuration.change_fund(call.world, call.institution.code, call.params["fund_code"], **changes)
    return Answer(s.fund_to_json(fund, call.institution, call.base), root="fund")


@serves
def librarian_bib(call: Call) -> Answer:
    """The record as a librarian sees it: Alma's bib object and what only the simulator knows (its zone,
    management tag, local notes, the order that made it, the validation problems it raised)."""
    bib = _bib(call, call.params["mms_id"])
    return Answer(s.librarian_bib_to_json(bib, call.base, call.institution.network), root="bib")


# ---------------------------------------------------------------- invoices, fund transactions, scan-in (§7) ------
# Alma's invoice routes and a fund's transactions (ORDERING-RULES §7); the domain is simulator.alma.invoices and
# simulator.alma.funds. Kept in one block so the route table's declarative form can take them over whole.

from simulator.alma import funds as _funds, invoices as _invoices  # noqa: E402



def _invoice(call: Call):
    return _invoices.get_invoice(call.world, call.institution.code, call.params["invoice_id"])


def _invoice_json(call: Call, invoice, with_lines: bool = True) -> dict:
    return s.invoice_to_json(invoice, call.institution, call.base, with_lines=with_lines)


def _invoice_q(raw: str) -> dict[str, str]:
    """`q=invoice_number~X` / `vendor~GOBI` / `po_line~POL-1` / `all`: one field, Alma's `~` form."""
    text = raw.strip()
    if not text or text.lower() == "all":
        return {}
    name, sep, value = text.partition("~")
    if not sep:
        name, sep, value = text.partition("=")
    fields = {"invoice_number": "number", "number": "number", "vendor": "vendor", "vendor_code": "vendor",
              "po_line": "po_line", "pol_number": "po_line"}
    if not sep or name.strip().lower() not in fields:
        raise GeneralError(f"General error. q={raw!r}: search one of {', '.join(sorted(fields))} as field~value "
                           f"[decision].")
    return {fields[name.strip().lower()]: value.strip()}


@serves
def create_invoice(call: Call) -> Answer:
    invoice = _invoices.create_invoice(call.world, call.institution.code, s.invoice_draft_from_json(_body(call)),
                                       call.clock)
    return Answer(_invoice_json(call, invoice), root="invoice")


@serves
def list_invoices(call: Call) -> Answer:
    found = _invoices.list_invoices(call.world, call.institution.code, **_invoice_q(call.arg("q")),
                                    workflow_status=call.arg("invoice_workflow_status"),
                                    base_status=call.arg("base_status").upper())
    owner = call.arg("owner")
    if owner:
        found = [i for i in found if i.owner == owner]
    form = call.arg("creation_form").upper()
    if form:
        found = [i for i in found if i.creation_form == form]
    page, total = _page(call, found)
    bodies = [_invoice_json(call, i, with_lines=False) for i in page]
    return Answer(s.list_json("invoice", bodies, total), plural="invoices")


@serves
def get_invoice(call: Call) -> Answer:
    return Answer(_invoice_json(call, _invoice(call)), root="invoice")


@serves
def update_invoice(call: Call) -> Answer:
    body = _body(call)
    invoice = _invoices.update_invoice(call.world, call.institution.code, call.params["invoice_id"],
                                       s.invoice_draft_from_json(body), call.clock)
    return Answer(_invoice_json(call, invoice), root="invoice")


@serves
def invoice_operation(call: Call) -> Answer:
    """op=process_invoice|mark_in_erp|paid|rejected; a rejection's note is the body's `note` (or the first of
    `notes`) [decision]."""
    body = call.body or {}
    note = s.text_of(body.get("note")) if not isinstance(body.get("note"), list) else ""
    if not note and isinstance(body.get("note"), list) and body["note"]:
        first = body["note"][0]
        note = s.text_of(first.get("content") if isinstance(first, dict) else first)
    invoice = _invoices.invoice_operation(call.world, call.institution.code, call.params["invoice_id"],
                                          call.arg("op"), call.clock, note=note)
    return Answer(_invoice_json(call, invoice), root="invoice")


@serves
def invoice_lines(call: Call) -> Answer:
    invoice = _invoice(call)
    wanted = _invoice_q(call.arg("q")).get("po_line", "")
    lines = [l for l in invoice.lines if not wanted or l.po_line.casefold() == wanted.casefold()]
    page, total = _page(call, lines)
    bodies = [s.invoice_line_to_json(l, invoice, call.institution, call.base) for l in page]
    return Answer(s.list_json("invoice_line", bodies, total), plural="invoice_lines")


def _line_draft(call: Call, invoice):
    return s.shares_in_currency(s.invoice_line_draft_from_json(_body(call)), invoice.currency)


@serves
def add_invoice_line(call: Call) -> Answer:
    invoice = _invoice(call)
    line = _invoices.add_invoice_line(call.world, call.institution.code, invoice.id, _line_draft(call, invoice),
                                      call.clock)
    return Answer(s.invoice_line_to_json(line, invoice, call.institution, call.base), root="invoice_line")


def _invoice_line(call: Call):
    invoice = _invoice(call)
    line = invoice.line(call.params["invoice_line_id"])
    if line is None:
        raise GeneralError(f"Invoice line not valid: invoice {invoice.number} has no line "
                           f"{call.params['invoice_line_id']}.", code="60284")
    return invoice, line


@serves
def get_invoice_line(call: Call) -> Answer:
    invoice, line = _invoice_line(call)
    return Answer(s.invoice_line_to_json(line, invoice, call.institution, call.base), root="invoice_line")


@serves
def update_invoice_line(call: Call) -> Answer:
    invoice = _invoice(call)
    line = _invoices.update_invoice_line(call.world, call.institution.code, invoice.id,
                                         call.params["invoice_line_id"], _line_draft(call, invoice), call.clock)
    return Answer(s.invoice_line_to_json(line, invoice, call.institution, call.base), root="invoice_line")


@serves
def vendor_invoices(call: Call) -> Answer:
    found = _invoices.vendor_invoices(call.world, call.institution.code, call.params["vendor_code"])
    page, total = _page(call, found)
    bodies = [_invoice_json(call, i, with_lines=False) for i in page]
    return Answer(s.list_json("invoice", bodies, total), plural="invoices")


@serves
def fund_transactions(call: Call) -> Answer:
    """filter=ALLOCATION|ENCUMBRANCE|DISENCUMBRANCE|EXPENDITURE|TRANSFER; q=amount~25, po_line~POL-1,
    invoice_number~G1 (`=` is read as `~`)."""
    restrictions.check_fund_transactions(call.restriction, posting=False)
    raw = call.arg("q").strip()
    name, value = "", ""
    if raw and raw.lower() != "all":
        name, sep, value = raw.partition("~")
        if not sep:
            name, sep, value = raw.partition("=")
        name = name.strip() or raw
    found = _funds.fund_transactions(call.world, call.institution.code, call.params["fund_id"],
                                     kind=call.arg("filter", "ALL"), field_name=name, value=value)
    fund = _funds.find_fund(call.institution, call.params["fund_id"])
    page, total = _page(call, found)
    bodies = [s.fund_transaction_to_json(t, fund, call.institution, call.base) for t in page]
    return Answer(s.list_json("fund_transaction", bodies, total), plural="fund_transactions")


@serves
def add_fund_transaction(call: Call) -> Answer:
    """An ALLOCATION (negative takes allocation back) or a TRANSFER to `related_fund`."""
    restrictions.check_fund_transactions(call.restriction, posting=True)
    body = _body(call)
    amount = body.get("amount")
    raw = amount.get("sum") if isinstance(amount, dict) else amount
    value = to_decimal(raw) if raw not in (None, "") and not isinstance(raw, bool) else None
    if raw not in (None, "") and value is None:
        raise IllegalValue(f"Given amount is illegal: {raw!r}.", code="4018843")
    related = body.get("related_fund")
    related_code = s.code_of(related) if related else ""
    posted = _funds.add_fund_transaction(call.world, call.institution.code, call.params["fund_id"],
                                         s.code_of(body.get("type")), value, call.clock, related_fund=related_code,
                                         note=s.text_of(body.get("note")))
    fund = _funds.find_fund(call.institution, call.params["fund_id"])
    return Answer(s.fund_transaction_to_json(posted[0], fund, call.institution, call.base), root="fund_transaction")


@serves
def scan_in_item(call: Call) -> Answer:
    """Alma's scan-in (op=scan): for an item still in acquisition, scanning it in receives it, as the receiving
    workbench does [decision: the simulator models no other scan-in effect]."""
    if call.arg("op") != "scan":
        raise InvalidParameter("Parameter op is not valid: op must be scan.", code="40166410")
    holding = _holding(call)
    item = call.institution.items.get(call.params["item_pid"])
    if item is None or item.holding_id != holding.id:
        raise NotFound(f"No items found for item PID {call.params['item_pid']}.", code="401689")
    if not item.received:
        line = next((l for l in call.institution.po_lines.values()
                     if any(item.id in loc.item_ids for loc in l.draft.locations)), None)
        if line is not None:
            item = lifecycle.receive(call.world, call.institution.code, line.number, call.clock, item_id=item.id)
    return Answer(s.alma_item_to_json(item, call.institution, call.base, call.institution.network), root="item")


@serves
def scan_barcode(call: Call) -> Answer:
    """The receiving desk scans a barcode (`?barcode=`): the ordered item carrying it is received — a shelf-ready
    item arrives with the vendor's barcode on it. Alma's scan-in takes the item's PID; this finds it by barcode."""
    item = lifecycle.receive_by_barcode(call.world, call.institution.code, call.arg("barcode"), call.clock,
                                        receive_date=call.arg("receive_date"))
    return Answer(s.alma_item_to_json(item, call.institution, call.base, call.institution.network), root="item")


@serves
def librarian_purchase_order(call: Call) -> Answer:
    """A PO as the librarian's PO screen shows it: its status (SENT, CLOSED once every line is closed or
    cancelled, CANCELLED) and its lines. Alma's REST API has no PO call."""
    po = call.institution.purchase_orders.get(call.params["po_number"])
    if po is None:
        raise NotFound(f"No purchase order {call.params['po_number']}.", code="402119")
    return Answer(s.purchase_order_to_json(po, call.institution), root="purchase_order")


# ---------------------------------------------------------------- interested users: requests and letters ------


@serves
def item_requests(call: Call) -> Answer:
    """Retrieve User Requests per Item: the hold requests an interested user's "hold item" placed on a received
    item, first in the queue first. `status=history` lists finished requests (none are finished by the
    simulator); `request_type` filters (HOLD is the only type it places)."""
    status = call.arg("status", "active").lower() or "active"
    if status not in ("active", "history"):
        raise InvalidParameter(f"Parameter status is not valid: {status!r} (active or history).", code="40166410")
    holding = _holding(call)
    item = call.institution.items.get(call.params["item_pid"])
    if item is None or item.holding_id != holding.id:
        raise NotFound(f"No items found for item PID {call.params['item_pid']}.", code="401689")
    wanted = call.arg("request_type", "all_types").upper()
    found = [s.user_request_to_json(r, call.institution, call.base)
             for r in letters.item_requests(call.institution, item.id, active=status == "active")
             if wanted in ("", "ALL_TYPES") or r.request_type == wanted]
    return Answer(s.list_json("user_request", found, len(found)), plural="user_requests")


@serves
def librarian_letters(call: Call) -> Answer:
    """The letters Alma sent about orders, oldest first (Alma's letter log, which has no REST API)."""
    found = [s.letter_to_json(letter) for letter in letters.letters(call.world, call.institution.code,
                                                                   primary_id=call.arg("user"),
                                                                   po_line=call.arg("po_line"))]
    return Answer(s.list_json("letter", found, len(found)), plural="letters")
