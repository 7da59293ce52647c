"""Requests for the HTTP-face tests: API keys of the seed world, a complete GOBI print order in Alma's JSON,
and `Wire`, which calls `wire.handle` with bytes as a server would."""

from __future__ import annotations

import sys

import subprocess

import signal

import os

import json
from itertools import count
from urllib.parse import parse_qsl, urlsplit

from simulator.api.service import AlmaService
from simulator.api.wire import RawRequest, RawResponse, handle
from simulator.identifiers import isbn13_check_digit
HVU = "01TRLC_HVU"
KEY = "l8xx-hvu-0000-read-write"
READ_ONLY = "l8xx-hvu-0000-read-only"
ACQ_ONLY = "l8xx-hvu-0000-acq-only"

_isbns = count(1)


def new_isbn() -> str:
    body = f"9791{next(_isbns):08d}"
    return body + isbn13_check_digit(body)


def po_line(**changes) -> dict:
    """A complete GOBI print order for a title nothing matches: it goes straight to processing."""
    body = {
        "owner": {"value": "MAIN"}, "type": {"value": "PRINTED_BOOK_OT"},
        "vendor": {"value": "GOBI"}, "vendor_account": "GOBI-HVU",
        "acquisition_method": {"value": "VENDOR_SYSTEM"},
        "price": {"sum": "25.00", "currency": {"value": "USD"}},
        "vendor_reference_number": "GOBI-0001",
        "resource_metadata": {"title": "A Brand New Monograph", "author": "Doe, Jane", "isbn": new_isbn()},
        "fund_distribution": [{"fund_code": {"value": "HIST-MONO"},
                               "amount": {"sum": "25.00", "currency": {"value": "USD"}}}],
        "location": [{"quantity": 1, "library": {"value": "MAIN"}, "shelving_location": "STACKS"}],
    }
    body.update(changes)
    return body


def print_journal(**changes) -> dict:
    """A GOBI print journal subscription (GOBI's EDI account takes claims): renewed by hand each 1 December,
    reminder 30 days before; expected 10 days after ordering, 5 days' grace."""
    return po_line(**{"type": {"value": "PRINTED_JOURNAL_CO"}, "renewal_date": "2026-12-01", "renewal_period": 30,
                      "renewal_cycle": {"value": "1"}, "manual_renewal": True,
                      "subscription_from_date": "2026-09-01Z", "subscription_to_date": "2027-08-31Z",
                      "expected_receipt_interval": "10", "claiming_interval": 5, **changes})


def receive_all(alma, number: str) -> None:
    """Receive every item of PO line `number` through the client."""
    for pid in alma.po_line_item_pids(number):
        alma.receive_item(number, pid)


class Wire:
    """`wire.handle` with a friendly signature: wire("POST", "/almaws/v1/acq/po-lines?x=1", json=…)."""

    def __init__(self, service: AlmaService) -> None:
        self.service = service

    def __call__(self, method: str, target: str, *, key: str | None = KEY, json_body=None, body: bytes = b"",
                 headers: dict | None = None) -> RawResponse:
        parts = urlsplit(target)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if key is not None:
            query.append(("apikey", key))
        all_headers = {k.lower(): v for k, v in (headers or {}).items()}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            all_headers.setdefault("content-type", "application/json")
        return handle(self.service, RawRequest(method, parts.path, query, all_headers, body))


def start_almasim_serve(*args: str) -> subprocess.Popen:
    """`almasim serve --port 0 ARGS` as a user runs it, in its own process (stop it with stop_almasim_serve)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "simulator.cli", "serve", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def stop_almasim_serve(process: subprocess.Popen) -> int:
    """SIGTERM, as a service manager (or Ctrl-C) would stop it; the pipes are always closed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        _, errors = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    assert "Traceback" not in errors
    return process.returncode
