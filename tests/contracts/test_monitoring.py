"""The monitoring in deploy/ agrees with the services: every metric the rules and dashboards read
is one a service exports (with those labels), every alert has promtool tests that fire it and keep
it quiet, a runbook section, and the PrometheusRule is the rule file, unchanged."""
from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
import yaml
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from documents.metrics import DocumentsMetrics
from enrolment.metrics import EnrolmentMetrics
from inventory.domain import Stock
from inventory.metrics import InventoryMetrics
from reporting.domain import CoverageRow, FactCounts
from reporting.metrics import register_business_metrics
from servicekit.metrics import ServiceMetrics
from tests.conftest import require_tool

ROOT = pathlib.Path(__file__).resolve().parents[2]
MONITORING = ROOT / "deploy" / "monitoring"
RULES = MONITORING / "rules" / "ektp.rules.yaml"
PROMTOOL_TESTS = sorted((MONITORING / "tests").glob("*.yaml"))
DASHBOARDS = sorted((MONITORING / "dashboards").glob("*.json"))
COMPONENT = ROOT / "deploy" / "k8s" / "components" / "monitoring"
OPERATIONS = ROOT / "docs" / "operations.md"
CONTEXTS = ("enrolment", "inventory", "documents", "reporting")

# The runbook of each alert: a section of docs/operations.md headed by the alert's name.
RUNBOOK_ANCHORS = {
    "EktpServiceDown": "docs/operations.md#ektpservicedown",
    "EktpDatabaseDown": "docs/operations.md#ektpdatabasedown",
    "EktpHighErrorRatio": "docs/operations.md#ektphigherrorratio",
    "EktpHighLatencyP99": "docs/operations.md#ektphighlatencyp99",
    "EktpOutboxLag": "docs/operations.md#ektpoutboxlag",
    "EktpBlanksLow": "docs/operations.md#ektpblankslow",
    "EktpBlanksOut": "docs/operations.md#ektpblanksout",
    "EktpSuketExpiring": "docs/operations.md#ektpsuketexpiring",
}
# Labels Prometheus adds to every scraped series (target labels of the Prometheus Operator).
TARGET_LABELS = {"namespace", "job", "instance", "pod", "service", "container", "endpoint"}


# ---- what the services export ----------------------------------------------------------

def _exposition() -> str:
    """Every service's registry built as its bootstrap builds it, each metric given one sample
    through the code's own API, rendered as Prometheus scrapes it."""
    registries: list[CollectorRegistry] = []
    for context in CONTEXTS:
        metrics = ServiceMetrics(context)
        metrics.grpc_requests.labels("GetThing", "OK").inc()
        metrics.grpc_latency.labels("GetThing").observe(0.01)
        metrics.http_requests.labels("/", "200").inc()
        metrics.outbox_last_sequence.set(1)
        metrics.consumer_sequence.labels("enrolment").set(1)
        metrics.consumer_applied.labels("enrolment").inc()
        metrics.consumer_errors.labels("enrolment").inc()
        metrics.db_up.set(1)
        registries.append(metrics.registry)
        if context == "enrolment":
            enrolment = EnrolmentMetrics(metrics.registry)
            enrolment.recorded("62.03", "PRINT_READY")
            enrolment.rejected(["nik"])
        elif context == "inventory":
            inventory = InventoryMetrics(metrics.registry)
            inventory.reserved("62.03")
            inventory.blank_consumed("62.03")
            inventory.watch_available(lambda: [Stock("62.03", available=5)])
        elif context == "documents":
            documents = DocumentsMetrics(metrics)
            documents.issued.labels(kind="SUKET", office_code="62.03").inc()
            documents.render_seconds.labels(kind="SUKET").observe(0.1)
        else:
            register_business_metrics(metrics.registry,
                                      lambda: [CoverageRow("62.03", "Kapuas", 10, FactCounts(recorded=1))],
                                      lambda: {"62.03": 1})
    return "".join(generate_latest(registry).decode() for registry in registries)


@pytest.fixture(scope="module")
def exported() -> dict[str, set[str]]:
    """Series name -> its label names, as scraped."""
    series: dict[str, set[str]] = {}
    for family in text_string_to_metric_families(_exposition()):
        for sample in family.samples:
            series.setdefault(sample.name, set()).update(sample.labels)
    return series


# ---- what the rules and dashboards read ------------------------------------------------

def _rules() -> list[dict]:
    return [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]


def _alerts() -> list[dict]:
    return [rule for rule in _rules() if "alert" in rule]


def _recorded() -> set[str]:
    return {rule["record"] for rule in _rules() if "record" in rule}


