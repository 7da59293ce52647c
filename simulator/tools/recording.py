"""Recordings: the recording proxy of `almasim record` and the file it writes (read back by `almasim replay`).

The proxy is a small ASGI app on uvicorn. A vendor's connector is pointed at it (base URL
`http://HOST:PORT/almaws/v1`, any API key or none); every request is forwarded to the target Alma — a real Alma,
a sandbox or another almasim — with the target's API key put in the `Authorization: apikey …` header in place of
whatever key the connector sent, and the answer is given back to the connector unchanged. Every exchange on
Alma's paths (/almaws/v1) is appended to the recording as one JSON line, written whole and flushed before the
answer leaves, so an interrupted recording keeps every exchange it answered. Other paths (the simulator's
/almasim/v1 admin and librarian paths, when the target is an almasim) are forwarded but not recorded.
[decision] A target that cannot be reached is answered 502 with Alma's error envelope (code
`GENERAL_ERROR`) naming the target, and that exchange is not recorded.

The file format (JSON lines, UTF-8; one object per exchange, in the order the answers were given):

    {"recording": 1, "seq": 1, "at": "2026-…Z", "method": "POST", "path": "/almaws/v1/acq/po-lines",
     "query": [["profile_code", "GOBI_API"], ["apikey", "REDACTED"]], "key_in": "query",
     "request": {"content_type": "application/json", "accept": "application/json", "body": "{…}"},
     "response": {"status": 200, "content_type": "application/json;charset=UTF-8", "body": "{…}"}}

Keys never reach the file: an `apikey` query parameter is kept as `REDACTED` (its position matters to nothing
but is kept), `Authorization` is not recorded at all, and `key_in` says where the connector sent its key
("query", "header" or "" for none) so a replay sends the new key the same way.
Imports httpx, uvicorn and the standard library.
"""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

import httpx
import uvicorn

from simulator.api.routes import ALMA
from simulator.api.server import serve_on_thread
from simulator.errors import HarnessError

__all__ = ["REDACTED", "RecordingLine", "RecordingProxy", "read_recording"]

REDACTED = "REDACTED"
VERSION = 1
_HOP = {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "authorization",
        "accept-encoding"}
_ENVELOPE = ('{{"errorsExist":true,"errorList":{{"error":[{{"errorCode":"GENERAL_ERROR","errorMessage":'
             '{message}}}]}},"result":null}}')

RecordingLine = dict[str, Any]  # one line of a recording


def read_recording(path: Path) -> list[RecordingLine]:
    """The exchanges of a recording, oldest first; a line that is not one is refused with its line number."""
    exchanges = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise HarnessError(f"no recording {path}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            exchange = json.loads(line)
        except json.JSONDecodeError as exc:
            raise HarnessError(f"{path}:{number}: not a JSON line ({exc.msg})") from None
        if not isinstance(exchange, dict) or exchange.get("recording") != VERSION or "method" not in exchange:
            raise HarnessError(f"{path}:{number}: not an almasim recording line (version {VERSION})")
        exchanges.append(exchange)
    return exchanges


def _origin(alma_url: str) -> str:
    url = alma_url.rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise HarnessError(f"--alma-url {alma_url} is not an http(s) URL")
    return url.removesuffix(ALMA)


class _Proxy:
    """The ASGI app: forward, answer, record."""

    def __init__(self, alma_url: str, api_key: str, out: TextIO, timeout: float) -> None:
        self.origin = _origin(alma_url)
        self.api_key = api_key
        self.out = out
        self.client = httpx.Client(timeout=timeout)
        self.lock = threading.Lock()
        self.seq = 0

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        status, headers, content = await asyncio.to_thread(self.forward, scope, body)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]})
        await send({"type": "http.response.body", "body": content})

    def forward(self, scope: dict, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        method, path = scope["method"], scope["path"]
        query = httpx.QueryParams(scope.get("query_string", b"").decode("latin-1")).multi_items()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        key_in = "query" if any(k == "apikey" for k, _ in query) else (
            "header" if headers.get("authorization", "").lower().startswith("apikey") else "")
        sent_query = [(k, v) for k, v in query if k != "apikey"]
        sent_headers = {k: v for k, v in headers.items() if k not in _HOP}
        if self.api_key:
            sent_headers["authorization"] = f"apikey {self.api_key}"
        try:
            answer = self.client.request(method, self.origin + path, params=tuple(sent_query), headers=sent_headers,
                                         content=body or None)
        except httpx.HTTPError as exc:
            message = json.dumps(f"almasim record: the target {self.origin} did not answer ({type(exc).__name__})")
            return 502, [("content-type", "application/json;charset=UTF-8")], _ENVELOPE.format(
                message=message).encode()
        out_headers = [(k, v) for k, v in answer.headers.items()
                       if k.lower() not in _HOP and k.lower() != "content-encoding"]
        if path.startswith(ALMA):
            self.record({
                "method": method, "path": path,
                "query": [[k, REDACTED if k == "apikey" else v] for k, v in query], "key_in": key_in,
                "request": {"content_type": headers.get("content-type", ""), "accept": headers.get("accept", ""),
                            "body": body.decode("utf-8", errors="replace")},
                "response": {"status": answer.status_code, "content_type": answer.headers.get("content-type", ""),
                             "body": answer.content.decode("utf-8", errors="replace")}})
        return answer.status_code, out_headers, answer.content

    def record(self, exchange: RecordingLine) -> None:
        with self.lock:
            self.seq += 1
            line = {"recording": VERSION, "seq": self.seq,
                    "at": datetime.now(timezone.utc).isoformat(timespec="seconds"), **exchange}
            self.out.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.out.flush()

    def close(self) -> None:
        self.client.close()


class RecordingProxy:
    """The recording proxy on a thread (tests, and `almasim record`): start, `base_url`, stop."""

    def __init__(self, alma_url: str, api_key: str, out: Path, *, host: str = "127.0.0.1", port: int = 0,
                 timeout: float = 60.0, append: bool = False) -> None:
        self.out_path = out
        self._file = out.open("a" if append else "w", encoding="utf-8")
        self.app = _Proxy(alma_url, api_key, self._file, timeout)
        self.host, self.port = host, port
        config = uvicorn.Config(self.app, host=host, port=port, log_level="warning", access_log=False,
                                server_header=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}{ALMA}"

    @property
    def recorded(self) -> int:
        return self.app.seq

    def start(self, timeout: float = 10.0) -> RecordingProxy:
        try:
            self._thread, self.port = serve_on_thread(self._server, self.host, self.port, "almasim-record", timeout)
        except (OSError, HarnessError):
            self.app.close()
            self._file.close()
            raise
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.app.close()
        self._file.close()

    def __enter__(self) -> RecordingProxy:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
