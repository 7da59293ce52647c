"""One module per `almasim` subcommand: add_arguments(parser) and run(args) -> int."""
