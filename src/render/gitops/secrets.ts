import { metadata, yamlText, type Manifest } from './yaml.js';

// The Secrets Store CSI driver's side of Key Vault access, shared by the team namespaces and the platform's own
// components: a SecretProviderClass naming the vault objects, and the volume a pod mounts it with.

export interface SecretProviderClassSpec {
  name: string;
  namespace: string;
  /** Flux variable of the workload identity's client ID; undefined when AAD pod identity supplies the identity. */
  clientIdVariable: string | undefined;
  /** Flux variable of the vault name. */
  vaultVariable: string;
  objects: readonly string[];
  /** Also sync the objects into this Kubernetes Secret (one key per object), for workloads that read env vars. */
  syncToSecret?: string;
}

export function secretProviderClass(spec: SecretProviderClassSpec): Manifest {
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: metadata(spec.name, spec.namespace),
    spec: {
      provider: 'azure',
      parameters: {
        usePodIdentity: spec.clientIdVariable ? 'false' : 'true',
        ...(spec.clientIdVariable ? { clientID: `\${${spec.clientIdVariable}}` } : {}),
        keyvaultName: `\${${spec.vaultVariable}}`,
        tenantId: '${AZURE_TENANT_ID}',
        objects: yamlText({ array: spec.objects.map((name) => yamlText({ objectName: name, objectType: 'secret' })) }),
      },
      ...(spec.syncToSecret
        ? {
            secretObjects: [
              {
                secretName: spec.syncToSecret,
                type: 'Opaque',
                data: spec.objects.map((name) => ({ objectName: name, key: name })),
              },
            ],
          }
        : {}),
    },
  };
}

/** The pod volume that mounts a SecretProviderClass. */
export function secretsStoreVolume(secretProviderClassName: string): Manifest {
  return {
    name: 'secrets-store',
    csi: {
      driver: 'secrets-store.csi.k8s.io',
      readOnly: true,
      volumeAttributes: { secretProviderClass: secretProviderClassName },
    },
  };
}
