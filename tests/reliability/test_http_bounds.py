"""Bounded resources on a real server: a body over the cap is refused from its Content-Length before it is read
(and a streamed one stops being read at the cap), with Alma's envelope, and the server's memory goes back to its
baseline; a connection that stays silent, trickles its request head or stalls its body is closed by the server;
an injected "dropped connection" closes before any byte of the answer; every verb and path gets the envelope."""

from __future__ import annotations

import os
import socket
import time

import psutil
import pytest
from alma_requests import KEY
from reliability_support import ADMIN, check_answer

from simulator.api.codec import MAX_BODY_BYTES
from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService


@pytest.fixture(scope="module")
def quick():
    """A server with a two-second request time-out and one-second keep-alive, so waiting for them is short."""
    running = ThreadedServer(AlmaService(), keep_alive=1, request_timeout=2).start()
    try:
        yield running
    finally:
        running.stop()


def _connect(server) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=15)
    return connection


def _head(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _rss() -> int:
    return psutil.Process(os.getpid()).memory_info().rss


def test_an_oversized_body_is_refused_unread_and_memory_returns_to_its_baseline(quick):
    head = (f"POST /almaws/v1/acq/po-lines HTTP/1.1\r\nHost: x\r\nAuthorization: apikey {KEY}\r\n"
            "Content-Type: application/json\r\nContent-Length: 300000000\r\n\r\n").encode()
    baseline = _rss()
    for _ in range(3):
        connection = _connect(quick)
        connection.sendall(head + b"{" * 1000)  # 1 kB of a promised 300 MB
        try:
            answer = _head(connection)
        finally:
            connection.close()
        assert answer.startswith(b"HTTP/1.1 400"), answer[:100]
        assert b"connection: close" in answer.lower()
    streamed = _connect(quick)
    streamed.sendall((f"POST /almaws/v1/acq/po-lines HTTP/1.1\r\nHost: x\r\nAuthorization: apikey {KEY}\r\n"
                      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode())
    chunk = b"{" * 65536
    sent = 0
    try:
        while sent < 8 * MAX_BODY_BYTES:  # the server stops reading long before 8 MB
            streamed.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
    except OSError:
        pass  # the server answered and closed
    answer = _head(streamed)
    streamed.close()
    assert answer.startswith(b"HTTP/1.1 400"), answer[:100]
    assert _rss() - baseline < 64 * 1024 * 1024  # the server (in this process) holds no body beyond the cap


def test_silent_trickling_and_stalled_connections_are_closed_by_the_server(quick):
    silent = _connect(quick)
    trickling = _connect(quick)
    stalled = _connect(quick)
    trickling.sendall(b"GET /almaws/v1/acq/po-lines HTTP/1.1\r\nHo")
    stalled.sendall((f"POST /almaws/v1/acq/po-lines HTTP/1.1\r\nHost: x\r\nAuthorization: apikey {KEY}\r\n"
                     "Content-Length: 100\r\n\r\n{").encode())
    idle = _connect(quick)
    idle.sendall(f"GET /almaws/v1/acq/test?apikey={KEY} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert _head(idle).startswith(b"HTTP/1.1 200")
    began = time.monotonic()
    for _ in range(3):
        trickling.send(b"s")  # a byte now and then does not keep a request alive
        time.sleep(0.3)
    for connection in (silent, trickling, stalled, idle):
        connection.settimeout(8)  # four times the time-out: a server that never closes fails here
        rest = b""
        try:
            while chunk := connection.recv(65536):  # (the idle one's answer body may still be on its way)
                rest += chunk
        except ConnectionResetError:
            pass
        except TimeoutError:
            pytest.fail("the server kept a connection open past its time-out")
        assert b"HTTP/1.1" not in rest, rest[:100]  # closed, never answered
    for connection in (silent, trickling, stalled, idle):
        connection.close()
    assert time.monotonic() - began < 8


def test_a_dropped_connection_closes_before_any_byte_of_the_answer(quick):
    import httpx
    httpx.post(f"{quick.url}{ADMIN}/faults", json={"path": "/almaws/v1/acq/test", "drop": True, "times": 1},
               timeout=10).raise_for_status()
    connection = _connect(quick)
    connection.sendall(f"GET /almaws/v1/acq/test?apikey={KEY} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert connection.recv(1000) == b""  # no status line, not even a byte
    connection.close()


@pytest.mark.parametrize("request_line", ["TRACE /almaws/v1/acq/po-lines", "QUERY /almaws/v1/acq/po-lines",
                                          "GET /almaws/v1/acq/po%0Alines", "PROPFIND /", "GET /nowhere%0D%0Ax"])
def test_every_verb_and_path_gets_alma_s_envelope(quick, request_line):
    connection = _connect(quick)
    connection.sendall(f"{request_line}?apikey={KEY} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
                       "Connection: close\r\n\r\n".encode())
    data = b""
    while chunk := connection.recv(65536):
        data += chunk
    connection.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    headers = dict(line.split(b": ", 1) for line in head.split(b"\r\n")[1:])
    headers = {k.decode().lower(): v.decode() for k, v in headers.items()}
    assert 400 <= status < 500, data[:200]
    assert check_answer(status, headers, body)
