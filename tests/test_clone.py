"""`almasim clone`: the round trip (clone a changed simulator, serve the file, every configuration read alike),
GET-only reading with a read-only key, paging, 429s waited out, keys kept out of the file, what a partial key
cannot read defaulted, messy data kept or reported. Each test starts its servers on 127.0.0.1 and stops them."""

from __future__ import annotations

import io
import json
import re
import tomllib
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from simulator.alma import configuration
from simulator.alma.model import Library, Location, NewOrderProfile, NoMatchAction, POLineType, Vendor
from simulator.alma.seed import load_world
from simulator.api.handlers import code_tables
from simulator.api.server import ThreadedServer
from simulator.api.service import AlmaService, Settings
from simulator.clock import RunningClock
from simulator.cli import main
from simulator.commands.clone import ProgressBar

pytest_plugins = ["pytester"]

HVU = "01TRLC_HVU"
READ_WRITE, READ_ONLY, ACQ_ONLY = "l8xx-hvu-0000-read-write", "l8xx-hvu-0000-read-only", "l8xx-hvu-0000-acq-only"


@contextmanager
def running(service: AlmaService):
    server = ThreadedServer(service).start()
    try:
        yield server
    finally:
        server.stop()


def run_clone(server: ThreadedServer, key: str, out: Path, *extra: str, capsys) -> tuple[int, dict | str, str]:
    code = main(["clone", "--alma-url", server.base_url, "--api-key", key, "--out", str(out), *extra])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if "--json" in extra and code == 0 else captured.out), captured.err


def strip_links(value):
    if isinstance(value, dict):
        return {k: strip_links(v) for k, v in value.items() if k != "link"}
    if isinstance(value, list):
        return [strip_links(v) for v in value]
    return value


def configuration_reads(server: ThreadedServer, key: str, institution) -> dict[str, object]:
    """Every configuration read the API offers, each list item's own read included."""
    answers: dict[str, object] = {}
    with httpx.Client(base_url=server.base_url, timeout=30,
                      headers={"Authorization": f"apikey {key}", "Accept": "application/json"}) as http:
        def read(path: str, **query) -> dict:
            answer = http.get(path, params=query)
            answers[f"{path}?{query}"] = (answer.status_code, strip_links(answer.json()))
            return answer.json()

        for library in read("/conf/libraries")["library"]:
            read(f"/conf/libraries/{library['code']}")
            for location in read(f"/conf/libraries/{library['code']}/locations")["location"]:
                read(f"/conf/libraries/{library['code']}/locations/{location['code']}")
        for fund in read("/acq/funds", mode="ALL", limit=100)["fund"]:
            read(f"/acq/funds/{fund['id']}")
        read("/acq/funds", limit=100)
        for vendor in read("/acq/vendors", limit=100)["vendor"]:
            read(f"/acq/vendors/{vendor['code']}")
        read("/acq/currencies")
        read("/acq/fiscal-periods")
        read("/acq/fiscal-periods", mode="CURRENT")
        for table in code_tables(institution):
            read(f"/conf/code-tables/{table}")
        for profile in read("/conf/integration-profiles", limit=100)["integration_profile"]:
            read(f"/conf/integration-profiles/{profile['id']}")
    return answers


def changed_service(**settings) -> AlmaService:
    """Hudson Valley University with an extra library, a renamed fund and another profile (one that uses the
    Network Zone, which the clone cannot read)."""
    service = AlmaService(clock=RunningClock(), settings=Settings(**settings))  # real seconds for the threshold
    world = service.world
    hvu = world.institution(HVU)
    hvu.libraries["MEDIA"] = Library(code="MEDIA", name="Media Centre",
                                     locations={"AV": Location(code="AV", name="Audio-visual")})
    configuration.change_fund(world, HVU, "HIST-MONO", name="History and Archaeology Monographs")
    configuration.add_profile(world, HVU, NewOrderProfile(code="NZ_FIRST", name="Network Zone first", system="OTHER",
                                                          use_network_zone=True,
                                                          upon_no_match=NoMatchAction.ADD_TO_NETWORK_ZONE,
                                                          block_invalid_fund_code=True))
    return service


def test_clone_round_trip_every_configuration_read_is_identical(tmp_path, capsys):
    source = changed_service(per_second_threshold=25)  # real Alma's threshold
    out = tmp_path / "hvu.toml"
    with running(source) as a:
        code, summary, _ = run_clone(a, READ_ONLY, out, "--json", capsys=capsys)
        assert code == 0, summary
        exchanges = [e for e in source.journal.entries() if e.path.startswith("/almaws/v1/")]
        source.configure({"per_second_threshold": 0})  # the comparison below reads as fast as it can
        copy = AlmaService(world_file=out)
        with running(copy) as b:
            key_b = copy.institutions_json()[0]["api_key"]
            before = configuration_reads(a, READ_WRITE, source.world.institution(HVU))
            after = configuration_reads(b, key_b, copy.world.institution(HVU))
    assert list(copy.world.institutions) == [HVU]
    assert before.keys() == after.keys()
    assert {path: answer for path, answer in after.items() if answer != before[path]} == {}
    assert "/conf/libraries/MEDIA?{}" in after and "NZ_FIRST" in str(after["/conf/integration-profiles?{'limit': 100}"])
    # never writes: the source answered GETs only, none of them refused by the per-second threshold
    assert exchanges and {e.method for e in exchanges} == {"GET"}
    assert not [e for e in exchanges if e.status == 429]
    assert summary["institution"] == HVU and summary["counts"]["libraries"] == 4
    assert any(line.startswith("Network Zone") for line in summary["defaulted"])


