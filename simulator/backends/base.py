"""The one client every vendor cart, step and user test talks to Alma through, whatever the backend.

`AlmaClient` speaks Alma's API in Alma's own JSON (the objects a real vendor sends and reads). It is
written once, over a `Backend` whose only job is to deliver a request and return the answer's body — or
raise the `AlmaError` Alma answered with. Three backends implement it: in-process (the handlers called
directly), mocked (respx intercepting Alma's hostnames, no sockets) and HTTP (any base URL: `almasim serve`
or a real Alma). The librarian's actions that have no Alma REST endpoint go to the simulator's own
/almasim/v1/librarian paths; against a real Alma the HTTP backend raises HarnessError for them.

The simulator's own controls — fault rules, thresholds and the other settings, the request journal — are
client methods too (`add_fault`, `change_settings`, `journal` …). They go to the admin API on every backend:
over HTTP (server and mocked) to /almasim/v1/admin on the same host, in-process to the same admin API of
the backend's own service, so a step that makes Alma busy or slow reads alike on every backend.
Imports only the standard library and simulator.errors (ALMA and LIBRARIAN repeat handlers' prefixes, so vendors never load the domain).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from simulator.errors import HarnessError

ALMA = "/almaws/v1"
LIBRARIAN = "/almasim/v1/librarian"
ADMIN = "/almasim/v1/admin"


class Backend(Protocol):
    kind: str

    def send(self, method: str, path: str, query: dict[str, Any] | None = None,
             body: dict | None = None) -> Any:
        """Deliver one request; return the answer's body (dict, text or None). Refusals raise AlmaError;
        an answer that never arrives raises NoAnswer (TimedOut, ConnectionLost)."""

    def admin(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Any:
        """Call the simulator's own admin API (/almasim/v1/admin + path); its refusals raise HarnessError."""

    def set_timeout(self, seconds: float) -> None:
        """Wait at most this long for each answer from now on."""


def _clean(query: dict[str, Any]) -> dict[str, str]:
    out = {}
    for key, value in query.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


