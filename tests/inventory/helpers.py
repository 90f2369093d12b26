"""Helpers shared by the inventory tests."""
from __future__ import annotations

import pathlib

import grpc
import sqlalchemy as sa
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy.engine import Engine

from inventory import db
from tests.identity import TestIdentity

ISSUERS = ("enrolment", "documents", "reporting")   # the identity provider and inventory's callers


def published_identity(keys_dir: pathlib.Path) -> TestIdentity:
    """A `TestIdentity` whose issuers' public keys are published before the service starts, as
    mounted keys are in production (the service looks for an unknown issuer at most once a
    second, so a key published after startup would be refused for up to a second)."""
    identity = TestIdentity(keys_dir)
    for issuer in ISSUERS:
        identity.issuer(issuer)
    return identity


def error_details(err: grpc.RpcError) -> tuple[dict[str, str], str]:
    """(field -> description of every BadRequest violation, ErrorInfo reason) of a failed call."""
    status = rpc_status.from_call(err)
    assert status is not None, "the error carries no google.rpc.Status"
    violations, reason = {}, ""
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations.update({v.field: v.description for v in bad.field_violations})
        elif detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason = info.reason
    return violations, reason


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table, to prove that a refused request stored nothing."""
    with engine.connect() as conn:
        return {name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for name, table in db.metadata.tables.items()}


def outbox_types(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(db.outbox.c.type).order_by(db.outbox.c.sequence)).scalars())


def audit_entries(engine: Engine) -> list[tuple[str, str, str, str, str, str]]:
    """(actor, role, action, record_type, record_id, origin) of every audit entry, in order."""
    a = db.audit_log.c
    with engine.connect() as conn:
        query = sa.select(a.actor, a.role, a.action, a.record_type, a.record_id, a.origin).order_by(a.seq)
        return [tuple(row) for row in conn.execute(query)]
