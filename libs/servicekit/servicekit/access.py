"""Who may do what: roles, region scope, principals and the per-service rule tables.

Pure Python (domain and service modules may import it). Each service keeps one table in its
own `access.py`: every gRPC method and every HTTP endpoint has exactly one `Rule`, and the
gate (servicekit.grpcserver / servicekit.web) refuses anything without one. The table says
which roles may call; *which records* they may touch is the region scope, checked by the use
case once it knows the record's region (`Principal.require_region`).
"""
from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from servicekit.errors import PermissionDenied, Unauthenticated


class Role(enum.StrEnum):
    OPERATOR_KECAMATAN = "operator_kecamatan"   # records residents of one kecamatan
    OPERATOR_DINAS = "operator_dinas"           # the Dinas desk of one kabupaten: records, prints, Suket, stock
    KEPALA_DINAS = "kepala_dinas"               # head of the Dinas: all of the above, signs
    ADMIN_PROVINSI = "admin_provinsi"           # provincial IT: targets, regions, procurement, stock overview
    AUDITOR = "auditor"                         # reads everything in scope, writes nothing
    LURAH = "lurah"                             # sees recording status in one desa/kelurahan; never prints or issues
    OPS = "ops"                                 # health and metrics only
    SERVICE = "service"                         # another ektp service (never a person)


HUMAN_ROLES = tuple(r for r in Role if r is not Role.SERVICE)

ROLE_LABELS = {
    Role.OPERATOR_KECAMATAN: "Operator kecamatan",
    Role.OPERATOR_DINAS: "Operator Dinas",
    Role.KEPALA_DINAS: "Kepala Dinas",
    Role.ADMIN_PROVINSI: "Admin provinsi",
    Role.AUDITOR: "Auditor",
    Role.LURAH: "Lurah / kepala desa",
    Role.OPS: "Operasional (ops)",
    Role.SERVICE: "Layanan",
}

# The region level (number of code parts: 62 / 62.03 / 62.03.01 / 62.03.01.2001) a role's scope
# may have. A lurah is one desa; a kecamatan operator one kecamatan; the Dinas one kabupaten.
SCOPE_LEVELS: dict[Role, frozenset[int]] = {
    Role.OPERATOR_KECAMATAN: frozenset({3}),
    Role.OPERATOR_DINAS: frozenset({2}),
    Role.KEPALA_DINAS: frozenset({2}),
    Role.ADMIN_PROVINSI: frozenset({1}),
    Role.AUDITOR: frozenset({1, 2}),
    Role.LURAH: frozenset({4}),
    Role.OPS: frozenset({1, 2}),
}
_LEVEL_NAMES = {1: "provinsi (mis. 62)", 2: "kabupaten/kota (mis. 62.03)",
                3: "kecamatan (mis. 62.03.01)", 4: "desa/kelurahan (mis. 62.03.01.2001)"}
_REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")

EVERYWHERE = "*"   # the scope of a service identity


def scope_problem(role: Role, scope: str) -> str | None:
    """Why `scope` cannot be the region scope of `role`, or None when it can."""
    if not _REGION_CODE.match(scope):
        return "Kode wilayah harus berformat Kemendagri, mis. 62, 62.03, 62.03.01 atau 62.03.01.2001."
    levels = SCOPE_LEVELS.get(role)
    if levels is None:
        return "Peran ini tidak dapat diberikan kepada pengguna."
    if scope.count(".") + 1 not in levels:
        return f"Wilayah {ROLE_LABELS[role]} harus tingkat " + " atau ".join(_LEVEL_NAMES[n] for n in sorted(levels)) + "."
    return None


def region_covers(scope: str, region_code: str) -> bool:
    """62.03 covers 62.03, 62.03.01 and 62.03.01.2001, not 62.3x or 63.10."""
    return scope == EVERYWHERE or region_code == scope or region_code.startswith(scope + ".")


@dataclass(frozen=True)
class Principal:
    """Who is calling: an officer (from a session token) or a service identity."""

    subject: str            # officer username, or "service:<name>"
    role: Role
    scope: str              # region code, or EVERYWHERE for services
    origin: str = ""        # where the request came from (client address, "cli", "consumer"), for the audit log

    @classmethod
    def service(cls, name: str, origin: str = "") -> Principal:
        return cls(f"service:{name}", Role.SERVICE, EVERYWHERE, origin)

    @property
    def is_service(self) -> bool:
        return self.role is Role.SERVICE

    @property
    def service_name(self) -> str | None:
        return self.subject.removeprefix("service:") if self.is_service else None

    def covers(self, region_code: str) -> bool:
        return region_covers(self.scope, region_code)

    def sees(self, region_code: str) -> bool:
        """For aggregates (stock of an office, coverage of a region): the region is inside the
        scope or contains it. A kecamatan operator sees its kabupaten's stock; nobody but a
        service sees the whole country at once."""
        return self.covers(region_code) or (region_code != "" and region_covers(region_code, self.scope))

    def require_region(self, region_code: str) -> None:
        """Refuse a record (a resident, a document, a blank) outside this principal's region."""
        if not self.covers(region_code):
            raise PermissionDenied("Data ini di luar wilayah kewenangan Anda.", reason="OUT_OF_SCOPE")

    def require_view(self, region_code: str) -> None:
        """Refuse an aggregate of a region this principal does not `sees`."""
        if not self.sees(region_code):
            raise PermissionDenied("Wilayah ini di luar kewenangan Anda.", reason="OUT_OF_SCOPE")

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise PermissionDenied("Peran Anda tidak berwenang untuk tindakan ini.", reason="ROLE_NOT_ALLOWED")

    def with_origin(self, origin: str) -> Principal:
        return replace(self, origin=origin)


@dataclass(frozen=True)
class Rule:
    """Who may call one method or endpoint. `public`: anyone, without a token."""

    roles: frozenset[Role] = frozenset()
    services: frozenset[str] = field(default_factory=frozenset)
    public: bool = False

    def allows(self, principal: Principal) -> bool:
        if self.public:
            return True
        if principal.is_service:
            return principal.service_name in self.services
        return principal.role in self.roles


def allow(*roles: Role, services: Iterable[str] = ()) -> Rule:
    return Rule(roles=frozenset(roles), services=frozenset(services))


PUBLIC = Rule(public=True)


class AccessPolicy:
    """One service's table: name (gRPC method or Flask endpoint) -> Rule. Deny by default."""

    def __init__(self, rules: Mapping[str, Rule]) -> None:
        self.rules = dict(rules)

    def rule(self, name: str) -> Rule | None:
        return self.rules.get(name)

    def permits(self, name: str, principal: Principal | None) -> bool:
        """Whether a page should offer the action `name` to `principal` (signed in, or None):
        the same rule `authorize` applies when the action is sent, so no button leads to a 403."""
        rule = self.rules.get(name)
        return rule is not None and (rule.public or (principal is not None and rule.allows(principal)))

    def authorize(self, name: str, principal: Principal | None) -> None:
        rule = self.rules.get(name)
        if rule is None:
            raise PermissionDenied("Tindakan ini belum memiliki aturan akses.", reason="NO_ACCESS_RULE")
        if rule.public:
            return
        if principal is None:
            raise Unauthenticated("Silakan masuk terlebih dahulu.", reason="UNAUTHENTICATED")
        if not rule.allows(principal):
            raise PermissionDenied("Peran Anda tidak berwenang untuk tindakan ini.", reason="ROLE_NOT_ALLOWED")
