"""The HTTP backend: httpx to any base URL with an API key — `almasim serve`, or a real Alma.

It speaks as a vendor's code does: JSON bodies, `Accept: application/json`, the key in
`Authorization: apikey …`. Refusals come back as Alma's error envelope and are raised again as the very
exception class a service raised (`codec.parse_error_body` + `errors.error_for_code`), so a test reads
alike on every backend. Time-outs and failed or dropped connections are raised as `TimedOut` and
`ConnectionLost` (simulator.errors), so nothing above a backend ever sees httpx. The librarian's actions and
the admin API (`admin`) live on the simulator's own host under /almasim/v1; against a real Alma (a base URL on
Ex Libris' hosts) they raise HarnessError.
Imports httpx, simulator.api.codec and simulator.errors.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx

from simulator.api import codec
from simulator.backends.base import ADMIN, ALMA, LIBRARIAN
from simulator.errors import AlmaError, ConnectionLost, HarnessError, TimedOut, error_for_code

__all__ = ["HttpBackend", "is_real_alma"]

_REAL_HOSTS = (".hosted.exlibrisgroup.com", ".hosted.exlibrisgroup.com.cn")


def is_real_alma(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    return host.endswith(_REAL_HOSTS)


class HttpBackend:
    kind = "http"

    def __init__(self, base_url: str, api_key: str, *, client: httpx.Client | None = None, timeout: float = 30.0,
                 simulator: bool | None = None) -> None:
        base = base_url.rstrip("/")
        self.origin = base.removesuffix(ALMA)
        self.base_url = f"{self.origin}{ALMA}"
        self.api_key = api_key
        self.simulator = (not is_real_alma(base)) if simulator is None else simulator
        self.client = client or httpx.Client(timeout=timeout)
        self._headers = {"Authorization": f"apikey {api_key}", "Accept": "application/json"}
        self._json_headers = {**self._headers, "Content-Type": "application/json"}
        self._institution: str | None = None

    def send(self, method: str, path: str, query: dict[str, Any] | None = None, body: dict | None = None) -> Any:
        if path.startswith(LIBRARIAN) and not self.simulator:
            raise HarnessError(f"{method} {path} is a librarian's action in Alma's user interface; a real Alma "
                               "has no REST endpoint for it (only the simulator serves /almasim/v1/librarian)")
        content = codec.dumps_json(body) if body is not None else None
        response = self._request(method, self.origin + path, params=query or None, content=content,
                                 headers=self._json_headers if content is not None else self._headers)
        return _result(response)

    def _request(self, method: str, url: str, **options: Any) -> httpx.Response:
        try:
            return self.client.request(method, url, **options)
        except httpx.TimeoutException as exc:
            raise TimedOut(f"{method} {url}: no answer in time ({type(exc).__name__}: {exc})") from exc
        except httpx.TransportError as exc:
            raise ConnectionLost(f"{method} {url}: no answer ({type(exc).__name__}: {exc})") from exc

    def set_timeout(self, seconds: float) -> None:
        """How long to wait for an answer from now on (connect, read, write)."""
        self.client.timeout = httpx.Timeout(seconds)

    def with_api_key(self, api_key: str) -> HttpBackend:
        """The same Alma (and HTTP connection pool) reached with another API key."""
        other = HttpBackend(self.base_url, api_key, client=self.client, simulator=self.simulator)
        other._institution = self._institution
        return other

    @property
    def institution(self) -> str:
        """The institution this backend's API key belongs to (asked of the simulator's admin API once)."""
        if self._institution is None:
            found = [inst["code"] for inst in self.admin("GET", "/world")["institutions"]
                     if any(k["key"] == self.api_key for k in inst.get("api_keys", []))]
            self._institution = found[0] if found else ""
        return self._institution

    def admin(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Any:
        """The simulator's own admin API (/almasim/v1/admin…) on the same host; a real Alma has none."""
        if not self.simulator:
            raise HarnessError(f"{method} {ADMIN}{path} is the simulator's own admin API; a real Alma has none")
        content = codec.dumps_json(body) if body is not None else None
        response = self._request(method, self.origin + ADMIN + path, params=query or None, content=content,
                                 headers={"content-type": "application/json"} if content is not None else None)
        if response.status_code >= 400:
            try:
                message = response.json().get("error", response.text)
            except ValueError:
                message = response.text[:200]
            raise HarnessError(str(message))
        return response.json() if response.content.strip() else None

    def close(self) -> None:
        self.client.close()


def _result(response: httpx.Response) -> Any:
    status = response.status_code
    data = response.content
    if status >= 400:
        errors = codec.parse_error_body(data)
        if errors:
            code, message = errors[0]
            raise error_for_code(code, message, status)
        raise AlmaError(f"HTTP {status} without Alma's error envelope: {data[:200]!r}", code=str(status), status=status)
    if status == 204 or not data.strip():
        return None
    if "json" in response.headers.get("content-type", ""):
        result = response.json()
    else:
        root, result = codec.from_xml(data)
        if root == "test":
            return result.get("value", "")
    if isinstance(result, dict) and len(result) == 1 and isinstance(result.get("test"), str):
        return result["test"]
    return result
