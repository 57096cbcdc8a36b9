// What the AKS Automatic cluster SKU decides itself: the contract behind `cluster.sku: automatic`. Answers normalise
// the answers it fixes (and refuse the ones it does not allow), prompts skip them, the plan and the cluster module
// read the cluster settings, and the decision record and validate rules cite the same rows.

const INTRO = 'https://learn.microsoft.com/azure/aks/intro-aks-automatic';
const SYSTEM_POOLS = 'https://learn.microsoft.com/azure/aks/automatic/aks-automatic-managed-system-node-pools-about';
const CUSTOM_VNET = 'https://learn.microsoft.com/azure/aks/automatic/quick-automatic-custom-network';
const NAP = 'https://learn.microsoft.com/azure/aks/node-auto-provisioning';
const HOSTED_SYSTEM_PROFILE =
  'https://learn.microsoft.com/javascript/api/@azure/arm-containerservice/managedclusterhostedsystemprofile';

/** One answer Automatic decides: the value it fixes, why, and the document that says so. */
export interface AutomaticFixedAnswer {
  /** Dotted answer path; `*` stands for every element of a list (environments.*.stopStart.enabled). */
  path: string;
  value: string | boolean;
  /** What Automatic does, completing "the Automatic SKU ..." in messages and the decision record. */
  because: string;
  source: string;
}

export const AUTOMATIC_FIXED_ANSWERS: readonly AutomaticFixedAnswer[] = [
  {
    path: 'network.plugin',
    value: 'azure-cni-overlay',
    because: 'networks pods with Azure CNI Overlay powered by Cilium',
    source: 'https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium',
  },
  {
    path: 'network.dataplane',
    value: 'cilium',
    because: 'networks pods with Azure CNI Overlay powered by Cilium',
    source: 'https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium',
  },
  {
    path: 'network.networkPolicy',
    value: 'cilium',
    because: 'enforces network policy with the Cilium dataplane',
    source: 'https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium',
  },
  {
    path: 'cluster.apiServerVnetIntegration',
    value: true,
    because: 'preconfigures API server VNet integration (a delegated API server subnet in the spoke)',
    source: 'https://learn.microsoft.com/azure/aks/api-server-vnet-integration',
  },
  {
    path: 'cluster.azurePolicy',
    value: true,
    because: 'enforces deployment safeguards through the Azure Policy add-on, which cannot be turned off',
    source: 'https://learn.microsoft.com/azure/aks/deployment-safeguards',
  },
  {
    path: 'identity.entraId',
    value: true,
    because: 'preconfigures Microsoft Entra ID with Azure RBAC for Kubernetes authorization',
    source: INTRO,
  },
  {
    path: 'identity.authorization',
    value: 'azure-rbac',
    because: 'preconfigures Microsoft Entra ID with Azure RBAC for Kubernetes authorization',
    source: INTRO,
  },
  {
    path: 'identity.podIdentity',
    value: 'workload-identity',
    because: 'preconfigures workload identity and the OIDC issuer',
    source: INTRO,
  },
  {
    path: 'upgrades.autoUpgradeChannel',
    value: 'stable',
    because: 'upgrades the cluster on the stable channel (minor version N-1), in the planned maintenance window',
    source: INTRO,
  },
  {
    path: 'upgrades.nodeOsUpgradeChannel',
    value: 'NodeImage',
    because: 'rolls out node images on the NodeImage channel, in the planned maintenance window',
    source: INTRO,
  },
  {
    path: 'upgrades.kured.enabled',
    value: false,
    because: 'replaces nodes with patched images on the NodeImage channel, so nothing is left for Kured to reboot',
    source: INTRO,
  },
  {
    path: 'environments.*.spotPool.enabled',
    value: false,
    because:
      'provisions user nodes with node auto-provisioning (Karpenter NodePools), which takes no autoscaling agent pools',
    source: NAP,
  },
  {
    path: 'environments.*.stopStart.enabled',
    value: false,
    because: 'cannot stop a cluster whose system node pool AKS manages, nor one with node auto-provisioning',
    source: SYSTEM_POOLS,
  },
  {
    path: 'teams.*.useSpot',
    value: false,
    because:
      "schedules on node auto-provisioning's default NodePool (on-demand capacity); no spot agent pool carries the scalesetpriority taint",
    source: 'https://learn.microsoft.com/azure/aks/node-auto-provisioning-node-pools',
  },
  {
    path: 'fleet.enabled',
    value: false,
    because:
      "keeps its own stable and NodeImage channels, which cannot be changed; Fleet Manager's staged updates need them off",
    source: INTRO,
  },
];

