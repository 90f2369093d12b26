"""`ektp`, the operator's command, over the services' own databases (demo layout under EKTP_VAR_DIR)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tools.processes import ROOT


@pytest.fixture
def var_dir(tmp_path):
    env = {"EKTP_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for service in ("enrolment", "inventory", "documents"):
        subprocess.run([sys.executable, "-m", service, "migrate"], env=env, cwd=ROOT, check=True,
                       capture_output=True, timeout=120)
    subprocess.run([sys.executable, "-m", "enrolment", "demo", "--residents", "10"], env=env, cwd=ROOT,
                   check=True, capture_output=True, timeout=120)
    return tmp_path


def _ektp(var_dir, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ektp_cli", *args], env={"EKTP_VAR_DIR": str(var_dir), "PATH": "/usr/bin:/bin"},
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_audit_verify_checks_every_chain_and_names_the_first_broken_link(var_dir):
    intact = _ektp(var_dir, "audit", "verify")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert [line.split(":")[0] for line in intact.stdout.splitlines()] == ["enrolment", "inventory", "documents"]

    with sqlite3.connect(var_dir / "enrolment.db") as db:   # someone with the database file
        entries = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        assert entries > 8, "the demo's recordings and accounts are audited"
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("UPDATE audit_log SET actor = 'orang.lain' WHERE seq = 3")
    broken = _ektp(var_dir, "audit", "verify")
    assert broken.returncode == 1
    assert "enrolment: audit log BROKEN at entry 3" in broken.stdout
    assert "inventory: audit log intact" in broken.stdout      # the others are still checked
    only = _ektp(var_dir, "audit", "verify", "--service", "inventory")
    assert only.returncode == 0 and "enrolment" not in only.stdout


def test_users_are_enrolment_s_and_a_bad_area_is_refused(var_dir):
    listed = _ektp(var_dir, "users", "list")
    assert listed.returncode == 0, listed.stderr
    assert _ektp(var_dir, "keys", "turn").returncode == 2


def test_keys_rotate_re_encrypts_personal_data_under_a_new_key(var_dir):
    keys = var_dir / "keys" / "enrolment-data"
    before = (keys / "active").read_text().strip()
    rotated = _ektp(var_dir, "keys", "rotate", "--service", "enrolment")
    assert rotated.returncode == 0, rotated.stdout + rotated.stderr
    after = (keys / "active").read_text().strip()
    assert after != before and f"active data key {after}" in rotated.stdout
    with sqlite3.connect(var_dir / "enrolment.db") as db:
        names = [row[0] for row in db.execute("SELECT full_name FROM recordings")]
    assert names and all(name.startswith(f"v1:{after}:") for name in names)
    again = _ektp(var_dir, "keys", "rotate", "--service", "enrolment", "--resume")
    assert again.returncode == 0 and "recordings 0" in again.stdout
