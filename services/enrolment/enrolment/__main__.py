"""`python -m enrolment serve | migrate | demo`."""
from __future__ import annotations

import argparse
import pathlib
import sys

from enrolment import bootstrap
from enrolment.config import Settings
from servicekit.config import DEMO
from servicekit.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="enrolment", description="ektp enrolment service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve gRPC and HTTP until SIGTERM")
    commands.add_parser("migrate", help="apply the database migrations")
    demo = commands.add_parser("demo", help="load the demo data set (idempotent)")
    demo.add_argument("--regions", type=pathlib.Path, default=None,
                      help="CSV kode,nama of Kemendagri regions to import (default: a built-in list)")
    demo.add_argument("--seed", type=int, default=2016)
    demo.add_argument("--residents", type=int, default=3000,
                      help="synthetic residents in Kab. Kapuas (Kab. Tanah Bumbu gets a fifth of it)")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    configure_logging("enrolment", settings.log_level)
    if args.command == "migrate":
        bootstrap.apply_migrations(settings.database_url)
        return 0
    if args.command == "demo":
        from enrolment.demo import load_demo

        core = bootstrap.build_core(settings, migrate=True)
        try:
            print(load_demo(core.service, regions_csv=args.regions, seed=args.seed, residents=args.residents))
        finally:
            core.engine.dispose()
        return 0
    runtime = bootstrap.build(settings, migrate=settings.mode == DEMO)
    runtime.process.run_until_signalled()
    return 0


if __name__ == "__main__":
    sys.exit(main())
