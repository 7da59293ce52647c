"""`almasim rehearse`: the main job — the vendor carts place realistic orders and the outcomes are summed up.

By default the three vendors of `simulator.vendors.VENDORS` (GOBI, OASIS, then the generic one) each check out
`--orders` carts against the embedded simulated Alma (a fresh default world, fixed clock); `--alma-url` with
`--api-key` sends the same orders to a server (`almasim serve`, or a real Alma) through the HTTP backend.
Prints the seed and a table per vendor — created, In Review with its alerts, refused with codes, and where
the ebooks' portfolios came from, then (with `--lifecycle`, the default) how many lines were received or
activated, invoiced and closed and how the funds' encumbered and spent totals moved — or, with `--json`,
exactly one JSON object. `--budget` scales the everyday funds with the volume (auto by default). With the
lifecycle, `--advance DAYS` (365 by default, 0 for none) then moves Alma's clock on, so the daily renewal and
claiming jobs run on each day passed, and the table counts what became of the serials (subscriptions and
standing orders): renewed, waiting for manual renewal, late print claimed, late standing orders not claimed
(save non-monographic ones, claimed as late print is).
Exits non-zero only when the harness itself cannot run (bad URL, rejected key, unknown vendor or institution).
Owns argument parsing, the progress bar and the output formats; the rehearsal itself is
`simulator.vendors.rehearsal`. Imports simulator.backends, simulator.vendors and, for the embedded Alma, the
in-process backend's world (simulator.alma.seed reads --world).
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path
from typing import TextIO

from simulator.alma.seed import load_world
from simulator.backends import AlmaClient, InProcessBackend
from simulator.errors import AlmaError, HarnessError, SimulatorError, Unauthorized
from simulator.vendors import VENDORS, VendorProfile, load_profiles
from simulator.vendors.rehearsal import Rehearsal, rehearse

DEFAULT_INSTITUTION = "01TRLC_HVU"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vendor", action="append", metavar="NAME",
                        help=f"only this vendor (repeatable); known: {', '.join(VENDORS)}")
    parser.add_argument("--orders", type=int, default=20, metavar="N", help="carts checked out per vendor (20)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the order mix and catalogues (42)")
    parser.add_argument("--institution", default=None, metavar="CODE",
                        help=f"the institution ordered for ({DEFAULT_INSTITUTION}, or the --world file's first)")
    parser.add_argument("--world", type=Path, metavar="FILE",
                        help="the embedded Alma's world file (default: fixtures/world.toml; see almasim clone)")
    parser.add_argument("--alma-url", metavar="URL", help="order from a server instead of the embedded Alma")
    parser.add_argument("--api-key", metavar="KEY", help="the API key for --alma-url")
    parser.add_argument("--vendors-dir", type=Path, metavar="DIR", help="read vendor profiles (*.toml) from DIR")
    parser.add_argument("--lifecycle", action=argparse.BooleanOptionalAction, default=True,
                        help="follow each created order through receipt or activation, invoice (EDI or API), "
                             "payment and closing (default: on)")
    parser.add_argument("--budget", default="auto", metavar="FACTOR",
                        help="scale the everyday funds' allocation by FACTOR before ordering (default auto: "
                             "orders / 20, at least 1; 1 = the seeded budget as it is)")
    parser.add_argument("--advance", type=int, default=365, metavar="DAYS",
                        help="after the lifecycle, move Alma's clock on DAYS days so the renewal and claiming jobs "
                             "run, and count the serials' renewals and claims (default 365: a year; 0: not at all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--report", type=Path, metavar="FILE", help="also write the summary (.html or .md)")


class _Fail(SimulatorError):
    """Why the harness cannot run, as one line."""


def _vendors(args: argparse.Namespace) -> list[VendorProfile]:
    try:
        known = load_profiles(args.vendors_dir) if args.vendors_dir else VENDORS
    except (OSError, ValueError) as error:
        raise _Fail(f"cannot read vendor profiles: {error}") from None
    if not known:
        raise _Fail(f"no vendor profiles (*.toml) in {args.vendors_dir}")
    for name in args.vendor or ():
        if name not in known:
            raise _Fail(f"no vendor {name!r}; known: {', '.join(known)}")
    chosen = [known[name] for name in dict.fromkeys(args.vendor)] if args.vendor else list(known.values())
    # vendors with their own integration system (GOBI, OASIS) first, then the others, each in file order
    return sorted(chosen, key=lambda v: v.system == "OTHER")


def _alma(args: argparse.Namespace) -> tuple[AlmaClient, str]:
    if args.alma_url and args.world:
        raise _Fail("--world sets up the embedded Alma; to order from a server, start it with almasim serve --world")
    if not args.alma_url:
        world = load_world(args.world) if args.world else None
        if args.institution is None:
            codes = list(world.institutions) if world else [DEFAULT_INSTITUTION]
            args.institution = DEFAULT_INSTITUTION if DEFAULT_INSTITUTION in codes or not codes else codes[0]
        backend = InProcessBackend(world=world, institution=args.institution)
        if args.institution not in backend.world.institutions:
            raise _Fail(f"no institution {args.institution!r}; the {'world file' if world else 'default world'} has "
                        f"{', '.join(backend.world.institutions)}")
        return AlmaClient(backend), "the embedded simulated Alma"
    if not args.api_key:
        raise _Fail("--alma-url needs --api-key")
    args.institution = args.institution or DEFAULT_INSTITUTION
    try:
        from simulator.backends import make_backend  # noqa: PLC0415 - the HTTP backend is optional here
    except ImportError:
        raise _Fail("this build has no HTTP backend (simulator.backends.make_backend)") from None
    alma = None
    try:
        alma = make_backend("http", base_url=args.alma_url, api_key=args.api_key)
        alma.test()
    except Unauthorized:
        _close(alma)
        raise _Fail(f"{args.alma_url} rejected the API key") from None
    except AlmaError as error:
        _close(alma)
        raise _Fail(f"{args.alma_url} answered {error}") from None
    except Exception as error:  # noqa: BLE001 - a bad URL surfaces as many httpx/OS errors; one line for all
        _close(alma)
        raise _Fail(f"cannot reach Alma at {args.alma_url}: {error or type(error).__name__}") from None
    return alma, args.alma_url


def _close(alma: AlmaClient | None) -> None:
    close = getattr(alma.backend, "close", None) if alma is not None else None
    if close:
        close()


class Progress:
    """A plain-text bar on stderr, only on a terminal."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled

    def __call__(self, vendor: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        filled = round(30 * done / total) if total else 30
        self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} orders  {vendor:<12}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def _counts(counter: dict) -> str:
    return ", ".join(f"{code} ×{n}" for code, n in counter.items()) or "—"


