"""Cloning an institution's acquisitions set-up from any Alma into a world file (`almasim clone`).

Owns three things: `AlmaReader`, which can only GET (paged by Alma's limit of 100, paced under the per-second
threshold, patient on 429); `clone`, which turns the configuration reads into a world-file table — libraries
and locations, fiscal periods, ledgers and funds, vendors and accounts, the ordering code tables, New Order
API integration profiles — saying what it could not read (`Clone.defaulted`) and what messy data it kept or
left out (`Clone.reported`), one line each; and `world_text`, the table as TOML (tomli-w) that `load_world`
reads back. Nothing here writes to the source, and no key of the source reaches the file.
Imports httpx, tomli_w, simulator.errors and, for Alma's defaults and the values profiles may take,
simulator.alma (seed, configuration).
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import httpx
import tomli_w

from simulator.alma import configuration
from simulator.alma.model import API_RESTRICTIONS, FUND_VIEWS, ExternalCatalogSync, InventoryOperations, NoMatchAction
from simulator.alma.seed import FIXTURES, load_world, read_toml
from simulator.alma_json import code_of
from simulator.api.routes import ALMA
from simulator.errors import HarnessError

PAGE = 100  # Alma's largest limit
DEFAULT_PER_SECOND = 10  # [decision] well under Alma's 25 calls per second per institution
RETRIES = 6  # answers of 429 (per-second threshold) waited out before giving up

Progress = Callable[[str, int, int], None]  # (what is being read, reads done, reads known so far)


class Unreadable(Exception):
    """This read is not open to the key (or not served by this Alma); the part is defaulted."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"HTTP {status}")
        self.status, self.text = status, text


# ---------------------------------------------------------------- reading ---------------------------------------


