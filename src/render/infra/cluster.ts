import type { Plan } from '../../plan/index.js';
import { CLUSTER_LOG_CATEGORIES } from '../../plan/infra.js';
import { INGRESS_CONTRACTS } from '../../plan/ingress.js';
import { AUTOSCALER_PROFILE } from '../../plan/node-pools.js';
import { AUTOMATIC_CLUSTER } from '../../azure/aks-automatic.js';
import { KUBERNETES_VERSION_VARIABLE } from '../../plan/contracts.js';
import { centralZoneId } from '../../plan/private-dns.js';
import { bicepLiteral, bicepString, expr, type BicepValue } from './bicep.js';
import { when, type InfraConcern, type MainParam, type Params } from './concern.js';
import { renderModule } from './module-file.js';
import { bicepType } from './types.js';
import { eventHubParams, zoneIdOf } from './wiring.js';

// The cluster concern: the cluster module (network profile, pools, add-ons, maintenance windows, diagnostics) and the
// main.bicep parameters of its version, tier, pools and upgrades.

interface MaintenanceSchedule {
  symbol: string;
  name: string;
  why: string;
}

/**
 * Both AKS-managed maintenance schedules on every cluster, on the one weekly window of the answers. A schedule only
 * times what its channel does (planned maintenance never turns an upgrade on or off), so with a channel off it waits
 * for the day the channel is turned on instead of leaving that upgrade unscheduled (PSRule Azure.AKS.MaintenanceWindow).
 * https://learn.microsoft.com/azure/aks/planned-maintenance#schedule-configuration-types-for-planned-maintenance
 */
