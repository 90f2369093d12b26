"""Officers' accounts and the one login of the platform (enrolment is the identity provider)."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import argon2
import pytest
import sqlalchemy as sa

from enrolment import bootstrap, db
from enrolment.accounts import LOCKOUT, LOGIN_REFUSED, MAX_FAILED_LOGINS, AccountService
from enrolment.config import Settings
from enrolment.unit_of_work import unit_of_work_factory
from servicekit.access import Principal, Role
from servicekit.db import create_engine, run_migrations
from servicekit.errors import AlreadyExists, InvalidArgument, Unauthenticated
from servicekit.tokens import TokenIssuer, TokenVerifier, TrustedKeys, load_private_key, publish_public_key
from servicekit.web import SESSION_COOKIE

CHEAP = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
ADMIN = Principal.service("enrolment", origin="cli")
PASSWORD = "kapuas-2016-blanko"
REGIONS = [("62", "KALIMANTAN TENGAH", 1, ""), ("62.03", "KAB. KAPUAS", 2, "62"),
           ("62.03.01", "Selat", 3, "62.03"), ("62.03.01.1006", "Murung Keramat", 4, "62.03.01")]


def _seed_regions(engine) -> None:
    with engine.begin() as conn:
        conn.execute(db.regions.insert(), [{"code": c, "name": n, "level": lvl, "parent_code": p,
                                            "is_kelurahan": lvl == 4} for c, n, lvl, p in REGIONS])


@pytest.fixture
def setup(database_url, tmp_path):
    run_migrations(database_url, bootstrap.MIGRATIONS)
    engine = create_engine(database_url)
    _seed_regions(engine)
    key = load_private_key(tmp_path / "keys" / "enrolment-token.pem", create=True)
    publish_public_key(tmp_path / "keys" / "trusted", "enrolment", key)
    now = [dt.datetime(2026, 11, 28, 8, 0, tzinfo=dt.timezone.utc)]
    accounts = AccountService(unit_of_work_factory(engine), TokenIssuer("enrolment", key), hasher=CHEAP,
                              clock=lambda: now[0])
    yield accounts, engine, now, TokenVerifier(TrustedKeys(tmp_path / "keys" / "trusted"))
    engine.dispose()


def _fields(exc) -> set[str]:
    return {v.field for v in exc.value.violations}


def test_an_account_is_created_with_an_argon2id_hash(setup):
    accounts, engine, _, _ = setup
    accounts.create(ADMIN, "Kapuas.Operator", "operator_dinas", "62.03", PASSWORD)
    with engine.connect() as conn:
        row = conn.execute(sa.select(db.accounts)).one()
    assert row.username == "kapuas.operator"
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash


def test_every_wrong_field_of_a_new_account_is_named(setup):
    accounts, *_ = setup
    with pytest.raises(InvalidArgument) as caught:
        accounts.create(ADMIN, "x", "raja", "62.03", "short")
    assert _fields(caught) == {"username", "role", "password"}
    with pytest.raises(InvalidArgument) as caught:
        accounts.create(ADMIN, "murung.lurah", "lurah", "62.03", PASSWORD)      # a lurah is one desa
    assert _fields(caught) == {"region"}
    with pytest.raises(InvalidArgument) as caught:
        accounts.create(ADMIN, "tanahbumbu.operator", "operator_dinas", "63.10", PASSWORD)  # not imported
    assert _fields(caught) == {"region"}
    with pytest.raises(InvalidArgument) as caught:
        accounts.create(ADMIN, "samasandi", "ops", "62", "samasandi")
    assert _fields(caught) == {"password"}


def test_a_username_is_taken_once(setup):
    accounts, *_ = setup
    accounts.create(ADMIN, "kapuas.operator", "operator_dinas", "62.03", PASSWORD)
    with pytest.raises(AlreadyExists):
        accounts.create(ADMIN, "kapuas.operator", "kepala_dinas", "62.03", PASSWORD)


def test_login_gives_a_token_every_service_verifies(setup):
    accounts, _, _, verifier = setup
    accounts.create(ADMIN, "murung.lurah", "lurah", "62.03.01.1006", PASSWORD)
    session = accounts.login("  Murung.Lurah ", PASSWORD, origin="10.1.2.3")
    assert verifier.verify(session.token) == Principal("murung.lurah", Role.LURAH, "62.03.01.1006")
    assert session.lifetime_seconds == 8 * 3600


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(setup):
    accounts, *_ = setup
    accounts.create(ADMIN, "kapuas.operator", "operator_dinas", "62.03", PASSWORD)
    messages = set()
    for username, password in (("kapuas.operator", "salah-sekali-123"), ("tidak.ada", PASSWORD)):
        with pytest.raises(Unauthenticated) as caught:
            accounts.login(username, password, origin="10.1.2.3")
        messages.add(caught.value.message)
    assert messages == {LOGIN_REFUSED}


def test_repeated_failures_lock_the_account_for_a_while(setup):
    accounts, _, now, _ = setup
    accounts.create(ADMIN, "kapuas.operator", "operator_dinas", "62.03", PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(Unauthenticated):
            accounts.login("kapuas.operator", "tebakan-yang-salah", origin="10.1.2.3")
    with pytest.raises(Unauthenticated):                  # locked: even the right password is refused
        accounts.login("kapuas.operator", PASSWORD, origin="10.1.2.3")
    now[0] += LOCKOUT + dt.timedelta(seconds=1)
    assert accounts.login("kapuas.operator", PASSWORD, origin="10.1.2.3").token


def test_unlock_lifts_a_lockout_and_disable_refuses_for_good(setup):
    accounts, *_ = setup
    accounts.create(ADMIN, "kapuas.operator", "operator_dinas", "62.03", PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(Unauthenticated):
            accounts.login("kapuas.operator", "tebakan-yang-salah", origin="-")
    accounts.unlock(ADMIN, "kapuas.operator")
    assert accounts.login("kapuas.operator", PASSWORD, origin="-")
    accounts.disable(ADMIN, "kapuas.operator")
    with pytest.raises(Unauthenticated):
        accounts.login("kapuas.operator", PASSWORD, origin="-")


def test_logins_and_account_changes_are_audited_without_secrets(setup):
    accounts, engine, _, _ = setup
    accounts.create(ADMIN, "kapuas.operator", "operator_dinas", "62.03", PASSWORD)
    accounts.login("kapuas.operator", PASSWORD, origin="10.1.2.3")
    with pytest.raises(Unauthenticated):
        accounts.login("kapuas.operator", "tebakan-yang-salah", origin="10.9.9.9")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(db.audit_log).order_by(db.audit_log.c.seq)).all()
    assert [(r.actor, r.action, r.record_id, r.origin) for r in rows] == [
        ("service:enrolment", "account.create", "kapuas.operator", "cli"),
        ("kapuas.operator", "login.success", "kapuas.operator", "10.1.2.3"),
        ("kapuas.operator", "login.failure", "kapuas.operator", "10.9.9.9"),
    ]
    assert not any(PASSWORD in str(tuple(r)) for r in rows)


# ---- the login page ----------------------------------------------------------------------------

@pytest.fixture
def web(sqlite_url, tmp_path):
    runtime = bootstrap.build(Settings(database_url=sqlite_url, var_dir=tmp_path, grpc_port=0, http_port=0),
                              password_hasher=CHEAP)
    _seed_regions(runtime.engine)
    runtime.accounts.create(ADMIN, "kapuas.operator", "operator_dinas", "62.03", PASSWORD)
    client = runtime.app.test_client()
    yield client, runtime
    runtime.engine.dispose()


def _csrf(client, path="/masuk") -> str:
    page = client.get(path).get_data(as_text=True)
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_logging_in_sets_a_session_cookie_and_returns_to_the_page_asked_for(web):
    client, runtime = web
    response = client.post("/masuk", data={"csrf_token": _csrf(client), "username": "kapuas.operator",
                                           "password": PASSWORD, "next": "/perekaman?nomor=6203-20261128-000001"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/perekaman?nomor=6203-20261128-000001"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # demo mode on plain HTTP
    token = cookie.split("=", 1)[1].split(";")[0]
    assert runtime.security.verifier.verify(token).subject == "kapuas.operator"


def test_a_wrong_password_keeps_the_username_and_says_what_happened(web):
    client, _ = web
    response = client.post("/masuk", data={"csrf_token": _csrf(client), "username": "kapuas.operator",
                                           "password": "salah-sekali-123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert LOGIN_REFUSED in page and 'value="kapuas.operator"' in page and "salah-sekali-123" not in page
    assert SESSION_COOKIE not in response.headers.get("Set-Cookie", "")


def test_the_login_form_needs_its_csrf_token(web):
    client, _ = web
    assert client.post("/masuk", data={"username": "kapuas.operator", "password": PASSWORD}).status_code == 400


@pytest.mark.parametrize("target", ["http://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_login_never_redirects_off_the_platform(web, target):
    client, _ = web
    response = client.post("/masuk", data={"csrf_token": _csrf(client), "username": "kapuas.operator",
                                           "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_many_failures_from_one_address_are_slowed_down_but_successes_are_not(web):
    client, _ = web
    token = _csrf(client)
    right = {"csrf_token": token, "username": "kapuas.operator", "password": PASSWORD}
    assert [client.post("/masuk", data=right).status_code for _ in range(12)] == [302] * 12
    wrong = {"csrf_token": token, "username": "x.y.z", "password": "p" * 12}
    codes = [client.post("/masuk", data=wrong).status_code for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    assert client.post("/masuk", data=right).status_code == 429     # this address waits a minute


def test_logging_out_clears_the_session(web):
    client, _ = web
    client.post("/masuk", data={"csrf_token": _csrf(client), "username": "kapuas.operator", "password": PASSWORD})
    response = client.post("/keluar", data={"csrf_token": _csrf(client, "/keluar")})
    assert response.status_code == 302
    cleared = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "Expires=Thu, 01 Jan 1970" in cleared
    assert client.get("/").status_code == 302          # back to the login


# ---- the command line ----------------------------------------------------------------------------

def test_users_create_prints_a_generated_password_once_and_refuses_bad_input(tmp_path):
    env = {"EKTP_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    url = f"sqlite:///{tmp_path / 'enrolment.db'}"
    run_migrations(url, bootstrap.MIGRATIONS)
    engine = create_engine(url)
    _seed_regions(engine)
    engine.dispose()

    def ektp(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ektp_cli", *args], env=env, input=stdin,
                              capture_output=True, text=True, timeout=60)

    made = ektp("users", "create", "selat.kecamatan", "--role", "operator_kecamatan", "--region", "62.03.01")
    assert made.returncode == 0, made.stderr
    password = made.stdout.strip().rsplit(" ", 1)[1]
    assert len(password) >= 16
    listed = ektp("users", "list")
    assert "selat.kecamatan" in listed.stdout and "operator_kecamatan" in listed.stdout and password not in listed.stdout
    refused = ektp("users", "create", "murung.lurah", "--role", "lurah", "--region", "62.03")
    assert refused.returncode == 2 and "region:" in refused.stderr
    chosen = ektp("users", "create", "kapuas.kepala", "--role", "kepala_dinas", "--region", "62.03",
                  "--password-stdin", stdin=PASSWORD + "\n")
    assert chosen.returncode == 0 and PASSWORD not in chosen.stdout
