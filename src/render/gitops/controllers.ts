import type { Plan } from '../../plan/index.js';
import { CRITICAL_ADDONS_ONLY, GRAFANA_SERVICE_ACCOUNT, kuredRebootDays, SPOT } from '../../plan/gitops.js';
import { PLATFORM_NAMESPACES } from '../../plan/policy.js';
import { HELM_CHARTS, pinnedVersion } from '../../versions.js';
import { ALB_CONTROLLER_CLIENT_ID, FLUX } from '../../plan/contracts.js';
import { INGRESS_CONTRACTS } from '../../plan/ingress.js';
import { GRAFANA_ADMIN, grafanaAdminFromKeyVault } from '../../plan/grafana.js';
import { ALERTMANAGER_SMTP, alertmanagerConfig } from '../../plan/alertmanager.js';
import { secretProviderClass, secretsStoreVolume } from './secrets.js';
import { metadata, namespaceManifest, yamlFile, type Manifest } from './yaml.js';
import {
  CONTROL_PLANE_SCRAPES,
  MONITORING_VOLUMES,
  monitoringStorageClass,
  PROMETHEUS_RETENTION_SIZE,
  type MonitoringStorageClass,
} from '../../plan/observability.js';

// infrastructure/controllers: one folder per Helm release (namespace.yaml, repository.yaml, release.yaml).

export const CONTROLLERS_ROOT = 'infrastructure/controllers';

/** The kube-prometheus-stack release name; it is also the prefix of the Prometheus service Kured asks about alerts. */
export const PROMETHEUS_RELEASE = {
  name: 'kube-prometheus-stack',
  namespace: GRAFANA_SERVICE_ACCOUNT.namespace,
} as const;

export interface Controller {
  /** Folder name under infrastructure/controllers, Helm release and HelmRepository name. */
  name: string;
  namespace: string;
  chart: keyof typeof HELM_CHARTS;
  values: Record<string, unknown>;
  /** HelmReleases (by name, all in the Flux namespace) this one waits for. */
  dependsOn: string[];
  /** A comment above the HelmRelease, for the reader of release.yaml. */
  comment?: string;
  /** Namespace labels (e.g. Pod Security admission for node agents). */
  namespaceLabels?: Record<string, string>;
  /** Further files beside release.yaml (file name, documents): objects the release needs, e.g. its StorageClass or a SecretProviderClass. */
  extraFiles?: [file: string, manifests: Manifest[]][];
}

const spotToleration = { key: SPOT.key, operator: 'Equal', value: SPOT.value, effect: SPOT.effect };

function kuredController(plan: Plan): Controller {
  const k = plan.upgrades.kured;
  const oss = plan.components.ossObservability;
  return {
    name: 'kured',
    namespace: PLATFORM_NAMESPACES.kured,
    chart: 'kured',
    // Kured nsenters the host to reboot it, so its namespace must allow privileged pods.
    namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
    dependsOn: oss ? [PROMETHEUS_RELEASE.name] : [],
    values: {
      configuration: {
        rebootDays: kuredRebootDays(k.rebootDays),
        startTime: k.startTime,
        endTime: k.endTime,
        timeZone: k.timeZone,
        // One node at a time, and never past a drain that a PodDisruptionBudget blocks: the reboot waits for the next period.
        concurrency: 1,
        forceReboot: false,
        drainTimeout: '30m',
        ...(oss
          ? {
              // Hold reboots while real alerts fire; Watchdog and InfoInhibitor always fire by design. \z, not $: Flux
              // substitutes $ expressions in everything it applies.
              prometheusUrl: `http://${PROMETHEUS_RELEASE.name}-prometheus.${PROMETHEUS_RELEASE.namespace}.svc:9090`,
              alertFilterRegexp: '^(Watchdog|InfoInhibitor)\\z',
              alertFiringOnly: true,
            }
          : {}),
      },
      ...(oss
        ? { metrics: { create: true, labels: { release: PROMETHEUS_RELEASE.name } }, service: { create: true } }
        : {}),
      // A node agent: it has to run on every node it may reboot, the tainted system pool and spot nodes included.
      tolerations: [CRITICAL_ADDONS_ONLY, ...(plan.components.spotPools ? [spotToleration] : [])],
    },
  };
}

