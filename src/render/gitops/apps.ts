import type { EnvironmentPlan, Plan, TeamPlan } from '../../plan/index.js';
import {
  EXAMPLE_IMAGE,
  exampleReplicas,
  networkPoliciesEnforced,
  podIdentityMode,
  SPOT,
  TEAM_LIMIT_RANGE,
  TEAM_QUOTA,
  teamClientIdVariable,
  teamIdentityResourceIdVariable,
  teamMountsKeyVault,
  teamRunsOnSpot,
  restrictedPodSecurityContext,
} from '../../plan/gitops.js';
import { PROMETHEUS_RELEASE } from './controllers.js';
import { EXAMPLE_HTTP_PORT, exampleService, gatewayNetworkPolicy } from './gateway.js';
import { GATEWAY } from '../../plan/ingress.js';
import { secretProviderClass, secretsStoreVolume } from './secrets.js';
import { metadata, namespaceManifest, yamlFile, type Manifest } from './yaml.js';

// apps/base/<team>: everything a team namespace needs; apps/<env>: the small per-environment differences.

export const APPS_BASE = 'apps/base';

const MOUNT_PATH = '/mnt/secrets-store';
/** Writable page folder of the example's web server; the root file system stays read-only. */
const WEB_ROOT = '/www';

export function exampleName(team: TeamPlan): string {
  return `${team.name}-example`;
}

export function secretProviderClassName(team: TeamPlan): string {
  return `${team.name}-key-vault`;
}

function envName(secret: string): string {
  return secret.toUpperCase().replace(/-/g, '_');
}

function serviceAccount(plan: Plan, team: TeamPlan): Manifest {
  const annotations: Record<string, string> =
    podIdentityMode(plan) === 'workload-identity'
      ? { 'azure.workload.identity/client-id': `\${${teamClientIdVariable(team)}}` }
      : {};
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(team.serviceAccount, team.namespace, undefined, annotations),
  };
}

function podIdentityBindingSelector(team: TeamPlan): string {
  return team.name;
}

function podIdentity(team: TeamPlan): Manifest[] {
  return [
    {
      apiVersion: 'aadpodidentity.k8s.io/v1',
      kind: 'AzureIdentity',
      metadata: metadata(team.identityName, team.namespace),
      // type 0: a user-assigned managed identity.
      spec: {
        type: 0,
        resourceID: `\${${teamIdentityResourceIdVariable(team)}}`,
        clientID: `\${${teamClientIdVariable(team)}}`,
      },
    },
    {
      apiVersion: 'aadpodidentity.k8s.io/v1',
      kind: 'AzureIdentityBinding',
      metadata: metadata(`${team.identityName}-binding`, team.namespace),
      spec: { azureIdentity: team.identityName, selector: podIdentityBindingSelector(team) },
    },
  ];
}

/**
 * Readiness and liveness probes: the served page when the example serves HTTP, else a command that succeeds while the
 * container runs. Deployment safeguards (enforced on AKS Automatic) refuse containers without both.
 */
function exampleProbes(serves: boolean): Record<string, unknown> {
  const check = serves ? { httpGet: { path: '/', port: 'http' } } : { exec: { command: ['true'] } };
  return {
    readinessProbe: { ...check, periodSeconds: 10 },
    livenessProbe: { ...check, periodSeconds: 20, failureThreshold: 3 },
  };
}

function deployment(plan: Plan, team: TeamPlan): Manifest {
  const mode = podIdentityMode(plan);
  const mounts = teamMountsKeyVault(plan, team);
  const name = exampleName(team);
  const selector = { 'app.kubernetes.io/name': name };
  const podLabels: Record<string, string> = {
    ...selector,
    'app.kubernetes.io/part-of': team.name,
    ...(mode === 'workload-identity' ? { 'azure.workload.identity/use': 'true' } : {}),
    ...(mode === 'aad-pod-identity' ? { aadpodidbinding: podIdentityBindingSelector(team) } : {}),
  };
  const listing = mounts ? `ls -l ${MOUNT_PATH} && ` : '';
  // Behind the platform Gateway the example answers HTTP (busybox httpd) so its route can be tried end to end.
  const serves = plan.ingress !== undefined;
  const main = serves
    ? `echo ${team.name} > ${WEB_ROOT}/index.html && exec httpd -f -p ${EXAMPLE_HTTP_PORT} -h ${WEB_ROOT}`
    : 'exec sleep 2147483647';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(name, team.namespace, {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/part-of': team.name,
    }),
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: podLabels },
        spec: {
          serviceAccountName: team.serviceAccount,
          // Replicas spread over zones and nodes where they can; soft, so a single-zone or small pool still schedules.
          topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selector },
          })),
          securityContext: restrictedPodSecurityContext(),
          containers: [
            {
              name: 'example',
              image: EXAMPLE_IMAGE,
              // Lists the mounted secrets once (visible in the pod log), then idles or serves.
              command: ['/bin/sh', '-c', `${listing}${main}`],
              ...(serves ? { ports: [{ name: 'http', containerPort: EXAMPLE_HTTP_PORT, protocol: 'TCP' }] } : {}),
              // At or above the deployment safeguard minimums (100m, 100Mi), with both probes, so AKS Automatic
              // admits it unchanged (src/azure/aks-automatic.ts); on Standard the same settings are good practice.
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
              ...exampleProbes(serves),
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              ...(mounts && team.syncAsKubernetesSecret
                ? {
                    env: team.keyVaultSecrets.map((secret) => ({
                      name: envName(secret),
                      valueFrom: { secretKeyRef: { name: secretProviderClassName(team), key: secret } },
                    })),
                  }
                : {}),
              ...(mounts || serves
                ? {
                    volumeMounts: [
                      ...(mounts ? [{ name: 'secrets-store', mountPath: MOUNT_PATH, readOnly: true }] : []),
                      ...(serves ? [{ name: 'web', mountPath: WEB_ROOT }] : []),
                    ],
                  }
                : {}),
            },
          ],
          ...(mounts || serves
            ? {
                volumes: [
                  ...(mounts ? [secretsStoreVolume(secretProviderClassName(team))] : []),
                  ...(serves ? [{ name: 'web', emptyDir: { sizeLimit: '1Mi' } }] : []),
                ],
              }
            : {}),
        },
      },
    },
  };
}

