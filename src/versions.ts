import { packageJson } from './paths.js';

// Every external version the generator or its output depends on lives here, so an upgrade is one reviewed diff.

export const GENERATOR_NAME = packageJson.name;
export const GENERATOR_VERSION = packageJson.version;

/**
 * Default AKS minor version: the one before the newest GA minor, so a new platform starts on a version with most of its
 * support window ahead (1.35 leaves AKS support in early 2027) without being the first to run the newest.
 */
export const DEFAULT_KUBERNETES_VERSION = '1.36';

/**
 * The Kubernetes 1.x minors AKS supports when this generator version was cut (2026-12-01): 1.35 to 1.37 (GA October
 * 2026); 1.34 reached its end of life at the end of November 2026. Older minors need long-term support, which the
 * answers do not ask for; newer ones are not GA. Source: the AKS Kubernetes release calendar,
 * https://learn.microsoft.com/azure/aks/supported-kubernetes-versions#aks-kubernetes-release-calendar
 */
export const SUPPORTED_KUBERNETES_MINORS = { oldest: 35, newest: 37 } as const;

/** Image of the example workload each team namespace gets: small, multi-arch, from the Kubernetes project's registry. */
export const EXAMPLE_IMAGE = 'registry.k8s.io/e2e-test-images/busybox:1.29-4';

/**
 * The pod that keeps the AGC Gateway's certificate Secret synced from Key Vault runs the Kubernetes pause container
 * from MCR (reachable through the AzureKubernetesService FQDN tag); it only holds the CSI volume mounted.
 */
export const CERTIFICATE_SYNC_IMAGE = 'mcr.microsoft.com/oss/kubernetes/pause:3.6';

/** Filebeat, shipping the Event Hubs log stream to Elasticsearch: 9.x, whose azure-eventhub input defaults to processor v2. */
export const FILEBEAT_IMAGE = 'docker.elastic.co/beats/filebeat:9.5.4';

/**
 * Grafana major version of Azure Managed Grafana workspaces, pinned so a major upgrade (irreversible, with breaking
 * changes) is a reviewed change; 12 is current since Grafana 11 was retired on 15 June 2026.
 * https://learn.microsoft.com/azure/managed-grafana/how-to-upgrade-grafana-12
 */
export const GRAFANA_MAJOR_VERSION = '12';

/** The Bicep CLI the tests compile with (NuGet package Azure.Bicep.CommandLine.linux-x64). */
export const BICEP_CLI = '0.49.2';

