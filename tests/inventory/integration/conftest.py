"""A real inventory process (gRPC + HTTP on port 0) on SQLite and on PostgreSQL."""
from __future__ import annotations

import grpc
import pytest

from ektp.inventory.v1 import inventory_pb2_grpc
from inventory import bootstrap
from inventory.config import Settings


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(database_url=database_url, host="127.0.0.1", grpc_port=0, http_port=0,
                    var_dir=tmp_path, offices=("62.03",))


@pytest.fixture
def runtime(settings):
    runtime = bootstrap.build(settings)
    runtime.process.start()
    yield runtime
    runtime.process.stop()


@pytest.fixture
def channel(runtime):
    with grpc.insecure_channel(f"127.0.0.1:{runtime.process.grpc.port}") as channel:
        yield channel


@pytest.fixture
def stub(channel) -> inventory_pb2_grpc.InventoryServiceStub:
    return inventory_pb2_grpc.InventoryServiceStub(channel)