/** Grafana's admin login from Key Vault: the CSI volume syncs the Secret that admin.existingSecret names. */
function grafanaAdmin(): Record<string, unknown> {
  return {
    admin: {
      existingSecret: GRAFANA_ADMIN.kubernetesSecret,
      userKey: GRAFANA_ADMIN.secrets.user,
      passwordKey: GRAFANA_ADMIN.secrets.password,
    },
    extraSecretMounts: [
      {
        name: 'grafana-admin',
        mountPath: GRAFANA_ADMIN.mountPath,
        readOnly: true,
        csi: {
          driver: 'secrets-store.csi.k8s.io',
          readOnly: true,
          volumeAttributes: { secretProviderClass: GRAFANA_ADMIN.secretProviderClass },
        },
      },
    ],
  };
}

/**
 * Alertmanager: two replicas on a disk, and with a mail server its email receiver (src/plan/alertmanager.ts). With a
 * sign-in, its federated service account mounts the password from Key Vault, which the configuration reads as a file.
 */
function alertmanagerValues(plan: Plan, storage: Record<string, unknown>): Record<string, unknown> {
  const smtp = plan.observability.smtp;
  const auth = plan.components.alertmanagerSmtpAuth;
  return {
    ...(smtp ? { config: alertmanagerConfig(smtp, plan.observability.alertEmails) } : {}),
    ...(auth ? { serviceAccount: { name: ALERTMANAGER_SMTP.serviceAccount.serviceAccount } } : {}),
    alertmanagerSpec: {
      replicas: 2,
      storage,
      ...(auth
        ? {
            volumes: [{ ...secretsStoreVolume(ALERTMANAGER_SMTP.secretProviderClass), name: ALERTMANAGER_SMTP.volume }],
            volumeMounts: [{ name: ALERTMANAGER_SMTP.volume, mountPath: ALERTMANAGER_SMTP.mountPath, readOnly: true }],
          }
        : {}),
    },
  };
}

