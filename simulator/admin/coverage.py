"""What the simulator serves, described: per route the query parameters it reads and the error codes it can
answer with, the [decision]s where those differ from Alma's documentation, a generated OpenAPI 3 document
and a coverage page (like moto's IMPLEMENTATION_COVERAGE) of endpoints, fields, alerts and error codes.

Everything per route is read from the route spec (simulator.api.routes.ENDPOINTS); `QUERY`, `ERRORS` and
`DECISIONS` are views of it, checked by tests: every parameter and code is in Ex Libris' OpenAPI files for
that operation or a [decision] with its reason, and the codes the handlers really emit are declared.
Imports handlers, routes, simulator.alma.alerts and the standard library.
"""

from __future__ import annotations

import json
from typing import Any

from simulator.alma.alerts import ALERT_CODES
from simulator.api.handlers import ROUTES, Route
from simulator.api.routes import ENDPOINTS, Q

__all__ = ["DECISIONS", "ERRORS", "GATEWAY_ERRORS", "QUERY", "markdown", "openapi", "report"]

# The per-route facts are declared once, in simulator.api.routes (one `Endpoint` per route). These three dicts
# are views of it keyed by (method, template), kept as dicts so that tests and reports read them by key.
#: Query parameters each route reads (the OpenAPI contract test checks each is documented).
QUERY: dict[tuple[str, str], tuple[str, ...]] = {e.key: e.query_names for e in ENDPOINTS if e.query}
#: Error codes each route can answer with (besides the gateway's, `GATEWAY_ERRORS`).
ERRORS: dict[tuple[str, str], tuple[str, ...]] = {e.key: e.errors for e in ENDPOINTS if e.errors or e.area != "librarian"}
#: [decision] Codes a route answers with that Ex Libris' file does not list for it, each with its reason.
DECISIONS: dict[tuple[str, str], dict[str, str]] = {e.key: dict(e.decisions) for e in ENDPOINTS if e.decisions}

#: Codes Alma's gateway answers with on any route.
GATEWAY_ERRORS: dict[str, tuple[int, str]] = {
    "UNAUTHORIZED": (401, "API-key not defined or not configured to allow this API. Always XML."),
    "PER_SECOND_THRESHOLD": (429, "More calls per second than the institution's threshold."),
    "DAILY_THRESHOLD": (429, "The institution's daily threshold is used up."),
    "INTERNAL_SERVER_ERROR": (500, "A failure inside the simulator (or an injected 500); never a traceback."),
    "GENERAL_ERROR": (503, "Only from an injected 503 fault."),
    "402119": (404, "404 for a path Alma does not have, 405 for a verb a path does not take [decision]."),
}

_ALMA_HOSTS = ("https://api-na.hosted.exlibrisgroup.com", "https://api-eu.hosted.exlibrisgroup.com",
               "https://api-ap.hosted.exlibrisgroup.com", "https://api-aps.hosted.exlibrisgroup.com",
               "https://api-ca.hosted.exlibrisgroup.com", "https://api-cn.hosted.exlibrisgroup.com.cn")


def _key(route: Route) -> tuple[str, str]:
    return route.method, route.template


def _summary(route: Route) -> str:
    if route.spec is not None and route.spec.summary:
        return route.spec.summary
    doc = (route.handler.__doc__ or "").strip().splitlines()
    return doc[0] if doc else route.handler.__name__.replace("_", " ").capitalize()


# ---------------------------------------------------------------- OpenAPI --------------------------------------


def _query(route: Route) -> tuple[Q, ...]:
    """The route's query parameters: typed from its spec entry; a transitional route's names from QUERY."""
    declared = {q.name: q for q in (route.spec.query if route.spec is not None else ())}
    return tuple(declared.get(name) or Q(name) for name in QUERY.get(_key(route), ()))


def _schema(q: Q) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": q.type}
    if q.default is not None:
        schema["default"] = q.default
    if q.allowed:
        schema["enum"] = list(q.allowed)
    return schema


def openapi(server_url: str = "") -> dict[str, Any]:
    """An OpenAPI 3.0 description of every route the simulator serves (Alma's and the librarian's)."""
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        key = _key(route)
        parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                      for name in route.pattern.groupindex]
        parameters += [{"name": q.name, "in": "query", "required": False, "schema": _schema(q)}
                       for q in _query(route)]
        codes = ERRORS.get(key, ())
        responses: dict[str, Any] = {
            "204" if route.method == "DELETE" else "200": {"description": "OK"},
            "401": {"description": "UNAUTHORIZED - API-key not defined or not configured to allow this API."},
            "429": {"description": "PER_SECOND_THRESHOLD / DAILY_THRESHOLD"},
            "500": {"description": "INTERNAL_SERVER_ERROR"},
        }
        if codes or route.area == "librarian":
            responses["400"] = {"description": "Bad Request\n\n" + "\n\n".join(codes or ("see the message",))}
        operation: dict[str, Any] = {"operationId": f"{route.method.lower()}{route.template}",
                                     "summary": _summary(route), "tags": [route.area], "parameters": parameters,
                                     "responses": responses,
                                     "x-almasim-write": route.write}
        if route.method in ("POST", "PUT", "PATCH"):
            operation["requestBody"] = {"required": False, "content": {"application/json": {"schema": {"type": "object"}},
                                                                     "application/xml": {"schema": {"type": "object"}}}}
        paths.setdefault(route.template, {})[route.method.lower()] = operation
    servers = [{"url": server_url}] if server_url else []
    return {
        "openapi": "3.0.3",
        "info": {"title": "almasim: a simulated Ex Libris Alma (acquisitions)", "version": "1",
                 "description": "Alma's paths under /almaws/v1 as the simulator serves them, and the librarian's "
                                "actions (no Alma REST endpoint) under /almasim/v1/librarian."},
        "servers": servers + [{"url": host} for host in _ALMA_HOSTS],
        "security": [{"ApiKeyAuth": []}, {"ApiKeyHeader": []}],
        "components": {"securitySchemes": {
            "ApiKeyAuth": {"type": "apiKey", "in": "query", "name": "apikey"},
            "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "Authorization",
                             "description": "apikey <key>"}}},
        "paths": paths,
    }


