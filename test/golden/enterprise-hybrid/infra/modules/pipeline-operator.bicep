/*** PARAMETERS ***/

@description('Name of the AKS cluster.')
param clusterName string

@description('Resource group of the pipeline identities (infra/bootstrap).')
param operatorIdentityResourceGroupName string

@description('Name of the operator identity of this environment, created by infra/bootstrap.')
param operatorIdentityName string

/*** VARIABLES ***/

// The custom role infra/bootstrap defines (start, stop and upgrade a cluster), named by the same GUID.
var operatorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', guid(subscription().id, operatorIdentityResourceGroupName, 'cluster-operator'))

/*** EXISTING RESOURCES ***/

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: clusterName
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
