/*** PARAMETERS ***/

@description('Azure region of the vault.')
param location string

@description('Globally unique name of the Key Vault (3-24 characters).')
@minLength(3)
@maxLength(24)
param keyVaultName string

@description('Resource ID of the subnet that holds private endpoints.')
param privateEndpointSubnetId string

@description('Resource ID of the privatelink.vaultcore.azure.net private DNS zone.')
param privateDnsZoneId string

@description('Resource ID of the Log Analytics workspace receiving diagnostic logs.')
param logAnalyticsWorkspaceId string

@description('Object IDs of the Entra groups that write the secrets workloads mount (Key Vault Secrets Officer); empty for a vault only the deployment writes.')
param vaultOfficerGroupIds string[] = []

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var keyVaultSecretsOfficerRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')

/*** RESOURCES ***/

// Access is Azure RBAC (no access policies), deletes are recoverable and purge protected, and there is no public access.
resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
    }
  }
}

// The platform admins create and rotate the secrets the workloads mount; nothing else writes to the vault's data plane.
resource secretsOfficers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for groupId in vaultOfficerGroupIds: {
    scope: keyVault
    name: guid(keyVault.id, groupId, keyVaultSecretsOfficerRoleId)
    properties: {
      roleDefinitionId: keyVaultSecretsOfficerRoleId
      principalId: groupId
      principalType: 'Group'
      description: 'Platform admins write the secrets the team workloads mount'
    }
  }
]

// The CSI driver on the nodes reads secrets over the spoke, never over the internet.
resource privateEndpoint 'Microsoft.Network/privateEndpoints@2026-03-01' = {
  name: 'pe-${keyVaultName}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'vault'
        properties: {
          privateLinkServiceId: keyVault.id
          groupIds: [
            'vault'
          ]
        }
      }
    ]
  }
}

// Registers the endpoint's address in the privatelink.vaultcore.azure.net zone.
resource privateDnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2026-03-01' = {
  parent: privateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'vault'
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

// Every secret read is audited next to the rest of the platform's logs.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: keyVault
  name: 'to-platform-logs'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

/*** OUTPUTS ***/

@description('Name of the Key Vault.')
output keyVaultName string = keyVault.name

@description('URI of the Key Vault.')
output keyVaultUri string = keyVault.properties.vaultUri
