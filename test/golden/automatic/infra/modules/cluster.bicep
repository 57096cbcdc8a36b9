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

@description('Resource ID of the subnet the AKS-managed system nodes join (AKS Automatic).')
param systemNodeSubnetId string

@description('Resource ID of the delegated API server subnet.')
param apiServerSubnetId string

@description('Resource ID of the private DNS zone of the API server.')
param privateDnsZoneId string

@description('Object IDs of the Entra groups that administer the cluster.')
param adminGroupObjectIds string[]

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


/*** RESOURCES ***/

// The cluster: every setting follows from the platform answers; per-environment sizes come from the parameter file.
resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' = {
  name: clusterName
  location: location
  tags: tags
  sku: {
    name: 'Automatic'
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
      enableVnetIntegration: true
      subnetId: apiServerSubnetId
      disableRunCommand: true
    }
    nodeProvisioningProfile: {
      mode: 'Auto'
      defaultNodePools: 'Auto'
    }
    hostedSystemProfile: {
      enabled: true
      systemNodeSubnetID: systemNodeSubnetId
      nodeSubnetID: nodeSubnetId
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
    ingressProfile: {
      webAppRouting: {
        enabled: true
        gatewayAPIImplementations: {
          appRoutingIstio: {
            mode: 'Enabled'
          }
        }
        nginx: {
          defaultIngressControllerType: 'None'
        }
      }
      gatewayAPI: {
        installation: 'Standard'
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
      upgradeChannel: 'stable'
      nodeOSUpgradeChannel: 'NodeImage'
    }
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

// Node OS updates roll out only inside the weekly maintenance window.
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