function networkPolicies(plan: Plan, team: TeamPlan): Manifest[] {
  const policy = (name: string, spec: Record<string, unknown>): Manifest => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(name, team.namespace),
    spec,
  });
  const policies = [
    policy('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    policy('allow-same-namespace', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
  ];
  if (plan.components.ossObservability) {
    policies.push(
      policy('allow-monitoring', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': PROMETHEUS_RELEASE.namespace } } },
            ],
          },
        ],
      }),
    );
  }
  if (plan.ingress) policies.push(gatewayNetworkPolicy(plan.ingress, team, exampleName(team)));
  if (plan.components.aadPodIdentity) {
    // NMI answers token requests on the instance metadata address; pods must reach it to get their identity's token.
    policies.push(
      policy('allow-pod-identity', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ protocol: 'TCP', port: 80 }] }],
      }),
    );
  }
  return policies;
}

export function* renderTeamBase(plan: Plan, team: TeamPlan): Generator<[string, string]> {
  const dir = `${APPS_BASE}/${team.name}`;
  const ns = team.namespace;
  yield [
    `${dir}/namespace.yaml`,
    yamlFile([
      namespaceManifest(ns, {
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/warn': 'restricted',
        // The platform Gateway admits routes from namespaces carrying this label (its allowedRoutes selector).
        ...(plan.ingress ? { [GATEWAY.routeLabel]: 'true' } : {}),
      }),
    ]),
  ];
  yield [`${dir}/service-account.yaml`, yamlFile([serviceAccount(plan, team)])];
  yield [
    `${dir}/resource-quota.yaml`,
    yamlFile([
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: metadata('team-quota', ns),
        spec: { hard: { ...TEAM_QUOTA.hard } },
      },
    ]),
  ];
  yield [
    `${dir}/limit-range.yaml`,
    yamlFile([
      {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: metadata('container-defaults', ns),
        spec: {
          limits: [
            {
              type: 'Container',
              default: { ...TEAM_LIMIT_RANGE.default },
              defaultRequest: { ...TEAM_LIMIT_RANGE.defaultRequest },
              max: { ...TEAM_LIMIT_RANGE.max },
            },
          ],
        },
      },
    ]),
  ];
  if (networkPoliciesEnforced(plan)) yield [`${dir}/network-policies.yaml`, yamlFile(networkPolicies(plan, team))];
  if (plan.components.kubernetesRbacBindings && team.groupObjectId) {
    yield [
      `${dir}/role-binding.yaml`,
      yamlFile([
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: metadata(`${team.name}-developers`, ns),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: team.groupObjectId }],
        },
      ]),
    ];
  }
  if (plan.components.aadPodIdentity) yield [`${dir}/pod-identity.yaml`, yamlFile(podIdentity(team))];
  if (teamMountsKeyVault(plan, team)) {
    const spc = secretProviderClass({
      name: secretProviderClassName(team),
      namespace: team.namespace,
      clientIdVariable: podIdentityMode(plan) === 'workload-identity' ? teamClientIdVariable(team) : undefined,
      vaultVariable: 'KEY_VAULT_NAME',
      objects: team.keyVaultSecrets,
      ...(team.syncAsKubernetesSecret ? { syncToSecret: secretProviderClassName(team) } : {}),
    });
    yield [`${dir}/secret-provider-class.yaml`, yamlFile([spc])];
  }
  yield [`${dir}/deployment.yaml`, yamlFile([deployment(plan, team)])];
  if (plan.ingress) yield [`${dir}/service.yaml`, yamlFile([exampleService(team, exampleName(team))])];
  // maxUnavailable 1: production's two replicas keep one through a drain (Kured, node image and Kubernetes upgrades),
  // and a single replica elsewhere never blocks one.
  yield [
    `${dir}/pod-disruption-budget.yaml`,
    yamlFile([
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: metadata(exampleName(team), ns),
        spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': exampleName(team) } } },
      },
    ]),
  ];
}

/** The strategic-merge patch of a team's example workload in one environment, or undefined when base fits as is. */
export function teamOverlayPatch(env: EnvironmentPlan, team: TeamPlan): Manifest | undefined {
  const replicas = exampleReplicas(env);
  const spot = teamRunsOnSpot(env, team);
  if (replicas === 1 && !spot) return undefined;
  const spec: Record<string, unknown> = {
    ...(replicas !== 1 ? { replicas } : {}),
    ...(spot
      ? {
          template: {
            spec: {
              tolerations: [{ key: SPOT.key, operator: 'Equal', value: SPOT.value, effect: SPOT.effect }],
              affinity: {
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [
                      { matchExpressions: [{ key: SPOT.key, operator: 'In', values: [SPOT.value] }] },
                    ],
                  },
                },
              },
            },
          },
        }
      : {}),
  };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: metadata(exampleName(team), team.namespace), spec };
}
