import { FLUX, teamClientIdVariable } from '../../plan/contracts.js';
import { FILEBEAT } from '../../plan/filebeat.js';
import type { Plan } from '../../plan/index.js';
import { FLUX_MULTI_TENANCY_SETTING } from '../../plan/flux-tenancy.js';
import { GRAFANA_ADMIN, grafanaAdminFromKeyVault } from '../../plan/grafana.js';
import { ARC_EXTENSIONS } from '../../plan/hybrid.js';
import { BUILT_IN_ROLES, nodeRouteTable, REGISTRY_UNTAGGED_RETENTION_DAYS } from '../../plan/infra.js';
import { secretsOfficers } from '../../plan/key-vault.js';
import {
  jobRole,
  operatorIdentityName,
  operatorRoleGuid,
  pipelineResourceGroup,
} from '../../plan/pipeline-identities.js';
import { PLATFORM_SERVICE_ACCOUNTS } from '../../plan/service-accounts.js';
import { centralZoneId, privateDnsZone, zoneScope } from '../../plan/private-dns.js';
import type { PrivateDnsZoneKey } from '../../azure/private-dns-zones.js';
import { GRAFANA_MAJOR_VERSION } from '../../versions.js';
import { api, bicepKey, bicepString } from './bicep.js';
import { renderCluster } from './cluster.js';
import { childApi, renderModule } from './module-file.js';
import { renderNetwork } from './network.js';
import { bicepLiteral } from './bicep.js';
import { POLICY_DEFINITIONS } from '../../azure/policy-definitions.js';
import {
  ALERT_RULES,
  RECORDING_RULE_GROUPS,
  UPGRADE_NOTIFICATIONS,
  upgradeNotificationKinds,
} from '../../plan/alerts.js';
import { allowedRegistries, podSecurityDefinition, policyExcludedNamespaces } from '../../plan/policy.js';

// The environment's Bicep modules as data, in the order main.bicep calls them. One entry drives the module's file
// under infra/modules, its `module` block in main.bicep and the Flux variables its outputs provide; the condition
// is in code here, the Bicep text in the module's template (templates/infra/modules/<file>.bicep.ejs).

/** A `module` block of main.bicep. */
export interface ModuleCall {
  why: string;
  symbol: string;
  file: string;
  scope: string;
  loop?: string;
  /** Deploys only when true (per item, with a loop). */
  condition?: string;
  params: [string, string][];
  dependsOn: string[];
}

type Params = [string, string][];

/**
 * The authorized ranges plus the cluster's own egress address, which must reach the API server too. AKS adds a load
 * balancer's outbound IP itself; a NAT gateway's or the created hub firewall's is read at deployment. An existing hub
 * firewall's address is its owners' to give (validation warns).
 * https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges
 */
function authorizedRanges(plan: Plan): string {
  if (plan.components.natGateway) return "union(authorizedIpRanges, ['${network.outputs.natPublicIpAddress}/32'])";
  if (plan.components.egressThroughFirewall && plan.hub.mode === 'create')
    return "union(authorizedIpRanges, ['${hubFirewallPublicIp.properties.ipAddress}/32'])";
  return 'authorizedIpRanges';
}

export interface InfraModule {
  /** The Bicep symbol of its `module` block. */
  symbol: string;
  /** Its file, infra/modules/<file>.bicep; several entries may call one file. */
  file: string;
  /** Whether the plan has it; always when absent. */
  when?: (plan: Plan) => boolean;
  /** The why-comment above its `module` block. */
  why: string | ((plan: Plan) => string);
  /** The deployment scope; the environment resource group when absent. */
  scope?: string | ((plan: Plan) => string);
  loop?: string;
  /** A Bicep condition (per item with a loop): deployed only when it holds. */
  condition?: string;
  params: (plan: Plan) => Params;
  dependsOn?: (plan: Plan) => string[];
  /** Flux variables (plan/contracts fluxVariables) whose value is one of its outputs: name -> Bicep expression. */
  flux?: (plan: Plan) => [variable: string, expression: string][];
}

