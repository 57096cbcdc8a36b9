using 'main.bicep'

param location = 'westeurope'

param environmentName = 'prod'

param names = {
  resourceGroup: 'rg-core-prod-westeurope'
  cluster: 'aks-core-prod-westeurope'
  nodeResourceGroup: 'rg-core-prod-westeurope-nodes'
  virtualNetwork: 'vnet-core-prod-westeurope'
  keyVaultPrefix: 'kv-core-prod-'
  registryPrefix: 'crcontosocoreprod'
  logKeyVaultPrefix: 'kvlogcoreprod'
  logStoragePrefix: 'stlogcoreprod'
  clusterIdentity: 'id-aks-core-prod-westeurope'
  kubeletIdentity: 'id-kubelet-core-prod-westeurope'
  logAnalytics: 'log-core-prod-westeurope'
  monitorWorkspace: 'amw-core-prod-westeurope'
  grafana: 'amg-core-prod'
  eventHubsPrefix: 'evhns-core-prod-'
  routeTable: 'rt-core-prod-westeurope'
  natGateway: 'ng-core-prod-westeurope'
  actionGroup: 'ag-core-prod-westeurope'
}

param tags = {
  platform: 'core'
  managedBy: 'generator-aks-platform'
}

param adminGroupObjectIds = []

param addressSpace = '10.2.0.0/16'

param subnetPrefixes = {
  nodes: '10.2.0.0/22'
  ingress: '10.2.4.0/24'
  privateEndpoints: '10.2.5.0/24'
  access: '10.2.6.0/24'
}

param logRetentionDays = 30

param zoneRedundant = true

param kubernetesVersion = readEnvironmentVariable('AKS_KUBERNETES_VERSION', '1.36')

param skuTier = 'Standard'

param agentPools = [
  {
    name: 'system'
    mode: 'System'
    vmSize: 'Standard_D4ds_v5'
    minCount: 3
    maxCount: 5
    zones: [
      '1'
      '2'
      '3'
    ]
    maxPods: 250
    osDiskType: 'Ephemeral'
    osDiskSizeGB: 128
    spot: false
    taints: [
      'CriticalAddonsOnly=true:NoSchedule'
    ]
    labels: {}
  }
  {
    name: 'user'
    mode: 'User'
    vmSize: 'Standard_D4ds_v5'
    minCount: 3
    maxCount: 10
    zones: [
      '1'
      '2'
      '3'
    ]
    maxPods: 250
    osDiskType: 'Ephemeral'
    osDiskSizeGB: 128
    spot: false
    taints: []
    labels: {}
  }
]

param maxSurge = '33%'

param maintenanceWindow = {
  dayOfWeek: 'Tuesday'
  startTime: '09:00'
  durationHours: 4
  utcOffset: '+00:00'
}

param wafMode = 'Prevention'

param policyEffect = 'Deny'

param fluxGitToken = readEnvironmentVariable('FLUX_GIT_TOKEN', '')
