"""The world of the simulated Alma: zones, institutions and everything an order touches, one module per aggregate.

    catalogue     records in their zones and the indexed catalogue; electronic collections, portfolios,
                  holdings and items
    acquisitions  libraries and locations, fiscal periods, ledgers and funds, vendors, New Order API
                  integration profiles, PO line types
    orders        PO line drafts, PO lines (statuses, alerts, encumbrances), purchase orders
    users         users (patrons and staff), the letters Alma sends them, hold requests
    invoices      invoices and their lines, the invoice workflow, the fund postings of an approval
    restrictions  API Restrictions profiles (a vendor's key), purchasing review rules and the price threshold
    world         the Community Zone, Network Zones, institutions, sequences and API keys

Entities are plain dataclasses with their behaviour as methods (a fund encumbers, a catalogue indexes its
records). Nothing here knows Alma's JSON spellings or HTTP. Everything is re-exported here, so callers write
`from simulator.alma.model import Fund`. Imports only simulator.money, simulator.errors and simulator.identifiers.
"""

from __future__ import annotations

from simulator.alma.model.acquisitions import (
    DEFAULT_SETTINGS_PROFILE, Continuity, ExternalCatalogSync, FiscalPeriod, Fund, FundTransaction, InventoryOperations,
    Ledger, Library, Location, NewOrderProfile, NoMatchAction, POLineType, TransactionType, Vendor, VendorAccount,
)
from simulator.alma.model.catalogue import (
    INDEX_KINDS, Bib, Catalogue, ElectronicCollection, Holding, Inventory, Item, Portfolio, Zone, record_keys,
)
from simulator.alma.model.orders import (
    FINISHED, STATUS_LABELS, Alert, Claim, Encumbrance, FundShare, InterestedUser, OrderedLocation, POLine, POLineDraft, POLineStatus,
    PurchaseOrder, ResourceMetadata,
)
from simulator.alma.model.invoices import (
    CREATION_FORMS, INVOICE_LINE_TYPES, PAYMENT_METHODS, WORKFLOW_LABELS, Invoice, InvoiceLine, InvoiceWorkflowStatus,
    Posting,
)
from simulator.alma.model.users import (
    INTERESTED_IN, LETTER_NAMES, PO_LINE_CANCELLATION, Letter, User, UserRequest,
)
from simulator.alma.model.restrictions import (
    API_RESTRICTIONS, FUND_VIEWS, ApiRestrictionProfile, PurchasingReview, ReviewRule,
)
from simulator.alma.model.world import (
    ApiKey, CommunityZone, Institution, MetadataTemplate, NetworkZone, Sequence, World,
)

__all__ = [
    "API_RESTRICTIONS", "FUND_VIEWS", "ApiRestrictionProfile", "PurchasingReview", "ReviewRule",
    "DEFAULT_SETTINGS_PROFILE", "FINISHED", "INDEX_KINDS", "STATUS_LABELS", "Alert", "ApiKey", "Bib", "Catalogue",
    "CommunityZone", "Continuity", "ElectronicCollection", "Encumbrance", "ExternalCatalogSync", "FiscalPeriod", "Fund",
    "FundShare", "Holding", "Institution", "Inventory", "InventoryOperations", "Item", "Ledger", "Library",
    "Location", "MetadataTemplate", "NetworkZone", "NewOrderProfile", "NoMatchAction", "OrderedLocation", "POLine",
    "POLineDraft", "POLineStatus", "POLineType", "Portfolio", "PurchaseOrder", "ResourceMetadata", "Sequence",
    "Vendor", "VendorAccount", "World", "Zone", "record_keys",
    "CREATION_FORMS", "INVOICE_LINE_TYPES", "PAYMENT_METHODS", "WORKFLOW_LABELS", "FundTransaction", "Invoice",
    "InvoiceLine", "InvoiceWorkflowStatus", "Posting", "TransactionType",
    "INTERESTED_IN", "LETTER_NAMES", "PO_LINE_CANCELLATION", "InterestedUser", "Letter", "User", "UserRequest",
    "Claim",
]
