using 'hub.bicep'

param location = 'westeurope'

param resourceGroupName = 'rg-core-hub-westeurope'

param virtualNetworkName = 'vnet-core-hub-westeurope'

param addressSpace = '10.0.0.0/22'

param subnetPrefixes = {
  firewall: '10.0.0.0/26'
  bastion: '10.0.0.64/26'
  gateway: '10.0.0.128/27'
}

param spokeAddressSpaces = [
  '10.1.0.0/16'
  '10.2.0.0/16'
]

param names = {
  firewall: 'afw-core-hub-westeurope'
  firewallPolicy: 'afwp-core-hub-westeurope'
  firewallPublicIp: 'pip-afw-core-hub-westeurope'
  bastion: 'bas-core-hub-westeurope'
  bastionPublicIp: 'pip-bas-core-hub-westeurope'
  logAnalytics: 'log-core-hub-westeurope'
}

param deployBastion = true

param logRetentionDays = 30

param tags = {
  environment: 'hub'
  platform: 'core'
  managedBy: 'generator-aks-platform'
}
