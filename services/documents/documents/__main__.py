"""`python -m documents serve|migrate|audit-verify|keys-rotate`."""
from __future__ import annotations

import argparse
from dataclasses import replace

from documents import bootstrap, db
from documents.config import Settings
from servicekit.cli import Command, audit_verify_command, keys_rotate_command, service_main
from servicekit.fieldcrypto import EncryptedColumn, EncryptedTable

# Every encrypted value of this service: re-encrypted under the new key by `keys-rotate`, and
# then every file of the document store.
ENCRYPTED = [EncryptedTable(db.documents, "document_id", (EncryptedColumn("pdf", binary=True),))]


def keys_rotate_with_store() -> Command:
    rotate = keys_rotate_command("documents", bootstrap.open_cipher, ENCRYPTED)

    def run(args: argparse.Namespace, settings: Settings) -> int:
        code = rotate.run(args, settings)
        if code:
            return code
        resealed = bootstrap.open_store(settings, bootstrap.open_cipher(settings)).reseal()
        print(f"documents: stored files re-encrypted: {resealed}")
        return 0
    return replace(rotate, run=run)


def main(argv: list[str] | None = None) -> int:
    return service_main(name="documents", description="The ektp documents service: card print jobs and Suket.",
                        settings_from_env=Settings.from_env, build=bootstrap.build, migrate=bootstrap.migrate,
                        commands=[audit_verify_command("documents", db.audit_log),
                                  keys_rotate_with_store()],
                        argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