def test_the_world_file_keeps_no_key_of_the_source_and_says_what_was_defaulted(tmp_path, capsys):
    out = tmp_path / "hvu.toml"
    with running(AlmaService()) as a:
        code, text, _ = run_clone(a, READ_WRITE, out, capsys=capsys)
    assert code == 0
    written = out.read_text("utf-8")
    for key in (READ_WRITE, READ_ONLY, ACQ_ONLY):
        assert key not in written
    spec = tomllib.loads(written)
    assert [k["key"] for k in spec["institutions"][0]["api_keys"]] == ["l8xx-01trlc-hvu-clone-read-write",
                                                                     "l8xx-01trlc-hvu-clone-read-only"]
    defaulted = spec["clone"]["defaulted"]
    assert any("Community Zone" in line for line in defaulted)
    assert any("bibliographic records" in line for line in defaulted)
    assert all(f"defaulted: {line}" in text for line in defaulted)
    assert "almasim serve --world" in text


def test_a_key_that_sees_only_acquisitions_gets_the_rest_defaulted(tmp_path, capsys):
    out = tmp_path / "acq.toml"
    with running(AlmaService()) as a:
        code, summary, _ = run_clone(a, ACQ_ONLY, out, "--json", capsys=capsys)
    assert code == 0
    defaulted = "\n".join(summary["defaulted"])
    assert "libraries and locations: not readable with this key (401" in defaulted
    assert "code table PurchaseType: not readable" in defaulted
    assert "integration profiles: not readable" in defaulted
    world = load_world(out)  # still a world the simulator loads, with Alma's default code tables
    hvu = world.institution(HVU)
    assert hvu.libraries == {} and hvu.profiles == {} and "E_BOOK_OT" in hvu.po_line_types
    assert len(hvu.funds) == summary["counts"]["funds"] > 0
    # a fund restricted to a library the key could not read is kept, open to every library, and reported
    assert any("LAW-MONO" in line and "LAW" in line for line in summary["reported"])


def test_lists_are_paged_by_100_and_429s_are_waited_out(tmp_path, capsys):
    # the throttle counts on the service's clock: a running one, so waiting out a 429 really lets calls through
    service = AlmaService(clock=RunningClock(), settings=Settings(per_second_threshold=4))
    for n in range(130):
        configuration.add_vendor(service.world, HVU, Vendor(code=f"V{n:03d}", name=f"Vendor {n}"))
    out = tmp_path / "many.toml"
    with running(service) as a:
        code, summary, _ = run_clone(a, READ_ONLY, out, "--json", "--per-second", "1000", capsys=capsys)
    assert code == 0, summary
    assert summary["counts"]["vendors"] == 134 and summary["waits"] > 0
    vendor_reads = service.journal.entries(path="/almaws/v1/acq/vendors", status=200)
    assert sorted(dict(e.query)["offset"] for e in vendor_reads) == ["0", "100"]
    assert all(dict(e.query)["limit"] == "100" for e in vendor_reads)
    assert service.journal.entries(status=429)
    assert {e.method for e in service.journal.entries()} == {"GET"}


def test_messy_data_is_kept_or_reported_never_a_crash(tmp_path, capsys):
    service = AlmaService()
    hvu = service.world.institution(HVU)
    hvu.funds["HIST-MONO"].ledger = "GONE"  # a fund whose ledger Alma does not show
    hvu.funds["ENGL-MONO"].currency = "XAU"  # a currency the institution does not list
    hvu.vendors["GOBI"].name = ""
    hvu.funds["MUSIC-MONO"].ledger = "ART-MONO"  # a fund under another fund (as under a summary fund)
    hvu.libraries["SCI"].name = ""
    hvu.po_line_types["MYSTERY_OT"] = POLineType(code="MYSTERY_OT", label="Mystery",
                                                 inventory=hvu.po_line_types["PRINT_OT"].inventory)
    profile = next(iter(hvu.profiles.values()))
    profile.serial_match_method = "Title and publisher"
    out = tmp_path / "messy.toml"
    with running(service) as a:
        code, summary, _ = run_clone(a, READ_ONLY, out, "--json", capsys=capsys)
    assert code == 0, summary
    reported = "\n".join(summary["reported"])
    assert "fund HIST-MONO: no ledger Alma showed" in reported
    assert "fund ENGL-MONO: currency XAU" in reported
    assert "vendor GOBI: empty name, kept with its code as name" in reported
    assert "fund MUSIC-MONO: under the summary fund ART-MONO, placed directly in its ledger MONO" in reported
    assert "library SCI: empty name, kept" in reported
    assert "PO line type MYSTERY_OT: unknown to the simulator, kept as physical inventory" in reported
    assert f"integration profile {profile.code}: serial_match_method 'Title and publisher'" in reported
    world = load_world(out).institution(HVU)
    assert world.funds["HIST-MONO"].ledger == "" and world.vendors["GOBI"].name == "GOBI"
    assert world.po_line_types["MYSTERY_OT"].label == "Mystery" and world.libraries["SCI"].name == ""


