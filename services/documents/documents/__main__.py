"""`python -m documents serve|migrate|audit-verify|keys-rotate`."""
from __future__ import annotations

from documents import bootstrap, db
from documents.config import Settings
from servicekit.cli import audit_verify_command, keys_rotate_command, service_main
from servicekit.fieldcrypto import EncryptedColumn, EncryptedTable

# Every encrypted value of this service: re-encrypted under the new key by `keys-rotate`.
ENCRYPTED = [EncryptedTable(db.documents, "document_id", (EncryptedColumn("pdf", binary=True),))]


def main(argv: list[str] | None = None) -> int:
    return service_main(name="documents", description="The ektp documents service: card print jobs and Suket.",
                        settings_from_env=Settings.from_env, build=bootstrap.build, migrate=bootstrap.migrate,
                        commands=[audit_verify_command("documents", db.audit_log),
                                  keys_rotate_command("documents", bootstrap.open_cipher, ENCRYPTED)],
                        argv=argv)


if __name__ == "__main__":
    raise SystemExit(main())
