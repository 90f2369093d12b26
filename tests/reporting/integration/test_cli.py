import logging

import sqlalchemy as sa

from reporting.__main__ import main


def test_migrate_command_creates_the_demo_database_under_var(tmp_path, monkeypatch):
    var_dir = tmp_path / "var"
    monkeypatch.setenv("EKTP_VAR_DIR", str(var_dir))
    monkeypatch.delenv("REPORTING_DATABASE_URL", raising=False)
    handlers = logging.getLogger().handlers[:]
    try:
        assert main(["migrate"]) == 0
    finally:
        logging.getLogger().handlers[:] = handlers
    engine = sa.create_engine(f"sqlite:///{var_dir / 'reporting.db'}")
    assert {"inbox", "feed_cursors", "recording_facts", "document_facts"} <= set(sa.inspect(engine).get_table_names())
    engine.dispose()
