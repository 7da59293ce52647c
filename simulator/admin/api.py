"""The simulator's own control API under /almasim/v1/admin: never an Alma path, no API key, JSON only.

    POST   /almasim/v1/admin/reset                  back to the starting world; journal, faults, counters cleared
    GET    /almasim/v1/admin/world                  the world's name, institutions and their API keys
    POST   /almasim/v1/admin/world                  load a world: empty body = default; a TOML/JSON world file
    POST   /almasim/v1/admin/tenants                {"template", "code"?, "name"?} → a new institution + keys
    DELETE /almasim/v1/admin/tenants/{code}         drop a tenant
    GET    /almasim/v1/admin/journal                ?institution= &method= &path= &status= &caller= &po_line= &kind=
                                                    &limit= &raw=false
    DELETE /almasim/v1/admin/journal                ?institution=
    GET    /almasim/v1/admin/faults                 the active fault rules
    POST   /almasim/v1/admin/faults                 add one (see faults.Fault)
    DELETE /almasim/v1/admin/faults[/{id}]          remove all, or one
    GET|POST /almasim/v1/admin/stubs                the pinned answers; add one (see stubs.Stub)
    DELETE /almasim/v1/admin/stubs[/{id}]           remove all, or one
    GET    /almasim/v1/admin/journal/count          ?method= &path= &vendor= &po_line= &outcome= &query.NAME=
    POST   /almasim/v1/admin/journal/verify         {criteria…, "times"|"at_least"|"at_most"}: 200, or 417 why not
    GET|PUT /almasim/v1/admin/settings              thresholds, journal caps, strict mode ({"strict": 1})
    GET    /almasim/v1/admin/unmatched              unexpected calls with their near-miss explanation ?institution=
    DELETE /almasim/v1/admin/unmatched              forget them
    GET|PUT /almasim/v1/admin/processing            {"mode": "synchronous"|"asynchronous", "seconds", "institution"?}
    GET|POST /almasim/v1/admin/clock                now; POST {"advance_seconds": N} (runs the daily jobs it passes)
    GET    /almasim/v1/admin/jobs                   the daily jobs (renewal, claiming): time, last run, the clock's now
    POST   /almasim/v1/admin/jobs/{job}             run one now ?institution=; what it did
    GET|PUT /almasim/v1/admin/state                 export / import the whole world as a JSON snapshot
    GET    /almasim/v1/admin/openapi.json           OpenAPI 3 of what the simulator serves
    GET    /almasim/v1/admin/coverage               the coverage page (?format=json|md)
    POST   /almasim/v1/admin/edi/{institution}/invoices        an EDIFACT INVOIC file, as Alma's FTP pick-up
    GET    /almasim/v1/admin/edi/{institution}/outbox/{vendor} what Alma sent the vendor by EDI (ORDCHG)

(/almasim/v1/admin/bare, any method, answers a tiny JSON object and nothing else: the benchmark's baseline.)
Misuse is answered 400 `{"error": "SIMULATOR: …"}`. Imports coverage, faults, journal, stubs, simulator.errors,
simulator.edifact and the domain's EDI account (service and wire for typing only).
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from simulator.admin import coverage
from simulator.admin.faults import Fault
from simulator.api.routes import ADMIN, ALMA, Endpoint, endpoint
from simulator import edifact
from simulator.alma import edi
from simulator.admin.journal import criteria_from_query
from simulator.admin.stubs import Stub
from simulator.errors import HarnessError, SimulatorError

if TYPE_CHECKING:
    from simulator.api.service import AlmaService
    from simulator.api.wire import RawRequest

PREFIX = ADMIN
_JSON = "application/json;charset=UTF-8"
_BARE = b'{"ok":true}'

Action = Callable[["AlmaService", "Request"], Any]


class Request:
    """What an admin action sees: path parameters, the query as a dict and the body as text or JSON."""

    def __init__(self, raw: RawRequest, params: dict[str, str]) -> None:
        self.raw = raw
        self.params = params
        self.query = {k: v for k, v in reversed(list(raw.query))}

    @property
    def text(self) -> str:
        try:
            return self.raw.body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise HarnessError("the body is not UTF-8") from None

    def json(self, default: Any = None) -> Any:
        text = self.text.strip()
        if not text:
            if default is None:
                raise HarnessError("this call needs a JSON body")
            return default
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise HarnessError(f"the body is not JSON: {exc}") from None


class Reply:
    def __init__(self, body: Any, status: int = 200, content_type: str = _JSON) -> None:
        self.body, self.status, self.content_type = body, status, content_type


_ROUTES: list[tuple[str, re.Pattern, Action]] = []


def _bind(method: str, template: str, action: Action) -> Action:
    regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "/?$"
    _ROUTES.append((method, re.compile(regex), action))
    return action


def _serves(action: Action) -> Action:
    """Bind an admin action to its entry of routes.ADMIN_ENDPOINTS (the entry with the function's name)."""
    spec: Endpoint = endpoint(action.__name__)
    return _bind(spec.method, spec.template, action)


def handle(service: AlmaService, raw: RawRequest) -> tuple[int, str, bytes]:
    """(status, content type, body) of one admin call."""
    method = raw.method.upper()
    if raw.path == PREFIX + "/bare":
        return 200, _JSON, _BARE
    found = None
    verbs = []
    for verb, pattern, action in _ROUTES:
        match = pattern.match(raw.path)
        if match:
            verbs.append(verb)
            if verb == method:
                found = action, match.groupdict()
                break
    if found is None:
        text = (f"{method} is not supported here; use {', '.join(verbs)}" if verbs
                else f"no admin call {raw.path}; see GET {PREFIX}/openapi.json and docs/http-api.md")
        return _json({"error": f"SIMULATOR: {text}"}, 405 if verbs else 404)
    action, params = found
    try:
        reply = action(service, Request(raw, params))
    except (SimulatorError, ValueError, KeyError, TypeError, AttributeError, ArithmeticError) as exc:
        # a body of the wrong shape ([] for an object, 1e400 for a count) is the caller's mistake, never a 500
        message = str(exc) if not isinstance(exc, KeyError) else f"unknown {exc}"
        message = " ".join(message.split()) or type(exc).__name__  # one line, never empty
        return _json({"error": message if message.startswith("SIMULATOR:") else f"SIMULATOR: {message}"}, 400)
    except Exception as exc:  # a bug: a JSON 500 naming it; the traceback goes to stderr only, never to the caller
        print(f"almasim: admin {method} {raw.path} failed:", file=sys.stderr)
        traceback.print_exception(exc, file=sys.stderr)
        return _json({"error": f"SIMULATOR: internal error in {method} {raw.path} ({type(exc).__name__}); "
                               "see the server's log"}, 500)
    if not isinstance(reply, Reply):
        reply = Reply(reply)
    if reply.content_type == _JSON:
        return _json(reply.body, reply.status)
    body = reply.body.encode("utf-8", "backslashreplace") if isinstance(reply.body, str) else reply.body
    return reply.status, reply.content_type, body


def _json(body: Any, status: int = 200) -> tuple[int, str, bytes]:
    try:
        return status, _JSON, json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate somewhere: JSON's \u escapes carry it
        return status, _JSON, json.dumps(body).encode("ascii")


# ---------------------------------------------------------------- the world ------------------------------------


def _world(service: AlmaService) -> dict:
    return {"name": service.world.name, "institutions": service.institutions_json()}


@_serves
def reset(service: AlmaService, request: Request) -> dict:
    service.reset()
    return _world(service)


@_serves
def world(service: AlmaService, request: Request) -> dict:
    return _world(service)


@_serves
def load_world(service: AlmaService, request: Request) -> dict:
    text = request.text
    if text.strip():
        service.load_text(text)
    else:
        service.reset()
    return _world(service)


@_serves
def institutions(service: AlmaService, request: Request) -> list:
    return service.institutions_json()


@_serves
def add_tenant(service: AlmaService, request: Request) -> Reply:
    spec = request.json(default={})
    if not isinstance(spec, dict):
        raise HarnessError("a tenant is a JSON object: {\"template\", \"code\"?, \"name\"?}")
    unknown = set(spec) - {"template", "code", "name"}
    if unknown:
        raise HarnessError(f"unknown tenant field(s) {', '.join(sorted(unknown))}; use template, code, name")
    return Reply(service.tenant_json(spec.get("template", "01TRLC_HVU"), spec.get("code", ""), spec.get("name", "")),
                 201)


@_serves
def remove_tenant(service: AlmaService, request: Request) -> Reply:
    service.remove_tenant(request.params["code"])
    return Reply({"removed": request.params["code"]})


# ---------------------------------------------------------------- journal -------------------------------------


@_serves
def journal(service: AlmaService, request: Request) -> dict:
    q = request.query
    status = int(q["status"]) if q.get("status") else None
    limit = int(q["limit"]) if q.get("limit") else None
    found = service.journal.entries(institution=q.get("institution", ""), method=q.get("method", ""),
                                    path=q.get("path", ""), status=status, limit=limit,
                                    caller=q.get("caller", ""), po_line=q.get("po_line", ""), kind=q.get("kind", ""))
    raw = q.get("raw", "true").lower() != "false"
    entries = []
    for exchange in found:
        entry = exchange.to_json()
        if not raw:
            entry.pop("request")
            entry.pop("response")
        entries.append(entry)
    return {"cap": service.journal.cap, "body_cap": service.journal.body_cap, "total": len(entries),
            "summary": [e["summary"] for e in entries], "entries": entries}


@_serves
def clear_journal(service: AlmaService, request: Request) -> dict:
    return {"cleared": service.journal.clear(request.query.get("institution", ""))}


# ---------------------------------------------------------------- faults ---------------------------------------


@_serves
def faults(service: AlmaService, request: Request) -> list:
    return [f.to_json() for f in service.faults]


@_serves
def add_fault(service: AlmaService, request: Request) -> Reply:
    spec = request.json()
    if not isinstance(spec, dict):
        raise HarnessError("a fault is a JSON object")
    return Reply(service.faults.add(Fault.from_json(spec)).to_json(), 201)


@_serves
def clear_faults(service: AlmaService, request: Request) -> dict:
    service.faults.clear()
    return {"faults": []}


@_serves
def remove_fault(service: AlmaService, request: Request) -> dict:
    if not service.faults.remove(int(request.params["id"])):
        raise HarnessError(f"no fault {request.params['id']}")
    return {"removed": int(request.params["id"])}


# ---------------------------------------------------------------- stubs and verification ----------------------
# (admin/stubs.py for what a stub matches and answers; journal.CRITERIA for what verification counts by)


@_serves
def stubs(service: AlmaService, request: Request) -> list:
    return [s.to_json() for s in service.stubs]


@_serves
def add_stub(service: AlmaService, request: Request) -> Reply:
    return Reply(service.stubs.add(Stub.from_json(request.json())).to_json(), 201)


@_serves
def clear_stubs(service: AlmaService, request: Request) -> dict:
    service.stubs.clear()
    return {"stubs": []}


@_serves
def remove_stub(service: AlmaService, request: Request) -> dict:
    if not service.stubs.remove(int(request.params["id"])):
        raise HarnessError(f"no stub {request.params['id']}")
    return {"removed": int(request.params["id"])}


@_serves
def count_journal(service: AlmaService, request: Request) -> dict:
    criteria = criteria_from_query(request.query)
    return {"count": service.journal.count(**criteria), "criteria": criteria,
            "near_misses": service.journal.near_misses(**criteria)}


@_serves
def verify_journal(service: AlmaService, request: Request) -> Reply:
    spec = request.json()
    if not isinstance(spec, dict):
        raise HarnessError("a verification is a JSON object of criteria plus times, at_least or at_most")
    bounds = {k: (None if spec.get(k) is None else int(spec.pop(k))) for k in ("times", "at_least", "at_most")}
    why = service.journal.verify(bounds["times"], at_least=bounds["at_least"], at_most=bounds["at_most"], **spec)
    found = service.journal.count(**spec)
    if why:
        return Reply({"error": f"SIMULATOR: {why}", "count": found, "near_misses": service.journal.near_misses(**spec)},
                     417)
    return Reply({"ok": True, "count": found})


# ---------------------------------------------------------------- settings, processing, clock -----------------


@_serves
def settings(service: AlmaService, request: Request) -> dict:
    return service.settings_json()


@_serves
def change_settings(service: AlmaService, request: Request) -> dict:
    service.configure(request.json())
    return service.settings_json()


@_serves
def unmatched(service: AlmaService, request: Request) -> dict:
    institution = request.query.get("institution", "")
    calls = [c for c in service.unmatched if not institution or c["institution"] == institution]
    return {"unmatched": calls, "total_record_count": len(calls)}


@_serves
def forget_unmatched(service: AlmaService, request: Request) -> dict:
    forgotten = len(service.unmatched)
    service.unmatched.clear()
    return {"removed": forgotten}


@_serves
def processing(service: AlmaService, request: Request) -> dict:
    return service.processing_json()


@_serves
def change_processing(service: AlmaService, request: Request) -> dict:
    spec = request.json()
    service.set_processing(str(spec.get("mode", "")), float(spec.get("seconds", 0)), str(spec.get("institution", "")))
    return service.processing_json()


@_serves
def clock(service: AlmaService, request: Request) -> dict:
    return {"now": service.clock.now().isoformat()}


@_serves
def advance_clock(service: AlmaService, request: Request) -> dict:
    spec = request.json()
    return {"now": service.advance_clock(float(spec.get("advance_seconds", 0))).isoformat()}


# ---------------------------------------------------------------- daily jobs (renewals) ------------------------


@_serves
def jobs(service: AlmaService, request: Request) -> dict:
    """The daily jobs, their daily time, last and next run, and the clock's now (simulator.api.scheduling)."""
    return service.scheduler.describe(service)


@_serves
def run_job(service: AlmaService, request: Request) -> dict:
    """Run a job now, for every institution or `?institution=`; what it did."""
    return service.scheduler.run_now(service, request.params["job"], request.query.get("institution", ""))


# ---------------------------------------------------------------- state ----------------------------------------


@_serves
def export_state(service: AlmaService, request: Request) -> dict:
    return service.export()


@_serves
def import_state(service: AlmaService, request: Request) -> dict:
    service.import_(request.json())
    return _world(service)


# ---------------------------------------------------------------- descriptions ---------------------------------


@_serves
def openapi(service: AlmaService, request: Request) -> dict:
    base = request.raw.base_url.removesuffix(ALMA)
    return coverage.openapi(base)


@_serves
def coverage_page(service: AlmaService, request: Request) -> Reply:
    if request.query.get("format", "md") == "json":
        return Reply(coverage.report())
    return Reply(coverage.markdown(), content_type="text/markdown;charset=UTF-8")


# ---------------------------------------------------------------- EDI (Alma's FTP pick-up, simulated) -----------
#   POST /almasim/v1/admin/edi/{institution}/invoices   ?vendor=&name=  body: the EDIFACT file (raw text, or JSON
#        {"file": text, "vendor"?, "name"?}); the invoices loaded, or 400 and nothing loaded
#   GET  /almasim/v1/admin/edi/{institution}/outbox/{vendor}   what Alma sent the vendor by EDI (ORDCHG)
# [decision] Without `vendor`, the file's vendor is the one whose EDI code (or code) is the interchange's sender.


def _edi_upload(request: Request) -> tuple[str, str, str]:
    """(file text, vendor, file name) from the body and query."""
    text = request.text
    spec: dict[str, Any] = {}
    if text.lstrip().startswith(("{", '"')):
        parsed = request.json()
        spec = parsed if isinstance(parsed, dict) else {"file": parsed}
        text = str(spec.get("file", ""))
    vendor = str(request.query.get("vendor") or spec.get("vendor") or "")
    return text, vendor, str(request.query.get("name") or spec.get("name") or "")


def _edi_sender(text: str) -> str:
    try:
        return edifact.read(text).sender
    except edifact.EdifactError as exc:
        raise HarnessError(f"EDI file refused, nothing loaded: {exc}") from None


@_serves
def load_edi_invoices(service: AlmaService, request: Request) -> Reply:
    text, vendor, name = _edi_upload(request)
    if not text.strip():
        raise HarnessError("EDI file refused, nothing loaded: the body is empty; send the EDIFACT file")
    institution = service.world.institution(request.params["institution"])
    if not vendor:
        sender = _edi_sender(text)
        vendor = next((v.code for v in institution.vendors.values() if (v.edi_code or v.code) == sender), sender)
    loaded = edi.load_invoices(service.world, institution.code, vendor, text, service.clock, file_name=name)
    return Reply({"institution": institution.code, "vendor": vendor, "file": name, "invoices": [
        {"id": i.id, "number": i.number, "status": i.workflow_status.value, "total_amount": str(i.total_amount),
         "currency": i.currency, "alerts": [a.code for a in i.alerts],
         "lines": [{"number": l.number, "po_line": l.po_line, "price": str(l.price)} for l in i.lines]}
        for i in loaded]}, 201)


@_serves
def edi_outbox(service: AlmaService, request: Request) -> dict:
    messages = edi.outbox(service.world, request.params["institution"], request.params["vendor"])
    return {"vendor": request.params["vendor"], "messages": messages}
