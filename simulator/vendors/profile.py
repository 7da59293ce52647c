"""A vendor profile: what one vendor sends Alma, read from a TOML file a librarian can review.

Owns the `VendorProfile` and `Setup` records and reading them from `profiles/*.toml`. A profile says which vendor
record and account the vendor uses in each institution (its "setup worksheet"), which New Order API profile
code it names, the acquisition method and vendor reference number type it sends, what it sells (its formats,
each with the Alma PO line type it sends: one-time books, and serials — print and electronic journal
subscriptions and standing orders), which resource_metadata fields it fills, and its ebook platform and licence
vocabulary. Adding a vendor is one new file.
Imports only the standard library.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROFILES = Path(__file__).parent / "profiles"
CHECKS = ("owning_library", "location", "funds")
METADATA_FIELDS = ("title", "author", "isbn", "issn", "publisher", "publication_place", "publication_year",
                   "vendor_title_number")
# What a vendor can sell, as the keys of its profile's po_line_types: one-time print books and ebooks, and the
# serials — a print journal subscription, an electronic journal subscription, a standing order (a series'
# volumes as they appear).
FORMATS = ("print", "ebook", "print_journal", "ejournal", "standing_order")
SERIAL_FORMATS = ("print_journal", "ejournal", "standing_order")
PHYSICAL_FORMATS = ("print", "print_journal", "standing_order")
FORMAT_NAMES = {"print": "print books", "ebook": "ebooks", "print_journal": "print journal subscriptions",
                "ejournal": "e-journal subscriptions", "standing_order": "standing orders"}


@dataclass(frozen=True)
class Setup:
    """How the vendor is set up for one institution: its vendor record, account and integration profile."""

    vendor_code: str
    vendor_account: str = ""  # empty: the vendor's first active account, as Alma reports it
    profile_code: str = ""  # empty: Alma chooses the profile by the vendor's integration system
    currency: str = "USD"


@dataclass(frozen=True)
class VendorProfile:
    name: str  # the key in VENDORS and on the command line: "gobi"
    label: str
    system: str  # the vendor's integration system in Alma (GOBI, OASIS, OTHER)
    acquisition_method: str
    reference_number_type: str  # vendor_reference_number_type; empty: not sent
    order_number_format: str  # the shape of the vendor's order numbers (simulator.fakes)
    po_line_types: dict[str, str]  # what it sells: a format of FORMATS -> the Alma PO line type it sends
    resource_metadata: tuple[str, ...]
    platforms: tuple[str, ...]  # ebook platforms it sells on = Alma's access provider
    licenses: dict[str, str]  # the vendor's licence name -> Alma access model code
    checks: tuple[str, ...]  # what the cart verifies against Alma before checkout
    setups: dict[str, Setup] = field(default_factory=dict)  # institution code (or "default") -> Setup
    invoicing: str = "api"  # how the vendor bills what it shipped: "edi" (an INVOIC file) or "api" (Alma's API)

    @property
    def formats(self) -> tuple[str, ...]:
        """What the vendor sells, in FORMATS order."""
        return tuple(f for f in FORMATS if f in self.po_line_types)

    def sells(self, format: str) -> bool:
        return format in self.po_line_types

    def setup(self, institution: str) -> Setup:
        return self.setups.get(institution) or self.setups["default"]

    def access_model(self, license: str) -> str:
        """The Alma access model of a licence, given by the vendor's name for it or by the code itself."""
        if license in self.licenses:
            return self.licenses[license]
        if license in self.licenses.values():
            return license
        raise KeyError(license)


def load_profile(path: Path | str) -> VendorProfile:
    path = Path(path)
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        defaults = data.get("institutions", {}).get("default", {})
        setups = {code: Setup(vendor_code=s.get("vendor_code", defaults.get("vendor_code", "")),
                              vendor_account=s.get("vendor_account", ""), profile_code=s.get("profile_code", ""),
                              currency=s.get("currency", defaults.get("currency", "USD")))
                  for code, s in data.get("institutions", {}).items()}
        vendor = VendorProfile(
            name=data.get("name", path.stem), label=data["label"], system=data.get("system", "OTHER"),
            acquisition_method=data.get("acquisition_method", "VENDOR_SYSTEM"),
            reference_number_type=data.get("reference_number_type", ""),
            order_number_format=data.get("order_number_format", "generic"),
            po_line_types=dict(data["po_line_types"]), resource_metadata=tuple(data["resource_metadata"]),
            platforms=tuple(data.get("platforms", ())), licenses=dict(data.get("licenses", {})),
            checks=tuple(data.get("checks", CHECKS)), setups=setups, invoicing=data.get("invoicing", "api"))
    except KeyError as missing:
        raise ValueError(f"vendor profile {path.name} has no {missing.args[0]!r}") from None
    unknown = (set(vendor.resource_metadata) - set(METADATA_FIELDS)) | (set(vendor.checks) - set(CHECKS)) | \
        (set(vendor.po_line_types) - set(FORMATS))
    if vendor.invoicing not in ("edi", "api"):
        raise ValueError(f"vendor profile {path.name}: invoicing is 'edi' or 'api', not {vendor.invoicing!r}")
    if unknown or "default" not in setups or not setups["default"].vendor_code:
        problem = f"unknown fields {sorted(unknown)}" if unknown else "no [institutions.default] vendor_code"
        raise ValueError(f"vendor profile {path.name}: {problem}")
    return vendor


def load_profiles(directory: Path | str = PROFILES) -> dict[str, VendorProfile]:
    """Every profile in the directory, by name, in file-name order."""
    vendors: dict[str, VendorProfile] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        vendor = load_profile(path)
        if vendor.name in vendors:
            raise ValueError(f"two vendor profiles are named {vendor.name!r}")
        vendors[vendor.name] = vendor
    return vendors
