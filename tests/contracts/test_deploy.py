"""The Kubernetes manifests agree with the code and with the operating rules.

`make deploy-check` proves the manifests are valid Kubernetes; these tests prove they are the
right ones: each pod runs restricted with probes and resources, every secret path it is told
about is really mounted read-only, each service's own `Settings.from_env` accepts the
environment the manifests give it, the network allows exactly the calls the services make, and
the four Dockerfiles stay one recipe.
"""
from __future__ import annotations

import importlib
import pathlib
import re
import subprocess

import pytest
import yaml

from tests.conftest import require_tool
from tools.processes import GRPC_SERVICE, ROOT

OVERLAYS = ("dev", "prod")
SECRETS_ROOT = "/var/run/secrets/ektp"
MIGRATION_NEEDS = {*(f"{s.upper()}_DATABASE_URL_FILE" for s in GRPC_SERVICE), "DOCUMENTS_SIGNING_KEY_FILE",
                   "DOCUMENTS_DATA_KEYS_DIR"}
CALLS = {"documents": {"enrolment", "inventory"}, "reporting": {"enrolment", "inventory", "documents"}}


def _render(overlay: str) -> list[dict]:
    out = subprocess.run([require_tool("kubectl"), "kustomize", str(ROOT / "deploy" / "k8s" / "overlays" / overlay)],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request) -> tuple[str, list[dict]]:
    return request.param, _render(request.param)


def _of(resources: list[dict], kind: str) -> list[dict]:
    return [r for r in resources if r["kind"] == kind]


def _workloads(resources):
    """(resource, pod spec, the service container) of every Deployment and migration Job."""
    for resource in _of(resources, "Deployment") + _of(resources, "Job"):
        spec = resource["spec"]["template"]["spec"]
        yield resource, spec, spec["containers"][0]


def _service(resource: dict) -> str:
    return resource["metadata"]["labels"]["app.kubernetes.io/name"]


def test_every_pod_runs_restricted_with_resources(rendered):
    _, resources = rendered
    for resource, spec, container in _workloads(resources):
        name = resource["metadata"]["name"]
        pod, own = spec["securityContext"], container["securityContext"]
        assert pod["runAsNonRoot"] and pod["runAsUser"] == 10001 and pod["seccompProfile"]["type"] == "RuntimeDefault", name
        assert own["readOnlyRootFilesystem"] and own["allowPrivilegeEscalation"] is False, name
        assert own["capabilities"]["drop"] == ["ALL"], name
        assert spec["automountServiceAccountToken"] is False, name
        assert container["resources"]["requests"]["cpu"] and container["resources"]["limits"]["memory"], name
        volumes = {v["name"]: v for v in spec["volumes"]}
        writable = {m["mountPath"] for m in container["volumeMounts"] if "emptyDir" in volumes[m["name"]]}
        assert writable == {"/var/lib/ektp", "/tmp"}, name


def test_servers_probe_health_on_the_plaintext_port_and_drain_before_stopping(rendered):
    _, resources = rendered
    for deployment in _of(resources, "Deployment"):
        service = _service(deployment)
        if service not in GRPC_SERVICE:
            continue   # dev's databases are StatefulSets; nothing else is a Deployment
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert set(ports) == {"grpc", "http", "grpc-health"}, service
        readiness, liveness = container["readinessProbe"]["grpc"], container["livenessProbe"]["grpc"]
        assert readiness == {"port": ports["grpc-health"], "service": GRPC_SERVICE[service]}
        assert liveness == {"port": ports["grpc-health"], "service": "liveness"}
        assert container["lifecycle"]["preStop"]["exec"]["command"][0] == "sleep"
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
        assert container["args"] == ["serve"]


def _config(resources: list[dict], service: str) -> dict[str, str]:
    (config,) = [c for c in _of(resources, "ConfigMap") if c["metadata"]["name"] == f"ektp-{service}"]
    return config["data"]


