/*** PARAMETERS ***/

@description('Name of the hub virtual network, in the resource group this module is deployed to.')
param hubVirtualNetworkName string

@description('Name of the hub-to-spoke peering.')
param peeringName string

@description('Resource ID of the spoke virtual network.')
param spokeVirtualNetworkId string

/*** EXISTING RESOURCES ***/

resource hubVirtualNetwork 'Microsoft.Network/virtualNetworks@2026-03-01' existing = {
  name: hubVirtualNetworkName
}

/*** RESOURCES ***/

// Hub-to-spoke half of the peering, so the firewall and Bastion in the hub reach the spoke.
resource peeringToSpoke 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2026-03-01' = {
  parent: hubVirtualNetwork
  name: peeringName
  properties: {
    remoteVirtualNetwork: {
      id: spokeVirtualNetworkId
    }
    allowVirtualNetworkAccess: true
    allowForwardedTraffic: true
    allowGatewayTransit: false
    useRemoteGateways: false
  }
}
