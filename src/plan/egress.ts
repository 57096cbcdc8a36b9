import type { Plan } from './index.js';

// Deploy-time contract: what each feature of a cluster must reach through the hub firewall. One row per feature or
// extension, each citing the document it comes from. The plan turns the rows into firewall rules (hub Bicep and the
// existing-hub table of infra/README.md); `validate` checks a repository's Bicep against the same rows.
//
// Placeholders: `{location}` is the region; `{storage}` and `{keyvault}` are the cloud's DNS suffixes
// (core.windows.net and .vault.azure.net in public Azure), so the rules hold in every Azure cloud.

const OUTBOUND_RULES = 'https://learn.microsoft.com/azure/aks/outbound-rules-control-egress';

export interface EgressContract {
  /** The application rule it becomes in the hub firewall policy. */
  rule: string;
  description: string;
  /** Whether the plan needs it. */
  needed: (plan: Plan) => boolean;
  /** FQDNs, with placeholders. */
  fqdns: readonly string[];
  /** The documents the FQDNs come from. */
  sources: readonly string[];
  /** What in a repository's Bicep shows the feature is on, and its name in findings. */
  inBicep: { pattern: RegExp; feature: string };
}

export const EGRESS_CONTRACTS: readonly EgressContract[] = [
  {
    rule: 'azure-monitor',
    description: 'Container Insights, managed Prometheus and Defender send data to Azure Monitor',
    needed: (plan) =>
      plan.components.containerInsights || plan.components.managedPrometheus || plan.components.defender,
    fqdns: [
      'dc.services.visualstudio.com',
      '*.ods.opinsights.azure.com',
      '*.oms.opinsights.azure.com',
      '*.monitoring.azure.com',
      'global.handler.control.monitor.azure.com',
      '{location}.handler.control.monitor.azure.com',
      '*.ingest.monitor.azure.com',
      '*.metrics.ingest.monitor.azure.com',
    ],
    sources: [
      `${OUTBOUND_RULES}#azure-monitor-for-containers`,
      'https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-firewall',
    ],
    inBicep: { pattern: /omsagent:\s*\{\s*enabled:\s*true/, feature: 'Container Insights' },
  },
  {
    rule: 'defender',
    description: 'Microsoft Defender for Containers sensor',
    needed: (plan) => plan.components.defender,
    fqdns: ['*.cloud.defender.microsoft.com'],
    sources: [
      `${OUTBOUND_RULES}#microsoft-defender-for-containers`,
      'https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-enable#network-requirements',
    ],
    inBicep: { pattern: /securityMonitoring:\s*\{\s*enabled:\s*true/, feature: 'Microsoft Defender for Containers' },
  },
  {
    rule: 'azure-policy',
    description: 'Azure Policy add-on fetches and reports policy, and sends its telemetry',
    needed: (plan) => plan.components.policyAssignments,
    fqdns: ['data.policy.{storage}', 'store.policy.{storage}', 'dc.services.visualstudio.com'],
    sources: [`${OUTBOUND_RULES}#azure-policy`],
    inBicep: { pattern: /azurepolicy:\s*\{\s*enabled:\s*true/, feature: 'Azure Policy' },
  },
  {
    rule: 'key-vault',
    description: 'Secrets Store CSI driver reads Key Vault (private endpoint first, this rule as a fallback)',
    needed: (plan) => plan.components.keyVaultCsi,
    fqdns: ['*{keyvault}'],
    sources: [`${OUTBOUND_RULES}#csi-secret-store`],
    inBicep: { pattern: /azureKeyvaultSecretsProvider:\s*\{\s*enabled:\s*true/, feature: 'Key Vault secrets provider' },
  },
  {
    rule: 'container-registry',
    description: 'Nodes pull images from the environment registry',
    needed: () => true,
    fqdns: ['*.azurecr.io', '*.{location}.data.azurecr.io'],
    sources: ['https://learn.microsoft.com/azure/container-registry/container-registry-firewall-access-rules'],
    inBicep: { pattern: /'Microsoft\.ContainerRegistry\/registries@/, feature: 'Container registry' },
  },
  {
    // The Cluster extensions table also lists arcmktplaceprod.* and marketplaceapi.microsoft.com, which only
    // marketplace extensions use; microsoft.flux is a first-party extension whose images come from MCR (in the
    // AzureKubernetesService tag), so they are not opened.
    rule: 'cluster-extensions',
    description: 'The Flux extension fetches its configuration, reports its status and sends its agent metrics',
    needed: (plan) => plan.components.fluxConfiguration,
    fqdns: ['{location}.dp.kubernetesconfiguration.azure.com', '*.ingestion.msftcloudes.com', '*.microsoftmetrics.com'],
    sources: [`${OUTBOUND_RULES}#cluster-extensions`],
    inBicep: { pattern: /'Microsoft\.KubernetesConfiguration\/extensions@/, feature: 'Cluster extensions (Flux)' },
  },
  {
    rule: 'gitops',
    description: 'Flux pulls this repository and the Helm charts it installs',
    needed: (plan) => plan.components.fluxConfiguration,
    fqdns: ['github.com'],
    sources: ['https://learn.microsoft.com/azure/azure-arc/kubernetes/conceptual-gitops-flux2'],
    inBicep: { pattern: /'Microsoft\.KubernetesConfiguration\/fluxConfigurations@/, feature: 'Flux (GitOps)' },
  },
];

/**
 * Where a Helm chart repository's index and archives are served from. Charts published with chart-releaser keep the
 * index on GitHub Pages and the archives as GitHub release assets: the download URL on github.com redirects to
 * release-assets.githubusercontent.com, GitHub's release asset host since 2025.
 */
export const CHART_DOWNLOAD_HOSTS: Readonly<Record<string, readonly string[]>> = {
  // https://kubereboot.github.io/charts/index.yaml: urls github.com/kubereboot/charts/releases/download/...
  'https://kubereboot.github.io/charts': ['kubereboot.github.io', 'github.com', 'release-assets.githubusercontent.com'],
  // https://prometheus-community.github.io/helm-charts/index.yaml: urls github.com/prometheus-community/helm-charts/releases/download/...
  'https://prometheus-community.github.io/helm-charts': [
    'prometheus-community.github.io',
    'github.com',
    'release-assets.githubusercontent.com',
  ],
  // The index and the archives sit side by side in the repository's charts/ folder.
  'https://raw.githubusercontent.com/Azure/aad-pod-identity/master/charts': ['raw.githubusercontent.com'],
  // An OCI registry: manifests from mcr.microsoft.com, layers from *.data.mcr.microsoft.com (the two MCR hosts of the
  // AKS required outbound FQDNs, which the AzureKubernetesService tag also allows).
  // https://learn.microsoft.com/azure/aks/outbound-rules-control-egress#azure-global-required-fqdn--application-rules
  'oci://mcr.microsoft.com/application-lb/charts': ['mcr.microsoft.com', '*.data.mcr.microsoft.com'],
};

/** The hosts a chart repository's index and downloads use; an unknown repository is a bug (add it above). */
export function chartDownloadHosts(repository: string): readonly string[] {
  const hosts = CHART_DOWNLOAD_HOSTS[repository];
  if (!hosts) throw new Error(`plan: no download hosts known for the chart repository ${repository}`);
  return hosts;
}

export interface NetworkContract {
  rule: string;
  description: string;
  needed: (plan: Plan) => boolean;
  protocols: readonly ('TCP' | 'UDP')[];
  /** Service tags or addresses; `{location}` stands for the region. */
  destinations: readonly string[];
  ports: readonly string[];
  sources: readonly string[];
  /** What in a repository's Bicep shows the rule is needed, when Bicep alone tells. */
  inBicep?: { pattern: RegExp; feature: string };
}

/**
 * Traffic an application rule cannot carry. Left out on purpose, per the outbound rules doc: UDP 1194 and TCP 9000
 * (the old tunnel, not needed for private clusters or with konnectivity, which every cluster now runs over
 * *.hcp.<region>.azmk8s.io in the AzureKubernetesService tag) and UDP 123 (not needed by nodes provisioned after
 * March 2021, which take their time from the host). Filebeat's AMQP to Event Hubs needs none: it goes to the
 * namespace's private endpoint in the spoke, never through the firewall.
 */
export const NETWORK_CONTRACTS: readonly NetworkContract[] = [
  {
    rule: 'aks-api-server',
    description: 'Pods that call the public API server (Flux, Kured, operators) reach its IP in the cluster region',
    needed: (plan) => !plan.components.privateCluster,
    protocols: ['TCP'],
    destinations: ['AzureCloud.{location}'],
    ports: ['443'],
    sources: [`${OUTBOUND_RULES}#azure-global-required-network-rules`],
  },
];

/** Ports the outbound rules doc no longer requires (the pre-konnectivity tunnel); a rule opening them is too wide. */
export const RETIRED_TUNNEL_PORTS = ['1194', '9000'] as const;

/** A destination as it is written inside a Bicep string in the hub module (see render/infra ruleDestination). */
export function bicepDestinationText(destination: string): string {
  return destination
    .replace('{storage}', '${environment().suffixes.storage}')
    .replace('{keyvault}', '${environment().suffixes.keyvaultDns}')
    .replace('{location}', '${location}');
}
