"""`almasim init DIR`: a folder of the user's own Gherkin scenarios, ready to run with the installed pytest plugin.

Owns the scaffold: the world file (one given, e.g. from `almasim clone`, or the default consortium), copied in
with the files it names; `pytest.ini` pointing the plugin at it; one example feature for the world's first
institution (the `alma` fixture's: Hudson Valley University when the world has it), naming a vendor the world
has and a fund its first library may order on, as the step library's cart will find them; the one-line
`features/test_features.py` that binds every feature; GLOSSARY.md and STEPS.md (the words and the sentences of
the step library); a README saying how to run it. No conftest.py: the plugin registers steps and fixtures.
The templates are simulator/testing/scaffold/ (package data). Imports simulator.alma.seed (to read the world),
simulator.backends (to see the world as the steps will) and simulator.testing.steps.
"""

from __future__ import annotations

import argparse
import shutil
from decimal import Decimal
from pathlib import Path
from string import Template
from typing import Any

from simulator.errors import AlmaError, HarnessError

SCAFFOLD = Path(__file__).resolve().parents[1] / "testing" / "scaffold"
HUDSON_VALLEY = "01TRLC_HVU"
# The example's title and price: a new title the step library adds to every vendor's catalogue
# (simulator.testing.steps._cart.NEW_TITLES), at its US list price.
PRICE = Decimal("45.00")
VENDOR_TAGS = {"GOBI": "gobi", "Oasis": "oasis", "Harrassowitz": "generic"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR", help="the folder to write (new, or empty)")
    parser.add_argument("--world", type=Path, default=None, metavar="FILE",
                        help="a world file to start from, e.g. from `almasim clone` (default: the Three Rivers "
                             "consortium the simulator ships with)")


def run(args: argparse.Namespace) -> int:
    from simulator.alma.seed import DEFAULT_WORLD, load_world

    folder: Path = args.folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise HarnessError(f"{folder} exists and is not an empty folder; nothing written")
    source = args.world or DEFAULT_WORLD
    world = load_world(source)  # a world that does not load is one line (HarnessError), before anything is written
    if not world.institutions:
        raise HarnessError(f"{source} has no institution")
    code = HUDSON_VALLEY if HUDSON_VALLEY in world.institutions else next(iter(world.institutions))
    example, warnings = _example_values(world, code)
    example["origin"] = f"copied from {source}" if args.world else "the simulator's default consortium"

    staging = folder.with_name(f".{folder.name}.almasim-init")  # written whole, then renamed: never half a folder
    shutil.rmtree(staging, ignore_errors=True)
    try:
        world_path = _copy_world(Path(source), staging / "world")
        example["world"] = world_path.relative_to(staging).as_posix()
        _write(staging / "pytest.ini", _fill("pytest.ini", example))
        _write(staging / "README.md", _fill("README.md", example))
        example["encumbrance"] = _fill("encumbrance.feature", example) if example["currency"] == "USD" else ""
        _write(staging / "features" / "ordering.feature", _fill("example.feature", example))
        shutil.copyfile(SCAFFOLD / "test_features.py", staging / "features" / "test_features.py")
        from simulator.testing.steps import GLOSSARY
        shutil.copyfile(GLOSSARY, staging / "GLOSSARY.md")
        _write(staging / "STEPS.md", steps_text())
        if folder.exists():
            folder.rmdir()
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"Wrote {folder}: {example['world']} ({example['origin']}), features/ordering.feature for {example['name']} "
          f"({example['vendor']}, fund {example['fund']}), features/test_features.py, pytest.ini, GLOSSARY.md, "
          "STEPS.md, README.md")
    for line in warnings:
        print(f"  check: {line}")
    print(f"Run it: cd {folder} && python -m pytest")
    return 0


def _example_values(world, code: str) -> tuple[dict[str, str], list[str]]:
    """The example's institution, vendor, fund and currency, seen through AlmaClient as the steps will see them."""
    from simulator.backends import make_backend
    from simulator.testing.steps._types import VENDORS

    alma = make_backend("inprocess", institution=code, world=world)
    warnings: list[str] = []
    vendor = next((name for name, vendor_code in VENDORS.items() if _has_vendor(alma, vendor_code)), "GOBI")
    if not _has_vendor(alma, VENDORS[vendor]):
        warnings.append("the world has no vendor GOBI, OASIS or HARRASSOWITZ: the example names GOBI")
    libraries = alma.libraries().get("library", [])
    funds: list[dict] = []
    if libraries:
        funds = alma.funds(mode="POL", library=libraries[0]["code"]).get("fund", [])
    else:
        warnings.append("the world has no library: the example's cart has nowhere to order for")
    # the fund with most money available, in US dollars if there is one (the vendors quote US libraries in USD)
    funds.sort(key=lambda f: (f.get("currency", {}).get("value") == "USD", Decimal(str(f.get("available_balance", 0)))),
               reverse=True)
    fund: dict[str, Any] = funds[0] if funds else {"code": "FUND-CODE", "currency": {"value": "USD"}}
    if not funds:
        warnings.append("no fund is open for the first library's orders: the example names FUND-CODE")
    currency = fund.get("currency", {}).get("value", "USD")
    if currency != "USD":
        warnings.append(f"the fund {fund['code']} is kept in {currency}: the example prices in {currency}")
    return {"name": world.institution(code).name, "code": code, "vendor": vendor, "tag": VENDOR_TAGS[vendor],
            "fund": fund["code"], "currency": currency}, warnings


def _has_vendor(alma, vendor_code: str) -> bool:
    try:
        alma.vendor(vendor_code)
    except AlmaError:
        return False
    return True


def _copy_world(source: Path, into: Path) -> Path:
    """The world file and the files it names (institutions, defaults, Community Zone), at the same relative places."""
    from simulator.alma.seed import read_toml

    spec = read_toml(source)
    named = [entry for entry in spec.get("institutions", []) if isinstance(entry, str)]
    named += [spec[key] for key in ("defaults", "community_zone") if isinstance(spec.get(key), str)]
    for relative in [source.name, *named]:
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source.parent / relative, target)
    return into / source.name


def _fill(template: str, values: dict[str, str]) -> str:
    return Template((SCAFFOLD / template).read_text(encoding="utf-8")).substitute(values)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def steps_text() -> str:
    """Every sentence of the step library, by keyword, as written in its modules (`{…}` is a parameter)."""
    import importlib

    from pytest_bdd.steps import step_function_context_registry

    from simulator.testing.steps import STEP_MODULES

    for module in STEP_MODULES:
        importlib.import_module(module)
    sentences: dict[str, list[tuple[str, str]]] = {"given": [], "when": [], "then": []}
    for context in list(step_function_context_registry.values()):
        where = context.step_func.__module__
        if where in STEP_MODULES and context.type in sentences:
            sentences[context.type].append((where.rsplit(".", 1)[1], str(context.parser.name)))
    lines = ["# The step library's sentences", "",
             "Every sentence almasim's steps understand, by keyword and area (`{name:Type}` is a parameter; the "
             "phrases a Type accepts are in GLOSSARY.md and simulator/testing/steps/_types.py). Written by "
             "`almasim init`.", ""]
    for keyword, found in sentences.items():
        lines += [f"## {keyword.capitalize()}", ""]
        lines += [f"- {sentence}  ({area})" for area, sentence in sorted(set(found))]
        lines.append("")
    return "\n".join(lines)