# ---------------------------------------------------------------- coverage page ---------------------------------


_FIELDS = {
    "po_line": ("number, status, owner, type, vendor, vendor_account, acquisition_method, no_charge, rush, "
                "cancellation_restriction, manual_renewal, price, discount (when set), net_price, "
                "vendor_reference_number, vendor_reference_number_type (when set), source_type, po_number, "
                "resource_metadata (mms_id, title, author, isbn, issn, publisher, publication_place, "
                "publication_year, vendor_title_number, system_control_number), fund_distribution (fund_code, "
                "amount), location (quantity, library, shelving_location, holding, copy; receive_date once "
                "received), access_provider, access_model, license, url, material_type, portfolios, e_collection, "
                "alert, note, the five reporting codes, vendor_note, receiving_note, renewal_note, "
                "additional_order_reference, invoice_reference, base_status, reclaim/expected receipt/claiming "
                "intervals, renewal_cycle, renewal_period, created_date, status_date, cancellation_reason, "
                "cancellation_note; other fields are kept as sent (docs/conformance.md)"),
    "fund": "id, code, name, description, external_id, type, entity_type, status, owner, fiscal_period, currency, parent (the ledger, which "
            "GET /acq/funds/{id} also serves), available_for_library, allocated/encumbered/expended/cash/available "
            "balances, over-encumbrance and over-expenditure settings, prior-period and grace-period fields",
    "vendor": "code, name, additional_code, financial_sys_code, national_tax_id, status, language, liable_for_vat, "
              "type flags, currency (a list), library, contact_info, contact_person, note, interface, account "
              "(code, description, financial_sys_code, note, status, discount_percent, payment_method (a list), "
              "library)",
    "bib": "mms_id, title, author, isbn, issn, publisher, anies (MARCXML)",
    "portfolio": "id, resource_metadata.mms_id, electronic_collection, availability, po_line",
}


def report() -> dict[str, Any]:
    """The coverage page as data: endpoints, fields, alerts, error codes and decisions."""
    endpoints = []
    for route in ROUTES:
        key = _key(route)
        endpoints.append({"method": route.method, "path": route.template, "area": route.area, "write": route.write,
                          "summary": _summary(route), "query": list(QUERY.get(key, ())),
                          "errors": list(ERRORS.get(key, ())),
                          "decisions": DECISIONS.get(key, {})})
    return {"endpoints": endpoints, "fields": dict(_FIELDS), "alerts": dict(ALERT_CODES),
            "gateway_errors": {code: {"status": s, "meaning": m} for code, (s, m) in GATEWAY_ERRORS.items()}}


def markdown() -> str:
    """The coverage page in Markdown (docs/coverage.md is this page)."""
    data = report()
    lines = ["# almasim coverage", "",
             "What the simulated Alma serves: every endpoint, the query parameters it reads and the error codes it "
             "can answer with ([decision] where Ex Libris' OpenAPI file does not list the code for that operation), "
             "the PO line fields it renders, its alerts and the gateway's errors. Generated from the route table "
             "(`simulator.admin.coverage.markdown()`, also served at `GET /almasim/v1/admin/coverage`).", ""]
    for title, area_filter in (("Alma's REST API (`/almaws/v1`)", lambda a: a != "librarian"),
                               ("The librarian's actions (`/almasim/v1/librarian`, not Alma paths)",
                                lambda a: a == "librarian")):
        lines += [f"## {title}", "", "| | method | path | query parameters | error codes |", "|---|---|---|---|---|"]
        for e in data["endpoints"]:
            if not area_filter(e["area"]):
                continue
            codes = ", ".join(f"{c} [decision]" if c in e["decisions"] else c for c in e["errors"])
            lines.append(f"| ✔ | {e['method']} | `{e['path']}` | {', '.join(e['query'])} | {codes} |")
        lines.append("")
    lines += ["## Decisions", "", "| method | path | code | why |", "|---|---|---|---|"]
    for e in data["endpoints"]:
        for code, why in e["decisions"].items():
            lines.append(f"| {e['method']} | `{e['path']}` | {code} | {why} |")
    lines += ["", "## Gateway errors (any route)", "", "| code | status | meaning |", "|---|---|---|"]
    lines += [f"| {code} | {v['status']} | {v['meaning']} |" for code, v in data["gateway_errors"].items()]
    lines += ["", "## Fields rendered", "", "| object | fields |", "|---|---|"]
    lines += [f"| {name} | {text} |" for name, text in data["fields"].items()]
    lines += ["", "## Alerts", "", "| code | meaning |", "|---|---|"]
    lines += [f"| {code} | {text} |" for code, text in data["alerts"].items()]
    return "\n".join(lines) + "\n"


def dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
