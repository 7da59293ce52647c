"""Tenants: copies of an institution of the default world under a new code, new API keys and a free MMS ID suffix.

One tenant per test scenario gives parallel runs isolation without resets. Tenants share the Community Zone and
the Network Zone, as real member institutions do. `Tenants` owns their numbering and the pool of the world's free
four-digit MMS ID suffixes; it builds and drops tenants in a world it is handed. The service holds the lock and
logs each change (see durability.py), so a tenant made or dropped is replayed after a restart.
Also here: an institution as the admin API lists it, and an institution's full API key.
Imports the domain's model and seed, simulator.clock and simulator.errors.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import pickle
from functools import lru_cache

from simulator.alma.model import ApiKey, Institution, World
from simulator.alma.seed import ALL_AREAS, DEFAULT_WORLD, load_institution, read_toml
from simulator.clock import Clock
from simulator.errors import HarnessError

__all__ = ["Tenants", "full_key", "institution_json", "TEMPLATE"]

TEMPLATE = "01TRLC_HVU"  # the institution a tenant is copied from unless another is named
_SUFFIXES = 10_000  # Alma's MMS ID suffixes have four digits


class Tenants:
    """The tenants of one service: their numbers (T0001, T0002, …) and the world's free MMS ID suffixes."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self._suffixes: _Suffixes | None = None  # free MMS ID suffixes of the world, built on first need

    # -- the counter a snapshot keeps (store.py: snapshot.tenants) ------------------------------------------------
    def next_number(self) -> int:
        """The number the next tenant gets, without taking it."""
        number = next(self._numbers)
        self._numbers = itertools.count(number)
        return number

    def count_from(self, number: int) -> None:
        self._numbers = itertools.count(number)

    def world_replaced(self) -> None:
        """The world changed whole: its free suffixes are counted again when next needed."""
        self._suffixes = None

    # -- making and dropping ----------------------------------------------------------------------------------------
    def create(self, world: World, clock: Clock, template: str, code: str, name: str
               ) -> tuple[Institution, list[str], dict]:
        """A new institution copied from `template` in the default world, with its own API keys; returns it, its
        keys and what replays it (the arguments of `add`). Costs the same whatever the number of institutions: the
        template is read once, the free MMS ID suffixes are kept in a heap (the lowest free one is taken; a dropped
        tenant's is free again)."""
        if not isinstance(template, str) or not isinstance(code, str) or not isinstance(name, str):
            raise HarnessError("template, code and name are strings")
        for field, text in (("template", template), ("code", code), ("name", name)):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise HarnessError(f"the tenant's {field} holds a character that cannot be stored") from None
        number = next(self._numbers)
        code = code or f"{template}_T{number:04d}"
        if code in world.institutions:
            raise HarnessError(f"institution {code} already exists")
        suffix = self._free(world).take()
        if suffix is None:
            raise HarnessError(f"no MMS ID suffix left: all {_SUFFIXES} four-digit suffixes are in use; "
                               "drop a tenant (DELETE /almasim/v1/admin/tenants/{code}) first")
        try:
            tenant, keys = self.add(world, clock, template, code, name, suffix, number)
        except BaseException:
            self._free(world).give_back(suffix)
            raise
        return tenant, keys, {"template": template, "code": code, "name": name, "suffix": suffix, "number": number}

    def add(self, world: World, clock: Clock, template: str, code: str, name: str, suffix: str, number: int
            ) -> tuple[Institution, list[str]]:
        """Build tenant `code` with the given suffix and number (what `create` chose, or a log entry replayed)."""
        spec, defaults = _template_spec(template)
        self._numbers = itertools.count(max(number + 1, next(self._numbers)))
        self._free(world).claim(suffix)
        slug = code.lower().replace("_", "-")
        keys = [{"key": f"l8xx-{slug}-read-write", "write": True},
                {"key": f"l8xx-{slug}-read-only", "write": False}]
        # the template's keys given to vendors under an API Restrictions profile get the tenant's own key strings
        restricted = [{**k, "key": f"l8xx-{slug}-{str(k['restriction_profile']).lower().replace('_', '-')}"}
                      for k in spec.get("restricted_api_keys", [])]
        tenant = {**spec, "code": code, "name": name or f"{spec['name']} (tenant {code})", "mms_suffix": suffix,
                  "api_keys": keys, "restricted_api_keys": restricted}
        try:
            institution = load_institution(world, tenant, defaults, clock)
        except HarnessError:
            _forget_institution(world, code)
            raise
        except Exception as exc:  # a half-built tenant must not stay behind
            _forget_institution(world, code)
            raise HarnessError(f"tenant {code} could not be made from {template}: {exc}") from None
        # A tenant lives as long as the world: out of the cyclic collector's way, so that full collections do not
        # re-scan every tenant made before and creating one costs the same at the 10th and the 9,000th.
        gc.freeze()
        return institution, [str(k["key"]) for k in [*keys, *restricted]]

    def remove(self, world: World, code: str) -> None:
        """Drop institution `code` (if there) with its API keys; its MMS ID suffix is free again."""
        institution = world.institutions.get(code)
        if institution is not None:
            _forget_institution(world, code)
            self._free(world).give_back(institution.mms_suffix)

    def _free(self, world: World) -> _Suffixes:
        if self._suffixes is None:
            self._suffixes = _Suffixes({inst.mms_suffix for inst in world.institutions.values()})
        return self._suffixes


