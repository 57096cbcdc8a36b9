/*** PARAMETERS ***/

@description('Azure region of the cluster.')
param location string

@description('Name of the AKS cluster, also its DNS prefix.')
@minLength(1)
@maxLength(63)
param clusterName string

@description('Resource group AKS creates for the node resources.')
@maxLength(80)
param nodeResourceGroupName string

@description('Kubernetes version; a minor version lets the auto-upgrade channel pick patches.')
param kubernetesVersion string

@description('Control-plane tier: Standard has the uptime SLA.')
@allowed([
  'Free'
  'Standard'
])
param skuTier string

@description('Resource ID of the user-assigned control-plane identity.')
param clusterIdentityId string

@description('Resource ID of the user-assigned kubelet identity.')
param kubeletIdentityId string

@description('Client ID of the kubelet identity.')
param kubeletClientId string

@description('Principal ID of the kubelet identity.')
param kubeletPrincipalId string

@description('Resource ID of the node subnet.')
param nodeSubnetId string

@description('Resource ID of the private DNS zone of the API server.')
param privateDnsZoneId string

@description('Object IDs of the Entra groups that administer the cluster.')
param adminGroupObjectIds string[]

@description('Node pools of the cluster.')
param agentPools {
  @description('Pool name (lowercase letters and digits).')
  @maxLength(12)
  name: string
  @description('System pools run critical add-ons; user pools run workloads.')
  mode: ('System' | 'User')
  @description('Azure VM size.')
  vmSize: string
  @description('Autoscaler lower bound.')
  minCount: int
  @description('Autoscaler upper bound.')
  maxCount: int
  @description('Availability zones; empty for none.')
  zones: string[]
  @description('Pods per node (with flat Azure CNI, each reserves a subnet address).')
  @minValue(10)
  @maxValue(250)
  maxPods: int
  @description('Ephemeral: the OS disk lives on the VM cache or temp disk (the plan checks it fits); Managed otherwise.')
  osDiskType: ('Ephemeral' | 'Managed')
  @description('OS disk size in GiB.')
  @minValue(30)
  @maxValue(2048)
  osDiskSizeGB: int
  @description('Spot priority (evictable, discounted).')
  spot: bool
  @description('Node taints, key=value:Effect.')
  taints: string[]
  @description('Node labels.')
  labels: object
}[]

@description('Extra nodes added while a pool upgrades (a count or a percentage).')
param maxSurge string

@description('Weekly window for auto-upgrades and node OS updates.')
param maintenanceWindow {
  @description('Day of the weekly window.')
  dayOfWeek: ('Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday')
  @description('Start time, HH:MM.')
  startTime: string
  @description('Length of the window in hours (at least 4).')
  @minValue(4)
  @maxValue(24)
  durationHours: int
  @description('UTC offset of the start time, e.g. +01:00.')
  utcOffset: string
}

@description('Resource ID of the Log Analytics workspace.')
param logAnalyticsWorkspaceId string

@description('Resource ID of the Container Insights data collection rule.')
param containerInsightsRuleId string

@description('Resource ID of the managed Prometheus data collection rule.')
param prometheusRuleId string

@description('Resource ID of the managed Prometheus data collection endpoint.')
param prometheusEndpointId string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

// Spot nodes can be evicted at any moment: no surge upgrades, evicted VMs are deleted, and the price cap is the on-demand price.
var spotSettings = {
  scaleSetPriority: 'Spot'
  scaleSetEvictionPolicy: 'Delete'
  spotMaxPrice: -1
}

var regularSettings = {
  scaleSetPriority: 'Regular'
  upgradeSettings: {
    maxSurge: maxSurge
  }
}

/*** RESOURCES ***/