def test_every_key_path_a_pod_is_given_is_a_read_only_mount(rendered):
    _, resources = rendered
    for resource, spec, container in _workloads(resources):
        volumes = {v["name"]: v for v in spec["volumes"]}
        mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
        for key, path in _config(resources, _service(resource)).items():
            if not path.startswith(SECRETS_ROOT):
                continue
            if resource["kind"] == "Job" and key not in MIGRATION_NEEDS:
                continue   # a migration reads the database URL only (documents' settings also check its keys)
            mount = next((m for p, m in mounts.items() if path == p or path.startswith(p + "/")), None)
            assert mount is not None, f"{resource['metadata']['name']}: {key}={path} is not mounted"
            assert mount.get("readOnly"), f"{resource['metadata']['name']}: {mount['mountPath']} is writable"
            volume = volumes[mount["name"]]
            assert "secret" in volume or "configMap" in volume or "projected" in volume, key


def test_each_service_accepts_the_environment_its_manifests_give_it(rendered, tmp_path, monkeypatch):
    """The service's own Settings.from_env, on the ConfigMap with its files in place: a misspelt
    variable or a missing setting fails here, not in the cluster."""
    overlay, resources = rendered
    for service in GRPC_SERVICE:
        env = {}
        for key, value in _config(resources, service).items():
            if value.startswith(SECRETS_ROOT):
                value = str(tmp_path / service / value.removeprefix(SECRETS_ROOT + "/"))
                target = pathlib.Path(value)
                if key.endswith("_DIR"):
                    target.mkdir(parents=True, exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text("postgresql://app:x@db:5432/app" if key.endswith("DATABASE_URL_FILE") else "k")
            env[key] = value
        settings = importlib.import_module(f"{service}.config").Settings.from_env(env)
        assert settings.mode == "production" and settings.health_port > 0
        assert settings.database_url.startswith("postgresql://")
        assert settings.reflection is (overlay == "dev")
        assert (settings.security.tls is not None) is (overlay == "prod")
        assert settings.security.cookie_domain
        for callee in CALLS.get(service, ()):
            assert env[f"{callee.upper()}_GRPC_TARGET"].startswith(f"{callee}:")


def test_officers_reach_each_service_at_its_public_address_through_one_trusted_proxy(rendered):
    overlay, resources = rendered
    ingresses = {_service(i): i for i in _of(resources, "Ingress") if _port_name(i) == "http"}
    assert set(ingresses) == set(GRPC_SERVICE)
    for service, ingress in ingresses.items():
        config = _config(resources, service)
        host = config[f"{service.upper()}_PUBLIC_URL"].split("://", 1)[1].rstrip("/")
        (rule,) = ingress["spec"]["rules"]
        assert rule["host"] == host
        assert rule["http"]["paths"][0]["backend"]["service"] == {"name": service, "port": {"name": "http"}}
        assert bool(ingress["spec"].get("tls")) is (overlay == "prod")
        assert config["EKTP_TRUSTED_PROXY_COUNT"] == "1"   # the ingress controller, for the audit's client address


def _port_name(ingress: dict) -> str:
    return ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["name"]


def test_field_devices_reach_enrolment_grpc_through_the_ingress_with_its_client_certificate():
    """Production only (mutual TLS): one gRPC Ingress, to enrolment, over TLS at both ends; the
    controller's client certificate comes from the platform CA and names no service."""
    resources = _render("prod")
    grpc_ingresses = [i for i in _of(resources, "Ingress") if _port_name(i) == "grpc"]
    assert [(_service(i), i["metadata"]["name"]) for i in grpc_ingresses] == [("enrolment", "enrolment-grpc")]
    (ingress,) = grpc_ingresses
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/backend-protocol"] == "GRPCS"
    secret_namespace, secret = notes["nginx.ingress.kubernetes.io/proxy-ssl-secret"].split("/")
    assert secret_namespace == ingress["metadata"]["namespace"] == "ektp"
    assert notes["nginx.ingress.kubernetes.io/proxy-ssl-verify"] == "on"
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]
    certificates = {c["spec"]["secretName"]: c for c in _of(resources, "Certificate")}
    client = certificates[secret]["spec"]
    assert client["usages"] == ["client auth"] and client["commonName"] not in GRPC_SERVICE
    assert client["issuerRef"]["name"] == certificates["ektp-enrolment-tls"]["spec"]["issuerRef"]["name"]
    assert not [i for i in _of(_render("dev"), "Ingress") if _port_name(i) == "grpc"]


