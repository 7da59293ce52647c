"""What the simulator serves, described: per route the query parameters it reads and the error codes it can
answer with, the [decision]s where those differ from Alma's documentation, a generated OpenAPI 3 document
and a coverage page (like moto's IMPLEMENTATION_COVERAGE) of endpoints, fields, alerts and error codes.

`QUERY` and `ERRORS` are kept beside `handlers.ROUTES` by hand and checked by tests: every route has an
entry, every parameter and code is in Ex Libris' OpenAPI files for that operation or in `DECISIONS` with its
reason, and the codes the handlers really emit are declared here.
Imports handlers, simulator.alma.alerts and the standard library.
"""

from __future__ import annotations

import json
from typing import Any

from simulator.alma.alerts import ALERT_CODES
from simulator.api.handlers import ALMA, LIBRARIAN, ROUTES, Route

__all__ = ["DECISIONS", "ERRORS", "GATEWAY_ERRORS", "QUERY", "markdown", "openapi", "report"]

_POL = f"{ALMA}/acq/po-lines"
_ONE = f"{_POL}/{{po_line_id}}"
_EC = f"{ALMA}/electronic/e-collections/{{collection_id}}"
_PAGE = ("limit", "offset")
_HOLDINGS = f"{ALMA}/bibs/{{mms_id}}/holdings"

#: Query parameters each route reads (the OpenAPI contract test checks each is documented).
QUERY: dict[tuple[str, str], tuple[str, ...]] = {
    ("POST", _POL): ("profile_code", "requires_manual_review"),
    ("GET", _POL): ("q", "status", "limit", "offset", "order_by", "direction", "acquisition_method", "expand",
                    "library"),
    ("PUT", _ONE): ("update_inventory", "redistribute_funds"),
    ("DELETE", _ONE): ("reason", "comment", "bib", "override", "inform_vendor"),
    ("POST", f"{_ONE}/items"): ("receive_date",),
    ("POST", f"{_ONE}/items/{{item_id}}"): ("op", "receive_date"),
    ("GET", f"{ALMA}/acq/funds"): ("mode", "library", "q", "limit", "offset", "status", "entity_type", "view",
                                   "fiscal_period", "parent_id", "owner"),
    ("GET", f"{ALMA}/acq/vendors"): ("status", "type", "q", *_PAGE),
    ("GET", f"{ALMA}/acq/vendors/{{vendor_code}}/po-lines"): _PAGE,
    ("GET", f"{ALMA}/acq/fiscal-periods"): ("mode",),
    ("GET", f"{ALMA}/conf/integration-profiles"): _PAGE,
    ("GET", f"{ALMA}/bibs"): ("mms_id",),
    ("GET", f"{ALMA}/bibs/{{mms_id}}"): ("view",),
    ("GET", f"{ALMA}/bibs/{{mms_id}}/portfolios"): _PAGE,
    ("GET", f"{ALMA}/bibs/{{mms_id}}/holdings/{{holding_id}}/items"): _PAGE,
    ("GET", f"{ALMA}/electronic/e-collections"): ("q", *_PAGE),
    ("GET", f"{_EC}/e-services/{{service_id}}/portfolios"): _PAGE,
    ("POST", f"{LIBRARIAN}/bibs/{{mms_id}}/order"): ("assign_inventory_manually",),
    ("GET", f"{LIBRARIAN}/community-zone/portfolios"): ("q",),
}