function prometheusController(plan: Plan): Controller {
  const azureMonitor = plan.components.grafanaAzureMonitor;
  const withGrafana = grafanaAdminFromKeyVault(plan.components);
  const grafana: Record<string, unknown> = {
    ...grafanaAdmin(),
    serviceAccount: {
      name: GRAFANA_SERVICE_ACCOUNT.name,
      ...(azureMonitor ? { annotations: { 'azure.workload.identity/client-id': '${GRAFANA_CLIENT_ID}' } } : {}),
    },
    ...(azureMonitor
      ? {
          podLabels: { 'azure.workload.identity/use': 'true' },
          'grafana.ini': { azure: { workload_identity_enabled: true } },
          additionalDataSources: [
            {
              name: 'Azure Monitor',
              type: 'grafana-azure-monitor-datasource',
              access: 'proxy',
              jsonData: { azureAuthType: 'workloadidentity', subscriptionId: '${AZURE_SUBSCRIPTION_ID}' },
            },
          ],
        }
      : {}),
  };
  const storage = monitoringStorageClass(plan);
  const claim = (size: string) => ({
    volumeClaimTemplate: {
      spec: {
        storageClassName: storage.name,
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: size } },
      },
    },
  });
  // Grafana keeps its UI-made dashboards on a disk; one ReadWriteOnce volume means the old pod goes before the new one.
  grafana.persistence = {
    enabled: true,
    type: 'pvc',
    storageClassName: storage.name,
    accessModes: ['ReadWriteOnce'],
    size: MONITORING_VOLUMES.grafana.size,
  };
  grafana.deploymentStrategy = { type: 'Recreate' };
  const scrapes = CONTROL_PLANE_SCRAPES.map((scrape) => ({ ...scrape, on: scrape.enabled(plan) }));
  return {
    name: PROMETHEUS_RELEASE.name,
    namespace: PROMETHEUS_RELEASE.namespace,
    chart: 'kube-prometheus-stack',
    comment: [
      `State survives restarts on ${storage.name} volumes: ${Object.entries(MONITORING_VOLUMES)
        .map(([part, v]) => `${part} ${v.size} (${v.keeps})`)
        .join('; ')}.`,
      ...scrapes
        .filter((scrape) => !scrape.on)
        .map((scrape) => `${scrape.component} is not scraped and has no alerts: it ${scrape.why}.`),
    ].join('\n'),
    // node-exporter mounts the host filesystem.
    namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
    dependsOn: [],
    values: {
      prometheus: {
        prometheusSpec: {
          // Pick up ServiceMonitors and rules from every release, not only this chart's.
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          retention: '15d',
          retentionSize: PROMETHEUS_RETENTION_SIZE,
          replicas: 2,
          externalLabels: { cluster: '${CLUSTER_NAME}', environment: '${ENVIRONMENT}' },
          storageSpec: claim(MONITORING_VOLUMES.prometheus.size),
        },
      },
      alertmanager: alertmanagerValues(plan, claim(MONITORING_VOLUMES.alertmanager.size)),
      // Never the chart's default login: Grafana is installed only with its credentials from Key Vault.
      grafana: withGrafana ? grafana : { enabled: false },
      ...Object.fromEntries(scrapes.map((scrape) => [scrape.component, { enabled: scrape.on }])),
      defaultRules: {
        rules: Object.fromEntries(scrapes.flatMap((scrape) => scrape.rules.map((rule) => [rule, scrape.on]))),
      },
    },
    extraFiles: [
      ...(storage.create
        ? [['storage-class.yaml', [monitoringStorageClassManifest(storage)]] as [string, Manifest[]]]
        : []),
      ...(plan.components.alertmanagerSmtpAuth
        ? [
            [
              'alertmanager-secret-provider-class.yaml',
              [
                secretProviderClass({
                  name: ALERTMANAGER_SMTP.secretProviderClass,
                  namespace: PROMETHEUS_RELEASE.namespace,
                  clientIdVariable: 'ALERTMANAGER_CLIENT_ID',
                  vaultVariable: 'KEY_VAULT_NAME',
                  objects: [ALERTMANAGER_SMTP.secret],
                }),
              ],
            ] as [string, Manifest[]],
          ]
        : []),
      ...(withGrafana
        ? [
            [
              'secret-provider-class.yaml',
              [
                secretProviderClass({
                  name: GRAFANA_ADMIN.secretProviderClass,
                  namespace: PROMETHEUS_RELEASE.namespace,
                  clientIdVariable: 'GRAFANA_CLIENT_ID',
                  vaultVariable: 'KEY_VAULT_NAME',
                  objects: [GRAFANA_ADMIN.secrets.user, GRAFANA_ADMIN.secrets.password],
                  syncToSecret: GRAFANA_ADMIN.kubernetesSecret,
                }),
              ],
            ] as [string, Manifest[]],
          ]
        : []),
    ],
  };
}

/** A zone-redundant Premium SSD class for the monitoring volumes, expandable, kept when a claim is deleted. */
function monitoringStorageClassManifest(storage: MonitoringStorageClass): Manifest {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: storage.name },
    provisioner: 'disk.csi.azure.com',
    parameters: { skuName: storage.skuName, cachingMode: 'ReadOnly' },
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  };
}

function podIdentityController(plan: Plan): Controller {
  return {
    name: 'aad-pod-identity',
    namespace: PLATFORM_NAMESPACES.aadPodIdentity,
    chart: 'aad-pod-identity',
    comment: [
      'AAD Pod Identity is deprecated and its project archived (2023); kept only because the answers ask for it',
      '(identity.podIdentity=aad-pod-identity). Plan the move to workload identity: see docs/decisions.',
    ].join('\n'),
    // NMI runs with host networking and NET_ADMIN to intercept the instance metadata endpoint.
    namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
    dependsOn: [],
    values: {
      // Identities match pods of their own namespace only, so one team cannot bind another team's identity.
      forceNamespaced: 'true',
      rbac: { allowAccessToSecrets: false },
      ...(plan.components.spotPools ? { nmi: { tolerations: [spotToleration] } } : {}),
    },
  };
}

/** Which controllers this plan installs, in a fixed order. */
export function planControllers(plan: Plan): Controller[] {
  const c = plan.components;
  return [
    ...(c.ossObservability ? [prometheusController(plan)] : []),
    ...(c.kured ? [kuredController(plan)] : []),
    ...(c.aadPodIdentity ? [podIdentityController(plan)] : []),
  ];
}

/**
 * The ALB Controller of Application Gateway for Containers (src/plan/ingress.ts): the chart's own service account,
 * federated with the controller identity the Bicep creates, and its Gateway API CRDs (the managed CRD installation stays
 * off). The controller namespace is the release's target namespace, so the chart does not template it again.
 */
