import {
  FLUX,
  PIPELINE_SECRETS,
  fluxVariables,
  pipelineSecretNames,
  planDeployments,
  teamClientIdVariable,
} from '../../plan/contracts.js';
import type { EnvironmentPlan, Plan } from '../../plan/index.js';
import { FILEBEAT } from '../../plan/filebeat.js';
import { bicepDestinationText } from '../../plan/egress.js';
import { GRAFANA_ADMIN, grafanaAdminFromKeyVault } from '../../plan/grafana.js';
import { FLUX_MULTI_TENANCY_SETTING } from '../../plan/flux-tenancy.js';
import {
  BUILT_IN_ROLES,
  FIREWALL_LOG_CATEGORIES,
  elasticsearchEndpoint,
  PLATFORM_SERVICE_ACCOUNTS,
  environmentInfraNames,
  firewallApplicationRules,
  firewallNetworkRules,
  nodeRouteTable,
  secretsOfficers,
  hubInfraNames,
} from '../../plan/infra.js';
import { AZURE_API_VERSIONS, pinnedVersion } from '../../versions.js';
import type { OutputArea } from '../index.js';
import { renderTemplate } from '../template.js';
import { api, bicepKey, bicepLiteral, bicepString, expr, roleDefinition, type BicepValue } from './bicep.js';

// plan -> infra/: the subscription-scope entry points (main.bicep per environment, hub.bicep when the hub is ours),
// one module per concern, a parameter file per deployment, the linter configuration and a README.
// Every platform-wide choice is decided here, so the templates only lay out values.

function childApi(parent: keyof typeof AZURE_API_VERSIONS, child: string): string {
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
  namespaceApi: childApi('Microsoft.ContainerService/managedClusters', 'namespaces'),
};

function module(path: string, data: object = {}): string {
  return renderTemplate(`infra/modules/${path}.bicep`, { ...helpers, ...data });
}

const SUBNET_PURPOSES: Record<string, string> = {
  nodes: 'Nodes (and with flat Azure CNI, pods).',
  ingress: 'Internal load balancers and ingress controllers.',
  privateEndpoints: 'Private endpoints of Key Vault and the container registry.',
  access: 'Jump hosts and build agents that reach a private API server.',
  apiServer: 'Delegated subnet of the API server (VNet integration), at least /28.',
};

interface Param {
  name: string;
  description: string;
  decorators: string[];
  type: string;
}

interface ModuleCall {
  why: string;
  symbol: string;
  file: string;
  scope: string;
  loop?: string;
  params: [string, string][];
  dependsOn: string[];
}

interface Output {
  name: string;
  type?: string;
  description: string;
  value: string;
}

/** Platform-wide facts every environment shares; decided once from the plan. */
function platformFacts(plan: Plan) {
  const c = plan.components;
  const variables = fluxVariables(plan).map((v) => v.name);
  return {
    c,
    byoKubelet: c.userAssignedKubeletIdentity,
    teamIdentities: c.workloadIdentity || c.aadPodIdentity,
    maintenance: [
      ...(plan.answers.upgrades.autoUpgradeChannel !== 'none'
        ? [
            {
              symbol: 'autoUpgradeSchedule',
              name: 'aksManagedAutoUpgradeSchedule',
              why: 'Kubernetes auto-upgrades run only inside the weekly maintenance window.',
            },
          ]
        : []),
      ...(['NodeImage', 'SecurityPatch'].includes(plan.answers.upgrades.nodeOsUpgradeChannel)
        ? [
            {
              symbol: 'nodeOsUpgradeSchedule',
              name: 'aksManagedNodeOSUpgradeSchedule',
              why: 'Node OS updates roll out only inside the weekly maintenance window.',
            },
          ]
        : []),
    ],
    grafanaIdentity: variables.includes('GRAFANA_CLIENT_ID'),
    eventHubs: c.eventHubsStreaming,
  };
}

type Facts = ReturnType<typeof platformFacts>;

// ---------------------------------------------------------------------------------------------------------------
// The cluster module

function networkProfile(plan: Plan): Record<string, BicepValue> {
  const { network } = plan.answers;
  const profile: Record<string, BicepValue> = {};
  if (network.plugin === 'kubenet') {
    profile.networkPlugin = 'kubenet';
  } else {
    profile.networkPlugin = 'azure';
    if (network.plugin === 'azure-cni-overlay') profile.networkPluginMode = 'overlay';
    profile.networkDataplane = network.dataplane;
  }
  profile.networkPolicy = network.networkPolicy;
  if (network.plugin !== 'azure-cni') profile.podCidr = network.podCidr;
  profile.serviceCidr = network.serviceCidr;
  profile.dnsServiceIP = network.dnsServiceIp;
  profile.loadBalancerSku = 'standard';
  if (network.egress === 'firewall') {
    profile.outboundType = 'userDefinedRouting';
  } else if (network.egress === 'natGateway') {
    // A managed NAT gateway needs an AKS-managed VNet; with our own spoke the NAT gateway is ours too.
    profile.outboundType = 'userAssignedNATGateway';
  } else {
    profile.outboundType = 'loadBalancer';
  }
  return profile;
}

