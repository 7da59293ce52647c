"""Which bibliographic record an order attaches to (seed 001 "MATCH", ORDERING-RULES §2.7–2.8).

A given MMS ID wins. Otherwise the profile's serial or non-serial match method, a named entry of
`MATCH_METHODS`, looks the order up in the institution's catalogue and, when the profile uses the network
zone, the Network Zone's — never the Community Zone. Lookups go through the catalogue's indexes.
Several candidates are narrowed by the inventory-type preference; with no preference Alma picks at random,
the simulator picks the lowest MMS ID [decision] and says which others it passed over.
Imports model, registry and simulator.identifiers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.alma.model import Bib, Catalogue, Inventory, InventoryOperations, ResourceMetadata
from simulator.alma.registry import Registry
from simulator.identifiers import isbn_key, issn_key

MatchMethod = Callable[[Catalogue, ResourceMetadata], list[Bib]]
MATCH_METHODS: Registry[MatchMethod] = Registry("match method")


@MATCH_METHODS.register("ISBN")
def match_by_isbn(catalogue: Catalogue, record: ResourceMetadata) -> list[Bib]:
    """ISBN match method: ISBN-10 and ISBN-13 of one book are one key."""
    key = isbn_key(record.isbn) if record.isbn else None
    return catalogue.lookup("isbn", key) if key else []


@MATCH_METHODS.register("ISSN")
def match_by_issn(catalogue: Catalogue, record: ResourceMetadata) -> list[Bib]:
    key = issn_key(record.issn) if record.issn else None
    return catalogue.lookup("issn", key) if key else []


@MATCH_METHODS.register("ISBN or ISSN")
def match_by_isbn_or_issn(catalogue: Catalogue, record: ResourceMetadata) -> list[Bib]:
    """What Alma does when no profile is defined at all."""
    return match_by_isbn(catalogue, record) or match_by_issn(catalogue, record)


@MATCH_METHODS.register("035 Other System Number")
def match_by_system_number(catalogue: Catalogue, record: ResourceMetadata) -> list[Bib]:
    """035 $a, OCLC numbers included: "(OCoLC)1234" matches a record carrying the same 035."""
    found: dict[str, Bib] = {}
    for number in record.system_control_numbers:
        for bib in catalogue.lookup("system_number", number.strip().upper()):
            found[bib.mms_id] = bib
    return [found[k] for k in sorted(found)]


@MATCH_METHODS.register("Vendor title number")
def match_by_vendor_title_number(catalogue: Catalogue, record: ResourceMetadata) -> list[Bib]:
    key = record.vendor_title_number.strip().upper()
    return catalogue.lookup("vendor_title_number", key) if key else []


def order_inventory(operations: InventoryOperations, line_inventory: Inventory) -> Inventory:
    """The inventory type the preference works with (seed 001's Inventory Operations): None → no preference;
    Physical or Electronic fix it; Mixed reads P or E from the order's resource-type field. An API order has no
    resource-type field (Create PO line carries none), so under Mixed the simulator takes the type from the PO
    line type [decision]: physical types P, electronic titles and collections E."""
    if operations is InventoryOperations.NONE:
        return Inventory.NONE
    if operations is InventoryOperations.PHYSICAL:
        return Inventory.PHYSICAL
    if operations is InventoryOperations.ELECTRONIC:
        return Inventory.ELECTRONIC
    if line_inventory is Inventory.COLLECTION:
        return Inventory.ELECTRONIC
    return line_inventory if line_inventory in (Inventory.PHYSICAL, Inventory.ELECTRONIC) else Inventory.NONE


@dataclass(frozen=True)
class Choice:
    winner: Bib
    passed_over: list[Bib]
    by_preference: bool  # True when the inventory-type preference decided


def choose(candidates: list[Bib], wanted: Inventory, inventory_of: Callable[[Bib], Inventory],
           prefer_same_inventory_type: bool) -> Choice:
    """Seed 001's tie-break, then the lowest MMS ID [decision] when there is no preference.

    Exactly one candidate holding only the order's type wins; several such → no preference. A mixed record
    (both types) wins only when it is the single mixed candidate *and no candidate holds only physical or only
    electronic inventory* — seed 001 read literally ("If only one of the matching records contains mixed
    inventory, and there are no matching records that contain only electronic or physical records"), so a
    print-only candidate blocks the mixed record for an ebook order. Candidates without inventory block nothing.
    """
    ordered = sorted(candidates, key=lambda b: b.mms_id)
    if len(ordered) == 1:
        return Choice(ordered[0], [], False)
    if prefer_same_inventory_type and wanted in (Inventory.PHYSICAL, Inventory.ELECTRONIC):
        kinds = {b.mms_id: inventory_of(b) for b in ordered}
        same_only = [b for b in ordered if kinds[b.mms_id] is wanted]
        if len(same_only) == 1:
            return Choice(same_only[0], [b for b in ordered if b is not same_only[0]], True)
        single_type = [b for b in ordered if kinds[b.mms_id] in (Inventory.PHYSICAL, Inventory.ELECTRONIC)]
        mixed = [b for b in ordered if kinds[b.mms_id] is Inventory.MIXED]
        if len(mixed) == 1 and not single_type:
            return Choice(mixed[0], [b for b in ordered if b is not mixed[0]], True)
    return Choice(ordered[0], ordered[1:], False)
