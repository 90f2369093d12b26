"""`python -m documents serve|migrate`."""
from __future__ import annotations

from documents import bootstrap
from documents.config import Settings
from servicekit.cli import service_main


def main(argv: list[str] | None = None) -> int:
    return service_main(name="documents", description="The ektp documents service: card print jobs and Suket.",
                        settings_from_env=Settings.from_env, build=bootstrap.build, migrate=bootstrap.migrate,
                        argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
