"""Writes deploy/k8s/components/monitoring/prometheusrule.yaml from deploy/monitoring/rules/ektp.rules.yaml.

The rule file is the single source: promtool reads it as it is, and the PrometheusRule the
Prometheus Operator needs is the same `groups:` under `spec:`. kustomize cannot put a file's
content into a custom resource's spec, so this script does, text for text (comments included),
and tests/contracts/test_monitoring.py fails when the committed copy differs from its output.

    python deploy/monitoring/render_prometheusrule.py           # rewrite the PrometheusRule
    python deploy/monitoring/render_prometheusrule.py --check   # exit 1 if it is stale
"""
from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "monitoring" / "rules" / "ektp.rules.yaml"
TARGET = ROOT / "deploy" / "k8s" / "components" / "monitoring" / "prometheusrule.yaml"

HEADER = """\
# GENERATED from deploy/monitoring/rules/ektp.rules.yaml by deploy/monitoring/render_prometheusrule.py:
# edit the rule file, then run the script. tests/contracts/test_monitoring.py checks the two agree.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: ektp
  labels:
    app.kubernetes.io/name: ektp
    app.kubernetes.io/part-of: ektp
spec:
"""


def render(rules_text: str) -> str:
    """The PrometheusRule: the rule file from its `groups:` line on, indented under `spec:`."""
    lines = rules_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("groups:"))
    body = "".join(f"  {line}\n" if line.strip() else "\n" for line in lines[start:])
    return HEADER + body


def main(argv: list[str]) -> int:
    expected = render(RULES.read_text(encoding="utf-8"))
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != expected:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python {pathlib.Path(__file__).relative_to(ROOT)}",
                  file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(expected, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
