"""The route spec: every endpoint the simulated Alma serves, declared once, as data (standard library only).

Each `Endpoint` names its method, path template, area, whether it writes, the query parameters it reads (name,
type, default, allowed values), the Alma error codes it may answer with (each [decision] beside its reason
where Ex Libris' OpenAPI file does not list it), the handler (a function of that name in `handler_module`,
bound at import by `handlers.serves`) and a one-line summary. From this table come the dispatch table
(`handlers.ROUTES`), strict mode's accepted parameters and near misses (`admin.strict`), the coverage page and
the generated OpenAPI (`admin.coverage`) and `AlmaClient`'s paths (`path`). The simulator's own admin API is
declared in the same form in `ADMIN_ENDPOINTS`.

Alma's prefix `/almaws/v1` is spelled here and nowhere else in `simulator/`. Importing this module loads
nothing of the domain, so the client and the vendor carts can build paths without the simulator behind them.

Adding an endpoint: one `Endpoint(...)` below, a function of the same name decorated `@serves` in
handlers.py, and its fields in schemas.py (docs/architecture.md, "How to add an endpoint").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["ADMIN", "ADMIN_ENDPOINTS", "ALMA", "ENDPOINTS", "LIBRARIAN", "Endpoint", "Q", "by_key", "endpoint",
           "path"]

ALMA = "/almaws/v1"  # Alma's REST API, the one place the prefix is written
LIBRARIAN = "/almasim/v1/librarian"  # the librarian's actions that have no Alma REST endpoint (not Alma paths)
ADMIN = "/almasim/v1/admin"  # the simulator's own admin API (not Alma)


@dataclass(frozen=True)
class Q:
    """A query parameter an endpoint reads: its name, its type in Alma's file, its default, its allowed values."""

    name: str
    type: str = "string"  # string | integer | boolean, as Ex Libris' OpenAPI files type it
    default: str | None = None
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Endpoint:
    """One endpoint, declared once. `name` is also its handler's name in `handler_module`."""

    name: str
    method: str
    template: str
    area: str  # acq | bibs | conf | electronic | librarian | admin
    write: bool = False
    summary: str = ""
    query: tuple[Q, ...] = ()
    errors: tuple[str, ...] = ()
    decisions: Mapping[str, str] = field(default_factory=dict)  # [decision] code -> why (not in Alma's file)
    handler_module: str = "simulator.api.handlers"

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.template

    @property
    def handler(self) -> str:
        """The handler's dotted name, e.g. simulator.api.handlers.get_po_line."""
        return f"{self.handler_module}.{self.name}"

    @property
    def query_names(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.query)

    def path(self, **params: object) -> str:
        """The concrete path: the template with each {placeholder} filled in (as given, not re-quoted)."""
        try:
            return self.template.format(**params)
        except KeyError as missing:
            raise TypeError(f"path {self.name!r} needs {missing}") from None


_PAGING = "402119 for a limit or offset that is not a whole number in range: Alma's general error."
_BODY = ("a body that is not JSON or XML (or is refused: a DTD, too deep, too large) gets Alma's general error "
         "402119; a missing body gets 401676 'Request body not found', as on PUT.")
_NOT_NUMERIC = "a non-numeric MMS ID is refused as on GET /bibs/{mms_id}."
_NO_BIB = "an unknown MMS ID is refused as on GET /bibs/{mms_id}."
_NO_HOLDING = "a holding ID the record does not have is refused as on GET /bibs/{mms_id}/holdings/{holding_id}."