#: Error codes each route can answer with (besides the gateway's, `GATEWAY_ERRORS`).
ERRORS: dict[tuple[str, str], tuple[str, ...]] = {
    ("POST", _POL): ("402119", "401664", "401870", "401872", "60320", "401676"),
    ("GET", _POL): ("402119", "40188600", "40188604"),
    ("GET", _ONE): ("401871",),
    ("PUT", _ONE): ("401676", "401871", "401876", "402119", "401872"),
    ("DELETE", _ONE): ("401884", "401881", "401871"),
    ("GET", f"{_ONE}/items"): ("401871",),
    ("POST", f"{_ONE}/items"): ("401871", "401877"),
    ("POST", f"{_ONE}/items/{{item_id}}"): ("40166411", "401871", "401877"),
    ("GET", f"{ALMA}/acq/funds"): ("402119", "40166410", "401873"),
    ("GET", f"{ALMA}/acq/funds/{{fund_id}}"): ("402119",),
    ("GET", f"{ALMA}/acq/vendors"): ("402119",),
    ("GET", f"{ALMA}/acq/vendors/{{vendor_code}}"): ("401871",),
    ("GET", f"{ALMA}/acq/vendors/{{vendor_code}}/po-lines"): ("402119", "401871"),
    ("GET", f"{ALMA}/acq/fiscal-periods"): ("401873",),
    ("GET", f"{ALMA}/acq/currencies"): (),
    ("GET", f"{ALMA}/acq/test"): (),
    ("POST", f"{ALMA}/acq/test"): (),
    ("GET", f"{ALMA}/conf/test"): (),
    ("POST", f"{ALMA}/conf/test"): (),
    ("GET", f"{ALMA}/bibs/test"): (),
    ("POST", f"{ALMA}/bibs/test"): (),
    ("GET", f"{ALMA}/conf/libraries"): (),
    ("GET", f"{ALMA}/conf/libraries/{{library_code}}"): ("402119",),
    ("GET", f"{ALMA}/conf/libraries/{{library_code}}/locations"): ("402119",),
    ("GET", f"{ALMA}/conf/libraries/{{library_code}}/locations/{{location_code}}"): ("402119",),
    ("GET", f"{ALMA}/conf/code-tables/{{code_table}}"): ("402119",),
    ("GET", f"{ALMA}/conf/integration-profiles"): ("402119",),
    ("GET", f"{ALMA}/conf/integration-profiles/{{id}}"): ("60304",),
    ("GET", f"{ALMA}/bibs"): ("402203",),
    ("GET", f"{ALMA}/bibs/{{mms_id}}"): ("402204", "402203"),
    ("GET", f"{ALMA}/bibs/{{mms_id}}/portfolios"): ("402204", "402203", "402119"),
    ("GET", f"{ALMA}/bibs/{{mms_id}}/portfolios/{{portfolio_id}}"): ("402204", "402203", "60123"),
    ("PUT", f"{ALMA}/bibs/{{mms_id}}/portfolios/{{portfolio_id}}"): ("60221", "60123", "60161", "60172", "401872",
                                                                     "402119", "401676"),
    ("PUT", f"{ALMA}/bibs/{{mms_id}}"): ("402204", "402203", "4022032", "401676", "402119"),
    ("POST", f"{ALMA}/bibs"): ("402209", "401676", "402119"),
    ("GET", f"{_HOLDINGS}"): ("402204", "402203"),
    ("GET", f"{_HOLDINGS}/{{holding_id}}"): ("402204", "402203", "402208"),
    ("GET", f"{_HOLDINGS}/{{holding_id}}/items"): ("402204", "402203", "402208", "402119"),
    ("GET", f"{_HOLDINGS}/{{holding_id}}/items/{{item_pid}}"): ("402204", "402203", "402208", "401689"),
    ("GET", f"{ALMA}/electronic/e-collections"): ("402119",),
    ("GET", _EC): ("60121",),
    ("GET", f"{_EC}/e-services"): ("60121",),
    ("GET", f"{_EC}/e-services/{{service_id}}"): ("60121", "60122"),
    ("GET", f"{_EC}/e-services/{{service_id}}/portfolios"): ("60121", "60122", "402119"),
    ("GET", f"{_EC}/e-services/{{service_id}}/portfolios/{{portfolio_id}}"): ("60121", "60122", "60123"),
}

