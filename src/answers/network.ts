import type { Answers, EnvironmentAnswers } from './schema.js';
import { allocate, parseCidr, type Range } from '../util/cidr.js';

export const SPOKE_SUBNET_ROLES = ['nodes', 'ingress', 'privateEndpoints', 'access', 'apiServer'] as const;
export type SpokeSubnetRole = (typeof SPOKE_SUBNET_ROLES)[number];

/** Subnet sizes when derived: flat Azure CNI gives every pod a VNet address, so its node subnet is 16 times larger. */
export function subnetPrefixes(plugin: Answers['network']['plugin']): Record<SpokeSubnetRole, number> {
  return { nodes: plugin === 'azure-cni' ? 20 : 22, ingress: 24, privateEndpoints: 24, access: 24, apiServer: 28 };
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
