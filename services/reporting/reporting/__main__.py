"""`python -m reporting serve|migrate`."""
from __future__ import annotations

import argparse
import logging

from reporting import bootstrap
from reporting.config import Settings
from servicekit.config import DEMO
from servicekit.logs import configure_logging

log = logging.getLogger("reporting")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reporting", description="The ektp reporting service.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="follow the feeds and serve gRPC and HTTP until SIGTERM")
    commands.add_parser("migrate", help="bring the database schema up to date (alembic upgrade head)")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    configure_logging("reporting", settings.log_level)
    if args.command == "migrate":
        bootstrap.migrate(settings)
        log.info("database migrated")
        return 0
    runtime = bootstrap.build(settings, migrate=settings.mode == DEMO)
    runtime.process.run_until_signalled()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