def _selects(policy: dict, labels: dict) -> bool:
    wanted = policy["spec"]["podSelector"].get("matchLabels", {})
    return bool(wanted) and all(labels.get(k) == v for k, v in wanted.items())


def _server_labels(service: str) -> dict:
    return {"app.kubernetes.io/name": service, "app.kubernetes.io/component": "server",
            "app.kubernetes.io/part-of": "ektp"}


def test_production_denies_all_traffic_but_the_calls_the_services_make():
    resources = _render("prod")
    policies = _of(resources, "NetworkPolicy")
    deny = [p for p in policies if p["spec"]["podSelector"] == {}]
    assert len(deny) == 1 and set(deny[0]["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny[0]["spec"] and "egress" not in deny[0]["spec"]
    grpc_port = {}
    for deployment in _of(resources, "Deployment"):
        ports = {p["name"]: p["containerPort"] for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]}
        grpc_port[_service(deployment)] = ports["grpc"]
    for service in GRPC_SERVICE:
        (own,) = [p for p in policies if _selects(p, _server_labels(service))]
        allowed = set()
        for rule in own["spec"].get("egress", []):
            for peer in rule.get("to", []):
                target = peer.get("podSelector", {}).get("matchLabels", {})
                if target.get("app.kubernetes.io/component") == "server":
                    assert [p["port"] for p in rule["ports"]] == [grpc_port[target["app.kubernetes.io/name"]]]
                    allowed.add(target["app.kubernetes.io/name"])
        assert allowed == CALLS.get(service, set()), service
        callers = {peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
                   for rule in own["spec"].get("ingress", []) for peer in rule.get("from", [])
                   if peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/component") == "server"}
        assert callers == {caller for caller, callees in CALLS.items() if service in callees}, service


def test_production_scales_each_service_and_gives_it_a_database_cluster():
    resources = _render("prod")
    assert {_service(h) for h in _of(resources, "HorizontalPodAutoscaler")} == set(GRPC_SERVICE)
    assert {_service(p) for p in _of(resources, "PodDisruptionBudget")} == set(GRPC_SERVICE)
    clusters = _of(resources, "Cluster")
    assert len(clusters) == 4 and all(c["spec"]["instances"] >= 3 for c in clusters)
    assert all(h["apiVersion"] == "autoscaling/v2" for h in _of(resources, "HorizontalPodAutoscaler"))


def test_the_four_dockerfiles_are_one_recipe():
    """Each service has its own Dockerfile (built from the repository root); they must not drift."""
    def normalised(service: str) -> str:
        text = (ROOT / "services" / service / "Dockerfile").read_text()
        grpc, http = {"enrolment": (50051, 8001), "inventory": (50052, 8002), "documents": (50053, 8003),
                      "reporting": (50054, 8004)}[service]
        text = re.sub(rf"\b{grpc + 1000}\b", "HEALTH", re.sub(rf"\b{grpc}\b", "GRPC", re.sub(rf"\b{http}\b", "HTTP", text)))
        text = re.sub(r'description="[^"]*"', 'description=""', text)
        return re.sub(r"^# The ektp .*$", "", text.replace(service, "SERVICE"), flags=re.MULTILINE)

    recipes = {service: normalised(service) for service in GRPC_SERVICE}
    assert len(set(recipes.values())) == 1
    recipe = recipes["enrolment"]
    assert recipe.count("FROM ") == 2 and "USER 10001:10001" in recipe
    assert 'ENTRYPOINT ["python", "-m", "SERVICE"]' in recipe and "ADD http" not in recipe
