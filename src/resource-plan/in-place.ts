// Deploy-time contract: the properties Azure cannot change on a resource that exists. ARM's what-if and `bicep
// snapshot` show such a change as a plain modification; the deployment then fails (or replaces what people rely on).
// `aks-platform plan` and `upgrade` flag each change that matches a row, with what to do instead. Each row cites the
// document it comes from; `allowedWhen` encodes the in-place migrations Azure does support today.

type Resource = Record<string, unknown>;

export interface InPlaceRule {
  /** ARM resource type the row applies to. */
  resourceType: string;
  /**
   * The property, as the plan's change paths write it: dotted, an item of a named list as `[name]` — `[*]` matches
   * any item. `name` stands for the resource's name: a new name is a new resource.
   */
  property: string;
  /** What Azure does with the change. */
  refusal: string;
  /** What to do instead. */
  instead: string;
  /** When Azure does apply the change in place after all (before and after are whole resources). */
  allowedWhen?: (before: Resource, after: Resource) => boolean;
  source: string;
}

const CLUSTER = 'Microsoft.ContainerService/managedClusters';
const BLUE_GREEN =
  'deploy a second cluster with the new setting beside this one (blue/green), move the workloads and traffic over, then retire the old cluster';
const NEW_POOL =
  'add a node pool with the new setting, cordon and drain the old pool so the workloads move, then delete the old pool';

function networkProfile(resource: Resource): Record<string, unknown> {
  const properties = (resource.properties ?? {}) as Record<string, unknown>;
  return (properties.networkProfile ?? {}) as Record<string, unknown>;
}

function apiServer(resource: Resource): Record<string, unknown> {
  const properties = (resource.properties ?? {}) as Record<string, unknown>;
  return (properties.apiServerAccessProfile ?? {}) as Record<string, unknown>;
}

/** kubenet and Azure CNI (node subnet) clusters can be moved to Azure CNI Overlay in place; nothing else. */
const toOverlay = (before: Resource, after: Resource) => {
  const b = networkProfile(before);
  const a = networkProfile(after);
  const wasOverlay = b.networkPlugin === 'azure' && b.networkPluginMode === 'overlay';
  return !wasOverlay && a.networkPlugin === 'azure' && a.networkPluginMode === 'overlay';
};

export const IN_PLACE_RULES: readonly InPlaceRule[] = [
  {
    resourceType: CLUSTER,
    property: 'sku.name',
    refusal:
      'a Base (Standard) cluster cannot become AKS Automatic; an Automatic cluster moves back only after a self-managed system pool is added by hand',
    instead: `${BLUE_GREEN} (from Automatic to Standard: add a System node pool and run az aks update --sku base first)`,
    source: 'https://learn.microsoft.com/azure/aks/automatic/aks-automatic-sku-migration',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.networkProfile.networkPlugin',
    refusal: 'the network plugin of an existing cluster cannot change, except the one-way upgrade to Azure CNI Overlay',
    instead: BLUE_GREEN,
    allowedWhen: toOverlay,
    source: 'https://learn.microsoft.com/azure/aks/upgrade-aks-ipam-and-dataplane',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.networkProfile.networkPluginMode',
    refusal: 'the network plugin mode cannot change, except the one-way upgrade to Azure CNI Overlay',
    instead: BLUE_GREEN,
    allowedWhen: toOverlay,
    source: 'https://learn.microsoft.com/azure/aks/upgrade-aks-ipam-and-dataplane',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.networkProfile.networkDataplane',
    refusal: 'the dataplane can be upgraded to Azure CNI Powered by Cilium, never moved back or elsewhere',
    instead: BLUE_GREEN,
    allowedWhen: (_before, after) => networkProfile(after).networkDataplane === 'cilium',
    source: 'https://learn.microsoft.com/azure/aks/upgrade-aks-ipam-and-dataplane',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.networkProfile.podCidr',
    refusal: 'the pod CIDR is fixed at creation; only the upgrade to Azure CNI Overlay sets one on an existing cluster',
    instead: BLUE_GREEN,
    allowedWhen: (before, after) => networkProfile(before).podCidr === undefined && toOverlay(before, after),
    source: 'https://learn.microsoft.com/azure/aks/upgrade-aks-ipam-and-dataplane',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.networkProfile.serviceCidr',
    refusal: 'the service CIDR is fixed when the cluster is created',
    instead: BLUE_GREEN,
    source: 'https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.networkProfile.dnsServiceIP',
    refusal: 'the DNS service IP lies in the service CIDR and is fixed when the cluster is created',
    instead: BLUE_GREEN,
    source: 'https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.apiServerAccessProfile.enablePrivateCluster',
    refusal:
      'a Private Link cluster cannot be made public, nor a public one private; only a cluster with API Server VNet Integration toggles private access in place',
    instead: `${BLUE_GREEN} (or enable API Server VNet Integration first, then change private access)`,
    allowedWhen: (before, after) =>
      apiServer(before).enableVnetIntegration === true && apiServer(after).enableVnetIntegration === true,
    source: 'https://learn.microsoft.com/azure/aks/api-server-vnet-integration',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.agentPoolProfiles[*].vmSize',
    refusal:
      "a Virtual Machine Scale Sets node pool's VM size cannot change in place (the in-place resize is a preview)",
    instead: NEW_POOL,
    source: 'https://learn.microsoft.com/azure/aks/resize-node-pool',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.agentPoolProfiles[*].availabilityZones',
    refusal: "a node pool's availability zones cannot change after the pool is created",
    instead: NEW_POOL,
    source: 'https://learn.microsoft.com/azure/aks/reliability-availability-zones-configure',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.agentPoolProfiles[*].osDiskType',
    refusal: "a node pool's OS disk type (Managed or Ephemeral) may not be changed after creation",
    instead: NEW_POOL,
    source: 'https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update',
  },
  {
    resourceType: CLUSTER,
    property: 'properties.agentPoolProfiles[*].maxPods',
    refusal: 'the maximum pods per node of a node pool is set when the pool is created',
    instead: NEW_POOL,
    source: 'https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning',
  },
  {
    resourceType: CLUSTER,
    property: 'name',
    refusal: 'a new cluster name creates a second cluster and deletes nothing: workloads and Flux stay on the old one',
    instead: BLUE_GREEN,
    source: 'https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules',
  },
  {
    resourceType: 'Microsoft.KeyVault/vaults',
    property: 'name',
    refusal:
      'a new Key Vault name is a new, empty vault; the old vault and its secrets stay, and when deleted its name stays reserved through the soft-delete retention period',
    instead:
      'keep the vault name; if the vault must move, copy its secrets into the new vault and point the workloads at it before removing the old one',
    source: 'https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview',
  },
];

/** Whether a change path (`properties.agentPoolProfiles[user].vmSize`) matches a rule's property pattern. */
export function matchesProperty(pattern: string, path: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('[*]')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\[[^\\]]+\\]')}$`,
  );
  return regex.test(path);
}
