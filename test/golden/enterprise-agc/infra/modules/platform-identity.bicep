/*** PARAMETERS ***/

@description('Azure region of the identity.')
param location string

@description('Name of the platform component identity.')
@minLength(3)
param identityName string

@description('Kubernetes namespace of the component.')
param namespace string

@description('Kubernetes service account the component runs as.')
param serviceAccount string

@description('OIDC issuer URL of the cluster, trusted by the federated credential.')
param oidcIssuerUrl string

@description('Built-in role definition GUID the component needs on the environment resource group; empty when its rights are granted on single resources elsewhere.')
param roleDefinitionGuid string = ''

@description('Why the component holds the role, recorded on the role assignment.')
param roleReason string = ''

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var roleDefinitionId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionGuid)

/*** RESOURCES ***/

// A platform component deployed by Flux reads Azure data under an identity of its own.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: identityName
  location: location
  tags: tags
}

// Workload identity: tokens of exactly this service account on this cluster are exchanged for the identity's tokens.
resource federatedCredential 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = {
  parent: identity
  name: 'aks-${namespace}-${serviceAccount}'
  properties: {
    issuer: oidcIssuerUrl
    subject: 'system:serviceaccount:${namespace}:${serviceAccount}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

// The one role the component needs, on the environment resource group only.
resource componentRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(roleDefinitionGuid)) {
  name: guid(resourceGroup().id, identity.id, roleDefinitionId)
  properties: {
    roleDefinitionId: roleDefinitionId
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: roleReason
  }
}

/*** OUTPUTS ***/

@description('Client ID of the identity, annotated on the component service account.')
output clientId string = identity.properties.clientId

@description('Principal ID of the identity, for role assignments on single resources.')
output principalId string = identity.properties.principalId
