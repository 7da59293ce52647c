"""ORDERING-RULES §2.5, §2.6, §2.7, §3 — the four registries are extensible: a new entry changes behaviour,
a taken name raises HarnessError, entries are removed again (Registry.remove, via the `registered` fixture)."""

from __future__ import annotations

import pytest

from simulator.alma import configuration
from simulator.alma.matching import MATCH_METHODS
from simulator.alma.normalization import NORMALIZATION_PROCESSES
from simulator.alma.portfolio_search import PORTFOLIO_SEARCHES
from simulator.alma.registry import Registry
from simulator.alma.validation import VALIDATION_EXCEPTION_PROFILES, ValidationExceptionProfile
from simulator.errors import HarnessError

from .conftest import COASTAL, HVU, codes, ebook_draft, print_draft, vendor

REGISTRIES = [
    (MATCH_METHODS, "ISBN", lambda catalogue, record: []),
    (NORMALIZATION_PROCESSES, "Add vendor local note", lambda record, context: None),
    (VALIDATION_EXCEPTION_PROFILES, "MarcXML Bib Import",
     ValidationExceptionProfile(name="MarcXML Bib Import", on_invalid="ignore", description="dup")),
    (PORTFOLIO_SEARCHES, "OASIS", lambda *args: None),
]
IDS = ["match method", "normalization process", "validation exception profile", "portfolio search"]


@pytest.mark.parametrize(("registry", "taken", "entry"), REGISTRIES, ids=IDS)
def test_duplicate_names_raise_harness_error(registry, taken, entry):
    """Registering a taken name is a HarnessError (two plug-ins never collide); the original entry stays."""
    original = registry.get(taken)
    with pytest.raises(HarnessError) as refusal:
        registry.add(taken, entry)
    assert str(refusal.value).startswith("SIMULATOR:")
    assert registry.get(taken) is original


@pytest.mark.parametrize(("registry", "taken", "entry"), REGISTRIES, ids=IDS)
def test_new_names_register_and_remove(registry, taken, entry, registered):
    """A fresh name registers, is listed, and Registry.remove takes it out again."""
    registered(registry, "Test entry", entry)
    assert "Test entry" in registry and "Test entry" in list(registry)
    registry.remove("Test entry")
    assert "Test entry" not in registry
    with pytest.raises(HarnessError):
        registry.get("Test entry")


def test_registry_decorator_registers():
    """Registry.register works as a decorator."""
    registry: Registry[object] = Registry("thing")

    @registry.register("one")
    def one():
        return 1
    assert registry.get("one") is one
    with pytest.raises(HarnessError):
        registry.register("one")(one)


def test_new_portfolio_search_for_a_new_vendor_system(world, hvu, order, registered):
    """ORDERING-RULES §3: a new vendor system "HARRASSOWITZ_CZ" that searches the CZ is one registry entry."""
    def harrassowitz_cz(institution, cz, mms_id, platform, record):
        return PORTFOLIO_SEARCHES.get("GOBI")(institution, cz, mms_id, platform, record)
    assert order(ebook_draft(**vendor("HARRASSOWITZ"), isbn=COASTAL)).portfolio_outcome == "local"
    registered(PORTFOLIO_SEARCHES, "HARRASSOWITZ_CZ", harrassowitz_cz)
    hvu.vendors["HARRASSOWITZ"].system = "HARRASSOWITZ_CZ"
    line = order(ebook_draft(**vendor("HARRASSOWITZ"), isbn="9781478011118"))  # Soundscapes: CZ on Cambridge Core
    assert line.portfolio_outcome == "cz"
    assert hvu.portfolios[line.portfolio_ids[0]].origin == "community"


def test_new_match_method_and_normalization_together(world, hvu, order, registered):
    """ORDERING-RULES §2.5/§2.7: a registered normalization runs before a registered match method."""
    registered(NORMALIZATION_PROCESSES, "Vendor title number from title",
               lambda record, context: setattr(record, "vendor_title_number", record.title.split("#")[-1]))
    registered(MATCH_METHODS, "VTN", MATCH_METHODS.get("Vendor title number"))
    configuration.change_profile(world, HVU, "DEFAULT_API", normalization="Vendor title number from title",
                                 non_serial_match_method="VTN")
    first = order(print_draft(**vendor("HARRASSOWITZ"), title="Anything #HX-9"))
    second = order(print_draft(**vendor("HARRASSOWITZ"), title="Other title #HX-9"))
    assert second.mms_id == first.mms_id and "INVENTORY_EXISTS" in codes(second)


def test_new_validation_exception_profile(world, order, registered):
    """ORDERING-RULES §2.6: a registered policy that ignores invalid data lets a bad ISBN through silently."""
    registered(VALIDATION_EXCEPTION_PROFILES, "Lenient",
               ValidationExceptionProfile(name="Lenient", on_invalid="ignore", description="test"))
    configuration.change_profile(world, HVU, "GOBI_API", validation_exception_profile="Lenient")
    assert order(print_draft(isbn="9781503642226")).alerts == []
