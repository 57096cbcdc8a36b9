/*** PARAMETERS ***/

@description('Name of the AKS cluster.')
param clusterName string

@description('Name of the environment container registry.')
param registryName string

@description('Resource group of the pipeline identities (infra/bootstrap).')
param operatorIdentityResourceGroupName string

@description('Name of the operator identity of this environment, created by infra/bootstrap.')
param operatorIdentityName string

/*** VARIABLES ***/

// The custom role infra/bootstrap defines (start, stop and upgrade a cluster), named by the same GUID.
var operatorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', guid(subscription().id, operatorIdentityResourceGroupName, 'cluster-operator'))

// Built-in AcrPush: Microsoft.ContainerRegistry/registries/pull/read and Microsoft.ContainerRegistry/registries/push/write (https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-overview).
var pushRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8311e382-0749-4cb8-b61a-304f252e45ec')

/*** EXISTING RESOURCES ***/

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: clusterName
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' existing = {
  name: registryName
}

resource operatorIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  scope: resourceGroup(operatorIdentityResourceGroupName)
  name: operatorIdentityName
}

/*** RESOURCES ***/

// The stop/start and upgrade pipelines act on this cluster only: no subscription or resource group rights.
resource operatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: cluster
  name: guid(cluster.id, operatorIdentityName, operatorRoleId)
  properties: {
    roleDefinitionId: operatorRoleId
    principalId: operatorIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Pipelines start, stop and upgrade this cluster'
  }
}

// A release job in this environment pushes its images to this registry only: AcrPush, never on a pull request.
resource operatorPush 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, operatorIdentityName, pushRoleId)
  properties: {
    roleDefinitionId: pushRoleId
    principalId: operatorIdentity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Release jobs of this environment push images'
  }
}
