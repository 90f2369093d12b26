"""The command line every service shares: `serve` and `migrate`, plus its own commands.

    python -m <service> serve      # gRPC + HTTP until SIGTERM (the demo mode migrates first)
    python -m <service> migrate    # alembic upgrade head (a Job before rollout in production)
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from servicekit.config import DEMO
from servicekit.logs import configure_logging

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Command:
    """A service's own command: `run(args, settings)` returns the exit code (None is 0)."""

    name: str
    help: str
    run: Callable[[argparse.Namespace, Any], int | None]
    arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None


def service_main(*, name: str, description: str, settings_from_env: Callable[[], Any],
                 build: Callable[..., Any], migrate: Callable[[Any], None],
                 commands: Sequence[Command] = (), argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=name, description=description)
    subcommands = parser.add_subparsers(dest="command", required=True)
    subcommands.add_parser("serve", help="serve gRPC and HTTP until SIGTERM (demo mode migrates first)")
    subcommands.add_parser("migrate", help="upgrade the database schema (alembic upgrade head)")
    for command in commands:
        command.arguments(subcommands.add_parser(command.name, help=command.help))
    args = parser.parse_args(argv)

    settings = settings_from_env()
    # A server logs JSON to stdout; other commands keep stdout for what they print.
    configure_logging(name, settings.log_level, stream=None if args.command == "serve" else sys.stderr)
    if args.command == "serve":
        build(settings, migrate=settings.mode == DEMO).process.run_until_signalled()
        return 0
    if args.command == "migrate":
        migrate(settings)
        log.info("database migrated")
        return 0
    chosen = next(c for c in commands if c.name == args.command)
    return chosen.run(args, settings) or 0
