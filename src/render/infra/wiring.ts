import type { Plan } from '../../plan/index.js';
import { PLATFORM_SERVICE_ACCOUNTS } from '../../plan/service-accounts.js';
import { centralZoneId, privateDnsZone } from '../../plan/private-dns.js';
import type { PrivateDnsZoneKey } from '../../azure/private-dns-zones.js';
import { bicepString } from './bicep.js';
import { when, type Params } from './concern.js';

// How modules of different concerns hand values to each other in main.bicep: the expressions several concerns pass.

/** The kubelet identity's principal: ours when it is user-assigned, the one AKS created otherwise. */
export const kubeletPrincipal = (plan: Plan) =>
  plan.components.userAssignedKubeletIdentity
    ? 'kubeletIdentity.outputs.kubeletPrincipalId'
    : 'cluster.outputs.kubeletPrincipalId';

/** Diagnostic settings also stream to Event Hubs when the plan streams logs. */
export const eventHubParams = (plan: Plan): Params =>
  when(plan.components.eventHubsStreaming, [
    ['eventHubAuthorizationRuleId', 'eventHubs.outputs.authorizationRuleId'],
    ['eventHubName', 'eventHubs.outputs.eventHubName'],
  ]);

/** The zone a private endpoint registers in: the hub's when the answers name it, else the one the environment creates. */
export function zoneIdOf(plan: Plan, key: PrivateDnsZoneKey): string {
  const central = centralZoneId(plan, key);
  if (!central) return `${privateDnsZone(key).symbol}.outputs.zoneId`;
  // The storage suffix comes from environment(), as the Bicep linter requires of cloud host names.
  const storage = /\.core\.windows\.net$/i.exec(central);
  return storage
    ? `${bicepString(central.slice(0, storage.index + 1)).slice(0, -1)}\${environment().suffixes.storage}'`
    : bicepString(central);
}

/** The parameters of a Key Vault module (the environment vault and Filebeat's own). */
export const keyVaultParams =
  (name: string) =>
  (plan: Plan): Params => [
    ['location', 'location'],
    ['keyVaultName', name],
    ['privateEndpointSubnetId', 'network.outputs.privateEndpointsSubnetId'],
    ['privateDnsZoneId', zoneIdOf(plan, 'keyVault')],
    ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
    ...eventHubParams(plan),
    ['tags', 'resourceTags'],
  ];

/** A platform component Flux deploys that calls Azure: one federated identity, with at most one role. */
export function platformIdentity(
  component: keyof typeof PLATFORM_SERVICE_ACCOUNTS,
  role?: { id: string; reason: string },
): (plan: Plan) => Params {
  const sa = PLATFORM_SERVICE_ACCOUNTS[component];
  return () => [
    ['location', 'location'],
    ['identityName', `'id-${component}-\${environmentName}'`],
    ['namespace', bicepString(sa.namespace)],
    ['serviceAccount', bicepString(sa.serviceAccount)],
    ['oidcIssuerUrl', 'cluster.outputs.oidcIssuerUrl'],
    ...when(role !== undefined, [
      ['roleDefinitionGuid', bicepString(role?.id ?? '')],
      ['roleReason', `'${role?.reason ?? ''}'`],
    ] as Params),
    ['tags', 'resourceTags'],
  ];
}
