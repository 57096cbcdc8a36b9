targetScope = 'subscription'

// ==================== PARAMETERS ====================

@description('Region of the pipeline identity and its resource group.')
param location string = 'westeurope'

@description('Resource group that holds the pipeline identity, apart from the platform so tearing an environment down keeps the pipelines signed in.')
@minLength(1)
@maxLength(90)
param resourceGroupName string = 'rg-core-pipeline-westeurope'

@description('Name of the user-assigned managed identity the pipelines sign in as.')
@minLength(3)
@maxLength(128)
param identityName string = 'id-core-pipeline'

@description('Issuer of the Azure DevOps workload identity federation service connection, as the service connection shows it. Empty: no Azure DevOps credential.')
param azureDevOpsIssuer string = ''

@description('Subject identifier of that service connection, as it shows it. Empty: no Azure DevOps credential.')
param azureDevOpsSubject string = ''

// ==================== VARIABLES ====================

var contributorRoleId = 'b24988ac-6180-42a0-ab88-20f7382dd24c'
var rbacAdministratorRoleId = 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'

// The deployment assigns roles to the cluster, kubelet and workload identities, so the pipeline may assign roles,
// but never Owner, User Access Administrator or Role Based Access Control Administrator.
var roleAssignmentCondition = '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9, f58310d9-a9f6-439a-9e8d-f62e7b41a168})) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9, f58310d9-a9f6-439a-9e8d-f62e7b41a168}))'

// The GitHub Actions OIDC subjects of this repository: its branch, its pull requests and each environment.
var githubCredentials = [
  {
    name: 'github-branch'
    subject: 'repo:contoso/contoso-core-platform:ref:refs/heads/main'
  }
  {
    name: 'github-pull-request'
    subject: 'repo:contoso/contoso-core-platform:pull_request'
  }
  {
    name: 'github-environment-dev'
    subject: 'repo:contoso/contoso-core-platform:environment:dev'
  }
  {
    name: 'github-environment-prod'
    subject: 'repo:contoso/contoso-core-platform:environment:prod'
  }
]

// ==================== RESOURCES ====================

// Its own resource group, so the identity outlives any platform environment.
resource pipelineResourceGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
}

// The identity and its credentials are resource-group resources, hence a module.
module identity 'pipeline-identity-resources.bicep' = {
  name: 'pipeline-identity'
  scope: pipelineResourceGroup
  params: {
    location: location
    identityName: identityName
    githubCredentials: githubCredentials
    azureDevOpsIssuer: azureDevOpsIssuer
    azureDevOpsSubject: azureDevOpsSubject
  }
}

// Contributor on the subscription: the deployments create resource groups, networks, clusters and their add-ons.
resource contributorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, resourceGroupName, identityName, contributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributorRoleId)
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    description: 'Pipelines deploy the AKS platform.'
  }
}

// Role assignments are part of the platform (AcrPull, Key Vault, cluster RBAC), which Contributor cannot write.
resource roleAssignerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, resourceGroupName, identityName, rbacAdministratorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', rbacAdministratorRoleId)
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    description: 'Pipelines assign the platform roles, never the privileged administrator roles.'
    condition: roleAssignmentCondition
    conditionVersion: '2.0'
  }
}

// ==================== OUTPUTS ====================

@description('AZURE_CLIENT_ID of the pipelines.')
output clientId string = identity.outputs.clientId

@description('AZURE_TENANT_ID of the pipelines.')
output tenantId string = tenant().tenantId

@description('AZURE_SUBSCRIPTION_ID of the pipelines.')
output subscriptionId string = subscription().subscriptionId