#: Alma's endpoints and the librarian's actions, in the order dispatch tries them (and the coverage page lists them).
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint('create_po_line', 'POST', ALMA + '/acq/po-lines', 'acq', write=True,
             summary='Create po line',
             query=(Q('profile_code'), Q('requires_manual_review', default='false')),
             errors=('402119', '401664', '401870', '401872', '60320', '401676'),
             decisions={'401676': _BODY}),
    Endpoint('list_po_lines', 'GET', ALMA + '/acq/po-lines', 'acq',
             summary='List po lines',
             query=(Q('q'),
                    Q('status', default='ALL', allowed=('CLOSED', 'CANCELLED', 'ACTIVE', 'ALL', 'ALL_WITH_CLOSED')),
                    Q('limit', 'integer', default='10'),
                    Q('offset', 'integer', default='0'),
                    Q('order_by', default='title'),
                    Q('direction', default='desc'),
                    Q('acquisition_method', default='ALL'),
                    Q('expand'),
                    Q('library')),
             errors=('402119', '40188600', '40188604')),
    Endpoint('get_po_line', 'GET', ALMA + '/acq/po-lines/{po_line_id}', 'acq',
             summary='Get po line',
             errors=('401871',)),
    Endpoint('update_po_line', 'PUT', ALMA + '/acq/po-lines/{po_line_id}', 'acq', write=True,
             summary='Update po line',
             query=(Q('update_inventory', default='true'), Q('redistribute_funds', default='false')),
             errors=('401676', '401871', '401876', '402119', '401872'),
             decisions={'402119': _BODY,
                        '401872': 'an illegal value in the body (a coded field, money, quantity) is refused as on POST.'}),
    Endpoint('cancel_po_line', 'DELETE', ALMA + '/acq/po-lines/{po_line_id}', 'acq', write=True,
             summary='Cancel po line',
             query=(Q('reason'),
                    Q('comment'),
                    Q('bib', default='retain'),
                    Q('override', 'boolean', default='false'),
                    Q('inform_vendor', 'boolean', default='false')),
             errors=('401884', '401881', '401871')),
    Endpoint('po_line_items', 'GET', ALMA + '/acq/po-lines/{po_line_id}/items', 'acq',
             summary='Po line items: each only its barcode and link [decision: item_data.barcode and link, no other '
                     'field]',
             query=(Q('limit', 'integer', default='1000000'), Q('offset', 'integer', default='0')),
             errors=('402119', '401871')),
    Endpoint('receive_new_item', 'POST', ALMA + '/acq/po-lines/{po_line_id}/items', 'acq', write=True,
             summary='Receive new item: answers the item as Alma\'s item object, as the bibs API does',
             query=(Q('receive_date'),),
             errors=('401871', '401877')),
    Endpoint('receive_item', 'POST', ALMA + '/acq/po-lines/{po_line_id}/items/{item_id}', 'acq', write=True,
             summary='Receive item: answers the item as Alma\'s item object, as the bibs API does',
             query=(Q('op'), Q('receive_date')),
             errors=('40166411', '401871', '401877')),
    Endpoint('list_funds', 'GET', ALMA + '/acq/funds', 'acq',
             summary='List funds',
             query=(Q('mode', default='POL'),
                    Q('library'),
                    Q('q'),
                    Q('limit', 'integer', default='10'),
                    Q('offset', 'integer', default='0'),
                    Q('status', default='ALL'),
                    Q('entity_type', default='ALL'),
                    Q('view', default='full'),
                    Q('fiscal_period', default='ALL'),
                    Q('parent_id', default='ALL'),
                    Q('owner', default='ALL')),
             errors=('402119', '40166410', '401873')),
    Endpoint('get_fund', 'GET', ALMA + '/acq/funds/{fund_id}', 'acq',
             summary='Get fund',
             errors=('402119',),
             decisions={'402119': 'Alma documents no code for an unknown fund; the general error is used.'}),
    Endpoint('list_vendors', 'GET', ALMA + '/acq/vendors', 'acq',
             summary='List vendors',
             query=(Q('status', default='ALL'),
                    Q('type', default='ALL'),
                    Q('q'),
                    Q('limit', 'integer', default='10'),
                    Q('offset', 'integer', default='0')),
             errors=('402119',)),
    Endpoint('get_vendor', 'GET', ALMA + '/acq/vendors/{vendor_code}', 'acq',
             summary='Get vendor',
             errors=('401871',)),
    Endpoint('vendor_po_lines', 'GET', ALMA + '/acq/vendors/{vendor_code}/po-lines', 'acq',
             summary='Vendor po lines',
             query=(Q('limit', 'integer', default='10'), Q('offset', 'integer', default='0')),
             errors=('402119', '401871')),
    Endpoint('fiscal_periods', 'GET', ALMA + '/acq/fiscal-periods', 'acq',
             summary='Fiscal periods',
             query=(Q('mode', default='ALL'),),
             errors=('401873',)),
    Endpoint('currencies', 'GET', ALMA + '/acq/currencies', 'acq',
             summary='Currencies',
             errors=()),
    Endpoint('acq_test_get', 'GET', ALMA + '/acq/test', 'acq',
             summary='<lambda>',
             errors=()),
    Endpoint('acq_test_post', 'POST', ALMA + '/acq/test', 'acq', write=True,
             summary='<lambda>',
             errors=()),
    Endpoint('conf_test_get', 'GET', ALMA + '/conf/test', 'conf',
             summary='<lambda>',
             errors=()),
    Endpoint('conf_test_post', 'POST', ALMA + '/conf/test', 'conf', write=True,
             summary='<lambda>',
             errors=()),
    Endpoint('bibs_test_get', 'GET', ALMA + '/bibs/test', 'bibs',
             summary='<lambda>',
             errors=()),
    Endpoint('bibs_test_post', 'POST', ALMA + '/bibs/test', 'bibs', write=True,
             summary='<lambda>',
             errors=()),
    Endpoint('list_libraries', 'GET', ALMA + '/conf/libraries', 'conf',
             summary='List libraries',
             errors=()),
    Endpoint('get_library', 'GET', ALMA + '/conf/libraries/{library_code}', 'conf',
             summary='Get library',
             errors=('402119',)),
    Endpoint('list_locations', 'GET', ALMA + '/conf/libraries/{library_code}/locations', 'conf',
             summary='List locations',
             errors=('402119',)),
    Endpoint('get_location', 'GET', ALMA + '/conf/libraries/{library_code}/locations/{location_code}', 'conf',
             summary='Get location',
             errors=('402119',)),
    Endpoint('list_code_tables', 'GET', ALMA + '/conf/code-tables', 'conf',
             summary="Retrieve code tables: every code table's name and description, with its link",
             errors=()),
    Endpoint('get_code_table', 'GET', ALMA + '/conf/code-tables/{code_table}', 'conf',
             summary='Get code table',
             errors=('402119',)),
    Endpoint('list_profiles', 'GET', ALMA + '/conf/integration-profiles', 'conf',
             summary='List profiles',
             query=(Q('type'), Q('limit', 'integer', default='10'), Q('offset', 'integer', default='0')),
             errors=('402119',),
             decisions={'402119': _PAGING}),
    Endpoint('get_profile', 'GET', ALMA + '/conf/integration-profiles/{id}', 'conf',
             summary='Get profile',
             errors=('60304',)),
    Endpoint('list_bibs', 'GET', ALMA + '/bibs', 'bibs',
             summary='List bibs',
             query=(Q('mms_id'),),
             errors=('402203',)),
    Endpoint('get_bib', 'GET', ALMA + '/bibs/{mms_id}', 'bibs',
             summary='Get bib',
             query=(Q('view', default='full'),),
             errors=('402204', '402203')),
    Endpoint('bib_portfolios', 'GET', ALMA + '/bibs/{mms_id}/portfolios', 'bibs',
             summary='Bib portfolios',
             query=(Q('limit', 'integer', default='10'), Q('offset', 'integer', default='0')),
             errors=('402204', '402203', '402119'),
             decisions={'402204': _NOT_NUMERIC, '402119': _PAGING}),
    Endpoint('get_portfolio', 'GET', ALMA + '/bibs/{mms_id}/portfolios/{portfolio_id}', 'bibs',
             summary='Get portfolio',
             errors=('402204', '402203', '60123'),
             decisions={'402204': _NOT_NUMERIC}),
    Endpoint('update_portfolio', 'PUT', ALMA + '/bibs/{mms_id}/portfolios/{portfolio_id}', 'bibs', write=True,
             summary='Availability (11 available, 10 not), the ordering PO line and the access model of a portfolio.',
             errors=('60221', '60123', '60161', '60172', '401872', '402119', '401676'),
             decisions={'402119': _BODY,
                        '401676': _BODY,
                        '401872': "an access model the institution's AccessModel table does not have is refused as on a PO line."}),
    Endpoint('overlay_bib', 'PUT', ALMA + '/bibs/{mms_id}', 'bibs', write=True,
             summary='A cataloguer overlays the record with a full one (MARCXML in `<record>`, or in `anies` in JSON).',
             errors=('402204', '402203', '4022032', '401676', '402119'),
             decisions={'401676': _BODY, '402119': _BODY}),
    Endpoint('create_bib', 'POST', ALMA + '/bibs', 'bibs', write=True,
             summary='Create bib',
             errors=('402209', '401676', '402119'),
             decisions={'401676': _BODY, '402119': _BODY}),
    Endpoint('bib_holdings', 'GET', ALMA + '/bibs/{mms_id}/holdings', 'bibs',
             summary='Bib holdings',
             errors=('402204', '402203'),
             decisions={'402204': _NOT_NUMERIC, '402203': _NO_BIB}),
    Endpoint('get_holding', 'GET', ALMA + '/bibs/{mms_id}/holdings/{holding_id}', 'bibs',
             summary='Get holding',
             errors=('402204', '402203', '402208'),
             decisions={'402204': _NOT_NUMERIC, '402203': _NO_BIB}),
    Endpoint('holding_items', 'GET', ALMA + '/bibs/{mms_id}/holdings/{holding_id}/items', 'bibs',
             summary='Holding items',
             query=(Q('limit', 'integer', default='10'), Q('offset', 'integer', default='0')),
             errors=('402204', '402203', '402208', '402119'),
             decisions={'402204': _NOT_NUMERIC, '402208': _NO_HOLDING, '402119': _PAGING}),
    Endpoint('get_item', 'GET', ALMA + '/bibs/{mms_id}/holdings/{holding_id}/items/{item_pid}', 'bibs',
             summary='Get item',
             errors=('402204', '402203', '402208', '401689'),
             decisions={'402204': _NOT_NUMERIC,
                        '402203': _NO_BIB,
                        '402208': _NO_HOLDING,
                        '401689': "Alma documents no code for an unknown item PID; 401689 'No items found' is used."}),
    Endpoint('list_collections', 'GET', ALMA + '/electronic/e-collections', 'electronic',
             summary='List collections',
             query=(Q('q'), Q('limit', 'integer', default='10'), Q('offset', 'integer', default='0')),
             errors=('402119',),
             decisions={'402119': _PAGING}),
    Endpoint('get_collection', 'GET', ALMA + '/electronic/e-collections/{collection_id}', 'electronic',
             summary='Get collection',
             errors=('60121',)),
    Endpoint('list_services', 'GET', ALMA + '/electronic/e-collections/{collection_id}/e-services', 'electronic',
             summary='List services',
             errors=('60121',)),
    Endpoint('get_service', 'GET', ALMA + '/electronic/e-collections/{collection_id}/e-services/{service_id}', 'electronic',
             summary='Get service',
             errors=('60121', '60122')),
    Endpoint('get_collection_portfolio', 'GET', ALMA + '/electronic/e-collections/{collection_id}/e-services/{service_id}/portfolios/{portfolio_id}', 'electronic',
             summary='Get collection portfolio',
             errors=('60121', '60122', '60123'),
             decisions={'60121': "an unknown collection is refused as on the service's other endpoints.",
                        '60122': "an unknown service is refused as on the service's other endpoints."}),
    Endpoint('collection_portfolios', 'GET', ALMA + '/electronic/e-collections/{collection_id}/e-services/{service_id}/portfolios', 'electronic',
             summary='Collection portfolios',
             query=(Q('limit', 'integer', default='10'), Q('offset', 'integer', default='0')),
             errors=('60121', '60122', '402119'),
             decisions={'402119': _PAGING}),
    Endpoint('order_from_bib', 'POST', LIBRARIAN + '/bibs/{mms_id}/order', 'librarian', write=True,
             summary='Order from an institution record: body is a PO line; `assign_inventory_manually=true` in the query.',
             query=(Q('assign_inventory_manually'),)),
    Endpoint('community_portfolio_list', 'GET', LIBRARIAN + '/community-zone/portfolios', 'librarian',
             summary="A Community Zone record's Portfolio List, found by ISBN or title (`q=isbn~…` or `q=title~…`).",
             query=(Q('q'),)),
    Endpoint('order_from_community_portfolio', 'POST', LIBRARIAN + '/community-zone/portfolios/{portfolio_id}/order', 'librarian', write=True,
             summary='Order from community portfolio'),
    Endpoint('in_review_list', 'GET', LIBRARIAN + '/in-review', 'librarian',
             summary='In review list'),
    Endpoint('approve_po_line', 'POST', LIBRARIAN + '/po-lines/{po_line_id}/approve', 'librarian', write=True,
             summary='Approve po line'),
    Endpoint('renewals_list', 'GET', LIBRARIAN + '/renewals', 'librarian',
             summary='The renewals task list (PO Lines to Renew): the lines waiting for manual renewal'),
    Endpoint('claims_list', 'GET', LIBRARIAN + '/claims', 'librarian',
             summary='The claims task list (Claim page): the lines in claim, each with its claims'),
    Endpoint('renew_po_line', 'POST', LIBRARIAN + '/po-lines/{po_line_id}/renew', 'librarian', write=True,
             summary='Renew a continuous line by hand: body {"renewal_date"} or none (one renewal cycle on)',
             errors=('401876', '401871', '401872'),
             decisions={'401876': 'a line not waiting for renewal cannot be renewed [decision].',
                        '401871': 'an unknown PO line.',
                        '401872': 'a renewal date that is not a date, or not after the current one [decision].'}),
    Endpoint('activate_portfolio', 'POST', LIBRARIAN + '/portfolios/{portfolio_id}/activate', 'librarian', write=True,
             summary='Activate portfolio'),
    Endpoint('librarian_portfolio', 'GET', LIBRARIAN + '/portfolios/{portfolio_id}', 'librarian',
             summary='Librarian portfolio'),
    Endpoint('activate_collection', 'POST', LIBRARIAN + '/collections/{collection_id}/activate', 'librarian',
             write=True, summary="Activate an electronic collection (the Activation Wizard finished): the activation "
                                 "task of each line ordering it is Done",
             errors=('60121',), decisions={'60121': 'an unknown collection, as the electronic API answers.'}),
    Endpoint('configure_profile', 'PUT', LIBRARIAN + '/integration-profiles/{code}', 'librarian', write=True,
             summary="Create or replace a New Order API profile; the body holds NewOrderProfile's fields by name."),
    Endpoint('remove_profile', 'DELETE', LIBRARIAN + '/integration-profiles/{code}', 'librarian', write=True,
             summary='Remove profile'),
    Endpoint('configure_api_restrictions', 'PUT', LIBRARIAN + '/api-restrictions/{code}', 'librarian', write=True,
             summary='Create or replace an API Restrictions profile (vendor, fund_view FULL or LIMITED) a key can name.'),
    Endpoint('configure_review_rules', 'PUT', LIBRARIAN + '/purchasing-review-rules', 'librarian', write=True,
             summary='Replace the purchasing review rules and the PO line price threshold.'),
    Endpoint('configure_fund', 'PATCH', LIBRARIAN + '/funds/{fund_code}', 'librarian', write=True,
             summary='Change a fund for a scenario: allocated, expended, active, libraries, over-encumbrance.'),
    Endpoint('librarian_bib', 'GET', LIBRARIAN + '/bibs/{mms_id}', 'librarian',
             summary="The record as a librarian sees it: Alma's bib object and what only the simulator knows (its zone,"),
    # invoices, fund transactions, scan-in (ORDERING-RULES §7) and the receiving desk's librarian actions
    Endpoint('create_invoice', 'POST', ALMA + '/acq/invoices', 'acq', write=True,
             summary='Create invoice',
             errors=('402119', '401676', '60233', '60288', '60234', '60235', '60236', '60237', '60238', '60242', '60246', '4028805'),
             decisions={'401676': _BODY}),
    Endpoint('list_invoices', 'GET', ALMA + '/acq/invoices', 'acq',
             summary='List invoices',
             query=(Q('q'), Q('limit'), Q('offset'), Q('base_status'), Q('invoice_workflow_status'), Q('owner'), Q('creation_form')),
             errors=('402119',)),
    Endpoint('get_invoice', 'GET', ALMA + '/acq/invoices/{invoice_id}', 'acq',
             summary='Get invoice',
             errors=('412400',)),
    Endpoint('update_invoice', 'PUT', ALMA + '/acq/invoices/{invoice_id}', 'acq', write=True,
             summary='Update invoice',
             errors=('402119', '401676', '412400', '60291', '60233', '60288', '60234', '60235', '60236', '60237', '60238', '60242', '60246', '4028805'),
             decisions={'401676': _BODY,
                        '412400': "an unknown invoice id is refused with 412400 'Invoice not found', as on GET /acq/invoices/{id}."}),
    Endpoint('invoice_operation', 'POST', ALMA + '/acq/invoices/{invoice_id}', 'acq', write=True,
             summary="op=process_invoice|mark_in_erp|paid|rejected; a rejection's note is the body's `note` (or the first of",
             query=(Q('op'),),
             errors=('40166410', '412400', '60260', '60267', '60268')),
    Endpoint('invoice_lines', 'GET', ALMA + '/acq/invoices/{invoice_id}/lines', 'acq',
             summary='Invoice lines',
             query=(Q('q'), Q('limit'), Q('offset')),
             errors=('412400', '402119')),
    Endpoint('add_invoice_line', 'POST', ALMA + '/acq/invoices/{invoice_id}/lines', 'acq', write=True,
             summary='Add invoice line',
             errors=('402119', '401676', '412400', '60285', '60247', '60248', '60249', '60254', '60255', '60257'),
             decisions={'401676': _BODY}),
    Endpoint('get_invoice_line', 'GET', ALMA + '/acq/invoices/{invoice_id}/lines/{invoice_line_id}', 'acq',
             summary='Get invoice line',
             errors=('412400', '60284'),
             decisions={'412400': "an unknown invoice id is refused with 412400 'Invoice not found', as on GET /acq/invoices/{id}.",
                        '60284': "an invoice line the invoice does not have is refused with 60284 'Invoice line not valid', as on PUT."}),
    Endpoint('update_invoice_line', 'PUT', ALMA + '/acq/invoices/{invoice_id}/lines/{invoice_line_id}', 'acq', write=True,
             summary='Update invoice line',
             errors=('402119', '401676', '412400', '60284', '60286', '60247', '60248', '60249', '60254', '60255', '60257'),
             decisions={'401676': _BODY}),
    Endpoint('vendor_invoices', 'GET', ALMA + '/acq/vendors/{vendor_code}/invoices', 'acq',
             summary='Vendor invoices',
             query=(Q('limit'), Q('offset')),
             errors=('401871', '402119')),
    Endpoint('fund_transactions', 'GET', ALMA + '/acq/funds/{fund_id}/transactions', 'acq',
             summary='filter=ALLOCATION|ENCUMBRANCE|DISENCUMBRANCE|EXPENDITURE|TRANSFER; q=amount~25, po_line~POL-1,',
             query=(Q('q'), Q('filter'), Q('limit'), Q('offset')),
             errors=('401873', '40166404', '60106', '402119', 'UNAUTHORIZED'),
             decisions={'UNAUTHORIZED': "a vendor's key whose API Restrictions profile has the Limited fund view reads "
                                        "no transactions (401)."}),
    Endpoint('add_fund_transaction', 'POST', ALMA + '/acq/funds/{fund_id}/transactions', 'acq', write=True,
             summary='An ALLOCATION (negative takes allocation back) or a TRANSFER to `related_fund`.',
             errors=('4018841', '4018842', '4018843', '4018845', '4018846', '4018847', '4018848', '4018851', '401873', '402119', '401676',
                     'UNAUTHORIZED'),
             decisions={'401676': _BODY,
                        '401873': 'an unknown fund is refused as on GET …/transactions.',
                        'UNAUTHORIZED': "a vendor's key (any API Restrictions profile) posts no fund transactions (401).",
                        '402119': "a transfer larger than the fund's available balance, or an allocation below zero, is refused with Alma's general error."}),
    Endpoint('scan_in_item', 'POST', ALMA + '/bibs/{mms_id}/holdings/{holding_id}/items/{item_pid}', 'bibs', write=True,
             summary="Alma's scan-in (op=scan): for an item still in acquisition, scanning it in receives it, as the receiving",
             query=(Q('op'),),
             errors=('40166410', '402204', '402203', '402208', '401689', '401877'),
             decisions={'40166410': "an op other than scan is refused with the general 'parameter not valid' code.",
                        '402204': _NOT_NUMERIC,
                        '402203': _NO_BIB,
                        '402208': _NO_HOLDING,
                        '401689': 'an item PID the holding does not have is refused as on GET …/items/{item_pid}.',
                        '401877': "scanning in an item still in acquisition receives it; a receipt Alma refuses keeps POST /acq/po-lines/{id}/items/{item_id}'s code."}),
    Endpoint('scan_barcode', 'POST', LIBRARIAN + '/receiving/scan', 'librarian', write=True,
             summary='The receiving desk scans a barcode (`?barcode=`): the ordered item carrying it is received — a shelf-ready',
             query=(Q('barcode'), Q('receive_date'))),
    Endpoint('librarian_purchase_order', 'GET', LIBRARIAN + '/purchase-orders/{po_number}', 'librarian',
             summary="A PO as the librarian's PO screen shows it: its status (SENT, CLOSED once every line is closed or"),
    Endpoint('item_requests', 'GET', ALMA + '/bibs/{mms_id}/holdings/{holding_id}/items/{item_pid}/requests', 'bibs',
             summary='Retrieve User Requests per Item: the hold requests on an item (an interested user\'s "hold item")',
             query=(Q('request_type', default='all_types'), Q('status', default='active', allowed=('active', 'history'))),
             errors=('402204', '402203', '402208', '401689', '40166410'),
             decisions={'402208': _NO_HOLDING,
                        '401689': 'an item PID the holding does not have is refused as on GET …/items/{item_pid}.',
                        '40166410': "a status other than active or history is refused with the general 'parameter "
                                    "not valid' code."}),
    Endpoint('librarian_letters', 'GET', LIBRARIAN + '/letters', 'librarian',
             summary="The letters Alma sent (Interested In Letter, PO Line Cancellation Letter), oldest first; `user=` "
                     "a primary ID, `po_line=` a PO line number",
             query=(Q('user'), Q('po_line'))),
)