_PAGING = "402119 for a limit or offset that is not a whole number in range: Alma's general error."
_BODY = ("a body that is not JSON or XML (or is refused: a DTD, too deep, too large) gets Alma's general error "
         "402119; a missing body gets 401676 'Request body not found', as on PUT.")

_NOT_NUMERIC = "a non-numeric MMS ID is refused as on GET /bibs/{mms_id}."
_NO_BIB = "an unknown MMS ID is refused as on GET /bibs/{mms_id}."
_NO_HOLDING = "a holding ID the record does not have is refused as on GET /bibs/{mms_id}/holdings/{holding_id}."

#: [decision] Codes a route answers with that Ex Libris' file does not list for it, each with its reason.
DECISIONS: dict[tuple[str, str], dict[str, str]] = {
    ("POST", _POL): {"401676": _BODY},
    ("PUT", _ONE): {"402119": _BODY,
                    "401872": "an illegal value in the body (a coded field, money, quantity) is refused as on POST."},
    ("GET", f"{ALMA}/acq/funds/{{fund_id}}"): {
        "402119": "Alma documents no code for an unknown fund; the general error is used."},
    ("GET", f"{ALMA}/conf/integration-profiles"): {"402119": _PAGING},
    ("GET", f"{ALMA}/bibs/{{mms_id}}/portfolios"): {
        "402204": "a non-numeric MMS ID is refused as on GET /bibs/{mms_id}.", "402119": _PAGING},
    ("GET", f"{ALMA}/bibs/{{mms_id}}/portfolios/{{portfolio_id}}"): {
        "402204": "a non-numeric MMS ID is refused as on GET /bibs/{mms_id}."},
    ("PUT", f"{ALMA}/bibs/{{mms_id}}/portfolios/{{portfolio_id}}"): {
        "402119": _BODY, "401676": _BODY,
        "401872": "an access model the institution's AccessModel table does not have is refused as on a PO line."},
    ("PUT", f"{ALMA}/bibs/{{mms_id}}"): {"401676": _BODY, "402119": _BODY},
    ("POST", f"{ALMA}/bibs"): {"401676": _BODY, "402119": _BODY},
    ("GET", _HOLDINGS): {"402204": _NOT_NUMERIC, "402203": _NO_BIB},
    ("GET", f"{_HOLDINGS}/{{holding_id}}"): {"402204": _NOT_NUMERIC, "402203": _NO_BIB},
    ("GET", f"{_HOLDINGS}/{{holding_id}}/items"): {"402204": _NOT_NUMERIC, "402208": _NO_HOLDING,
                                                   "402119": _PAGING},
    ("GET", f"{_HOLDINGS}/{{holding_id}}/items/{{item_pid}}"): {
        "402204": _NOT_NUMERIC, "402203": _NO_BIB, "402208": _NO_HOLDING,
        "401689": "Alma documents no code for an unknown item PID; 401689 'No items found' is used."},
    ("GET", f"{ALMA}/electronic/e-collections"): {"402119": _PAGING},
    ("GET", f"{_EC}/e-services/{{service_id}}/portfolios"): {"402119": _PAGING},
    ("GET", f"{_EC}/e-services/{{service_id}}/portfolios/{{portfolio_id}}"): {
        "60121": "an unknown collection is refused as on the service's other endpoints.",
        "60122": "an unknown service is refused as on the service's other endpoints."},
}

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
    doc = (route.handler.__doc__ or "").strip().splitlines()
    return doc[0] if doc else route.handler.__name__.replace("_", " ").capitalize()


# ---------------------------------------------------------------- OpenAPI --------------------------------------