@dataclass
class AlmaClient:
    """Alma's acquisitions API as a vendor (and, for scenarios, a librarian) uses it."""

    backend: Backend

    @property
    def kind(self) -> str:
        return self.backend.kind

    def _call(self, method: str, path: str, body: dict | None = None, **query: Any) -> Any:
        return self.backend.send(method, path, _clean(query), body)

    # -- what a vendor uses (Alma's REST API) ---------------------------------------------------------------------
    def test(self, area: str = "acq", write: bool = False) -> str:
        return self._call("POST" if write else "GET", f"{ALMA}/{area}/test")

    def create_po_line(self, po_line: dict, *, profile_code: str | None = None,
                       requires_manual_review: bool | None = None) -> dict:
        return self._call("POST", f"{ALMA}/acq/po-lines", po_line, profile_code=profile_code,
                          requires_manual_review=requires_manual_review)

    def get_po_line(self, number: str) -> dict:
        return self._call("GET", f"{ALMA}/acq/po-lines/{number}")

    def list_po_lines(self, **query: Any) -> dict:
        return self._call("GET", f"{ALMA}/acq/po-lines", **query)

    def update_po_line(self, number: str, po_line: dict, *, update_inventory: bool | None = None,
                       redistribute_funds: bool | None = None) -> dict:
        return self._call("PUT", f"{ALMA}/acq/po-lines/{number}", po_line, update_inventory=update_inventory,
                          redistribute_funds=redistribute_funds)

    def cancel_po_line(self, number: str, reason: str | None, *, comment: str | None = None,
                       bib: str | None = None, override: bool | None = None, inform_vendor: bool | None = None) -> None:
        self._call("DELETE", f"{ALMA}/acq/po-lines/{number}", reason=reason, comment=comment, bib=bib,
                   override=override, inform_vendor=inform_vendor)

    def po_line_items(self, number: str) -> dict:
        return self._call("GET", f"{ALMA}/acq/po-lines/{number}/items")

    def receive_item(self, number: str, item_id: str | None = None, *, receive_date: str | None = None) -> dict:
        if item_id:
            return self._call("POST", f"{ALMA}/acq/po-lines/{number}/items/{item_id}", {}, op="receive",
                              receive_date=receive_date)
        return self._call("POST", f"{ALMA}/acq/po-lines/{number}/items", {}, receive_date=receive_date)

    def funds(self, *, mode: str | None = "POL", library: str | None = None, q: str | None = None,
              limit: int | None = 100, **query: Any) -> dict:
        return self._call("GET", f"{ALMA}/acq/funds", mode=mode, library=library, q=q, limit=limit, **query)

    def fund(self, fund_id: str) -> dict:
        return self._call("GET", f"{ALMA}/acq/funds/{fund_id}")

    def vendors(self, **query: Any) -> dict:
        return self._call("GET", f"{ALMA}/acq/vendors", **query)

    def vendor(self, code: str) -> dict:
        return self._call("GET", f"{ALMA}/acq/vendors/{code}")

    def libraries(self) -> dict:
        return self._call("GET", f"{ALMA}/conf/libraries")

    def locations(self, library: str) -> dict:
        return self._call("GET", f"{ALMA}/conf/libraries/{library}/locations")

    def code_table(self, name: str) -> dict:
        return self._call("GET", f"{ALMA}/conf/code-tables/{name}")

    def integration_profiles(self, **query: Any) -> dict:
        return self._call("GET", f"{ALMA}/conf/integration-profiles", **{"limit": 100, **query})

    def integration_profile(self, code: str) -> dict:
        return self._call("GET", f"{ALMA}/conf/integration-profiles/{code}")

    def get_bib(self, mms_id: str) -> dict:
        """Alma's bib object, its MARC record in `anies`."""
        return self._call("GET", f"{ALMA}/bibs/{mms_id}")

    def update_bib(self, mms_id: str, marcxml: str) -> dict:
        """Overlay the record with a full MARC record (the MARCXML `<record>`)."""
        return self._call("PUT", f"{ALMA}/bibs/{mms_id}", {"anies": [marcxml]})

    def create_bib(self, marcxml: str) -> dict:
        return self._call("POST", f"{ALMA}/bibs", {"anies": [marcxml]})

    def holdings(self, mms_id: str) -> dict:
        return self._call("GET", f"{ALMA}/bibs/{mms_id}/holdings")

    def holding(self, mms_id: str, holding_id: str) -> dict:
        return self._call("GET", f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}")

    def holding_items(self, mms_id: str, holding_id: str) -> dict:
        return self._call("GET", f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}/items", limit=100)

    def item(self, mms_id: str, holding_id: str, item_pid: str) -> dict:
        return self._call("GET", f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}/items/{item_pid}")

    def bib_portfolios(self, mms_id: str) -> dict:
        return self._call("GET", f"{ALMA}/bibs/{mms_id}/portfolios", limit=100)

    def update_portfolio(self, mms_id: str, portfolio_id: str, portfolio: dict) -> dict:
        return self._call("PUT", f"{ALMA}/bibs/{mms_id}/portfolios/{portfolio_id}", portfolio)

    # -- what a librarian does in Alma's UI (the simulator's own paths) -------------------------------------------
    def bib(self, mms_id: str) -> dict:
        """The record as a librarian sees it: Alma's bib object plus its zone, management tag, local notes,
        the order that made it and the validation problems it raised."""
        return self._call("GET", f"{LIBRARIAN}/bibs/{mms_id}")

    def order_from_bib(self, mms_id: str, po_line: dict, *, assign_inventory_manually: bool = False) -> dict:
        return self._call("POST", f"{LIBRARIAN}/bibs/{mms_id}/order", po_line,
                          assign_inventory_manually=assign_inventory_manually)

    def community_zone_portfolios(self, q: str) -> dict:
        return self._call("GET", f"{LIBRARIAN}/community-zone/portfolios", q=q)

    def order_from_community_portfolio(self, portfolio_id: str, po_line: dict) -> dict:
        return self._call("POST", f"{LIBRARIAN}/community-zone/portfolios/{portfolio_id}/order", po_line)

    def in_review(self) -> dict:
        return self._call("GET", f"{LIBRARIAN}/in-review")

    def approve_po_line(self, number: str) -> dict:
        return self._call("POST", f"{LIBRARIAN}/po-lines/{number}/approve", {})

    def portfolio(self, portfolio_id: str) -> dict:
        return self._call("GET", f"{LIBRARIAN}/portfolios/{portfolio_id}")

    def activate_portfolio(self, portfolio_id: str) -> dict:
        return self._call("POST", f"{LIBRARIAN}/portfolios/{portfolio_id}/activate", {})

    def configure_profile(self, code: str, profile: dict) -> dict:
        return self._call("PUT", f"{LIBRARIAN}/integration-profiles/{code}", profile)

    def remove_profile(self, code: str) -> None:
        self._call("DELETE", f"{LIBRARIAN}/integration-profiles/{code}")

    def configure_fund(self, code: str, **changes: Any) -> dict:
        return self._call("PATCH", f"{LIBRARIAN}/funds/{code}", changes)

    # -- the simulator's own controls (its admin API; not Alma) -----------------------------------------------------
    def institution(self) -> str:
        """The institution this client's API key belongs to."""
        return str(self.backend.institution)  # type: ignore[attr-defined]

    def add_fault(self, **rule: Any) -> dict:
        """Make chosen calls fail or slow down (fields of simulator.admin.faults.Fault: method, path, code,
        status, drop, after, delay, times, probability, seed). Only this client's institution is hit."""
        rule.setdefault("institution", self.institution())
        return self.backend.admin("POST", "/faults", rule)

    def clear_faults(self) -> None:
        self.backend.admin("DELETE", "/faults")

    def settings(self) -> dict:
        return self.backend.admin("GET", "/settings")

    def change_settings(self, **changes: Any) -> dict:
        """Thresholds (per_second_threshold, daily_threshold), journal caps, strict mode; the new settings."""
        return self.backend.admin("PUT", "/settings", changes)

    @property
    def journal(self) -> JournalView:
        """The calls this client's institution made: `alma.journal(method=, path=, status=, limit=)` lists them,
        oldest first; `alma.journal.count(...)`, `.assert_called(...)` verify them (see JournalView)."""
        return JournalView(self)

    def time_out_after(self, seconds: float) -> None:
        """Wait at most `seconds` for each answer from now on; a later answer raises TimedOut."""
        self.backend.set_timeout(seconds)

    def institution_state(self) -> dict:
        """This client's institution exactly as the simulator exports it (GET /almasim/v1/admin/state): records,
        holdings, items, portfolios, PO lines and POs, the number sequences, funds and whatever else the
        institution holds, plus its Network Zone's state when it belongs to one — what "nothing changes in Alma"
        compares. Whatever the export holds is compared, so fund transactions count once the state holds them.
        A real Alma has no such call. The institution is the one this client's API key belongs to."""
        state = self.backend.admin("GET", "/state")
        institution = state["institutions"][self.institution()]
        network = state.get("networks", {}).get(institution.get("network") or "")
        return {"institution": institution, "network_zone": network}

    # -- invoices, fund transactions, EDI and scan-in (ORDERING-RULES §7) -------------------------------------------
    def create_invoice(self, invoice: dict) -> dict:
        return self._call("POST", f"{ALMA}/acq/invoices", invoice)

    def invoices(self, **query: Any) -> dict:
        return self._call("GET", f"{ALMA}/acq/invoices", **query)

    def invoice(self, invoice_id: str) -> dict:
        return self._call("GET", f"{ALMA}/acq/invoices/{invoice_id}")

    def update_invoice(self, invoice_id: str, invoice: dict) -> dict:
        return self._call("PUT", f"{ALMA}/acq/invoices/{invoice_id}", invoice)

    def invoice_operation(self, invoice_id: str, op: str, *, note: str | None = None) -> dict:
        """op = process_invoice | mark_in_erp | paid | rejected (a rejection needs its note)."""
        return self._call("POST", f"{ALMA}/acq/invoices/{invoice_id}", {"note": note} if note else {}, op=op)

    def invoice_lines(self, invoice_id: str, **query: Any) -> dict:
        return self._call("GET", f"{ALMA}/acq/invoices/{invoice_id}/lines", **query)

    def add_invoice_line(self, invoice_id: str, line: dict) -> dict:
        return self._call("POST", f"{ALMA}/acq/invoices/{invoice_id}/lines", line)

    def invoice_line(self, invoice_id: str, line_id: str) -> dict:
        return self._call("GET", f"{ALMA}/acq/invoices/{invoice_id}/lines/{line_id}")

    def update_invoice_line(self, invoice_id: str, line_id: str, line: dict) -> dict:
        return self._call("PUT", f"{ALMA}/acq/invoices/{invoice_id}/lines/{line_id}", line)

    def vendor_invoices(self, code: str, **query: Any) -> dict:
        return self._call("GET", f"{ALMA}/acq/vendors/{code}/invoices", **query)

    def fund_transactions(self, fund_id: str, *, filter: str | None = None, q: str | None = None,
                          limit: int | None = 100, offset: int | None = None) -> dict:
        return self._call("GET", f"{ALMA}/acq/funds/{fund_id}/transactions", filter=filter, q=q, limit=limit,
                          offset=offset)

    def add_fund_transaction(self, fund_id: str, kind: str, amount: float | str, *,
                             related_fund: str | None = None, note: str | None = None) -> dict:
        """POST /acq/funds/{fund_id}/transactions: ALLOCATION, or TRANSFER to `related_fund`."""
        body: dict[str, Any] = {"type": {"value": kind}, "amount": {"sum": str(amount)}}
        if related_fund:
            body["related_fund"] = {"value": related_fund}
        if note:
            body["note"] = note
        return self._call("POST", f"{ALMA}/acq/funds/{fund_id}/transactions", body)

    def scan_in_item(self, mms_id: str, holding_id: str, item_pid: str) -> dict:
        """Alma's scan-in (op=scan); an item still in acquisition is received by it."""
        return self._call("POST", f"{ALMA}/bibs/{mms_id}/holdings/{holding_id}/items/{item_pid}", {}, op="scan")

    def receive_by_barcode(self, barcode: str, *, receive_date: str | None = None) -> dict:
        """The librarian scans an arrived item's barcode at the receiving desk (a shelf-ready item); the item."""
        return self._call("POST", f"{LIBRARIAN}/receiving/scan", {}, barcode=barcode, receive_date=receive_date)

    def purchase_order(self, po_number: str) -> dict:
        """The PO a PO line is on, as the librarian's PO screen shows it (status, lines); Alma has no REST call."""
        return self._call("GET", f"{LIBRARIAN}/purchase-orders/{po_number}")

    def send_edi_file(self, text: str, *, vendor: str | None = None, name: str | None = None) -> dict:
        """Drop an EDIFACT file on the institution's EDI account (the simulator's admin API; Alma's FTP pick-up
        has no REST call). The invoices it loaded; a refused file raises HarnessError and loads nothing."""
        body = {"file": text, **({"vendor": vendor} if vendor else {}), **({"name": name} if name else {})}
        return self.backend.admin("POST", f"/edi/{self.institution()}/invoices", body)

    def edi_outbox(self, vendor: str) -> list[str]:
        """Every EDI interchange Alma has sent `vendor` (ORDCHG cancellations), oldest first."""
        return self.backend.admin("GET", f"/edi/{self.institution()}/outbox/{vendor}")["messages"]

    # -- stubs: pinned answers (simulator.admin.stubs; the admin API's /stubs) -------------------------------------
    def stub(self, **spec: Any) -> dict:
        """Pin the answer for matching calls (fields of simulator.admin.stubs.Stub: method, path, query,
        body_fields, body_contains, times, and one answer inline — code/message/status, status/body/content_type/
        headers, delay, passthrough — or `answers=[…]` for a sequence). Only this client's institution is hit."""
        spec.setdefault("institution", self.institution())
        return self.backend.admin("POST", "/stubs", spec)

    def stubs(self) -> list[dict]:
        return self.backend.admin("GET", "/stubs")

    def remove_stub(self, stub_id: int) -> None:
        self.backend.admin("DELETE", f"/stubs/{stub_id}")

    def clear_stubs(self) -> None:
        self.backend.admin("DELETE", "/stubs")


