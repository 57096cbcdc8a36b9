/*** PARAMETERS ***/

@description('Azure region of the network resources.')
param location string

@description('Name of the spoke virtual network.')
@minLength(2)
@maxLength(64)
param virtualNetworkName string

@description('Address space of the spoke virtual network (CIDR).')
param addressSpace string

@description('Address prefix (CIDR) of each subnet, by purpose.')
param subnetPrefixes {
  @description('Nodes (and with flat Azure CNI, pods).')
  nodes: string
  @description('Internal load balancers and ingress controllers.')
  ingress: string
  @description('Private endpoints of Key Vault and the container registry.')
  privateEndpoints: string
  @description('Jump hosts and build agents that reach a private API server.')
  access: string
}

@description('Principal ID of the AKS control-plane identity, which joins the node subnet and manages load balancers and routes.')
param clusterPrincipalId string

@description('Name of the NAT gateway the nodes leave the spoke through.')
param natGatewayName string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var networkContributorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4d97b98b-1d4f-4787-a291-c67834d212e7')

/*** RESOURCES ***/

// One NSG per subnet, so the rules of one purpose can be tightened without touching the others. None of them may open
// SSH or RDP to the rest of the network: a compromised node, pod or endpoint cannot move sideways that way.
resource nodesNsg 'Microsoft.Network/networkSecurityGroups@2026-03-01' = {
  name: 'nsg-${virtualNetworkName}-nodes'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'deny-ssh-rdp-to-vnet'
        properties: {
          description: 'No SSH or RDP from this subnet to the virtual network (lateral movement)'
          direction: 'Outbound'
          access: 'Deny'
          priority: 4000
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRanges: [
            '22'
            '3389'
          ]
        }
      }
    ]
  }
}

// One NSG per subnet, so the rules of one purpose can be tightened without touching the others. None of them may open
// SSH or RDP to the rest of the network: a compromised node, pod or endpoint cannot move sideways that way.
resource ingressNsg 'Microsoft.Network/networkSecurityGroups@2026-03-01' = {
  name: 'nsg-${virtualNetworkName}-ingress'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'deny-ssh-rdp-to-vnet'
        properties: {
          description: 'No SSH or RDP from this subnet to the virtual network (lateral movement)'
          direction: 'Outbound'
          access: 'Deny'
          priority: 4000
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRanges: [
            '22'
            '3389'
          ]
        }
      }
    ]
  }
}

// One NSG per subnet, so the rules of one purpose can be tightened without touching the others. None of them may open
// SSH or RDP to the rest of the network: a compromised node, pod or endpoint cannot move sideways that way.
resource privateEndpointsNsg 'Microsoft.Network/networkSecurityGroups@2026-03-01' = {
  name: 'nsg-${virtualNetworkName}-private-endpoints'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'deny-ssh-rdp-to-vnet'
        properties: {
          description: 'No SSH or RDP from this subnet to the virtual network (lateral movement)'
          direction: 'Outbound'
          access: 'Deny'
          priority: 4000
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRanges: [
            '22'
            '3389'
          ]
        }
      }
    ]
  }
}

// One NSG per subnet, so the rules of one purpose can be tightened without touching the others. None of them may open
// SSH or RDP to the rest of the network: a compromised node, pod or endpoint cannot move sideways that way.
resource accessNsg 'Microsoft.Network/networkSecurityGroups@2026-03-01' = {
  name: 'nsg-${virtualNetworkName}-access'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'deny-ssh-rdp-to-vnet'
        properties: {
          description: 'No SSH or RDP from this subnet to the virtual network (lateral movement)'
          direction: 'Outbound'
          access: 'Deny'
          priority: 4000
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRanges: [
            '22'
            '3389'
          ]
        }
      }
    ]
  }
}