export function maintenanceSchedules(plan: Plan): MaintenanceSchedule[] {
  const c = plan.components;
  const channel = plan.upgradeChannels.nodeOsUpgradeChannel;
  return [
    {
      symbol: 'autoUpgradeSchedule',
      name: 'aksManagedAutoUpgradeSchedule',
      why: c.autoUpgradeWindow
        ? 'Kubernetes auto-upgrades run only inside the weekly maintenance window.'
        : 'Kubernetes auto-upgrade is off (the pipeline upgrades); if the channel is turned on, upgrades run only in the weekly window.',
    },
    {
      symbol: 'nodeOsUpgradeSchedule',
      name: 'aksManagedNodeOSUpgradeSchedule',
      why: c.nodeOsUpgradeWindow
        ? 'Node OS updates roll out only inside the weekly maintenance window.'
        : `The node OS channel is ${channel}${plan.upgrades.nodeImagesByFleet ? ' (Fleet Manager rolls out the node images, stage by stage)' : ''}, so AKS rolls out no node images itself; the same window times them if the channel moves to NodeImage or SecurityPatch.`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The cluster module

function networkProfile(plan: Plan): Record<string, BicepValue> {
  const { network } = plan;
  const profile: Record<string, BicepValue> = {};
  if (network.kubenet) {
    profile.networkPlugin = 'kubenet';
  } else {
    profile.networkPlugin = 'azure';
    if (network.overlay) profile.networkPluginMode = 'overlay';
    profile.networkDataplane = network.dataplane;
  }
  profile.networkPolicy = network.networkPolicy;
  if (network.podCidr !== undefined) profile.podCidr = network.podCidr;
  profile.serviceCidr = network.serviceCidr;
  profile.dnsServiceIP = network.dnsServiceIp;
  profile.loadBalancerSku = 'standard';
  if (plan.components.egressThroughFirewall) {
    profile.outboundType = 'userDefinedRouting';
  } else if (plan.components.natGateway) {
    // A managed NAT gateway needs an AKS-managed VNet; with our own spoke the NAT gateway is ours too.
    profile.outboundType = 'userAssignedNATGateway';
  } else {
    profile.outboundType = 'loadBalancer';
  }
  return profile;
}

export function renderCluster(plan: Plan): string {
  const c = plan.components;
  const params: Param[] = [
    { name: 'location', description: 'Azure region of the cluster.', decorators: [], type: 'string' },
    {
      name: 'clusterName',
      description: 'Name of the AKS cluster, also its DNS prefix.',
      decorators: ['@minLength(1)', '@maxLength(63)'],
      type: 'string',
    },
    {
      name: 'nodeResourceGroupName',
      description: 'Resource group AKS creates for the node resources.',
      decorators: ['@maxLength(80)'],
      type: 'string',
    },
    {
      name: 'kubernetesVersion',
      description: 'Kubernetes version; a minor version lets the auto-upgrade channel pick patches.',
      decorators: [],
      type: 'string',
    },
    {
      name: 'skuTier',
      description: 'Control-plane tier: Standard has the uptime SLA.',
      decorators: ["@allowed([\n  'Free'\n  'Standard'\n])"],
      type: 'string',
    },
    {
      name: 'clusterIdentityId',
      description: 'Resource ID of the user-assigned control-plane identity.',
      decorators: [],
      type: 'string',
    },
    ...(c.userAssignedKubeletIdentity
      ? [
          {
            name: 'kubeletIdentityId',
            description: 'Resource ID of the user-assigned kubelet identity.',
            decorators: [],
            type: 'string',
          },
          {
            name: 'kubeletClientId',
            description: 'Client ID of the kubelet identity.',
            decorators: [],
            type: 'string',
          },
          {
            name: 'kubeletPrincipalId',
            description: 'Principal ID of the kubelet identity.',
            decorators: [],
            type: 'string',
          },
        ]
      : []),
    { name: 'nodeSubnetId', description: 'Resource ID of the node subnet.', decorators: [], type: 'string' },
    ...(c.automatic
      ? [
          {
            name: 'systemNodeSubnetId',
            description: 'Resource ID of the subnet the AKS-managed system nodes join (AKS Automatic).',
            decorators: [],
            type: 'string',
          },
        ]
      : []),
    ...(c.apiServerVnetIntegration
      ? [
          {
            name: 'apiServerSubnetId',
            description: 'Resource ID of the delegated API server subnet.',
            decorators: [],
            type: 'string',
          },
        ]
      : []),
    ...(c.authorizedIpRanges
      ? [
          {
            name: 'authorizedIpRanges',
            description: 'Public CIDRs allowed to reach the API server, the cluster egress address included.',
            decorators: [],
            type: 'string[]',
          },
        ]
      : []),
    ...(c.privateCluster
      ? [
          {
            name: 'privateDnsZoneId',
            description: 'Resource ID of the private DNS zone of the API server.',
            decorators: [],
            type: 'string',
          },
        ]
      : []),
    ...(c.entraId
      ? [
          {
            name: 'adminGroupObjectIds',
            description: 'Object IDs of the Entra groups that administer the cluster.',
            decorators: [],
            type: 'string[]',
          },
        ]
      : []),
    ...(c.automatic
      ? []
      : [
          {
            name: 'agentPools',
            description: 'Node pools of the cluster.',
            decorators: [],
            type: bicepType('agent-pools'),
          },
          {
            name: 'maxSurge',
            description: 'Extra nodes added while a pool upgrades (a count or a percentage).',
            decorators: [],
            type: 'string',
          },
        ]),
    ...(maintenanceSchedules(plan).length > 0
      ? [
          {
            name: 'maintenanceWindow',
            description: 'Weekly window for auto-upgrades and node OS updates.',
            decorators: [],
            type: bicepType('maintenance-window'),
          },
        ]
      : []),
    {
      name: 'logAnalyticsWorkspaceId',
      description: 'Resource ID of the Log Analytics workspace.',
      decorators: [],
      type: 'string',
    },
    ...(c.containerInsights
      ? [
          {
            name: 'containerInsightsRuleId',
            description: 'Resource ID of the Container Insights data collection rule.',
            decorators: [],
            type: 'string',
          },
        ]
      : []),
    ...(c.managedPrometheus
      ? [
          {
            name: 'prometheusRuleId',
            description: 'Resource ID of the managed Prometheus data collection rule.',
            decorators: [],
            type: 'string',
          },
          {
            name: 'prometheusEndpointId',
            description: 'Resource ID of the managed Prometheus data collection endpoint.',
            decorators: [],
            type: 'string',
          },
        ]
      : []),
    ...(c.eventHubsStreaming
      ? [
          {
            name: 'eventHubAuthorizationRuleId',
            description: 'Resource ID of the Event Hubs authorization rule used to stream diagnostic logs.',
            decorators: [],
            type: 'string',
          },
          {
            name: 'eventHubName',
            description: 'Name of the event hub receiving diagnostic logs.',
            decorators: [],
            type: 'string',
          },
        ]
      : []),
    { name: 'tags', description: 'Tags applied to every resource.', decorators: [], type: 'object' },
  ];

  const apiServer: Record<string, BicepValue> = { enablePrivateCluster: c.privateCluster };
  if (c.privateCluster) {
    apiServer.privateDNSZone = expr('privateDnsZoneId');
    apiServer.enablePrivateClusterPublicFQDN = false;
  }
  if (c.authorizedIpRanges) apiServer.authorizedIPRanges = expr('authorizedIpRanges');
  if (c.apiServerVnetIntegration) {
    apiServer.enableVnetIntegration = true;
    apiServer.subnetId = expr('apiServerSubnetId');
  }
  // Neither Flux (in the cluster) nor the pipelines (Azure Resource Manager only) run commands through AKS, so the run
  // command path, which bypasses the network boundary of a private cluster, is closed (as aks-baseline does).
  apiServer.disableRunCommand = true;

  const addons: Record<string, BicepValue> = {};
  if (c.keyVaultCsi) {
    addons.azureKeyvaultSecretsProvider = {
      enabled: true,
      config: { enableSecretRotation: 'true', rotationPollInterval: plan.secrets.rotationPollInterval },
    };
  }
  if (c.policyAssignments) addons.azurepolicy = { enabled: true };
  if (c.containerInsights) {
    addons.omsagent = {
      enabled: true,
      config: { logAnalyticsWorkspaceResourceID: expr('logAnalyticsWorkspaceId'), useAADAuth: 'true' },
    };
  }

  const security: Record<string, BicepValue> = {};
  if (c.workloadIdentity) security.workloadIdentity = { enabled: true };
  if (c.defender)
    security.defender = {
      logAnalyticsWorkspaceResourceId: expr('logAnalyticsWorkspaceId'),
      securityMonitoring: { enabled: true },
    };
  security.imageCleaner = { enabled: true, intervalHours: 168 };

  const properties: [string, BicepValue][] = [
    ['kubernetesVersion', expr('kubernetesVersion')],
    ['dnsPrefix', expr('clusterName')],
    ['nodeResourceGroup', expr('nodeResourceGroupName')],
    ['enableRBAC', true],
    ['disableLocalAccounts', plan.identity.disableLocalAccounts],
  ];
  if (c.entraId) {
    properties.push([
      'aadProfile',
      {
        managed: true,
        enableAzureRBAC: c.azureRbac,
        adminGroupObjectIDs: expr('adminGroupObjectIds'),
        tenantID: expr('tenant().tenantId'),
      },
    ]);
  }
  if (c.userAssignedKubeletIdentity) {
    properties.push([
      'identityProfile',
      {
        kubeletidentity: {
          resourceId: expr('kubeletIdentityId'),
          clientId: expr('kubeletClientId'),
          objectId: expr('kubeletPrincipalId'),
        },
      },
    ]);
  }
  properties.push(['apiServerAccessProfile', apiServer]);
  if (c.automatic) {
    // AKS Automatic (src/azure/aks-automatic.ts): node auto-provisioning with the default NodePools instead of
    // autoscaled pools, and the managed system nodes on the spoke's system node subnet, given together with the node
    // and API server subnets of the same VNet.
    properties.push(
      ['nodeProvisioningProfile', { ...AUTOMATIC_CLUSTER.nodeProvisioningProfile }],
      [
        'hostedSystemProfile',
        { enabled: true, systemNodeSubnetID: expr('systemNodeSubnetId'), nodeSubnetID: expr('nodeSubnetId') },
      ],
    );
  } else {
    properties.push(['autoScalerProfile', { ...AUTOSCALER_PROFILE }]);
  }
  properties.push(
    ['networkProfile', networkProfile(plan)],
    ['oidcIssuerProfile', { enabled: true }],
    ['securityProfile', security],
  );
  if (Object.keys(addons).length > 0) properties.push(['addonProfiles', addons]);
  // The add-on's Gateway API implementation and the managed Gateway API CRDs it needs (src/plan/ingress.ts); AGC's
  // controller is a Flux HelmRelease that brings its own CRDs, so it needs no ingress profile.
  const ingressContract = plan.ingress ? INGRESS_CONTRACTS[plan.ingress.implementation] : undefined;
  if (ingressContract?.kind === 'aks-add-on')
    properties.push(['ingressProfile', ingressContract.ingressProfile as BicepValue]);
  if (c.managedPrometheus) {
    properties.push([
      'azureMonitorProfile',
      { metrics: { enabled: true, kubeStateMetrics: { metricLabelsAllowlist: '', metricAnnotationsAllowList: '' } } },
    ]);
  }
  properties.push([
    'autoUpgradeProfile',
    {
      // With the fleet on, the fleet rolls out what its staged update runs cover (plan/hybrid.ts).
      upgradeChannel: plan.upgradeChannels.upgradeChannel,
      nodeOSUpgradeChannel: plan.upgradeChannels.nodeOsUpgradeChannel,
    },
  ]);

  return renderModule('cluster', {
    params,
    properties: properties.map(([key, value]) => [key, bicepLiteral(value, '    ')]),
    osSku: plan.cluster.osSku,
    skuName: c.automatic ? AUTOMATIC_CLUSTER.sku.name : 'Base',
    agentPools: !c.automatic,
    maintenance: maintenanceSchedules(plan),
    containerInsights: c.containerInsights,
    prometheus: c.managedPrometheus,
    eventHubs: c.eventHubsStreaming,
    logCategories: CLUSTER_LOG_CATEGORIES,
    extraOutputs: c.userAssignedKubeletIdentity
      ? []
      : [
          {
            name: 'kubeletPrincipalId',
            description: 'Principal ID of the kubelet identity AKS created.',
            value: 'cluster.properties.identityProfile.kubeletidentity.objectId',
          },
        ],
  });
}

export interface Param {
  name: string;
  description: string;
  decorators: string[];
  type: string;
}

// ---------------------------------------------------------------------------------------------------------------
// In main.bicep

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

export const clusterConcern: InfraConcern = {
  params: (plan) => {
    const c = plan.components;
    const w = plan.upgrades.maintenanceWindow;
    return [
      {
        name: 'kubernetesVersion',
        description: 'Kubernetes version; a minor version lets the auto-upgrade channel pick patches.',
        decorators: [],
        type: 'string',
        // The pin, unless the pipeline passes the newer version a cluster already runs (AKS refuses downgrades).
        value: () =>
          expr(
            `readEnvironmentVariable('${KUBERNETES_VERSION_VARIABLE}', ${bicepString(plan.cluster.kubernetesVersion)})`,
          ),
      },
      {
        name: 'skuTier',
        description: 'Control-plane tier: Standard has the uptime SLA (production), Free has none.',
        decorators: ["@allowed([\n  'Free'\n  'Standard'\n])"],
        type: 'string',
        value: (env) => env.skuTier,
      },
      // AKS Automatic has no pools of ours: AKS hosts the system nodes, node auto-provisioning the user nodes.
      ...when<MainParam>(!c.automatic, [
        {
          name: 'agentPools',
          description: 'Node pools: system (CriticalAddonsOnly), user and optional spot.',
          decorators: [],
          type: bicepType('agent-pools'),
          value: (env) =>
            env.pools.map((pool) => ({
              name: pool.name,
              mode: pool.mode,
              vmSize: pool.vmSize,
              minCount: pool.minCount,
              maxCount: pool.maxCount,
              zones: pool.zones,
              maxPods: pool.maxPods,
              osDiskType: pool.osDiskType,
              osDiskSizeGB: pool.osDiskSizeGB,
              spot: pool.spot,
              taints: pool.taints,
              labels: pool.labels,
            })),
        },
        {
          name: 'maxSurge',
          description: 'Extra nodes added while a pool upgrades (a count or a percentage).',
          decorators: [],
          type: 'string',
          value: () => plan.upgrades.maxSurge,
        },
      ]),
      ...when(maintenanceSchedules(plan).length > 0, [
        {
          name: 'maintenanceWindow',
          description: 'Weekly window for auto-upgrades and node OS updates.',
          decorators: [],
          type: bicepType('maintenance-window'),
          value: () => ({
            dayOfWeek: w.dayOfWeek,
            startTime: w.startTime,
            durationHours: w.durationHours,
            utcOffset: w.utcOffset,
          }),
        },
      ]),
      ...when(c.authorizedIpRanges, [
        {
          name: 'authorizedIpRanges',
          description:
            'Public CIDRs allowed to reach the API server (offices, self-hosted runners); the cluster egress address is added here.',
          decorators: ['@minLength(1)', '@maxLength(199)'],
          type: 'string[]',
          value: () => plan.cluster.authorizedIpRanges,
        },
      ]),
    ];
  },
  modules: [
    {
      symbol: 'cluster',
      file: 'cluster',
      why: 'The AKS cluster, its maintenance windows, monitoring associations and diagnostic settings.',
      params: (plan) => {
        const c = plan.components;
        return [
          ['location', 'location'],
          ['clusterName', 'names.cluster'],
          ['nodeResourceGroupName', 'names.nodeResourceGroup'],
          ['kubernetesVersion', 'kubernetesVersion'],
          ['skuTier', 'skuTier'],
          ['clusterIdentityId', 'identity.outputs.clusterIdentityId'],
          ...when<Params[number]>(c.userAssignedKubeletIdentity, [
            ['kubeletIdentityId', 'kubeletIdentity.outputs.kubeletIdentityId'],
            ['kubeletClientId', 'kubeletIdentity.outputs.kubeletClientId'],
            ['kubeletPrincipalId', 'kubeletIdentity.outputs.kubeletPrincipalId'],
          ]),
          ['nodeSubnetId', 'network.outputs.nodesSubnetId'],
          ...when<Params[number]>(c.automatic, [['systemNodeSubnetId', 'network.outputs.systemNodesSubnetId']]),
          ...when<Params[number]>(c.apiServerVnetIntegration, [
            ['apiServerSubnetId', 'network.outputs.apiServerSubnetId'],
          ]),
          ...when<Params[number]>(c.authorizedIpRanges, [['authorizedIpRanges', authorizedRanges(plan)]]),
          ...when<Params[number]>(c.privateCluster, [['privateDnsZoneId', zoneIdOf(plan, 'aksApiServer')]]),
          ...when<Params[number]>(c.entraId, [['adminGroupObjectIds', 'adminGroupObjectIds']]),
          ...when<Params[number]>(!c.automatic, [
            ['agentPools', 'agentPools'],
            ['maxSurge', 'maxSurge'],
          ]),
          ['maintenanceWindow', 'maintenanceWindow'],
          ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
          ...when<Params[number]>(c.containerInsights, [
            ['containerInsightsRuleId', 'monitoring.outputs.containerInsightsRuleId'],
          ]),
          ...when<Params[number]>(c.managedPrometheus, [
            ['prometheusRuleId', 'prometheus.outputs.prometheusRuleId'],
            ['prometheusEndpointId', 'prometheus.outputs.collectionEndpointId'],
          ]),
          ...eventHubParams(plan),
          ['tags', 'resourceTags'],
        ];
      },
      // A hub-owned zone is a literal ID, so the role on it is awaited explicitly.
      dependsOn: (plan) =>
        plan.components.privateCluster && centralZoneId(plan, 'aksApiServer') !== undefined
          ? ['clusterDnsZoneRole']
          : [],
      flux: () => [['CLUSTER_NAME', 'cluster.outputs.clusterName']],
    },
  ],
  outputs: () => [
    { name: 'clusterName', description: 'Name of the AKS cluster.', value: 'cluster.outputs.clusterName' },
    { name: 'oidcIssuerUrl', description: 'OIDC issuer URL of the cluster.', value: 'cluster.outputs.oidcIssuerUrl' },
  ],
  files: { cluster: renderCluster },
};
