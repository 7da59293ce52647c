"""`almasim edi`: Alma's EDI account with the vendors, from the command line (Alma's FTP pick-up, simulated).

    almasim edi load FILE [--vendor CODE]                       # into a fresh embedded Alma: check a file
    almasim edi load FILE --alma-url URL --api-key KEY          # into a running `almasim serve`
    almasim edi outbox VENDOR --alma-url URL --api-key KEY      # what Alma sent the vendor (ORDCHG)

[decision] Without `--alma-url` the file is loaded into a fresh embedded Alma (the default world, or
`--world`), and the command prints what Alma made of it: a way to check a vendor's file before it goes to a
server. With `--alma-url` the file goes to that simulator's admin API (POST /almasim/v1/admin/edi/{institution}/
invoices) for the API key's institution; a real Alma has no such call (its EDI files arrive by FTP).
Without `--vendor` the vendor is the one whose EDI code is the interchange's sender. A refused file (malformed,
another vendor's, an invoice Alma would refuse) loads nothing and prints one line. Owns argument parsing and
the output; imports simulator.backends and, for the embedded Alma, simulator.alma.seed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator.alma.seed import load_world
from simulator.backends import AlmaClient, InProcessBackend
from simulator.errors import HarnessError, SimulatorError

DEFAULT_INSTITUTION = "01TRLC_HVU"
# Alma's invoice workflow codes in the words the librarian's screens use.
WORKFLOW = {"InReview": "In Review", "Waiting to be Sent": "Ready to be paid", "Waiting for Payment":
            "Waiting for Payment", "Closed": "Closed"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="edi_command", metavar="ACTION", required=True)
    load = sub.add_parser("load", help="load an EDIFACT INVOIC file as invoices")
    load.add_argument("file", type=Path, metavar="FILE")
    load.add_argument("--vendor", metavar="CODE", help="the vendor whose EDI account the file arrived on")
    outbox = sub.add_parser("outbox", help="print the EDI messages Alma sent a vendor (ORDCHG)")
    outbox.add_argument("vendor", metavar="VENDOR")
    for command in (load, outbox):
        command.add_argument("--alma-url", metavar="URL", help="a running almasim serve (its /almaws/v1 base URL)")
        command.add_argument("--api-key", metavar="KEY", help="the API key for --alma-url (names the institution)")
        command.add_argument("--world", type=Path, metavar="FILE", help="the embedded Alma's world file")
        command.add_argument("--institution", default=DEFAULT_INSTITUTION, metavar="CODE",
                             help=f"the embedded Alma's institution ({DEFAULT_INSTITUTION})")
        command.add_argument("--json", action="store_true", help="print one JSON object")


def _alma(args: argparse.Namespace) -> AlmaClient:
    if args.alma_url:
        if not args.api_key:
            raise HarnessError("--alma-url needs --api-key")
        if args.world:
            raise HarnessError("--world sets up the embedded Alma; a server has its own world")
        from simulator.backends import make_backend  # noqa: PLC0415 - the HTTP backend only when asked for
        return make_backend("http", base_url=args.alma_url, api_key=args.api_key)
    world = load_world(args.world) if args.world else None
    backend = InProcessBackend(world=world, institution=args.institution)
    if args.institution not in backend.world.institutions:
        raise HarnessError(f"no institution {args.institution!r}; the world has "
                           f"{', '.join(backend.world.institutions)}")
    return AlmaClient(backend)


def run(args: argparse.Namespace) -> int:
    alma: AlmaClient | None = None
    try:
        alma = _alma(args)
        if args.edi_command == "outbox":
            messages = alma.edi_outbox(args.vendor)
            print(json.dumps({"vendor": args.vendor, "messages": messages}) if args.json else
                  "\n".join(messages) if messages else f"nothing sent to {args.vendor} by EDI")
            return 0
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise HarnessError(f"cannot read {args.file}: {getattr(error, 'strerror', None) or error}") from None
        loaded = alma.send_edi_file(text, vendor=args.vendor, name=args.file.name)
    except SimulatorError as error:
        message = str(error).removeprefix("SIMULATOR: ")
        print(f"almasim edi: {message}", file=sys.stderr)
        return 1
    finally:
        close = getattr(alma.backend, "close", None) if alma is not None else None
        if close:
            close()
    if args.json:
        print(json.dumps(loaded))
        return 0
    print(f"{args.file.name}: {len(loaded['invoices'])} invoice(s) from {loaded['vendor']} loaded into "
          f"{loaded['institution']}")
    for invoice in loaded["invoices"]:
        linked = sum(1 for line in invoice["lines"] if line["po_line"])
        alerts = f"; alerts {', '.join(invoice['alerts'])}" if invoice["alerts"] else ""
        print(f"  {invoice['number']}  {invoice['total_amount']} {invoice['currency']}  "
              f"{WORKFLOW.get(invoice['status'], invoice['status'])}  "
              f"{linked}/{len(invoice['lines'])} lines linked to PO lines{alerts}")
    return 0
