/*** PARAMETERS ***/

@description('Azure region of the monitoring resources.')
param location string

@description('Name of the Azure Monitor workspace that stores Prometheus metrics.')
param monitorWorkspaceName string

@description('Tags applied to every resource.')
param tags object

/*** RESOURCES ***/

// Managed Prometheus stores metrics in an Azure Monitor workspace instead of a Prometheus the platform has to run.
resource monitorWorkspace 'Microsoft.Monitor/accounts@2025-10-03' = {
  name: monitorWorkspaceName
  location: location
  tags: tags
}

// The metrics add-on fetches its configuration from this endpoint.
resource collectionEndpoint 'Microsoft.Insights/dataCollectionEndpoints@2024-03-11' = {
  name: 'MSProm-${location}-${monitorWorkspaceName}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {}
}

// Routes the scraped Prometheus metrics into the Azure Monitor workspace.
resource prometheusRule 'Microsoft.Insights/dataCollectionRules@2024-03-11' = {
  name: 'MSProm-${location}-${monitorWorkspaceName}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {
    dataCollectionEndpointId: collectionEndpoint.id
    dataSources: {
      prometheusForwarder: [
        {
          name: 'PrometheusDataSource'
          streams: [
            'Microsoft-PrometheusMetrics'
          ]
          labelIncludeFilter: {}
        }
      ]
    }
    destinations: {
      monitoringAccounts: [
        {
          name: 'MonitoringAccount1'
          accountResourceId: monitorWorkspace.id
        }
      ]
    }
    dataFlows: [
      {
        streams: [
          'Microsoft-PrometheusMetrics'
        ]
        destinations: [
          'MonitoringAccount1'
        ]
      }
    ]
  }
}

/*** OUTPUTS ***/

@description('Resource ID of the Azure Monitor workspace.')
output monitorWorkspaceId string = monitorWorkspace.id

@description('Resource ID of the Prometheus data collection endpoint.')
output collectionEndpointId string = collectionEndpoint.id

@description('Resource ID of the Prometheus data collection rule.')
output prometheusRuleId string = prometheusRule.id
