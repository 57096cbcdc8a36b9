// ==================== PARAMETERS ====================

@description('Region of the identity.')
param location string

@description('Name of the user-assigned managed identity.')
param identityName string

@description('Issuer of the Azure DevOps service connection; empty for none.')
param azureDevOpsIssuer string

@description('Subject identifier of the Azure DevOps service connection; empty for none.')
param azureDevOpsSubject string

// ==================== RESOURCES ====================

// The pipelines sign in as this identity through federated credentials: there is no secret to store or rotate.
resource pipelineIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: identityName
  location: location
}

// The Azure DevOps service connection, once its issuer and subject are known.
resource azureDevOpsFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = if (!empty(azureDevOpsSubject)) {
  parent: pipelineIdentity
  name: 'azure-devops'
  properties: {
    issuer: azureDevOpsIssuer
    subject: azureDevOpsSubject
    audiences: ['api://AzureADTokenExchange']
  }
}

// ==================== OUTPUTS ====================

@description('Principal (object) ID of the identity, for role assignments.')
output principalId string = pipelineIdentity.properties.principalId

@description('Client ID of the identity: AZURE_CLIENT_ID of the pipelines.')
output clientId string = pipelineIdentity.properties.clientId
