import { BUILT_IN_ROLES } from '../../plan/infra.js';
import { AZURE_API_VERSIONS, pinnedVersion } from '../../versions.js';
import { renderTemplate } from '../template.js';
import { api, roleDefinition } from './bicep.js';

// Module files under infra/modules: one ejs template each, given the pinned API versions and role IDs.

export function childApi(parent: keyof typeof AZURE_API_VERSIONS, child: string): string {
  return `${parent}/${child}@${pinnedVersion<string>(AZURE_API_VERSIONS, parent)}`;
}

/** What every module template may use: pinned API versions and built-in role IDs. */
const helpers = {
  api,
  role: (name: keyof typeof BUILT_IN_ROLES) => roleDefinition(BUILT_IN_ROLES[name]),
  subnetApi: childApi('Microsoft.Network/virtualNetworks', 'subnets'),
  peeringApi: childApi('Microsoft.Network/virtualNetworks', 'virtualNetworkPeerings'),
  dnsLinkApi: childApi('Microsoft.Network/privateDnsZones', 'virtualNetworkLinks'),
  dnsZoneGroupApi: childApi('Microsoft.Network/privateEndpoints', 'privateDnsZoneGroups'),
  ruleGroupApi: childApi('Microsoft.Network/firewallPolicies', 'ruleCollectionGroups'),
  eventHubApi: childApi('Microsoft.EventHub/namespaces', 'eventhubs'),
  eventHubRuleApi: childApi('Microsoft.EventHub/namespaces', 'authorizationRules'),
  networkRuleSetApi: childApi('Microsoft.EventHub/namespaces', 'networkRuleSets'),
  namespaceApi: childApi('Microsoft.ContainerService/managedClusters', 'namespaces'),
  arcNamespaceApi: childApi('Microsoft.Kubernetes/connectedClusters', 'namespaces'),
  fleetMemberApi: childApi('Microsoft.ContainerService/fleets', 'members'),
  fleetStrategyApi: childApi('Microsoft.ContainerService/fleets', 'updateStrategies'),
  fleetAutoUpgradeApi: childApi('Microsoft.ContainerService/fleets', 'autoUpgradeProfiles'),
  trafficControllerChildApi: (child: 'associations' | 'frontends' | 'securityPolicies') =>
    childApi('Microsoft.ServiceNetworking/trafficControllers', child),
};

export function renderModule(path: string, data: object = {}): string {
  return renderTemplate(`infra/modules/${path}.bicep`, { ...helpers, ...data });
}
