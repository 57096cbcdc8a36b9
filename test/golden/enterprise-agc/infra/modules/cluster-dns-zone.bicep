/*** PARAMETERS ***/

@description('Name of the private DNS zone of the private API server: privatelink.<region>.azmk8s.io.')
param zoneName string

@description('Resource ID of the spoke virtual network that resolves the API server name.')
param virtualNetworkId string

@description('Principal ID of the AKS control-plane identity, which writes the API server record.')
param clusterPrincipalId string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var privateDnsZoneContributorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b12aa53e-6015-4669-85d0-8515ebb3ae7f')

/*** RESOURCES ***/

// A zone of our own (rather than one AKS creates in the node resource group) can be linked to the hub and on-premises DNS.
resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: zoneName
  location: 'global'
  tags: tags
}

// Linked to the spoke so nodes and the access subnet resolve the private API server.
resource spokeLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: zone
  name: 'link-spoke'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: virtualNetworkId
    }
  }
}

// AKS writes the API server A record into this zone under its control-plane identity: Private DNS Zone Contributor.
resource zoneContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: zone
  name: guid(zone.id, clusterPrincipalId, privateDnsZoneContributorRoleId)
  properties: {
    roleDefinitionId: privateDnsZoneContributorRoleId
    principalId: clusterPrincipalId
    principalType: 'ServicePrincipal'
    description: 'AKS control plane manages the private API server record'
  }
}

/*** OUTPUTS ***/

@description('Resource ID of the private DNS zone of the API server.')
output zoneId string = zone.id