class JournalView:
    """The journal as a client sees it, limited to the client's institution, on every backend (the admin API).

    Callable as before (`alma.journal(method="POST")` lists the entries); `count(**criteria)` and
    `assert_called(times=None, at_least=, at_most=, **criteria)` verify, with criteria method, path (a template,
    a concrete path or a glob), query (a dict; "*" for present), vendor, po_line, status, error_code and
    outcome (answered, refused, dropped, stubbed). A failed assertion names the nearest calls and what differs."""

    def __init__(self, client: AlmaClient) -> None:
        self.client = client

    def __call__(self, **query: Any) -> list[dict]:
        query.setdefault("institution", self.client.institution())
        return self.client.backend.admin("GET", "/journal", query=_clean({**query, "raw": False}))["entries"]

    def _criteria(self, criteria: dict[str, Any]) -> dict[str, str]:
        criteria.setdefault("institution", self.client.institution())
        flat = {k: v for k, v in criteria.items() if k != "query"}
        flat.update({f"query.{k}": v for k, v in (criteria.get("query") or {}).items()})
        return _clean(flat)

    def count(self, **criteria: Any) -> int:
        return int(self.client.backend.admin("GET", "/journal/count", query=self._criteria(criteria))["count"])

    def near_misses(self, **criteria: Any) -> list[dict]:
        return self.client.backend.admin("GET", "/journal/count", query=self._criteria(criteria))["near_misses"]

    def assert_called(self, times: int | None = None, *, at_least: int | None = None, at_most: int | None = None,
                      **criteria: Any) -> None:
        criteria.setdefault("institution", self.client.institution())
        spec = {**criteria, "times": times, "at_least": at_least, "at_most": at_most}
        try:
            self.client.backend.admin("POST", "/journal/verify", {k: v for k, v in spec.items() if v is not None})
        except HarnessError as exc:  # the admin API's 417 (a failed verification) or a misuse (400)
            if not str(exc).startswith("SIMULATOR: expected "):
                raise
            raise AssertionError(str(exc).removeprefix("SIMULATOR: ")) from None

    def assert_not_called(self, **criteria: Any) -> None:
        self.assert_called(0, **criteria)