def test_a_rejected_key_is_one_line_and_no_file(tmp_path, capsys):
    out = tmp_path / "never.toml"
    with running(AlmaService()) as a:
        code, _, err = run_clone(a, "l8xx-nobody", out, capsys=capsys)
    assert code == 1 and not out.exists()
    assert err.strip().count("\n") == 0 and "rejected the API key" in err


def test_a_url_that_is_not_an_alma_api_is_one_line_and_no_file(tmp_path, capsys):
    out = tmp_path / "never.toml"
    with running(AlmaService()) as a:
        code = main(["clone", "--alma-url", f"{a.url}/elsewhere", "--api-key", READ_ONLY, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert err.strip().count("\n") == 0 and "does not answer GET /acq/test" in err, err


def test_an_existing_file_is_kept_unless_forced(tmp_path, capsys):
    out = tmp_path / "kept.toml"
    out.write_text("# mine\n", "utf-8")
    with running(AlmaService()) as a:
        code, _, err = run_clone(a, READ_ONLY, out, capsys=capsys)
        assert code == 1 and "--force" in err and out.read_text("utf-8") == "# mine\n"
        code, _, _ = run_clone(a, READ_ONLY, out, "--force", capsys=capsys)
    assert code == 0 and HVU in out.read_text("utf-8")


def test_rehearse_orders_from_a_cloned_world(tmp_path, capsys):
    out = tmp_path / "hvu.toml"
    with running(changed_service()) as a:
        assert run_clone(a, READ_ONLY, out, capsys=capsys)[0] == 0
    assert main(["rehearse", "--world", str(out), "--orders", "2", "--vendor", "gobi", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["institution"] == HVU and result["vendors"]["gobi"]["orders"] == 2


def test_the_progress_bar_counts_reads_on_a_terminal_only():
    stream = io.StringIO()
    bar = ProgressBar(stream, enabled=True)
    bar("vendors", 3, 12)
    bar.end()
    assert "3/12 reads" in stream.getvalue() and stream.getvalue().endswith("\n")
    quiet = io.StringIO()
    ProgressBar(quiet, enabled=False)("vendors", 3, 12)
    assert quiet.getvalue() == ""


def test_the_round_trip_keeps_balances_and_ids(tmp_path, capsys):
    source = AlmaService()
    out = tmp_path / "hvu.toml"
    with running(source) as a:
        assert run_clone(a, READ_ONLY, out, capsys=capsys)[0] == 0
    original, cloned = source.world.institution(HVU), load_world(out).institution(HVU)
    assert {c: (f.id, f.allocated, f.encumbered, f.expended) for c, f in original.funds.items()} == \
           {c: (f.id, f.allocated, f.encumbered, f.expended) for c, f in cloned.funds.items()}
    assert cloned.funds["ENGL-MONO"].encumbered > Decimal(0)  # encumbered by the source's orders, none cloned
    assert cloned.po_lines == {} and cloned.catalogue.bibs == {}
    new_id = cloned.new_id("34")
    assert new_id not in {f.id for f in cloned.funds.values()} | {led.id for led in cloned.ledgers.values()}


@pytest.mark.parametrize("backend", ["inprocess", "mocked", "server"])
def test_the_pytest_plugin_loads_a_cloned_world(tmp_path, capsys, pytester, backend):
    out = tmp_path / "hvu.toml"
    with running(changed_service()) as a:
        assert run_clone(a, READ_ONLY, out, capsys=capsys)[0] == 0
    pytester.makepyfile(test_users_project="""
        def test_the_clone_has_the_extra_library(alma):
            assert "MEDIA" in [lib["code"] for lib in alma.libraries()["library"]]
    """)
    pytester.makeini(f"[pytest]\nalma_world = {out}\n")
    pytester.runpytest_inprocess(f"--alma-backend={backend}", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_readmes_clone_example_is_what_almasim_clone_prints(tmp_path, capsys, monkeypatch):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    block = re.search(r"```\n(Cloned 01TRLC_HVU.*?)```", readme, flags=re.S).group(1)
    monkeypatch.chdir(tmp_path)
    with running(AlmaService()) as a:
        code, printed, _ = run_clone(a, READ_ONLY, Path("hvu.toml"), capsys=capsys)
        printed = printed.replace(a.base_url, "http://127.0.0.1:8765/almaws/v1")
    assert code == 0 and printed.strip() == block.strip()