def _dashboard_exprs() -> Iterator[tuple[str, str]]:
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text())
        for panel in dashboard["panels"]:
            for target in panel.get("targets", []):
                yield path.name, target["expr"]
        for variable in dashboard["templating"]["list"]:
            if variable["type"] == "query":
                yield path.name, variable["definition"]


def _all_exprs() -> list[tuple[str, str]]:
    return [(rule.get("alert") or rule["record"], rule["expr"]) for rule in _rules()] + list(_dashboard_exprs())


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_METRIC = re.compile(r"(?<![\w:$])(ektp[_:][A-Za-z0-9_:]*)")
_SELECTOR = re.compile(r"(?<![\w:])(ektp_[A-Za-z0-9_]+)\s*\{([^}]*)\}")
_MATCHER = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)")
_NAME_REWRITE = re.compile(
    r'label_replace\(\{__name__=~"([^"]+)"\},\s*"service",\s*"\$1",\s*"__name__",\s*"([^"]+)"\)')


def _metric_names(expr: str) -> set[str]:
    """Metric names written out in a PromQL expression (names inside strings are patterns)."""
    return set(_METRIC.findall(_STRING.sub('""', expr)))


def test_rules_and_dashboards_read_metrics_the_services_export_or_the_rules_record(exported):
    recorded = _recorded()
    unknown = {(where, name) for where, expr in _all_exprs() for name in _metric_names(expr)
               if name not in (recorded if ":" in name else exported)}
    assert not unknown, f"not exported by any service nor recorded in {RULES.name}: {sorted(unknown)}"


def test_label_matchers_on_service_metrics_name_labels_they_carry(exported):
    wrong = set()
    for where, expr in _all_exprs():
        for name, matchers in _SELECTOR.findall(expr):
            for label in _MATCHER.findall(_STRING.sub('""', matchers)):
                if label not in exported.get(name, set()) | TARGET_LABELS:
                    wrong.add((where, name, label))
    assert not wrong, sorted(wrong)


def test_each_name_pattern_covers_the_four_services_and_captures_the_context(exported):
    rewrites = [match for _, expr in _all_exprs() for match in _NAME_REWRITE.findall(expr)]
    assert len(rewrites) >= 8
    for selector, capture in rewrites:
        matched = {name for name in exported if re.fullmatch(selector, name)}
        contexts = {re.fullmatch(capture, name).group(1) for name in matched}
        assert contexts == set(CONTEXTS), (selector, sorted(matched))


def test_the_suket_expiring_gauge_is_exported_per_kabupaten(exported):
    assert exported["ektp_reporting_suket_expiring"] == {"region_code"}


# ---- alerts ----------------------------------------------------------------------------

def _promtool_cases() -> list[dict]:
    return [case for path in PROMTOOL_TESTS for test in yaml.safe_load(path.read_text())["tests"]
            for case in test.get("alert_rule_test", [])]


def test_every_alert_has_a_promtool_test_that_fires_it_and_one_where_it_stays_quiet():
    names = {rule["alert"] for rule in _alerts()}
    fired = {case["alertname"] for case in _promtool_cases() if case.get("exp_alerts")}
    quiet = {case["alertname"] for case in _promtool_cases() if not case.get("exp_alerts")}
    assert names == set(RUNBOOK_ANCHORS)
    assert names <= fired, f"never fired in {MONITORING / 'tests'}: {sorted(names - fired)}"
    assert names <= quiet, f"never shown quiet in {MONITORING / 'tests'}: {sorted(names - quiet)}"


def test_promtool_tests_evaluate_the_rule_file_groups_in_order():
    groups = [group["name"] for group in yaml.safe_load(RULES.read_text())["groups"]]
    for path in PROMTOOL_TESTS:
        spec = yaml.safe_load(path.read_text())
        assert [(path.parent / f).resolve() for f in spec["rule_files"]] == [RULES.resolve()]
        assert spec["group_eval_order"] == groups, path.name


@pytest.mark.parametrize("alert", _alerts(), ids=lambda rule: f"{rule['alert']}-{rule['labels'].get('cause', '')}")
def test_every_alert_has_a_severity_an_english_summary_and_description_and_its_runbook(alert):
    assert alert["labels"]["severity"] in {"critical", "warning"}
    assert alert["annotations"]["summary"].strip()
    assert len(alert["annotations"]["description"].split()) >= 10
    assert alert["annotations"]["runbook_url"] == RUNBOOK_ANCHORS[alert["alert"]]


