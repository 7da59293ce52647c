"""What a library holds: records in their zones and the catalogue that indexes them, electronic collections
and portfolios, holdings and items. Imports simulator.errors and simulator.identifiers.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from simulator.errors import HarnessError
from simulator.identifiers import isbn_key, issn_key


class Zone(enum.StrEnum):
    COMMUNITY = "CZ"
    NETWORK = "NZ"
    INSTITUTION = "IZ"


class Inventory(enum.StrEnum):
    """What a PO line type creates, and what a bibliographic record holds."""

    PHYSICAL = "physical"
    ELECTRONIC = "electronic"
    COLLECTION = "collection"  # an electronic collection: activated, no per-title portfolio
    NONE = "none"
    MIXED = "mixed"  # a record holding both physical and electronic inventory



# ---------------------------------------------------------------- catalogue -------------------------------------


@dataclass(kw_only=True, slots=True)
class Bib:
    """A bibliographic record in one zone. Identifiers are kept as sent and indexed by their keys.
    Slotted: a catalogue holds a million of them (PRODUCT.md: 1M bibs in < 2 GB, lookups that do not slow)."""

    mms_id: str
    zone: Zone
    title: str
    author: str = ""
    isbns: list[str] = field(default_factory=list)
    issns: list[str] = field(default_factory=list)
    publisher: str = ""
    publication_place: str = ""
    publication_year: str = ""
    system_numbers: list[str] = field(default_factory=list)  # 035 $a, e.g. "(OCoLC)123456"
    vendor_title_numbers: list[str] = field(default_factory=list)
    brief: bool = False
    local_notes: list[str] = field(default_factory=list)
    publish_to_external_catalog: str = "PUBLISH_BIB"  # the profile's management tag
    network_mms_id: str = ""  # an IZ record linked to a Network Zone record
    suppressed: bool = False
    created_by_order: str = ""  # the PO line number that created this brief record
    validation_problems: list[str] = field(default_factory=list)
    metadata_template: str = ""  # the template a brief record was built from
    language: str = ""
    encoding_level: str = ""  # MARC leader/17: "3" abbreviated (brief), " " full
    created: str = ""  # Alma dates (2026-09-01Z); "" for seeded records (read as loaded before the simulation)
    modified: str = ""
    marc: str = ""  # the MARCXML <record> a cataloguer sent (PUT/POST /bibs); "" = built from the fields above


# The keys a catalogue indexes; match methods look records up by them.
INDEX_KINDS = ("isbn", "issn", "system_number", "vendor_title_number")


def record_keys(bib: Bib) -> dict[str, set[str]]:
    # in INDEX_KINDS order; an empty list (most of a brief record's) gives an empty set without a comprehension
    return {
        "isbn": {k for k in (isbn_key(i) for i in bib.isbns) if k} if bib.isbns else set(),
        "issn": {k for k in (issn_key(i) for i in bib.issns) if k} if bib.issns else set(),
        "system_number": {n.strip().upper() for n in bib.system_numbers if n.strip()} if bib.system_numbers else set(),
        "vendor_title_number": ({n.strip().upper() for n in bib.vendor_title_numbers if n.strip()}
                                if bib.vendor_title_numbers else set()),
    }


def _by_mms_id(bib: Bib) -> str:
    return bib.mms_id


def _records(entry: Bib | tuple[Bib, ...] | None) -> tuple[Bib, ...]:
    return () if entry is None else entry if isinstance(entry, tuple) else (entry,)


class Catalogue:
    """The bibliographic records of one zone, indexed by every matching key (lookups never scan)."""

    def __init__(self, zone: Zone) -> None:
        self.zone = zone
        self.bibs: dict[str, Bib] = {}
        # kind -> key -> the record carrying it, or a tuple of them in MMS ID order when several do (lean: most
        # keys name one record; the records themselves, so a lookup among a million touches little memory)
        self._index: dict[str, dict[str, Bib | tuple[Bib, ...]]] = {kind: {} for kind in INDEX_KINDS}
        self._linked: dict[str, str] = {}  # Network Zone MMS ID -> the institution record linked to it

    def add(self, bib: Bib) -> Bib:
        if bib.mms_id in self.bibs:
            raise HarnessError(f"MMS ID {bib.mms_id} is already in the {self.zone} catalogue")
        self.bibs[bib.mms_id] = bib
        if bib.network_mms_id:
            self._linked[bib.network_mms_id] = bib.mms_id
        if not bib.suppressed:
            self._index_record(bib)
        return bib

    def _index_record(self, bib: Bib) -> None:
        for kind, keys in record_keys(bib).items():
            index = self._index[kind]
            for key in keys:
                found = index.get(key)
                index[key] = bib if found is None else tuple(sorted((*_records(found), bib), key=_by_mms_id))

    def change(self, mms_id: str, change: Callable[[Bib], None]) -> Bib:
        """Change a record in place and re-index it (its keys may change); a failing change leaves it as it was."""
        bib = self.bibs[mms_id]
        changed = replace(bib, isbns=list(bib.isbns), issns=list(bib.issns), system_numbers=list(bib.system_numbers),
                          vendor_title_numbers=list(bib.vendor_title_numbers), local_notes=list(bib.local_notes))
        change(changed)
        if not bib.suppressed:
            self._unindex_record(bib)
        self.bibs[mms_id] = changed
        if not changed.suppressed:
            self._index_record(changed)
        return changed

    def remove(self, mms_id: str) -> None:
        bib = self.bibs.pop(mms_id)
        self._linked.pop(bib.network_mms_id, None)
        self._unindex_record(bib)

    def suppress(self, mms_id: str) -> None:
        """A suppressed record stays in the catalogue but no match method finds it any more."""
        bib = self.bibs[mms_id]
        if not bib.suppressed:
            bib.suppressed = True
            self._unindex_record(bib)

    def _unindex_record(self, bib: Bib) -> None:
        mms_id = bib.mms_id
        for kind, keys in record_keys(bib).items():
            index = self._index[kind]
            for key in keys:
                left = tuple(b for b in _records(index.get(key)) if b.mms_id != mms_id)
                if left:
                    index[key] = left[0] if len(left) == 1 else left
                else:
                    index.pop(key, None)

    def lookup(self, kind: str, key: str) -> list[Bib]:
        """The records carrying `key` (suppressed records are not indexed, so no record is read here)."""
        found = self._index[kind].get(key)
        if found is None:
            return []
        return list(found) if isinstance(found, tuple) else [found]  # one record: the common case, kept unwrapped

    def linked_to(self, network_mms_id: str) -> Bib | None:
        mms_id = self._linked.get(network_mms_id)
        return self.bibs.get(mms_id) if mms_id else None

    def __len__(self) -> int:
        return len(self.bibs)


@dataclass(kw_only=True)
class ElectronicCollection:
    """An electronic collection on one platform (interface). In the Community Zone it lists portfolios."""

    id: str
    name: str
    platform: str
    zone: Zone
    community_id: str = ""  # an IZ collection activated from the Community Zone
    active: bool = True


@dataclass(kw_only=True)
class Portfolio:
    """An electronic portfolio: one title on one platform. One ordering PO line, plus additional lines."""

    id: str
    mms_id: str
    platform: str
    title: str = ""
    isbn: str = ""
    vendor_title_number: str = ""
    collection_id: str = ""
    community_id: str = ""  # the CZ portfolio this one was activated from, else local
    available: bool = False
    po_line: str = ""  # the ordering PO line
    additional_po_lines: list[str] = field(default_factory=list)
    access_model: str = ""

    @property
    def origin(self) -> str:
        return "community" if self.community_id else "local"


# ---------------------------------------------------------------- inventory --------------------------------------


@dataclass(kw_only=True)
class Holding:
    id: str
    mms_id: str
    library: str
    location: str


@dataclass(kw_only=True)
class Item:
    id: str
    holding_id: str
    mms_id: str
    po_line: str
    barcode: str = ""
    item_policy: str = ""
    received: bool = False
    receive_date: str = ""
    description: str = ""
