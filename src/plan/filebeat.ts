import type { Answers } from '../answers/schema.js';
import { PLATFORM_SERVICE_ACCOUNTS } from './service-accounts.js';

// Filebeat ships the diagnostic log stream from Event Hubs to Elasticsearch. The Bicep module that creates its
// credentials and the manifests that read them meet here, so a secret or container name is decided once.

export const FILEBEAT = {
  namespace: PLATFORM_SERVICE_ACCOUNTS.filebeat.namespace,
  serviceAccount: PLATFORM_SERVICE_ACCOUNTS.filebeat.serviceAccount,
  /** The event hub every diagnostic setting of the environment streams to (infra/modules/event-hubs.bicep). */
  eventHub: 'diagnostics',
  /** A consumer group of its own, so another reader of the stream never steals its partitions or checkpoints. */
  consumerGroup: 'filebeat',
  /** Namespace-level Listen-only rule: processor v2 refuses connection strings with an EntityPath (elastic/beats#43715). */
  authorizationRule: 'filebeat-listen',
  checkpointContainer: 'filebeat-checkpoints',
  /** Key Vault secret names in Filebeat's own vault; the SecretProviderClass syncs them into one Kubernetes Secret. */
  secrets: {
    eventHubConnectionString: 'event-hub-connection-string',
    checkpointConnectionString: 'checkpoint-storage-connection-string',
    elasticsearchApiKey: 'elasticsearch-api-key',
  },
  kubernetesSecret: 'filebeat-credentials',
  /** The pipeline secret (and environment variable of the deploy step) holding the Elasticsearch API key. */
  apiKeyVariable: 'ELASTICSEARCH_API_KEY',
} as const;

/** The secret names of FILEBEAT.secrets as environment variable names for the Filebeat container. */
export function filebeatEnvName(secret: string): string {
  return secret.toUpperCase().replace(/-/g, '_');
}

/** Why Filebeat cannot be deployed with these answers, or undefined when it can (and is asked for). */
export function filebeatBlocker(answers: Answers): { because: string; fix: string } | undefined {
  const o = answers.observability;
  if (!o.elasticsearchUrl) {
    return {
      because: 'no Elasticsearch URL was given in observability.elasticsearchUrl',
      fix: '--set observability.elasticsearchUrl=https://<elasticsearch-host>:9243',
    };
  }
  if (!answers.secrets.keyVaultCsi || answers.identity.podIdentity !== 'workload-identity') {
    return {
      because:
        'Filebeat reads its Event Hubs, storage and Elasticsearch credentials from Key Vault through the Secrets Store CSI driver with workload identity, which these answers turn off',
      fix: '--set secrets.keyVaultCsi=true --set identity.podIdentity=workload-identity',
    };
  }
  return undefined;
}
