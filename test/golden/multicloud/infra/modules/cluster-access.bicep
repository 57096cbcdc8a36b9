/*** PARAMETERS ***/

@description('Name of the AKS cluster.')
param clusterName string

@description('Object IDs of the Entra groups that administer the cluster.')
param adminGroupObjectIds string[]

@description('Team namespaces and the Entra group that deploys to each.')
param teamGroups {
  @description('Kubernetes namespace of the team.')
  namespace: string
  @description('Object ID of the team Entra group.')
  groupObjectId: string
}[]

/*** VARIABLES ***/

var clusterUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4abbcc35-e782-43d8-92c5-2d3f1bd2253f')

/*** EXISTING RESOURCES ***/

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: clusterName
}

/*** RESOURCES ***/

// Members of the admin groups fetch a kubeconfig (Entra ID sign-in) to reach the cluster.
resource adminClusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for groupId in adminGroupObjectIds: {
  scope: cluster
  name: guid(cluster.id, groupId, clusterUserRoleId)
  properties: {
    roleDefinitionId: clusterUserRoleId
    principalId: groupId
    principalType: 'Group'
    description: 'Platform admins fetch the Entra ID kubeconfig'
  }
}]

// Team members fetch a kubeconfig (Entra ID sign-in); what they may do inside is granted per namespace.
resource teamClusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for team in teamGroups: {
  scope: cluster
  name: guid(cluster.id, team.groupObjectId, clusterUserRoleId)
  properties: {
    roleDefinitionId: clusterUserRoleId
    principalId: team.groupObjectId
    principalType: 'Group'
    description: 'Team ${team.namespace} fetches the Entra ID kubeconfig'
  }
}]
