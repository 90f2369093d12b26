"""`python -m enrolment serve | migrate | demo | users | audit-verify | keys-rotate` (`ektp` calls these)."""
from __future__ import annotations

import argparse
import pathlib
import sys

from enrolment import bootstrap, db, import_commands
from enrolment.accounts import create_demo_accounts, generate_password
from enrolment.config import Settings
from enrolment.personal_data import ENCRYPTED_TABLES, open_cipher
from enrolment.release import release_arguments, release_command
from servicekit.access import HUMAN_ROLES, ROLE_LABELS, Principal
from servicekit.cli import Command, audit_verify_command, keys_rotate_command, service_main
from servicekit.errors import ServiceError

CLI = Principal.service("enrolment", origin="cli")


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
        print(load_demo(CLI, core.service, regions_csv=args.regions, seed=args.seed, residents=args.residents))
        created = create_demo_accounts(core.accounts, CLI)
    finally:
        core.engine.dispose()
    if created:
        print("Demo accounts (the passwords are shown only now; `ektp users reset-password NAME` makes a new one):")
        for username, role, scope, password in created:
            print(f"  {username:<22} {password:<18} {ROLE_LABELS[role]} · {scope}")
    else:
        print("Demo accounts already exist; `ektp users reset-password NAME` gives one a new password.")


def _reindex_names(args: argparse.Namespace, settings: Settings) -> None:
    """Search-by-name tokens for recordings stored before migration 0007 (idempotent)."""
    core = bootstrap.build_core(settings, migrate=False)
    try:
        print(f"recordings indexed for search by name: {core.service.reindex_names()}")
    finally:
        core.engine.dispose()


def _users_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create an officer's account; prints a generated password once")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=[r.value for r in HUMAN_ROLES])
    create.add_argument("--region", required=True, help="the region scope: 62, 62.03, 62.03.01 or 62.03.01.2001")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    reset = actions.add_parser("reset-password", help="set a new password (generated unless --password-stdin)")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")
    for name, text in (("unlock", "lift a lockout after failed logins"), ("disable", "refuse all future logins")):
        actions.add_parser(name, help=text).add_argument("username")
    actions.add_parser("list", help="accounts with role, region and state")


def _users(args: argparse.Namespace, settings: Settings) -> int:
    core = bootstrap.build_core(settings, migrate=False)
    accounts = core.accounts
    try:
        if args.action == "list":
            for a in accounts.list():
                state = "nonaktif" if a.disabled else ("terkunci" if a.locked_until else "aktif")
                print(f"{a.username:<24} {a.role.value:<20} {a.scope:<16} {state}")
            return 0
        password = None
        if args.action in ("create", "reset-password"):
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else generate_password()
        if args.action == "create":
            accounts.create(CLI, args.username, args.role, args.region, password)
        elif args.action == "reset-password":
            accounts.set_password(CLI, args.username, password)
        elif args.action == "unlock":
            accounts.unlock(CLI, args.username)
        else:
            accounts.disable(CLI, args.username)
    except ServiceError as refused:
        print(f"error: {refused.message}", file=sys.stderr)
        for v in refused.violations:
            print(f"  {v.field}: {v.description}", file=sys.stderr)
        return 2
    finally:
        core.engine.dispose()
    if password is not None and not args.password_stdin:
        print(f"password for {args.username} (shown once): {password}")
    else:
        print(f"{args.action}: {args.username} done")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["field"]:   # the field device: its own data dir, no server settings
        from enrolment.field.cli import main as field_main

        return field_main(argv[1:])
    return service_main(name="enrolment", description="The ektp enrolment service: recording residents.",
                        settings_from_env=Settings.from_env, build=bootstrap.build,
                        migrate=lambda settings: bootstrap.apply_migrations(settings.database_url),
                        commands=[Command("demo", "load the demo data set and demo accounts (idempotent)", _demo,
                                          _demo_arguments),
                                  Command("users", "officers' accounts", _users, _users_arguments),
                                  Command("regions-import", "import the Kemendagri region codes (CSV kode,nama)",
                                          import_commands.import_regions, import_commands.regions_arguments),
                                  Command("targets-import", "import wajib-KTP targets (CSV kode,wajib_ktp)",
                                          import_commands.import_targets, import_commands.targets_arguments),
                                  Command("release-pre-recordings", "release pre-recordings whose 17th birthday "
                                          "has come to print-ready", release_command, release_arguments),
                                  Command("reindex-names", "index the names of recordings stored before search by "
                                          "name existed (idempotent)", _reindex_names),
                                  audit_verify_command("enrolment", db.audit_log),
                                  keys_rotate_command("enrolment", open_cipher, ENCRYPTED_TABLES)],
                        argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
