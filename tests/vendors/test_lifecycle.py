"""After ordering, in a rehearsal and on the command line: receipt or activation, the vendor's invoice (EDI for
GOBI and Oasis, the API for the generic vendor), payment and closing; fund totals that agree with the fund
transactions; a budget that scales with the volume; `almasim edi` loading a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.backends import AlmaClient, InProcessBackend
from simulator.cli import main
from simulator.errors import HarnessError
from simulator.vendors import VENDORS
from simulator.vendors.rehearsal import budget_factor, rehearse

EDI_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "edi" / "gobi-hvu-2026-09-17.edi"
ORDERED = sorted(VENDORS.values(), key=lambda v: v.system == "OTHER")


def test_a_rehearsal_follows_orders_to_closed_and_the_funds_agree():
    backend = InProcessBackend()
    result = rehearse(AlmaClient(backend), ORDERED, orders=6, seed=5).as_json()
    assert result["funds"]["agree_with_transactions"] is True
    assert float(result["funds"]["totals"]["USD"]["spent"]) > 0
    for name, summary in result["vendors"].items():
        assert summary["received"] == summary["created"], name
        assert 0 < summary["closed"] <= summary["invoiced"] <= summary["created"], name
        assert summary["paid"] == summary["invoices"], name
    invoices = backend.world.institution("01TRLC_HVU").invoices.values()
    forms = {(i.vendor, i.creation_form) for i in invoices}
    assert ("GOBI", "EDI") in forms and ("OASIS", "EDI") in forms
    assert {form for vendor, form in forms if vendor not in ("GOBI", "OASIS")} == {"API"}
    assert all(i.workflow_status.value == "Closed" for i in invoices)


def test_without_the_lifecycle_nothing_is_invoiced():
    backend = InProcessBackend()
    result = rehearse(AlmaClient(backend), ORDERED[:1], orders=3, seed=5, lifecycle=False).as_json()
    assert result["vendors"]["gobi"]["invoiced"] == 0 and not backend.world.institution("01TRLC_HVU").invoices


def test_the_budget_scales_with_the_volume_and_keeps_the_mix():
    assert budget_factor(20) == 1 and budget_factor(1000) == 50 and budget_factor(1000, "2") == 2
    small = rehearse(AlmaClient(InProcessBackend()), ORDERED[:1], orders=20, seed=42, lifecycle=False).as_json()
    # ten times the volume: about one line in eight is a serial on the serials fund, so the book funds of the
    # seeded budget run dry only past about 150 orders
    large = rehearse(AlmaClient(InProcessBackend()), ORDERED[:1], orders=200, seed=42, lifecycle=False).as_json()
    dry = rehearse(AlmaClient(InProcessBackend()), ORDERED[:1], orders=200, seed=42, lifecycle=False,
                   budget=1).as_json()

    def refused(result):
        summary = result["vendors"]["gobi"]
        return summary["refused"] / summary["lines"]

    assert large["budget"] == 10 and dry["budget"] == 1
    assert abs(refused(large) - refused(small)) < 0.1  # the same mix at ten times the volume …
    assert refused(dry) > 1.5 * refused(large)  # … while the seeded budget alone runs dry


def test_almasim_edi_load_checks_a_file_against_the_embedded_alma(capsys, tmp_path):
    assert main(["edi", "load", str(EDI_FILE)]) == 0
    out = capsys.readouterr().out
    assert "G2609170001  95.00 USD  Ready to be paid  1/1" in out and "G2609170002" in out
    broken = tmp_path / "broken.edi"
    broken.write_text(EDI_FILE.read_text("utf-8").replace("UNT+18+1'", "UNT+9+1'"), "utf-8")
    assert main(["edi", "load", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing loaded" in err


def test_almasim_edi_load_and_outbox_against_a_server(capsys):
    server = pytest.importorskip("simulator.api.server")
    running = server.ThreadedServer().start()
    target = ["--alma-url", running.base_url, "--api-key", "l8xx-hvu-0000-read-write"]
    try:
        assert main(["edi", "load", str(EDI_FILE), "--json", *target]) == 0
        loaded = json.loads(capsys.readouterr().out)
        assert [i["number"] for i in loaded["invoices"]] == ["G2609170001", "G2609170002"]
        assert main(["edi", "load", str(EDI_FILE), *target]) == 1  # the same invoices again: refused whole
        assert "60288" in capsys.readouterr().err
        assert main(["edi", "outbox", "GOBI", "--json", *target]) == 0
        assert json.loads(capsys.readouterr().out)["messages"] == []
    finally:
        running.stop()


def test_an_invoice_alma_cannot_take_leaves_the_orders_uninvoiced_not_the_rehearsal_broken():
    """Against an Alma without the simulator's EDI drop (a real one), the EDI vendors' invoices cannot be sent:
    the rehearsal still finishes and says so."""

    class NoEdiDrop(InProcessBackend):
        def admin(self, method, path, body=None, query=None):
            if path.startswith("/edi/"):
                raise HarnessError(f"{method} {path} is the simulator's own admin API; a real Alma has none")
            return super().admin(method, path, body, query)

    result = rehearse(AlmaClient(NoEdiDrop()), ORDERED[:1], orders=3, seed=5).as_json()
    gobi = result["vendors"]["gobi"]
    assert gobi["invoiced"] == 0 and gobi["reasons"]["failed"]["INVOICE_NOT_SENT"] == gobi["created"] > 0
