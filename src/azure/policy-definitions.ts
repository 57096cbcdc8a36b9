// Deploy-time contract: the built-in Azure Policy definitions the platform assigns to each cluster. Their IDs are
// the same in every tenant; the parameters the assignments set (effect, excludedNamespaces,
// allowedContainerImagesRegex) are the ones these definitions declare.

export interface PolicyDefinition {
  /** policySetDefinitions for an initiative, policyDefinitions for a single policy. */
  kind: 'policySetDefinitions' | 'policyDefinitions';
  id: string;
  displayName: string;
  source: string;
}

/** The built-in definitions the platform assigns, each with the file Azure publishes it in. */
export const POLICY_DEFINITIONS = {
  baseline: {
    kind: 'policySetDefinitions',
    id: 'a8640138-9b0a-4a28-b8cb-1666c838647d',
    displayName: 'Kubernetes cluster pod security baseline standards for Linux-based workloads',
    source:
      'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policySetDefinitions/Kubernetes/Kubernetes_PSPBaselineStandard.json',
  },
  restricted: {
    kind: 'policySetDefinitions',
    id: '42b8ef37-b724-4e24-bbc8-7a7708edfe00',
    displayName: 'Kubernetes cluster pod security restricted standards for Linux-based workloads',
    source:
      'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policySetDefinitions/Kubernetes/Kubernetes_PSPRestrictedStandard.json',
  },
  allowedImages: {
    kind: 'policyDefinitions',
    id: 'febd0533-8e55-448f-b837-bd0e06f16469',
    displayName: 'Kubernetes cluster containers should only use allowed images',
    source:
      'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Kubernetes/ContainerAllowedImages.json',
  },
} as const satisfies Record<string, PolicyDefinition>;

/**
 * Volume types the restricted initiative allows (its AllowedVolumeTypes reference fixes them; CSI is not among
 * them), so a team workload that mounts Key Vault through the Secrets Store CSI driver is refused in production.
 */
export const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'emptyDir',
  'projected',
  'secret',
  'downwardAPI',
  'persistentVolumeClaim',
] as const;
