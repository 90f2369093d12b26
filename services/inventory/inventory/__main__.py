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


def _ledger_check(_args, settings: Settings) -> int:
    """Every office's kept balance against its ledger and its serials; 1 on any mismatch."""
    core = bootstrap.build_core(settings)
    try:
        checks = core.service.check_all(Principal.service("inventory", origin="cli"))
    finally:
        core.close()
    for check in checks:
        print(f"{check.office_code}: {'ok' if check.ok else 'MISMATCH'} on hand kept={check.balance.on_hand} "
              f"ledger={check.ledger_on_hand} serials={check.serials_on_hand}; reserved kept={check.balance.reserved} "
              f"ledger={check.ledger_reserved} serials={check.serials_reserved}")
    return 0 if all(check.ok for check in checks) else 1


def main(argv: list[str] | None = None) -> int:
    return service_main(name="inventory", description="The ektp inventory service: the blanko KTP-el ledger.",
                        settings_from_env=Settings.from_env, build=bootstrap.build, migrate=bootstrap.migrate,
                        commands=[Command("demo", "migrate and load the demo data (idempotent)", _demo),
                                  Command("ledger-check", "recompute every office's stock from the ledger and "
                                          "the serials; exit 1 on a mismatch", _ledger_check),
                                  audit_verify_command("inventory", db.audit_log)], argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
