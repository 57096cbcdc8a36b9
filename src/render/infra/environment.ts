import type { EnvironmentPlan, Plan } from '../../plan/index.js';
import { environmentInfraNames } from '../../plan/infra.js';
import type { InfraConcern } from './concern.js';
import { stringFieldsType } from './types.js';

// The environment itself: its region, name, resource names and tags, and the resource group everything lives in.

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
  return {
    resourceGroup: env.names.resourceGroup.value,
    cluster: env.names.cluster.value,
    nodeResourceGroup: env.names.nodeResourceGroup.value,
    virtualNetwork: env.names.virtualNetwork.value,
    keyVaultPrefix: env.names.keyVault.value,
    registryPrefix: env.names.containerRegistry.value,
    logKeyVaultPrefix: env.names.logKeyVault.value,
    logStoragePrefix: env.names.logStorage.value,
    ...environmentInfraNames(plan, env),
  };
}

export const environmentConcern: InfraConcern = {
  params: (plan) => [
    {
      name: 'location',
      description: 'Azure region of every resource of the environment.',
      decorators: [],
      type: 'string',
      value: () => plan.location,
    },
    {
      name: 'environmentName',
      description: 'Short environment name, e.g. dev or prod.',
      decorators: ['@minLength(2)', '@maxLength(8)'],
      type: 'string',
      value: (env) => env.name,
    },
    {
      name: 'names',
      description: 'Names of the environment resources, derived by the generator within Azure naming rules.',
      decorators: [],
      type: stringFieldsType(NAME_FIELDS.map(([name, description]) => ({ name, description }))),
      value: (env) => environmentNameValues(plan, env),
    },
    {
      name: 'tags',
      description: 'Tags applied to every resource.',
      decorators: [],
      type: 'object',
      value: () => ({ platform: plan.platform, managedBy: plan.generator.name }),
    },
  ],
  variables: () => [
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
  ],
  outputs: () => [
    { name: 'resourceGroupName', description: 'Resource group of the environment.', value: 'environmentGroup.name' },
  ],
};