/** Azure resource provider API versions used by the generated Bicep, by resource type. */
export const AZURE_API_VERSIONS = {
  'Microsoft.AlertsManagement/prometheusRuleGroups': '2023-03-01',
  'Microsoft.Authorization/policyAssignments': '2025-03-01',
  'Microsoft.Authorization/roleAssignments': '2022-04-01',
  'Microsoft.Authorization/roleDefinitions': '2022-04-01',
  'Microsoft.ContainerRegistry/registries': '2025-11-01',
  // The newest GA Fleet Manager version in the Bicep type index: hubless fleets, members with update groups,
  // auto-upgrade profiles, and update strategies with approval gates (beforeGates), which 2025-03-01 lacks.
  'Microsoft.ContainerService/fleets': '2026-06-01',
  'Microsoft.ContainerService/managedClusters': '2026-08-01',
  'Microsoft.ContainerService/managedClusters/maintenanceConfigurations': '2026-08-01',
  'Microsoft.Dashboard/grafana': '2025-08-01',
  'Microsoft.EventGrid/systemTopics': '2025-02-15',
  'Microsoft.EventHub/namespaces': '2024-01-01',
  // Diagnostic settings have no GA version with category groups; this preview is the one the portal and AVM use.
  'Microsoft.Insights/diagnosticSettings': '2021-05-01-preview',
  'Microsoft.Insights/actionGroups': '2023-01-01',
  'Microsoft.Insights/dataCollectionEndpoints': '2024-03-11',
  'Microsoft.Insights/dataCollectionRuleAssociations': '2024-03-11',
  'Microsoft.Insights/dataCollectionRules': '2024-03-11',
  'Microsoft.Insights/scheduledQueryRules': '2023-12-01',
  'Microsoft.KeyVault/vaults': '2026-02-01',
  // Read only (the cluster is connected from inside it). The GA 2024-01-01 has no oidcIssuerProfile, which the team
  // identities federate with (Arc workload identity, GA since November 2025); this is the newest version with it.
  'Microsoft.Kubernetes/connectedClusters': '2024-12-01-preview',
  'Microsoft.KubernetesConfiguration/extensions': '2025-03-01',
  'Microsoft.KubernetesConfiguration/fluxConfigurations': '2025-04-01',
  'Microsoft.ManagedIdentity/userAssignedIdentities': '2024-11-30',
  'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials': '2024-11-30',
  'Microsoft.Monitor/accounts': '2025-10-03',
  // WAF policy of Application Gateway for Containers (the same resource type as Application Gateway's).
  'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies': '2026-03-01',
  'Microsoft.Network/azureFirewalls': '2026-03-01',
  'Microsoft.Network/bastionHosts': '2026-03-01',
  // Public Azure DNS zones: 2018-05-01 is the latest GA version.
  'Microsoft.Network/dnsZones': '2018-05-01',
  'Microsoft.Network/firewallPolicies': '2026-03-01',
  'Microsoft.Network/natGateways': '2026-03-01',
  'Microsoft.Network/networkSecurityGroups': '2026-03-01',
  'Microsoft.Network/privateDnsZones': '2024-06-01',
  'Microsoft.Network/privateEndpoints': '2026-03-01',
  'Microsoft.Network/publicIPAddresses': '2026-03-01',
  'Microsoft.Network/routeTables': '2026-03-01',
  'Microsoft.Network/virtualNetworks': '2026-03-01',
  'Microsoft.OperationalInsights/workspaces': '2025-07-01',
  'Microsoft.Resources/resourceGroups': '2025-04-01',
  // Application Gateway for Containers: the first GA version in the Bicep type index whose frontends take a WAF
  // security policy (securityPolicyConfigurations); 2025-01-01 has securityPolicies but not that property (BCP037).
  'Microsoft.ServiceNetworking/trafficControllers': '2026-03-01',
  'Microsoft.Storage/storageAccounts': '2025-06-01',
} as const satisfies Record<string, string>;

/** Helm charts installed by Flux: repository URL and chart version. */
export const HELM_CHARTS = {
  // kubereboot/charts charts/kured/Chart.yaml (appVersion 1.22.1)
  kured: { repository: 'https://kubereboot.github.io/charts', version: '6.0.0' },
  // prometheus-community/helm-charts charts/kube-prometheus-stack/Chart.yaml (operator v0.93.1, Grafana chart 12.11.1
  // from grafana-community, kube-state-metrics 8.4.0, node-exporter 4.56.1), the latest release when this was cut.
  'kube-prometheus-stack': { repository: 'https://prometheus-community.github.io/helm-charts', version: '88.5.3' },
  // Application Gateway for Containers' ALB Controller, an OCI chart on MCR: release 1.11.3 (Gateway API v1.5.1,
  // Kubernetes 1.27 or later), the latest in the ALB Controller release notes.
  'alb-controller': { repository: 'oci://mcr.microsoft.com/application-lb/charts', version: '1.11.3' },
  // Azure/aad-pod-identity charts/aad-pod-identity-4.1.18.tgz: the last release before the project was archived
  'aad-pod-identity': {
    repository: 'https://raw.githubusercontent.com/Azure/aad-pod-identity/master/charts',
    version: '4.1.18',
  },
} as const satisfies Record<string, { repository: string; version: string }>;

