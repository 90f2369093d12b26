"""The audit trail of issuing, reading and printing, and the `audit-verify` and `keys-rotate`
commands of `python -m documents`, on a running process."""
from __future__ import annotations

import grpc
import pytest
import sqlalchemy as sa

from documents import __main__ as cli
from documents import db
from documents.bootstrap import open_cipher
from documents.config import Settings
from ektp.documents.v1 import documents_pb2, documents_pb2_grpc
from servicekit.access import Principal, Role
from servicekit.web import SESSION_COOKIE
from tests.conftest import wait_for
from tests.documents import factories
from tests.identity import KAPUAS, bearer

DINAS = Principal("operator.kapuas", Role.OPERATOR_DINAS, KAPUAS)
FROM_FEED = factories.register_number(71)
AT_COUNTER = factories.register_number(72)


@pytest.fixture
def command(monkeypatch, tmp_path, database_url, capsys):
    """`python -m documents <args>` on the runtime's var dir and database: (exit code, stdout)."""
    monkeypatch.setenv("EKTP_MODE", "demo")
    monkeypatch.setenv("EKTP_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DOCUMENTS_DATABASE_URL", database_url)

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        code = cli.main(list(args))
        return code, capsys.readouterr().out
    return run


def _audit(runtime) -> list[tuple]:
    t = db.audit_log
    with runtime.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            sa.select(t.c.actor, t.c.role, t.c.action, t.c.record_type, t.c.record_id, t.c.origin).order_by(t.c.seq))]


def _tamper(runtime, statement: sa.Executable) -> None:
    """Change the log past its triggers, as someone with the database's owner rights could."""
    with runtime.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.execute(statement)


def test_issuing_reading_and_printing_are_audited_and_the_chain_verifies(runtime, fakes, identity, command):
    fakes.enrolment.add_print_ready(factories.recording_pb(FROM_FEED))
    [from_feed] = wait_for(lambda: runtime.service.list_documents(DINAS, FROM_FEED), message="a Suket")
    fakes.enrolment.recordings[AT_COUNTER] = factories.recording_pb(AT_COUNTER, seed=9)
    dinas = bearer(identity.officer(Role.OPERATOR_DINAS, KAPUAS, subject="operator.kapuas"))
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as channel:
        stub = documents_pb2_grpc.DocumentsServiceStub(channel)
        issued = stub.IssueSuket(documents_pb2.IssueSuketRequest(register_number=AT_COUNTER), metadata=dinas,
                                 timeout=5).document
        stub.ListDocuments(documents_pb2.ListDocumentsRequest(register_number=AT_COUNTER), metadata=dinas, timeout=5)
        stub.GetDocument(documents_pb2.GetDocumentRequest(document_id=from_feed.document_id), metadata=dinas,
                         timeout=5)
    auditor = runtime.app.test_client()
    auditor.set_cookie(SESSION_COOKIE, identity.officer(Role.AUDITOR, "62", subject="auditor.kalteng"))
    assert auditor.get(f"/dokumen/{issued.document_id}.pdf").status_code == 200

    assert _audit(runtime) == [   # the list view is not audited
        ("service:documents", "service", "document.issue", "document", from_feed.document_id, "consumer"),
        ("operator.kapuas", "operator_dinas", "document.issue", "document", issued.document_id, "127.0.0.1"),
        ("operator.kapuas", "operator_dinas", "document.read", "document", from_feed.document_id, "127.0.0.1"),
        ("auditor.kalteng", "auditor", "document.print", "document", issued.document_id, "127.0.0.1"),
    ]
    code, out = command("audit-verify")
    assert code == 0 and "intact, 4 entries" in out

    _tamper(runtime, db.audit_log.update().where(db.audit_log.c.seq == 2).values(actor="operator.lain"))
    code, out = command("audit-verify")
    assert code == 1 and "BROKEN at entry 2" in out


def test_keys_rotate_reencrypts_every_stored_pdf_under_the_new_key(runtime, fakes, command, tmp_path, database_url):
    fakes.inventory.stock = ["0000000701"]
    fakes.enrolment.add_print_ready(factories.recording_pb(FROM_FEED))
    fakes.enrolment.add_print_ready(factories.recording_pb(AT_COUNTER, seed=9))
    wait_for(lambda: runtime.service.list_documents(DINAS, FROM_FEED) and runtime.service.list_documents(
        DINAS, AT_COUNTER), message="a card and a Suket")
    old_kid = runtime.cipher.keyring.active_kid

    code, out = command("keys-rotate")
    assert code == 0 and "stored files re-encrypted: 2" in out   # the PDFs live in the document store

    cipher = open_cipher(Settings(database_url=database_url, var_dir=tmp_path))
    assert cipher.keyring.active_kid != old_kid and old_kid in cipher.keyring.kids
    with runtime.engine.connect() as conn:
        stored = conn.execute(sa.select(db.documents.c.document_id, db.documents.c.pdf_key)).all()
    assert len(stored) == 2
    for document_id, key in stored:
        assert cipher.key_id_of(runtime.store.blobs.path(key).read_bytes()) == cipher.keyring.active_kid
        assert runtime.service.document_pdf(DINAS, document_id).startswith(b"%PDF")  # the running process too

    code, out = command("keys-rotate", "--resume")
    assert code == 0 and "documents 0" in out and "stored files re-encrypted: 0" in out
