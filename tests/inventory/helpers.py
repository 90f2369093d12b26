"""Helpers shared by the inventory tests."""
from __future__ import annotations

import grpc
import sqlalchemy as sa
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy.engine import Engine

from inventory import db


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
