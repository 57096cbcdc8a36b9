/*** PARAMETERS ***/

@description('Name of the private DNS zone, e.g. privatelink.vaultcore.azure.net.')
param zoneName string

@description('Resource ID of the virtual network that resolves names in the zone.')
param virtualNetworkId string

@description('Tags applied to every resource.')
param tags object

/*** RESOURCES ***/

// Private endpoints register their addresses here, so clients in the spoke resolve the service to a private IP.
resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: zoneName
  location: 'global'
  tags: tags
}

// Linked to the spoke so the nodes resolve the private endpoint names.
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

/*** OUTPUTS ***/

@description('Resource ID of the private DNS zone.')
output zoneId string = zone.id
