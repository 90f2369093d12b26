"""The layering rules of CONVENTIONS.md, checked on the source so they cannot drift."""
from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTEXTS = ("enrolment", "inventory", "documents", "reporting")
INFRASTRUCTURE = ("sqlalchemy", "grpc", "grpc_status", "grpc_health", "flask", "google", "ektp", "alembic", "waitress")


def _imports(path: pathlib.Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(context: str) -> list[pathlib.Path]:
    return sorted((ROOT / "services" / context / context).glob("*.py"))


def _top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("context", CONTEXTS)
def test_domain_is_pure_python(context):
    imports = _imports(ROOT / "services" / context / context / "domain.py")
    servicekit_modules = {i for i in imports if _top(i) == "servicekit"} - {"servicekit.errors"}
    assert not {i for i in imports if _top(i) in INFRASTRUCTURE}, imports
    assert not servicekit_modules, servicekit_modules


@pytest.mark.parametrize("context", CONTEXTS)
def test_use_cases_never_see_generated_protobuf_types(context):
    imports = _imports(ROOT / "services" / context / context / "service.py")
    assert not {i for i in imports if _top(i) in {"ektp", "grpc", "flask"} or i.endswith("_pb2")}, imports


@pytest.mark.parametrize("context", CONTEXTS)
def test_no_service_imports_another_service(context):
    others = set(CONTEXTS) - {context}
    for module in _modules(context):
        assert not {i for i in _imports(module) if _top(i) in others}, module.name


@pytest.mark.parametrize("context", CONTEXTS)
def test_environment_is_read_only_in_config(context):
    for module in _modules(context):
        if module.name == "config.py":
            continue
        assert "os.environ" not in module.read_text() and "getenv" not in module.read_text(), module.name


@pytest.mark.parametrize("module", ["errors.py", "access.py"])
def test_servicekit_errors_and_access_rules_stay_pure(module):
    """Use cases raise these errors and check these scopes without touching infrastructure."""
    imports = _imports(ROOT / "libs/servicekit/servicekit" / module)
    assert not {i for i in imports if _top(i) in INFRASTRUCTURE}, imports


@pytest.mark.parametrize("context", CONTEXTS)
def test_every_service_serves_behind_its_gates(context):
    """gRPC and HTTP get the service's own access tables; `gate=None` is for servicekit's tests only."""
    source = (ROOT / "services" / context / context / "bootstrap.py").read_text()
    assert "gate=None" not in source
    assert "grpc_gate(GRPC_POLICY" in source and "web_gate(HTTP_POLICY)" in source
    access = _imports(ROOT / "services" / context / context / "access.py")
    assert access <= {"__future__", "servicekit.access"}, access   # a table, not logic