// The NAT gateway's fixed address is what external services see; it also avoids load balancer SNAT port exhaustion.
resource natPublicIp 'Microsoft.Network/publicIPAddresses@2026-03-01' = {
  name: 'pip-${natGatewayName}'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Regional'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

// Outbound traffic of the node subnet leaves through this NAT gateway (outboundType userAssignedNATGateway).
resource natGateway 'Microsoft.Network/natGateways@2026-03-01' = {
  name: natGatewayName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [
      {
        id: natPublicIp.id
      }
    ]
  }
}

// The spoke holds the cluster and its private endpoints; subnets are declared inline so redeployments never drop them.
resource virtualNetwork 'Microsoft.Network/virtualNetworks@2026-03-01' = {
  name: virtualNetworkName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressSpace
      ]
    }
    subnets: [
      {
        name: 'snet-nodes'
        properties: {
          addressPrefix: subnetPrefixes.nodes
          networkSecurityGroup: {
            id: nodesNsg.id
          }
          defaultOutboundAccess: false
          natGateway: {
            id: natGateway.id
          }
        }
      }
      {
        name: 'snet-ingress'
        properties: {
          addressPrefix: subnetPrefixes.ingress
          networkSecurityGroup: {
            id: ingressNsg.id
          }
          defaultOutboundAccess: false
        }
      }
      {
        name: 'snet-private-endpoints'
        properties: {
          addressPrefix: subnetPrefixes.privateEndpoints
          networkSecurityGroup: {
            id: privateEndpointsNsg.id
          }
          defaultOutboundAccess: false
          privateEndpointNetworkPolicies: 'Enabled'
        }
      }
      {
        name: 'snet-access'
        properties: {
          addressPrefix: subnetPrefixes.access
          networkSecurityGroup: {
            id: accessNsg.id
          }
          defaultOutboundAccess: false
        }
      }
    ]
  }
}

resource nodesSubnet 'Microsoft.Network/virtualNetworks/subnets@2026-03-01' existing = {
  parent: virtualNetwork
  name: 'snet-nodes'
}

resource ingressSubnet 'Microsoft.Network/virtualNetworks/subnets@2026-03-01' existing = {
  parent: virtualNetwork
  name: 'snet-ingress'
}

resource privateEndpointsSubnet 'Microsoft.Network/virtualNetworks/subnets@2026-03-01' existing = {
  parent: virtualNetwork
  name: 'snet-private-endpoints'
}

resource accessSubnet 'Microsoft.Network/virtualNetworks/subnets@2026-03-01' existing = {
  parent: virtualNetwork
  name: 'snet-access'
}

// The control plane joins nodes and internal load balancers to the node subnet: Network Contributor on it.
resource nodesSubnetNetworkContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: nodesSubnet
  name: guid(nodesSubnet.id, clusterPrincipalId, networkContributorRoleId)
  properties: {
    roleDefinitionId: networkContributorRoleId
    principalId: clusterPrincipalId
    principalType: 'ServicePrincipal'
    description: 'AKS control plane joins the node subnet'
  }
}

// The control plane attaches the node subnet outbound path to the NAT gateway: Network Contributor on it.
resource natGatewayNetworkContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: natGateway
  name: guid(natGateway.id, clusterPrincipalId, networkContributorRoleId)
  properties: {
    roleDefinitionId: networkContributorRoleId
    principalId: clusterPrincipalId
    principalType: 'ServicePrincipal'
    description: 'AKS control plane uses the NAT gateway for outbound traffic'
  }
}

/*** OUTPUTS ***/

@description('Resource ID of the spoke virtual network.')
output virtualNetworkId string = virtualNetwork.id

@description('Public IP address the nodes leave through, an authorized range of a public API server.')
output natPublicIpAddress string = natPublicIp.properties.ipAddress

@description('Resource ID of the snet-nodes subnet.')
output nodesSubnetId string = nodesSubnet.id

@description('Resource ID of the snet-ingress subnet.')
output ingressSubnetId string = ingressSubnet.id

@description('Resource ID of the snet-private-endpoints subnet.')
output privateEndpointsSubnetId string = privateEndpointsSubnet.id

@description('Resource ID of the snet-access subnet.')
output accessSubnetId string = accessSubnet.id
