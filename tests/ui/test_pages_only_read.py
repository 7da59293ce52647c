"""The librarian's view reads the after-ordering modules but never runs their writes: pages.py uses only the
reading functions of renewals, claims and letters (the import-linter contract "The librarian's actions change the
world only through the API's edge" lets pages import these three modules for that reason alone)."""

from __future__ import annotations

import ast
from pathlib import Path

import simulator.ui.pages

READING = {
    "renewals": {"task_list", "cycle_label", "reminder_day"},
    "claims": {"task_list", "claim_kind", "expected_day"},
    "letters": {"letters"},
}
WRITING = {"renewals": {"renew", "run", "after_update"}, "claims": {"run"},
           "letters": {"on_receipt", "on_activation", "on_cancel", "renewal_notice"}}


def used(source: str) -> dict[str, set[str]]:
    """What a module's code takes from each of the three modules (module.name)."""
    found: dict[str, set[str]] = {name: set() for name in READING}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in found:
            found[node.value.id].add(node.attr)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1] in found:
            found[node.module.split(".")[-1]] |= {alias.name for alias in node.names}
    return found


def test_pages_uses_only_the_reading_functions_of_renewals_claims_and_letters():
    taken = used(Path(simulator.ui.pages.__file__).read_text(encoding="utf-8"))
    assert taken["renewals"] and taken["claims"] and taken["letters"]
    for module, names in taken.items():
        assert names <= READING[module], f"pages takes {sorted(names - READING[module])} from {module}"


def test_the_check_sees_a_write():
    taken = used("from simulator.alma import renewals\nrenewals.renew(world, 'X', 'POL-1', clock)\n"
                 "from simulator.alma.claims import run\n")
    assert taken["renewals"] & WRITING["renewals"] and taken["claims"] & WRITING["claims"]
