/*** PARAMETERS ***/

@description('Azure region of the identity.')
param location string

@description('Name of the team workload identity.')
@minLength(3)
param identityName string

@description('Kubernetes namespace of the team.')
param namespace string

@description('Kubernetes service account the team workloads run as.')
param serviceAccount string

@description('OIDC issuer URL of the cluster, trusted by the federated credential.')
param oidcIssuerUrl string

@description('Name of the environment Key Vault the team reads secrets from.')
param keyVaultName string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var keyVaultSecretsUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

/*** EXISTING RESOURCES ***/

resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

/*** RESOURCES ***/

// Each team's workloads get an Azure identity of their own, so access is granted per team and never shared.
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

// The team workloads read secret values through the CSI driver: Key Vault Secrets User on the vault, nothing more.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: keyVaultSecretsUserRoleId
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Workloads of ${identityName} read their secrets'
  }
}

/*** OUTPUTS ***/

@description('Client ID of the team identity, annotated on its service account.')
output clientId string = identity.properties.clientId

@description('Resource ID of the team identity.')
output identityId string = identity.id
