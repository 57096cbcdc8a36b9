import { ALERTMANAGER_SMTP } from '../../plan/alertmanager.js';
import { FILEBEAT } from '../../plan/filebeat.js';
import { GRAFANA_ADMIN, grafanaAdminFromKeyVault } from '../../plan/grafana.js';
import { BUILT_IN_ROLES } from '../../plan/infra.js';
import { GRAFANA_MAJOR_VERSION } from '../../versions.js';
import { bicepString, expr } from './bicep.js';
import { when, type InfraConcern, type MainParam, type Params } from './concern.js';
import { childApi, renderModule } from './module-file.js';
import { keyVaultParams, platformIdentity, zoneIdOf } from './wiring.js';

// Observability: the Log Analytics workspace, managed Prometheus and Grafana, the Event Hubs log stream, and the
// identities and secrets of the Grafana and Filebeat that Flux deploys.

export const observabilityConcern: InfraConcern = {
  params: (plan): MainParam[] => {
    const c = plan.components;
    return [
      {
        name: 'logRetentionDays',
        description: 'Days Log Analytics keeps logs.',
        decorators: ['@minValue(30)', '@maxValue(730)'],
        type: 'int',
        value: () => plan.observability.logRetentionDays,
      },
      ...when<MainParam>(c.managedGrafana, [
        {
          name: 'zoneRedundant',
          description:
            'Zone redundancy where it is a paid option (Managed Grafana), for production; fixed when the resource is created.',
          decorators: [],
          type: 'bool',
          value: (env) => env.zoneRedundant,
        },
      ]),
      // Credentials never enter the repository: the deploy step passes the pipeline secrets in the environment.
      ...when(grafanaAdminFromKeyVault(c), [
        {
          name: 'grafanaAdminPassword',
          description: `Grafana admin password, from the ${GRAFANA_ADMIN.passwordVariable} pipeline secret; empty keeps the one already in the vault.`,
          decorators: ['@secure()'],
          type: "string = ''",
          value: () => expr(`readEnvironmentVariable('${GRAFANA_ADMIN.passwordVariable}', '')`),
        },
      ]),
      ...when(c.alertmanagerSmtpAuth, [
        {
          name: 'alertmanagerSmtpPassword',
          description: `Password Alertmanager signs in to the mail server with, from the ${ALERTMANAGER_SMTP.passwordVariable} pipeline secret; empty keeps the one already in the vault.`,
          decorators: ['@secure()'],
          type: "string = ''",
          value: () => expr(`readEnvironmentVariable('${ALERTMANAGER_SMTP.passwordVariable}', '')`),
        },
      ]),
      ...when(c.filebeat, [
        {
          name: 'elasticsearchApiKey',
          description: `Elasticsearch API key Filebeat ships with, from the ${FILEBEAT.apiKeyVariable} pipeline secret; empty keeps the key already in the vault.`,
          decorators: ['@secure()'],
          type: "string = ''",
          value: () => expr(`readEnvironmentVariable('${FILEBEAT.apiKeyVariable}', '')`),
        },
      ]),
    ];
  },
  variables: (plan) => [
    ...when(plan.components.eventHubsStreaming, [
      {
        why: 'Event Hubs namespace names are global: prefix plus suffix.',
        name: 'eventHubsNamespaceName',
        value: "'${names.eventHubsPrefix}${uniqueSuffix}'",
      },
    ]),
    ...when(plan.components.filebeat, [
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
    ]),
  ],
  modules: [
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
        ...when<Params[number]>(plan.components.managedPrometheus, [
          ['monitorWorkspaceId', 'prometheus.outputs.monitorWorkspaceId'],
        ]),
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
      // Its only right is Key Vault Secrets User on the password secret, granted by the module below.
      symbol: 'alertmanagerIdentity',
      file: 'platform-identity',
      when: (plan) => plan.components.alertmanagerSmtpAuth,
      why: 'Identity of the Alertmanager that Flux deploys; the Secrets Store CSI driver reads its mail server password with it.',
      params: platformIdentity('alertmanager'),
      flux: () => [['ALERTMANAGER_CLIENT_ID', 'alertmanagerIdentity.outputs.clientId']],
    },
    {
      symbol: 'alertmanagerSmtp',
      file: 'vault-secret',
      when: (plan) => plan.components.alertmanagerSmtpAuth,
      why: "Alertmanager's mail server password in the environment vault, readable by the Alertmanager identity alone.",
      params: () => [
        ['keyVaultName', 'keyVault.outputs.keyVaultName'],
        ['secretName', bicepString(ALERTMANAGER_SMTP.secret)],
        ['contentType', "'Alertmanager SMTP password'"],
        ['value', 'alertmanagerSmtpPassword'],
        ['readerPrincipalId', 'alertmanagerIdentity.outputs.principalId'],
        ['readerReason', "'Alertmanager signs in to the mail server'"],
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
  ],
  files: {
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
    'vault-secret': () => renderModule('vault-secret', { secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets') }),
    'grafana-admin': () =>
      renderModule('grafana-admin', { ...GRAFANA_ADMIN, secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets') }),
    filebeat: () =>
      renderModule('filebeat', {
        ...FILEBEAT,
        consumerGroupApi: childApi('Microsoft.EventHub/namespaces', 'eventhubs/consumergroups'),
        blobServiceApi: childApi('Microsoft.Storage/storageAccounts', 'blobServices'),
        blobContainerApi: childApi('Microsoft.Storage/storageAccounts', 'blobServices/containers'),
        secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets'),
      }),
  },
};
