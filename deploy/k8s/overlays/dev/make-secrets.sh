#!/usr/bin/env bash
# make-secrets.sh: create the Secrets the dev overlay refers to but never ships, and the public
# keys in ConfigMap ektp-trusted-keys. Run it against the dev cluster before (or after)
# `kubectl apply -k deploy/k8s/overlays/dev`:
#
#   deploy/k8s/overlays/dev/make-secrets.sh                    # namespace ektp, current context
#   NAMESPACE=ektp-test deploy/k8s/overlays/dev/make-secrets.sh
#
# It creates, each only if it does not exist yet:
#   ektp-<service>-db           uri, password   a random PostgreSQL password (openssl rand) and
#                                               postgresql://app:<password>@ektp-<service>-db:5432/app
#   ektp-<service>-token        token.pem       the service's Ed25519 token key (PKCS#8 PEM)
#   ektp-enrolment-data-keys    <kid>.key, active   AES-256 data key (urlsafe base64) and its id
#   ektp-documents-data-keys    <kid>.key, active
#   ektp-enrolment-index-key    index.key       the NIK blind-index key (urlsafe base64)
#   ektp-documents-signing      documents-ed25519.pem   the key that signs Suket QR codes
# and then writes each service's public token key (<service>.pem) into ConfigMap
# ektp-trusted-keys, derived from the token Secrets so the two always match.
#
# Idempotent: an existing Secret is never replaced, so running it again changes nothing and
# never swaps a password under a running database or a key under encrypted data. To start
# over, delete the namespace (the databases' volumes with it).
#
# Needs kubectl pointed at the dev cluster, and openssl 1.1.1 or newer (Ed25519). Keys and
# passwords go only to a private temporary directory, removed on exit; nothing is printed.
set -euo pipefail

NAMESPACE="${NAMESPACE:-ektp}"
SERVICES=(enrolment inventory documents reporting)

for tool in kubectl openssl; do
  command -v "$tool" >/dev/null || { echo "make-secrets.sh: $tool is required" >&2; exit 1; }
done

umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

kube() { kubectl --namespace "$NAMESPACE" "$@"; }

# A Secret exists, does not exist, or the cluster cannot be asked: only "NotFound" means create.
secret_exists() {
  local out
  if out="$(kube get secret "$1" -o name 2>&1)"; then
    return 0
  fi
  case "$out" in
    *NotFound*|*"not found"*) return 1 ;;
    *) echo "make-secrets.sh: cannot read secret $1: $out" >&2; exit 1 ;;
  esac
}

# create_secret NAME SERVICE DIR: one key per file in DIR, labelled like the rest of the platform.
create_secret() {
  local name="$1" service="$2" dir="$3"
  kube create secret generic "$name" --from-file="$dir" >/dev/null
  kube label secret "$name" app.kubernetes.io/part-of=ektp "app.kubernetes.io/name=$service" >/dev/null
  echo "created secret $name"
}

# 32 random bytes as urlsafe base64 on one line: the format of servicekit's key files.
random_key() { openssl rand -base64 32 | tr '+/' '-_'; }

# A key id like servicekit's own: k<UTC timestamp><4 hex digits>.
new_kid() { printf 'k%s%s' "$(date -u +%Y%m%d%H%M%S)" "$(openssl rand -hex 2)"; }

kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE" >/dev/null

for service in "${SERVICES[@]}"; do
  if ! secret_exists "ektp-$service-db"; then
    dir="$work/$service-db" && mkdir "$dir"
    password="$(openssl rand -hex 24)"   # hex: nothing to escape in the URI
    printf '%s' "$password" >"$dir/password"
    printf 'postgresql://app:%s@ektp-%s-db:5432/app' "$password" "$service" >"$dir/uri"
    create_secret "ektp-$service-db" "$service" "$dir"
  fi
  if ! secret_exists "ektp-$service-token"; then
    dir="$work/$service-token" && mkdir "$dir"
    openssl genpkey -algorithm ed25519 -out "$dir/token.pem"
    create_secret "ektp-$service-token" "$service" "$dir"
  fi
done

for service in enrolment documents; do
  if ! secret_exists "ektp-$service-data-keys"; then
    dir="$work/$service-data-keys" && mkdir "$dir"
    kid="$(new_kid)"
    random_key >"$dir/$kid.key"
    printf '%s' "$kid" >"$dir/active"
    create_secret "ektp-$service-data-keys" "$service" "$dir"
  fi
done

if ! secret_exists ektp-enrolment-index-key; then
  dir="$work/enrolment-index" && mkdir "$dir"
  random_key >"$dir/index.key"
  create_secret ektp-enrolment-index-key enrolment "$dir"
fi

if ! secret_exists ektp-documents-signing; then
  dir="$work/documents-signing" && mkdir "$dir"
  openssl genpkey -algorithm ed25519 -out "$dir/documents-ed25519.pem"
  create_secret ektp-documents-signing documents "$dir"
fi

# The public halves of the token keys, as they are in the cluster now.
trusted="$work/trusted" && mkdir "$trusted"
for service in "${SERVICES[@]}"; do
  kube get secret "ektp-$service-token" -o jsonpath='{.data.token\.pem}' | openssl base64 -d -A \
    | openssl pkey -pubout -out "$trusted/$service.pem"
done
# Create the ConfigMap, or merge the keys into the one `kubectl apply -k` made from
# base/trusted-keys.yaml. Never `kubectl apply` the keys: a later apply of the placeholder (which
# has no data) would then remove them.
if kube get configmap ektp-trusted-keys -o name >/dev/null 2>&1; then
  data="$(kube create configmap ektp-trusted-keys --from-file="$trusted" --dry-run=client -o jsonpath='{.data}')"
  kube patch configmap ektp-trusted-keys --type merge --patch "{\"data\": $data}" >/dev/null
  echo "updated configmap ektp-trusted-keys"
else
  kube create configmap ektp-trusted-keys --from-file="$trusted" >/dev/null
  echo "created configmap ektp-trusted-keys"
fi