#: The simulator's own admin API (not Alma), in the same form; its handlers live in simulator.admin.api.
ADMIN_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint('reset', 'POST', ADMIN + '/reset', 'admin', write=True, summary='Reset',
             handler_module='simulator.admin.api'),
    Endpoint('world', 'GET', ADMIN + '/world', 'admin', summary='World',
             handler_module='simulator.admin.api'),
    Endpoint('load_world', 'POST', ADMIN + '/world', 'admin', write=True, summary='Load world',
             handler_module='simulator.admin.api'),
    Endpoint('institutions', 'GET', ADMIN + '/institutions', 'admin', summary='Institutions',
             handler_module='simulator.admin.api'),
    Endpoint('add_tenant', 'POST', ADMIN + '/tenants', 'admin', write=True, summary='Add tenant',
             handler_module='simulator.admin.api'),
    Endpoint('remove_tenant', 'DELETE', ADMIN + '/tenants/{code}', 'admin', write=True, summary='Remove tenant',
             handler_module='simulator.admin.api'),
    Endpoint('journal', 'GET', ADMIN + '/journal', 'admin', summary='Journal',
             handler_module='simulator.admin.api'),
    Endpoint('clear_journal', 'DELETE', ADMIN + '/journal', 'admin', write=True, summary='Clear journal',
             handler_module='simulator.admin.api'),
    Endpoint('faults', 'GET', ADMIN + '/faults', 'admin', summary='Faults',
             handler_module='simulator.admin.api'),
    Endpoint('add_fault', 'POST', ADMIN + '/faults', 'admin', write=True, summary='Add fault',
             handler_module='simulator.admin.api'),
    Endpoint('clear_faults', 'DELETE', ADMIN + '/faults', 'admin', write=True, summary='Clear faults',
             handler_module='simulator.admin.api'),
    Endpoint('remove_fault', 'DELETE', ADMIN + '/faults/{id}', 'admin', write=True, summary='Remove fault',
             handler_module='simulator.admin.api'),
    Endpoint('stubs', 'GET', ADMIN + '/stubs', 'admin', summary='Stubs',
             handler_module='simulator.admin.api'),
    Endpoint('add_stub', 'POST', ADMIN + '/stubs', 'admin', write=True, summary='Add stub',
             handler_module='simulator.admin.api'),
    Endpoint('clear_stubs', 'DELETE', ADMIN + '/stubs', 'admin', write=True, summary='Clear stubs',
             handler_module='simulator.admin.api'),
    Endpoint('remove_stub', 'DELETE', ADMIN + '/stubs/{id}', 'admin', write=True, summary='Remove stub',
             handler_module='simulator.admin.api'),
    Endpoint('count_journal', 'GET', ADMIN + '/journal/count', 'admin', summary='Count journal',
             handler_module='simulator.admin.api'),
    Endpoint('verify_journal', 'POST', ADMIN + '/journal/verify', 'admin', summary='Verify journal',
             handler_module='simulator.admin.api'),
    Endpoint('settings', 'GET', ADMIN + '/settings', 'admin', summary='Settings',
             handler_module='simulator.admin.api'),
    Endpoint('change_settings', 'PUT', ADMIN + '/settings', 'admin', write=True, summary='Change settings',
             handler_module='simulator.admin.api'),
    Endpoint('unmatched', 'GET', ADMIN + '/unmatched', 'admin', summary='Unmatched',
             handler_module='simulator.admin.api'),
    Endpoint('forget_unmatched', 'DELETE', ADMIN + '/unmatched', 'admin', write=True, summary='Forget unmatched',
             handler_module='simulator.admin.api'),
    Endpoint('processing', 'GET', ADMIN + '/processing', 'admin', summary='Processing',
             handler_module='simulator.admin.api'),
    Endpoint('change_processing', 'PUT', ADMIN + '/processing', 'admin', write=True, summary='Change processing',
             handler_module='simulator.admin.api'),
    Endpoint('clock', 'GET', ADMIN + '/clock', 'admin', summary='Clock',
             handler_module='simulator.admin.api'),
    Endpoint('advance_clock', 'POST', ADMIN + '/clock', 'admin', write=True, summary='Advance clock',
             handler_module='simulator.admin.api'),
    Endpoint('jobs', 'GET', ADMIN + '/jobs', 'admin',
             summary="The daily jobs (renewal, claiming): their daily time, last run, next run, and the clock's now",
             handler_module='simulator.admin.api'),
    Endpoint('run_job', 'POST', ADMIN + '/jobs/{job}', 'admin', write=True,
             summary='Run a daily job (renewal | claiming) now, for every institution or `?institution=`',
             query=(Q('institution'),), handler_module='simulator.admin.api'),
    Endpoint('export_state', 'GET', ADMIN + '/state', 'admin', summary='Export state',
             handler_module='simulator.admin.api'),
    Endpoint('import_state', 'PUT', ADMIN + '/state', 'admin', write=True, summary='Import state',
             handler_module='simulator.admin.api'),
    Endpoint('openapi', 'GET', ADMIN + '/openapi.json', 'admin', summary='Openapi',
             handler_module='simulator.admin.api'),
    Endpoint('coverage_page', 'GET', ADMIN + '/coverage', 'admin', summary='Coverage page',
             handler_module='simulator.admin.api'),
    Endpoint('load_edi_invoices', 'POST', ADMIN + '/edi/{institution}/invoices', 'admin', write=True, summary='Load edi invoices',
             handler_module='simulator.admin.api'),
    Endpoint('edi_outbox', 'GET', ADMIN + '/edi/{institution}/outbox/{vendor}', 'admin', summary='Edi outbox',
             handler_module='simulator.admin.api'),
)

_NAMED: dict[str, Endpoint] = {e.name: e for e in ENDPOINTS + ADMIN_ENDPOINTS}
_KEYED: Mapping[tuple[str, str], Endpoint] = MappingProxyType({e.key: e for e in ENDPOINTS})
assert len(_NAMED) == len(ENDPOINTS) + len(ADMIN_ENDPOINTS), "two endpoints share a name"
assert len(_KEYED) == len(ENDPOINTS), "two endpoints share a method and path"


def endpoint(name: str) -> Endpoint:
    """The endpoint of that name (KeyError naming it when there is none)."""
    try:
        return _NAMED[name]
    except KeyError:
        raise KeyError(f"no endpoint named {name!r} in simulator.api.routes") from None


def by_key(method: str, template: str) -> Endpoint | None:
    """Alma's or the librarian's endpoint for (method, template), if declared."""
    return _KEYED.get((method, template))


def path(name: str, **params: object) -> str:
    """The concrete path of the named endpoint: path("get_po_line", po_line_id="POL-1") ->
    "/almaws/v1/acq/po-lines/POL-1". The client writes no path literal of its own."""
    return endpoint(name).path(**params)
