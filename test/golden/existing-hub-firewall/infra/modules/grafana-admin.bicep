/*** PARAMETERS ***/

@description('Name of the environment Key Vault that keeps the Grafana admin login.')
param keyVaultName string

@description('Principal ID of the Grafana identity, which reads the two admin secrets and nothing else.')
param grafanaPrincipalId string

@description('Name of the Grafana admin account; secure like every value a Key Vault secret stores (PSRule Azure.Deployment.SecureValue).')
@minLength(1)
@secure()
param adminUser string

@description('Password of the Grafana admin account, from the GRAFANA_ADMIN_PASSWORD pipeline secret; empty keeps the one already stored.')
@secure()
param adminPassword string = ''

/*** VARIABLES ***/

var keyVaultSecretsUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

/*** EXISTING RESOURCES ***/

resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

/*** RESOURCES ***/

// The deployment writes the login through Azure Resource Manager; it never passes through the repository.
resource adminUserSecret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  parent: keyVault
  name: 'grafana-admin-user'
  properties: {
    contentType: 'Grafana admin account name'
    value: adminUser
  }
}

// Written only when the pipeline passes the password, so a run without it (a pull request's what-if) keeps it.
resource adminPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = if (!empty(adminPassword)) {
  parent: keyVault
  name: 'grafana-admin-password'
  properties: {
    contentType: 'Grafana admin password'
    value: adminPassword
  }
}

// The role assignments name the password secret by reference, so they never read the conditional resource.
resource adminPasswordSecretRef 'Microsoft.KeyVault/vaults/secrets@2026-02-01' existing = {
  parent: keyVault
  name: 'grafana-admin-password'
}

// Grafana reads exactly its two secrets, not the team secrets of the same vault.
resource adminUserReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: adminUserSecret
  name: guid(adminUserSecret.id, grafanaPrincipalId, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: keyVaultSecretsUserRoleId
    principalId: grafanaPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Grafana reads its admin account name'
  }
}

// Created with the password secret, which it names by reference.
resource adminPasswordReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(adminPassword)) {
  scope: adminPasswordSecretRef
  name: guid(adminPasswordSecretRef.id, grafanaPrincipalId, keyVaultSecretsUserRoleId)
  dependsOn: [
    adminPasswordSecret
  ]
  properties: {
    roleDefinitionId: keyVaultSecretsUserRoleId
    principalId: grafanaPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Grafana reads its admin password'
  }
}
