"""Officers' accounts and login: the identity provider the four services trust.

Enrolment hosts it because it owns the offices and the region table every scope is checked
against. The other services never see a password: they verify the session token this
module issues (an EdDSA JWT signed with enrolment's key) with enrolment's public key.

Rules: usernames are lowercase `a-z 0-9 . _ -`, 3 to 40 characters; passwords at least 12
characters and never the username; hashes are argon2id; five failed logins in a row lock
the account for 15 minutes; a disabled or locked account cannot log in, and the answer never
tells which of "no such user", "wrong password" or "locked" it was.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from servicekit.access import HUMAN_ROLES, Principal, Role, scope_problem
from servicekit.errors import AlreadyExists, FieldViolation, InvalidArgument, NotFound, Unauthenticated
from servicekit.tokens import TokenIssuer

if TYPE_CHECKING:  # the repository imports Account from here
    from enrolment.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
LOGIN_REFUSED = "Nama pengguna atau kata sandi salah, atau akun sedang dikunci. Coba lagi."


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    scope: str
    password_hash: str
    failed_attempts: int
    locked_until: dt.datetime | None
    disabled: bool
    created_at: dt.datetime
    password_changed_at: dt.datetime

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failed_login(self, now: dt.datetime) -> Account:
        failures = self.failed_attempts + 1
        if failures >= MAX_FAILED_LOGINS:
            return replace(self, failed_attempts=0, locked_until=now + LOCKOUT)
        return replace(self, failed_attempts=failures)

    def after_login(self) -> Account:
        return replace(self, failed_attempts=0, locked_until=None)


@dataclass(frozen=True)
class Session:
    token: str
    principal: Principal
    lifetime_seconds: int


def username_problem(username: str) -> str | None:
    if not _USERNAME.match(username):
        return "Nama pengguna 3–40 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung."
    return None


def password_problem(password: str, username: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if password.strip().lower() == username.lower():
        return "Kata sandi tidak boleh sama dengan nama pengguna."
    return None


def generate_password() -> str:
    """16 URL-safe characters (96 bits), shown once to the person who creates the account."""
    return secrets.token_urlsafe(12)


class AccountService:
    def __init__(self, uow: UnitOfWorkFactory, issuer: TokenIssuer, *, session_hours: int = 8,
                 hasher: PasswordHasher | None = None,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)) -> None:
        self._uow = uow
        self._issuer = issuer
        self._session_seconds = session_hours * 3600
        self._hasher = hasher or PasswordHasher()
        self._clock = clock
        # Verified against when the username does not exist, so both answers take as long.
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def create(self, actor: Principal, username: str, role: str, scope: str, password: str) -> Account:
        username = username.strip().lower()
        problems = []
        if problem := username_problem(username):
            problems.append(FieldViolation("username", problem))
        try:
            chosen = Role(role)
            if chosen not in HUMAN_ROLES:
                raise ValueError(role)
        except ValueError:
            chosen = None
            problems.append(FieldViolation("role", "Peran harus salah satu dari: " + ", ".join(HUMAN_ROLES) + "."))
        if chosen is not None and (problem := scope_problem(chosen, scope)):
            problems.append(FieldViolation("region", problem))
        if problem := password_problem(password, username):
            problems.append(FieldViolation("password", problem))
        if problems:
            raise InvalidArgument("Akun tidak dapat dibuat; perbaiki isian yang disebutkan.", violations=problems)
        assert chosen is not None
        now = self._clock()
        account = Account(username, chosen, scope, self._hasher.hash(password), 0, None, False, now, now)
        with self._uow() as uow:
            if uow.regions.get(scope) is None:
                raise InvalidArgument("Akun tidak dapat dibuat.", violations=[
                    FieldViolation("region", "Kode wilayah tidak terdaftar; impor data wilayah dahulu.")])
            if uow.accounts.get(username) is not None:
                raise AlreadyExists("Nama pengguna sudah dipakai.")
            uow.accounts.add(account)
            uow.audit(actor, "account.create", "account", username)
            uow.commit()
        return account

    def exists(self, username: str) -> bool:
        with self._uow(readonly=True) as uow:
            return uow.accounts.get(username) is not None

    def list(self) -> list[Account]:
        with self._uow(readonly=True) as uow:
            return uow.accounts.all()

    def set_password(self, actor: Principal, username: str, password: str) -> None:
        if problem := password_problem(password, username):
            raise InvalidArgument("Kata sandi ditolak.", violations=[FieldViolation("password", problem)])
        self._change(actor, username, "account.password",
                     lambda a: replace(a, password_hash=self._hasher.hash(password), failed_attempts=0,
                                       locked_until=None, password_changed_at=self._clock()))

    def unlock(self, actor: Principal, username: str) -> None:
        self._change(actor, username, "account.unlock", Account.after_login)

    def disable(self, actor: Principal, username: str) -> None:
        self._change(actor, username, "account.disable", lambda a: replace(a, disabled=True))

    def _change(self, actor: Principal, username: str, action: str, change: Callable[[Account], Account]) -> None:
        with self._uow() as uow:
            account = uow.accounts.get(username, for_update=True)
            if account is None:
                raise NotFound("Akun tidak ditemukan.")
            uow.accounts.save(change(account))
            uow.audit(actor, action, "account", username)
            uow.commit()

    def login(self, username: str, password: str, origin: str) -> Session:
        """A session token for the right password of an active, unlocked account; otherwise
        Unauthenticated with one message for every reason. Every attempt is audited."""
        username = username.strip().lower()
        now = self._clock()
        with self._uow() as uow:
            account = uow.accounts.get(username, for_update=True) if _USERNAME.match(username) else None
            if account is None:
                self._verify(self._decoy, password)
                log.warning("login refused", extra={"reason": "unknown account"})
                raise Unauthenticated(LOGIN_REFUSED, reason="LOGIN_REFUSED")
            who = Principal(account.username, account.role, account.scope, origin)
            if account.disabled or account.is_locked(now) or not self._verify(account.password_hash, password):
                if not account.disabled and not account.is_locked(now):
                    account = account.after_failed_login(now)
                    uow.accounts.save(account)
                uow.audit(who, "login.failure", "account", username)
                uow.commit()
                log.warning("login refused", extra={"reason": "refused for a known account"})
                raise Unauthenticated(LOGIN_REFUSED, reason="LOGIN_REFUSED")
            updated = account.after_login()
            if self._hasher.check_needs_rehash(account.password_hash):
                updated = replace(updated, password_hash=self._hasher.hash(password))
            uow.accounts.save(updated)
            uow.audit(who, "login.success", "account", username)
            uow.commit()
        token = self._issuer.issue(subject=account.username, role=account.role, scope=account.scope,
                                   lifetime=self._session_seconds)
        return Session(token, who, self._session_seconds)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


# Demo accounts: one per role in Kab. Kapuas, and a Dinas operator of Kab. Tanah Bumbu to
# show region scope. Created with generated passwords, printed once by `enrolment demo`.
DEMO_ACCOUNTS = (
    ("kapuas.operator", Role.OPERATOR_DINAS, "62.03"),
    ("kapuas.kepala", Role.KEPALA_DINAS, "62.03"),
    ("selat.kecamatan", Role.OPERATOR_KECAMATAN, "62.03.01"),
    ("murung.lurah", Role.LURAH, "62.03.01.1006"),
    ("kalteng.admin", Role.ADMIN_PROVINSI, "62"),
    ("kalteng.auditor", Role.AUDITOR, "62"),
    ("kalteng.ops", Role.OPS, "62"),
    ("tanahbumbu.operator", Role.OPERATOR_DINAS, "63.10"),
)


def create_demo_accounts(accounts: AccountService, actor: Principal) -> list[tuple[str, Role, str, str]]:
    """The demo accounts that did not exist yet, as (username, role, scope, password)."""
    created = []
    for username, role, scope in DEMO_ACCOUNTS:
        if accounts.exists(username):
            continue
        password = generate_password()
        accounts.create(actor, username, role.value, scope, password)
        created.append((username, role, scope, password))
    return created
