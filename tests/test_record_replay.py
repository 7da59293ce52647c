"""Record a vendor's rehearsal through the recording proxy against one simulator, replay it against another:
no difference against an identical simulator; exactly the expected ones against a changed profile."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from alma_requests import KEY, po_line

from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService
from simulator.backends import AlmaClient
from simulator.backends.http import HttpBackend
from simulator.tools.recording import RecordingProxy, read_recording
from simulator.tools.replay import replay

COASTAL = "9780300120004"  # a Community Zone record: an ebook order brings it in with a portfolio
RIVERS = "9781503642225"  # an institution record: a print order matches it
PROFILE = "GOBI_API"


def ebook() -> dict:
    order = po_line(type={"value": "E_BOOK_OT"}, resource_metadata={"title": "Coastal", "isbn": COASTAL},
                    price={"sum": "45.00", "currency": {"value": "USD"}},
                    fund_distribution=[{"fund_code": {"value": "SCI-EBOOK"},
                                        "amount": {"sum": "45.00", "currency": {"value": "USD"}}}])
    order.pop("location")
    return order


def partly_funded() -> dict:
    return po_line(fund_distribution=[{"fund_code": {"value": "HIST-MONO"},
                                       "amount": {"sum": "10.00", "currency": {"value": "USD"}}}])


def rehearse(base_url: str) -> None:
    """What a vendor's connector does: discover, order print and ebook, read back, cancel, one In Review order."""
    backend = HttpBackend(base_url, "the-connectors-own-key", simulator=True)
    alma = AlmaClient(backend)
    try:
        alma.test()
        alma.vendor("GOBI")
        print_line = alma.create_po_line(po_line(resource_metadata={"title": "Rivers", "isbn": RIVERS}),
                                         profile_code=PROFILE)
        ebook_line = alma.create_po_line(ebook(), profile_code=PROFILE)
        alma.get_po_line(print_line["number"])
        alma.bib_portfolios(ebook_line["resource_metadata"]["mms_id"]["value"])
        alma.cancel_po_line(print_line["number"], "ORDERED_IN_ERROR")
        alma.create_po_line(partly_funded(), profile_code=PROFILE)
    finally:
        backend.close()
    # a connector that sends its key as ?apikey= (many do)
    with httpx.Client(timeout=10) as client:
        client.get(f"{base_url}/acq/po-lines", params={"apikey": "another-own-key", "status": "ACTIVE"},
                   headers={"accept": "application/json"})


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    out = tmp_path / "rehearsal.jsonl"
    with ThreadedServer(AlmaService()) as first, RecordingProxy(first.base_url, KEY, out) as proxy:
        rehearse(proxy.base_url)
        assert proxy.recorded == 9
    return out


def test_the_recording_keeps_every_exchange_and_no_key(recorded: Path):
    text = recorded.read_text(encoding="utf-8")
    assert KEY not in text and "own-key" not in text and "apikey " not in text.lower()
    exchanges = read_recording(recorded)
    assert [(e["method"], e["response"]["status"]) for e in exchanges][:3] == [
        ("GET", 200), ("GET", 200), ("POST", 200)]
    assert exchanges[-1]["query"] == [["apikey", "REDACTED"], ["status", "ACTIVE"]]
    assert exchanges[-1]["key_in"] == "query" and exchanges[0]["key_in"] == "header"


def test_replay_against_an_identical_simulator_reports_no_difference(recorded: Path):
    with ThreadedServer(AlmaService()) as second:
        found = replay(read_recording(recorded), second.base_url, KEY)
    assert found.replayed == 9 and found.differences == []
    assert found.report(second.base_url).endswith("no differences.")


def test_replay_against_a_changed_profile_reports_exactly_the_expected_differences(recorded: Path):
    with ThreadedServer(AlmaService()) as second:
        librarian = AlmaClient(HttpBackend(second.base_url, KEY))
        fields = librarian.integration_profile(PROFILE)
        from simulator.testing.steps._alma import edit_profile
        edit_profile(librarian, PROFILE, block_not_fully_funded=True)
        librarian.backend.close()  # type: ignore[attr-defined]
        found = replay(read_recording(recorded), second.base_url, KEY)
    assert fields["code"] == PROFILE
    assert [(d.seq, d.aspect, d.recorded, d.replayed) for d in found.differences] == [
        (8, "status", "200", "400"),
        (8, "Alma error codes", "none", "401872"),
        (8, "PO line status", "In Review", "none"),
        (8, "alerts", "FUND_NOT_FULLY_FUNDED", "none"),
        (8, "matched record", found.differences[4].recorded, "none"),
    ]
    assert found.differences[4].recorded.startswith("a new record ")
    assert "#8 POST /almaws/v1/acq/po-lines: PO line status: In Review recorded, none on replay" in (
        found.report("there"))


def test_identifiers_are_learned_so_a_read_back_reaches_the_replayed_line(recorded: Path):
    with ThreadedServer(AlmaService()) as second:
        librarian = AlmaClient(HttpBackend(second.base_url, KEY))
        librarian.create_po_line(po_line())  # the other Alma has handed out a number already
        librarian.backend.close()  # type: ignore[attr-defined]
        found = replay(read_recording(recorded), second.base_url, KEY)
    assert found.differences == []  # the read-back and the cancellation went to the replayed line
    recorded_number = read_recording(recorded)[2]["response"]["body"]
    number = json.loads(recorded_number)["number"]
    assert found.identifiers[number] != number


def test_the_commands_record_and_replay(tmp_path: Path):
    out = tmp_path / "cli.jsonl"
    with ThreadedServer(AlmaService()) as first, ThreadedServer(AlmaService()) as second:
        process = subprocess.Popen([sys.executable, "-m", "simulator.cli", "record", "--alma-url", first.base_url,
                                    "--api-key", KEY, "--out", str(out), "--port", "0", "--json"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            proxy = json.loads(process.stdout.readline())["base_url"]
            rehearse(proxy)
        finally:
            process.terminate()
            _, errors = process.communicate(timeout=30)
        assert process.returncode == 0 and "Traceback" not in errors
        same = subprocess.run([sys.executable, "-m", "simulator.cli", "replay", str(out), "--alma-url",
                               second.base_url, "--api-key", KEY], capture_output=True, text=True, timeout=120)
        assert same.returncode == 0 and same.stdout.strip().endswith("no differences."), same.stderr
        # the first simulator has the recording's orders already: the in-review order's title was ordered before
        again = subprocess.run([sys.executable, "-m", "simulator.cli", "replay", str(out), "--alma-url",
                                first.base_url, "--api-key", KEY, "--json"], capture_output=True, text=True,
                               timeout=120)
        found = json.loads(again.stdout)
        assert found["replayed"] == 9 and again.returncode == (3 if found["differences"] else 0)
    broken = subprocess.run([sys.executable, "-m", "simulator.cli", "replay", str(tmp_path / "none.jsonl"),
                             "--alma-url", "http://127.0.0.1:9/almaws/v1", "--api-key", "k"],
                            capture_output=True, text=True, timeout=60)
    assert broken.returncode == 1 and broken.stderr.startswith("almasim replay: SIMULATOR: no recording")
