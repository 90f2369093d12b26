// Validates custom resources (a JSON array on stdin) against the schemas published for their
// operators, as generated validators (pinned in package.json): CloudNativePG, the Prometheus
// Operator and cert-manager. A kind without a schema here is an error, never silently skipped.
import { Certificate, Issuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1";
import { Cluster, ScheduledBackup } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1";
import { PodMonitor, PrometheusRule, ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const MODELS = {
  "cert-manager.io/v1/Certificate": Certificate,
  "cert-manager.io/v1/Issuer": Issuer,
  "postgresql.cnpg.io/v1/Cluster": Cluster,
  "postgresql.cnpg.io/v1/ScheduledBackup": ScheduledBackup,
  "monitoring.coreos.com/v1/PodMonitor": PodMonitor,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const resources = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const counts = {};
const failures = [];
for (const resource of resources) {
  const key = `${resource.apiVersion}/${resource.kind}`;
  const name = `${key} ${resource.metadata?.name ?? "(no name)"}`;
  const Model = MODELS[key];
  if (!Model) {
    failures.push(`${name}: no schema to check this kind against`);
    continue;
  }
  try {
    new Model(resource).validate();
    counts[resource.kind] = (counts[resource.kind] ?? 0) + 1;
  } catch (error) {
    failures.push(`${name}: ${error.message}`);
  }
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
const summary = Object.entries(counts).map(([kind, n]) => `${kind} ${n}`).join(", ");
console.log(`custom resources: ${resources.length} valid against their operators' schemas (${summary})`);
