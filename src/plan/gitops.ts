import type { EnvironmentPlan, Plan, TeamPlan } from './index.js';
import { teamClientIdVariable } from './contracts.js';
import { PLATFORM_SERVICE_ACCOUNTS } from './service-accounts.js';

// Facts the GitOps output needs that the plan does not state directly, derived here once so the renderer only reads.

/** Spot nodes carry this taint and label (AKS sets both); workloads meant for spot tolerate and select it. */
export const SPOT = { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' } as const;

/**
 * The pod security context of the pods the platform writes itself (team examples, the Gateway's certificate sync):
 * every user and group field set and non-zero, because the restricted pod security initiative's AllowedUsersGroups
 * policy requires them (MustRunAs, 1-65535).
 */
export function restrictedPodSecurityContext(): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    runAsUser: 65534,
    runAsGroup: 65534,
    fsGroup: 65534,
    supplementalGroups: [65534],
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The system pool's taint (plan.ts); node agents such as Kured must tolerate it to reach every node. */
export const CRITICAL_ADDONS_ONLY = { key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' } as const;

/**
 * Grafana's Kubernetes identity. The Bicep deployment federates the Grafana managed identity with the subject
 * system:serviceaccount:<namespace>:<name>, so both sides read it from PLATFORM_SERVICE_ACCOUNTS.
 */
export const GRAFANA_SERVICE_ACCOUNT = {
  namespace: PLATFORM_SERVICE_ACCOUNTS.grafana.namespace,
  name: PLATFORM_SERVICE_ACCOUNTS.grafana.serviceAccount,
} as const;

// The example workload's image (pinned in versions.ts) is the busybox image the AKS Secrets Store CSI documentation
// uses, run as non-root: it only has to start and keep the mounted secrets readable.
export { EXAMPLE_IMAGE } from '../versions.js';

/**
 * Team namespace budgets. A platform default rather than an answer: large enough for a team's services on the
 * default node sizes, small enough that one team cannot take a whole user pool. Raise per team in its base folder.
 */
export const TEAM_QUOTA = {
  hard: {
    'requests.cpu': '4',
    'requests.memory': '8Gi',
    'limits.cpu': '8',
    'limits.memory': '16Gi',
    pods: '50',
    'services.loadbalancers': '0',
  },
} as const;

/** Defaults for containers that set no resources, so the quota (which requires them) never rejects a pod silently. */
export const TEAM_LIMIT_RANGE = {
  default: { cpu: '500m', memory: '512Mi' },
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  max: { cpu: '2', memory: '4Gi' },
} as const;

const DAY_ABBREVIATIONS: Record<string, string> = {
  Monday: 'mo',
  Tuesday: 'tu',
  Wednesday: 'we',
  Thursday: 'th',
  Friday: 'fr',
  Saturday: 'sa',
  Sunday: 'su',
};

/** Kured's --reboot-days takes two-letter day names. */
export function kuredRebootDays(days: readonly string[]): string[] {
  return days.map((day) => {
    const abbreviation = DAY_ABBREVIATIONS[day];
    if (!abbreviation) throw new Error(`gitops: unknown weekday ${day}`);
    return abbreviation;
  });
}

export type PodIdentityMode = 'workload-identity' | 'aad-pod-identity' | 'none';

export function podIdentityMode(plan: Plan): PodIdentityMode {
  if (plan.components.workloadIdentity) return 'workload-identity';
  if (plan.components.aadPodIdentity) return 'aad-pod-identity';
  return 'none';
}

/** The Flux variable holding an identity's resource ID (aad-pod-identity's AzureIdentity needs it). */
export function teamIdentityResourceIdVariable(team: TeamPlan): string {
  return `${team.name.toUpperCase().replace(/-/g, '_')}_IDENTITY_RESOURCE_ID`;
}

export { teamClientIdVariable };

/**
 * A team gets a SecretProviderClass when the CSI driver is on, it names secrets, and its pods have an identity to
 * read Key Vault with (workload identity or pod identity); without one there is nothing to authenticate as.
 */
export function teamMountsKeyVault(plan: Plan, team: TeamPlan): boolean {
  return plan.components.keyVaultCsi && team.keyVaultSecrets.length > 0 && podIdentityMode(plan) !== 'none';
}

/** Spot placement is an environment overlay: only where a spot pool exists, or the pods could never schedule. */
export function teamRunsOnSpot(env: EnvironmentPlan, team: TeamPlan): boolean {
  return team.useSpot && env.pools.some((pool) => pool.spot);
}

/** Production runs two replicas of each example workload so a node drain (Kured, upgrades) never takes it down. */
export function exampleReplicas(env: EnvironmentPlan): number {
  return env.production ? 2 : 1;
}

export function networkPoliciesEnforced(plan: Plan): boolean {
  return plan.network.networkPoliciesEnforced;
}
