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
Its paths come from the route spec (simulator.api.routes, standard library only): no path is written here, and
importing the client loads nothing of the simulated Alma.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from simulator.api.routes import ADMIN, ALMA, LIBRARIAN, endpoint
from simulator.errors import HarnessError

__all__ = ["ADMIN", "ALMA", "LIBRARIAN", "AlmaClient", "Backend", "JournalView", "item_link_ids"]


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


def item_link_ids(link: str) -> tuple[str, str, str]:
    """The MMS ID, holding ID and item PID an item's link names (`.../bibs/{mms_id}/holdings/{holding_id}/items/
    {item_pid}`): how a client reads the PO line's item list, which gives only barcodes and links."""
    parts = link.rstrip("/").split("/")
    return parts[-5], parts[-3], parts[-1]


@dataclass
class AlmaClient:
    """Alma's acquisitions API as a vendor (and, for scenarios, a librarian) uses it."""

    backend: Backend

    @property
    def kind(self) -> str:
        return self.backend.kind

    def _call(self, name: str, body: dict | None = None, *, at: dict[str, str] | None = None, **query: Any) -> Any:
        """Send to the endpoint of that name in the route spec, its path filled in `at` (path parameters)."""
        spec = endpoint(name)
        return self.backend.send(spec.method, spec.path(**(at or {})), _clean(query), body)

    def _admin(self, name: str, body: Any = None, *, at: dict[str, Any] | None = None,
               query: dict[str, Any] | None = None) -> Any:
        """Call the admin API's endpoint of that name (routes.ADMIN_ENDPOINTS), its path filled in `at`; the
        backend adds the prefix."""
        spec = endpoint(name)
        return self.backend.admin(spec.method, spec.path(**(at or {})).removeprefix(ADMIN), body, query=query)

    # -- what a vendor uses (Alma's REST API) ---------------------------------------------------------------------
    def test(self, area: str = "acq", write: bool = False) -> str:
        return self._call(f"{area}_test_{'post' if write else 'get'}")

    def create_po_line(self, po_line: dict, *, profile_code: str | None = None,
                       requires_manual_review: bool | None = None) -> dict:
        return self._call("create_po_line", po_line, profile_code=profile_code,
                          requires_manual_review=requires_manual_review)

    def get_po_line(self, number: str) -> dict:
        return self._call("get_po_line", at={"po_line_id": number})

    def list_po_lines(self, **query: Any) -> dict:
        return self._call("list_po_lines", **query)

    def update_po_line(self, number: str, po_line: dict, *, update_inventory: bool | None = None,
                       redistribute_funds: bool | None = None) -> dict:
        return self._call("update_po_line", po_line, at={"po_line_id": number}, update_inventory=update_inventory,
                          redistribute_funds=redistribute_funds)

    def cancel_po_line(self, number: str, reason: str | None, *, comment: str | None = None,
                       bib: str | None = None, override: bool | None = None, inform_vendor: bool | None = None) -> None:
        self._call("cancel_po_line", at={"po_line_id": number}, reason=reason, comment=comment, bib=bib,
                   override=override, inform_vendor=inform_vendor)

    def po_line_items(self, number: str, *, limit: int | None = None, offset: int | None = None) -> dict:
        """Alma's list of the line's items: each only `item_data.barcode` and a `link` to the item (every item
        unless `limit` asks for fewer)."""
        return self._call("po_line_items", at={"po_line_id": number}, limit=limit, offset=offset)

    def po_line_item_pids(self, number: str) -> list[str]:
        """The PIDs of the line's items: Alma lists each item by barcode and link only; the link names the PID."""
        return [item_link_ids(item["link"])[2] for item in self.po_line_items(number).get("item") or ()]

    def receive_item(self, number: str, item_id: str | None = None, *, receive_date: str | None = None) -> dict:
        if item_id:
            return self._call("receive_item", {}, at={"po_line_id": number, "item_id": item_id}, op="receive",
                              receive_date=receive_date)
        return self._call("receive_new_item", {}, at={"po_line_id": number}, receive_date=receive_date)

    def funds(self, *, mode: str | None = "POL", library: str | None = None, q: str | None = None,
              limit: int | None = 100, **query: Any) -> dict:
        return self._call("list_funds", mode=mode, library=library, q=q, limit=limit, **query)

    def fund(self, fund_id: str) -> dict:
        return self._call("get_fund", at={"fund_id": fund_id})

    def vendors(self, **query: Any) -> dict:
        return self._call("list_vendors", **query)

    def vendor(self, code: str) -> dict:
        return self._call("get_vendor", at={"vendor_code": code})

    def libraries(self) -> dict:
        return self._call("list_libraries")

    def locations(self, library: str) -> dict:
        return self._call("list_locations", at={"library_code": library})

    def code_table(self, name: str) -> dict:
        return self._call("get_code_table", at={"code_table": name})

    def integration_profiles(self, **query: Any) -> dict:
        return self._call("list_profiles", **{"limit": 100, **query})

    def integration_profile(self, code: str) -> dict:
        return self._call("get_profile", at={"id": code})

    def get_bib(self, mms_id: str) -> dict:
        """Alma's bib object, its MARC record in `anies`."""
        return self._call("get_bib", at={"mms_id": mms_id})

    def update_bib(self, mms_id: str, marcxml: str) -> dict:
        """Overlay the record with a full MARC record (the MARCXML `<record>`)."""
        return self._call("overlay_bib", {"anies": [marcxml]}, at={"mms_id": mms_id})

    def create_bib(self, marcxml: str) -> dict:
        return self._call("create_bib", {"anies": [marcxml]})

    def holdings(self, mms_id: str) -> dict:
        return self._call("bib_holdings", at={"mms_id": mms_id})

    def holding(self, mms_id: str, holding_id: str) -> dict:
        return self._call("get_holding", at={"mms_id": mms_id, "holding_id": holding_id})

    def holding_items(self, mms_id: str, holding_id: str) -> dict:
        return self._call("holding_items", at={"mms_id": mms_id, "holding_id": holding_id}, limit=100)

    def item(self, mms_id: str, holding_id: str, item_pid: str) -> dict:
        return self._call("get_item", at={"mms_id": mms_id, "holding_id": holding_id, "item_pid": item_pid})

    def bib_portfolios(self, mms_id: str) -> dict:
        return self._call("bib_portfolios", at={"mms_id": mms_id}, limit=100)

    def update_portfolio(self, mms_id: str, portfolio_id: str, portfolio: dict) -> dict:
        return self._call("update_portfolio", portfolio, at={"mms_id": mms_id, "portfolio_id": portfolio_id})

    # -- what a librarian does in Alma's UI (the simulator's own paths) -------------------------------------------
    def bib(self, mms_id: str) -> dict:
        """The record as a librarian sees it: Alma's bib object plus its zone, management tag, local notes,
        the order that made it and the validation problems it raised."""
        return self._call("librarian_bib", at={"mms_id": mms_id})

    def order_from_bib(self, mms_id: str, po_line: dict, *, assign_inventory_manually: bool = False) -> dict:
        return self._call("order_from_bib", po_line, at={"mms_id": mms_id},
                          assign_inventory_manually=assign_inventory_manually)

    def community_zone_portfolios(self, q: str) -> dict:
        return self._call("community_portfolio_list", q=q)

    def order_from_community_portfolio(self, portfolio_id: str, po_line: dict) -> dict:
        return self._call("order_from_community_portfolio", po_line, at={"portfolio_id": portfolio_id})

    def in_review(self) -> dict:
        return self._call("in_review_list")

    def approve_po_line(self, number: str) -> dict:
        return self._call("approve_po_line", {}, at={"po_line_id": number})

    def portfolio(self, portfolio_id: str) -> dict:
        return self._call("librarian_portfolio", at={"portfolio_id": portfolio_id})

    def activate_portfolio(self, portfolio_id: str) -> dict:
        return self._call("activate_portfolio", {}, at={"portfolio_id": portfolio_id})

    def activate_collection(self, collection_id: str) -> dict:
        """The librarian finishes the electronic collection's Activation Wizard (simulator's librarian API)."""
        return self._call("activate_collection", {}, at={"collection_id": collection_id})

    def configure_profile(self, code: str, profile: dict) -> dict:
        return self._call("configure_profile", profile, at={"code": code})

    def remove_profile(self, code: str) -> None:
        self._call("remove_profile", at={"code": code})

    def configure_fund(self, code: str, **changes: Any) -> dict:
        return self._call("configure_fund", changes, at={"fund_code": code})

    def configure_api_restrictions(self, code: str, **profile: Any) -> dict:
        """Create or replace an API Restrictions profile (name, description, vendor, fund_view FULL or LIMITED)."""
        return self._call("configure_api_restrictions", profile, at={"code": code})

    def configure_review_rules(self, *, default: bool = False, rules: list[dict] | None = None,
                               price_limit: Any = None, library_price_limits: dict | None = None) -> dict:
        """Replace the purchasing review rules (in order) and the PO line price threshold (simulator.alma.review_rules)."""
        return self._call("configure_review_rules", {"default": default, "rules": rules or [],
                                                     "price_limit": price_limit,
                                                     "library_price_limits": library_price_limits or {}})

    def with_api_key(self, api_key: str) -> AlmaClient:
        """The same Alma reached with another of its API keys (e.g. the key an institution gave a vendor)."""
        return AlmaClient(self.backend.with_api_key(api_key))  # type: ignore[attr-defined]

    def restricted_api_keys(self) -> dict[str, str]:
        """The simulator's API keys of this client's institution that name an API Restrictions profile: profile
        code → key (read from the admin API's world listing)."""
        institution = self.institution()
        for inst in self._admin("world")["institutions"]:
            if inst["code"] == institution:
                return {k["restriction_profile"]: k["key"] for k in inst["api_keys"] if k.get("restriction_profile")}
        return {}

    # -- the simulator's own controls (its admin API; not Alma) -----------------------------------------------------
    def institution(self) -> str:
        """The institution this client's API key belongs to."""
        return str(self.backend.institution)  # type: ignore[attr-defined]

    def add_fault(self, **rule: Any) -> dict:
        """Make chosen calls fail or slow down (fields of simulator.admin.faults.Fault: method, path, code,
        status, drop, after, delay, times, probability, seed). Only this client's institution is hit."""
        rule.setdefault("institution", self.institution())
        return self._admin("add_fault", rule)

    def clear_faults(self) -> None:
        self._admin("clear_faults")

    def settings(self) -> dict:
        return self._admin("settings")

    def change_settings(self, **changes: Any) -> dict:
        """Thresholds (per_second_threshold, daily_threshold), journal caps, strict mode; the new settings."""
        return self._admin("change_settings", changes)

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
        state = self._admin("export_state")
        institution = state["institutions"][self.institution()]
        network = state.get("networks", {}).get(institution.get("network") or "")
        return {"institution": institution, "network_zone": network}

    # -- invoices, fund transactions, EDI and scan-in (ORDERING-RULES §7) -------------------------------------------
    def create_invoice(self, invoice: dict) -> dict:
        return self._call("create_invoice", invoice)

    def invoices(self, **query: Any) -> dict:
        return self._call("list_invoices", **query)

    def invoice(self, invoice_id: str) -> dict:
        return self._call("get_invoice", at={"invoice_id": invoice_id})

    def update_invoice(self, invoice_id: str, invoice: dict) -> dict:
        return self._call("update_invoice", invoice, at={"invoice_id": invoice_id})

    def invoice_operation(self, invoice_id: str, op: str, *, note: str | None = None) -> dict:
        """op = process_invoice | mark_in_erp | paid | rejected (a rejection needs its note)."""
        return self._call("invoice_operation", {"note": note} if note else {}, at={"invoice_id": invoice_id},
                          op=op)

    def invoice_lines(self, invoice_id: str, **query: Any) -> dict:
        return self._call("invoice_lines", at={"invoice_id": invoice_id}, **query)

    def add_invoice_line(self, invoice_id: str, line: dict) -> dict:
        return self._call("add_invoice_line", line, at={"invoice_id": invoice_id})

    def invoice_line(self, invoice_id: str, line_id: str) -> dict:
        return self._call("get_invoice_line", at={"invoice_id": invoice_id, "invoice_line_id": line_id})

    def update_invoice_line(self, invoice_id: str, line_id: str, line: dict) -> dict:
        return self._call("update_invoice_line", line,
                          at={"invoice_id": invoice_id, "invoice_line_id": line_id})

    def vendor_invoices(self, code: str, **query: Any) -> dict:
        return self._call("vendor_invoices", at={"vendor_code": code}, **query)

    def fund_transactions(self, fund_id: str, *, filter: str | None = None, q: str | None = None,
                          limit: int | None = 100, offset: int | None = None) -> dict:
        return self._call("fund_transactions", at={"fund_id": fund_id}, filter=filter, q=q, limit=limit,
                          offset=offset)

    def add_fund_transaction(self, fund_id: str, kind: str, amount: float | str, *,
                             related_fund: str | None = None, note: str | None = None) -> dict:
        """POST /acq/funds/{fund_id}/transactions: ALLOCATION, or TRANSFER to `related_fund`."""
        body: dict[str, Any] = {"type": {"value": kind}, "amount": {"sum": str(amount)}}
        if related_fund:
            body["related_fund"] = {"value": related_fund}
        if note:
            body["note"] = note
        return self._call("add_fund_transaction", body, at={"fund_id": fund_id})

    def scan_in_item(self, mms_id: str, holding_id: str, item_pid: str) -> dict:
        """Alma's scan-in (op=scan); an item still in acquisition is received by it."""
        return self._call("scan_in_item", {}, at={"mms_id": mms_id, "holding_id": holding_id, "item_pid": item_pid},
                          op="scan")

    def receive_by_barcode(self, barcode: str, *, receive_date: str | None = None) -> dict:
        """The librarian scans an arrived item's barcode at the receiving desk (a shelf-ready item); the item."""
        return self._call("scan_barcode", {}, barcode=barcode, receive_date=receive_date)

    def purchase_order(self, po_number: str) -> dict:
        """The PO a PO line is on, as the librarian's PO screen shows it (status, lines); Alma has no REST call."""
        return self._call("librarian_purchase_order", at={"po_number": po_number})

    def item_requests(self, mms_id: str, holding_id: str, item_pid: str, **query: Any) -> dict:
        """Retrieve User Requests per Item: the hold requests on an item (`status=history` for finished ones)."""
        return self._call("item_requests", at={"mms_id": mms_id, "holding_id": holding_id, "item_pid": item_pid},
                          **query)

    def letters(self, **query: Any) -> dict:
        """The letters Alma sent about orders, oldest first (`user=` a primary ID, `po_line=` a PO line number);
        the librarian's view of Alma's letter log, which has no REST call."""
        return self._call("librarian_letters", **query)

    def send_edi_file(self, text: str, *, vendor: str | None = None, name: str | None = None) -> dict:
        """Drop an EDIFACT file on the institution's EDI account (the simulator's admin API; Alma's FTP pick-up
        has no REST call). The invoices it loaded; a refused file raises HarnessError and loads nothing."""
        body = {"file": text, **({"vendor": vendor} if vendor else {}), **({"name": name} if name else {})}
        return self._admin("load_edi_invoices", body, at={"institution": self.institution()})

    def edi_outbox(self, vendor: str) -> list[str]:
        """Every EDI interchange Alma has sent `vendor` (ORDCHG cancellations), oldest first."""
        return self._admin("edi_outbox", at={"institution": self.institution(), "vendor": vendor})["messages"]

    # -- renewals, claims and the daily jobs on the simulated clock (ORDERING-RULES §7) ----------------------------
    def advance_clock(self, *, days: float = 0, seconds: float = 0) -> str:
        """Move the simulated clock on (the simulator's admin API); the daily jobs it passes run, each on its day.
        The new now, ISO."""
        return str(self._admin("advance_clock", {"advance_seconds": days * 86400 + seconds})["now"])

    def run_job(self, job: str) -> dict:
        """Run a daily job (renewal | claiming) now for this client's institution; what it did: renewal answers
        renewed, waiting_for_manual_renewal, closed; claiming answers claimed, sent_to_vendor (PO line numbers)."""
        return self._admin("run_job", at={"job": job}, query={"institution": self.institution()})

    def jobs(self) -> dict:
        """The daily jobs, their daily time, last and next run, and the clock's now."""
        return self._admin("jobs")

    def renewals(self) -> dict:
        """The renewals task list of this client's institution: the lines waiting for manual renewal."""
        return self._call("renewals_list")

    def claims(self) -> dict:
        """The claims task list of this client's institution: the lines in claim, each with its claims."""
        return self._call("claims_list")

    def renew_po_line(self, number: str, *, renewal_date: str | None = None) -> dict:
        """Renew a continuous line by hand: to `renewal_date`, or one renewal cycle on."""
        return self._call("renew_po_line", {"renewal_date": renewal_date} if renewal_date else {},
                          at={"po_line_id": number})

    # -- stubs: pinned answers (simulator.admin.stubs; the admin API's /stubs) -------------------------------------
    def stub(self, **spec: Any) -> dict:
        """Pin the answer for matching calls (fields of simulator.admin.stubs.Stub: method, path, query,
        body_fields, body_contains, times, and one answer inline — code/message/status, status/body/content_type/
        headers, delay, passthrough — or `answers=[…]` for a sequence). Only this client's institution is hit."""
        spec.setdefault("institution", self.institution())
        return self._admin("add_stub", spec)

    def stubs(self) -> list[dict]:
        return self._admin("stubs")

    def remove_stub(self, stub_id: int) -> None:
        self._admin("remove_stub", at={"id": stub_id})

    def clear_stubs(self) -> None:
        self._admin("clear_stubs")


