"""`python -m inventory serve|migrate|demo`."""
from __future__ import annotations

import argparse
import logging

from inventory import bootstrap
from inventory.config import Settings
from inventory.demo import load_demo
from servicekit.config import DEMO
from servicekit.logs import configure_logging

log = logging.getLogger("inventory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inventory", description="ektp inventory service (blanko KTP-el)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve gRPC and HTTP until SIGTERM (demo mode migrates first)")
    commands.add_parser("migrate", help="upgrade the database schema to the latest version")
    commands.add_parser("demo", help="migrate and load the demo data (idempotent)")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    configure_logging("inventory", settings.log_level)
    if args.command == "migrate":
        bootstrap.migrate(settings)
        log.info("database migrated")
    elif args.command == "demo":
        core = bootstrap.build_core(settings)
        try:
            print(load_demo(core.service, settings.offices))
        finally:
            core.close()
    else:
        runtime = bootstrap.build(settings, migrate=settings.mode == DEMO)
        runtime.process.run_until_signalled()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
