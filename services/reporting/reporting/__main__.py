"""`python -m reporting serve|migrate|rebuild [--check]`."""
from __future__ import annotations

from reporting import bootstrap, rebuild
from reporting.config import Settings
from servicekit.cli import service_main


def main(argv: list[str] | None = None) -> int:
    return service_main(name="reporting", description="The ektp reporting service: coverage from the event feeds.",
                        settings_from_env=Settings.from_env, build=bootstrap.build, migrate=bootstrap.migrate,
                        commands=[rebuild.COMMAND], argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
