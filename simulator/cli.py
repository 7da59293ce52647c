"""The `almasim` command: one entry point, one module per subcommand in `simulator.commands`.

Every subcommand module has `add_arguments(parser)` and `run(args) -> int`. Anything a user can get wrong
ends as one readable line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from simulator.errors import AlmaError, HarnessError, SimulatorError

COMMANDS = {
    "serve": "run a simulated Alma on 127.0.0.1 (or --host ADDR) and print its base URL and API keys",
    "record": "a recording proxy: forward a vendor's calls to a real Alma (or an almasim) and store each exchange",
    "replay": "send a recording's calls to another Alma and report the differences in library words",
    "rehearse": "the main job: vendor carts place realistic orders against a simulated (or real) Alma",
    "report": "turn a test run into one offline HTML living-documentation page",
    "bench": "measure the simulator against the quality bars and print the table",
    "load": "drive vendor carts against a server with Locust (distributed load rehearsal)",
    "clone": "read an institution's acquisitions set-up from any Alma (read-only) into a world file",
    "ui": "the librarian's view: a fresh simulated Alma in the browser (In Review, PO lines, funds)",
    "init": "write a folder of your own Gherkin scenarios (world file, example feature) that runs with pytest",
    "edi": "load a vendor's EDIFACT invoice file (Alma's FTP pick-up, simulated) or read a vendor's EDI outbox",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="almasim", description="A simulated Ex Libris Alma for real-time ordering.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        try:
            module = importlib.import_module(f"simulator.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"simulator.commands.{name}":
                raise
            continue
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except (AlmaError, HarnessError, SimulatorError) as exc:
        print(f"almasim {args.command}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"almasim {args.command}: {exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