/** Answers Automatic makes moot: given, they have no effect, and validation says so (a warning). */
export const AUTOMATIC_IGNORED_ANSWERS: readonly { path: string; because: string; source: string }[] = [
  {
    path: 'environments.*.systemPool',
    because:
      'creates, scales and upgrades the system nodes itself (managed system node pools, not in your subscription)',
    source: SYSTEM_POOLS,
  },
  {
    path: 'environments.*.userPool',
    because: 'sizes user nodes from the pending pods with node auto-provisioning (the default Karpenter NodePools)',
    source: NAP,
  },
  {
    path: 'cluster.osSku',
    because: "runs its system nodes on Azure Linux and user nodes on node auto-provisioning's default node class",
    source: INTRO,
  },
];

/**
 * The cluster settings the Automatic SKU takes in the managedClusters resource (API 2026-08-01): the SKU with its
 * Standard tier (uptime and pod readiness SLAs), node auto-provisioning with the default NodePools, and managed
 * system node pools. In a custom VNet the system and user node subnets must be given together with the API server
 * subnet, all three in the same VNet, and the cluster identity needs Network Contributor on the VNet for
 * node auto-provisioning.
 */
export const AUTOMATIC_CLUSTER = {
  sku: { name: 'Automatic', tier: 'Standard' },
  nodeProvisioningProfile: { mode: 'Auto', defaultNodePools: 'Auto' },
  sources: {
    sku: INTRO,
    nodeProvisioning: 'https://learn.microsoft.com/azure/aks/node-auto-provisioning-node-pools',
    hostedSystemProfile: HOSTED_SYSTEM_PROFILE,
    customVnet: CUSTOM_VNET,
  },
} as const;

/**
 * Deployment safeguards, enforced on every Automatic cluster (the level cannot be lowered to Warn): a container
 * without a readiness and a liveness probe is refused, and requests or limits below the minimums are raised. The
 * team workloads this repository writes meet them, and `validate` checks that edited ones still do.
 */
export const AUTOMATIC_SAFEGUARDS = {
  probes: ['readinessProbe', 'livenessProbe'],
  minimum: { cpuMillicores: 100, memoryMiB: 100 },
  source: 'https://learn.microsoft.com/azure/aks/deployment-safeguards',
} as const;

/**
 * The pod readiness SLA, as the Automatic overview words it: a financially backed guarantee beside the 99.95% uptime
 * SLA of the API server.
 */
export const AUTOMATIC_POD_READINESS_SLA =
  '99.9% of qualifying pod readiness operations complete within 5 minutes (scheduling and node provisioning included)';

/** Regions where AKS Automatic is generally available (the limitations of the Automatic quickstarts, July 2026). */
export const AUTOMATIC_REGIONS: readonly string[] = [
  'australiaeast',
  'austriaeast',
  'belgiumcentral',
  'brazilsouth',
  'canadacentral',
  'centralindia',
  'centralus',
  'chilecentral',
  'denmarkeast',
  'eastasia',
  'eastus',
  'eastus2',
  'francecentral',
  'germanywestcentral',
  'indonesiacentral',
  'israelcentral',
  'italynorth',
  'japaneast',
  'japanwest',
  'koreacentral',
  'malaysiawest',
  'mexicocentral',
  'newzealandnorth',
  'northeurope',
  'norwayeast',
  'polandcentral',
  'southafricanorth',
  'southcentralus',
  'southeastasia',
  'spaincentral',
  'swedencentral',
  'switzerlandnorth',
  'uaenorth',
  'uksouth',
  'westeurope',
  'westus2',
  'westus3',
];
export const AUTOMATIC_REGIONS_SOURCE = CUSTOM_VNET;
