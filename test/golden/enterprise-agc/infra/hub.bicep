targetScope = 'subscription'

/*** PARAMETERS ***/

@description('Azure region of the hub.')
param location string

@description('Resource group that holds the hub.')
@minLength(1)
@maxLength(90)
param resourceGroupName string

@description('Name of the hub virtual network.')
param virtualNetworkName string

@description('Address space of the hub virtual network (CIDR).')
param addressSpace string

@description('Address prefix (CIDR) of each hub subnet.')
param subnetPrefixes {
  @description('AzureFirewallSubnet, at least /26.')
  firewall: string
  @description('AzureBastionSubnet, at least /26.')
  bastion: string
  @description('GatewaySubnet for a VPN or ExpressRoute gateway, at least /27.')
  gateway: string
}

@description('Address spaces of the environment spokes, the only sources the firewall allows out.')
param spokeAddressSpaces string[]

@description('Names of the hub resources.')
param names {
  @description('Azure Firewall.')
  firewall: string
  @description('Azure Firewall policy.')
  firewallPolicy: string
  @description('Public IP of the firewall.')
  firewallPublicIp: string
  @description('Azure Bastion host.')
  bastion: string
  @description('Public IP of Bastion.')
  bastionPublicIp: string
  @description('Log Analytics workspace of the hub.')
  logAnalytics: string
}

@description('Deploy Azure Bastion for operator access to the access subnets and a private API server.')
param deployBastion bool

@description('Days the hub Log Analytics workspace keeps the firewall and Bastion logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int

@description('Tags applied to every resource.')
param tags object

/*** RESOURCES ***/

// The hub has its own resource group: it outlives and serves every environment.
resource hubGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

// The hub's own Log Analytics workspace: firewall and Bastion logs belong to the hub, which outlives every environment.
module hubMonitoring 'modules/hub-monitoring.bicep' = {
  scope: hubGroup
  params: {
    location: location
    logAnalyticsName: names.logAnalytics
    retentionInDays: logRetentionDays
    tags: tags
  }
}

// Hub network, firewall with its policy, and Bastion, logging to the hub workspace.
module hubNetwork 'modules/hub-network.bicep' = {
  scope: hubGroup
  params: {
    location: location
    virtualNetworkName: virtualNetworkName
    addressSpace: addressSpace
    subnetPrefixes: subnetPrefixes
    spokeAddressSpaces: spokeAddressSpaces
    names: names
    deployBastion: deployBastion
    logAnalyticsWorkspaceId: hubMonitoring.outputs.logAnalyticsWorkspaceId
    tags: tags
  }
}

/*** OUTPUTS ***/

@description('Resource ID of the hub virtual network.')
output virtualNetworkId string = hubNetwork.outputs.virtualNetworkId

@description('Private IP address of the hub firewall.')
output firewallPrivateIp string = hubNetwork.outputs.firewallPrivateIp

@description('Resource ID of the hub Log Analytics workspace (firewall and Bastion logs).')
output logAnalyticsWorkspaceId string = hubMonitoring.outputs.logAnalyticsWorkspaceId