def _github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_runbook_anchors_are_sections_of_the_operations_guide():
    anchors = {url.split("#", 1)[1] for url in RUNBOOK_ANCHORS.values()}
    assert anchors == {name.lower() for name in RUNBOOK_ANCHORS}
    headings = {_github_anchor(line.lstrip("#")) for line in OPERATIONS.read_text().splitlines()
                if line.startswith("#")}
    assert anchors <= headings, f"docs/operations.md lacks sections for {sorted(anchors - headings)}"


def test_promtool_checks_the_rules_and_passes_their_unit_tests():
    promtool = require_tool("promtool")
    check = subprocess.run([promtool, "check", "rules", str(RULES)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    tests = subprocess.run([promtool, "test", "rules", *map(str, PROMTOOL_TESTS)], capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout + tests.stderr


# ---- the Kubernetes side ---------------------------------------------------------------

def test_the_prometheusrule_is_the_rule_file_unchanged():
    generated = subprocess.run([sys.executable, str(MONITORING / "render_prometheusrule.py"), "--check"],
                               capture_output=True, text=True)
    assert generated.returncode == 0, generated.stderr
    resource = yaml.safe_load((COMPONENT / "prometheusrule.yaml").read_text())
    assert (resource["apiVersion"], resource["kind"]) == ("monitoring.coreos.com/v1", "PrometheusRule")
    assert resource["spec"] == yaml.safe_load(RULES.read_text())


@pytest.mark.parametrize("context", CONTEXTS)
def test_a_servicemonitor_scrapes_each_service_http_port(context):
    monitor = yaml.safe_load((COMPONENT / f"servicemonitor-{context}.yaml").read_text())
    assert monitor["kind"] == "ServiceMonitor"
    assert monitor["spec"]["selector"] == {"matchLabels": {"app.kubernetes.io/name": context,
                                                         "app.kubernetes.io/component": "server"}}
    assert monitor["spec"]["jobLabel"] == "app.kubernetes.io/name"   # job=<context>, as EktpServiceDown expects
    [endpoint] = monitor["spec"]["endpoints"]
    assert (endpoint["port"], endpoint["path"], endpoint["interval"]) == ("http", "/metrics", "30s")


def test_the_component_renders_the_monitors_the_rule_and_the_dashboards(tmp_path):
    kubectl = require_tool("kubectl")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(yaml.safe_dump({
        "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "namespace": "ektp",
        "components": [os.path.relpath(COMPONENT, overlay)]}))
    built = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    resources = {(r["kind"], r["metadata"]["name"]): r for r in yaml.safe_load_all(built.stdout)}
    assert {name for kind, name in resources if kind == "ServiceMonitor"} == set(CONTEXTS)
    assert resources[("PrometheusRule", "ektp")]["spec"] == yaml.safe_load(RULES.read_text())
    for path in DASHBOARDS:
        configmap = resources[("ConfigMap", f"ektp-dashboard-{path.stem.removeprefix('ektp-')}")]
        assert configmap["metadata"]["labels"]["grafana_dashboard"] == "1"
        assert configmap["data"] == {path.name: path.read_text()}
    assert {r["metadata"]["namespace"] for r in resources.values()} == {"ektp"}


# ---- dashboards ------------------------------------------------------------------------

def _panels(panels: list[dict]) -> Iterator[dict]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboards_are_grafana_models_with_unique_panel_ids_and_a_datasource_variable(path):
    dashboard = json.loads(path.read_text())
    assert dashboard["schemaVersion"] == 39
    assert dashboard["uid"] == path.stem
    panels = list(_panels(dashboard["panels"]))
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids)), ids
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert (variables["datasource"]["type"], variables["datasource"]["query"]) == ("datasource", "prometheus")
    for panel in panels:
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"] and all(t["expr"].strip() for t in panel["targets"]), panel["title"]
        assert all(t["datasource"]["uid"] == "${datasource}" for t in panel["targets"]), panel["title"]


def test_the_red_dashboard_has_a_service_variable_and_the_business_one_covers_its_subjects():
    red = json.loads((MONITORING / "dashboards" / "ektp-red.json").read_text())
    assert "service" in {v["name"] for v in red["templating"]["list"]}
    business = (MONITORING / "dashboards" / "ektp-business.json").read_text()
    for metric in ("ektp_reporting_coverage_ratio", "ektp_reporting_print_ready_backlog",
                   "ektp_reporting_suket_outstanding", "ektp_reporting_suket_expiring",
                   "ektp:inventory_blanks_available:max", "ektp:inventory_blanks:days_of_cover",
                   "ektp_inventory_reservations_total", "ektp_documents_issued_total"):
        assert metric in business
