/*** PARAMETERS ***/

@description('Azure region of the hub.')
param location string

@description('Name of the hub virtual network.')
@minLength(2)
@maxLength(64)
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
}

@description('Deploy Azure Bastion for operator access to the access subnets and a private API server.')
param deployBastion bool

@description('Resource ID of the Log Analytics workspace that receives the firewall and Bastion logs.')
param logAnalyticsWorkspaceId string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

// Zone-redundant wherever the region has availability zones: ARM answers from each resource type's own zone list at
// deployment time, so no list of regions here goes stale. In a region without zones both lists are empty (regional).
var firewallZones = pickZones('Microsoft.Network', 'azureFirewalls', location, 3)
var publicIpZones = pickZones('Microsoft.Network', 'publicIPAddresses', location, 3)

/*** RESOURCES ***/

// The NSG Microsoft documents for AzureBastionSubnet, rule for rule: Bastion needs every one of them, and nothing more.
resource bastionNsg 'Microsoft.Network/networkSecurityGroups@2026-03-01' = {
  name: 'nsg-${virtualNetworkName}-bastion'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'AllowHttpsInbound'
        properties: {
          description: 'Operators reach Bastion on its public IP over HTTPS'
          direction: 'Inbound'
          access: 'Allow'
          priority: 120
          protocol: 'Tcp'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'AllowGatewayManagerInbound'
        properties: {
          description: 'The Bastion control plane (Gateway Manager)'
          direction: 'Inbound'
          access: 'Allow'
          priority: 130
          protocol: 'Tcp'
          sourceAddressPrefix: 'GatewayManager'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'AllowAzureLoadBalancerInbound'
        properties: {
          description: 'Health probes of the Azure load balancer'
          direction: 'Inbound'
          access: 'Allow'
          priority: 140
          protocol: 'Tcp'
          sourceAddressPrefix: 'AzureLoadBalancer'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '443'
        }
      }
      {
        name: 'AllowBastionHostCommunication'
        properties: {
          description: 'Data plane between the Bastion instances'
          direction: 'Inbound'
          access: 'Allow'
          priority: 150
          protocol: '*'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRanges: [
            '8080'
            '5701'
          ]
        }
      }
      {
        name: 'AllowSshRdpOutbound'
        properties: {
          description: 'Bastion opens SSH and RDP sessions to the target machines over their private IPs'
          direction: 'Outbound'
          access: 'Allow'
          priority: 100
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
      {
        name: 'AllowAzureCloudOutbound'
        properties: {
          description: 'Diagnostics and metering endpoints of Azure'
          direction: 'Outbound'
          access: 'Allow'
          priority: 110
          protocol: 'Tcp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'AzureCloud'
          destinationPortRange: '443'
        }
      }
      {
        name: 'AllowBastionCommunication'
        properties: {
          description: 'Data plane between the Bastion instances'
          direction: 'Outbound'
          access: 'Allow'
          priority: 120
          protocol: '*'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRanges: [
            '8080'
            '5701'
          ]
        }
      }
      {
        name: 'AllowHttpOutbound'
        properties: {
          description: 'Session and certificate validation on the internet'
          direction: 'Outbound'
          access: 'Allow'
          priority: 130
          protocol: '*'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: 'Internet'
          destinationPortRange: '80'
        }
      }
    ]
  }
}

// The hub holds what every spoke shares: the firewall, Bastion and a gateway subnet for on-premises connectivity.
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
        name: 'AzureFirewallSubnet'
        properties: {
          addressPrefix: subnetPrefixes.firewall
        }
      }
      {
        name: 'AzureBastionSubnet'
        properties: {
          addressPrefix: subnetPrefixes.bastion
          networkSecurityGroup: {
            id: bastionNsg.id
          }
        }
      }
      {
        name: 'GatewaySubnet'
        properties: {
          addressPrefix: subnetPrefixes.gateway
        }
      }
    ]
  }
}

resource firewallSubnet 'Microsoft.Network/virtualNetworks/subnets@2026-03-01' existing = {
  parent: virtualNetwork
  name: 'AzureFirewallSubnet'
}

resource bastionSubnet 'Microsoft.Network/virtualNetworks/subnets@2026-03-01' existing = {
  parent: virtualNetwork
  name: 'AzureBastionSubnet'
}