def openapi(server_url: str = "") -> dict[str, Any]:
    """An OpenAPI 3.0 description of every route the simulator serves (Alma's and the librarian's)."""
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        key = _key(route)
        parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                      for name in route.pattern.groupindex]
        parameters += [{"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                       for name in QUERY.get(key, ())]
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


# ---------------------------------------------------------------- invoices, fund transactions, scan-in (§7) ------
_INV = f"{ALMA}/acq/invoices"
_INV_ONE = f"{_INV}/{{invoice_id}}"
_INV_LINE = f"{_INV_ONE}/lines/{{invoice_line_id}}"
_ITEM = f"{_HOLDINGS}/{{holding_id}}/items/{{item_pid}}"
_HEADER = ("60233", "60288", "60234", "60235", "60236", "60237", "60238", "60242", "60246", "4028805")
_LINE = ("60247", "60248", "60249", "60254", "60255", "60257")
_NO_INVOICE = "an unknown invoice id is refused with 412400 'Invoice not found', as on GET /acq/invoices/{id}."

QUERY.update({
    ("GET", _INV): ("q", "limit", "offset", "base_status", "invoice_workflow_status", "owner", "creation_form"),
    ("POST", _INV_ONE): ("op",),
    ("GET", f"{_INV_ONE}/lines"): ("q", *_PAGE),
    ("GET", f"{ALMA}/acq/vendors/{{vendor_code}}/invoices"): _PAGE,
    ("GET", f"{ALMA}/acq/funds/{{fund_id}}/transactions"): ("q", "filter", *_PAGE),
    ("POST", _ITEM): ("op",),
    ("POST", f"{LIBRARIAN}/receiving/scan"): ("barcode", "receive_date"),
})
ERRORS.update({
    ("POST", _INV): ("402119", "401676", *_HEADER),
    ("GET", _INV): ("402119",),
    ("GET", _INV_ONE): ("412400",),
    ("PUT", _INV_ONE): ("402119", "401676", "412400", "60291", *_HEADER),
    ("POST", _INV_ONE): ("40166410", "412400", "60260", "60267", "60268"),
    ("GET", f"{_INV_ONE}/lines"): ("412400", "402119"),
    ("POST", f"{_INV_ONE}/lines"): ("402119", "401676", "412400", "60285", *_LINE),
    ("GET", _INV_LINE): ("412400", "60284"),
    ("PUT", _INV_LINE): ("402119", "401676", "412400", "60284", "60286", *_LINE),
    ("GET", f"{ALMA}/acq/vendors/{{vendor_code}}/invoices"): ("401871", "402119"),
    ("GET", f"{ALMA}/acq/funds/{{fund_id}}/transactions"): ("401873", "40166404", "60106", "402119"),
    ("POST", _ITEM): ("40166410", "402204", "402203", "402208", "401689", "401877"),
    ("POST", f"{ALMA}/acq/funds/{{fund_id}}/transactions"): ("4018841", "4018842", "4018843", "4018845",
                                                             "4018846", "4018847", "4018848", "4018851", "401873",
                                                             "402119", "401676"),
})
DECISIONS.update({
    ("POST", _INV): {"401676": _BODY},
    ("PUT", _INV_ONE): {"401676": _BODY, "412400": _NO_INVOICE},
    ("POST", f"{_INV_ONE}/lines"): {"401676": _BODY},
    ("GET", _INV_LINE): {"412400": _NO_INVOICE,
                         "60284": "an invoice line the invoice does not have is refused with 60284 'Invoice line "
                                  "not valid', as on PUT."},
    ("PUT", _INV_LINE): {"401676": _BODY},
    ("POST", f"{ALMA}/acq/funds/{{fund_id}}/transactions"): {
        "401676": _BODY, "401873": "an unknown fund is refused as on GET …/transactions.",
        "402119": "a transfer larger than the fund's available balance, or an allocation below zero, is refused "
                  "with Alma's general error."},
    ("POST", _ITEM): {
        "40166410": "an op other than scan is refused with the general 'parameter not valid' code.",
        "402204": _NOT_NUMERIC, "402203": _NO_BIB, "402208": _NO_HOLDING,
        "401689": "an item PID the holding does not have is refused as on GET …/items/{item_pid}.",
        "401877": "scanning in an item still in acquisition receives it; a receipt Alma refuses keeps "
                  "POST /acq/po-lines/{id}/items/{item_id}'s code."},
})
