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

@description('Name of the route table of the node subnet, which sends the spoke egress to the hub firewall.')
param routeTableName string

@description('Private IP address of the hub firewall: the next hop of all outbound traffic.')
param firewallPrivateIp string

@description('Resource ID of the hub virtual network this spoke peers with.')
param hubVirtualNetworkId string

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
        name: 'allow-gateway-from-internet'
        properties: {
          description: 'Clients reach the Application Gateway for Containers frontend of the platform Gateway'
          direction: 'Inbound'
          access: 'Allow'
          priority: 200
          protocol: 'Tcp'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRange: '443'
        }
      }
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

// Egress is locked down: everything leaving the spoke goes through the hub firewall, which allows only what AKS needs.
resource routeTable 'Microsoft.Network/routeTables@2026-03-01' = {
  name: routeTableName
  location: location
  tags: tags
  properties: {
    disableBgpRoutePropagation: true
    routes: [
      {
        name: 'default-to-hub-firewall'
        properties: {
          addressPrefix: '0.0.0.0/0'
          nextHopType: 'VirtualAppliance'
          nextHopIpAddress: firewallPrivateIp
        }
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
          routeTable: {
            id: routeTable.id
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
          delegations: [
            {
              name: 'agc-association'
              properties: {
                serviceName: 'Microsoft.ServiceNetworking/trafficControllers'
              }
            }
          ]
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

// A private cluster links its API server DNS zone and joins the node subnet: Network Contributor on the spoke VNet.
resource clusterNetworkContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: virtualNetwork
  name: guid(virtualNetwork.id, clusterPrincipalId, networkContributorRoleId)
  properties: {
    roleDefinitionId: networkContributorRoleId
    principalId: clusterPrincipalId
    principalType: 'ServicePrincipal'
    description: 'AKS control plane links the private DNS zone and joins the subnets'
  }
}

// User-defined routing: the control plane reads the node route table: Network Contributor on it.
resource routeTableNetworkContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: routeTable
  name: guid(routeTable.id, clusterPrincipalId, networkContributorRoleId)
  properties: {
    roleDefinitionId: networkContributorRoleId
    principalId: clusterPrincipalId
    principalType: 'ServicePrincipal'
    description: 'AKS control plane manages routes of the node subnet'
  }
}

// Spoke-to-hub half of the peering; forwarded traffic is allowed so routes through the hub firewall work.
resource peeringToHub 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2026-03-01' = {
  parent: virtualNetwork
  name: 'peer-to-hub'
  properties: {
    remoteVirtualNetwork: {
      id: hubVirtualNetworkId
    }
    allowVirtualNetworkAccess: true
    allowForwardedTraffic: true
    allowGatewayTransit: false
    useRemoteGateways: false
  }
}

/*** OUTPUTS ***/

@description('Resource ID of the spoke virtual network.')
output virtualNetworkId string = virtualNetwork.id

@description('Resource ID of the snet-nodes subnet.')
output nodesSubnetId string = nodesSubnet.id

@description('Resource ID of the snet-ingress subnet.')
output ingressSubnetId string = ingressSubnet.id

@description('Resource ID of the snet-private-endpoints subnet.')
output privateEndpointsSubnetId string = privateEndpointsSubnet.id

@description('Resource ID of the snet-access subnet.')
output accessSubnetId string = accessSubnet.id
