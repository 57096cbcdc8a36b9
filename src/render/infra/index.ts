import {
  FLUX,
  KUBERNETES_VERSION_VARIABLE,
  PIPELINE_SECRETS,
  fluxVariables,
  pipelineSecretNames,
  planDeployments,
} from '../../plan/contracts.js';
import type { EnvironmentPlan, Plan } from '../../plan/index.js';
import { GRAFANA_ADMIN, grafanaAdminFromKeyVault } from '../../plan/grafana.js';
import { FILEBEAT } from '../../plan/filebeat.js';
import {
  elasticsearchEndpoint,
  environmentInfraNames,
  firewallApplicationRules,
  firewallNetworkRules,
  hubInfraNames,
} from '../../plan/infra.js';
import { PLATFORM_SERVICE_ACCOUNTS } from '../../plan/service-accounts.js';
import { FLEET_OPERATOR_ROLE, fleetOperatorIdentity, pipelineResourceGroup } from '../../plan/pipeline-identities.js';
import { centralZoneId, PRIVATE_DNS_ZONES } from '../../plan/private-dns.js';
import { expectedZoneName } from '../../azure/private-dns-zones.js';
import { policyEffect } from '../../plan/policy.js';
import type { OutputArea } from '../area.js';
import { AGENT_POOL_TYPE, MAINTENANCE_WINDOW_TYPE, maintenanceSchedules, type Param } from './cluster.js';
import { renderModule } from './module-file.js';
import { moduleCalls, moduleFiles, moduleFluxSources } from './modules.js';
import { renderHubModules, SUBNET_PURPOSES } from './network.js';
import { renderTemplate } from '../template.js';
import { messages } from '../../messages.js';
import { joinWords } from '../../util/words.js';
import { api, bicepLiteral, bicepString, expr, type BicepValue } from './bicep.js';

// plan -> infra/: the subscription-scope entry points (main.bicep per environment, hub.bicep when the hub is ours),
// one module per concern, a parameter file per deployment, the linter configuration and a README.
// Every platform-wide choice is decided here, so the templates only lay out values.

interface Output {
  name: string;
  type?: string;
  description: string;
  value: string;
}

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
  ['actionGroup', 'Action group the platform alerts notify.'],
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

const ARC_CLUSTER_TYPE = `{
  @description('Name of the connected cluster, also its entry point clusters/<name>.')
  name: string
  @description('Resource group the cluster is connected into.')
  resourceGroup: string
  @description('Whether the cluster was connected with workload identity (its distribution supports it).')
  workloadIdentity: bool
}[]`;