def _signed(amount: str) -> str:
    return amount if amount.startswith("-") else f"+{amount}"


def table(result: Rehearsal, where: str) -> str:
    """The summary as the terminal shows it."""
    head = (f"Rehearsal: seed {result.seed}, {result.orders} orders per vendor, institution {result.institution}, "
            f"against {where}")
    columns: tuple[str, ...] = ("vendor", "orders", "lines", "created", "in review", "refused", "failed",
                                "duplicates?", "IZ", "CZ", "local")
    if result.lifecycle:
        columns += ("received", "invoiced", "closed")
    rows = []
    for name, summary in result.vendors.items():
        counts = summary.as_json()
        row = (name, counts["orders"], counts["lines"], counts["created"], counts["in_review"], counts["refused"],
               counts["failed"], counts["possible_duplicates"], *counts["portfolios"].values())
        if result.lifecycle:
            row += (counts["received"], counts["invoiced"], counts["closed"])
        rows.append(row)
    widths = [max(len(str(r[i])) for r in [columns, *rows]) for i in range(len(columns))]

    def line(row) -> str:
        return "  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths)))

    out = [head, "", line(columns), line(["-" * w for w in widths]), *map(line, rows), ""]
    out.append("Ebook portfolios — IZ: found in the institution · CZ: activated from the Community Zone · "
               "local: created locally")
    if result.lifecycle:
        out.append("After ordering — received: items received or portfolios activated · invoiced: on an approved "
                   "invoice · closed: PO line Closed")
        moved = "; ".join(f"{cur} encumbered {_signed(t['encumbered'])}, spent {_signed(t['spent'])}"
                          for cur, t in result.funds.items()) or "—"
        agree = "agree" if result.funds_agree else "DO NOT agree"
        scaled = f" (budget ×{result.budget:g})" if result.budget != 1 else ""
        out.append(f"Funds{scaled}: {moved}; the balances {agree} with the fund transactions")
    out += serials_table(result)
    out.append("")
    out.append("In Review (alerts on the lines):")
    out += [f"  {name:<10}{_counts(s.in_review_reasons)}" for name, s in result.vendors.items()]
    out.append("Refused (codes):")
    for name, s in result.vendors.items():
        if not s.refusals:
            out.append(f"  {name:<10}—")
        for i, (code, n) in enumerate(s.refusals.items()):
            example = s.examples[code]
            example = example if len(example) <= 90 else example[:89] + "…"
            out.append(f"  {name if i == 0 else '':<10}{code} ×{n}: {example}")
    failed = [(name, s) for name, s in result.vendors.items() if s.failures]
    if failed:
        out.append("Failed (harness side, after retries):")
        out += [f"  {name:<10}{_counts(s.failures)}" for name, s in failed]
    return "\n".join(out)


