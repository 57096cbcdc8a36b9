import type { Plan } from '../../plan/index.js';
import { FILEBEAT, filebeatEnvName } from '../../plan/filebeat.js';
import { networkPoliciesEnforced } from '../../plan/gitops.js';
import { FILEBEAT_IMAGE } from '../../versions.js';
import { secretProviderClass, secretsStoreVolume } from './secrets.js';
import { metadata, namespaceManifest, yamlFile, yamlText, type Manifest } from './yaml.js';

// infrastructure/logging: Filebeat consuming the diagnostic log stream from Event Hubs into Elasticsearch. Its own
// Flux Kustomization, which nothing waits for: a log shipper that cannot start must not hold back team workloads.

export const LOGGING_ROOT = 'infrastructure/logging';

/** Flux leaves documents with this annotation as they are, so Filebeat's own ${VAR} references survive. */
const NO_SUBSTITUTION = { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' };

const CONFIG_MAP = 'filebeat-config';
const SECRET_PROVIDER_CLASS = 'filebeat-credentials';
const MOUNT_PATH = '/mnt/secrets-store';
const SELECTOR = { 'app.kubernetes.io/name': 'filebeat' };

/** The environment variables Filebeat's configuration reads, and where each comes from. */
const ENV = {
  eventHubConnectionString: filebeatEnvName(FILEBEAT.secrets.eventHubConnectionString),
  checkpointConnectionString: filebeatEnvName(FILEBEAT.secrets.checkpointConnectionString),
  elasticsearchApiKey: filebeatEnvName(FILEBEAT.secrets.elasticsearchApiKey),
  storageAccount: 'CHECKPOINT_STORAGE_ACCOUNT',
} as const;

function filebeatConfig(plan: Plan): string {
  const url = plan.observability.elasticsearch?.url;
  if (!url)
    throw new Error('gitops: Filebeat is planned without an Elasticsearch URL; planOmissions should have left it out');
  return yamlText({
    'filebeat.inputs': [
      {
        type: 'azure-eventhub',
        id: 'azure-diagnostics',
        eventhub: FILEBEAT.eventHub,
        consumer_group: FILEBEAT.consumerGroup,
        connection_string: `\${${ENV.eventHubConnectionString}}`,
        storage_account: `\${${ENV.storageAccount}}`,
        storage_account_connection_string: `\${${ENV.checkpointConnectionString}}`,
        storage_account_container: FILEBEAT.checkpointContainer,
        // v2 balances partitions across the replicas through the checkpoint store.
        processor_version: 'v2',
        processor_start_position: 'earliest',
      },
    ],
    'output.elasticsearch': { hosts: [url], api_key: `\${${ENV.elasticsearchApiKey}}` },
  });
}

function deployment(): Manifest {
  const fromSecret = (name: string, key: string) => ({
    name,
    valueFrom: { secretKeyRef: { name: FILEBEAT.kubernetesSecret, key } },
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata('filebeat', FILEBEAT.namespace, SELECTOR),
    spec: {
      // Two consumers share the partitions; a drain or a crash moves them to the other within a minute.
      replicas: 2,
      selector: { matchLabels: SELECTOR },
      template: {
        metadata: { labels: SELECTOR },
        spec: {
          serviceAccountName: FILEBEAT.serviceAccount,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: { labelSelector: { matchLabels: SELECTOR }, topologyKey: 'kubernetes.io/hostname' },
                },
              ],
            },
          },
          containers: [
            {
              name: 'filebeat',
              image: FILEBEAT_IMAGE,
              args: ['-c', '/etc/filebeat/filebeat.yml', '-e'],
              env: [
                fromSecret(ENV.eventHubConnectionString, FILEBEAT.secrets.eventHubConnectionString),
                fromSecret(ENV.checkpointConnectionString, FILEBEAT.secrets.checkpointConnectionString),
                fromSecret(ENV.elasticsearchApiKey, FILEBEAT.secrets.elasticsearchApiKey),
                { name: ENV.storageAccount, value: '${FILEBEAT_STORAGE_ACCOUNT}' },
              ],
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/filebeat', readOnly: true },
                { name: 'data', mountPath: '/usr/share/filebeat/data' },
                { name: 'secrets-store', mountPath: MOUNT_PATH, readOnly: true },
              ],
            },
          ],
          volumes: [
            // 0440: Filebeat refuses a configuration file that others may write.
            { name: 'config', configMap: { name: CONFIG_MAP, defaultMode: 0o440 } },
            { name: 'data', emptyDir: {} },
            secretsStoreVolume(SECRET_PROVIDER_CLASS),
          ],
        },
      },
    },
  };
}

export function* renderLogging(plan: Plan): Generator<[string, string]> {
  if (!plan.components.filebeat) return;
  const ns = FILEBEAT.namespace;
  yield [
    `${LOGGING_ROOT}/namespace.yaml`,
    yamlFile([namespaceManifest(ns, { 'pod-security.kubernetes.io/enforce': 'restricted' })]),
  ];
  yield [
    `${LOGGING_ROOT}/service-account.yaml`,
    yamlFile([
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: metadata(FILEBEAT.serviceAccount, ns, undefined, {
          'azure.workload.identity/client-id': '${FILEBEAT_CLIENT_ID}',
        }),
      },
    ]),
  ];
  // Filebeat reads credentials from its environment, so the mounted secrets are also synced to a Secret.
  const spc = secretProviderClass({
    name: SECRET_PROVIDER_CLASS,
    namespace: ns,
    clientIdVariable: 'FILEBEAT_CLIENT_ID',
    vaultVariable: 'FILEBEAT_KEY_VAULT_NAME',
    objects: Object.values(FILEBEAT.secrets),
    syncToSecret: FILEBEAT.kubernetesSecret,
  });
  yield [`${LOGGING_ROOT}/secret-provider-class.yaml`, yamlFile([spc])];
  yield [
    `${LOGGING_ROOT}/config.yaml`,
    yamlFile([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata(CONFIG_MAP, ns, undefined, NO_SUBSTITUTION),
        data: { 'filebeat.yml': filebeatConfig(plan) },
      },
    ]),
  ];
  yield [`${LOGGING_ROOT}/deployment.yaml`, yamlFile([deployment()])];
  yield [
    `${LOGGING_ROOT}/disruption-budget.yaml`,
    yamlFile([
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: metadata('filebeat', ns),
        spec: { maxUnavailable: 1, selector: { matchLabels: SELECTOR } },
      },
    ]),
  ];
  if (networkPoliciesEnforced(plan)) {
    // Filebeat serves nothing; its egress (Event Hubs, Elasticsearch, the checkpoint endpoint) is the hub firewall's to limit.
    yield [
      `${LOGGING_ROOT}/network-policy.yaml`,
      yamlFile([
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: metadata('deny-ingress', ns),
          spec: { podSelector: {}, policyTypes: ['Ingress'] },
        },
      ]),
    ];
  }
}