// The firewall's own outbound address: what external services see and can allow-list.
resource firewallPublicIp 'Microsoft.Network/publicIPAddresses@2026-03-01' = {
  name: names.firewallPublicIp
  location: location
  tags: tags
  zones: publicIpZones
  sku: {
    name: 'Standard'
    tier: 'Regional'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

// Rules live in a policy, so they can be reviewed and changed without touching the firewall itself.
resource firewallPolicy 'Microsoft.Network/firewallPolicies@2026-03-01' = {
  name: names.firewallPolicy
  location: location
  tags: tags
  properties: {
    sku: {
      tier: 'Standard'
    }
    threatIntelMode: 'Deny'
  }
}

// Exactly what AKS and the selected add-ons need; everything else leaving the spokes is denied.
resource aksEgressRules 'Microsoft.Network/firewallPolicies/ruleCollectionGroups@2026-03-01' = {
  parent: firewallPolicy
  name: 'aks-egress'
  properties: {
    priority: 200
    ruleCollections: [
      {
        ruleCollectionType: 'FirewallPolicyFilterRuleCollection'
        name: 'aks-application'
        priority: 200
        action: {
          type: 'Allow'
        }
        rules: [
          {
            ruleType: 'ApplicationRule'
            name: 'aks-fqdn-tag'
            description: 'Everything AKS itself needs (images, packages, control plane)'
            protocols: [
              {
                protocolType: 'Https'
                port: 443
              }
              {
                protocolType: 'Http'
                port: 80
              }
            ]
            sourceAddresses: spokeAddressSpaces
            fqdnTags: [
              'AzureKubernetesService'
            ]
          }
          {
            ruleType: 'ApplicationRule'
            name: 'azure-monitor'
            description: 'Container Insights, managed Prometheus and Defender send data to Azure Monitor'
            protocols: [
              {
                protocolType: 'Https'
                port: 443
              }
            ]
            sourceAddresses: spokeAddressSpaces
            targetFqdns: [
              'dc.services.visualstudio.com'
              '*.ods.opinsights.azure.com'
              '*.oms.opinsights.azure.com'
              '*.monitoring.azure.com'
              'global.handler.control.monitor.azure.com'
              '${location}.handler.control.monitor.azure.com'
              '*.ingest.monitor.azure.com'
              '*.metrics.ingest.monitor.azure.com'
            ]
          }
          {
            ruleType: 'ApplicationRule'
            name: 'defender'
            description: 'Microsoft Defender for Containers sensor'
            protocols: [
              {
                protocolType: 'Https'
                port: 443
              }
            ]
            sourceAddresses: spokeAddressSpaces
            targetFqdns: [
              '*.cloud.defender.microsoft.com'
            ]
          }
          {
            ruleType: 'ApplicationRule'
            name: 'azure-policy'
            description: 'Azure Policy add-on fetches and reports policy, and sends its telemetry'
            protocols: [
              {
                protocolType: 'Https'
                port: 443
              }
            ]
            sourceAddresses: spokeAddressSpaces
            targetFqdns: [
              'data.policy.${environment().suffixes.storage}'
              'store.policy.${environment().suffixes.storage}'
              'dc.services.visualstudio.com'
            ]
          }
          {
            ruleType: 'ApplicationRule'
            name: 'key-vault'
            description: 'Secrets Store CSI driver reads Key Vault (private endpoint first, this rule as a fallback)'
            protocols: [
              {
                protocolType: 'Https'
                port: 443
              }
            ]
            sourceAddresses: spokeAddressSpaces
            targetFqdns: [
              '*${environment().suffixes.keyvaultDns}'
            ]
          }
          {
            ruleType: 'ApplicationRule'
            name: 'container-registry'
            description: 'Nodes pull images from the environment registry'
            protocols: [
              {
                protocolType: 'Https'
                port: 443
              }
            ]
            sourceAddresses: spokeAddressSpaces
            targetFqdns: [
              '*.azurecr.io'
              '*.${location}.data.azurecr.io'
            ]
          }
          {
            ruleType: 'ApplicationRule'
            name: 'cluster-extensions'
            description: 'The Flux extension fetches its configuration, reports its status and sends its agent metrics'
            protocols: [
              {
                protocolType: 'Https'
                port: 443
              }
            ]
            sourceAddresses: spokeAddressSpaces
            targetFqdns: [
              '${location}.dp.kubernetesconfiguration.azure.com'
              '*.ingestion.msftcloudes.com'
              '*.microsoftmetrics.com'
            ]
          }
          {
            ruleType: 'ApplicationRule'
            name: 'gitops'
            description: 'Flux pulls this repository and the Helm charts it installs'
            protocols: [
              {
                protocolType: 'Https'
                port: 443
              }
            ]
            sourceAddresses: spokeAddressSpaces
            targetFqdns: [
              '*.data.mcr.microsoft.com'
              'github.com'
              'mcr.microsoft.com'
            ]
          }
          {
            ruleType: 'ApplicationRule'
            name: 'images-example-workload'
            description: 'Images of the example workload of each team from registry.k8s.io'
            protocols: [
              {
                protocolType: 'Https'
                port: 443
              }
            ]
            sourceAddresses: spokeAddressSpaces
            targetFqdns: [
              'registry.k8s.io'
              '*.pkg.dev'
              'd39mqg4b1dx9z1.cloudfront.net'
              'prod-registry-k8s-io-ap-northeast-1.s3.dualstack.ap-northeast-1.amazonaws.com'
              'prod-registry-k8s-io-ap-south-1.s3.dualstack.ap-south-1.amazonaws.com'
              'prod-registry-k8s-io-ap-southeast-1.s3.dualstack.ap-southeast-1.amazonaws.com'
              'prod-registry-k8s-io-eu-central-1.s3.dualstack.eu-central-1.amazonaws.com'
              'prod-registry-k8s-io-eu-west-1.s3.dualstack.eu-west-1.amazonaws.com'
              'prod-registry-k8s-io-us-east-1.s3.dualstack.us-east-1.amazonaws.com'
              'prod-registry-k8s-io-us-east-2.s3.dualstack.us-east-2.amazonaws.com'
              'prod-registry-k8s-io-us-west-1.s3.dualstack.us-west-1.amazonaws.com'
              'prod-registry-k8s-io-us-west-2.s3.dualstack.us-west-2.amazonaws.com'
            ]
          }
        ]
      }
    ]
  }
}

// Azure Firewall Standard inspects and allows the spokes' outbound traffic; its private IP is the spokes' next hop.
resource firewall 'Microsoft.Network/azureFirewalls@2026-03-01' = {
  name: names.firewall
  location: location
  tags: tags
  zones: firewallZones
  dependsOn: [
    aksEgressRules
  ]
  properties: {
    sku: {
      name: 'AZFW_VNet'
      tier: 'Standard'
    }
    firewallPolicy: {
      id: firewallPolicy.id
    }
    ipConfigurations: [
      {
        name: 'ipconfig'
        properties: {
          subnet: {
            id: firewallSubnet.id
          }
          publicIPAddress: {
            id: firewallPublicIp.id
          }
        }
      }
    ]
  }
}

// Bastion's public address; operators never need a public IP on a VM.
resource bastionPublicIp 'Microsoft.Network/publicIPAddresses@2026-03-01' = if (deployBastion) {
  name: names.bastionPublicIp
  location: location
  tags: tags
  zones: publicIpZones
  sku: {
    name: 'Standard'
    tier: 'Regional'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

// Bastion (Standard, with native client tunnelling) lets operators reach jump hosts and a private API server.
resource bastion 'Microsoft.Network/bastionHosts@2026-03-01' = if (deployBastion) {
  name: names.bastion
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    enableTunneling: true
    ipConfigurations: [
      {
        name: 'ipconfig'
        properties: {
          subnet: {
            id: bastionSubnet.id
          }
          publicIPAddress: {
            id: bastionPublicIp.id
          }
        }
      }
    ]
  }
}

// Every allow and deny of the firewall, in the resource-specific AZFW* tables rather than AzureDiagnostics.
resource firewallDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: firewall
  name: 'to-hub-logs'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'AZFWNetworkRule'
        enabled: true
      }
      {
        category: 'AZFWApplicationRule'
        enabled: true
      }
      {
        category: 'AZFWNatRule'
        enabled: true
      }
      {
        category: 'AZFWThreatIntel'
        enabled: true
      }
      {
        category: 'AZFWDnsQuery'
        enabled: true
      }
      {
        category: 'AZFWFqdnResolveFailure'
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

// Who opened which session through Bastion, for the audit trail of operator access.
resource bastionDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (deployBastion) {
  scope: bastion
  name: 'to-hub-logs'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
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

/*** OUTPUTS ***/

@description('Resource ID of the hub virtual network.')
output virtualNetworkId string = virtualNetwork.id

@description('Private IP address of the firewall, the next hop of the spokes.')
output firewallPrivateIp string = firewall.properties.ipConfigurations[0].properties.privateIPAddress
