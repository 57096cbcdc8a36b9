/*** PARAMETERS ***/

@description('Azure region of the alert rules and the event topic.')
param location string

@description('Name of the AKS cluster.')
param clusterName string

@description('Resource ID of the Log Analytics workspace receiving the event topic diagnostics.')
param logAnalyticsWorkspaceId string

@description('Tags applied to every resource.')
param tags object

/*** EXISTING RESOURCES ***/

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: clusterName
}

/*** RESOURCES ***/

// AKS publishes upgrade availability, support ending and node pool rolling events here; Event Grid handlers
// (a Function, Logic App, webhook or Event Hubs) subscribe to it. An action group cannot be one of them.
resource eventsTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: 'evgt-${clusterName}'
  location: location
  tags: tags
  // A subscriber added later delivers with this identity instead of keys (PSRule Azure.EventGrid.ManagedIdentity).
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: cluster.id
    topicType: 'Microsoft.ContainerService.ManagedClusters'
  }
}

// Events that could not be delivered to a subscriber are logged with the rest of the platform's logs.
resource eventsTopicDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: eventsTopic
  name: 'to-platform-logs'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'DeliveryFailures'
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
