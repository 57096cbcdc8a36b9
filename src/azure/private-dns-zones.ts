// Deploy-time contract: the privatelink.* zone names Azure services register their private endpoints in (public
// Azure), and the shape of a zone's resource ID. The plan's use of them is in src/plan/private-dns.ts.
// https://learn.microsoft.com/azure/private-link/private-endpoint-dns#azure-services-dns-zone-configuration

export const PRIVATE_DNS_ZONE_NAMES = {
  // AKS also takes a subzone, <name>.privatelink.<region>.azmk8s.io.
  // https://learn.microsoft.com/azure/aks/private-clusters#configure-a-private-dns-zone
  aksApiServer: 'privatelink.{location}.azmk8s.io',
  keyVault: 'privatelink.vaultcore.azure.net',
  containerRegistry: 'privatelink.azurecr.io',
  blob: 'privatelink.blob.core.windows.net',
  eventHubs: 'privatelink.servicebus.windows.net',
} as const;
export type PrivateDnsZoneKey = keyof typeof PRIVATE_DNS_ZONE_NAMES;

/** A resource ID of a private DNS zone, its parts named. */
export const PRIVATE_DNS_ZONE_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.Network\/privateDnsZones\/([a-z0-9.-]+)$/i;

/** The zone name a key needs in a region. */
export function expectedZoneName(key: PrivateDnsZoneKey, location: string): string {
  return PRIVATE_DNS_ZONE_NAMES[key].replace('{location}', location);
}

/** Whether a zone name is the one the key needs (AKS also takes a subzone of it). */
export function zoneNameMatches(key: PrivateDnsZoneKey, name: string, location: string): boolean {
  const expected = expectedZoneName(key, location).toLowerCase();
  const given = name.toLowerCase();
  return given === expected || (key === 'aksApiServer' && given.endsWith(`.${expected}`));
}
