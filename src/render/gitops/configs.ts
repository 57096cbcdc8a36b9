import type { Plan } from '../../plan/index.js';
import { PROMETHEUS_RELEASE } from './controllers.js';
import { metadata, yamlFile, type Manifest } from './yaml.js';

// infrastructure/configs: what needs the controllers (their namespaces and pods) or is cluster-wide.

export const CONFIGS_ROOT = 'infrastructure/configs';

function pdb(name: string, namespace: string, matchLabels: Record<string, string>): Manifest {
  // maxUnavailable 1 on a two-replica component: a drain (Kured, node image upgrade) takes one pod at a time.
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(name, namespace),
    spec: { maxUnavailable: 1, selector: { matchLabels } },
  };
}

export function* renderConfigs(plan: Plan): Generator<[string, string]> {
  const c = plan.components;
  if (c.ossObservability) {
    const ns = PROMETHEUS_RELEASE.namespace;
    yield [
      `${CONFIGS_ROOT}/monitoring-disruption-budgets.yaml`,
      yamlFile([
        pdb('prometheus', ns, {
          'app.kubernetes.io/name': 'prometheus',
          prometheus: `${PROMETHEUS_RELEASE.name}-prometheus`,
        }),
        pdb('alertmanager', ns, {
          'app.kubernetes.io/name': 'alertmanager',
          alertmanager: `${PROMETHEUS_RELEASE.name}-alertmanager`,
        }),
      ]),
    ];
  }
  if (c.aadPodIdentity) {
    yield [
      `${CONFIGS_ROOT}/pod-identity-disruption-budget.yaml`,
      yamlFile([pdb('mic', 'aad-pod-identity', { 'app.kubernetes.io/component': 'mic' })]),
    ];
  }
  const admins = plan.identity.adminGroupObjectIds;
  if (c.kubernetesRbacBindings && admins.length > 0) {
    yield [
      `${CONFIGS_ROOT}/platform-admins.yaml`,
      yamlFile([
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: metadata('platform-admins'),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: admins.map((id) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: id })),
        },
      ]),
    ];
  }
}
