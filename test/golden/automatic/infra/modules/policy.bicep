/*** PARAMETERS ***/

@description('Name of the AKS cluster the policies are assigned to.')
param clusterName string

@description('Audit outside production (violations are reported), Deny in production (violations are refused).')
@allowed([
  'Audit'
  'Deny'
])
param policyEffect string

@description('Registries (host, optionally with a path) team workloads may pull images from; the first is the environment registry.')
@minLength(1)
param allowedRegistries string[]

/*** VARIABLES ***/

// Namespaces of the system and of the platform's own components, which need more than the standard allows.
var excludedNamespaces = [
  'kube-system'
  'gatekeeper-system'
  'flux-system'
  'gateway-system'
]

// Who made the assignment and why, for whoever reads it in the portal (PSRule Azure.Policy.AssignmentAssignedBy).
var assignmentMetadata = {
  assignedBy: 'AKS platform (infra/modules/policy.bicep)'
}

// An image is allowed when it starts with one of the registries followed by a slash.
var allowedImagesRegex = '^(${join(map(allowedRegistries, registry => replace(registry, '.', '\\.')), '|')})/.+$'

/*** EXISTING RESOURCES ***/

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: clusterName
}

/*** RESOURCES ***/

// Built-in initiative 'Kubernetes cluster pod security baseline standards for Linux-based workloads' (https://github.com/Azure/azure-policy/blob/master/built-in-policies/policySetDefinitions/Kubernetes/Kubernetes_PSPBaselineStandard.json).
resource podSecurity 'Microsoft.Authorization/policyAssignments@2025-03-01' = {
  scope: cluster
  name: guid(cluster.id, 'a8640138-9b0a-4a28-b8cb-1666c838647d')
  properties: {
    displayName: take('[${clusterName}] Kubernetes cluster pod security baseline standards for Linux-based workloads', 120)
    description: 'Pod security standard of the platform on ${clusterName}: ${policyEffect} outside the excluded platform namespaces (docs/decisions).'
    metadata: assignmentMetadata
    policyDefinitionId: tenantResourceId('Microsoft.Authorization/policySetDefinitions', 'a8640138-9b0a-4a28-b8cb-1666c838647d')
    parameters: {
      effect: {
        value: policyEffect
      }
      excludedNamespaces: {
        value: excludedNamespaces
      }
    }
  }
}

// Built-in policy 'Kubernetes cluster containers should only use allowed images' (https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Kubernetes/ContainerAllowedImages.json).
resource allowedImages 'Microsoft.Authorization/policyAssignments@2025-03-01' = {
  scope: cluster
  name: guid(cluster.id, 'febd0533-8e55-448f-b837-bd0e06f16469')
  properties: {
    displayName: take('[${clusterName}] Kubernetes cluster containers should only use allowed images', 120)
    description: 'Team workloads on ${clusterName} pull images only from the platform registries: ${policyEffect} outside the excluded platform namespaces (docs/decisions).'
    metadata: assignmentMetadata
    policyDefinitionId: tenantResourceId('Microsoft.Authorization/policyDefinitions', 'febd0533-8e55-448f-b837-bd0e06f16469')
    parameters: {
      effect: {
        value: policyEffect
      }
      excludedNamespaces: {
        value: excludedNamespaces
      }
      allowedContainerImagesRegex: {
        value: allowedImagesRegex
      }
    }
  }
}
