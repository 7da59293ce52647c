"""A whole world as plain JSON and back: state export and import, `almasim serve --state`.

A generic dataclass ⇄ JSON codec driven by type hints: Decimals travel as strings, enums as their values,
frozensets as sorted lists, nested dataclasses as objects, dicts and lists (defaultdicts included) as
themselves. Two kinds of field never travel: locks (recreated) and derived indexes (`DERIVED`), which are
rebuilt from the data they index on import — the catalogues re-index their records, institutions re-index
holdings, portfolios and PO lines, the Community Zone re-indexes its portfolios. So an imported world is
the exported world, indexes and all: `to_json(from_json(x)) == x`.

Imports the domain model and the standard library only.
"""

from __future__ import annotations

import dataclasses
import enum
import threading
import types
import typing
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import Any

from simulator.alma.model import Bib, Catalogue, CommunityZone, Fund, Institution, Sequence, World, Zone
from simulator.errors import HarnessError

__all__ = ["FORMAT", "DERIVED", "dump", "load", "to_json", "from_json"]

#: Written into every snapshot; a snapshot of another format is refused rather than half-read.
FORMAT = "almasim-world/1"

#: Fields rebuilt from other fields on import, per class; they are never written.
DERIVED: dict[type, frozenset[str]] = {
    Institution: frozenset({"lock", "holdings_by_bib", "portfolios_by_bib", "portfolio_by_community",
                            "po_lines_by_bib"}),
    CommunityZone: frozenset({"portfolio_index"}),
    Fund: frozenset({"allocated", "encumbered", "expended"}),  # the sums of its transactions, recounted on import
}

_LOCKS = (threading.Lock, threading.RLock)


# ---------------------------------------------------------------- out ------------------------------------------


def to_json(value: Any) -> Any:
    """Any dataclass graph as JSON-ready values (dicts, lists, strings, numbers, booleans, None)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skip = DERIVED.get(type(value), frozenset())
        return {f.name: to_json(getattr(value, f.name)) for f in _fields(type(value)) if f.name not in skip}
    if isinstance(value, Catalogue):
        return {"zone": value.zone.value, "bibs": [to_json(b) for b in value.bibs.values()]}
    if isinstance(value, Sequence):
        return {"next": value.next}
    if isinstance(value, dict):
        return {_key(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(to_json(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    raise TypeError(f"cannot snapshot a {type(value).__name__}")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, enum.Enum):
        return key.value
    raise TypeError(f"cannot snapshot a dict keyed by {type(key).__name__}")


def dump(world: World) -> dict:
    """The whole world, each institution read under its own lock."""
    institutions = {}
    for code, institution in list(world.institutions.items()):
        with institution.lock:
            institutions[code] = to_json(institution)
    out: dict[str, Any] = {"format": FORMAT}
    for f in _fields(World):
        out[f.name] = institutions if f.name == "institutions" else to_json(getattr(world, f.name))
    return out


# ---------------------------------------------------------------- in -------------------------------------------


def load(data: dict) -> World:
    """A world from `dump`'s output, with every lock recreated and every index rebuilt."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise HarnessError(f"not an almasim world snapshot (expected \"format\": \"{FORMAT}\")")
    body = {k: v for k, v in data.items() if k != "format"}
    try:
        world = from_json(World, body)
        _reindex_community_zone(world.community_zone)
        for institution in world.institutions.values():
            _reindex_institution(institution)
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        raise HarnessError(f"the world snapshot is damaged: {exc}") from None
    return world


def from_json(hint: Any, value: Any) -> Any:
    """`value` (JSON-ready) read back as the type `hint` names."""
    if hint is Any or hint is object:
        return value
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return from_json(options[0], value) if len(options) == 1 else value
    if origin in (dict, defaultdict):
        key_type, value_type = typing.get_args(hint)
        return {from_json(key_type, k): from_json(value_type, v) for k, v in value.items()}
    if origin in (list, frozenset, set, tuple):
        args = typing.get_args(hint)
        item = args[0] if args else Any
        items = [from_json(item, v) for v in value]
        return origin(items) if origin is not list else items
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return _dataclass(hint, value)
        if issubclass(hint, enum.Enum):
            return hint(value)
        if hint is Decimal:
            return Decimal(value)
        if hint is Catalogue:
            catalogue = Catalogue(Zone(value["zone"]))
            for bib in value["bibs"]:
                catalogue.add(_dataclass(Bib, bib))
            return catalogue
        if hint is Sequence:
            return Sequence(value["next"])
        if hint in (str, int, float, bool):
            return hint(value)
    raise TypeError(f"cannot read {hint!r} from a snapshot")


def _dataclass(cls: type, value: dict) -> Any:
    hints = _hints(cls)
    kwargs = {}
    for f in _fields(cls):
        if f.name in value:
            kwargs[f.name] = from_json(hints[f.name], value[f.name])
    obj = cls(**{k: v for k, v in kwargs.items() if _init_field(cls, k)})
    for name, v in kwargs.items():
        if not _init_field(cls, name):
            object.__setattr__(obj, name, v)
    # a defaultdict field stays a defaultdict (code appends to it without checking)
    for f in _fields(cls):
        current = getattr(obj, f.name, None)
        if f.name in kwargs and isinstance(current, dict) and f.default_factory is not dataclasses.MISSING:
            fresh = f.default_factory()
            if isinstance(fresh, defaultdict):
                fresh.update(current)
                object.__setattr__(obj, f.name, fresh)
    return obj


@lru_cache(maxsize=None)
def _fields(cls: type) -> tuple[dataclasses.Field, ...]:
    """The fields that travel: all but locks, which every new object makes afresh."""
    return tuple(f for f in dataclasses.fields(cls) if f.default_factory not in _LOCKS)


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@lru_cache(maxsize=None)
def _init_field(cls: type, name: str) -> bool:
    return next(f.init for f in dataclasses.fields(cls) if f.name == name)


def _reindex_community_zone(cz: CommunityZone) -> None:
    cz.portfolio_index.clear()
    portfolios, cz.portfolios = cz.portfolios, {}
    for portfolio in portfolios.values():
        cz.add_portfolio(portfolio)


def _reindex_institution(institution: Institution) -> None:
    holdings, institution.holdings = institution.holdings, {}
    for holding in holdings.values():
        institution.add_holding(holding)
    portfolios, institution.portfolios = institution.portfolios, {}
    for portfolio in portfolios.values():
        institution.add_portfolio(portfolio)
    po_lines, institution.po_lines = institution.po_lines, {}
    for line in po_lines.values():
        institution.add_po_line(line)