class AlmaReader:
    """GET requests to one Alma with one key, and nothing else: there is no way to send another verb."""

    def __init__(self, base_url: str, api_key: str, *, per_second: float = DEFAULT_PER_SECOND,
                 client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        base = base_url.rstrip("/")
        self.origin = base.removesuffix(ALMA)
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.client = client or httpx.Client(timeout=60)
        self._headers = {"Authorization": f"apikey {api_key}", "Accept": "application/json"}
        self._sleep = sleep
        self._last = 0.0
        self.reads = 0
        self.waits = 0  # answers of 429 waited out

    def close(self) -> None:
        self.client.close()

    def get(self, path: str, **query: Any) -> Any:
        """One read (JSON, or the text of a non-JSON answer). 4xx other than 429 raises Unreadable."""
        for attempt in range(RETRIES + 1):
            self._pace()
            try:
                answer = self.client.get(self.origin + ALMA + path, params=query or None, headers=self._headers)
            except httpx.HTTPError as exc:
                raise HarnessError(f"cannot reach Alma at {self.origin}: {exc or type(exc).__name__}") from None
            self.reads += 1
            if answer.status_code == 429:
                if "DAILY_THRESHOLD" in answer.text or attempt == RETRIES:
                    raise HarnessError(f"Alma keeps answering 429 (threshold) to GET {path}; try again later "
                                       "or lower --per-second")
                self.waits += 1
                self._sleep(_retry_after(answer, attempt))
                continue
            if answer.status_code >= 500:
                raise HarnessError(f"Alma answered HTTP {answer.status_code} to GET {path}")
            if answer.status_code >= 400:
                raise Unreadable(answer.status_code, answer.text)
            if "json" in answer.headers.get("content-type", ""):
                return answer.json()
            return answer.text
        raise AssertionError("unreachable")  # pragma: no cover

    def pages(self, path: str, plural: str, on_page: Callable[[], None] = lambda: None, **query: Any) -> list[dict]:
        """Every record of a paged list, 100 at a time, until total_record_count is reached."""
        records: list[dict] = []
        offset = 0
        while True:
            answer = self.get(path, **query, limit=PAGE, offset=offset)
            batch = _list(answer, plural)
            records += batch
            on_page()
            total = _int(answer.get("total_record_count") if isinstance(answer, dict) else None, len(records))
            offset += PAGE
            if not batch or offset >= total:
                return records

    def _pace(self) -> None:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last = time.monotonic()


def _retry_after(answer: httpx.Response, attempt: int) -> float:
    """Retry-After when Alma gives it, else 1, 2, 4 … seconds (capped at 30)."""
    try:
        return min(30.0, max(0.0, float(answer.headers.get("retry-after", ""))))
    except ValueError:
        return min(30.0, 2.0 ** attempt)


# ---------------------------------------------------------------- the clone -------------------------------------


@dataclass
class Clone:
    """What a clone read: the world file as a table, and the lines that go with it."""

    spec: dict
    institution: str
    defaulted: list[str] = field(default_factory=list)  # parts the API (or the key) did not show
    reported: list[str] = field(default_factory=list)  # messy data kept as is, adjusted, or left out
    reads: int = 0
    waits: int = 0


def clone(reader: AlmaReader, *, source: str, progress: Progress = lambda *_: None) -> Clone:
    """Read the key's institution's set-up from Alma (GET only) and build its world-file table."""
    return _Cloner(reader, source, progress).run()


class _Cloner:
    def __init__(self, reader: AlmaReader, source: str, progress: Progress) -> None:
        self.reader, self.source, self.progress = reader, source, progress
        self.defaulted: list[str] = []
        self.reported: list[str] = []
        self.done = 0
        self.known = 10  # test, libraries, fiscal periods, funds, vendors, currencies, 3 code tables, profiles
        self.alma_defaults = read_toml(FIXTURES / "alma-defaults.toml")

    # -- plumbing ---------------------------------------------------------------------------------------------------
    def step(self, what: str) -> None:
        self.done += 1
        self.known = max(self.known, self.done)
        self.progress(what, self.done, self.known)

    def read(self, what: str, path: str, plural: str = "", *, paged: bool = False, **query: Any) -> list[dict] | None:
        """A list read, or None (and one 'defaulted' line) when the key may not see it."""
        try:
            if paged:
                return self.reader.pages(path, plural, on_page=lambda: None, **query)
            return _list(self.reader.get(path, **query), plural)
        except Unreadable as exc:
            self.defaulted.append(f"{what}: not readable with this key ({_why(exc)})")
            return None
        finally:
            self.step(what)

    # -- the reads --------------------------------------------------------------------------------------------------
    def run(self) -> Clone:
        code = self.institution_code()
        libraries = self.libraries()
        periods = self.fiscal_periods()
        ledgers_and_funds = self.read("ledgers and funds", "/acq/funds", "fund", paged=True, mode="ALL")
        vendors = self.read("vendors", "/acq/vendors", "vendor", paged=True)
        currencies = self.read("currencies", "/acq/currencies", "currency")
        tables = {name: self.code_table(name) for name in ("PurchaseType", "AccessModel", "POLineCancellationReasons")}
        profiles = self.read("integration profiles", "/conf/integration-profiles", "integration_profile", paged=True)

        inst: dict[str, Any] = {"code": code, "name": self.institution_name(code, ledgers_and_funds, libraries)}
        for library in libraries:
            library.pop("_campus", None)
        inst["mms_suffix"] = self.mms_suffix(code, ledgers_and_funds or [])
        currency, rates = self.currencies(currencies, ledgers_and_funds or [])
        inst["currency"] = currency
        if rates:
            inst["exchange_rates"] = rates
        slug = re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-") or "cloned"
        inst["api_keys"] = [{"key": f"l8xx-{slug}-clone-read-write", "write": True},
                            {"key": f"l8xx-{slug}-clone-read-only", "write": False}]
        inst.update(self.ordering_tables(tables))
        inst["libraries"] = libraries
        inst["fiscal_periods"] = periods
        ledgers, funds = self.ledgers_and_funds(ledgers_and_funds, inst)
        inst["ledgers"], inst["funds"] = ledgers, funds
        inst["vendors"] = self.vendors(vendors)
        network, inst["profiles"] = self.profiles(profiles, inst)
        self.defaulted.append("bibliographic records, holdings and portfolios: not cloned (the world starts with "
                              "an empty catalogue)")
        self.defaulted.append("Community Zone: not readable through the API (the world has none)")
        spec: dict[str, Any] = {"name": f"{inst['name']} (cloned)"}
        if network:
            inst["network"] = network["code"]
            spec["networks"] = [network]
        spec["institutions"] = [inst]
        spec["clone"] = {"source": self.source, "institution": code, "cloned_on": date.today().isoformat(),
                         "defaulted": self.defaulted, "reported": self.reported}
        return Clone(spec=spec, institution=code, defaulted=self.defaulted, reported=self.reported,
                     reads=self.reader.reads, waits=self.reader.waits)

    def institution_code(self) -> str:
        """The institution the key belongs to, from Alma's test answer ("GET - OK - institutionCode: X")."""
        texts, refusals = [], []
        for area in ("acq", "conf"):
            try:
                texts.append(str(self.reader.get(f"/{area}/test")))
                break
            except Unreadable as exc:
                refusals.append(exc.status)
        self.step("institution")
        if not texts and all(status in (401, 403) for status in refusals):
            raise HarnessError(f"{self.source} rejected the API key (GET /acq/test and /conf/test both refused)")
        if not texts:
            raise HarnessError(f"{self.source} does not answer GET /acq/test (HTTP {refusals[0]}); is it an Alma "
                               "API base URL (…/almaws/v1)?")
        found = re.search(r"institutionCode:\s*([A-Za-z0-9_.-]+)", texts[0])
        if not found:
            self.defaulted.append("institution code: not in Alma's test answer (CLONED used)")
            return "CLONED"
        return found.group(1)

    def institution_name(self, code: str, funds: list[dict] | None, libraries: list[dict]) -> str:
        """[decision] The name Alma shows as the owner of the institution's own funds (else as campus)."""
        for record in funds or []:
            owner = record.get("owner") or {}
            if isinstance(owner, dict) and owner.get("value") == code and owner.get("desc"):
                return str(owner["desc"])
        for library in libraries:
            campus = library.get("_campus") or {}
            if campus.get("value") == code and campus.get("desc"):
                return str(campus["desc"])
        self.defaulted.append(f"institution name: not shown by the API (the code {code} used)")
        return code

    def mms_suffix(self, code: str, records: list[dict]) -> str:
        """[decision] The last four digits Alma puts on every id it hands out (taken from ledger and fund ids)."""
        endings = {str(r.get("id", ""))[-4:] for r in records if str(r.get("id", "")).isdigit()}
        endings.discard("")
        if len(endings) == 1:
            return endings.pop()
        self.defaulted.append("institution's id suffix: not seen on fund ids (0000 used)")
        return "0000"

    def libraries(self) -> list[dict]:
        rows = self.read("libraries and locations", "/conf/libraries", "library")
        if rows is None:
            return []
        self.known += len(rows)
        out: list[dict] = []
        seen: set[str] = set()
        for row in rows:
            code = _text(row.get("code"))
            if not code or code in seen:
                self.reported.append(f"library {code or '(no code)'}: {'no code' if not code else 'listed twice'}, "
                                     "left out")
                self.step("locations")
                continue
            seen.add(code)
            name = _text(row.get("name"))
            if not name:
                self.reported.append(f"library {code}: empty name, kept")
            library: dict[str, Any] = {"code": code, "name": name}
            campus = row.get("campus")
            if isinstance(campus, dict):
                library["_campus"] = campus
            locations = self.read(f"locations of {code}", f"/conf/libraries/{code}/locations", "location")
            library["locations"] = self.locations(code, locations or [])
            if not library["locations"]:
                self.reported.append(f"library {code}: no locations, kept")
            out.append(library)
        return out

    def locations(self, library: str, rows: list[dict]) -> list[dict]:
        out, seen = [], set()
        for row in rows:
            code, name = _text(row.get("code")), _text(row.get("name") or row.get("external_name"))
            if not code or code in seen:
                self.reported.append(f"location {library}/{code or '(no code)'}: "
                                     f"{'no code' if not code else 'listed twice'}, left out")
                continue
            seen.add(code)
            if not name:
                self.reported.append(f"location {library}/{code}: empty name, kept")
            out.append({"code": code, "name": name})
        return out

    def fiscal_periods(self) -> list[dict]:
        rows = self.read("fiscal periods", "/acq/fiscal-periods", "fiscal_period")
        out, seen = [], set()
        for row in rows or []:
            fp_id = _text(row.get("id") or row.get("code"))
            if not fp_id or fp_id in seen:
                self.reported.append(f"fiscal period {fp_id or '(no id)'}: left out (no id, or listed twice)")
                continue
            seen.add(fp_id)
            current = _code(row.get("status")).upper() == "CURRENT"
            out.append({"id": fp_id, "name": _text(row.get("name")) or fp_id, "start": _day(row.get("start_date")),
                        "end": _day(row.get("end_date")), "current": current})
        currents = [p for p in out if p["current"]]
        for extra in currents[1:]:
            extra["current"] = False
            self.reported.append(f"fiscal period {extra['id']}: a second current period, kept as not current")
        if out and not currents:
            self.reported.append("fiscal periods: none is current")
        return out

    def ledgers_and_funds(self, rows: list[dict] | None, inst: dict) -> tuple[list[dict], list[dict]]:
        if rows is None:
            return [], []
        periods = {p["id"]: p for p in inst["fiscal_periods"]}
        current = next((p["id"] for p in inst["fiscal_periods"] if p["current"]), "")
        libraries = {lib["code"] for lib in inst["libraries"]}
        known_currencies = {inst["currency"], *inst.get("exchange_rates", {})}

        def period_of(row: dict, what: str) -> str:
            fp = _code(row.get("fiscal_period"))
            if fp and fp not in periods:  # a period the list did not show: kept, its dates defaulted
                coded = row.get("fiscal_period")
                desc = _text(coded.get("desc")) if isinstance(coded, dict) else ""
                year = date.today().year
                periods[fp] = {"id": fp, "name": desc or fp, "start": f"{year}-01-01", "end": f"{year}-12-31",
                               "current": False}
                inst["fiscal_periods"].append(periods[fp])
                self.defaulted.append(f"fiscal period {fp}: named by {what} but not listed; its dates defaulted")
            if not fp:
                if not current:
                    return ""
                self.reported.append(f"{what}: no fiscal period, given the current one ({current})")
                return current
            return fp

        ledgers: list[dict] = []
        ledger_ids: dict[str, str] = {}
        for row in rows:
            if _code(row.get("entity_type")).upper() != "LEDGER":
                continue
            code = _text(row.get("code"))
            if not code or code in ledger_ids.values():
                self.reported.append(f"ledger {code or '(no code)'}: left out (no code, or listed twice)")
                continue
            fp = period_of(row, f"ledger {code}")
            if not fp:
                self.reported.append(f"ledger {code}: no fiscal period and none is current, left out")
                continue
            ledger = {"code": code, "name": _text(row.get("name")), "fiscal_period": fp}
            if row.get("id"):
                ledger["id"] = str(row["id"])
                ledger_ids[str(row["id"])] = code
            ledger_ids.setdefault(code, code)
            ledgers.append(ledger)
        above = {str(r.get(k)): r for r in rows for k in ("id", "code") if r.get(k)}

        def ledger_of(parent: str) -> str:
            """The ledger above a fund, through summary funds if need be."""
            for _ in range(10):
                if parent in ledger_ids or parent not in above:
                    return ledger_ids.get(parent, "")
                parent = _code(above[parent].get("parent"))
            return ""

        funds: list[dict] = []
        seen: set[str] = set()
        missing_balances = 0
        for row in rows:
            if _code(row.get("entity_type")).upper() == "LEDGER":
                continue
            code = _text(row.get("code"))
            if not code or code in seen:
                self.reported.append(f"fund {code or '(no code)'}: left out (no code, or listed twice)")
                continue
            fp = period_of(row, f"fund {code}")
            if not fp:
                self.reported.append(f"fund {code}: no fiscal period and none is current, left out")
                continue
            seen.add(code)
            parent = _code(row.get("parent"))
            ledger_code = ledger_of(parent)
            if ledger_code and parent not in ledger_ids:
                self.reported.append(f"fund {code}: under the summary fund {parent}, placed directly in its ledger "
                                     f"{ledger_code}")
            if not ledger_code:
                self.reported.append(f"fund {code}: no ledger Alma showed ({parent or 'no parent'}), kept without one")
            fund: dict[str, Any] = {"code": code, "name": _text(row.get("name")), "ledger": ledger_code,
                                    "fiscal_period": fp}
            if not fund["name"]:
                self.reported.append(f"fund {code}: empty name, kept")
            if row.get("id"):
                fund["id"] = str(row["id"])
            currency = _code(row.get("currency")) or inst["currency"]
            if currency not in known_currencies:
                self.reported.append(f"fund {code}: currency {currency} is not among the institution's "
                                     f"currencies, kept in {inst['currency']}")
                currency = inst["currency"]
            fund["currency"] = currency
            balances = {name: _money(row.get(f"{name}_balance")) for name in ("allocated", "encumbered", "expended")}
            if balances["allocated"] is None:
                missing_balances += 1
            for name, value in balances.items():
                fund[name] = value if value is not None else "0.00"
            fund["active"] = _code(row.get("status"), "ACTIVE").upper() == "ACTIVE"
            fund["entity_type"] = _code(row.get("entity_type"), "ALLOCATED").upper() or "ALLOCATED"
            usable = [_code(x) for x in _as_list(row.get("available_for_library"))]
            unknown = [x for x in usable if x not in libraries]
            if unknown:
                self.reported.append(f"fund {code}: available for libraries the clone does not have "
                                     f"({', '.join(unknown)}), left out of its list")
            if usable:
                fund["libraries"] = [x for x in usable if x in libraries]
            if _code(row.get("overencumbrance_allowed")).upper() == "YES":
                fund["overencumbrance_allowed"] = True
            limit = _money(row.get("overencumbrance_limit_percent"))
            if limit is not None and Decimal(limit):
                fund["overencumbrance_limit_percent"] = limit
            funds.append(fund)
        if missing_balances:
            self.defaulted.append(f"fund balances: not shown for {missing_balances} fund(s) (0.00 used)")
        return ledgers, funds

    def currencies(self, rows: list[dict] | None, funds: list[dict]) -> tuple[str, dict[str, str]]:
        parsed: list[tuple[str, str]] = []
        for row in rows or []:
            code, ratio = _text(row.get("code")).upper(), _decimal_text(row.get("ratio"))
            if not code or ratio is None or Decimal(ratio) <= 0:
                self.reported.append(f"currency {code or '(no code)'}: no usable ratio ({row.get('ratio')!r}), "
                                     "left out")
                continue
            parsed.append((code, ratio))
        base = next((c for c, r in parsed if Decimal(r) == 1), "")
        if not base:
            fund_currencies = [_code(f.get("currency")) for f in funds if _code(f.get("currency"))]
            base = max(set(fund_currencies), key=fund_currencies.count) if fund_currencies else "USD"
            self.defaulted.append(f"institution currency: not shown as a ratio of 1 ({base} used)")
        return base, {c: r for c, r in parsed if c != base}

    def code_table(self, name: str) -> dict[str, str] | None:
        try:
            answer = self.reader.get(f"/conf/code-tables/{name}")
        except Unreadable as exc:
            self.defaulted.append(f"code table {name}: not readable ({_why(exc)}); Alma's defaults used")
            return None
        finally:
            self.step(f"code table {name}")
        rows: dict[str, str] = {}
        for row in _as_list(answer.get("row") if isinstance(answer, dict) else None):
            code = _text(row.get("code"))
            if not code:
                self.reported.append(f"code table {name}: a row without a code, left out")
                continue
            if row.get("enabled") in (False, "false"):
                continue
            rows[code] = _text(row.get("description")) or code
        return rows

    def ordering_tables(self, tables: dict[str, dict[str, str] | None]) -> dict[str, Any]:
        defaults = self.alma_defaults
        by_code = {t["code"]: t for t in defaults["po_line_types"]}
        out: dict[str, Any] = {}
        types = tables["PurchaseType"]
        if types is None:
            out["po_line_types"] = [dict(t) for t in defaults["po_line_types"]]
        else:
            out["po_line_types"] = []
            for code, label in types.items():
                known = by_code.get(code)
                if known is None:
                    guess = _inventory_guess(code)
                    self.reported.append(f"PO line type {code}: unknown to the simulator, kept as {guess} inventory")
                    out["po_line_types"].append({"code": code, "label": label, "inventory": guess,
                                                 "serial": bool(re.search(r"JOURNAL|_CO$|SUBSCRIPTION", code))})
                else:
                    out["po_line_types"].append({**known, "label": label, "enabled": True})
        out["access_models"] = tables["AccessModel"] if tables["AccessModel"] is not None else defaults["access_models"]
        reasons = tables["POLineCancellationReasons"]
        out["cancellation_reasons"] = reasons if reasons is not None else defaults["cancellation_reasons"]
        upgrades = [m for m in defaults["upgrade_access_models"] if m in out["access_models"]]
        out["upgrade_access_models"] = upgrades
        self.defaulted.append("access models a License Upgrade may take: not in the API (Alma's default "
                              f"{', '.join(upgrades) or 'none'})")
        out["metadata_template"] = dict(defaults["metadata_template"])
        self.defaulted.append("default metadata template of brief records: not in the API (Alma's default)")
        return out

    def vendors(self, rows: list[dict] | None) -> list[dict]:
        out, seen = [], set()
        for row in self.full_records(rows, "account", "vendor", "/acq/vendors/{}", "code"):
            code = _text(row.get("code"))
            if not code or code in seen:
                self.reported.append(f"vendor {code or '(no code)'}: left out (no code, or listed twice)")
                continue
            seen.add(code)
            name = _text(row.get("name"))
            if not name:
                self.reported.append(f"vendor {code}: empty name, kept with its code as name")
            vendor: dict[str, Any] = {"code": code, "name": name or code,
                                      "system": _code(row.get("integration_system")) or "OTHER",
                                      "active": _code(row.get("status"), "ACTIVE").upper() == "ACTIVE"}
            currencies = [_code(c) for c in _as_list(row.get("currency")) if _code(c)]
            if currencies:
                vendor["currency"] = currencies[0]
            interfaces = [_text(i.get("name")) for i in _as_list(row.get("interface")) if isinstance(i, dict)]
            if interfaces and interfaces[0]:
                vendor["default_platform"] = interfaces[0]
            accounts, codes = [], set()
            for account in _as_list(row.get("account")):
                a_code = _text(account.get("code")) if isinstance(account, dict) else ""
                if not a_code or a_code in codes:
                    self.reported.append(f"vendor {code}: an account {a_code or '(no code)'} left out "
                                         "(no code, or listed twice)")
                    continue
                codes.add(a_code)
                entry: dict[str, Any] = {"code": a_code}
                if _text(account.get("description")):
                    entry["description"] = _text(account["description"])
                # Alma's account answers `discount_percent` (older answers `discount`)
                discount = _decimal_text(account.get("discount_percent", account.get("discount")))
                entry["discount"] = discount if discount is not None else "0"
                if _code(account.get("status"), "ACTIVE").upper() != "ACTIVE":
                    entry["active"] = False
                methods = [_code(m) for m in _as_list(account.get("payment_method")) if _code(m)]
                if methods:  # Alma answers a list; the simulator's account keeps one
                    entry["payment_method"] = methods[0]
                accounts.append(entry)
            vendor["accounts"] = accounts
            out.append(vendor)
        return out

    def full_records(self, rows: list[dict] | None, detail: str, what: str, path: str, key: str,
                     only: Callable[[dict], bool] = lambda _: True) -> list[dict]:
        """The list's records, each read on its own when the list gave a brief one (without `detail`)."""
        out = []
        for row in rows or []:
            if detail not in row and only(row) and _text(row.get(key)):
                self.known += 1
                try:
                    answer = self.reader.get(path.format(_text(row.get(key))))
                    row = answer if isinstance(answer, dict) else row
                except Unreadable as exc:
                    self.reported.append(f"{what} {_text(row.get(key))}: only its brief record readable ({_why(exc)})")
                finally:
                    self.step(f"{what} {_text(row.get(key))}")
            out.append(row)
        return out

    def restriction_profile(self, row: dict, inst: dict) -> bool:
        """An API Restrictions profile (issue 13: a vendor's key) is cloned when its vendor was; the keys that name
        it are not (a clone has its own keys)."""
        code, vendor = _text(row.get("code") or row.get("id")), _code(row.get("vendor"))
        view = _code(row.get("fund_view")).upper() or "FULL"
        if not code or view not in FUND_VIEWS or (vendor and vendor not in {v["code"] for v in inst["vendors"]}):
            return False
        profile = {"code": code, "name": _text(row.get("name")) or code, "vendor": vendor, "fund_view": view}
        if _text(row.get("description")):
            profile["description"] = _text(row["description"])
        inst.setdefault("api_restriction_profiles", []).append(profile)
        return True

    def profiles(self, rows: list[dict] | None, inst: dict) -> tuple[dict | None, list[dict]]:
        out: list[dict] = []
        other_types = 0
        default_taken = False
        for row in self.full_records(rows, "upon_no_match", "integration profile", "/conf/integration-profiles/{}",
                                     "id", only=lambda r: _code(r.get("type")) in ("", configuration.INTEGRATION_TYPE)):
            kind = _code(row.get("type"))
            if kind == API_RESTRICTIONS and self.restriction_profile(row, inst):
                continue
            if kind and kind != configuration.INTEGRATION_TYPE:
                other_types += 1
                continue
            code = _text(row.get("code") or row.get("id"))
            if not code or code in {p["code"] for p in out}:
                self.reported.append(f"integration profile {code or '(no code)'}: left out (no code, or listed twice)")
                continue
            profile: dict[str, Any] = {"code": code, "name": _text(row.get("name")) or code,
                                       "system": _code(row.get("system")) or "OTHER"}
            if _text(row.get("description")) and row.get("description") != profile["name"]:
                profile["description"] = _text(row["description"])
            if row.get("default") is True:
                if default_taken:
                    self.reported.append(f"integration profile {code}: a second default, kept as not default")
                else:
                    profile["default"] = default_taken = True
            for name in ("use_network_zone", "prefer_same_inventory_type"):
                if isinstance(row.get(name), bool):
                    profile[name] = row[name]
            checks: dict[str, tuple[str, Any]] = {"normalization": ("", configuration.NORMALIZATION_PROCESSES),
                "validation_exception_profile": ("MarcXML Bib Import", configuration.VALIDATION_EXCEPTION_PROFILES),
                "serial_match_method": ("ISSN", configuration.MATCH_METHODS),
                "non_serial_match_method": ("ISBN", configuration.MATCH_METHODS)}
            for name, (fallback, known) in checks.items():
                value = _text(row.get(name))
                if value and value not in known:
                    self.reported.append(f"integration profile {code}: {name} {value!r} is unknown to the "
                                         f"simulator, kept as {fallback or 'none'}")
                    value = fallback
                if value:
                    profile[name] = value
            enums = {"upon_no_match": tuple(NoMatchAction), "inventory_operations": tuple(InventoryOperations),
                     "sync_with_external_catalog": tuple(ExternalCatalogSync)}
            for name, values in enums.items():
                value = _code(row.get(name)).upper()
                if value and value not in values:
                    self.reported.append(f"integration profile {code}: {name} {value!r} is unknown, "
                                         "left at the default")
                elif value:
                    profile[name] = value
            blocks = row.get("do_not_create_order_if")
            if isinstance(blocks, dict):
                for alma_name, name in (("order_not_fully_funded", "block_not_fully_funded"),
                                        ("invalid_fund_code", "block_invalid_fund_code"),
                                        ("fund_balance_insufficient", "block_insufficient_balance")):
                    if blocks.get(alma_name) is True:
                        profile[name] = True
            if profile.get("upon_no_match") == "ADD_TO_NZ" and not profile.get("use_network_zone"):
                self.reported.append(f"integration profile {code}: adds to the Network Zone without using it, "
                                     "kept as Import")
                profile["upon_no_match"] = "IMPORT"
            out.append(profile)
        if other_types:
            self.reported.append(f"integration profiles: {other_types} of other types than New Order API left out")
        network = None
        if any(p.get("use_network_zone") for p in out):
            suffix = "9999" if inst["mms_suffix"] != "9999" else "9998"
            network = {"code": "NZ", "name": "Network Zone (not readable through the API: empty)",
                       "mms_suffix": suffix}
            self.defaulted.append("Network Zone: its code and records are not readable (an empty one, NZ, "
                                  "stands in for the profiles that use it)")
        return network, out


# ---------------------------------------------------------------- writing ---------------------------------------


def world_text(result: Clone) -> str:
    """The world file: a comment header, then the table as TOML. Checked by loading it before it is returned."""
    header = [f"# The acquisitions set-up of {result.institution}, cloned from {result.spec['clone']['source']}",
              f"# by `almasim clone` on {result.spec['clone']['cloned_on']}. Serve it: almasim serve --world THIS_FILE",
              "# The API keys below are the simulator's own, made up for this copy; no key of the source is kept.",
              "# What the API did not show is listed under [clone] defaulted; messy data under [clone] reported."]
    text = "\n".join(header) + "\n\n" + tomli_w.dumps(result.spec)
    check(text)
    return text


def check(text: str) -> None:
    """Load the world file as `almasim serve --world` would; a world it cannot load is never written."""
    with tempfile.TemporaryDirectory(prefix="almasim-clone-") as folder:
        path = Path(folder) / "world.toml"
        path.write_text(text, "utf-8")
        load_world(path)


# ---------------------------------------------------------------- reading Alma's JSON leniently -----------------


def _list(answer: Any, plural: str) -> list[dict]:
    """The records of a list answer; Alma leaves the key out when the list is empty, or gives one object."""
    if not isinstance(answer, dict):
        return []
    return [r for r in _as_list(answer.get(plural)) if isinstance(r, dict)]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value", "")
    return "" if value is None else str(value).strip()


def _code(value: Any, default: str = "") -> str:
    """A coded value's code ({"value": X, "desc": …}), or the plain string; `default` when it has none."""
    return code_of(value) or default


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _money(value: Any) -> str | None:
    """An amount as text with cents ("10000.00"); None when absent or not a number."""
    number = _decimal(value)
    return None if number is None else f"{number:.2f}"


def _decimal_text(value: Any) -> str | None:
    """A ratio or a discount as Alma wrote it ("1.10" stays "1.10"); None when not a number."""
    return None if _decimal(value) is None else str(value).strip()


def _day(value: Any) -> str:
    """Alma's dates come as 2026-07-01Z or 2026-07-01T00:00:00Z; the world file keeps the day."""
    text = _text(value)
    found = re.match(r"\d{4}-\d{2}-\d{2}", text)
    return found.group(0) if found else text


def _inventory_guess(code: str) -> str:
    """[decision] An unknown PO line type's inventory, guessed from its code (Alma's code table does not say)."""
    if re.search(r"PKG|PACKAGE|COLLECTION|DATABASE", code):
        return "collection"
    if re.search(r"^E_|ELECTRONIC|^E-|EBOOK|EJOURNAL", code):
        return "electronic"
    if re.search(r"SERVICE|UPGRADE|LICENSE", code):
        return "none"
    return "physical"


def _why(exc: Unreadable) -> str:
    return {401: "401: the key has no access to this area", 403: "403: forbidden",
            404: "404: not served here"}.get(exc.status, f"HTTP {exc.status}")
