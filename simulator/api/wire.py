"""The one edge where requests become handler calls and exceptions become HTTP, as bytes in and bytes out.

`handle(service, RawRequest) -> RawResponse` is everything Alma's gateway and API do around a handler:
the API key (`?apikey=` or `Authorization: apikey …`; institution, area and read/write), the per-second and
daily thresholds, `X-Exl-Api-Remaining` and `X-Request-ID` on every answer, content negotiation (`format=`,
then `Accept`, XML by default, always `;charset=UTF-8`), the body, the route, injected faults, rendering
(one object under its root element, lists under their plural wrapper with `total_record_count`, the key
test's `<test>` text) and Alma's error envelope for every refusal: status from the exception, 404 and 405
for unknown paths and verbs, and 500 `INTERNAL_SERVER_ERROR` for anything unexpected — never a traceback.
Auth refusals are XML whatever was asked for, as Alma's are.

No framework here: the Starlette app (asgi.py) and the respx router (backends/mocked.py) both adapt their
requests to `RawRequest` and call `handle`, so a server and a mock answer byte for byte alike.
Imports the handlers, schemas, codec and admin modules of this package, and simulator.errors.
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
from simulator.admin.journal import Exchange
from simulator.api.schemas import ALMA_BASE
from simulator.errors import AlmaError, GeneralError, Unauthorized

if TYPE_CHECKING:
    from simulator.api.service import AlmaService

__all__ = ["RawRequest", "RawResponse", "handle", "ADMIN"]

ADMIN = admin.PREFIX
_UNAUTHORIZED = "API-key not defined or not configured to allow this API."
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


def handle(service: AlmaService, raw: RawRequest) -> RawResponse:
    """Answer one HTTP request as Alma would."""
    if raw.path.startswith(ADMIN):
        status, content_type, payload = admin.handle(service, raw)
        return RawResponse(status, [("content-type", content_type), ("x-request-id", _request_id(service.next_request_number()))], payload)
    started = time.perf_counter()
    number = service.next_request_number()
    request_id = _request_id(number)
    query: dict[str, str] = {}
    for name, value in raw.query:
        query.setdefault(name, value)
    method = raw.method.upper()
    fmt = codec.negotiate(raw.headers.get("accept"), query.get("format"))
    world = service.world
    route, params, path_known = find_route(method, raw.path)
    institution = ""
    remaining: int | None = None
    body: dict | None = None
    answer: Answer | None = None
    error: AlmaError | None = None
    delay = 0.0
    drop = False
    try:
        api_key = _key(raw, query)
        key = world.api_keys.get(api_key) if api_key else None
        if route is None:
            refusal = no_route(method, raw.path, path_known)
            service.remember_unexpected(key.institution if key else "", method, raw.path, raw.query, refusal.message)
            raise refusal
        if key is None or (route.area != "librarian" and route.area not in key.areas) or (route.write and not key.write):
            fmt = codec.XML
            raise Unauthorized(_UNAUTHORIZED)
        institution = key.institution
        if service.settings.strict:
            unexpected = strict.explain(method, raw.path, query)
            if unexpected:
                service.remember_unexpected(institution, method, raw.path, raw.query, unexpected)
                raise GeneralError(f"General error. SIMULATOR (strict mode): {unexpected}")
        remaining = service.throttle.admit(institution)
        fault = service.faults.pick(method, route.template, raw.path, institution) if len(service.faults) else None
        if fault is not None:
            delay = fault.delay
            if fault.drop and not fault.after:
                service.journal.record(Exchange(
                    at=service.clock.now(), request_id=request_id, institution=institution, method=method,
                    path=raw.path, query=raw.query, route=route.template, handler=route.handler.__name__,
                    params=params, request_body=raw.body,
                    fixed_summary=f"{method} {raw.path}: connection dropped (injected fault)"))
                return RawResponse(0, [], drop=True, delay=delay)
            drop = fault.drop
            injected = fault.error()
            if injected is not None:
                status, code, message = injected
                raise AlmaError(message, code=code, status=status)
        if raw.body and method in _BODY_METHODS and raw.body.strip():
            body = codec.parse_body(raw.body, raw.headers.get("content-type"))
        call = Call(world=world, institution=world.institutions[institution], clock=service.clock, params=params,
                    query=query, body=body, base=raw.base_url)
        answer = service.execute(route, call)
        status, payload, content_type = _render(answer, fmt)
    except AlmaError as exc:
        error = exc
        status, content_type = exc.status, _TYPES[fmt]
        payload = codec.error_body([(exc.code, exc.message)], fmt, codec.tracking_id(number, service.clock.now()))
    except Exception as exc:  # a bug: Alma's 500 envelope, the traceback to stderr only
        print(f"almasim: {request_id} {method} {raw.path} failed:", file=sys.stderr)
        traceback.print_exception(exc, file=sys.stderr)
        error = AlmaError("Internal server error.", code="INTERNAL_SERVER_ERROR", status=500)
        status, content_type = 500, _TYPES[fmt]
        payload = codec.error_body([(error.code, error.message)], fmt, codec.tracking_id(number, service.clock.now()))
    if remaining is None:
        remaining = service.throttle.remaining(institution) if institution else service.settings.daily_threshold
    headers = [("content-type", content_type), ("x-exl-api-remaining", str(remaining)),
               ("x-request-id", request_id)]
    if status == 405 and route is None:
        headers.append(("allow", ", ".join(verbs_for(raw.path))))
    if status == 204:
        headers = headers[1:]
    if service.journal.cap:
        _journal(service, raw, route, params, method, status, body, answer, error, institution, request_id,
                 payload, content_type, started)
    return RawResponse(status, headers, payload, drop=drop, delay=delay)


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


def _key(raw: RawRequest, query: dict[str, str]) -> str:
    key = query.get("apikey")
    if key:
        return key
    header = raw.headers.get("authorization") or ""
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "apikey" else ""


def _request_id(number: int) -> str:
    """Ten characters, like Alma's gateway's; distinct for every request of a run."""
    n = (number * 2_251_799_813_685_251 + 1_234_567_891) % 36**10
    chars = []
    for _ in range(10):
        n, digit = divmod(n, 36)
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def _journal(service: AlmaService, raw: RawRequest, route: Route | None, params: dict, method: str, status: int,
             body: dict | None, answer: Answer | None, error: AlmaError | None, institution: str, request_id: str,
             payload: bytes, content_type: str, started: float) -> None:
    service.journal.record(Exchange(
        at=service.clock.now(), request_id=request_id, institution=institution, method=method, path=raw.path,
        query=raw.query, route=route.template if route is not None else "",
        handler=route.handler.__name__ if route is not None else "", status=status, params=params, request=body,
        answer=answer.body if answer is not None else None,
        error=(error.code, error.message) if error is not None else None, request_body=raw.body,
        response_body=payload, request_content_type=raw.headers.get("content-type") or "",
        response_content_type=content_type, milliseconds=(time.perf_counter() - started) * 1000))
