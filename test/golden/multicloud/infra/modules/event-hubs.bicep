/*** PARAMETERS ***/

@description('Azure region of the Event Hubs namespace.')
param location string

@description('Globally unique name of the Event Hubs namespace (6-50 characters).')
@minLength(6)
@maxLength(50)
param namespaceName string

@description('Resource ID of the subnet that holds private endpoints.')
param privateEndpointSubnetId string

@description('Resource ID of the privatelink.servicebus.windows.net private DNS zone (the hub\'s, or the environment\'s own).')
param privateDnsZoneId string

@description('Tags applied to every resource.')
param tags object

/*** RESOURCES ***/

// Diagnostic logs are also streamed here, where Filebeat or a SIEM consumes them.
resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: 1
  }
  properties: {
    // Zone-redundant wherever the region has availability zones (Standard includes it at no extra cost).
    zoneRedundant: !empty(pickZones('Microsoft.Compute', 'virtualMachineScaleSets', location))
    minimumTlsVersion: '1.2'
    // No public endpoint: consumers in the spoke use the private endpoint, Azure Monitor comes in as a trusted service.
    publicNetworkAccess: 'Disabled'
    // Diagnostic settings can only stream through a namespace SAS rule, and Filebeat's Event Hubs input signs in with a
    // connection string, so local (SAS) auth stays on: two rules, each with the rights Azure requires and no more.
    disableLocalAuth: false
  }
}

// Deny every public address; Azure Monitor's diagnostic settings stream in as a trusted Microsoft service, which
// private endpoints alone would block.
resource networkRules 'Microsoft.EventHub/namespaces/networkRuleSets@2024-01-01' = {
  parent: namespace
  name: 'default'
  properties: {
    publicNetworkAccess: 'Disabled'
    defaultAction: 'Deny'
    trustedServiceAccessEnabled: true
    ipRules: []
    virtualNetworkRules: []
  }
}

// Filebeat (and any consumer in a peered network) reaches the namespace over the spoke.
resource privateEndpoint 'Microsoft.Network/privateEndpoints@2026-03-01' = {
  name: 'pe-${namespaceName}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'namespace'
        properties: {
          privateLinkServiceId: namespace.id
          groupIds: [
            'namespace'
          ]
        }
      }
    ]
  }
}

// The endpoint's address is registered in the namespace's privatelink zone, so its public name resolves privately.
resource dnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2026-03-01' = {
  parent: privateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'servicebus'
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

// One hub receives every diagnostic setting of the environment; consumers filter by resource ID.
resource diagnosticsHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: 'diagnostics'
  properties: {
    partitionCount: 4
    messageRetentionInDays: 1
  }
}

// Diagnostic settings stream through a namespace rule, which Azure requires to hold Manage, Listen and Send
// (https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings#destinations); nothing else uses it.
resource sendRule 'Microsoft.EventHub/namespaces/authorizationRules@2024-01-01' = {
  parent: namespace
  name: 'diagnostics-send'
  properties: {
    rights: [
      'Manage'
      'Listen'
      'Send'
    ]
  }
}

/*** OUTPUTS ***/

@description('Name of the Event Hubs namespace.')
output namespaceName string = namespace.name

@description('Name of the event hub receiving diagnostic logs.')
output eventHubName string = diagnosticsHub.name

@description('Resource ID of the authorization rule diagnostic settings send with.')
output authorizationRuleId string = sendRule.id
