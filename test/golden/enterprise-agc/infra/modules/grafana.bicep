/*** PARAMETERS ***/

@description('Azure region of Grafana.')
param location string

@description('Name of the Azure Managed Grafana instance (2-23 characters).')
@minLength(2)
@maxLength(23)
param grafanaName string

@description('Resource ID of the Azure Monitor workspace Grafana reads Prometheus metrics from.')
param monitorWorkspaceId string

@description('Zone-redundant workspace (production). Set when the workspace is created; it cannot change afterwards.')
param zoneRedundant bool

@description('Object IDs of the Entra groups that administer Grafana.')
param adminGroupObjectIds string[]

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var monitoringReaderRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '43d0d8ad-25c7-4714-9337-8ba259a9fe05')
var monitoringDataReaderRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b0d8363b-8ddd-447d-831f-62ca05bff136')
var grafanaAdminRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '22926164-76b3-42b3-bc55-97df8dab3e41')

/*** RESOURCES ***/

// Managed Grafana gives dashboards over Azure Monitor and managed Prometheus without running Grafana. The major version
// is pinned, so an irreversible major upgrade is a reviewed change rather than Azure's schedule.
resource grafana 'Microsoft.Dashboard/grafana@2025-08-01' = {
  name: grafanaName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    apiKey: 'Disabled'
    grafanaMajorVersion: '12'
    zoneRedundancy: zoneRedundant ? 'Enabled' : 'Disabled'
    publicNetworkAccess: 'Enabled'
    grafanaIntegrations: {
      azureMonitorWorkspaceIntegrations: [
        {
          azureMonitorWorkspaceResourceId: monitorWorkspaceId
        }
      ]
    }
  }
}

// Grafana's identity reads Azure Monitor metrics and logs of this environment: Monitoring Reader.
resource grafanaMonitoringReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, grafanaName, monitoringReaderRoleId)
  properties: {
    roleDefinitionId: monitoringReaderRoleId
    principalId: grafana.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'Grafana reads Azure Monitor data of the environment'
  }
}

// Grafana's identity queries the Prometheus metrics of the Azure Monitor workspace: Monitoring Data Reader.
resource grafanaDataReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, grafanaName, monitoringDataReaderRoleId)
  properties: {
    roleDefinitionId: monitoringDataReaderRoleId
    principalId: grafana.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'Grafana queries managed Prometheus'
  }
}

// The platform admins administer the dashboards: Grafana Admin.
resource adminGroupGrafanaAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for groupId in adminGroupObjectIds: {
  scope: grafana
  name: guid(grafana.id, groupId, grafanaAdminRoleId)
  properties: {
    roleDefinitionId: grafanaAdminRoleId
    principalId: groupId
    principalType: 'Group'
    description: 'Platform admins administer Grafana'
  }
}]

/*** OUTPUTS ***/

@description('URL of the Grafana instance.')
output grafanaEndpoint string = grafana.properties.endpoint
