import { FLUX, PIPELINE_SECRETS, fluxVariables, pipelineSecretNames, planDeployments } from '../../plan/contracts.js';
import type { EnvironmentPlan, Plan } from '../../plan/index.js';
import { firewallApplicationRules, firewallNetworkRules, hubInfraNames } from '../../plan/infra.js';
import { PLATFORM_SERVICE_ACCOUNTS } from '../../plan/service-accounts.js';
import { FLEET_OPERATOR_ROLE, fleetOperatorIdentity, pipelineResourceGroup } from '../../plan/pipeline-identities.js';
import { centralZoneId, PRIVATE_DNS_ZONES } from '../../plan/private-dns.js';
import { expectedZoneName } from '../../azure/private-dns-zones.js';
import type { OutputArea } from '../area.js';
import type { MainOutput, MainVariable } from './concern.js';
import { renderModule } from './module-file.js';
import {
  existingResources,
  mainOutputs,
  mainParams,
  mainVariables,
  moduleCalls,
  moduleFiles,
  moduleFluxSources,
} from './modules.js';
import { renderHubModules } from './network.js';
import { renderTemplate } from '../template.js';
import { messages } from '../../messages.js';
import { joinWords } from '../../util/words.js';
import { api, bicepLiteral, expr, type BicepValue } from './bicep.js';

// plan -> infra/: the subscription-scope entry points (main.bicep per environment, hub.bicep when the hub is ours), the
// module files, a parameter file per deployment, the linter configuration and a README. What main.bicep holds comes
// from the concerns listed in modules.ts, one file each; the templates only lay out values.

// ---------------------------------------------------------------------------------------------------------------
// main.bicep: the environment entry point, laid out from the concerns of modules.ts

function renderMain(plan: Plan): string {
  const variables: MainVariable[] = [
    ...mainVariables(plan),
    {
      why: 'Values the Flux manifests receive as ${NAME} (postBuild.substitute); also a deployment output.',
      name: 'fluxSubstitutions',
      value: bicepLiteral(fluxSubstitutions(plan)),
    },
  ];
  const outputs: MainOutput[] = [
    ...mainOutputs(plan),
    {
      name: 'fluxVariables',
      type: 'object',
      description: 'Every value the Flux manifests receive through postBuild.substitute, by variable name.',
      value: 'fluxSubstitutions',
    },
  ];
  return renderTemplate('infra/main.bicep', {
    api,
    params: mainParams(plan),
    variables,
    existing: existingResources(plan),
    modules: moduleCalls(plan),
    outputs,
  });
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
  return mainParams(plan).map((param) => [param.name, bicepLiteral(param.value(env))]);
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
    ['logRetentionDays', plan.observability.logRetentionDays],
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
    elasticsearch: c.filebeat ? plan.observability.elasticsearch?.host : undefined,
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