// The cluster: every setting follows from the platform answers; per-environment sizes come from the parameter file.
resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' = {
  name: clusterName
  location: location
  tags: tags
  sku: {
    name: 'Base'
    tier: skuTier
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${clusterIdentityId}': {}
    }
  }
  properties: {
    kubernetesVersion: kubernetesVersion
    dnsPrefix: clusterName
    nodeResourceGroup: nodeResourceGroupName
    enableRBAC: true
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      enableAzureRBAC: true
      adminGroupObjectIDs: adminGroupObjectIds
      tenantID: tenant().tenantId
    }
    identityProfile: {
      kubeletidentity: {
        resourceId: kubeletIdentityId
        clientId: kubeletClientId
        objectId: kubeletPrincipalId
      }
    }
    apiServerAccessProfile: {
      enablePrivateCluster: true
      privateDNSZone: privateDnsZoneId
      enablePrivateClusterPublicFQDN: false
      disableRunCommand: true
    }
    autoScalerProfile: {
      'balance-similar-node-groups': 'false'
      expander: 'random'
      'max-empty-bulk-delete': '10'
      'max-graceful-termination-sec': '600'
      'max-node-provision-time': '15m'
      'max-total-unready-percentage': '45'
      'new-pod-scale-up-delay': '0s'
      'ok-total-unready-count': '3'
      'scale-down-delay-after-add': '10m'
      'scale-down-delay-after-delete': '20s'
      'scale-down-delay-after-failure': '3m'
      'scale-down-unneeded-time': '10m'
      'scale-down-unready-time': '20m'
      'scale-down-utilization-threshold': '0.5'
      'scan-interval': '10s'
      'skip-nodes-with-local-storage': 'true'
      'skip-nodes-with-system-pods': 'true'
    }
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkDataplane: 'cilium'
      networkPolicy: 'cilium'
      podCidr: '192.168.0.0/16'
      serviceCidr: '172.16.0.0/16'
      dnsServiceIP: '172.16.0.10'
      loadBalancerSku: 'standard'
      outboundType: 'userDefinedRouting'
    }
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
      defender: {
        logAnalyticsWorkspaceResourceId: logAnalyticsWorkspaceId
        securityMonitoring: {
          enabled: true
        }
      }
      imageCleaner: {
        enabled: true
        intervalHours: 168
      }
    }
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'true'
          rotationPollInterval: '2m'
        }
      }
      azurepolicy: {
        enabled: true
      }
      omsagent: {
        enabled: true
        config: {
          logAnalyticsWorkspaceResourceID: logAnalyticsWorkspaceId
          useAADAuth: 'true'
        }
      }
    }
    azureMonitorProfile: {
      metrics: {
        enabled: true
        kubeStateMetrics: {
          metricLabelsAllowlist: ''
          metricAnnotationsAllowList: ''
        }
      }
    }
    autoUpgradeProfile: {
      upgradeChannel: 'patch'
      nodeOSUpgradeChannel: 'None'
    }
    agentPoolProfiles: [for pool in agentPools: union({
      name: pool.name
      mode: pool.mode
      type: 'VirtualMachineScaleSets'
      vmSize: pool.vmSize
      osType: 'Linux'
      osSKU: 'AzureLinux'
      osDiskType: pool.osDiskType
      osDiskSizeGB: pool.osDiskSizeGB
      orchestratorVersion: kubernetesVersion
      count: pool.minCount
      minCount: pool.minCount
      maxCount: pool.maxCount
      enableAutoScaling: true
      availabilityZones: pool.zones
      maxPods: pool.maxPods
      vnetSubnetID: nodeSubnetId
      nodeTaints: pool.taints
      nodeLabels: pool.labels
    }, pool.spot ? spotSettings : regularSettings)]
  }
}

// Kubernetes auto-upgrades run only inside the weekly maintenance window.
resource autoUpgradeSchedule 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations@2026-08-01' = {
  parent: cluster
  name: 'aksManagedAutoUpgradeSchedule'
  properties: {
    maintenanceWindow: {
      schedule: {
        weekly: {
          intervalWeeks: 1
          dayOfWeek: maintenanceWindow.dayOfWeek
        }
      }
      durationHours: maintenanceWindow.durationHours
      startTime: maintenanceWindow.startTime
      utcOffset: maintenanceWindow.utcOffset
    }
  }
}

// The node OS channel is None (Fleet Manager rolls out the node images, stage by stage), so AKS rolls out no node images itself; the same window times them if the channel moves to NodeImage or SecurityPatch.
resource nodeOsUpgradeSchedule 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations@2026-08-01' = {
  parent: cluster
  name: 'aksManagedNodeOSUpgradeSchedule'
  properties: {
    maintenanceWindow: {
      schedule: {
        weekly: {
          intervalWeeks: 1
          dayOfWeek: maintenanceWindow.dayOfWeek
        }
      }
      durationHours: maintenanceWindow.durationHours
      startTime: maintenanceWindow.startTime
      utcOffset: maintenanceWindow.utcOffset
    }
  }
}

// Connects the Container Insights agent to its data collection rule.
resource containerInsightsAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2024-03-11' = {
  scope: cluster
  name: 'ContainerInsightsExtension'
  properties: {
    dataCollectionRuleId: containerInsightsRuleId
    description: 'Container Insights collection for ${clusterName}'
  }
}

// Connects the managed Prometheus add-on to the rule that routes metrics to the Azure Monitor workspace.
resource prometheusAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2024-03-11' = {
  scope: cluster
  name: 'MSProm-${location}-${clusterName}'
  properties: {
    dataCollectionRuleId: prometheusRuleId
    description: 'Managed Prometheus collection for ${clusterName}'
  }
}

// The metrics add-on reads its configuration from the data collection endpoint.
resource prometheusEndpointAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2024-03-11' = {
  scope: cluster
  name: 'configurationAccessEndpoint'
  properties: {
    dataCollectionEndpointId: prometheusEndpointId
  }
}

// Control-plane logs (API server, controller manager, scheduler, autoscaler, admin audit, Entra ID guard) and metrics go where the rest of the platform's logs are.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: cluster
  name: 'to-platform-logs'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'kube-apiserver'
        enabled: true
      }
      {
        category: 'kube-controller-manager'
        enabled: true
      }
      {
        category: 'kube-scheduler'
        enabled: true
      }
      {
        category: 'cluster-autoscaler'
        enabled: true
      }
      {
        category: 'kube-audit-admin'
        enabled: true
      }
      {
        category: 'guard'
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

@description('Name of the AKS cluster.')
output clusterName string = cluster.name

@description('Resource ID of the AKS cluster.')
output clusterId string = cluster.id

@description('OIDC issuer URL of the cluster, trusted by the federated credentials.')
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