def serials_table(result: Rehearsal) -> list[str]:
    """The serials each vendor's carts ordered and, a year on, what Alma did with them — every count explained."""
    counts = {name: s.serials_json() for name, s in result.vendors.items()}
    if not any(sum(c["ordered"].values()) for c in counts.values()):
        return []
    out = ["", "Serials ordered — print journal subscriptions / e-journal subscriptions / standing orders; late: "
           "print the vendor has not shipped (nothing received, nothing billed):"]
    for name, c in counts.items():
        o = c["ordered"]
        out.append(f"  {name:<10}{o['print_journal']} / {o['ejournal']} / {o['standing_order']}, late {c['late']}")
    if result.advance_failed:
        out.append(f"The clock could not be moved on, so no renewals or claims are shown: {result.advance_failed}")
        return out
    if not result.advance:
        return out
    columns = ("vendor", "renewed", "manual", "claimed", "claims", "sent", "late", "SO late", "closed", "other")
    keys = ("renewed", "waiting_for_manual_renewal", "claimed", "claims", "claims_sent_to_vendor",
            "late_not_yet_claimed", "standing_orders_not_claimed", "closed", "other")
    rows = [(name, *(c.get(k, 0) for k in keys)) for name, c in counts.items()]
    widths = [max(len(str(r[i])) for r in [columns, *rows]) for i in range(len(columns))]

    def line(row) -> str:
        return "  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths)))

    out += ["", f"A year on — the clock moved on {result.advance} days to {result.clock}; the daily renewal and "
                "claiming jobs ran on each day passed:", line(columns), line(["-" * w for w in widths]),
            *map(line, rows),
            "  renewed: shipped and paid, renewing by itself — Alma moved its renewal date on one cycle (renewals are "
            "never sent to the vendor)",
            "  manual: its reminder came, so it waits for a librarian's manual renewal",
            "  claimed: late print not received by its expected date plus the grace period, claimed by the claiming "
            "job; claims: the claims on them (once each); sent: the claims sent to the vendor (the first one only)",
            "  late: late print whose expected date plus grace has not yet passed",
            "  SO late: standing orders not yet shipped, which Alma does not claim (save Standing Order Non "
            "Monograph lines, counted as late print)",
            "  closed: its subscription ended · other: none of these (each serial is in exactly one column "
            "but claims and sent)"]
    return out


def report(result: Rehearsal, where: str, path: Path) -> None:
    """The summary as a small offline page (.html) or Markdown (anything else)."""
    text = table(result, where)
    if path.suffix.lower() in (".html", ".htm"):
        body = (f"<!doctype html><meta charset='utf-8'><title>almasim rehearsal, seed {result.seed}</title>"
                f"<h1>almasim rehearsal</h1><pre>{html.escape(text)}</pre>"
                f"<h2>JSON</h2><pre>{html.escape(json.dumps(result.as_json(), indent=2))}</pre>\n")
    else:
        body = f"# almasim rehearsal (seed {result.seed})\n\n```\n{text}\n```\n"
    path.write_text(body, encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    try:
        if args.orders < 0:
            raise _Fail("--orders must be 0 or more")
        if args.advance < 0:
            raise _Fail("--advance must be 0 or more days")
        if args.budget != "auto":
            try:
                if float(args.budget) < 1:
                    raise ValueError
            except ValueError:
                raise _Fail(f"--budget is auto or a factor of 1 or more, not {args.budget!r}") from None
        vendors = _vendors(args)
        alma, where = _alma(args)
    except (_Fail, HarnessError) as error:
        print(f"almasim rehearse: {error}", file=sys.stderr)
        return 2
    progress = Progress(sys.stderr, enabled=not args.json and sys.stderr.isatty())
    try:
        result = rehearse(alma, vendors, orders=args.orders, seed=args.seed, institution=args.institution,
                          progress=progress, lifecycle=args.lifecycle, budget=args.budget, advance=args.advance)
    finally:
        progress.close()
        _close(alma)
    if args.json:
        print(json.dumps(result.as_json(), sort_keys=False))
    else:
        print(table(result, where))
    if args.report:
        report(result, where, args.report)
    return 0
