import { POLICY_DEFINITIONS, type PolicyDefinition } from '../azure/policy-definitions.js';
import { FLUX } from './contracts.js';
import { FILEBEAT } from './filebeat.js';
import type { EnvironmentPlan, Plan } from './index.js';
import { teamImageRegistries } from './infra.js';
import { PLATFORM_SERVICE_ACCOUNTS } from './service-accounts.js';

// Azure Policy for Kubernetes on each cluster, as aks-baseline assigns it: the built-in pod security initiative and
// the allowed images policy (azure/policy-definitions.ts), audited outside production and enforced in production,
// with the namespaces the platform itself runs in excluded by name.

/**
 * Namespaces that exist on every cluster of this platform without a manifest in the repository: AKS's own, the Azure
 * Policy add-on's Gatekeeper and the Flux extension's. The policies exclude them, and `validate` accepts them as
 * existing.
 */
export const SYSTEM_NAMESPACES: readonly { name: string; why: string; source: string }[] = [
  {
    name: 'kube-system',
    why: 'AKS system components and add-ons (CoreDNS, CSI drivers, the monitoring agents)',
    source: 'https://learn.microsoft.com/azure/aks/use-azure-policy',
  },
  {
    name: 'gatekeeper-system',
    why: 'Gatekeeper, installed by the Azure Policy add-on itself',
    source: 'https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes',
  },
  {
    name: FLUX.namespace,
    why: 'the Flux controllers of the AKS GitOps extension',
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/conceptual-gitops-flux2',
  },
];

/** Namespaces of the platform's own components that Flux deploys; controllers and the policies both read them. */
export const PLATFORM_NAMESPACES = {
  monitoring: PLATFORM_SERVICE_ACCOUNTS.grafana.namespace,
  logging: FILEBEAT.namespace,
  kured: 'kured',
  aadPodIdentity: 'aad-pod-identity',
  albController: PLATFORM_SERVICE_ACCOUNTS.alb.namespace,
  gateway: PLATFORM_SERVICE_ACCOUNTS.ingress.namespace,
} as const;

/** The namespaces the policy assignments exclude: the system ones and those of the components this plan deploys. */
export function policyExcludedNamespaces(plan: Plan): string[] {
  const c = plan.components;
  return [
    ...SYSTEM_NAMESPACES.map((ns) => ns.name),
    ...(c.ossObservability ? [PLATFORM_NAMESPACES.monitoring] : []),
    ...(c.filebeat ? [PLATFORM_NAMESPACES.logging] : []),
    ...(c.kured ? [PLATFORM_NAMESPACES.kured] : []),
    ...(c.aadPodIdentity ? [PLATFORM_NAMESPACES.aadPodIdentity] : []),
    // The Gateway namespace runs platform pods from MCR (the add-on's proxies, AGC's certificate sync), never a team's.
    ...(plan.ingress ? [PLATFORM_NAMESPACES.gateway] : []),
    ...(plan.ingress?.alb ? [PLATFORM_NAMESPACES.albController] : []),
  ];
}

/**
 * Registries team workloads may pull from besides the environment's own registry (whose login server is known at
 * deployment): those of the workloads this repository deploys into team namespaces, then those answered.
 */
export function allowedRegistries(plan: Plan): string[] {
  return [...new Set([...teamImageRegistries(plan), ...plan.cluster.allowedRegistries])];
}

/** Audit outside production, so teams see violations before they block; deny in production. */
export function policyEffect(env: EnvironmentPlan): 'Audit' | 'Deny' {
  return env.production ? 'Deny' : 'Audit';
}

export function podSecurityDefinition(plan: Plan): PolicyDefinition {
  return POLICY_DEFINITIONS[plan.cluster.podSecurityStandard];
}
