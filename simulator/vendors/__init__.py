"""Vendor carts: GOBI-like, OASIS-like and generic vendors placing real-time orders in Alma (seed 002).

    from simulator.backends import AlmaClient, InProcessBackend
    from simulator.vendors import VENDORS, VendorStock, open_cart

    alma = AlmaClient(InProcessBackend())
    gobi = VENDORS["gobi"]
    title = VendorStock.build(gobi).search("Coastal Resilience")[0]
    cart = open_cart("gobi", alma)
    cart.add(title, "ebook", license="3 users", owning_library="MAIN", funds="EBOOKS-GEN")
    order = cart.checkout()        # order.lines[0].po_line_number == "POL-…"; .result.portfolio == "cz"

`VENDORS` is every profile in `profiles/` by name, a plain dict: adding a vendor is one new TOML file.
The flow itself lives once, in `cart.py`. Imports the vendor modules and simulator.backends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from simulator.backends import AlmaClient
from simulator.errors import VendorError
from simulator.vendors.cart import (
    LineAlert, Cart, CartLine, CheckoutResult, LineRefused, OrderLine, RetryPolicy, VendorOrder, order_numbers,
)
from simulator.vendors.stock import VendorStock, StockTitle
from simulator.vendors.profile import PROFILES, Setup, VendorProfile, load_profile, load_profiles

VENDORS: dict[str, VendorProfile] = load_profiles(PROFILES)

__all__ = ["VENDORS", "LineAlert", "Cart", "CartLine", "VendorStock", "StockTitle", "CheckoutResult", "LineRefused",
           "OrderLine", "RetryPolicy", "Setup", "VendorProfile", "VendorOrder", "load_profile", "load_profiles",
           "open_cart", "order_numbers", "vendor_named"]


def vendor_named(name: str, vendors: dict[str, VendorProfile] | None = None) -> VendorProfile:
    vendors = VENDORS if vendors is None else vendors
    if name not in vendors:
        raise VendorError(f"no vendor profile {name!r}; known: {', '.join(vendors)}")
    return vendors[name]


def open_cart(vendor: str | VendorProfile | Path, alma: AlmaClient, *, institution: str = "01TRLC_HVU", seed: int = 0,
              numbers: Iterator[str] | None = None, retry: RetryPolicy | None = None,
              sleep: Callable[[float], None] = time.sleep) -> Cart:
    """A fresh cart at `vendor` (a name in VENDORS, a VendorProfile, or a profile file) for one institution."""
    if isinstance(vendor, Path):
        vendor = load_profile(vendor)
    elif isinstance(vendor, str):
        vendor = vendor_named(vendor)
    return Cart(vendor, alma, institution=institution, order_numbers=numbers or order_numbers(vendor, seed),
                retry=retry, sleep=sleep)
