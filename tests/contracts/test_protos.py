"""The contracts: generated code is fresh, names follow the conventions."""
from __future__ import annotations

import importlib
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTEXTS = ("enrolment", "inventory", "documents", "reporting")


def _tree(path: pathlib.Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def test_generated_code_is_not_stale(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools" / "gen_protos.py"), "--out", str(tmp_path)], check=True)
    fresh, committed = _tree(tmp_path), _tree(ROOT / "protos" / "gen")
    committed = {k: v for k, v in committed.items() if not k.endswith(".egg-info") and "egg-info" not in k}
    stale = sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
    assert not stale, f"protos/gen is stale, run `make protos`: {stale}"


@pytest.mark.parametrize("context", CONTEXTS)
def test_service_and_rpc_names_follow_the_conventions(context):
    module = importlib.import_module(f"ektp.{context}.v1.{context}_pb2")
    services = list(module.DESCRIPTOR.services_by_name.values())
    assert [s.full_name for s in services] == [f"ektp.{context}.v1.{context.capitalize()}Service"]
    for method in services[0].methods:
        if method.name == "StreamEvents":
            assert method.input_type.full_name == "ektp.events.v1.StreamEventsRequest"
            assert method.server_streaming
            continue
        assert method.input_type.name == f"{method.name}Request", method.name
        assert method.output_type.name == f"{method.name}Response", method.name


def test_every_producer_serves_a_feed():
    for context in ("enrolment", "inventory", "documents"):
        module = importlib.import_module(f"ektp.{context}.v1.{context}_pb2")
        service = next(iter(module.DESCRIPTOR.services_by_name.values()))
        assert "StreamEvents" in service.methods_by_name, context