function renderCluster(plan: Plan, facts: Facts): string {
  const { c } = facts;
  const { answers } = plan;
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
    ...(facts.byoKubelet
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
    { name: 'agentPools', description: 'Node pools of the cluster.', decorators: [], type: AGENT_POOL_TYPE },
    {
      name: 'maxSurge',
      description: 'Extra nodes added while a pool upgrades (a count or a percentage).',
      decorators: [],
      type: 'string',
    },
    ...(facts.maintenance.length > 0
      ? [
          {
            name: 'maintenanceWindow',
            description: 'Weekly window for auto-upgrades and node OS updates.',
            decorators: [],
            type: MAINTENANCE_WINDOW_TYPE,
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
    ...(facts.eventHubs
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
  if (c.apiServerVnetIntegration) {
    apiServer.enableVnetIntegration = true;
    apiServer.subnetId = expr('apiServerSubnetId');
  }

  const addons: Record<string, BicepValue> = {};
  if (c.keyVaultCsi) {
    addons.azureKeyvaultSecretsProvider = {
      enabled: true,
      config: { enableSecretRotation: 'true', rotationPollInterval: answers.secrets.rotationPollInterval },
    };
  }
  if (answers.cluster.azurePolicy) addons.azurepolicy = { enabled: true };
  if (c.containerInsights) {
    addons.omsagent = {
      enabled: true,
      config: { logAnalyticsWorkspaceResourceID: expr('logAnalyticsWorkspaceId'), useAADAuth: 'true' },
    };
  }

  const security: Record<string, BicepValue> = {};
  if (c.workloadIdentity) security.workloadIdentity = { enabled: true };
  if (answers.cluster.defender)
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
    ['disableLocalAccounts', answers.identity.disableLocalAccounts],
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
  if (facts.byoKubelet) {
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
  properties.push(
    ['apiServerAccessProfile', apiServer],
    ['networkProfile', networkProfile(plan)],
    ['oidcIssuerProfile', { enabled: true }],
    ['securityProfile', security],
  );
  if (Object.keys(addons).length > 0) properties.push(['addonProfiles', addons]);
  if (c.managedPrometheus) {
    properties.push([
      'azureMonitorProfile',
      { metrics: { enabled: true, kubeStateMetrics: { metricLabelsAllowlist: '', metricAnnotationsAllowList: '' } } },
    ]);
  }
  properties.push([
    'autoUpgradeProfile',
    {
      upgradeChannel: answers.upgrades.autoUpgradeChannel,
      nodeOSUpgradeChannel: answers.upgrades.nodeOsUpgradeChannel,
    },
  ]);

  return module('cluster', {
    params,
    properties: properties.map(([key, value]) => [key, bicepLiteral(value, '    ')]),
    osSku: answers.cluster.osSku,
    maintenance: facts.maintenance,
    containerInsights: c.containerInsights,
    prometheus: c.managedPrometheus,
    eventHubs: facts.eventHubs,
    logCategories: ['kube-apiserver', 'kube-audit-admin', 'kube-controller-manager', 'cluster-autoscaler', 'guard'],
    extraOutputs: facts.byoKubelet
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

const AGENT_POOL_TYPE = `{
  @description('Pool name (lowercase letters and digits).')
  @maxLength(12)
  name: string
  @description('System pools run critical add-ons; user pools run workloads.')
  mode: ('System' | 'User')
  @description('Azure VM size.')
  vmSize: string
  @description('Autoscaler lower bound.')
  minCount: int
  @description('Autoscaler upper bound.')
  maxCount: int
  @description('Availability zones; empty for none.')
  zones: string[]
  @description('Spot priority (evictable, discounted).')
  spot: bool
  @description('Node taints, key=value:Effect.')
  taints: string[]
  @description('Node labels.')
  labels: object
}[]`;

const MAINTENANCE_WINDOW_TYPE = `{
  @description('Day of the weekly window.')
  dayOfWeek: ('Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday')
  @description('Start time, HH:MM.')
  startTime: string
  @description('Length of the window in hours (at least 4).')
  @minValue(4)
  @maxValue(24)
  durationHours: int
  @description('UTC offset of the start time, e.g. +01:00.')
  utcOffset: string
}`;

// ---------------------------------------------------------------------------------------------------------------
// main.bicep: the environment entry point

function subnetType(plan: Plan): string {
  const roles = plan.environments[0]?.subnets.map((s) => s.role) ?? [];
  return `{\n${roles.map((role) => `  @description('${SUBNET_PURPOSES[role] ?? role}')\n  ${role}: string\n`).join('')}}`;
}

const NAME_FIELDS: [string, string][] = [
  ['resourceGroup', 'Resource group of the environment.'],
  ['cluster', 'AKS cluster.'],
  ['nodeResourceGroup', 'Resource group AKS creates for the node resources.'],
  ['virtualNetwork', 'Spoke virtual network.'],
  ['keyVaultPrefix', 'Key Vault name before the unique suffix.'],
  ['registryPrefix', 'Container registry name before the unique suffix.'],
  ['logKeyVaultPrefix', 'Name of the Key Vault holding the Filebeat credentials, before the unique suffix.'],
  ['logStoragePrefix', 'Name of the storage account holding the Filebeat checkpoints, before the unique suffix.'],
  ['clusterIdentity', 'Control-plane identity.'],
  ['kubeletIdentity', 'Kubelet identity.'],
  ['logAnalytics', 'Log Analytics workspace.'],
  ['monitorWorkspace', 'Azure Monitor workspace (managed Prometheus).'],
  ['grafana', 'Azure Managed Grafana.'],
  ['eventHubsPrefix', 'Event Hubs namespace name before the unique suffix.'],
  ['routeTable', 'Route table of the node subnet.'],
  ['natGateway', 'NAT gateway of the node subnet.'],
];

function environmentNameValues(plan: Plan, env: EnvironmentPlan): Record<string, string> {
  const extra = environmentInfraNames(plan, env);
  return {
    resourceGroup: env.names.resourceGroup.value,
    cluster: env.names.cluster.value,
    nodeResourceGroup: env.names.nodeResourceGroup.value,
    virtualNetwork: env.names.virtualNetwork.value,
    keyVaultPrefix: env.names.keyVault.value,
    registryPrefix: env.names.containerRegistry.value,
    logKeyVaultPrefix: env.names.logKeyVault.value,
    logStoragePrefix: env.names.logStorage.value,
    ...extra,
  };
}

function renderMain(plan: Plan, facts: Facts): string {
  const { c } = facts;
  const hub = plan.hub;
  const hubNames = hub.names;
  const rg = 'environmentGroup';
  const params: Param[] = [
    {
      name: 'location',
      description: 'Azure region of every resource of the environment.',
      decorators: [],
      type: 'string',
    },
    {
      name: 'environmentName',
      description: 'Short environment name, e.g. dev or prod.',
      decorators: ['@minLength(2)', '@maxLength(8)'],
      type: 'string',
    },
    {
      name: 'names',
      description: 'Names of the environment resources, derived by the generator within Azure naming rules.',
      decorators: [],
      type: `{\n${NAME_FIELDS.map(([key, d]) => `  @description('${d}')\n  ${key}: string\n`).join('')}}`,
    },
    {
      name: 'addressSpace',
      description: 'Address space of the spoke virtual network (CIDR).',
      decorators: [],
      type: 'string',
    },
    {
      name: 'subnetPrefixes',
      description: 'Address prefix (CIDR) of each spoke subnet, by purpose.',
      decorators: [],
      type: subnetType(plan),
    },
    {
      name: 'kubernetesVersion',
      description: 'Kubernetes version; a minor version lets the auto-upgrade channel pick patches.',
      decorators: [],
      type: 'string',
    },
    {
      name: 'skuTier',
      description: 'Control-plane tier: Standard has the uptime SLA (production), Free has none.',
      decorators: ["@allowed([\n  'Free'\n  'Standard'\n])"],
      type: 'string',
    },
    {
      name: 'agentPools',
      description: 'Node pools: system (CriticalAddonsOnly), user and optional spot.',
      decorators: [],
      type: AGENT_POOL_TYPE,
    },
    {
      name: 'maxSurge',
      description: 'Extra nodes added while a pool upgrades (a count or a percentage).',
      decorators: [],
      type: 'string',
    },
    ...(facts.maintenance.length > 0
      ? [
          {
            name: 'maintenanceWindow',
            description: 'Weekly window for auto-upgrades and node OS updates.',
            decorators: [],
            type: MAINTENANCE_WINDOW_TYPE,
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
    {
      name: 'logRetentionDays',
      description: 'Days Log Analytics keeps logs.',
      decorators: ['@minValue(30)', '@maxValue(730)'],
      type: 'int',
    },
    ...(c.fluxConfiguration && plan.gitRepository?.private
      ? [
          {
            name: 'fluxGitToken',
            description: `Read-only token Flux clones the private repository with, from the ${FLUX.tokenVariable} pipeline secret.`,
            decorators: ['@secure()'],
            type: 'string',
          },
        ]
      : []),
    ...(grafanaAdminFromKeyVault(c)
      ? [
          {
            name: 'grafanaAdminPassword',
            description: `Grafana admin password, from the ${GRAFANA_ADMIN.passwordVariable} pipeline secret; empty keeps the one already in the vault.`,
            decorators: ['@secure()'],
            type: "string = ''",
          },
        ]
      : []),
    ...(facts.c.filebeat
      ? [
          {
            name: 'elasticsearchApiKey',
            description: `Elasticsearch API key Filebeat ships with, from the ${FILEBEAT.apiKeyVariable} pipeline secret; empty keeps the key already in the vault.`,
            decorators: ['@secure()'],
            type: "string = ''",
          },
        ]
      : []),
    { name: 'tags', description: 'Tags applied to every resource.', decorators: [], type: 'object' },
  ];

  const variables: { why: string; name: string; value: string }[] = [
    {
      why: 'Every resource says which environment it belongs to.',
      name: 'resourceTags',
      value: 'union(tags, {\n  environment: environmentName\n})',
    },
    {
      why: 'Globally unique names get a suffix that is stable per subscription and environment.',
      name: 'uniqueSuffix',
      value: 'take(uniqueString(subscription().id, names.resourceGroup), 6)',
    },
    {
      why: 'Key Vault names are global: prefix plus suffix, at most 24 characters.',
      name: 'keyVaultName',
      value: "'${names.keyVaultPrefix}${uniqueSuffix}'",
    },
    {
      why: 'Registry names are global: prefix plus suffix, letters and digits only.',
      name: 'registryName',
      value: "'${names.registryPrefix}${uniqueSuffix}'",
    },
  ];
  if (facts.eventHubs)
    variables.push({
      why: 'Event Hubs namespace names are global: prefix plus suffix.',
      name: 'eventHubsNamespaceName',
      value: "'${names.eventHubsPrefix}${uniqueSuffix}'",
    });
  if (facts.c.filebeat) {
    variables.push(
      {
        why: 'The Filebeat vault name is global too: prefix plus suffix.',
        name: 'logKeyVaultName',
        value: "'${names.logKeyVaultPrefix}${uniqueSuffix}'",
      },
      {
        why: 'Storage account names are global: prefix plus suffix, lowercase letters and digits only.',
        name: 'logStorageName',
        value: "'${names.logStoragePrefix}${uniqueSuffix}'",
      },
    );
  }
  if (facts.teamIdentities && plan.teams.length > 0) {
    variables.push({
      why: 'Teams are platform-wide: each gets a namespace, a service account and an Azure identity in every environment.',
      name: 'teams',
      value: bicepLiteral(
        plan.teams.map((t) => ({
          namespace: t.namespace,
          serviceAccount: t.serviceAccount,
          identityName: expr(`'${t.identityName}-\${environmentName}'`),
        })),
      ),
    });
  }
  const teamGroups = plan.teams
    .filter((t) => t.groupObjectId !== undefined)
    .map((t) => ({ namespace: t.namespace, groupObjectId: t.groupObjectId as string }));
  if (c.entraId)
    variables.push({
      why: 'Teams with an Entra group get access to their namespace.',
      name: 'teamGroups',
      value: bicepLiteral(teamGroups),
    });
  if (hub.mode === 'create' && hubNames) {
    variables.push({
      why: 'The hub deployed by infra/hub.bicep (run it first).',
      name: 'hubResourceGroupName',
      value: bicepString(hubNames.resourceGroup.value),
    });
  }
  if (hub.mode === 'existing' && hub.vnetResourceId) {
    variables.push({
      why: "The existing hub this spoke peers with; the hub side of the peering is its owners' to create.",
      name: 'hubVirtualNetworkId',
      value: bicepString(hub.vnetResourceId),
    });
  }
  if (c.egressThroughFirewall && hub.mode === 'existing' && hub.firewallPrivateIp) {
    variables.push({
      why: 'Private IP of the existing hub firewall, the next hop of all egress.',
      name: 'firewallPrivateIp',
      value: bicepString(hub.firewallPrivateIp),
    });
  }

  const existing: { why: string; symbol: string; type: string; scope: string; name: string }[] = [];
  if (hub.mode === 'create' && hubNames) {
    existing.push({
      why: 'Hub network created by infra/hub.bicep.',
      symbol: 'hubVirtualNetwork',
      type: api('Microsoft.Network/virtualNetworks'),
      scope: 'resourceGroup(hubResourceGroupName)',
      name: bicepString(hubNames.virtualNetwork.value),
    });
    if (c.egressThroughFirewall) {
      existing.push({
        why: 'Hub firewall created by infra/hub.bicep: its private IP is the next hop of all egress.',
        symbol: 'hubFirewall',
        type: api('Microsoft.Network/azureFirewalls'),
        scope: 'resourceGroup(hubResourceGroupName)',
        name: bicepString(hubInfraNames(plan).firewall),
      });
    }
  }

  const firewallIp =
    hub.mode === 'create'
      ? 'hubFirewall.properties.ipConfigurations[0].properties.privateIPAddress'
      : 'firewallPrivateIp';
  const hubVnetId = hub.mode === 'create' ? 'hubVirtualNetwork.id' : 'hubVirtualNetworkId';
  const kubeletPrincipal = facts.byoKubelet
    ? 'kubeletIdentity.outputs.kubeletPrincipalId'
    : 'cluster.outputs.kubeletPrincipalId';
  const eventHubParams: [string, string][] = facts.eventHubs
    ? [
        ['eventHubAuthorizationRuleId', 'eventHubs.outputs.authorizationRuleId'],
        ['eventHubName', 'eventHubs.outputs.eventHubName'],
      ]
    : [];

  const modules: ModuleCall[] = [];
  const add = (call: Omit<ModuleCall, 'scope' | 'dependsOn'> & Partial<Pick<ModuleCall, 'scope' | 'dependsOn'>>) =>
    modules.push({ scope: rg, dependsOn: [], ...call });

  add({
    why: 'The control-plane identity exists first, so its rights are in place before the cluster is created.',
    symbol: 'identity',
    file: 'identity',
    params: [
      ['location', 'location'],
      ['clusterIdentityName', 'names.clusterIdentity'],
      ['tags', 'resourceTags'],
    ],
  });
  if (facts.byoKubelet) {
    add({
      why: 'Bring-your-own kubelet identity: AcrPull and nothing else.',
      symbol: 'kubeletIdentity',
      file: 'kubelet-identity',
      params: [
        ['location', 'location'],
        ['kubeletIdentityName', 'names.kubeletIdentity'],
        ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
        ['tags', 'resourceTags'],
      ],
    });
  }
  const networkParams: [string, string][] = [
    ['location', 'location'],
    ['virtualNetworkName', 'names.virtualNetwork'],
    ['addressSpace', 'addressSpace'],
    ['subnetPrefixes', 'subnetPrefixes'],
    ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
  ];
  if (nodeRouteTable(plan)) networkParams.push(['routeTableName', 'names.routeTable']);
  if (c.egressThroughFirewall) networkParams.push(['firewallPrivateIp', firewallIp]);
  if (plan.answers.network.egress === 'natGateway') networkParams.push(['natGatewayName', 'names.natGateway']);
  if (hub.mode !== 'none') networkParams.push(['hubVirtualNetworkId', hubVnetId]);
  networkParams.push(['tags', 'resourceTags']);
  add({
    why: 'Spoke network: subnets with NSGs, the egress route and the peering to the hub.',
    symbol: 'network',
    file: 'network',
    params: networkParams,
  });
  if (hub.mode === 'create' && hubNames) {
    add({
      why: 'Hub-to-spoke half of the peering, in the hub resource group.',
      symbol: 'hubPeering',
      file: 'hub-peering',
      scope: 'resourceGroup(hubResourceGroupName)',
      params: [
        ['hubVirtualNetworkName', 'hubVirtualNetwork.name'],
        ['peeringName', "'peer-to-${names.virtualNetwork}'"],
        ['spokeVirtualNetworkId', 'network.outputs.virtualNetworkId'],
      ],
    });
  }
  if (c.privateCluster) {
    add({
      why: 'Private DNS zone of the private API server, managed by the control-plane identity.',
      symbol: 'clusterDnsZone',
      file: 'cluster-dns-zone',
      params: [
        ['zoneName', "'privatelink.${location}.azmk8s.io'"],
        ['virtualNetworkId', 'network.outputs.virtualNetworkId'],
        ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
        ['tags', 'resourceTags'],
      ],
    });
  }
  add({
    why: 'Private DNS zone of the Key Vault private endpoint.',
    symbol: 'keyVaultDnsZone',
    file: 'private-dns-zone',
    params: [
      ['zoneName', "'privatelink.vaultcore.azure.net'"],
      ['virtualNetworkId', 'network.outputs.virtualNetworkId'],
      ['tags', 'resourceTags'],
    ],
  });
  add({
    why: 'Private DNS zone of the registry private endpoint.',
    symbol: 'registryDnsZone',
    file: 'private-dns-zone',
    params: [
      ['zoneName', "'privatelink.azurecr.io'"],
      ['virtualNetworkId', 'network.outputs.virtualNetworkId'],
      ['tags', 'resourceTags'],
    ],
  });
  if (facts.c.filebeat) {
    add({
      why: 'Private DNS zone of the Filebeat checkpoint storage private endpoint.',
      symbol: 'blobDnsZone',
      file: 'private-dns-zone',
      params: [
        ['zoneName', "'privatelink.blob.${environment().suffixes.storage}'"],
        ['virtualNetworkId', 'network.outputs.virtualNetworkId'],
        ['tags', 'resourceTags'],
      ],
    });
  }
  add({
    why: 'Log Analytics (diagnostics, Defender) and Container Insights collection.',
    symbol: 'monitoring',
    file: 'monitoring',
    params: [
      ['location', 'location'],
      ['logAnalyticsName', 'names.logAnalytics'],
      ['retentionInDays', 'logRetentionDays'],
      ['tags', 'resourceTags'],
    ],
  });
  if (c.managedPrometheus) {
    add({
      why: 'Managed Prometheus: Azure Monitor workspace and its collection rule.',
      symbol: 'prometheus',
      file: 'prometheus',
      params: [
        ['location', 'location'],
        ['monitorWorkspaceName', 'names.monitorWorkspace'],
        ['tags', 'resourceTags'],
      ],
    });
  }
  if (c.managedGrafana) {
    add({
      why: 'Azure Managed Grafana over Azure Monitor' + (c.managedPrometheus ? ' and managed Prometheus.' : '.'),
      symbol: 'grafana',
      file: 'grafana',
      params: [
        ['location', 'location'],
        ['grafanaName', 'names.grafana'],
        ...(c.managedPrometheus
          ? ([['monitorWorkspaceId', 'prometheus.outputs.monitorWorkspaceId']] as [string, string][])
          : []),
        ['adminGroupObjectIds', c.entraId ? 'adminGroupObjectIds' : '[]'],
        ['tags', 'resourceTags'],
      ],
    });
  }
  if (facts.eventHubs) {
    add({
      why: 'Event Hubs namespace that diagnostic settings stream to.',
      symbol: 'eventHubs',
      file: 'event-hubs',
      params: [
        ['location', 'location'],
        ['namespaceName', 'eventHubsNamespaceName'],
        ['tags', 'resourceTags'],
      ],
    });
  }
  const keyVaultParams = (name: string): [string, string][] => [
    ['location', 'location'],
    ['keyVaultName', name],
    ['privateEndpointSubnetId', 'network.outputs.privateEndpointsSubnetId'],
    ['privateDnsZoneId', 'keyVaultDnsZone.outputs.zoneId'],
    ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
    ...eventHubParams,
    ['tags', 'resourceTags'],
  ];
  add({
    why: 'Key Vault with RBAC authorisation, purge protection and a private endpoint.',
    symbol: 'keyVault',
    file: 'key-vault',
    params: [
      ...keyVaultParams('keyVaultName'),
      ...(secretsOfficers(plan) ? ([['secretsOfficerGroupIds', 'adminGroupObjectIds']] as [string, string][]) : []),
    ],
  });

  const clusterParams: [string, string][] = [
    ['location', 'location'],
    ['clusterName', 'names.cluster'],
    ['nodeResourceGroupName', 'names.nodeResourceGroup'],
    ['kubernetesVersion', 'kubernetesVersion'],
    ['skuTier', 'skuTier'],
    ['clusterIdentityId', 'identity.outputs.clusterIdentityId'],
  ];
  if (facts.byoKubelet) {
    clusterParams.push(
      ['kubeletIdentityId', 'kubeletIdentity.outputs.kubeletIdentityId'],
      ['kubeletClientId', 'kubeletIdentity.outputs.kubeletClientId'],
      ['kubeletPrincipalId', 'kubeletIdentity.outputs.kubeletPrincipalId'],
    );
  }
  clusterParams.push(['nodeSubnetId', 'network.outputs.nodesSubnetId']);
  if (c.apiServerVnetIntegration) clusterParams.push(['apiServerSubnetId', 'network.outputs.apiServerSubnetId']);
  if (c.privateCluster) clusterParams.push(['privateDnsZoneId', 'clusterDnsZone.outputs.zoneId']);
  if (c.entraId) clusterParams.push(['adminGroupObjectIds', 'adminGroupObjectIds']);
  clusterParams.push(['agentPools', 'agentPools'], ['maxSurge', 'maxSurge']);
  if (facts.maintenance.length > 0) clusterParams.push(['maintenanceWindow', 'maintenanceWindow']);
  clusterParams.push(['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId']);
  if (c.containerInsights)
    clusterParams.push(['containerInsightsRuleId', 'monitoring.outputs.containerInsightsRuleId']);
  if (c.managedPrometheus)
    clusterParams.push(
      ['prometheusRuleId', 'prometheus.outputs.prometheusRuleId'],
      ['prometheusEndpointId', 'prometheus.outputs.collectionEndpointId'],
    );
  clusterParams.push(...eventHubParams, ['tags', 'resourceTags']);
  add({
    why: 'The AKS cluster, its maintenance windows, monitoring associations and diagnostic settings.',
    symbol: 'cluster',
    file: 'cluster',
    params: clusterParams,
    dependsOn: [],
  });

  add({
    why: 'Container registry (Premium, private endpoint, no admin user); the kubelet identity pulls from it.',
    symbol: 'registry',
    file: 'registry',
    params: [
      ['location', 'location'],
      ['registryName', 'registryName'],
      ['privateEndpointSubnetId', 'network.outputs.privateEndpointsSubnetId'],
      ['privateDnsZoneId', 'registryDnsZone.outputs.zoneId'],
      ['kubeletPrincipalId', kubeletPrincipal],
      ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
      ...eventHubParams,
      ['tags', 'resourceTags'],
    ],
  });

  if (facts.teamIdentities && plan.teams.length > 0) {
    add({
      why: c.workloadIdentity
        ? 'Per team: an Azure identity federated with the team service account.'
        : 'Per team: an Azure identity that AAD Pod Identity assigns to the team pods.',
      symbol: 'teamIdentities',
      file: 'team-identity',
      loop: 'team in teams',
      params: [
        ['location', 'location'],
        ['identityName', 'team.identityName'],
        ...((c.workloadIdentity
          ? [
              ['namespace', 'team.namespace'],
              ['serviceAccount', 'team.serviceAccount'],
              ['oidcIssuerUrl', 'cluster.outputs.oidcIssuerUrl'],
            ]
          : [['kubeletPrincipalId', kubeletPrincipal]]) as [string, string][]),
        ...(c.keyVaultCsi ? ([['keyVaultName', 'keyVault.outputs.keyVaultName']] as [string, string][]) : []),
        ['tags', 'resourceTags'],
      ],
    });
  }
  if (c.aadPodIdentity) {
    add({
      why: 'AAD Pod Identity needs the kubelet identity to manage identities on the nodes, in the node resource group AKS created.',
      symbol: 'podIdentityRoles',
      file: 'pod-identity-roles',
      scope: 'resourceGroup(names.nodeResourceGroup)',
      params: [['kubeletPrincipalId', kubeletPrincipal]],
      // The node resource group exists once the cluster does; a cluster-created kubelet identity already implies that.
      dependsOn: facts.byoKubelet ? ['cluster'] : [],
    });
  }
  // Platform components Flux deploys that call Azure: one federated identity each, with a single role.
  const platformIdentity = (component: 'grafana' | 'filebeat', why: string, role?: { id: string; reason: string }) => {
    const sa = PLATFORM_SERVICE_ACCOUNTS[component];
    add({
      why,
      symbol: `${component}Identity`,
      file: 'platform-identity',
      params: [
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
          : []) as [string, string][]),
        ['tags', 'resourceTags'],
      ],
    });
  };
  if (facts.grafanaIdentity) {
    platformIdentity('grafana', 'Identity of the Grafana that Flux deploys, reading Azure Monitor.', {
      id: BUILT_IN_ROLES.monitoringReader,
      reason: 'Grafana reads Azure Monitor data of the environment',
    });
  }
  if (grafanaAdminFromKeyVault(c)) {
    add({
      why: "Grafana's admin login in the environment vault, readable by the Grafana identity alone; never the chart's default.",
      symbol: 'grafanaAdmin',
      file: 'grafana-admin',
      params: [
        ['keyVaultName', 'keyVault.outputs.keyVaultName'],
        ['grafanaPrincipalId', 'grafanaIdentity.outputs.principalId'],
        ['adminUser', bicepString(GRAFANA_ADMIN.user)],
        ['adminPassword', 'grafanaAdminPassword'],
      ],
    });
  }
  if (facts.c.filebeat) {
    // Its only right is Key Vault Secrets User on its own vault, granted by the filebeat module.
    platformIdentity(
      'filebeat',
      'Identity of the Filebeat that Flux deploys; the Secrets Store CSI driver reads its credentials with it.',
    );
    add({
      why: 'Filebeat keeps its credentials in a vault of its own, out of reach of the team identities.',
      symbol: 'logKeyVault',
      file: 'key-vault',
      params: keyVaultParams('logKeyVaultName'),
    });
    add({
      why: 'Filebeat: consumer group, Listen-only rule, checkpoint storage, and its credentials in its vault.',
      symbol: 'filebeat',
      file: 'filebeat',
      params: [
        ['location', 'location'],
        ['keyVaultName', 'logKeyVault.outputs.keyVaultName'],
        ['storageAccountName', 'logStorageName'],
        ['eventHubsNamespaceName', 'eventHubs.outputs.namespaceName'],
        ['eventHubName', 'eventHubs.outputs.eventHubName'],
        ['readerPrincipalId', 'filebeatIdentity.outputs.principalId'],
        ['privateEndpointSubnetId', 'network.outputs.privateEndpointsSubnetId'],
        ['blobDnsZoneId', 'blobDnsZone.outputs.zoneId'],
        ['elasticsearchApiKey', 'elasticsearchApiKey'],
        ['tags', 'resourceTags'],
      ],
    });
  }
  if (c.entraId) {
    add({
      why: c.azureRbac
        ? 'Azure RBAC for Kubernetes: admin groups and team groups (namespace scope).'
        : 'Entra groups may fetch a kubeconfig; their Kubernetes rights are RoleBindings in Git.',
      symbol: 'clusterAccess',
      file: 'cluster-access',
      params: [
        ['clusterName', 'cluster.outputs.clusterName'],
        ['adminGroupObjectIds', 'adminGroupObjectIds'],
        ['teamGroups', 'teamGroups'],
      ],
    });
  }
  if (c.fluxConfiguration && plan.gitRepository) {
    add({
      why: 'Flux extension and the configuration that points the cluster at this repository.',
      symbol: 'flux',
      file: 'flux',
      params: [
        ['clusterName', 'cluster.outputs.clusterName'],
        ['gitRepositoryUrl', bicepString(plan.gitRepository.url)],
        ['gitBranch', bicepString(plan.gitRepository.branch)],
        ['clusterPath', "'./clusters/${environmentName}'"],
        ['substitute', 'fluxSubstitutions'],
        ...(plan.gitRepository.private ? ([['gitToken', 'fluxGitToken']] as [string, string][]) : []),
      ],
    });
  }

  variables.push({
    why: 'Values the Flux manifests receive as ${NAME} (postBuild.substitute); also a deployment output.',
    name: 'fluxSubstitutions',
    value: bicepLiteral(fluxSubstitutions(plan)),
  });

  const outputs: Output[] = [
    { name: 'resourceGroupName', description: 'Resource group of the environment.', value: 'environmentGroup.name' },
    { name: 'clusterName', description: 'Name of the AKS cluster.', value: 'cluster.outputs.clusterName' },
    { name: 'oidcIssuerUrl', description: 'OIDC issuer URL of the cluster.', value: 'cluster.outputs.oidcIssuerUrl' },
    {
      name: 'clusterIdentityClientId',
      description: 'Client ID of the control-plane identity.',
      value: 'identity.outputs.clusterClientId',
    },
    ...(facts.byoKubelet
      ? [
          {
            name: 'kubeletClientId',
            description: 'Client ID of the kubelet identity.',
            value: 'kubeletIdentity.outputs.kubeletClientId',
          },
        ]
      : []),
    { name: 'keyVaultName', description: 'Name of the Key Vault.', value: 'keyVault.outputs.keyVaultName' },
    {
      name: 'registryLoginServer',
      description: 'Login server of the container registry.',
      value: 'registry.outputs.loginServer',
    },
    ...(facts.teamIdentities
      ? plan.teams.map((team, i) => ({
          name: camel(teamClientIdVariable(team)),
          description: `Client ID of the ${team.name} workload identity.`,
          value: `teamIdentities[${i}].outputs.clientId`,
        }))
      : []),
  ];

  outputs.push({
    name: 'fluxVariables',
    type: 'object',
    description: 'Every value the Flux manifests receive through postBuild.substitute, by variable name.',
    value: 'fluxSubstitutions',
  });
  return renderTemplate('infra/main.bicep', { api, params, variables, existing, modules, outputs });
}

/** The egress rules an existing hub's firewall needs, as rows for its owners (the created hub has them in Bicep). */
function existingHubRules(
  plan: Plan,
): { name: string; kind: string; ports: string; destinations: string; source: string }[] {
  const list = (items: string[]) => items.map((item) => `\`${item.replace('{location}', plan.location)}\``).join(', ');
  const cite = (sources: string[], otherwise: string) =>
    sources.length > 0 ? sources.map((url, i) => `[${i + 1}](${url})`).join(' ') : otherwise;
  return [
    ...firewallNetworkRules(plan).map((rule) => ({
      name: rule.name,
      kind: 'network',
      ports: `${rule.protocols.join('/')} ${rule.ports.join(', ')}`,
      destinations: list(rule.destinations),
      source: cite(rule.sources, ''),
    })),
    {
      name: 'aks-fqdn-tag',
      kind: 'application',
      ports: 'HTTPS 443, HTTP 80',
      destinations: 'FQDN tag `AzureKubernetesService`',
      source: cite(['https://learn.microsoft.com/azure/aks/limit-egress-traffic'], ''),
    },
    ...firewallApplicationRules(plan).map((rule) => ({
      name: rule.name,
      kind: 'application',
      ports: `HTTPS ${rule.port ?? 443}`,
      destinations: list(rule.fqdns),
      source: cite(
        rule.sources,
        rule.name === 'elasticsearch' ? 'the Elasticsearch URL answered' : 'the images deployed',
      ),
    })),
  ];
}

/** The service accounts the platform's own identities federate with, as the infra README lists them. */
function platformAccounts(facts: Facts): string[] {
  const account = (component: keyof typeof PLATFORM_SERVICE_ACCOUNTS, what: string) =>
    `\`${PLATFORM_SERVICE_ACCOUNTS[component].namespace}/${PLATFORM_SERVICE_ACCOUNTS[component].serviceAccount}\` (${what})`;
  return [
    ...(facts.grafanaIdentity ? [account('grafana', 'Grafana')] : []),
    ...(facts.c.filebeat ? [account('filebeat', 'Filebeat')] : []),
  ];
}

/**
 * A firewall destination with its placeholders as deploy-time Bicep: the cloud's DNS suffixes from environment(), so
 * the rules hold in every Azure cloud, and the region from the `location` parameter.
 */
function ruleDestination(destination: string): BicepValue {
  if (!destination.includes('{')) return destination;
  return expr(bicepDestinationText(bicepString(destination)));
}

function camel(constant: string): string {
  return constant.toLowerCase().replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

/** fluxVariables(plan) as Bicep expressions; a variable without a known source is a bug, so it throws. */
function fluxSubstitutions(plan: Plan): Record<string, BicepValue> {
  const sources = new Map<string, string>([
    ['ENVIRONMENT', 'environmentName'],
    ['AZURE_TENANT_ID', 'tenant().tenantId'],
    ['AZURE_SUBSCRIPTION_ID', 'subscription().subscriptionId'],
    ['LOCATION', 'location'],
    ['CLUSTER_NAME', 'cluster.outputs.clusterName'],
    ['KEY_VAULT_NAME', 'keyVault.outputs.keyVaultName'],
    ['GRAFANA_CLIENT_ID', 'grafanaIdentity.outputs.clientId'],
    ['FILEBEAT_CLIENT_ID', 'filebeatIdentity.outputs.clientId'],
    ['FILEBEAT_KEY_VAULT_NAME', 'logKeyVault.outputs.keyVaultName'],
    ['FILEBEAT_STORAGE_ACCOUNT', 'filebeat.outputs.storageAccountName'],
  ]);
  plan.teams.forEach((team, i) => {
    sources.set(teamClientIdVariable(team), `teamIdentities[${i}].outputs.clientId`);
    sources.set(
      teamClientIdVariable(team).replace(/_CLIENT_ID$/, '_IDENTITY_RESOURCE_ID'),
      `teamIdentities[${i}].outputs.identityId`,
    );
  });
  const substitute: Record<string, BicepValue> = {};
  for (const variable of fluxVariables(plan)) {
    const source = sources.get(variable.name);
    if (!source) throw new Error(`infra: no Bicep source for the Flux variable ${variable.name}`);
    substitute[variable.name] = expr(source);
  }
  return substitute;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameter files

function environmentParameters(plan: Plan, env: EnvironmentPlan, facts: Facts): [string, string][] {
  const { answers } = plan;
  const values: [string, BicepValue][] = [
    ['location', plan.location],
    ['environmentName', env.name],
    ['names', environmentNameValues(plan, env)],
    ['addressSpace', env.addressSpace],
    ['subnetPrefixes', Object.fromEntries(env.subnets.map((s) => [s.role, s.cidr]))],
    ['kubernetesVersion', answers.cluster.kubernetesVersion],
    ['skuTier', env.skuTier],
    [
      'agentPools',
      env.pools.map((pool) => ({
        name: pool.name,
        mode: pool.mode,
        vmSize: pool.vmSize,
        minCount: pool.minCount,
        maxCount: pool.maxCount,
        zones: pool.zones,
        spot: pool.spot,
        taints: pool.taints,
        labels: pool.labels,
      })),
    ],
    ['maxSurge', answers.upgrades.maxSurge],
  ];
  if (facts.maintenance.length > 0) {
    const w = answers.upgrades.maintenanceWindow;
    values.push([
      'maintenanceWindow',
      { dayOfWeek: w.dayOfWeek, startTime: w.startTime, durationHours: w.durationHours, utcOffset: w.utcOffset },
    ]);
  }
  if (facts.c.entraId) values.push(['adminGroupObjectIds', answers.identity.adminGroupObjectIds]);
  values.push(['logRetentionDays', answers.observability.logRetentionDays]);
  // Credentials never enter the repository: the deploy step passes the pipeline secrets in the environment.
  if (facts.c.fluxConfiguration && plan.gitRepository?.private)
    values.push(['fluxGitToken', expr(`readEnvironmentVariable('${FLUX.tokenVariable}', '')`)]);
  if (facts.c.filebeat)
    values.push(['elasticsearchApiKey', expr(`readEnvironmentVariable('${FILEBEAT.apiKeyVariable}', '')`)]);
  if (grafanaAdminFromKeyVault(facts.c))
    values.push(['grafanaAdminPassword', expr(`readEnvironmentVariable('${GRAFANA_ADMIN.passwordVariable}', '')`)]);
  values.push(['tags', { platform: plan.platform, managedBy: plan.generator.name }]);
  return values.map(([name, value]) => [name, bicepLiteral(value)]);
}

function hubParameters(plan: Plan): [string, string][] {
  const hub = plan.hub;
  const subnet = (name: string) => hub.subnets.find((s) => s.name === name)?.cidr ?? '';
  const values: [string, BicepValue][] = [
    ['location', plan.location],
    ['resourceGroupName', hub.names?.resourceGroup.value ?? ''],
    ['virtualNetworkName', hub.names?.virtualNetwork.value ?? ''],
    ['addressSpace', hub.addressSpace ?? ''],
    [
      'subnetPrefixes',
      {
        firewall: subnet('AzureFirewallSubnet'),
        bastion: subnet('AzureBastionSubnet'),
        gateway: subnet('GatewaySubnet'),
      },
    ],
    ['spokeAddressSpaces', plan.environments.map((env) => env.addressSpace)],
    ['names', { ...hubInfraNames(plan) }],
    ['deployBastion', true],
    ['logRetentionDays', plan.answers.observability.logRetentionDays],
    ['tags', { environment: 'hub', platform: plan.platform, managedBy: plan.generator.name }],
  ];
  return values.map(([name, value]) => [name, bicepLiteral(value)]);
}

// ---------------------------------------------------------------------------------------------------------------
// Linter configuration

/** Linter rules raised to errors: what would make a deployment insecure, non-repeatable or dead code. */
export const BICEP_LINTER_ERRORS = [
  'adminusername-should-not-be-literal',
  'artifacts-parameters',
  'decompiler-cleanup',
  'explicit-values-for-loc-params',
  'max-outputs',
  'max-params',
  'max-resources',
  'max-variables',
  'no-conflicting-metadata',
  'no-deployments-resources',
  'no-hardcoded-env-urls',
  'no-hardcoded-location',
  'no-loc-expr-outside-params',
  'no-unnecessary-dependson',
  'no-unused-existing-resources',
  'no-unused-params',
  'no-unused-vars',
  'outputs-should-not-contain-secrets',
  'prefer-interpolation',
  'prefer-unquoted-property-names',
  'protect-commandtoexecute-secrets',
  'secure-parameter-default',
  'secure-params-in-nested-deploy',
  'secure-secrets-in-params',
  'simplify-interpolation',
  'simplify-json-null',
  'use-parent-property',
  'use-resource-id-functions',
  'use-resource-symbol-reference',
  'use-safe-access',
  'use-secure-value-for-secure-inputs',
  'use-stable-resource-identifiers',
  'use-stable-vm-image',
] as const;

function bicepConfig(): string {
  const rules = Object.fromEntries(BICEP_LINTER_ERRORS.map((rule) => [rule, { level: 'error' }]));
  return `${JSON.stringify({ analyzers: { core: { enabled: true, rules } } }, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------------

export function renderInfraFiles(plan: Plan): [string, string][] {
  const facts = platformFacts(plan);
  const { c } = facts;
  const files: [string, string][] = [];
  const deployments = planDeployments(plan);

  files.push(['infra/bicepconfig.json', bicepConfig()]);
  files.push(['infra/main.bicep', renderMain(plan, facts)]);
  for (const deployment of deployments) {
    const values = deployment.environment
      ? environmentParameters(plan, deployment.environment, facts)
      : hubParameters(plan);
    files.push([
      deployment.parameters,
      renderTemplate('infra/parameters.bicepparam', { template: deployment.template.replace(/^infra\//, ''), values }),
    ]);
  }
  if (plan.hub.mode === 'create') {
    files.push(['infra/hub.bicep', renderTemplate('infra/hub.bicep', { api })]);
    files.push([
      'infra/modules/hub-monitoring.bicep',
      module('monitoring', {
        containerInsights: false,
        why: 'The hub keeps its own workspace: firewall and Bastion logs outlive every environment.',
      }),
    ]);
    const rules = firewallApplicationRules(plan);
    const applicationRules: BicepValue[] = [
      {
        ruleType: 'ApplicationRule',
        name: 'aks-fqdn-tag',
        description: 'Everything AKS itself needs (images, packages, control plane)',
        protocols: [
          { protocolType: 'Https', port: 443 },
          { protocolType: 'Http', port: 80 },
        ],
        sourceAddresses: expr('spokeAddressSpaces'),
        fqdnTags: ['AzureKubernetesService'],
      },
      ...rules.map((rule) => ({
        ruleType: 'ApplicationRule',
        name: rule.name,
        description: rule.description,
        protocols: [{ protocolType: 'Https', port: rule.port ?? 443 }],
        sourceAddresses: expr('spokeAddressSpaces'),
        targetFqdns: rule.fqdns.map(ruleDestination),
      })),
    ];
    const networkRules: BicepValue[] = firewallNetworkRules(plan).map((rule) => ({
      ruleType: 'NetworkRule',
      name: rule.name,
      description: rule.description,
      ipProtocols: rule.protocols,
      sourceAddresses: expr('spokeAddressSpaces'),
      destinationAddresses: rule.destinations.map(ruleDestination),
      destinationPorts: rule.ports,
    }));
    files.push([
      'infra/modules/hub-network.bicep',
      module('hub-network', {
        applicationRules: bicepLiteral(applicationRules, '        '),
        networkRules: bicepLiteral(networkRules, '        '),
        hasNetworkRules: networkRules.length > 0,
        firewallLogCategories: FIREWALL_LOG_CATEGORIES,
      }),
    ]);
  }

  const natGateway = plan.answers.network.egress === 'natGateway';
  const subnets = (plan.environments[0]?.subnets ?? []).map((s) => {
    const properties: Record<string, BicepValue> = {
      addressPrefix: expr(`subnetPrefixes.${s.role}`),
      networkSecurityGroup: { id: expr(`${s.role}Nsg.id`) },
      defaultOutboundAccess: false,
    };
    if (s.role === 'nodes' && nodeRouteTable(plan)) properties.routeTable = { id: expr('routeTable.id') };
    if (s.role === 'nodes' && natGateway) properties.natGateway = { id: expr('natGateway.id') };
    if (s.role === 'privateEndpoints') properties.privateEndpointNetworkPolicies = 'Enabled';
    if (s.role === 'apiServer')
      properties.delegations = [
        { name: 'aks-api-server', properties: { serviceName: 'Microsoft.ContainerService/managedClusters' } },
      ];
    return {
      role: s.role,
      name: s.name,
      nsgSuffix: s.name.replace(/^snet-/, ''),
      purpose: SUBNET_PURPOSES[s.role] ?? s.role,
      symbol: `${s.role}Subnet`,
      nsgSymbol: `${s.role}Nsg`,
      properties: bicepLiteral(properties, '        '),
    };
  });
  const networkContributor = c.privateCluster
    ? [
        {
          symbol: 'clusterNetworkContributor',
          scope: 'virtualNetwork',
          why: 'A private cluster links its API server DNS zone and joins the node subnet: Network Contributor on the spoke VNet.',
          description: 'AKS control plane links the private DNS zone and joins the subnets',
        },
      ]
    : [
        {
          symbol: 'nodesSubnetNetworkContributor',
          scope: 'nodesSubnet',
          why: 'The control plane joins nodes and internal load balancers to the node subnet: Network Contributor on it.',
          description: 'AKS control plane joins the node subnet',
        },
        ...(c.apiServerVnetIntegration
          ? [
              {
                symbol: 'apiServerSubnetNetworkContributor',
                scope: 'apiServerSubnet',
                why: 'The control plane projects the API server into the delegated subnet: Network Contributor on it.',
                description: 'AKS control plane joins the API server subnet',
              },
            ]
          : []),
      ];
  if (nodeRouteTable(plan)) {
    networkContributor.push({
      symbol: 'routeTableNetworkContributor',
      scope: 'routeTable',
      why:
        plan.answers.network.plugin === 'kubenet'
          ? 'Kubenet: the control plane writes the pod routes into this route table, so its identity holds Network Contributor on it before the cluster is created.'
          : 'User-defined routing: the control plane reads the node route table: Network Contributor on it.',
      description: 'AKS control plane manages routes of the node subnet',
    });
  }
  if (natGateway) {
    networkContributor.push({
      symbol: 'natGatewayNetworkContributor',
      scope: 'natGateway',
      why: 'The control plane attaches the node subnet outbound path to the NAT gateway: Network Contributor on it.',
      description: 'AKS control plane uses the NAT gateway for outbound traffic',
    });
  }
  files.push([
    'infra/modules/network.bicep',
    module('network', {
      subnets,
      routeTable: nodeRouteTable(plan),
      firewallRoute: c.egressThroughFirewall,
      kubenet: plan.answers.network.plugin === 'kubenet',
      natGateway,
      peering: plan.hub.mode !== 'none',
      networkContributor,
    }),
  ]);
  files.push(['infra/modules/identity.bicep', module('identity')]);
  if (facts.byoKubelet) files.push(['infra/modules/kubelet-identity.bicep', module('kubelet-identity')]);
  if (plan.hub.mode === 'create') files.push(['infra/modules/hub-peering.bicep', module('hub-peering')]);
  if (c.privateCluster) files.push(['infra/modules/cluster-dns-zone.bicep', module('cluster-dns-zone')]);
  files.push(['infra/modules/private-dns-zone.bicep', module('private-dns-zone')]);
  files.push([
    'infra/modules/monitoring.bicep',
    module('monitoring', {
      containerInsights: c.containerInsights,
      why: `One workspace per environment receives diagnostic logs, Defender findings${c.containerInsights ? ' and Container Insights' : ''}.`,
    }),
  ]);
  if (c.managedPrometheus) files.push(['infra/modules/prometheus.bicep', module('prometheus')]);
  if (c.managedGrafana)
    files.push(['infra/modules/grafana.bicep', module('grafana', { prometheus: c.managedPrometheus })]);
  if (facts.eventHubs) files.push(['infra/modules/event-hubs.bicep', module('event-hubs')]);
  files.push(['infra/modules/key-vault.bicep', module('key-vault', { eventHubs: facts.eventHubs })]);
  files.push(['infra/modules/registry.bicep', module('registry', { eventHubs: facts.eventHubs })]);
  files.push(['infra/modules/cluster.bicep', renderCluster(plan, facts)]);
  if (facts.teamIdentities && plan.teams.length > 0) {
    files.push([
      'infra/modules/team-identity.bicep',
      module('team-identity', { federated: c.workloadIdentity, keyVault: c.keyVaultCsi }),
    ]);
  }
  if (c.aadPodIdentity) files.push(['infra/modules/pod-identity-roles.bicep', module('pod-identity-roles')]);
  if (facts.c.filebeat) {
    files.push([
      'infra/modules/filebeat.bicep',
      module('filebeat', {
        ...FILEBEAT,
        consumerGroupApi: childApi('Microsoft.EventHub/namespaces', 'eventhubs/consumergroups'),
        blobServiceApi: childApi('Microsoft.Storage/storageAccounts', 'blobServices'),
        blobContainerApi: childApi('Microsoft.Storage/storageAccounts', 'blobServices/containers'),
        secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets'),
      }),
    ]);
  }
  if (facts.grafanaIdentity || facts.c.filebeat)
    files.push(['infra/modules/platform-identity.bicep', module('platform-identity')]);
  if (grafanaAdminFromKeyVault(c))
    files.push([
      'infra/modules/grafana-admin.bicep',
      module('grafana-admin', { ...GRAFANA_ADMIN, secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets') }),
    ]);
  if (c.entraId)
    files.push(['infra/modules/cluster-access.bicep', module('cluster-access', { azureRbac: c.azureRbac })]);
  if (c.fluxConfiguration && plan.gitRepository) {
    files.push([
      'infra/modules/flux.bicep',
      module('flux', {
        flux: FLUX,
        multiTenancy: FLUX_MULTI_TENANCY_SETTING,
        rootKey: bicepKey(FLUX.rootKustomization),
        privateRepository: plan.gitRepository.private,
      }),
    ]);
  }

  files.push([
    'infra/README.md',
    renderTemplate('infra/README.md', {
      plan,
      facts,
      hubLogAnalytics: hubInfraNames(plan).logAnalytics,
      deployments,
      files: files.map(([path]) => path).sort(),
      variables: fluxVariables(plan),
      tokenVariable: FLUX.tokenVariable,
      secrets: pipelineSecretNames(plan).map((name) => ({ name, what: PIPELINE_SECRETS[name]?.what ?? '' })),
      platformAccounts: platformAccounts(facts),
      hubRules: plan.hub.mode === 'existing' && c.egressThroughFirewall ? existingHubRules(plan) : [],
      elasticsearch: c.filebeat ? elasticsearchEndpoint(plan.answers)?.host : undefined,
    }),
  ]);
  return files;
}

export const infraArea: OutputArea = {
  name: 'infra',
  *render(plan) {
    yield* renderInfraFiles(plan);
  },
};
