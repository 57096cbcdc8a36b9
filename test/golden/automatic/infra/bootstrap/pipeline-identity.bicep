targetScope = 'subscription'

// ==================== PARAMETERS ====================

@description('Region of the pipeline identities and their resource group.')
param location string = 'westeurope'

@description('Resource group that holds the pipeline identities, apart from the platform so tearing an environment down keeps the pipelines signed in.')
@minLength(1)
@maxLength(90)
param resourceGroupName string = 'rg-core-pipeline-westeurope'

@description('Tags of the resource group and the identities, so they are found and owned like the rest of the platform.')
param tags object = {
  platform: 'core'
  purpose: 'pipeline-identity'
  managedBy: 'generator-aks-platform'
}

@description('Issuer of the Azure DevOps organization (https://vstoken.dev.azure.com/<organization ID>), as its workload identity federation service connections show it. Empty: no Azure DevOps credentials.')
param azureDevOpsIssuer string = ''

@description('Azure DevOps organization name, the first part of the service connection subjects (sc://<organization>/<project>/<service connection>).')
param azureDevOpsOrganization string = ''

@description('Azure DevOps project name, the second part of the service connection subjects.')
param azureDevOpsProject string = ''

// ==================== VARIABLES ====================

// Custom roles are named by a GUID; the environment deployments compute the operator role the same way.
var whatIfRoleName = guid(subscription().id, resourceGroupName, 'what-if')
var operatorRoleName = guid(subscription().id, resourceGroupName, 'cluster-operator')

// The deploy identities assign roles to the cluster, kubelet and workload identities, so they may assign roles,
// but never Owner, User Access Administrator or Role Based Access Control Administrator.
var roleAssignmentCondition = '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9, f58310d9-a9f6-439a-9e8d-f62e7b41a168})) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {8e3af657-a8ff-443c-a75c-2fe8c4bcb635, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9, f58310d9-a9f6-439a-9e8d-f62e7b41a168}))'

// One identity per kind of job (docs/pipelines.md): pull requests plan, each environment deploys, each cluster is
// operated by its own. Each trusts only the GitHub token subjects and the Azure DevOps service connection named here.
var pipelineIdentities = [
  {
    name: 'id-core-plan'
    clientIdVariable: 'AZURE_PLAN_CLIENT_ID'
    serviceConnection: 'azure-platform-plan'
    githubCredentials: [
      {
        name: 'github-pull-request'
        subject: 'repo:contoso/contoso-core-platform:pull_request'
      }
    ]
  }
  {
    name: 'id-core-deploy-hub'
    clientIdVariable: 'AZURE_DEPLOY_CLIENT_ID_HUB'
    serviceConnection: 'azure-platform-hub'
    githubCredentials: [
      {
        name: 'github-environment-hub'
        subject: 'repo:contoso/contoso-core-platform:environment:hub'
      }
    ]
  }
  {
    name: 'id-core-deploy-dev'
    clientIdVariable: 'AZURE_DEPLOY_CLIENT_ID_DEV'
    serviceConnection: 'azure-platform-dev'
    githubCredentials: [
      {
        name: 'github-environment-dev'
        subject: 'repo:contoso/contoso-core-platform:environment:dev'
      }
    ]
  }
  {
    name: 'id-core-deploy-prod'
    clientIdVariable: 'AZURE_DEPLOY_CLIENT_ID_PROD'
    serviceConnection: 'azure-platform-prod'
    githubCredentials: [
      {
        name: 'github-environment-prod'
        subject: 'repo:contoso/contoso-core-platform:environment:prod'
      }
    ]
  }
  {
    name: 'id-core-operator-dev'
    clientIdVariable: 'AZURE_OPERATOR_CLIENT_ID_DEV'
    serviceConnection: 'azure-platform-operator-dev'
    githubCredentials: [
      {
        name: 'github-environment-dev'
        subject: 'repo:contoso/contoso-core-platform:environment:dev'
      }
    ]
  }
  {
    name: 'id-core-operator-prod'
    clientIdVariable: 'AZURE_OPERATOR_CLIENT_ID_PROD'
    serviceConnection: 'azure-platform-operator-prod'
    githubCredentials: [
      {
        name: 'github-environment-prod'
        subject: 'repo:contoso/contoso-core-platform:environment:prod'
      }
    ]
  }
]

