/*** PARAMETERS ***/

@description('Azure region of the Event Hubs namespace.')
param location string

@description('Globally unique name of the Event Hubs namespace (6-50 characters).')
@minLength(6)
@maxLength(50)
param namespaceName string

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
    // Diagnostic settings authenticate with a namespace SAS rule, so local auth stays enabled.
    disableLocalAuth: false
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

// Diagnostic settings stream through a namespace rule, which Azure requires to hold Manage, Listen and Send.
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
