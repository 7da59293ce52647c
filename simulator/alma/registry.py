"""Named, user-extensible strategies: match methods, normalization processes, validation exception
profiles and portfolio searches each keep one `Registry`. Imports only simulator.errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from simulator.errors import HarnessError

T = TypeVar("T")


class Registry(Generic[T]):
    """A name → strategy table. Registering a taken name is an error, so two plug-ins never collide."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        def add(entry: T) -> T:
            self.add(name, entry)
            return entry
        return add

    def add(self, name: str, entry: T) -> None:
        if name in self._entries:
            raise HarnessError(f"a {self.kind} named {name!r} is already registered")
        self._entries[name] = entry

    def remove(self, name: str) -> None:
        self._entries.pop(name, None)

    def get(self, name: str) -> T:
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries))
            raise HarnessError(f"no {self.kind} named {name!r}; known: {known}") from None

    def get_or(self, name: str, fallback: str) -> T:
        """The entry named `name`, else the one named `fallback` (`get` of whichever is registered)."""
        return self._entries[name] if name in self._entries else self.get(fallback)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._entries))
