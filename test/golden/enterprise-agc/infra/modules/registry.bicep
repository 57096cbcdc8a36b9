/*** PARAMETERS ***/

@description('Azure region of the registry.')
param location string

@description('Globally unique name of the container registry (5-50 letters or digits).')
@minLength(5)
@maxLength(50)
param registryName string

@description('Resource ID of the subnet that holds private endpoints.')
param privateEndpointSubnetId string

@description('Resource ID of the privatelink.azurecr.io private DNS zone.')
param privateDnsZoneId string

@description('Principal ID of the kubelet identity, the only identity that pulls images.')
param kubeletPrincipalId string

@description('Resource ID of the Log Analytics workspace receiving diagnostic logs.')
param logAnalyticsWorkspaceId string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var acrPullRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')

/*** RESOURCES ***/

// Premium is the tier with private endpoints, export and retention policies; the admin user stays off so every pull
// is an Entra identity, and with public access off, export is disabled too so images cannot be copied out of the
// network boundary. Untagged manifests (left behind when a tag is pushed again) are deleted after 7 days
// (a preview feature of Premium registries); tagged images are never touched.
resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: registryName
  location: location
  tags: tags
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Disabled'
    networkRuleBypassOptions: 'AzureServices'
    anonymousPullEnabled: false
    policies: {
      exportPolicy: {
        status: 'disabled'
      }
      retentionPolicy: {
        days: 7
        status: 'enabled'
      }
    }
  }
}

// Nodes reach the registry over the spoke, never over the internet.
resource privateEndpoint 'Microsoft.Network/privateEndpoints@2026-03-01' = {
  name: 'pe-${registryName}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'registry'
        properties: {
          privateLinkServiceId: registry.id
          groupIds: [
            'registry'
          ]
        }
      }
    ]
  }
}

// Registers the endpoint's addresses in the privatelink.azurecr.io zone.
resource privateDnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2026-03-01' = {
  parent: privateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'registry'
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

// The kubelet identity pulls images: AcrPull, and nothing else.
resource kubeletAcrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, kubeletPrincipalId, acrPullRoleId)
  properties: {
    roleDefinitionId: acrPullRoleId
    principalId: kubeletPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Kubelet pulls workload images'
  }
}

// Registry audit and pull/push logs go where the rest of the platform's logs are.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: registry
  name: 'to-platform-logs'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
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

@description('Name of the container registry.')
output registryName string = registry.name

@description('Login server of the container registry.')
output loginServer string = registry.properties.loginServer
