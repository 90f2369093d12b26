"""`python -m enrolment serve | migrate | demo`."""
from __future__ import annotations

import argparse
import pathlib

from enrolment import bootstrap
from enrolment.config import Settings
from servicekit.cli import Command, service_main


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--regions", type=pathlib.Path, default=None,
                        help="CSV kode,nama of Kemendagri regions to import (default: a built-in list)")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--residents", type=int, default=3000,
                        help="synthetic residents in Kab. Kapuas (Kab. Tanah Bumbu gets a fifth of it)")


def _demo(args: argparse.Namespace, settings: Settings) -> None:
    from enrolment.demo import load_demo

    core = bootstrap.build_core(settings, migrate=True)
    try:
        print(load_demo(core.service, regions_csv=args.regions, seed=args.seed, residents=args.residents))
    finally:
        core.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    return service_main(name="enrolment", description="The ektp enrolment service: recording residents.",
                        settings_from_env=Settings.from_env, build=bootstrap.build,
                        migrate=lambda settings: bootstrap.apply_migrations(settings.database_url),
                        commands=[Command("demo", "load the demo data set (idempotent)", _demo, _demo_arguments)],
                        argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