// Roles on the subscription, by index into pipelineIdentities. The operators have none: each environment deployment
// grants its operator the cluster operator role on its cluster only.
var subscriptionGrants = [
  {
    identity: 0
    role: 'reader'
    roleDefinitionName: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
    conditioned: false
    description: 'What-if reads every resource it compares.'
  }
  {
    identity: 0
    role: 'whatIf'
    roleDefinitionName: whatIfRoleName
    conditioned: false
    description: 'Runs what-if and validation, which change nothing.'
  }
  {
    identity: 1
    role: 'contributor'
    roleDefinitionName: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
    conditioned: false
    description: 'Creates the resource groups, networks, clusters and add-ons.'
  }
  {
    identity: 1
    role: 'rbacAdministrator'
    roleDefinitionName: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'
    conditioned: true
    description: 'Assigns the platform roles, never a privileged administrator role.'
  }
  {
    identity: 2
    role: 'contributor'
    roleDefinitionName: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
    conditioned: false
    description: 'Creates the resource groups, networks, clusters and add-ons.'
  }
  {
    identity: 2
    role: 'rbacAdministrator'
    roleDefinitionName: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'
    conditioned: true
    description: 'Assigns the platform roles, never a privileged administrator role.'
  }
  {
    identity: 3
    role: 'contributor'
    roleDefinitionName: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
    conditioned: false
    description: 'Creates the resource groups, networks, clusters and add-ons.'
  }
  {
    identity: 3
    role: 'rbacAdministrator'
    roleDefinitionName: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'
    conditioned: true
    description: 'Assigns the platform roles, never a privileged administrator role.'
  }
]

// ==================== RESOURCES ====================

// Its own resource group, so the identities outlive any platform environment.
resource pipelineResourceGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

// What-if with ProviderNoRbac validation checks read permissions only (https://learn.microsoft.com/azure/azure-resource-manager/bicep/deploy-what-if).
resource whatIfRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: whatIfRoleName
  properties: {
    roleName: 'core pipeline what-if'
    description: 'Preview and validate deployments; no write access.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Resources/deployments/whatIf/action'
          'Microsoft.Resources/deployments/validate/action'
        ]
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// Start, stop and upgrade a cluster, nothing else; assigned on each cluster by its environment deployment.
resource operatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: operatorRoleName
  properties: {
    roleName: 'core pipeline cluster operator'
    description: 'Start, stop and upgrade an AKS cluster and its node pools.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.ContainerService/managedClusters/read'
          'Microsoft.ContainerService/managedClusters/write'
          'Microsoft.ContainerService/managedClusters/upgradeProfiles/read'
          'Microsoft.ContainerService/managedClusters/agentPools/read'
          'Microsoft.ContainerService/managedClusters/agentPools/write'
        ]
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// The identities and their credentials are resource-group resources, hence a module.
module identities 'pipeline-identity-resources.bicep' = [
  for identity in pipelineIdentities: {
    name: take('pipeline-${identity.name}', 64)
    scope: pipelineResourceGroup
    params: {
      location: location
      identityName: identity.name
      tags: tags
      githubCredentials: identity.githubCredentials
      azureDevOpsIssuer: azureDevOpsIssuer
      azureDevOpsSubject: empty(azureDevOpsOrganization) ? '' : 'sc://${azureDevOpsOrganization}/${azureDevOpsProject}/${identity.serviceConnection}'
    }
  }
]

// The subscription roles of the plan and deploy identities.
resource grants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in subscriptionGrants: {
    name: guid(subscription().id, resourceGroupName, pipelineIdentities[grant.identity].name, grant.role)
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.roleDefinitionName)
      principalId: identities[grant.identity].outputs.principalId
      principalType: 'ServicePrincipal'
      description: grant.description
      condition: grant.conditioned ? roleAssignmentCondition : null
      conditionVersion: grant.conditioned ? '2.0' : null
    }
    dependsOn: [
      whatIfRole
    ]
  }
]

// ==================== OUTPUTS ====================

@description('Client ID of each identity, with the GitHub repository variable and the Azure DevOps service connection that use it.')
output clientIds array = [
  for (identity, i) in pipelineIdentities: {
    identity: identity.name
    clientIdVariable: identity.clientIdVariable
    serviceConnection: identity.serviceConnection
    clientId: identities[i].outputs.clientId
  }
]

@description('AZURE_TENANT_ID of the pipelines.')
output tenantId string = tenant().tenantId

@description('AZURE_SUBSCRIPTION_ID of the pipelines.')
output subscriptionId string = subscription().subscriptionId

@description('ID of the cluster operator role the environment deployments assign.')
output operatorRoleId string = operatorRole.id