class _Suffixes:
    """The free four-digit MMS ID suffixes of one world, lowest first."""

    def __init__(self, used: set[str]) -> None:
        self.used = set(used)
        self.free = [f"{n:04d}" for n in range(_SUFFIXES) if f"{n:04d}" not in self.used]  # sorted: a heap

    def take(self) -> str | None:
        while self.free:
            suffix = heapq.heappop(self.free)
            if suffix not in self.used:
                self.used.add(suffix)
                return suffix
        return None

    def claim(self, suffix: str) -> None:
        self.used.add(suffix)  # a heap entry for it is skipped when popped

    def give_back(self, suffix: str) -> None:
        if suffix in self.used:
            self.used.discard(suffix)
            heapq.heappush(self.free, suffix)


def institution_json(inst: Institution, keys: list[ApiKey]) -> dict:
    """An institution as the admin API lists it: code, name, its full key and every key with its areas."""
    full = next((k.key for k in keys if k.write and k.areas >= ALL_AREAS), "")
    return {"code": inst.code, "name": inst.name, "api_key": full,
            "api_keys": [{"key": k.key, "areas": sorted(k.areas), "write": k.write,
                          **({"restriction_profile": k.restriction_profile} if k.restriction_profile else {})}
                         for k in keys]}


def full_key(world: World, institution: str) -> str:
    """The institution's API key with read/write on every area (empty if it has none)."""
    for key in world.api_keys.values():
        if key.institution == institution and key.write and key.areas >= ALL_AREAS:
            return key.key
    return ""


def _forget_institution(world: World, code: str) -> None:
    world.institutions.pop(code, None)
    for key in [k for k, v in world.api_keys.items() if v.institution == code]:
        del world.api_keys[key]
    for network in world.networks.values():
        if code in network.members:
            network.members.remove(code)


def _template_spec(code: str) -> tuple[dict, dict]:
    return pickle.loads(_read_template(code))  # a fresh copy each time (faster than deepcopy)


@lru_cache(maxsize=32)
def _read_template(code: str) -> bytes:
    return pickle.dumps(_find_template(code))


def _find_template(code: str) -> tuple[dict, dict]:
    spec = read_toml(DEFAULT_WORLD)
    base = DEFAULT_WORLD.parent
    defaults = read_toml(base / spec["defaults"]) if "defaults" in spec else {}
    for relative in spec.get("institutions", []):
        candidate = read_toml(base / relative)
        if candidate.get("code") == code:
            return candidate, defaults
    raise HarnessError(f"no institution {code!r} in the default world to copy a tenant from")
