"""The simulated Alma over real sockets: a threaded uvicorn server, and `almasim serve` as a user runs it."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from alma_requests import KEY, po_line, start_almasim_serve, stop_almasim_serve

from simulator.api import codec
from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService

XML_ORDER = (b"<po_line><owner>MAIN</owner><type>PRINTED_BOOK_OT</type><vendor>GOBI</vendor>"
             b"<vendor_account>GOBI-HVU</vendor_account><price><sum>9.00</sum><currency>USD</currency></price>"
             b"<resource_metadata><title>Over the Wire</title></resource_metadata><fund_distributions>"
             b"<fund_distribution><fund_code>HIST-MONO</fund_code><amount><sum>9.00</sum><currency>USD</currency>"
             b"</amount></fund_distribution></fund_distributions></po_line>")


def test_a_threaded_server_answers_json_and_xml_like_alma(server):
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        made = client.post("/acq/po-lines", params={"apikey": KEY}, json=po_line(),
                           headers={"accept": "application/json"})
        assert made.status_code == 200
        assert made.headers["content-type"] == "application/json;charset=UTF-8"
        assert made.json()["link"].startswith(server.base_url)
        as_xml = client.post("/acq/po-lines", content=XML_ORDER,
                             headers={"authorization": f"apikey {KEY}", "content-type": "application/xml"})
        assert as_xml.status_code == 200 and b"<number>POL-" in as_xml.content
        ctype, charset = as_xml.headers["content-type"].split(";")  # what one public client does
        assert (ctype, charset) == ("application/xml", "charset=UTF-8")
        refused = client.get("/acq/test", params={"apikey": "wrong"})
        assert refused.status_code == 401 and codec.parse_error_body(refused.content)[0][0] == "UNAUTHORIZED"
        assert client.get(f"{server.url}/almasim/v1/admin/journal").json()["total"] == 3


def test_a_dropped_connection_is_a_transport_error(server):
    with httpx.Client(timeout=10) as client:
        client.post(f"{server.url}/almasim/v1/admin/faults", json={"path": "/almaws/v1/acq/test", "drop": True,
                                                                   "times": 1})
        with pytest.raises(httpx.TransportError):
            client.get(f"{server.base_url}/acq/test", params={"apikey": KEY})
        assert client.get(f"{server.base_url}/acq/test", params={"apikey": KEY}).status_code == 200


def test_almasim_serve_json_then_orders_over_http_and_a_state_file(tmp_path: Path):
    state = tmp_path / "alma-state.json"
    process = start_almasim_serve("--json", "--state", str(state))
    try:
        announced = json.loads(process.stdout.readline())
        base = announced["base_url"]
        assert base.startswith("http://127.0.0.1:") and base.endswith("/almaws/v1")
        hvu = next(i for i in announced["institutions"] if i["code"] == "01TRLC_HVU")
        assert hvu == {"code": "01TRLC_HVU", "name": "Hudson Valley University", "api_key": KEY}
        with httpx.Client(timeout=10) as client:
            made = client.post(f"{base}/acq/po-lines", params={"apikey": KEY}, json=po_line(),
                               headers={"accept": "application/json"})
            assert made.status_code == 200
            number = made.json()["number"]
            as_xml = client.post(f"{base}/acq/po-lines", params={"apikey": KEY}, content=XML_ORDER,
                                 headers={"content-type": "application/xml"})
            assert as_xml.status_code == 200
    finally:
        assert stop_almasim_serve(process) == 0
    assert state.read_bytes()[:16] == b"SQLite format 3\x00"  # the durable store (docs/http-api.md, Durability)

    process = start_almasim_serve("--json", "--state", str(state))
    try:
        base = json.loads(process.stdout.readline())["base_url"]
        again = httpx.get(f"{base}/acq/po-lines/{number}", params={"apikey": KEY, "format": "json"}, timeout=10)
        assert again.status_code == 200 and again.json()["number"] == number
    finally:
        assert stop_almasim_serve(process) == 0


def test_almasim_serve_on_a_port_in_use_says_so_in_one_line(server):
    process = subprocess.run([sys.executable, "-m", "simulator.cli", "serve", "--port", str(server.port)],
                             capture_output=True, text=True, timeout=30)
    assert process.returncode == 1
    assert process.stderr.strip().count("\n") == 0
    assert "in use" in process.stderr


def test_almasim_serve_host_every_interface_warns_and_names_the_address():
    process = start_almasim_serve("--json", "--host", "0.0.0.0")
    try:
        announced = json.loads(process.stdout.readline())
        assert "warning: listening on every network interface" in process.stderr.readline()
        assert (announced["host"], announced["base_url"].endswith(f":{announced['port']}/almaws/v1")) == (
            "0.0.0.0", True)
        with httpx.Client(timeout=10) as client:  # reachable on an interface other than the one it names
            answer = client.get(f"http://127.0.0.1:{announced['port']}/almaws/v1/acq/test", params={"apikey": KEY})
            assert answer.status_code == 200
    finally:
        stop_almasim_serve(process)


def test_almasim_serve_on_loopback_says_nothing_and_a_bad_host_is_one_line():
    from simulator.commands.serve import exposure
    assert exposure("127.0.0.1") == exposure("localhost") == ""
    assert "every network interface" in exposure("0.0.0.0")
    refused = subprocess.run([sys.executable, "-m", "simulator.cli", "serve", "--host", "no-such-host.invalid"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "--host no-such-host.invalid" in refused.stderr


def _has_ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


needs_ipv6 = pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback (::1)")


@needs_ipv6
def test_a_threaded_server_on_ipv6_loopback_answers_at_a_bracketed_url():
    with ThreadedServer(AlmaService(), host="::1") as server:
        assert server.base_url == f"http://[::1]:{server.port}/almaws/v1"
        with httpx.Client(timeout=10) as client:
            answer = client.post(f"{server.base_url}/acq/po-lines", params={"apikey": KEY, "format": "json"},
                                 json=po_line())
            assert answer.status_code == 200, answer.text
            number = answer.json()["number"]
            assert answer.json()["link"] == f"{server.base_url}/acq/po-lines/{number}"  # links name the bracketed URL
            assert client.get(f"{server.base_url}/acq/po-lines/{number}", params={"apikey": KEY}).status_code == 200


@needs_ipv6
def test_almasim_serve_host_ipv6_loopback_prints_a_bracketed_url_and_no_warning():
    process = start_almasim_serve("--host", "::1")
    try:
        first = process.stdout.readline()
        found = re.fullmatch(r"Simulated Alma at (http://\[::1\]:(\d+)/almaws/v1) \(listening on \[::1\]:(\d+)\)\n",
                             first)
        assert found is not None, first
        base_url, port = found.group(1), found.group(2)
        assert found.group(3) == port
        with httpx.Client(timeout=10) as client:
            assert client.get(f"{base_url}/acq/test", params={"apikey": KEY}).status_code == 200
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=15)
    assert process.returncode == 0 and errors == ""  # ::1 is loopback: no warning


def test_ipv6_loopback_is_not_warned_about_and_every_ipv6_interface_is():
    from simulator.commands.serve import exposure
    assert exposure("::1") == exposure("[::1]") == ""
    assert "every network interface" in exposure("::")
    assert "listening on 2001:db8::5:" in exposure("2001:db8::5")
