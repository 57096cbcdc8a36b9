/*** PARAMETERS ***/

@description('Name of the environment Key Vault holding the Gateway certificate.')
param keyVaultName string

@description('Name of the Key Vault certificate the Gateway terminates TLS with.')
param certificateName string

@description('Principal ID of the identity that syncs the certificate for the Gateway.')
param readerPrincipalId string

/*** VARIABLES ***/

var secretsUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

/*** EXISTING RESOURCES ***/

resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

// A Key Vault certificate's private key is read through the secret of the same name.
resource certificateSecret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' existing = {
  parent: keyVault
  name: certificateName
}

/*** RESOURCES ***/

// The Gateway identity reads this one certificate and no other secret of the vault.
resource certificateReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: certificateSecret
  name: guid(certificateSecret.id, readerPrincipalId, secretsUserRoleId)
  properties: {
    roleDefinitionId: secretsUserRoleId
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    description: 'The platform Gateway syncs its TLS certificate from Key Vault'
  }
}

/*** OUTPUTS ***/

@description('Unversioned certificate URI, so the Gateway picks up renewed versions.')
output certificateUri string = '${keyVault.properties.vaultUri}certificates/${certificateName}'
