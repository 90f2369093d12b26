"""`python -m documents serve|migrate`."""
from __future__ import annotations

import argparse
import logging

from documents import bootstrap
from documents.config import Settings
from servicekit.config import DEMO
from servicekit.logs import configure_logging

log = logging.getLogger("documents")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="documents", description="The ektp documents service.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the gRPC and HTTP servers and follow the enrolment feed")
    commands.add_parser("migrate", help="upgrade the database schema to the latest version")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    configure_logging("documents", settings.log_level)
    if args.command == "migrate":
        bootstrap.migrate(settings)
        log.info("database migrated")
        return 0
    runtime = bootstrap.build(settings, migrate=settings.mode == DEMO)
    runtime.process.run_until_signalled()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
