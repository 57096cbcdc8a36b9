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
var rbacClusterAdminRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b')
var rbacWriterRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb')

/*** EXISTING RESOURCES ***/

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: clusterName
}

// Azure RBAC for Kubernetes accepts a namespace under the cluster as a role assignment scope; ARM has no type for it.
#disable-next-line BCP081
resource teamNamespaces 'Microsoft.ContainerService/managedClusters/namespaces@2026-08-01' existing = [for team in teamGroups: {
  parent: cluster
  name: team.namespace
}]

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

// Authorization is Azure RBAC: the platform admins are cluster admins inside Kubernetes.
resource adminClusterAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for groupId in adminGroupObjectIds: {
  scope: cluster
  name: guid(cluster.id, groupId, rbacClusterAdminRoleId)
  properties: {
    roleDefinitionId: rbacClusterAdminRoleId
    principalId: groupId
    principalType: 'Group'
    description: 'Platform admins administer Kubernetes'
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

// Each team writes workloads in its own namespace only: AKS RBAC Writer scoped to the namespace.
resource teamNamespaceWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (team, i) in teamGroups: {
  scope: teamNamespaces[i]
  name: guid(cluster.id, team.namespace, team.groupObjectId, rbacWriterRoleId)
  properties: {
    roleDefinitionId: rbacWriterRoleId
    principalId: team.groupObjectId
    principalType: 'Group'
    description: 'Team ${team.namespace} deploys to its namespace'
  }
}]
