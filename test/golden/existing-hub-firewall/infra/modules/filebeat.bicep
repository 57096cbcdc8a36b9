/*** PARAMETERS ***/

@description('Azure region of the storage account.')
param location string

@description('Name of the Key Vault that holds the Filebeat credentials, and nothing else.')
param keyVaultName string

@description('Globally unique name of the storage account holding the Event Hubs checkpoints (3-24 lowercase letters or digits).')
@minLength(3)
@maxLength(24)
param storageAccountName string

@description('Name of the Event Hubs namespace receiving diagnostic logs.')
param eventHubsNamespaceName string

@description('Name of the event hub receiving diagnostic logs, which Filebeat consumes.')
param eventHubName string

@description('Principal ID of the Filebeat workload identity, which reads the credentials.')
param readerPrincipalId string

@description('Resource ID of the subnet that holds private endpoints.')
param privateEndpointSubnetId string

@description('Resource ID of the privatelink.blob private DNS zone.')
param blobDnsZoneId string

@description('Elasticsearch API key (id:key, as Elasticsearch creates it); empty keeps the secret already in the vault.')
@secure()
param elasticsearchApiKey string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var keyVaultSecretsUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

/*** EXISTING RESOURCES ***/

// The namespace and hub every diagnostic setting of the environment streams to.
resource eventHubsNamespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubsNamespaceName
}

resource eventHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' existing = {
  parent: eventHubsNamespace
  name: eventHubName
}

// Filebeat's own vault (modules/key-vault.bicep): the environment vault is readable by every team identity.
resource keyVault 'Microsoft.KeyVault/vaults@2026-02-01' existing = {
  name: keyVaultName
}

/*** RESOURCES ***/

// A consumer group of its own: another reader of the stream never takes Filebeat's partitions or checkpoints.
resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: eventHub
  name: 'filebeat'
  properties: {
    userMetadata: 'Filebeat shipping diagnostic logs to Elasticsearch'
  }
}

// Listen only. Namespace level, because Filebeat's processor v2 refuses connection strings with an EntityPath.
resource listenRule 'Microsoft.EventHub/namespaces/authorizationRules@2024-01-01' = {
  parent: eventHubsNamespace
  name: 'filebeat-listen'
  properties: {
    rights: [
      'Listen'
    ]
  }
}

// Partition leases and checkpoints of the Filebeat replicas. Filebeat authenticates to it with a connection string,
// so shared keys stay enabled; the account has no public endpoint.
resource storageAccount 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: true
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
    }
  }
}

// A checkpoint or its container deleted by mistake can be restored for a week (PSRule Azure.Storage.SoftDelete and
// Azure.Storage.ContainerSoftDelete).
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: storageAccount
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource checkpointContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: 'filebeat-checkpoints'
  properties: {
    publicAccess: 'None'
  }
}

// Filebeat reaches its checkpoints over the spoke.
resource storagePrivateEndpoint 'Microsoft.Network/privateEndpoints@2026-03-01' = {
  name: 'pe-${storageAccountName}-blob'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'blob'
        properties: {
          privateLinkServiceId: storageAccount.id
          groupIds: [
            'blob'
          ]
        }
      }
    ]
  }
}

resource storageDnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2026-03-01' = {
  parent: storagePrivateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'blob'
        properties: {
          privateDnsZoneId: blobDnsZoneId
        }
      }
    ]
  }
}

// The deployment writes the credentials through Azure Resource Manager; they never pass through the repository.
resource eventHubConnectionString 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  parent: keyVault
  name: 'event-hub-connection-string'
  properties: {
    contentType: 'Event Hubs connection string (Listen)'
    value: listenRule.listKeys().primaryConnectionString
  }
}

resource checkpointConnectionString 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = {
  parent: keyVault
  name: 'checkpoint-storage-connection-string'
  properties: {
    contentType: 'Storage connection string'
    value: 'DefaultEndpointsProtocol=https;AccountName=${storageAccount.name};AccountKey=${storageAccount.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

// Written only when the pipeline passes the key, so a run without it keeps the one already stored.
resource elasticsearchApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2026-02-01' = if (!empty(elasticsearchApiKey)) {
  parent: keyVault
  name: 'elasticsearch-api-key'
  properties: {
    contentType: 'Elasticsearch API key'
    value: elasticsearchApiKey
  }
}

// The Filebeat identity reads this vault and nothing else.
resource readerRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, readerPrincipalId, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: keyVaultSecretsUserRoleId
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Filebeat reads its Event Hubs, storage and Elasticsearch credentials'
  }
}

/*** OUTPUTS ***/

@description('Name of the storage account holding the Filebeat checkpoints.')
output storageAccountName string = storageAccount.name
