import type { Plan } from './index.js';

// Deploy-time contract: the privatelink.* zone each private endpoint (and a private API server) registers in. In an
// Azure landing zone the connectivity hub owns these zones and policy denies new ones in the spokes, so a zone given
// in network.privateDnsZones is referenced as it is (the hub links it to its DNS resolution); a zone not given is
// created in the environment and linked to the spoke.
// https://learn.microsoft.com/azure/private-link/private-endpoint-dns#azure-services-dns-zone-configuration
// https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/private-link-and-dns-integration-at-scale

import { PRIVATE_DNS_ZONE_ID, type PrivateDnsZoneKey } from '../azure/private-dns-zones.js';

export interface PrivateDnsZone {
  key: PrivateDnsZoneKey;
  /** The zone name as a Bicep expression, for a zone the environment creates. */
  bicepName: string;
  /** The main.bicep symbol of the module that creates it. */
  symbol: string;
  what: string;
  used: (plan: Plan) => boolean;
  source: string;
}

export const PRIVATE_DNS_ZONES: readonly PrivateDnsZone[] = [
  {
    key: 'aksApiServer',
    bicepName: "'privatelink.${location}.azmk8s.io'",
    symbol: 'clusterDnsZone',
    what: 'the private API server',
    used: (plan) => plan.components.privateCluster,
    source: 'https://learn.microsoft.com/azure/aks/private-clusters#configure-a-private-dns-zone',
  },
  {
    key: 'keyVault',
    bicepName: "'privatelink.vaultcore.azure.net'",
    symbol: 'keyVaultDnsZone',
    what: 'the Key Vault private endpoints',
    used: () => true,
    source: 'https://learn.microsoft.com/azure/private-link/private-endpoint-dns#security',
  },
  {
    key: 'containerRegistry',
    bicepName: "'privatelink.azurecr.io'",
    symbol: 'registryDnsZone',
    what: 'the container registry private endpoint',
    used: () => true,
    source: 'https://learn.microsoft.com/azure/private-link/private-endpoint-dns#containers',
  },
  {
    key: 'blob',
    bicepName: "'privatelink.blob.${environment().suffixes.storage}'",
    symbol: 'blobDnsZone',
    what: 'the Filebeat checkpoint storage private endpoint',
    used: (plan) => plan.components.filebeat,
    source: 'https://learn.microsoft.com/azure/private-link/private-endpoint-dns#storage',
  },
  {
    key: 'eventHubs',
    bicepName: "'privatelink.servicebus.windows.net'",
    symbol: 'eventHubsDnsZone',
    what: 'the Event Hubs private endpoint',
    used: (plan) => plan.components.eventHubsStreaming,
    source: 'https://learn.microsoft.com/azure/private-link/private-endpoint-dns#integration',
  },
];

export function privateDnsZone(key: PrivateDnsZoneKey): PrivateDnsZone {
  const zone = PRIVATE_DNS_ZONES.find((z) => z.key === key);
  if (!zone) throw new Error(`plan: no private DNS zone ${key}`);
  return zone;
}

/** The hub's zone for this key when the answers name one, else undefined (the environment creates it). */
export function centralZoneId(plan: Plan, key: PrivateDnsZoneKey): string | undefined {
  return plan.network.privateDnsZones[key];
}

/** The resource group and subscription of a central zone, for a deployment scoped to it. */
export function zoneScope(id: string): { subscriptionId: string; resourceGroup: string; name: string } {
  const match = PRIVATE_DNS_ZONE_ID.exec(id);
  if (!match)
    throw new Error(`plan: ${id} is not a private DNS zone resource ID; validateAnswers should have refused it`);
  return { subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[3]! };
}