/** How a module file is rendered when its template needs more than the pinned API versions and role IDs. */
const FILE_RENDERERS: Record<string, (plan: Plan) => string> = {
  'ingress-certificate-access': () =>
    renderModule('ingress-certificate-access', { secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets') }),
  'ingress-dns-access': (plan) =>
    renderModule('ingress-dns-access', {
      private: plan.ingress?.dnsZone?.private ?? false,
      zoneApi: api(plan.ingress?.dnsZone?.private ? 'Microsoft.Network/privateDnsZones' : 'Microsoft.Network/dnsZones'),
    }),
  network: renderNetwork,
  cluster: renderCluster,
  monitoring: (plan) =>
    renderModule('monitoring', {
      containerInsights: plan.components.containerInsights,
      why: `One workspace per environment receives diagnostic logs, Defender findings${plan.components.containerInsights ? ' and Container Insights' : ''}.`,
    }),
  grafana: (plan) =>
    renderModule('grafana', {
      prometheus: plan.components.managedPrometheus,
      grafanaMajorVersion: GRAFANA_MAJOR_VERSION,
    }),
  'key-vault': (plan) => renderModule('key-vault', { eventHubs: plan.components.eventHubsStreaming }),
  'grafana-admin': () =>
    renderModule('grafana-admin', { ...GRAFANA_ADMIN, secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets') }),
  registry: (plan) =>
    renderModule('registry', {
      eventHubs: plan.components.eventHubsStreaming,
      retentionDays: REGISTRY_UNTAGGED_RETENTION_DAYS,
    }),
  'team-identity': (plan) =>
    renderModule('team-identity', {
      federated: plan.components.workloadIdentity,
      keyVault: plan.components.keyVaultCsi,
    }),
  filebeat: () =>
    renderModule('filebeat', {
      ...FILEBEAT,
      consumerGroupApi: childApi('Microsoft.EventHub/namespaces', 'eventhubs/consumergroups'),
      blobServiceApi: childApi('Microsoft.Storage/storageAccounts', 'blobServices'),
      blobContainerApi: childApi('Microsoft.Storage/storageAccounts', 'blobServices/containers'),
      secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets'),
    }),
  alerts: (plan) => {
    const kinds = plan.components.actionGroup ? upgradeNotificationKinds(plan) : [];
    return renderModule('alerts', {
      prometheus: plan.components.managedPrometheus,
      actionGroup: plan.components.actionGroup,
      recordingRuleGroups: bicepLiteral(
        RECORDING_RULE_GROUPS.map((group) => ({
          prefix: group.prefix,
          description: group.description,
          rules: group.rules.map((rule) => ({ ...rule })),
        })),
      ),
      recordingSource: RECORDING_RULE_GROUPS[0]!.source,
      alertRules: bicepLiteral(
        ALERT_RULES.map((rule) => ({
          alert: rule.alert,
          expression: rule.expression,
          for: rule.for,
          severity: rule.severity,
          description: rule.description,
        })),
      ),
      alertSource: ALERT_RULES[0]!.source,
      upgradeKinds: kinds,
      upgradeKindsLiteral: bicepLiteral(kinds),
      upgradeQuery: UPGRADE_NOTIFICATIONS.query,
      upgradeSource: UPGRADE_NOTIFICATIONS.source,
      frequency: UPGRADE_NOTIFICATIONS.frequency,
      window: UPGRADE_NOTIFICATIONS.window,
    });
  },
  policy: (plan) =>
    renderModule('policy', {
      excludedNamespaces: bicepLiteral(policyExcludedNamespaces(plan)),
      podSecurity: podSecurityDefinition(plan),
      allowedImages: POLICY_DEFINITIONS.allowedImages,
    }),
  'cluster-access': (plan) => renderModule('cluster-access', { azureRbac: plan.components.azureRbac }),
  'arc-cluster': (plan) =>
    renderModule('arc-cluster', {
      extensions: ARC_EXTENSIONS,
      flux: plan.components.fluxConfiguration && plan.gitRepository !== undefined,
      privateRepository: plan.gitRepository?.private ?? false,
      fluxNamespace: FLUX.namespace,
      fluxConfigurationName: FLUX.configurationName,
      rootKey: bicepKey(FLUX.rootKustomization),
      containerInsights: plan.components.containerInsights,
      keyVaultCsi: plan.components.keyVaultCsi,
      azurePolicy: plan.answers.cluster.azurePolicy,
      entraId: plan.components.entraId,
      azureRbac: plan.components.azureRbac,
      workloadIdentity: arcFederates(plan),
    }),
  'pipeline-operator': () =>
    renderModule('pipeline-operator', {
      operatorRoleGuid: operatorRoleGuid('operatorIdentityResourceGroupName'),
      push: jobRole('image-push'),
    }),
  flux: (plan) =>
    renderModule('flux', {
      flux: FLUX,
      multiTenancy: FLUX_MULTI_TENANCY_SETTING,
      rootKey: bicepKey(FLUX.rootKustomization),
      privateRepository: plan.gitRepository?.private ?? false,
    }),
};

const kubeletPrincipal = (plan: Plan) =>
  plan.components.userAssignedKubeletIdentity
    ? 'kubeletIdentity.outputs.kubeletPrincipalId'
    : 'cluster.outputs.kubeletPrincipalId';

const eventHubParams = (plan: Plan): Params =>
  plan.components.eventHubsStreaming
    ? [
        ['eventHubAuthorizationRuleId', 'eventHubs.outputs.authorizationRuleId'],
        ['eventHubName', 'eventHubs.outputs.eventHubName'],
      ]
    : [];

/** The zone a private endpoint registers in: the hub's when the answers name it, else the one the environment creates. */
function zoneIdOf(plan: Plan, key: PrivateDnsZoneKey): string {
  const central = centralZoneId(plan, key);
  if (!central) return `${privateDnsZone(key).symbol}.outputs.zoneId`;
  // The storage suffix comes from environment(), as the Bicep linter requires of cloud host names.
  const storage = /\.core\.windows\.net$/i.exec(central);
  return storage
    ? `${bicepString(central.slice(0, storage.index + 1)).slice(0, -1)}\${environment().suffixes.storage}'`
    : bicepString(central);
}

/** A zone module when the plan uses the zone and the hub does not own it. */
const createsZone = (key: PrivateDnsZoneKey) => (plan: Plan) =>
  privateDnsZone(key).used(plan) && centralZoneId(plan, key) === undefined;

const keyVaultParams =
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

const zoneModuleParams = (key: PrivateDnsZoneKey) => (): Params => [
  ['zoneName', privateDnsZone(key).bicepName],
  ['virtualNetworkId', 'network.outputs.virtualNetworkId'],
  ['tags', 'resourceTags'],
];

/** The environment's own zone for a private endpoint, when the hub does not provide it. */
function zoneModule(key: PrivateDnsZoneKey): InfraModule {
  const zone = privateDnsZone(key);
  return {
    symbol: zone.symbol,
    file: 'private-dns-zone',
    when: createsZone(key),
    why: `Private DNS zone of ${zone.what}.`,
    params: zoneModuleParams(key),
  };
}

/** A platform component Flux deploys that calls Azure: one federated identity, with at most one role. */
function platformIdentity(
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
    ...((role
      ? [
          ['roleDefinitionGuid', bicepString(role.id)],
          ['roleReason', `'${role.reason}'`],
        ]
      : []) as Params),
    ['tags', 'resourceTags'],
  ];
}

export const ENVIRONMENT_MODULES: readonly InfraModule[] = [
  {
    symbol: 'identity',
    file: 'identity',
    why: 'The control-plane identity exists first, so its rights are in place before the cluster is created.',
    params: () => [
      ['location', 'location'],
      ['clusterIdentityName', 'names.clusterIdentity'],
      ['tags', 'resourceTags'],
    ],
  },
  {
    symbol: 'kubeletIdentity',
    file: 'kubelet-identity',
    when: (plan) => plan.components.userAssignedKubeletIdentity,
    why: 'Bring-your-own kubelet identity: AcrPull and nothing else.',
    params: () => [
      ['location', 'location'],
      ['kubeletIdentityName', 'names.kubeletIdentity'],
      ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
      ['tags', 'resourceTags'],
    ],
  },
  {
    symbol: 'network',
    file: 'network',
    why: 'Spoke network: subnets with NSGs, the egress route and the peering to the hub.',
    params: (plan) => {
      const c = plan.components;
      const hub = plan.hub.mode;
      return [
        ['location', 'location'],
        ['virtualNetworkName', 'names.virtualNetwork'],
        ['addressSpace', 'addressSpace'],
        ['subnetPrefixes', 'subnetPrefixes'],
        ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
        ...((nodeRouteTable(plan) ? [['routeTableName', 'names.routeTable']] : []) as Params),
        ...((c.egressThroughFirewall
          ? [
              [
                'firewallPrivateIp',
                hub === 'create'
                  ? 'hubFirewall.properties.ipConfigurations[0].properties.privateIPAddress'
                  : 'firewallPrivateIp',
              ],
            ]
          : []) as Params),
        ...((c.natGateway ? [['natGatewayName', 'names.natGateway']] : []) as Params),
        ...((hub !== 'none'
          ? [['hubVirtualNetworkId', hub === 'create' ? 'hubVirtualNetwork.id' : 'hubVirtualNetworkId']]
          : []) as Params),
        ['tags', 'resourceTags'],
      ];
    },
  },
  {
    symbol: 'hubPeering',
    file: 'hub-peering',
    when: (plan) => plan.hub.mode === 'create' && plan.hub.names !== undefined,
    why: 'Hub-to-spoke half of the peering, in the hub resource group.',
    scope: 'resourceGroup(hubResourceGroupName)',
    params: () => [
      ['hubVirtualNetworkName', 'hubVirtualNetwork.name'],
      ['peeringName', "'peer-to-${names.virtualNetwork}'"],
      ['spokeVirtualNetworkId', 'network.outputs.virtualNetworkId'],
    ],
  },
  {
    symbol: 'clusterDnsZone',
    file: 'cluster-dns-zone',
    when: createsZone('aksApiServer'),
    why: 'Private DNS zone of the private API server, managed by the control-plane identity.',
    params: () => [
      ['zoneName', privateDnsZone('aksApiServer').bicepName],
      ['virtualNetworkId', 'network.outputs.virtualNetworkId'],
      ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
      ['tags', 'resourceTags'],
    ],
  },
  {
    symbol: 'clusterDnsZoneRole',
    file: 'dns-zone-role',
    when: (plan) => plan.components.privateCluster && centralZoneId(plan, 'aksApiServer') !== undefined,
    why: "The hub owns the API server's zone: the control-plane identity may write its record there (Private DNS Zone Contributor).",
    scope: (plan) => {
      const zone = zoneScope(centralZoneId(plan, 'aksApiServer')!);
      return `resourceGroup(${bicepString(zone.subscriptionId)}, ${bicepString(zone.resourceGroup)})`;
    },
    params: (plan) => [
      ['zoneName', bicepString(zoneScope(centralZoneId(plan, 'aksApiServer')!).name)],
      ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
    ],
  },
  zoneModule('keyVault'),
  zoneModule('containerRegistry'),
  zoneModule('blob'),
  zoneModule('eventHubs'),
  {
    symbol: 'monitoring',
    file: 'monitoring',
    why: 'Log Analytics (diagnostics, Defender) and Container Insights collection.',
    params: () => [
      ['location', 'location'],
      ['logAnalyticsName', 'names.logAnalytics'],
      ['retentionInDays', 'logRetentionDays'],
      ['tags', 'resourceTags'],
    ],
  },
  {
    symbol: 'prometheus',
    file: 'prometheus',
    when: (plan) => plan.components.managedPrometheus,
    why: 'Managed Prometheus: Azure Monitor workspace and its collection rule.',
    params: () => [
      ['location', 'location'],
      ['monitorWorkspaceName', 'names.monitorWorkspace'],
      ['tags', 'resourceTags'],
    ],
  },
  {
    symbol: 'grafana',
    file: 'grafana',
    when: (plan) => plan.components.managedGrafana,
    why: (plan) =>
      'Azure Managed Grafana over Azure Monitor' +
      (plan.components.managedPrometheus ? ' and managed Prometheus.' : '.'),
    params: (plan) => [
      ['location', 'location'],
      ['grafanaName', 'names.grafana'],
      ...((plan.components.managedPrometheus
        ? [['monitorWorkspaceId', 'prometheus.outputs.monitorWorkspaceId']]
        : []) as Params),
      ['zoneRedundant', 'zoneRedundant'],
      ['adminGroupObjectIds', plan.components.entraId ? 'adminGroupObjectIds' : '[]'],
      ['tags', 'resourceTags'],
    ],
  },
  {
    symbol: 'eventHubs',
    file: 'event-hubs',
    when: (plan) => plan.components.eventHubsStreaming,
    why: 'Event Hubs namespace that diagnostic settings stream to, reachable only through its private endpoint.',
    params: (plan) => [
      ['location', 'location'],
      ['namespaceName', 'eventHubsNamespaceName'],
      ['privateEndpointSubnetId', 'network.outputs.privateEndpointsSubnetId'],
      ['privateDnsZoneId', zoneIdOf(plan, 'eventHubs')],
      ['tags', 'resourceTags'],
    ],
  },
  {
    symbol: 'keyVault',
    file: 'key-vault',
    why: 'Key Vault with RBAC authorisation, purge protection and a private endpoint.',
    params: (plan) => [
      ...keyVaultParams('keyVaultName')(plan),
      ...((secretsOfficers(plan) ? [['vaultOfficerGroupIds', 'adminGroupObjectIds']] : []) as Params),
    ],
    flux: () => [['KEY_VAULT_NAME', 'keyVault.outputs.keyVaultName']],
  },
  {
    symbol: 'cluster',
    file: 'cluster',
    why: 'The AKS cluster, its maintenance windows, monitoring associations and diagnostic settings.',
    params: (plan) => {
      const c = plan.components;
      const when = (condition: boolean, params: Params): Params => (condition ? params : []);
      return [
        ['location', 'location'],
        ['clusterName', 'names.cluster'],
        ['nodeResourceGroupName', 'names.nodeResourceGroup'],
        ['kubernetesVersion', 'kubernetesVersion'],
        ['skuTier', 'skuTier'],
        ['clusterIdentityId', 'identity.outputs.clusterIdentityId'],
        ...when(c.userAssignedKubeletIdentity, [
          ['kubeletIdentityId', 'kubeletIdentity.outputs.kubeletIdentityId'],
          ['kubeletClientId', 'kubeletIdentity.outputs.kubeletClientId'],
          ['kubeletPrincipalId', 'kubeletIdentity.outputs.kubeletPrincipalId'],
        ]),
        ['nodeSubnetId', 'network.outputs.nodesSubnetId'],
        ...when(c.apiServerVnetIntegration, [['apiServerSubnetId', 'network.outputs.apiServerSubnetId']]),
        ...when(c.authorizedIpRanges, [['authorizedIpRanges', authorizedRanges(plan)]]),
        ...when(c.privateCluster, [['privateDnsZoneId', zoneIdOf(plan, 'aksApiServer')]]),
        ...when(c.entraId, [['adminGroupObjectIds', 'adminGroupObjectIds']]),
        ['agentPools', 'agentPools'],
        ['maxSurge', 'maxSurge'],
        ['maintenanceWindow', 'maintenanceWindow'],
        ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
        ...when(c.containerInsights, [['containerInsightsRuleId', 'monitoring.outputs.containerInsightsRuleId']]),
        ...when(c.managedPrometheus, [
          ['prometheusRuleId', 'prometheus.outputs.prometheusRuleId'],
          ['prometheusEndpointId', 'prometheus.outputs.collectionEndpointId'],
        ]),
        ...eventHubParams(plan),
        ['tags', 'resourceTags'],
      ];
    },
    // A hub-owned zone is a literal ID, so the role on it is awaited explicitly.
    dependsOn: (plan) =>
      plan.components.privateCluster && centralZoneId(plan, 'aksApiServer') !== undefined ? ['clusterDnsZoneRole'] : [],
    flux: () => [['CLUSTER_NAME', 'cluster.outputs.clusterName']],
  },
  {
    symbol: 'registry',
    file: 'registry',
    why: 'Container registry (Premium, private endpoint, no admin user); the kubelet identity pulls from it.',
    params: (plan) => [
      ['location', 'location'],
      ['registryName', 'registryName'],
      ['privateEndpointSubnetId', 'network.outputs.privateEndpointsSubnetId'],
      ['privateDnsZoneId', zoneIdOf(plan, 'containerRegistry')],
      ['kubeletPrincipalId', kubeletPrincipal(plan)],
      ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
      ...eventHubParams(plan),
      ['tags', 'resourceTags'],
    ],
  },
  {
    symbol: 'alerts',
    file: 'alerts',
    why: (plan) =>
      [
        plan.components.actionGroup ? 'The action group' : undefined,
        plan.components.managedPrometheus ? 'the recording rules and platform alerts of managed Prometheus' : undefined,
        'the Event Grid topic of the AKS events',
      ]
        .filter((part): part is string => part !== undefined)
        .join(', ')
        .replace(/^./, (first) => first.toUpperCase())
        .concat('.'),
    params: (plan) => [
      ['location', 'location'],
      ['clusterName', 'cluster.outputs.clusterName'],
      ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
      ...((plan.components.managedPrometheus
        ? [['monitorWorkspaceId', 'prometheus.outputs.monitorWorkspaceId']]
        : []) as Params),
      ...((plan.components.actionGroup
        ? [
            ['actionGroupName', 'names.actionGroup'],
            // At most 12 characters; it names the environment in SMS and email subjects.
            ['actionGroupShortName', "take('aks-${environmentName}', 12)"],
            ['alertEmails', 'alertEmails'],
          ]
        : []) as Params),
      ['tags', 'resourceTags'],
    ],
  },
  {
    symbol: 'policy',
    file: 'policy',
    when: (plan) => plan.components.policyAssignments,
    why: 'Azure Policy for Kubernetes: the pod security initiative and the allowed registries, audited or enforced.',
    params: (plan) => [
      ['clusterName', 'cluster.outputs.clusterName'],
      ['policyEffect', 'policyEffect'],
      [
        'allowedRegistries',
        `[${['registry.outputs.loginServer', ...allowedRegistries(plan).map(bicepString)].join(', ')}]`,
      ],
    ],
  },
  {
    symbol: 'teamIdentities',
    file: 'team-identity',
    when: (plan) => plan.components.teamAzureIdentities && plan.teams.length > 0,
    why: (plan) =>
      plan.components.workloadIdentity
        ? 'Per team: an Azure identity federated with the team service account.'
        : 'Per team: an Azure identity that AAD Pod Identity assigns to the team pods.',
    loop: 'team in teams',
    params: (plan) => [
      ['location', 'location'],
      ['identityName', 'team.identityName'],
      ...((plan.components.workloadIdentity
        ? [
            ['namespace', 'team.namespace'],
            ['serviceAccount', 'team.serviceAccount'],
            ['oidcIssuerUrl', 'cluster.outputs.oidcIssuerUrl'],
          ]
        : [['kubeletPrincipalId', kubeletPrincipal(plan)]]) as Params),
      ...((plan.components.keyVaultCsi ? [['keyVaultName', 'keyVault.outputs.keyVaultName']] : []) as Params),
      ['tags', 'resourceTags'],
    ],
    flux: (plan) =>
      plan.teams.flatMap((team, i): [string, string][] => [
        [teamClientIdVariable(team), `teamIdentities[${i}].outputs.clientId`],
        [
          teamClientIdVariable(team).replace(/_CLIENT_ID$/, '_IDENTITY_RESOURCE_ID'),
          `teamIdentities[${i}].outputs.identityId`,
        ],
      ]),
  },
  {
    symbol: 'podIdentityRoles',
    file: 'pod-identity-roles',
    when: (plan) => plan.components.aadPodIdentity,
    why: 'AAD Pod Identity needs the kubelet identity to manage identities on the nodes, in the node resource group AKS created.',
    scope: 'resourceGroup(names.nodeResourceGroup)',
    params: (plan) => [['kubeletPrincipalId', kubeletPrincipal(plan)]],
    // The node resource group exists once the cluster does; a cluster-created kubelet identity already implies that.
    dependsOn: (plan) => (plan.components.userAssignedKubeletIdentity ? ['cluster'] : []),
  },
  {
    symbol: 'grafanaIdentity',
    file: 'platform-identity',
    when: (plan) => plan.components.grafanaAzureMonitor,
    why: 'Identity of the Grafana that Flux deploys, reading Azure Monitor.',
    params: platformIdentity('grafana', {
      id: BUILT_IN_ROLES.monitoringReader,
      reason: 'Grafana reads Azure Monitor data of the environment',
    }),
    flux: () => [['GRAFANA_CLIENT_ID', 'grafanaIdentity.outputs.clientId']],
  },
  {
    symbol: 'grafanaAdmin',
    file: 'grafana-admin',
    when: (plan) => grafanaAdminFromKeyVault(plan.components),
    why: "Grafana's admin login in the environment vault, readable by the Grafana identity alone; never the chart's default.",
    params: () => [
      ['keyVaultName', 'keyVault.outputs.keyVaultName'],
      ['grafanaPrincipalId', 'grafanaIdentity.outputs.principalId'],
      ['adminUser', bicepString(GRAFANA_ADMIN.user)],
      ['adminPassword', 'grafanaAdminPassword'],
    ],
  },
  {
    // Its only right is Key Vault Secrets User on its own vault, granted by the filebeat module.
    symbol: 'filebeatIdentity',
    file: 'platform-identity',
    when: (plan) => plan.components.filebeat,
    why: 'Identity of the Filebeat that Flux deploys; the Secrets Store CSI driver reads its credentials with it.',
    params: platformIdentity('filebeat'),
    flux: () => [['FILEBEAT_CLIENT_ID', 'filebeatIdentity.outputs.clientId']],
  },
  {
    symbol: 'logKeyVault',
    file: 'key-vault',
    when: (plan) => plan.components.filebeat,
    why: 'Filebeat keeps its credentials in a vault of its own, out of reach of the team identities.',
    params: keyVaultParams('logKeyVaultName'),
    flux: () => [['FILEBEAT_KEY_VAULT_NAME', 'logKeyVault.outputs.keyVaultName']],
  },
  {
    symbol: 'filebeat',
    file: 'filebeat',
    when: (plan) => plan.components.filebeat,
    why: 'Filebeat: consumer group, Listen-only rule, checkpoint storage, and its credentials in its vault.',
    params: (plan) => [
      ['location', 'location'],
      ['keyVaultName', 'logKeyVault.outputs.keyVaultName'],
      ['storageAccountName', 'logStorageName'],
      ['eventHubsNamespaceName', 'eventHubs.outputs.namespaceName'],
      ['eventHubName', 'eventHubs.outputs.eventHubName'],
      ['readerPrincipalId', 'filebeatIdentity.outputs.principalId'],
      ['privateEndpointSubnetId', 'network.outputs.privateEndpointsSubnetId'],
      ['blobDnsZoneId', zoneIdOf(plan, 'blob')],
      ['elasticsearchApiKey', 'elasticsearchApiKey'],
      ['tags', 'resourceTags'],
    ],
    flux: () => [['FILEBEAT_STORAGE_ACCOUNT', 'filebeat.outputs.storageAccountName']],
  },
  {
    symbol: 'ingressIdentity',
    file: 'platform-identity',
    when: (plan) => plan.ingress?.identity ?? false,
    why: 'Identity of the platform Gateway: it syncs the TLS certificate and publishes DNS records, granted below.',
    params: platformIdentity('ingress'),
    flux: () => [['INGRESS_CLIENT_ID', 'ingressIdentity.outputs.clientId']],
  },
  {
    symbol: 'ingressCertificateAccess',
    file: 'ingress-certificate-access',
    when: (plan) => plan.ingress?.certificateName !== undefined,
    why: 'The Gateway identity may read its TLS certificate (Key Vault Secrets User on that secret only).',
    params: (plan) => [
      ['keyVaultName', 'keyVault.outputs.keyVaultName'],
      ['certificateName', bicepString(plan.ingress?.certificateName ?? '')],
      ['readerPrincipalId', 'ingressIdentity.outputs.principalId'],
    ],
    flux: () => [['INGRESS_CERTIFICATE_URI', 'ingressCertificateAccess.outputs.certificateUri']],
  },
  {
    symbol: 'ingressDnsAccess',
    file: 'ingress-dns-access',
    when: (plan) => plan.ingress?.dnsZone !== undefined,
    why: 'The Gateway identity may write records in the answered DNS zone, in its own subscription and resource group.',
    scope: (plan) =>
      `resourceGroup(${bicepString(plan.ingress?.dnsZone?.subscriptionId ?? '')}, ${bicepString(plan.ingress?.dnsZone?.resourceGroup ?? '')})`,
    params: (plan) => [
      ['zoneName', bicepString(plan.ingress?.dnsZone?.name ?? '')],
      ['writerPrincipalId', 'ingressIdentity.outputs.principalId'],
    ],
  },
  {
    symbol: 'clusterAccess',
    file: 'cluster-access',
    when: (plan) => plan.components.entraId,
    why: (plan) =>
      plan.components.azureRbac
        ? 'Azure RBAC for Kubernetes: admin groups and team groups (namespace scope).'
        : 'Entra groups may fetch a kubeconfig; their Kubernetes rights are RoleBindings in Git.',
    params: () => [
      ['clusterName', 'cluster.outputs.clusterName'],
      ['adminGroupObjectIds', 'adminGroupObjectIds'],
      ['teamGroups', 'teamGroups'],
    ],
  },
  {
    symbol: 'pipelineOperator',
    file: 'pipeline-operator',
    when: (plan) => plan.components.githubActions || plan.components.azureDevOps,
    why: "The pipelines' operator identity (infra/bootstrap) may start, stop and upgrade this cluster and push to this registry, and nothing else.",
    params: (plan) => [
      ['clusterName', 'cluster.outputs.clusterName'],
      ['registryName', 'registry.outputs.registryName'],
      ['operatorIdentityResourceGroupName', bicepString(pipelineResourceGroup(plan))],
      ['operatorIdentityName', operatorIdentityName(plan, '${environmentName}')],
    ],
  },
  {
    symbol: 'flux',
    file: 'flux',
    when: (plan) => plan.components.fluxConfiguration && plan.gitRepository !== undefined,
    why: 'Flux extension and the configuration that points the cluster at this repository.',
    params: (plan) => [
      ['clusterName', 'cluster.outputs.clusterName'],
      ['gitRepositoryUrl', bicepString(plan.gitRepository?.url ?? '')],
      ['gitBranch', bicepString(plan.gitRepository?.branch ?? '')],
      ['clusterPath', "'./clusters/${environmentName}'"],
      ['substitute', 'fluxSubstitutions'],
      ...((plan.gitRepository?.private ? [['gitToken', 'fluxGitToken']] : []) as Params),
    ],
  },
  {
    symbol: 'arcClusterExtensions',
    file: 'arc-cluster',
    when: (plan) => plan.components.arc,
    why: 'Arc-enabled clusters: the extensions AKS has built in, the Flux configuration of their entry point, access.',
    loop: 'arc in arcClusters',
    scope: 'resourceGroup(arc.resourceGroup)',
    params: arcClusterParams,
  },
  {
    symbol: 'arcFederation',
    file: 'arc-federation',
    when: arcFederates,
    why: 'Team identities trust the issuer of each Arc cluster connected with workload identity.',
    loop: '(arc, i) in arcClusters',
    condition: 'arc.workloadIdentity',
    params: () => [
      ['clusterName', 'arc.name'],
      ['oidcIssuerUrl', 'arcClusterExtensions[i].outputs.oidcIssuerUrl'],
      ['teams', 'teams'],
    ],
    dependsOn: () => ['teamIdentities'],
  },
];

/** Some Arc cluster federates the team identities: workload identity is on, teams exist, the cluster supports it. */
function arcFederates(plan: Plan): boolean {
  return (
    plan.components.workloadIdentity &&
    plan.teams.length > 0 &&
    plan.clusters.some((cluster) => cluster.kind === 'arc' && cluster.capabilities.workloadIdentity)
  );
}

function arcClusterParams(plan: Plan): Params {
  const c = plan.components;
  const params: Params = [['clusterName', 'arc.name']];
  if (c.containerInsights)
    params.push(
      ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
      ['containerInsightsRuleId', 'monitoring.outputs.containerInsightsRuleId'],
    );
  if (c.keyVaultCsi)
    params.push(
      ['rotationPollInterval', bicepString(plan.answers.secrets.rotationPollInterval)],
      ['syncSecrets', String(plan.teams.some((t) => t.syncAsKubernetesSecret))],
    );
  if (c.entraId) params.push(['adminGroupObjectIds', 'adminGroupObjectIds'], ['teamGroups', 'teamGroups']);
  if (c.fluxConfiguration && plan.gitRepository) {
    params.push(
      ['gitRepositoryUrl', bicepString(plan.gitRepository.url)],
      ['gitBranch', bicepString(plan.gitRepository.branch)],
      ['clusterPath', "'./clusters/${arc.name}'"],
      ['substitute', 'union(fluxSubstitutions, {\n      CLUSTER_NAME: arc.name\n    })'],
      ...((plan.gitRepository.private ? [['gitToken', 'fluxGitToken']] : []) as Params),
    );
  }
  return params;
}

function activeModules(plan: Plan): InfraModule[] {
  return ENVIRONMENT_MODULES.filter((m) => m.when?.(plan) ?? true);
}

/** The `module` blocks of main.bicep, in order. */
export function moduleCalls(plan: Plan): ModuleCall[] {
  return activeModules(plan).map((m) => ({
    why: typeof m.why === 'string' ? m.why : m.why(plan),
    symbol: m.symbol,
    file: m.file,
    scope: (typeof m.scope === 'function' ? m.scope(plan) : m.scope) ?? 'environmentGroup',
    ...(m.loop ? { loop: m.loop } : {}),
    ...(m.condition ? { condition: m.condition } : {}),
    params: m.params(plan),
    dependsOn: m.dependsOn?.(plan) ?? [],
  }));
}

/** The files of the modules main.bicep calls, each once. */
export function moduleFiles(plan: Plan): [string, string][] {
  const files = [...new Set(activeModules(plan).map((m) => m.file))];
  return files.map((file) => [
    `infra/modules/${file}.bicep`,
    (FILE_RENDERERS[file] ?? (() => renderModule(file)))(plan),
  ]);
}

/** The Bicep expression of each Flux variable a module's outputs provide. */
export function moduleFluxSources(plan: Plan): Map<string, string> {
  return new Map(activeModules(plan).flatMap((m) => m.flux?.(plan) ?? []));
}
