"""Every Alma route the simulator serves is in Ex Libris' own OpenAPI files (../shared/reference/openapi):
the path and verb, each query parameter a handler reads, and each error code it can answer with — or the
code is a [decision] with its reason (coverage.DECISIONS)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from alma_requests import KEY, Wire

from simulator.api import codec
from simulator.admin import coverage
from simulator.api.handlers import ALMA, ROUTES, Call
from simulator.api.service import AlmaService

# ALMASIM_OPENAPI_DIR points the contract elsewhere (tests/plugin/test_strictness.py uses it to prove the CI rule).
OPENAPI = Path(os.environ.get("ALMASIM_OPENAPI_DIR")
               or Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "openapi")
ALMA_ROUTES = [r for r in ROUTES if r.template.startswith(ALMA)]


@pytest.fixture(scope="module", autouse=True)
def _official_files() -> None:
    """Without ../shared the contract is skipped on a developer's machine, but fails under CI (the CI variable
    set), so a missing checkout can never turn the contract green."""
    if OPENAPI.is_dir():
        return
    missing = f"Ex Libris' OpenAPI files are not at {OPENAPI}"
    if os.environ.get("CI"):
        pytest.fail(f"{missing}; CI is set, so the contract must run (check out shared/ beside the project)",
                    pytrace=False)
    pytest.skip(missing)


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.rstrip("/"))


@pytest.fixture(scope="module")
def official() -> dict[tuple[str, str], dict]:
    operations = {}
    for file in sorted(OPENAPI.glob("*.json")):
        for path, item in json.loads(file.read_text("utf-8"))["paths"].items():
            for method, operation in item.items():
                if method in ("get", "post", "put", "delete", "patch"):
                    text = " ".join(r.get("description", "") for r in operation.get("responses", {}).values())
                    operations[(method.upper(), _shape(path))] = {
                        "query": {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"},
                        "codes": set(re.findall(r"(?m)^\s*(\w+) - ", text.replace("\n\n", "\n"))),
                    }
    return operations


def _id(route) -> str:
    return f"{route.method} {route.template.removeprefix(ALMA)}"


@pytest.mark.parametrize("route", ALMA_ROUTES, ids=_id)
def test_the_route_is_in_the_official_file(route, official):
    assert (route.method, _shape(route.template)) in official


@pytest.mark.parametrize("route", ALMA_ROUTES, ids=_id)
def test_every_query_parameter_read_is_documented(route, official):
    documented = official[(route.method, _shape(route.template))]["query"]
    read = set(coverage.QUERY.get((route.method, route.template), ()))
    assert read <= documented, f"not in Ex Libris' file: {sorted(read - documented)}"


@pytest.mark.parametrize("route", ALMA_ROUTES, ids=_id)
def test_every_error_code_is_documented_or_a_decision(route, official):
    key = (route.method, route.template)
    assert key in coverage.ERRORS, "declare the route's error codes in coverage.ERRORS"
    documented = official[(route.method, _shape(route.template))]["codes"]
    decided = coverage.DECISIONS.get(key, {})
    undocumented = set(coverage.ERRORS[key]) - documented - set(decided)
    assert not undocumented, f"neither documented nor a [decision]: {sorted(undocumented)}"
    assert set(decided) <= set(coverage.ERRORS[key]), "a decision for a code the route does not emit"
    assert not set(decided) & documented, "a decision for a code Ex Libris documents"


class RecordingQuery(dict):
    """A query that remembers every parameter name a handler asks for."""

    read: set[str]

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)


def test_the_declared_query_parameters_are_the_ones_handlers_read():
    """Drive every route once and watch which parameters its handler asks for."""
    from simulator.api.handlers import find_route
    service = AlmaService()
    world = service.world
    institution = world.institution("01TRLC_HVU")
    line = next(iter(institution.po_lines.values()))
    samples = {"po_line_id": line.number, "item_id": "x", "fund_id": "HIST-MONO", "vendor_code": "GOBI",
               "library_code": "MAIN", "location_code": "STACKS", "code_table": "PurchaseType", "id": "GOBI_API",
               "mms_id": line.mms_id, "portfolio_id": "x", "collection_id": "x", "service_id": "x", "code": "X",
               "fund_code": "HIST-MONO", "holding_id": "x", "item_pid": "x", "invoice_id": "x",
               "invoice_line_id": "x", "po_number": "x"}
    for route in ROUTES:
        query = RecordingQuery()
        query.read = set()
        params = {name: samples[name] for name in route.pattern.groupindex}
        call = Call(world=world, institution=institution, clock=service.clock, params=params, query=query, body={})
        try:
            route.handler(call)
        except Exception:  # refusals are fine: what matters is what was read before them
            pass
        declared = set(coverage.QUERY.get((route.method, route.template), ()))
        assert query.read <= declared, f"{route.method} {route.template} reads undeclared {sorted(query.read - declared)}"
        assert find_route(route.method, route.template.format(**params))[0] is not None


# Requests that make each route refuse, and the code expected: the codes the handlers really emit are declared.
_REFUSALS = [
    ("POST", "/acq/po-lines", {}, b'{"type": "PRINTED_BOOK_OT"}', "401664"),
    ("POST", "/acq/po-lines", {}, b"{", "402119"),
    ("GET", "/acq/po-lines", {"order_by": "colour"}, b"", "40188604"),
    ("GET", "/acq/po-lines", {"q": "colour~red"}, b"", "40188600"),
    ("GET", "/acq/po-lines/POL-0", {}, b"", "401871"),
    ("PUT", "/acq/po-lines/POL-0", {}, b"{}", "401871"),
    ("DELETE", "/acq/po-lines/POL-0", {"reason": "X"}, b"", "401871"),
    ("POST", "/acq/po-lines/POL-0/items/1", {}, b"{}", "40166411"),
    ("GET", "/acq/funds", {"mode": "POL", "owner": "x"}, b"", "401873"),
    ("GET", "/acq/funds", {"mode": "NONE"}, b"", "40166410"),
    ("GET", "/acq/funds/NOPE", {}, b"", "402119"),
    ("GET", "/acq/vendors/NOPE", {}, b"", "401871"),
    ("GET", "/acq/vendors", {"limit": "x"}, b"", "402119"),
    ("GET", "/conf/libraries/NOPE", {}, b"", "402119"),
    ("GET", "/conf/code-tables/NOPE", {}, b"", "402119"),
    ("GET", "/conf/integration-profiles/NOPE", {}, b"", "60304"),
    ("GET", "/bibs", {}, b"", "402203"),
    ("GET", "/bibs/abc", {}, b"", "402204"),
    ("GET", "/bibs/123/portfolios", {}, b"", "402203"),
    ("PUT", "/bibs/abc", {}, b"", "402204"),
    ("POST", "/bibs", {}, b'{"anies": ["<record><leader>x</leader>"]}', "402209"),
    ("GET", "/bibs/123/holdings", {}, b"", "402203"),
    ("GET", "/electronic/e-collections/NOPE", {}, b"", "60121"),
    ("GET", "/electronic/e-collections/NOPE/e-services", {}, b"", "60121"),
    ("POST", "/acq/invoices", {}, b'{"number": "X", "invoice_date": "2026-09-01", "total_amount": 1}', "4028805"),
    ("POST", "/acq/invoices", {}, b"{", "402119"),
    ("GET", "/acq/invoices", {"q": "colour~red"}, b"", "402119"),
    ("GET", "/acq/invoices/0", {}, b"", "412400"),
    ("PUT", "/acq/invoices/0", {}, b"{}", "412400"),
    ("POST", "/acq/invoices/0", {"op": "process_invoice"}, b"", "412400"),
    ("POST", "/acq/invoices/0", {"op": "pay"}, b"", "40166410"),
    ("GET", "/acq/invoices/0/lines", {}, b"", "412400"),
    ("POST", "/acq/invoices/0/lines", {}, b"{}", "412400"),
    ("GET", "/acq/invoices/0/lines/0", {}, b"", "412400"),
    ("PUT", "/acq/invoices/0/lines/0", {}, b"{}", "412400"),
    ("GET", "/acq/vendors/NOPE/invoices", {}, b"", "401871"),
    ("GET", "/acq/funds/NOPE/transactions", {}, b"", "401873"),
    ("GET", "/acq/funds/HIST-MONO/transactions", {"filter": "GIFT"}, b"", "40166404"),
    ("GET", "/acq/funds/HIST-MONO/transactions", {"q": "colour~red"}, b"", "60106"),
    ("POST", "/bibs/123/holdings/1/items/1", {"op": "loan"}, b"", "40166410"),
    ("POST", "/acq/funds/HIST-MONO/transactions", {}, b'{"amount": {"sum": "1"}}', "4018841"),
]


@pytest.mark.parametrize(("method", "path", "query", "body", "code"), _REFUSALS,
                         ids=[f"{m} {p} {c}" for m, p, _, _, c in _REFUSALS])
def test_emitted_codes_are_declared_for_their_route(method, path, query, body, code):
    service = AlmaService()
    wire = Wire(service)
    target = ALMA + path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    answer = wire(method, target, key=KEY, body=body, headers={"content-type": "application/json"})
    assert codec.parse_error_body(answer.body)[0][0] == code
    route = service.journal.entries()[-1].route
    assert code in coverage.ERRORS[(method, route)]
