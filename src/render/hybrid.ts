import type { Plan } from '../plan/index.js';
import { ARC_EXTENSIONS, arcEgress } from '../plan/hybrid.js';
import type { OutputArea } from './area.js';

// The onboarding step Bicep cannot do: az connectedk8s connect runs against the cluster itself (its kubeconfig), so
// it is a script the platform team runs once per Arc cluster, with a runbook. The pipelines deploy everything else.

export const ARC_CONNECT_SCRIPT = 'infra/arc/connect.sh';
export const ARC_RUNBOOK = 'docs/arc-onboarding.md';

const q = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;

function connectScript(plan: Plan): string {
  const arc = plan.clusters.filter((c) => c.onboarding !== undefined);
  const cases = arc.flatMap((c) => {
    const o = c.onboarding!;
    return [
      `  ${c.entryPoint})`,
      `    resource_group=${q(c.resourceGroup)}`,
      `    environment=${q(c.environment)}`,
      `    distribution=${q(o.distribution)}`,
      `    workload_identity=${o.workloadIdentity}`,
      '    ;;',
    ];
  });
  const azureRbac = arc.some((c) => c.onboarding!.azureRbac);
  return [
    '#!/usr/bin/env bash',
    '# Connects one Arc-enabled cluster of this platform to Azure (docs/arc-onboarding.md). Run it once per cluster,',
    '# signed in with az, with kubectl pointing at that cluster. The infra pipeline then deploys its extensions and',
    '# Flux configuration. Behind an outbound proxy, export HTTPS_PROXY (and HTTP_PROXY, NO_PROXY, and PROXY_CA_CERT',
    '# for a TLS-inspecting proxy) first.',
    'set -euo pipefail',
    '',
    'if [ "$#" -ne 1 ]; then',
    `  echo "usage: $0 <cluster>, one of: ${arc.map((c) => c.entryPoint).join(' ')}" >&2`,
    '  exit 2',
    'fi',
    'cluster="$1"',
    'case "$cluster" in',
    ...cases,
    '  *)',
    `  echo "unknown Arc cluster $cluster; this platform has: ${arc.map((c) => c.entryPoint).join(' ')}" >&2`,
    '    exit 2',
    '    ;;',
    'esac',
    `location=${q(plan.location)}`,
    '',
    '# The cluster to connect is the current kubectl context: make sure it is the right one.',
    'echo "Connecting the cluster of kubectl context $(kubectl config current-context) as $cluster"',
    'kubectl get nodes --output name > /dev/null',
    '',
    '# Resource providers Arc-enabled Kubernetes and its extensions need (once per subscription).',
    'for provider in Microsoft.Kubernetes Microsoft.KubernetesConfiguration Microsoft.ExtendedLocation; do',
    '  az provider register --namespace "$provider" --wait --only-show-errors',
    'done',
    'az extension add --upgrade --name connectedk8s --only-show-errors',
    '',
    'if [ "$(az group exists --name "$resource_group")" != true ]; then',
    '  az group create --name "$resource_group" --location "$location" --only-show-errors --output none',
    'fi',
    '',
    'args=(--name "$cluster" --resource-group "$resource_group" --location "$location" --distribution "$distribution")',
    "# Workload identity federation: the team identities trust this cluster's OIDC issuer (infra/modules/arc-federation.bicep).",
    'if [ "$workload_identity" = true ]; then',
    '  args+=(--enable-oidc-issuer --enable-workload-identity)',
    'fi',
    'if [ -n "${HTTPS_PROXY:-}" ]; then',
    '  args+=(--proxy-https "$HTTPS_PROXY")',
    '  if [ -n "${HTTP_PROXY:-}" ]; then args+=(--proxy-http "$HTTP_PROXY"); fi',
    "  # The cluster's own service and pod ranges and kubernetes.default.svc must bypass the proxy.",
    '  if [ -n "${NO_PROXY:-}" ]; then args+=(--proxy-skip-range "$NO_PROXY"); fi',
    '  if [ -n "${PROXY_CA_CERT:-}" ]; then args+=(--proxy-cert "$PROXY_CA_CERT"); fi',
    'fi',
    'az connectedk8s connect "${args[@]}" --only-show-errors',
    ...(azureRbac
      ? [
          '',
          '# Kubernetes authorization is Azure RBAC, as on the AKS clusters: the role assignments are in infra/.',
          'az connectedk8s enable-features --name "$cluster" --resource-group "$resource_group" --features azure-rbac --only-show-errors',
        ]
      : []),
    '',
    'az connectedk8s show --name "$cluster" --resource-group "$resource_group" --query "{name: name, connectivity: connectivityStatus, distribution: distribution}" --output table',
    'echo "Connected. Run the infra pipeline (or deploy infra/${environment}.bicepparam) to install its extensions and Flux."',
    '',
  ].join('\n');
}

