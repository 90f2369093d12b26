"""`python -m inventory serve|migrate|demo|audit-verify`."""
from __future__ import annotations

from inventory import bootstrap, db
from inventory.config import Settings
from inventory.demo import load_demo
from servicekit.access import Principal
from servicekit.cli import Command, audit_verify_command, service_main


def _demo(_args, settings: Settings) -> None:
    core = bootstrap.build_core(settings)
    try:
        print(load_demo(Principal.service("inventory", origin="cli"), core.service, settings.offices))
    finally:
        core.close()


def main(argv: list[str] | None = None) -> int:
    return service_main(name="inventory", description="The ektp inventory service: the blanko KTP-el ledger.",
                        settings_from_env=Settings.from_env, build=bootstrap.build, migrate=bootstrap.migrate,
                        commands=[Command("demo", "migrate and load the demo data (idempotent)", _demo),
                                  audit_verify_command("inventory", db.audit_log)], argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
