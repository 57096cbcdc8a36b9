/*** PARAMETERS ***/

@description('Azure region of the identity.')
param location string

@description('Name of the team workload identity.')
@minLength(3)
param identityName string

@description('Principal ID of the kubelet identity, which AAD Pod Identity uses to assign this identity to the nodes.')
param kubeletPrincipalId string

@description('Name of the environment Key Vault the team reads secrets from.')
param keyVaultName string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var keyVaultSecretsUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

var managedIdentityOperatorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f1a07417-d97a-45cb-824c-7a7467783830')

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

// AAD Pod Identity assigns this identity to the node scale sets under the kubelet identity: Managed Identity Operator.
resource kubeletOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: identity
  name: guid(identity.id, kubeletPrincipalId, managedIdentityOperatorRoleId)
  properties: {
    roleDefinitionId: managedIdentityOperatorRoleId
    principalId: kubeletPrincipalId
    principalType: 'ServicePrincipal'
    description: 'AAD Pod Identity assigns the team identity to the nodes'
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