class JournalView:
    """The journal as a client sees it, limited to the client's institution, on every backend (the admin API).

    Callable as before (`alma.journal(method="POST")` lists the entries); `count(**criteria)` and
    `assert_called(times=None, at_least=, at_most=, **criteria)` verify, with criteria method, path (a template,
    a concrete path or a glob), query (a dict; "*" for present), vendor, po_line, status, error_code,
    outcome (answered, refused, dropped, stubbed), caller (a restriction profile, "librarian" or a key label) and
    kind ("job" counts the daily jobs' entries instead of calls). A failed assertion names the nearest calls and what differs."""

    def __init__(self, client: AlmaClient) -> None:
        self.client = client

    def __call__(self, **query: Any) -> list[dict]:
        query.setdefault("institution", self.client.institution())
        return self.client._admin("journal", query=_clean({**query, "raw": False}))["entries"]

    def _criteria(self, criteria: dict[str, Any]) -> dict[str, str]:
        criteria.setdefault("institution", self.client.institution())
        flat = {k: v for k, v in criteria.items() if k != "query"}
        flat.update({f"query.{k}": v for k, v in (criteria.get("query") or {}).items()})
        return _clean(flat)

    def count(self, **criteria: Any) -> int:
        return int(self.client._admin("count_journal", query=self._criteria(criteria))["count"])

    def near_misses(self, **criteria: Any) -> list[dict]:
        return self.client._admin("count_journal", query=self._criteria(criteria))["near_misses"]

    def assert_called(self, times: int | None = None, *, at_least: int | None = None, at_most: int | None = None,
                      **criteria: Any) -> None:
        criteria.setdefault("institution", self.client.institution())
        spec = {**criteria, "times": times, "at_least": at_least, "at_most": at_most}
        try:
            self.client._admin("verify_journal", {k: v for k, v in spec.items() if v is not None})
        except HarnessError as exc:  # the admin API's 417 (a failed verification) or a misuse (400)
            if not str(exc).startswith("SIMULATOR: expected "):
                raise
            raise AssertionError(str(exc).removeprefix("SIMULATOR: ")) from None

    def assert_not_called(self, **criteria: Any) -> None:
        self.assert_called(0, **criteria)
