"""`almasim rehearse` through the real CLI entry point, and vendors added as one profile file."""

from __future__ import annotations

import json

import pytest

from simulator.backends import AlmaClient, InProcessBackend
from simulator.cli import main
from simulator.vendors import VENDORS, VendorStock, load_profile, open_cart
from simulator.vendors.rehearsal import rehearse

from .conftest import COASTAL


def _json(capsys, *args: str) -> dict:
    assert main(["rehearse", "--json", *args]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one JSON object
    return json.loads(out)


def test_the_same_seed_gives_the_same_rehearsal(capsys):
    first = _json(capsys, "--orders", "12", "--seed", "7")
    assert first == _json(capsys, "--orders", "12", "--seed", "7")
    assert first["seed"] == 7 and list(first["vendors"]) == ["gobi", "oasis", "generic"]
    for summary in first["vendors"].values():
        assert summary["orders"] == 12
        assert summary["lines"] == summary["created"] + summary["in_review"] + summary["refused"]
        assert summary["failed"] == summary["possible_duplicates"] == 0


def test_the_default_rehearsal_exercises_the_rules(capsys):
    vendors = _json(capsys)["vendors"]
    assert vendors["gobi"]["portfolios"]["cz"] > 0 and vendors["oasis"]["portfolios"]["cz"] > 0
    assert vendors["generic"]["portfolios"]["cz"] == 0 and vendors["generic"]["portfolios"]["local"] > 0
    assert "401872" in vendors["gobi"]["reasons"]["refused"]  # GOBI_API blocks an insufficient balance …
    assert "FUND_BALANCE_INSUFFICIENT" in vendors["oasis"]["reasons"]["in_review"]  # … OASIS_API reviews it
    assert "FUND_CODE_INVALID" in vendors["generic"]["reasons"]["in_review"]  # no vendor-side fund check
    assert all(v["in_review"] for v in vendors.values())


def test_the_table_names_the_seed_and_each_vendor(capsys, tmp_path):
    report = tmp_path / "rehearsal.md"
    assert main(["rehearse", "--vendor", "oasis", "--orders", "3", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "seed 42" in out and "oasis" in out and "gobi" not in out
    assert "In Review" in report.read_text()


def test_harness_mistakes_are_one_line(capsys):
    assert main(["rehearse", "--vendor", "amazon"]) == 2
    assert main(["rehearse", "--institution", "NOPE"]) == 2
    assert main(["rehearse", "--alma-url", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("almasim rehearse: ") for line in err)
    assert "amazon" in err[0] and "NOPE" in err[1] and "--api-key" in err[2]


BLACKWELL = """
name = "blackwell"
label = "Blackwell's Library Services"
order_number_format = "generic"
po_line_types = { print = "PRINTED_BOOK_OT", ebook = "E_BOOK_OT" }
resource_metadata = ["title", "author", "isbn"]
platforms = ["JSTOR", "Cambridge Core"]

[licenses]
"single user" = "1U"

[institutions.default]
vendor_code = "BLACKWELL"
"""


def test_a_new_vendor_is_one_file(tmp_path, capsys):
    (tmp_path / "blackwell.toml").write_text(BLACKWELL)
    profile = load_profile(tmp_path / "blackwell.toml")
    assert (profile.name, profile.system) == ("blackwell", "OTHER")
    assert profile.checks == ("owning_library", "location", "funds")

    alma = AlmaClient(InProcessBackend())
    cart = open_cart(tmp_path / "blackwell.toml", alma)
    cart.add(VendorStock.build(profile).title(COASTAL), "ebook", owning_library="MAIN", funds="EBOOKS-GEN")
    line = cart.checkout().lines[0]
    # Blackwell's is inactive at Hudson Valley; its account is read from Alma: the line waits In Review.
    assert (line.result.outcome, [a.code for a in line.result.alerts]) == ("in_review", ["VENDOR_INACTIVE"])
    assert alma.get_po_line(line.po_line_number)["vendor_account"] == "BLK-HVU"
    assert line.result.portfolio == "local"  # an OTHER system: never the Community Zone

    assert main(["rehearse", "--vendors-dir", str(tmp_path), "--orders", "2", "--json"]) == 0
    assert list(json.loads(capsys.readouterr().out)["vendors"]) == ["blackwell"]
    assert "blackwell" not in VENDORS


def test_over_http_the_summary_is_the_same():
    server = pytest.importorskip("simulator.api.server")
    http = pytest.importorskip("simulator.backends.http")
    vendors = sorted(VENDORS.values(), key=lambda v: v.system == "OTHER")
    running = server.ThreadedServer().start()
    backend = http.HttpBackend(running.base_url, "l8xx-hvu-0000-read-write")
    try:
        over_http = rehearse(AlmaClient(backend), vendors, orders=8, seed=3, sleep=lambda seconds: None).as_json()
    finally:
        backend.close()
        running.stop()
    assert over_http == rehearse(AlmaClient(InProcessBackend()), vendors, orders=8, seed=3).as_json()
