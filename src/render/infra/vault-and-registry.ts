import { REGISTRY_UNTAGGED_RETENTION_DAYS } from '../../plan/infra.js';
import { when, type InfraConcern, type Params } from './concern.js';
import { renderModule } from './module-file.js';
import { eventHubParams, keyVaultParams, kubeletPrincipal, zoneIdOf } from './wiring.js';

// Where the environment keeps its secrets and images: the Key Vault and the container registry, both private.

export const vaultAndRegistryConcern: InfraConcern = {
  variables: () => [
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
  ],
  modules: [
    {
      symbol: 'keyVault',
      file: 'key-vault',
      why: 'Key Vault with RBAC authorisation, purge protection and a private endpoint.',
      params: (plan) => [
        ...keyVaultParams('keyVaultName')(plan),
        ...when<Params[number]>(plan.components.vaultSecretsOfficers, [
          ['vaultOfficerGroupIds', 'adminGroupObjectIds'],
        ]),
      ],
      flux: () => [['KEY_VAULT_NAME', 'keyVault.outputs.keyVaultName']],
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
  ],
  outputs: () => [
    { name: 'keyVaultName', description: 'Name of the Key Vault.', value: 'keyVault.outputs.keyVaultName' },
    {
      name: 'registryLoginServer',
      description: 'Login server of the container registry.',
      value: 'registry.outputs.loginServer',
    },
  ],
  files: {
    'key-vault': (plan) => renderModule('key-vault', { eventHubs: plan.components.eventHubsStreaming }),
    registry: (plan) =>
      renderModule('registry', {
        eventHubs: plan.components.eventHubsStreaming,
        retentionDays: REGISTRY_UNTAGGED_RETENTION_DAYS,
      }),
  },
};
