import type { Answers, EnvironmentAnswers } from './schema.js';
import { allocate, parseCidr, type Range } from '../util/cidr.js';
import { AGC_SUBNET } from '../azure/application-gateway-for-containers.js';

// systemNodes is last so that adding it left every other derived range where it was; only Automatic uses it.
export const SPOKE_SUBNET_ROLES = [
  'nodes',
  'ingress',
  'privateEndpoints',
  'access',
  'apiServer',
  'systemNodes',
] as const;
export type SpokeSubnetRole = (typeof SPOKE_SUBNET_ROLES)[number];

/**
 * Subnet sizes when derived: flat Azure CNI gives every pod a VNet address, so its node subnet is 16 times larger. The
 * ingress subnet is the size an Application Gateway for Containers association needs (/24), so switching the ingress
 * implementation never re-plans the addresses.
 */
export function subnetPrefixes(plugin: Answers['network']['plugin']): Record<SpokeSubnetRole, number> {
  // AKS creates a /26 for managed system nodes when it owns the VNet; in ours it is the same size.
  return {
    nodes: plugin === 'azure-cni' ? 20 : 22,
    ingress: AGC_SUBNET.maximumPrefixLength,
    privateEndpoints: 24,
    access: 24,
    apiServer: 28,
    systemNodes: 26,
  };
}

/**
 * Pods per node, set explicitly on every pool (AKS defaults differ by plugin, and PSRule's Azure.AKS.NodeMinPods asks
 * for at least 50). Overlay and kubenet pods take addresses from the pod CIDR, so the node subnet holds only nodes and
 * the overlay maximum of 250 costs nothing. Flat Azure CNI reserves maxPods + 1 VNet addresses on every node when the
 * node is created, so it stays at 50 and validation checks that the node subnet holds every node at that size.
 * https://learn.microsoft.com/azure/aks/azure-cni-overlay#ip-address-planning
 * https://learn.microsoft.com/azure/aks/configure-azure-cni#plan-ip-addressing-for-your-cluster
 */
export function maxPodsPerNode(plugin: Answers['network']['plugin']): number {
  return plugin === 'azure-cni' ? 50 : plugin === 'kubenet' ? 110 : 250;
}

/** Addresses Azure keeps in every subnet: network, broadcast and three for its own services. */
export const AZURE_RESERVED_SUBNET_ADDRESSES = 5;

/** Extra nodes a pool adds while it upgrades: a count, or a percentage of its nodes rounded up (AKS's rule). */
export function surgeNodes(maxSurge: string, nodes: number): number {
  const percent = /^(\d+)%$/.exec(maxSurge);
  return percent ? Math.ceil((nodes * Number(percent[1])) / 100) : Number(maxSurge);
}

/**
 * The node-subnet addresses a spoke needs at the pools' largest: every node, surge nodes included (spot pools do not
 * surge), takes one address, and with flat Azure CNI one more per pod it may run (maxPods + 1 per node, reserved when
 * the node is created). Overlay and kubenet pods take pod-CIDR addresses, so there the subnet holds nodes only.
 * https://learn.microsoft.com/azure/aks/azure-cni-overlay#ip-address-planning
 * https://learn.microsoft.com/azure/aks/configure-azure-cni#plan-ip-addressing-for-your-cluster
 */
export function nodeSubnetAddresses(
  env: EnvironmentAnswers,
  plugin: Answers['network']['plugin'],
  maxSurge: string,
): { nodes: number; addresses: number } {
  const pools = [
    { ...env.systemPool, surge: true },
    { ...env.userPool, surge: true },
    ...(env.spotPool.enabled ? [{ ...env.spotPool, surge: false }] : []),
  ];
  let nodes = 0;
  let addresses = 0;
  for (const pool of pools) {
    const count = pool.maxCount + (pool.surge ? surgeNodes(maxSurge, pool.maxCount) : 0);
    nodes += count;
    addresses += count * (plugin === 'azure-cni' ? (pool.maxPods ?? maxPodsPerNode(plugin)) + 1 : 1);
  }
  return { nodes, addresses };
}

export interface SubnetResult {
  role: SpokeSubnetRole;
  range: Range | undefined;
  /** The CIDR the user gave, when it was given. */
  given: string | undefined;
}

/** Subnets of one spoke: the ones given are kept; the rest are carved from the address space around them. */
export function deriveSpokeSubnets(env: EnvironmentAnswers, plugin: Answers['network']['plugin']): SubnetResult[] {
  const space = parseCidr(env.addressSpace);
  if ('error' in space) return SPOKE_SUBNET_ROLES.map((role) => ({ role, range: undefined, given: env.subnets[role] }));
  const given = new Map<SpokeSubnetRole, Range>();
  for (const role of SPOKE_SUBNET_ROLES) {
    const cidr = env.subnets[role];
    if (cidr === undefined) continue;
    const parsed = parseCidr(cidr);
    if (!('error' in parsed)) given.set(role, parsed);
  }
  const missing = SPOKE_SUBNET_ROLES.filter((role) => env.subnets[role] === undefined);
  const prefixes = subnetPrefixes(plugin);
  const carved = allocate(
    space,
    missing.map((role) => prefixes[role]),
    [...given.values()],
  );
  return SPOKE_SUBNET_ROLES.map((role) => {
    if (env.subnets[role] !== undefined) return { role, range: given.get(role), given: env.subnets[role] };
    return { role, range: carved[missing.indexOf(role)], given: undefined };
  });
}

/**
 * The spoke subnets the answers use: the API server subnet with API server VNet integration, the system node subnet
 * with the Automatic SKU (its managed system nodes join the spoke), the rest always.
 */
export function spokeSubnetsInUse(env: EnvironmentAnswers, answers: Answers): SubnetResult[] {
  return deriveSpokeSubnets(env, answers.network.plugin).filter(
    (s) =>
      (s.role !== 'apiServer' || answers.cluster.apiServerVnetIntegration) &&
      (s.role !== 'systemNodes' || answers.cluster.sku === 'automatic'),
  );
}

export const HUB_SUBNETS = [
  { name: 'AzureFirewallSubnet', prefix: 26 },
  { name: 'AzureBastionSubnet', prefix: 26 },
  { name: 'GatewaySubnet', prefix: 27 },
] as const;

export function deriveHubSubnets(addressSpace: string): { name: string; range: Range | undefined }[] {
  const space = parseCidr(addressSpace);
  if ('error' in space) return HUB_SUBNETS.map(({ name }) => ({ name, range: undefined }));
  const carved = allocate(
    space,
    HUB_SUBNETS.map(({ prefix }) => prefix),
    [],
  );
  return HUB_SUBNETS.map(({ name }, i) => ({ name, range: carved[i] }));
}
