"""The one edge where requests become handler calls and refusals become Alma's answers.

Two layers, one edge:

- `serve(service, Request) -> Outcome` works on a *parsed* request (method, path, query pairs, headers with
  the API key, the body as a dict) and is everything Alma's gateway and API do around a handler: the API key
  (`?apikey=` or `Authorization: apikey …`; the same key in both is fine, two different keys are refused;
  institution, area and read/write), unknown paths and verbs (after the key check; 405 with `Allow` naming the
  path's own methods), a repeated single-valued query parameter, strict mode, the per-second and daily
  thresholds, stubs (pinned answers, admin/stubs.py) and injected faults, the route (through `AlmaService.execute`, the one seam to a handler) and the
  journal. A refusal is the `AlmaError` in `Outcome.error`; `X-Exl-Api-Remaining` and `X-Request-ID` are in
  `Outcome.headers`. The in-process backend calls `serve` and never makes a byte; its body, a dict, is checked
  for text Alma cannot store exactly as a parsed body is (402119 naming the field).
- `handle(service, RawRequest) -> RawResponse` is the thin byte layer the Starlette app (asgi.py) and the respx
  router (backends/mocked.py) use: it hands the raw body to `serve` (parsed only once the call is admitted, so a
  bad body never hides a bad key), renders the answer by content negotiation (`format=`, then `Accept`, XML by
  default, always `;charset=UTF-8`; one object under its root element, lists under their plural wrapper with
  `total_record_count`, the key test's `<test>` text) and writes Alma's error envelope for every refusal.
  Auth refusals are XML whatever was asked for, as Alma's are; anything unexpected is 500
  `INTERNAL_SERVER_ERROR`, never a traceback.

So a server, a mock and the in-process backend answer alike, and a test that passes in-process passes over
HTTP for the same reason. Imports the handlers, schemas, codec and admin modules of this package, and
simulator.errors.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.api import codec
from simulator.admin import api as admin, strict
from simulator.api.handlers import Answer, Call, Route, find_route, no_route, verbs_for
from simulator.admin.journal import LIBRARIAN, JournalEntry, key_label
from simulator.admin.stubs import Step
from simulator.api.schemas import ALMA_BASE
from simulator.errors import AlmaError, GeneralError, InvalidParameter, Unauthorized

if TYPE_CHECKING:
    from simulator.api.service import AlmaService

__all__ = ["Outcome", "RawRequest", "RawResponse", "Request", "handle", "serve", "ADMIN"]

ADMIN = admin.PREFIX
_UNAUTHORIZED = "API-key not defined or not configured to allow this API."
_TWO_KEYS = "Two different API keys were sent: one in the apikey parameter and one in the Authorization header."
_JSON_TYPE = codec.content_type(codec.JSON)
_XML_TYPE = codec.content_type(codec.XML)
_TYPES = {codec.JSON: _JSON_TYPE, codec.XML: _XML_TYPE}
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(slots=True)
class RawRequest:
    method: str
    path: str
    query: Sequence[tuple[str, str]] = ()  # in order, repeats kept
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names (or a case-insensitive map)
    body: bytes = b""
    base_url: str = ALMA_BASE  # what links in answers start with


@dataclass(slots=True)
class RawResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    drop: bool = False  # close the connection without answering (an injected fault)
    delay: float = 0.0  # seconds to wait before answering (an injected fault)

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass(slots=True)
class Request:
    """One call as the edge sees it: no bytes needed. `content` is a raw body still to parse (HTTP, respx);
    the in-process backend gives `body` as a dict instead."""

    method: str
    path: str
    query: Sequence[tuple[str, str]] = ()  # in order, repeats kept
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names (or a case-insensitive map)
    body: dict | None = None
    content: bytes = b""
    base_url: str = ALMA_BASE
    caller: str = ""  # who calls, when the caller says so in process ("librarian": the librarian's view); never HTTP


@dataclass(slots=True)
class Outcome:
    """What the edge decided: an answer or a refusal, the headers every answer carries, and injected trouble."""

    status: int
    headers: list[tuple[str, str]]
    answer: Answer | None = None
    error: AlmaError | None = None
    fmt: str = codec.XML  # the negotiated format (XML for auth refusals)
    payload: bytes = b""  # the rendered answer, when the byte layer asked for it
    content_type: str = ""
    drop: bool = False  # an injected dropped connection (before the call, or after it was done)
    done: bool = False  # the handler ran (the work is done even if the answer is lost)
    delay: float = 0.0  # an injected delay before the answer
    raw: bool = False  # a stub's raw answer: `payload` as pinned, no answer object (admin/stubs.py)


def handle(service: AlmaService, raw: RawRequest) -> RawResponse:
    """Answer one HTTP request as Alma would: bytes in, bytes out, around `serve`."""
    if raw.path.startswith(ADMIN):
        status, content_type, payload = admin.handle(service, raw)
        return RawResponse(status, [("content-type", content_type), ("x-request-id", _request_id(service.next_request_number()))], payload)
    # positional (method, path, query, headers, body, content, base_url): a keyword call costs more per request
    outcome = serve(service, Request(raw.method, raw.path, raw.query, raw.headers, None, raw.body, raw.base_url),
                    render=True)
    if outcome.drop and not outcome.done:
        return RawResponse(0, [], drop=True, delay=outcome.delay)
    return RawResponse(outcome.status, outcome.headers, outcome.payload, outcome.drop, outcome.delay)


def serve(service: AlmaService, request: Request, *, render: bool = False) -> Outcome:
    """Admit, run and journal one call; with `render`, also make the answer's bytes (the byte layer's part)."""
    started = time.perf_counter()
    number = service.next_request_number()
    request_id = _request_id(number)
    query: dict[str, str] = {}
    repeated = ""
    for name, value in request.query:
        if name in query:
            repeated = repeated or name
        else:
            query[name] = value
    method = request.method.upper()
    headers = request.headers
    fmt = codec.negotiate(headers.get("accept"), query.get("format"))
    world = service.world
    route, params, path_known = find_route(method, request.path)
    institution = ""
    remaining: int | None = None
    body: dict | None = request.body
    answer: Answer | None = None
    error: AlmaError | None = None
    delay = 0.0
    drop = done = False
    stub_id = 0
    caller = ""
    try:
        api_key = _key(request, query)
        key = world.api_keys.get(api_key) if api_key else None
        caller = key_label(api_key or "")
        if key is None:
            fmt = codec.XML
            raise Unauthorized(_TWO_KEYS if api_key is None else _UNAUTHORIZED)
        institution = key.institution
        # who called, for the journal [decision]: the key's restriction profile, the librarian (their paths and
        # their view), else the key's label — never the key
        caller = key.restriction_profile or (
            LIBRARIAN if request.caller == LIBRARIAN or (route is not None and route.area == "librarian") else caller)
        stubbed = service.stubs.pick(method, route.template if route else "", request.path, query, body,
                                     request.content, institution) if len(service.stubs) else None
        if stubbed is not None:
            stub_id, step = stubbed[0].id, stubbed[1]
            delay = step.delay
            if step.raw:
                return _stubbed(service, request, route, params, method, step, institution, request_id, started,
                                stub_id, caller)
            pinned = step.error()
            if pinned is not None:
                raise AlmaError(pinned[2], code=pinned[1], status=pinned[0])
        if route is None:
            refusal = no_route(method, request.path, path_known)
            service.remember_unexpected(institution, method, request.path, request.query, refusal.message)
            raise refusal
        # [decision] a key given to a vendor (API Restrictions profile) has no librarian's actions: they stand for
        # Alma's screens, which a vendor never reaches, and would let the key lift its own restriction
        librarian_refused = route.area == "librarian" and bool(key.restriction_profile)
        if (route.area != "librarian" and route.area not in key.areas) or (route.write and not key.write) \
                or librarian_refused:
            fmt = codec.XML
            raise Unauthorized(_UNAUTHORIZED)
        if repeated:
            raise InvalidParameter(f"Parameter {repeated} was given more than once; it takes one value.")
        if service.settings.strict and not stub_id:
            unexpected = strict.explain(method, request.path, query)
            if unexpected:
                service.remember_unexpected(institution, method, request.path, request.query, unexpected)
                raise GeneralError(f"General error. SIMULATOR (strict mode): {unexpected}")
        remaining = service.throttle.admit(institution)
        fault = service.faults.pick(method, route.template, request.path, institution) if len(service.faults) else None
        if fault is not None:
            delay = fault.delay
            if fault.drop and not fault.after:
                service.journal.record(JournalEntry(
                    at=service.clock.now(), request_id=request_id, institution=institution, method=method,
                    path=request.path, query=request.query, route=route.template, handler=route.handler.__name__,
                    params=params, request=body, request_body=request.content, caller=caller,
                    fixed_summary=f"{method} {request.path}: connection dropped (injected fault)"))
                return Outcome(0, [], drop=True, delay=delay)
            drop = fault.drop
            injected = fault.error()
            if injected is not None:
                status, code, message = injected
                raise AlmaError(message, code=code, status=status)
        if body is None and method in _BODY_METHODS and request.content.strip():
            body = codec.parse_body(request.content, headers.get("content-type"))
        elif body is not None:  # the in-process backend's dict skipped parse_body: the same check, same 402119
            codec.refuse_unstorable(body)
        # Call's fields in order: world, institution, clock, params, query, body, base, restriction_profile
        call = Call(world, world.institutions[institution], service.clock, params, query, body, request.base_url,
                    key.restriction_profile)
        answer = service.execute(route, call)
        done = True
        status = answer.status
    except AlmaError as exc:
        error, status = exc, exc.status
    except Exception as exc:  # a bug: Alma's 500 envelope, the traceback to stderr only
        print(f"almasim: {request_id} {method} {request.path} failed:", file=sys.stderr)
        traceback.print_exception(exc, file=sys.stderr)
        error = AlmaError("Internal server error.", code="INTERNAL_SERVER_ERROR", status=500)
        status = 500
    payload, content_type = b"", _TYPES[fmt]
    if render:
        if error is not None:
            payload = codec.error_body([(error.code, error.message)], fmt,
                                       codec.tracking_id(number, service.clock.now()))
        elif answer is not None:
            status, payload, content_type = _render(answer, fmt)
    if remaining is None:
        remaining = service.throttle.remaining(institution) if institution else service.settings.daily_threshold
    out = [("content-type", content_type), ("x-exl-api-remaining", str(remaining)), ("x-request-id", request_id)]
    if status == 405 and route is None:
        out.append(("allow", ", ".join(verbs_for(request.path))))
    if status == 204:
        out = out[1:]
    if service.journal.cap:
        _journal(service, request, route, params, method, status, body, answer, error, institution, request_id,
                 payload, content_type, started, stub_id, caller)
    return Outcome(status, out, answer, error, fmt, payload, content_type, drop, done, delay)  # fields in order


def _render(answer: Answer, fmt: str) -> tuple[int, bytes, str]:
    body = answer.body
    if answer.status == 204 or (body is None and answer.text is None):
        return answer.status, b"", _TYPES[fmt]
    if answer.text is not None:
        if fmt == codec.JSON:
            return answer.status, codec.dumps_json({"test": answer.text}), _JSON_TYPE
        return answer.status, codec.to_xml("test", {"value": answer.text}), _XML_TYPE
    assert body is not None  # neither a body nor a text is the empty answer above
    if fmt == codec.JSON:
        return answer.status, codec.dumps_json(body), _JSON_TYPE
    if answer.plural:
        singular = next(k for k in body if k != "total_record_count")
        xml = codec.to_xml_list(answer.plural, singular, body[singular], body["total_record_count"])
        return answer.status, xml, _XML_TYPE
    return answer.status, codec.to_xml(answer.root, body), _XML_TYPE


def _key(request: Request, query: dict[str, str]) -> str | None:
    """The API key sent, "" when none was, None when the parameter and the header name different keys."""
    in_query = query.get("apikey") or ""
    header = request.headers.get("authorization") or ""
    scheme, _, value = header.strip().partition(" ")
    in_header = value.strip() if scheme.lower() == "apikey" else ""
    if in_query and in_header and in_query != in_header:
        return None
    return in_query or in_header


def _request_id(number: int) -> str:
    """Ten characters, like Alma's gateway's; distinct for every request of a run: the scrambled number's ten
    base-36 digits, least significant first, written two at a time (`_DIGIT_PAIRS`)."""
    n = (number * 2_251_799_813_685_251 + 1_234_567_891) % 36**10
    n, p1 = divmod(n, 1296)
    n, p2 = divmod(n, 1296)
    n, p3 = divmod(n, 1296)
    p5, p4 = divmod(n, 1296)
    return _DIGIT_PAIRS[p1] + _DIGIT_PAIRS[p2] + _DIGIT_PAIRS[p3] + _DIGIT_PAIRS[p4] + _DIGIT_PAIRS[p5]


#: Two base-36 digits of a number below 36**2 = 1296, least significant first (as `_request_id` writes them).
_DIGIT_PAIRS = tuple(_ALPHABET[pair % 36] + _ALPHABET[pair // 36] for pair in range(1296))


def _journal(service: AlmaService, raw: Request, route: Route | None, params: dict, method: str, status: int,
             body: dict | None, answer: Answer | None, error: AlmaError | None, institution: str, request_id: str,
             payload: bytes, content_type: str, started: float, stub_id: int = 0, caller: str = "") -> None:
    service.journal.record_call(  # JournalEntry's fields, in order (see Journal.record_call)
        service.clock.now(), request_id, institution, method, raw.path, raw.query,
        route.template if route is not None else "", route.handler.__name__ if route is not None else "", status,
        params, body, answer.body if answer is not None else None,
        (error.code, error.message) if error is not None else None, raw.content, payload,
        raw.headers.get("content-type") or "", content_type, (time.perf_counter() - started) * 1000, stub_id, caller)


def _stubbed(service: AlmaService, request: Request, route: Route | None, params: dict, method: str, step: Step,
             institution: str, request_id: str, started: float, stub_id: int, caller: str = "") -> Outcome:
    """A stub's raw answer (admin/stubs.py): its status, headers and body exactly as pinned, journalled."""
    payload = (step.body or "").encode("utf-8")
    if service.journal.cap:
        _journal(service, request, route, params, method, step.status or 200, request.body, None, None, institution,
                 request_id, payload, step.content_type, started, stub_id, caller)
    headers = [("content-type", step.content_type), ("x-request-id", request_id), *step.headers.items()]
    return Outcome(step.status or 200, headers, None, None, codec.JSON, payload, step.content_type,
                   delay=step.delay, raw=True)
