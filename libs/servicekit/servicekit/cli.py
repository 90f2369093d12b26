"""The command line every service shares: `serve` and `migrate`, plus its own commands.

    python -m <service> serve      # gRPC + HTTP until SIGTERM (the demo mode migrates first)
    python -m <service> migrate    # alembic upgrade head (a Job before rollout in production)

and the security commands a service adds from here (`ektp audit verify`, `ektp keys rotate`
call them): `audit-verify` and `keys-rotate`.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from servicekit.audit import verify_chain
from servicekit.config import DEMO
from servicekit.db import create_engine
from servicekit.fieldcrypto import REFRESH_INTERVAL, EncryptedTable, FieldCipher, reencrypt
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


def audit_verify_command(name: str, table: sa.Table) -> Command:
    """`audit-verify`: walk the hash chain; exit 1 and name the first broken link if tampered."""
    def run(args: argparse.Namespace, settings: Any) -> int:
        engine = create_engine(settings.database_url)
        try:
            report = verify_chain(engine, table)
        finally:
            engine.dispose()
        if report.ok:
            print(f"{name}: audit log intact, {report.entries} entries, head {report.head_hash}")
            return 0
        print(f"{name}: audit log BROKEN at entry {report.broken_at}: {report.problem}")
        return 1
    return Command("audit-verify", "check the audit log's hash chain (exit 1 when broken)", run)


def keys_rotate_command(name: str, open_cipher: Callable[[Any], FieldCipher],
                        tables: Sequence[EncryptedTable]) -> Command:
    """`keys-rotate`: add a data key, make it active, re-encrypt every value under it in short
    batches while the service keeps serving. `--resume` re-encrypts without a new key (after
    an interrupted run, or once the services have all picked up a key added elsewhere)."""
    def arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--resume", action="store_true", help="re-encrypt under the current active key only")
        parser.add_argument("--batch-size", type=int, default=500)

    def run(args: argparse.Namespace, settings: Any) -> int:
        cipher = open_cipher(settings)
        if not args.resume:
            cipher.keyring.activate(cipher.keyring.add_key())
            # Running services notice the new active key within REFRESH_INTERVAL; wait until a
            # write under the old key can no longer land behind the re-encryption's cursor.
            time.sleep(2 * REFRESH_INTERVAL + 1)
        engine = create_engine(settings.database_url)
        try:
            counts = reencrypt(engine, cipher, tables, batch_size=args.batch_size)
        finally:
            engine.dispose()
        rewritten = ", ".join(f"{table} {n}" for table, n in counts.items())
        print(f"{name}: active data key {cipher.keyring.active_kid}; rows re-encrypted: {rewritten}")
        return 0
    return Command("keys-rotate", "new data key, then re-encrypt personal data under it", run, arguments)
