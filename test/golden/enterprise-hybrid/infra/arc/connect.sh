#!/usr/bin/env bash
# Connects one Arc-enabled cluster of this platform to Azure (docs/arc-onboarding.md). Run it once per cluster,
# signed in with az, with kubectl pointing at that cluster. The infra pipeline then deploys its extensions and
# Flux configuration. Behind an outbound proxy, export HTTPS_PROXY (and HTTP_PROXY, NO_PROXY, and PROXY_CA_CERT
# for a TLS-inspecting proxy) first.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 <cluster>, one of: edge-a eks-b" >&2
  exit 2
fi
cluster="$1"
case "$cluster" in
  edge-a)
    resource_group='rg-edge'
    environment='dev'
    distribution='k3s'
    workload_identity=true
    ;;
  eks-b)
    resource_group='rg-aws'
    environment='prod'
    distribution='eks'
    workload_identity=false
    ;;
  *)
  echo "unknown Arc cluster $cluster; this platform has: edge-a eks-b" >&2
    exit 2
    ;;
esac
location='westeurope'

# The cluster to connect is the current kubectl context: make sure it is the right one.
echo "Connecting the cluster of kubectl context $(kubectl config current-context) as $cluster"
kubectl get nodes --output name > /dev/null

# Resource providers Arc-enabled Kubernetes and its extensions need (once per subscription).
for provider in Microsoft.Kubernetes Microsoft.KubernetesConfiguration Microsoft.ExtendedLocation; do
  az provider register --namespace "$provider" --wait --only-show-errors
done
az extension add --upgrade --name connectedk8s --only-show-errors

if [ "$(az group exists --name "$resource_group")" != true ]; then
  az group create --name "$resource_group" --location "$location" --only-show-errors --output none
fi

args=(--name "$cluster" --resource-group "$resource_group" --location "$location" --distribution "$distribution")
# Workload identity federation: the team identities trust this cluster's OIDC issuer (infra/modules/arc-federation.bicep).
if [ "$workload_identity" = true ]; then
  args+=(--enable-oidc-issuer --enable-workload-identity)
fi
if [ -n "${HTTPS_PROXY:-}" ]; then
  args+=(--proxy-https "$HTTPS_PROXY")
  if [ -n "${HTTP_PROXY:-}" ]; then args+=(--proxy-http "$HTTP_PROXY"); fi
  # The cluster's own service and pod ranges and kubernetes.default.svc must bypass the proxy.
  if [ -n "${NO_PROXY:-}" ]; then args+=(--proxy-skip-range "$NO_PROXY"); fi
  if [ -n "${PROXY_CA_CERT:-}" ]; then args+=(--proxy-cert "$PROXY_CA_CERT"); fi
fi
az connectedk8s connect "${args[@]}" --only-show-errors

# Kubernetes authorization is Azure RBAC, as on the AKS clusters: the role assignments are in infra/.
az connectedk8s enable-features --name "$cluster" --resource-group "$resource_group" --features azure-rbac --only-show-errors

az connectedk8s show --name "$cluster" --resource-group "$resource_group" --query "{name: name, connectivity: connectivityStatus, distribution: distribution}" --output table
echo "Connected. Run the infra pipeline (or deploy infra/${environment}.bicepparam) to install its extensions and Flux."