function runbook(plan: Plan): string {
  const arc = plan.clusters.filter((c) => c.onboarding !== undefined);
  const host = (h: string) => h.replace('{region}', plan.location);
  const extensions = Object.values(ARC_EXTENSIONS).filter(
    (e) =>
      (e === ARC_EXTENSIONS.flux && plan.components.fluxConfiguration) ||
      (e === ARC_EXTENSIONS.containerInsights && plan.components.containerInsights) ||
      (e === ARC_EXTENSIONS.keyVaultCsi && plan.components.keyVaultCsi) ||
      (e === ARC_EXTENSIONS.azurePolicy && plan.components.policyAssignments),
  );
  const lines = [
    '# Onboarding the Arc-enabled clusters',
    '',
    'These clusters run outside Azure (or on Azure Local); this repository manages them like its AKS clusters through',
    'Azure Arc. Connecting a cluster has to happen from where its API server is reachable, so it is the one step the',
    'pipelines cannot do: run it once per cluster, then let the infra pipeline do the rest.',
    '',
    '| Cluster | Environment | Distribution | Resource group | Workload identity |',
    '| --- | --- | --- | --- | --- |',
    ...arc.map(
      (c) =>
        `| \`${c.entryPoint}\` | ${c.environment} | ${c.distribution} | \`${c.resourceGroup}\` | ${c.capabilities.workloadIdentity ? 'yes' : 'no (not federated by Arc on this distribution)'} |`,
    ),
    '',
    '## 1. Open the outbound endpoints',
    '',
    `The Arc agents only call out, on HTTPS 443 unless a port is given (websockets for \`*.servicebus.windows.net\`). Allow these from the cluster nodes and from the machine that runs the script, for ${plan.location}:`,
    '',
    '| Endpoints | Why | Source |',
    '| --- | --- | --- |',
    ...arcEgress(arc).map(
      (row) =>
        `| ${row.fqdns.map((f) => `\`${host(f)}\``).join(', ')} | ${row.why} | ${row.sources.map((u, i) => `[${i === 0 ? 'docs' : i + 1}](${u})`).join(', ')} |`,
    ),
    ...(plan.gitRepository ? [`| \`github.com\` | Flux pulls ${plan.gitRepository.url} | |`] : []),
    '',
    "Behind an outbound proxy, export `HTTPS_PROXY` (and `HTTP_PROXY`) before running the script; put the cluster's",
    'service and pod ranges, `kubernetes.default.svc` and `.svc.cluster.local` in `NO_PROXY`, and for a proxy that',
    'inspects TLS, the path of its CA certificate in `PROXY_CA_CERT`. The script passes them to',
    '`az connectedk8s connect` as `--proxy-https`, `--proxy-http`, `--proxy-skip-range` and `--proxy-cert`.',
    '',
    '## 2. Connect',
    '',
    'Signed in with `az login` to the subscription of the platform, with kubectl pointing at the cluster:',
    '',
    '```sh',
    ...arc.map((c) => `bash ${ARC_CONNECT_SCRIPT} ${c.entryPoint}`),
    '```',
    '',
    'The script registers the resource providers, creates the resource group when it is missing, and runs',
    '`az connectedk8s connect`' +
      (arc.some((c) => c.onboarding!.workloadIdentity)
        ? ' (with `--enable-oidc-issuer --enable-workload-identity` where the distribution supports it)'
        : '') +
      (arc.some((c) => c.onboarding!.azureRbac) ? ', then turns on Azure RBAC for the cluster' : '') +
      '. Whoever runs it needs Contributor on the resource group (the **Kubernetes Cluster - Azure Arc Onboarding** role is enough once it exists).',
    '',
    '## 3. Deploy',
    '',
    'The infra pipeline (or `az deployment sub create` of the environment) then adds to each connected cluster:',
    '',
    ...extensions.map((e) => `- \`${e.extensionType}\`: ${e.what} ([docs](${e.source}));`),
    ...(plan.components.entraId
      ? [
          `- role assignments: the admin and team groups may connect (\`az connectedk8s proxy\`)${plan.components.azureRbac ? '; admins are cluster admins and each team writes to its namespace, as on AKS' : '; what they may do inside is the RoleBindings in `apps/`'}.`,
        ]
      : []),
    '',
    'Deploy only after the cluster is connected: the deployment refers to the connected cluster and fails while it',
    'does not exist. Flux then reconciles `clusters/<cluster>`, which applies the overlays of its environment.',
    '',
    '## What differs from the AKS clusters',
    '',
    ...arc.map((c) => {
      const parts = [
        c.capabilities.nodeOsPatching === 'kured'
          ? 'the distribution patches the node OS and Kured reboots the nodes (there is no AKS node OS channel)'
          : 'nothing reboots the nodes after OS updates: Kured was declined (upgrades.kured.enabled) and there is no AKS node OS channel',
        c.capabilities.loadBalancer === 'distribution'
          ? 'Services of type LoadBalancer get what the distribution provides, not an Azure load balancer'
          : '',
        c.runsTeamApps
          ? ''
          : 'no team apps (they mount Key Vault with workload identity, which this distribution lacks)',
      ].filter(Boolean);
      return `- \`${c.entryPoint}\`: ${parts.join('; ')}.`;
    }),
    '',
  ];
  return lines.join('\n');
}

export const hybridArea: OutputArea = {
  name: 'hybrid',
  *render(plan) {
    if (!plan.clusters.some((c) => c.onboarding !== undefined)) return;
    yield [ARC_CONNECT_SCRIPT, connectScript(plan)];
    yield [ARC_RUNBOOK, runbook(plan)];
  },
};
