import { FLUX } from './contracts.js';

// Deploy-time contract: what the AKS Flux extension's multi-tenancy (on by default, and kept on) demands of the
// manifests it reconciles. The GitOps renderer obeys these rows; `validate` (rule flux-tenancy) checks a repository
// against them.

const CONCEPTS = 'https://learn.microsoft.com/azure/azure-arc/kubernetes/conceptual-gitops-flux2#multi-tenancy';
const EXAMPLE = 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt';

/** Flux kinds the controllers reconcile by impersonating the configuration's `flux-applier` service account. */
export const FLUX_KINDS = [
  'Kustomization',
  'HelmRelease',
  'GitRepository',
  'HelmRepository',
  'HelmChart',
  'OCIRepository',
  'Bucket',
] as const;

export interface FluxTenancyConstraint {
  id: 'namespace' | 'same-namespace-references' | 'target-namespace';
  rule: string;
  source: string;
}

export const FLUX_TENANCY_CONSTRAINTS: readonly FluxTenancyConstraint[] = [
  {
    id: 'namespace',
    rule: `Every Flux object lives in the namespace of the fluxConfiguration (${FLUX.namespace}): the controllers impersonate the flux-applier service account, which the extension creates only there`,
    source: CONCEPTS,
  },
  {
    id: 'same-namespace-references',
    rule: `sourceRef and dependsOn name objects in that same namespace: cross-namespace references are refused`,
    source: CONCEPTS,
  },
  {
    id: 'target-namespace',
    rule: 'A HelmRelease installs into its workload namespace through spec.targetNamespace (with releaseName set, since the default name would gain the namespace as a prefix)',
    source: EXAMPLE,
  },
];

/** The extension setting that keeps enforcement on; written into the extension so the choice is explicit. */
export const FLUX_MULTI_TENANCY_SETTING = { key: 'multiTenancy.enforce', value: 'true' } as const;