function albController(plan: Plan): Controller | undefined {
  const ingress = plan.ingress;
  if (!ingress?.alb) return undefined;
  const contract = INGRESS_CONTRACTS['application-gateway-for-containers'];
  const { controller } = contract;
  return {
    name: controller.chart,
    namespace: controller.namespace,
    chart: controller.chart,
    dependsOn: [],
    comment: `ALB Controller: programs Application Gateway for Containers ${ingress.alb.trafficController} from the Gateway and the routes.`,
    values: {
      albController: { namespace: controller.namespace, podIdentity: { clientID: `\${${ALB_CONTROLLER_CLIENT_ID}}` } },
    },
  };
}

/** The layer of the Gateway API implementation's controller: before the Gateway, on the clusters that run it. */
export const GATEWAY_CONTROLLER_ROOT = 'infrastructure/gateway-controller';

/** The Gateway API implementation's controller, when the platform installs it (AKS runs the add-on's itself). */
export function gatewayControllers(plan: Plan): Controller[] {
  const controller = albController(plan);
  return controller ? [controller] : [];
}

export function* renderGatewayController(plan: Plan): Generator<[string, string]> {
  for (const controller of gatewayControllers(plan)) yield* controllerFiles(GATEWAY_CONTROLLER_ROOT, controller);
}

// The Flux extension enforces multi-tenancy (FLUX_TENANCY_CONSTRAINTS): the HelmRepository and HelmRelease live in
// the configuration's namespace and the release installs into the component's namespace through targetNamespace.
function repository(controller: Controller): Manifest {
  const chart = pinnedVersion(HELM_CHARTS, controller.chart);
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: metadata(controller.name, FLUX.namespace),
    // An OCI registry (the ALB Controller's chart on MCR) is a HelmRepository of type oci.
    spec: { ...(chart.repository.startsWith('oci://') ? { type: 'oci' } : {}), interval: '24h', url: chart.repository },
  };
}

function release(controller: Controller): Manifest {
  const chart = pinnedVersion(HELM_CHARTS, controller.chart);
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: metadata(controller.name, FLUX.namespace),
    spec: {
      // The release keeps its own name (with targetNamespace the default would be <namespace>-<name>), and its
      // Helm history sits next to the workload.
      releaseName: controller.name,
      targetNamespace: controller.namespace,
      storageNamespace: controller.namespace,
      interval: '30m',
      chart: {
        spec: {
          chart: controller.chart,
          version: chart.version,
          sourceRef: { kind: 'HelmRepository', name: controller.name },
          interval: '12h',
        },
      },
      ...(controller.dependsOn.length > 0 ? { dependsOn: controller.dependsOn.map((name) => ({ name })) } : {}),
      install: { crds: 'CreateReplace', remediation: { retries: 3 } },
      upgrade: { crds: 'CreateReplace', remediation: { retries: 3 } },
      values: controller.values,
    },
  };
}

function* controllerFiles(root: string, controller: Controller): Generator<[string, string]> {
  const dir = `${root}/${controller.name}`;
  yield [`${dir}/namespace.yaml`, yamlFile([namespaceManifest(controller.namespace, controller.namespaceLabels)])];
  yield [`${dir}/repository.yaml`, yamlFile([repository(controller)])];
  yield [`${dir}/release.yaml`, yamlFile([release(controller)], controller.comment)];
  for (const [file, docs] of controller.extraFiles ?? []) yield [`${dir}/${file}`, yamlFile(docs)];
}

export function* renderControllers(plan: Plan): Generator<[string, string]> {
  for (const controller of planControllers(plan)) yield* controllerFiles(CONTROLLERS_ROOT, controller);
}

/**
 * Kured for the clusters whose nodes only it reboots (ClusterCapabilities.nodeOsPatching), when the platform's own
 * controllers do not already carry it: its own layer, which only those clusters' entry points apply.
 */
export const NODE_REBOOTS_ROOT = 'infrastructure/node-reboots';

export function* renderNodeReboots(plan: Plan): Generator<[string, string]> {
  if (plan.components.kured) return;
  if (!plan.clusters.some((cluster) => cluster.capabilities.nodeOsPatching === 'kured')) return;
  yield* controllerFiles(NODE_REBOOTS_ROOT, kuredController(plan));
}
