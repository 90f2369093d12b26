"""`make deploy-check`: everything under deploy/ validated offline, the way a cluster would.

1. Every overlay in deploy/k8s/overlays is rendered with the machine's `kubectl kustomize`.
2. Core kinds are validated with kubernetes-validate --strict against KUBERNETES_VERSION
   (unknown fields are errors).
3. Custom resources (CloudNativePG Cluster / ScheduledBackup, Prometheus Operator
   ServiceMonitor / PodMonitor / PrometheusRule, cert-manager Certificate / Issuer) are
   validated against their published schemas (deploy/crd-check, pinned npm packages of the
   generated validators); a custom kind it has no schema for is an error.
4. The Prometheus rules pass `promtool check rules` and their unit tests `promtool test rules`.

A missing tool is an error: `.ci/run` installs kubectl, promtool and Node.js when missing.
"""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
KUBERNETES_VERSION = "1.32.0"
CRD_CHECK = DEPLOY / "crd-check"
CUSTOM_GROUPS = ("postgresql.cnpg.io/", "monitoring.coreos.com/", "cert-manager.io/")


class CheckFailed(Exception):
    pass


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CheckFailed(f"{name} is not installed (.ci/run installs it)")
    return path


def _run(*command: str, stdin: str | None = None, cwd: pathlib.Path = ROOT) -> str:
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=cwd, timeout=300)
    if done.returncode != 0:
        raise CheckFailed(f"{' '.join(command[:3])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def render(overlay: pathlib.Path) -> list[dict]:
    """The overlay's resources, as kustomize renders them."""
    out = _run(_tool("kubectl"), "kustomize", str(overlay))
    return [doc for doc in yaml.safe_load_all(out) if doc]


def overlays() -> list[pathlib.Path]:
    return sorted(p for p in (DEPLOY / "k8s" / "overlays").iterdir() if (p / "kustomization.yaml").exists())


def is_custom(resource: dict) -> bool:
    return resource.get("apiVersion", "").startswith(CUSTOM_GROUPS)


def validate_core(resources: list[dict], label: str) -> None:
    core = [r for r in resources if not is_custom(r)]
    validator = str(pathlib.Path(sys.executable).parent / "kubernetes-validate")
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / f"{label}.yaml"
        path.write_text(yaml.safe_dump_all(core, sort_keys=False))
        _run(validator, "--strict", "--quiet", "-k", KUBERNETES_VERSION, str(path))
    print(f"  {label}: {len(core)} core resources valid for Kubernetes {KUBERNETES_VERSION} (strict)")


def validate_custom(resources: list[dict], label: str) -> None:
    custom = [r for r in resources if is_custom(r)]
    if not custom:
        return
    if not (CRD_CHECK / "node_modules").exists():
        _run(_tool("npm"), "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", cwd=CRD_CHECK)
    print("  " + _run(_tool("node"), "validate.mjs", stdin=json.dumps(custom), cwd=CRD_CHECK).strip()
          .replace("\n", "\n  ").replace("custom resources", f"{label}: custom resources", 1))


def check_rules() -> None:
    promtool = _tool("promtool")
    rules = sorted((DEPLOY / "monitoring" / "rules").glob("*.yaml"))
    tests = sorted((DEPLOY / "monitoring" / "tests").glob("*.yaml"))
    if not rules or not tests:
        raise CheckFailed("deploy/monitoring needs rule files and their unit tests")
    _run(promtool, "check", "rules", *map(str, rules))
    _run(promtool, "test", "rules", *map(str, tests))
    print(f"  prometheus: {len(rules)} rule file(s) checked, {len(tests)} unit test file(s) passed")


def main() -> int:
    try:
        for overlay in overlays():
            resources = render(overlay)
            validate_core(resources, overlay.name)
            validate_custom(resources, overlay.name)
        check_rules()
    except CheckFailed as failure:
        print(f"deploy-check: {failure}", file=sys.stderr)
        return 1
    print("deploy-check: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