/**
 * Registries the pinned chart versions pull their images from with the values the generator sets (each chart's
 * values.yaml at that version, subcharts included). A chart bump re-checks its row; a new chart must add one, or the
 * hub firewall would block its images. The hosts behind each registry are in src/plan/infra.ts.
 */
export const HELM_CHART_IMAGE_REGISTRIES = {
  // ghcr.io/kubereboot/kured
  kured: ['ghcr.io'],
  // quay.io: operator, config reloader, Prometheus, Alertmanager, node-exporter, Grafana's k8s-sidecar;
  // registry.k8s.io: kube-state-metrics; ghcr.io: the admission webhook's jkroepke/kube-webhook-certgen;
  // docker.io: grafana/grafana.
  'kube-prometheus-stack': ['quay.io', 'registry.k8s.io', 'ghcr.io', 'docker.io'],
  // mcr.microsoft.com/oss/azure/aad-pod-identity/{mic,nmi}
  'aad-pod-identity': ['mcr.microsoft.com'],
  // mcr.microsoft.com/application-lb/images/{alb-controller,alb-controller-bootstrap,alb-controller-crds}
  'alb-controller': ['mcr.microsoft.com'],
} as const satisfies Record<keyof typeof HELM_CHARTS, readonly string[]>;

/** Actions used by the generated workflows, pinned to a full commit SHA; `version` is the tag it was cut from. */
export const GITHUB_ACTIONS = {
  'actions/checkout': { sha: '08c6903cd8c0fde910a37f88322edcfb5dd907a8', version: 'v5.0.0' },
  'azure/login': { sha: 'a457da9ea143d694b1b9c7c869ebb04ebe844ef5', version: 'v2.3.0' },
  'actions/setup-node': { sha: '2028fbc5c25fe9cf00d9f06a71cc4710d4507903', version: 'v6.0.0' },
  // The action's latest release; it installs PSRule 2.9.0 and runs Assert-PSRule with a job summary.
  'microsoft/ps-rule': { sha: '46451b8f5258c41beb5ae69ed7190ccbba84112c', version: 'v2.9.0' },
} as const satisfies Record<string, { sha: string; version: string }>;

/**
 * The Node.js major the generated validation runs `npx generator-aks-platform validate` on: the Active LTS line
 * (26 since 2026-10-28; 24 is in maintenance). https://github.com/nodejs/Release#release-schedule
 */
export const NODE_LTS = '26';

/**
 * PowerShell modules of the generated PSRule checks, from the PowerShell Gallery: the engine the microsoft/ps-rule
 * action v2.9.0 installs, and the latest stable PSRule for Azure (v1.47.0, December 2025 baselines) built for it.
 */
export const PSRULE_MODULES = {
  PSRule: '2.9.0',
  'PSRule.Rules.Azure': '1.47.0',
} as const satisfies Record<string, string>;

/** Command-line tools the generated pipelines install. */
export const TOOLS = {
  kustomize: '5.7.1',
  /** sha256 of kustomize_v<version>_linux_amd64.tar.gz, from the release's checksums.txt. */
  'kustomize-linux-amd64-sha256': 'ea375e7372f9aa029129d4b2d16c66b7750b7f1213c4f66f910d981c895818d8',
  kubeconform: '0.7.0',
  /** sha256 of kubeconform-linux-amd64.tar.gz, from the release's CHECKSUMS. */
  'kubeconform-linux-amd64-sha256': 'c31518ddd122663b3f3aa874cfe8178cb0988de944f29c74a0b9260920d115d3',
  /** Flux release whose crd-schemas.tar.gz validates the Flux custom resources. */
  'flux-crd-schemas': '2.7.5',
} as const satisfies Record<string, string>;

/** Looks a pinned version up by name; an unknown name is a bug, so it throws instead of emitting `undefined`. */
export function pinnedVersion<T>(table: Record<string, T>, name: string): T {
  const value = table[name];
  if (value === undefined) throw new Error(`versions.ts has no pinned version named "${name}"`);
  return value;
}
