// ==================== PARAMETERS ====================

@description('Region of the identity.')
param location string

@description('Name of the user-assigned managed identity.')
param identityName string

@description('Tags of the identity.')
param tags object

@description('GitHub Actions OIDC subjects allowed to sign in, each with a credential name; empty for none.')
param githubCredentials {
  name: string
  subject: string
}[]

@description('Issuer of the Azure DevOps organization; empty for none.')
param azureDevOpsIssuer string

@description('Subject identifier of the Azure DevOps service connection; empty for none.')
param azureDevOpsSubject string

// ==================== RESOURCES ====================

// The pipelines sign in as this identity through federated credentials: there is no secret to store or rotate.
resource pipelineIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: identityName
  location: location
  tags: tags
}

// Azure rejects concurrent writes of federated credentials on one identity, hence one at a time.
@batchSize(1)
resource githubFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = [
  for credential in githubCredentials: {
    parent: pipelineIdentity
    name: credential.name
    properties: {
      issuer: 'https://token.actions.githubusercontent.com'
      subject: credential.subject
      audiences: ['api://AzureADTokenExchange']
    }
  }
]

// The Azure DevOps service connection bound to this identity, once the organization is known.
resource azureDevOpsFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = if (!empty(azureDevOpsIssuer) && !empty(azureDevOpsSubject)) {
  parent: pipelineIdentity
  name: 'azure-devops'
  properties: {
    issuer: azureDevOpsIssuer
    subject: azureDevOpsSubject
    audiences: ['api://AzureADTokenExchange']
  }
  dependsOn: [githubFederation]
}

// ==================== OUTPUTS ====================

@description('Principal (object) ID of the identity, for role assignments.')
output principalId string = pipelineIdentity.properties.principalId

@description('Client ID of the identity.')
output clientId string = pipelineIdentity.properties.clientId
