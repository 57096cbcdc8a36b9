// Resource names follow the Cloud Adoption Framework abbreviations: <type>-<platform>-<env>-<region>.
// Globally unique names (Key Vault, container registry) get a deploy-time suffix from uniqueString(subscription().id),
// so two tenants answering alike do not collide; the plan knows their prefix and the suffix length.

export const UNIQUE_SUFFIX_LENGTH = 6;

export interface NameRule {
  kind: string;
  min: number;
  max: number;
  pattern: RegExp;
  rule: string;
}

export const NAME_RULES = {
  resourceGroup: {
    kind: 'resource group',
    min: 1,
    max: 90,
    pattern: /^[-\w.()]*[-\w()]$/,
    rule: '1-90 letters, digits, hyphens, underscores, periods or parentheses, not ending in a period',
  },
  cluster: {
    kind: 'AKS cluster',
    min: 1,
    max: 63,
    pattern: /^[a-zA-Z0-9][-_a-zA-Z0-9]*[a-zA-Z0-9]$/,
    rule: '1-63 letters, digits, hyphens or underscores, starting and ending with a letter or digit',
  },
  keyVault: {
    kind: 'Key Vault',
    min: 3,
    max: 24,
    pattern: /^[a-zA-Z][-a-zA-Z0-9]*[a-zA-Z0-9]$/,
    rule: '3-24 letters, digits or hyphens, starting with a letter',
  },
  containerRegistry: {
    kind: 'container registry',
    min: 5,
    max: 50,
    pattern: /^[a-zA-Z0-9]+$/,
    rule: '5-50 letters or digits',
  },
  storageAccount: {
    kind: 'storage account',
    min: 3,
    max: 24,
    pattern: /^[a-z0-9]+$/,
    rule: '3-24 lowercase letters or digits',
  },
  fleet: {
    kind: 'Fleet Manager',
    min: 1,
    max: 63,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    rule: '1-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit',
  },
  virtualNetwork: {
    kind: 'virtual network',
    min: 2,
    max: 64,
    pattern: /^[a-zA-Z0-9][-\w.]*\w$/,
    rule: '2-64 letters, digits, hyphens, underscores or periods',
  },
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

export interface DerivedName {
  kind: NameKind;
  /** The full name, or the prefix when a unique suffix is appended at deploy time. */
  value: string;
  uniqueSuffix: boolean;
}

/** The longest a name gets once deployed: prefix plus the unique suffix. */
export function deployedLength(name: DerivedName): number {
  return name.value.length + (name.uniqueSuffix ? UNIQUE_SUFFIX_LENGTH : 0);
}

/** Returns why a derived name breaks its Azure rule, or undefined when it is fine. */
export function checkName(name: DerivedName): string | undefined {
  const rule = NAME_RULES[name.kind];
  const length = deployedLength(name);
  const sample = name.uniqueSuffix ? name.value + 'x'.repeat(UNIQUE_SUFFIX_LENGTH) : name.value;
  if (length < rule.min || length > rule.max || !rule.pattern.test(sample)) {
    return `${rule.kind} name "${name.value}${name.uniqueSuffix ? `<${UNIQUE_SUFFIX_LENGTH}-character suffix>` : ''}" (${length} characters) breaks the Azure rule: ${rule.rule}`;
  }
  return undefined;
}

export function environmentNames(platform: string, organisation: string, env: string, location: string) {
  return {
    resourceGroup: { kind: 'resourceGroup', value: `rg-${platform}-${env}-${location}`, uniqueSuffix: false },
    cluster: { kind: 'cluster', value: `aks-${platform}-${env}-${location}`, uniqueSuffix: false },
    nodeResourceGroup: { kind: 'resourceGroup', value: `rg-${platform}-${env}-${location}-nodes`, uniqueSuffix: false },
    virtualNetwork: { kind: 'virtualNetwork', value: `vnet-${platform}-${env}-${location}`, uniqueSuffix: false },
    keyVault: { kind: 'keyVault', value: `kv-${platform}-${env}-`, uniqueSuffix: true },
    containerRegistry: { kind: 'containerRegistry', value: `cr${organisation}${platform}${env}`, uniqueSuffix: true },
    // Filebeat's own vault and checkpoint store (log streaming to Elasticsearch): no hyphens, so they fit where the
    // environment Key Vault name fits.
    logKeyVault: { kind: 'keyVault', value: `kvlog${platform}${env}`, uniqueSuffix: true },
    logStorage: { kind: 'storageAccount', value: `stlog${platform}${env}`, uniqueSuffix: true },
  } satisfies Record<string, DerivedName>;
}

export function hubNames(platform: string, location: string) {
  return {
    resourceGroup: { kind: 'resourceGroup', value: `rg-${platform}-hub-${location}`, uniqueSuffix: false },
    virtualNetwork: { kind: 'virtualNetwork', value: `vnet-${platform}-hub-${location}`, uniqueSuffix: false },
  } satisfies Record<string, DerivedName>;
}

export function fleetNames(platform: string, location: string) {
  return {
    resourceGroup: { kind: 'resourceGroup', value: `rg-${platform}-fleet-${location}`, uniqueSuffix: false },
    fleet: { kind: 'fleet', value: `fleet-${platform}-${location}`, uniqueSuffix: false },
  } satisfies Record<string, DerivedName>;
}