function renderMain(plan: Plan): string {
  const c = plan.components;
  const hub = plan.hub;
  const hubNames = hub.names;
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
    ...(c.policyAssignments
      ? [
          {
            name: 'policyEffect',
            description: 'Effect of the Azure Policy assignments: Audit outside production, Deny in production.',
            decorators: ["@allowed([\n  'Audit'\n  'Deny'\n])"],
            type: 'string',
          },
        ]
      : []),
    ...(c.managedGrafana
      ? [
          {
            name: 'zoneRedundant',
            description:
              'Zone redundancy where it is a paid option (Managed Grafana), for production; fixed when the resource is created.',
            decorators: [],
            type: 'bool',
          },
        ]
      : []),
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
    ...(maintenanceSchedules(plan).length > 0
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
    ...(c.authorizedIpRanges
      ? [
          {
            name: 'authorizedIpRanges',
            description:
              'Public CIDRs allowed to reach the API server (offices, self-hosted runners); the cluster egress address is added here.',
            decorators: ['@minLength(1)', '@maxLength(199)'],
            type: 'string[]',
          },
        ]
      : []),
    ...(c.actionGroup
      ? [
          {
            name: 'alertEmails',
            description: 'Addresses the action group emails when a platform alert fires.',
            decorators: ['@minLength(1)'],
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
    ...(c.filebeat
      ? [
          {
            name: 'elasticsearchApiKey',
            description: `Elasticsearch API key Filebeat ships with, from the ${FILEBEAT.apiKeyVariable} pipeline secret; empty keeps the key already in the vault.`,
            decorators: ['@secure()'],
            type: "string = ''",
          },
        ]
      : []),
    ...(c.arc
      ? [
          {
            name: 'arcClusters',
            description: 'Arc-enabled clusters of the environment (connected with az connectedk8s connect).',
            decorators: [],
            type: ARC_CLUSTER_TYPE,
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
  if (c.eventHubsStreaming)
    variables.push({
      why: 'Event Hubs namespace names are global: prefix plus suffix.',
      name: 'eventHubsNamespaceName',
      value: "'${names.eventHubsPrefix}${uniqueSuffix}'",
    });
  if (c.filebeat) {
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
  if (c.teamAzureIdentities && plan.teams.length > 0) {
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
    if (c.egressThroughFirewall && c.authorizedIpRanges) {
      existing.push({
        why: 'Public IP of the hub firewall: the nodes reach the public API server through it, so it is an authorized range.',
        symbol: 'hubFirewallPublicIp',
        type: api('Microsoft.Network/publicIPAddresses'),
        scope: 'resourceGroup(hubResourceGroupName)',
        name: bicepString(hubInfraNames(plan).firewallPublicIp),
      });
    }
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

  const modules = moduleCalls(plan);

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
    ...(c.userAssignedKubeletIdentity
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
    // One object keyed by team, not one output per team: ARM allows 64 outputs (arm-limits.ts).
    ...(c.teamAzureIdentities && plan.teams.length > 0
      ? [
          {
            name: 'teamClientIds',
            type: 'object',
            description: 'Client ID of each team workload identity, by team name.',
            value: bicepLiteral(
              Object.fromEntries(
                plan.teams.map((team, i) => [team.name, expr(`teamIdentities[${i}].outputs.clientId`)]),
              ),
            ),
          },
        ]
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

/** The private DNS zones the environment creates and the hub-owned ones it references, as the infra README lists them. */
function readmeDnsZones(plan: Plan): { created: string[]; central: { key: string; id: string; what: string }[] } {
  const used = PRIVATE_DNS_ZONES.filter((zone) => zone.used(plan));
  return {
    created: used
      .filter((zone) => centralZoneId(plan, zone.key) === undefined)
      .map((zone) => expectedZoneName(zone.key, plan.location).replace('core.windows.net', '<storage suffix>')),
    central: used.flatMap((zone) => {
      const id = centralZoneId(plan, zone.key);
      return id ? [{ key: zone.key, id, what: zone.what }] : [];
    }),
  };
}

/** The service accounts the platform's own identities federate with, as the infra README lists them. */
function platformAccounts(plan: Plan): string[] {
  const account = (component: keyof typeof PLATFORM_SERVICE_ACCOUNTS, what: string) =>
    `\`system:serviceaccount:${PLATFORM_SERVICE_ACCOUNTS[component].namespace}:${PLATFORM_SERVICE_ACCOUNTS[component].serviceAccount}\` (${what})`;
  const c = plan.components;
  return [
    ...(c.grafanaAzureMonitor ? [account('grafana', 'Grafana')] : []),
    ...(c.filebeat ? [account('filebeat', 'Filebeat')] : []),
  ];
}

/** fluxVariables(plan) as Bicep expressions; a variable without a known source is a bug, so it throws. */
function fluxSubstitutions(plan: Plan): Record<string, BicepValue> {
  const sources = new Map<string, string>([
    ['ENVIRONMENT', 'environmentName'],
    ['AZURE_TENANT_ID', 'tenant().tenantId'],
    ['AZURE_SUBSCRIPTION_ID', 'subscription().subscriptionId'],
    ['LOCATION', 'location'],
    ...moduleFluxSources(plan),
  ]);
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

function environmentParameters(plan: Plan, env: EnvironmentPlan): [string, string][] {
  const { answers } = plan;
  const c = plan.components;
  const values: [string, BicepValue][] = [
    ['location', plan.location],
    ['environmentName', env.name],
    ['names', environmentNameValues(plan, env)],
    ['addressSpace', env.addressSpace],
    ['subnetPrefixes', Object.fromEntries(env.subnets.map((s) => [s.role, s.cidr]))],
    // The pin, unless the pipeline passes the newer version a cluster already runs (AKS refuses downgrades).
    [
      'kubernetesVersion',
      expr(
        `readEnvironmentVariable('${KUBERNETES_VERSION_VARIABLE}', ${bicepString(answers.cluster.kubernetesVersion)})`,
      ),
    ],
    ['skuTier', env.skuTier],
    ...(c.policyAssignments ? ([['policyEffect', policyEffect(env)]] as [string, BicepValue][]) : []),
    ...(c.managedGrafana ? ([['zoneRedundant', env.zoneRedundant]] as [string, BicepValue][]) : []),
    [
      'agentPools',
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
    ],
    ['maxSurge', answers.upgrades.maxSurge],
  ];
  if (maintenanceSchedules(plan).length > 0) {
    const w = answers.upgrades.maintenanceWindow;
    values.push([
      'maintenanceWindow',
      { dayOfWeek: w.dayOfWeek, startTime: w.startTime, durationHours: w.durationHours, utcOffset: w.utcOffset },
    ]);
  }
  if (c.entraId) values.push(['adminGroupObjectIds', answers.identity.adminGroupObjectIds]);
  if (c.authorizedIpRanges) values.push(['authorizedIpRanges', answers.cluster.authorizedIpRanges]);
  if (c.actionGroup) values.push(['alertEmails', answers.observability.alertEmails]);
  values.push(['logRetentionDays', answers.observability.logRetentionDays]);
  // Credentials never enter the repository: the deploy step passes the pipeline secrets in the environment.
  if (c.fluxConfiguration && plan.gitRepository?.private)
    values.push(['fluxGitToken', expr(`readEnvironmentVariable('${FLUX.tokenVariable}', '')`)]);
  if (c.filebeat)
    values.push(['elasticsearchApiKey', expr(`readEnvironmentVariable('${FILEBEAT.apiKeyVariable}', '')`)]);
  if (grafanaAdminFromKeyVault(c))
    values.push(['grafanaAdminPassword', expr(`readEnvironmentVariable('${GRAFANA_ADMIN.passwordVariable}', '')`)]);
  if (plan.components.arc) {
    values.push([
      'arcClusters',
      plan.clusters
        .filter((cluster) => cluster.kind === 'arc' && cluster.environment === env.name)
        .map((cluster) => ({
          name: cluster.clusterName,
          resourceGroup: cluster.resourceGroup,
          workloadIdentity: cluster.capabilities.workloadIdentity,
        })),
    ]);
  }
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

function fleetParameters(plan: Plan): [string, string][] {
  const fleet = plan.fleet;
  if (!fleet) throw new Error('infra: fleet parameters without a fleet in the plan');
  const values: [string, BicepValue][] = [
    ['location', plan.location],
    ['resourceGroupName', fleet.resourceGroup],
    ['fleetName', fleet.name],
    [
      'members',
      fleet.members.map((m) => ({
        name: m.name,
        group: m.group,
        resourceGroup: m.resourceGroup,
        clusterName: m.clusterName,
      })),
    ],
    [
      'stages',
      fleet.stages.map((s) => ({
        name: s.name,
        groups: s.groups.map((group) => ({ name: group })),
        afterStageWaitInSeconds: s.afterStageWaitInSeconds,
        approvalGate: s.approvalGate ?? '',
      })),
    ],
    ['autoUpgradeProfiles', fleet.autoUpgrade.map((p) => ({ name: p.name, channel: p.channel }))],
    ['tags', { environment: 'fleet', platform: plan.platform, managedBy: plan.generator.name }],
    ['pipelineIdentityResourceGroupName', pipelineResourceGroup(plan)],
    ['fleetOperatorIdentityName', fleetOperatorIdentity(plan)?.name ?? ''],
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
  const files: [string, string][] = [];
  const deployments = planDeployments(plan);

  files.push(['infra/bicepconfig.json', bicepConfig()]);
  files.push(['infra/main.bicep', renderMain(plan)]);
  for (const deployment of deployments) {
    const values = deployment.environment
      ? environmentParameters(plan, deployment.environment)
      : deployment.kind === 'fleet'
        ? fleetParameters(plan)
        : hubParameters(plan);
    files.push([
      deployment.parameters,
      renderTemplate('infra/parameters.bicepparam', { template: deployment.template.replace(/^infra\//, ''), values }),
    ]);
  }
  if (plan.hub.mode === 'create') {
    files.push(['infra/hub.bicep', renderTemplate('infra/hub.bicep', { api })]);
    files.push(...renderHubModules(plan));
  }

  files.push(...moduleFiles(plan));

  if (plan.fleet) {
    files.push(['infra/fleet.bicep', renderTemplate('infra/fleet.bicep', { api })]);
    files.push([
      'infra/modules/fleet.bicep',
      renderModule('fleet', {
        strategy: plan.fleet.strategy,
        pipelineStrategy: plan.fleet.pipelineStrategy,
        fleetOperatorRole: FLEET_OPERATOR_ROLE.id,
      }),
    ]);
  }

  return files;
}

/** infra/README.md, rendered once every area has emitted: its file list includes infra/bootstrap from the pipelines. */
function renderInfraReadme(plan: Plan, emitted: ReadonlyMap<string, string>): string {
  const c = plan.components;
  const deployments = planDeployments(plan);
  return renderTemplate('infra/README.md', {
    plan,
    c,
    hubLogAnalytics: hubInfraNames(plan).logAnalytics,
    deployments,
    files: [...emitted.keys()].filter((path) => path.startsWith('infra/')).sort(),
    privateEndpoints: joinWords([
      c.filebeat ? 'Key Vault (both vaults)' : 'Key Vault',
      'the container registry',
      ...(c.filebeat ? ['the Filebeat checkpoint storage'] : []),
      ...(c.eventHubsStreaming ? ['the Event Hubs namespace (Azure Monitor streams in as a trusted service)'] : []),
    ]),
    dnsZones: readmeDnsZones(plan),
    addFlux: messages.upgradeCommand('.', '--set delivery.github.owner=<owner>'),
    variables: fluxVariables(plan),
    tokenVariable: FLUX.tokenVariable,
    secrets: pipelineSecretNames(plan).map((name) => ({ name, what: PIPELINE_SECRETS[name]?.what ?? '' })),
    platformAccounts: platformAccounts(plan),
    hubRules: plan.hub.mode === 'existing' && c.egressThroughFirewall ? existingHubRules(plan) : [],
    elasticsearch: c.filebeat ? elasticsearchEndpoint(plan.answers)?.host : undefined,
  });
}

export const infraArea: OutputArea = {
  name: 'infra',
  *render(plan) {
    yield* renderInfraFiles(plan);
  },
};

/** After the pipelines area (which emits infra/bootstrap), so the README lists every file under infra/. */
export const infraReadmeArea: OutputArea = {
  name: 'infra-readme',
  *render(plan, emitted) {
    if ([...emitted.keys()].some((path) => path.startsWith('infra/')))
      yield ['infra/README.md', renderInfraReadme(plan, emitted)];
  },
};
