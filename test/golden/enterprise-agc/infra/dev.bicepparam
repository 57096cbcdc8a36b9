using 'main.bicep'

param location = 'westeurope'

param environmentName = 'dev'

param names = {
  resourceGroup: 'rg-core-dev-westeurope'
  cluster: 'aks-core-dev-westeurope'
  nodeResourceGroup: 'rg-core-dev-westeurope-nodes'
  virtualNetwork: 'vnet-core-dev-westeurope'
  keyVaultPrefix: 'kv-core-dev-'
  registryPrefix: 'crcontosocoredev'
  logKeyVaultPrefix: 'kvlogcoredev'
  logStoragePrefix: 'stlogcoredev'
  clusterIdentity: 'id-aks-core-dev-westeurope'
  kubeletIdentity: 'id-kubelet-core-dev-westeurope'
  logAnalytics: 'log-core-dev-westeurope'
  monitorWorkspace: 'amw-core-dev-westeurope'
  grafana: 'amg-core-dev'
  eventHubsPrefix: 'evhns-core-dev-'
  routeTable: 'rt-core-dev-westeurope'
  natGateway: 'ng-core-dev-westeurope'
  actionGroup: 'ag-core-dev-westeurope'
}

param tags = {
  platform: 'core'
  managedBy: 'generator-aks-platform'
}

param adminGroupObjectIds = []

param addressSpace = '10.1.0.0/16'

param subnetPrefixes = {
  nodes: '10.1.0.0/22'
  ingress: '10.1.4.0/24'
  privateEndpoints: '10.1.5.0/24'
  access: '10.1.6.0/24'
}

param logRetentionDays = 30

param zoneRedundant = false

param kubernetesVersion = readEnvironmentVariable('AKS_KUBERNETES_VERSION', '1.36')

param skuTier = 'Free'

param agentPools = [
  {
    name: 'system'
    mode: 'System'
    vmSize: 'Standard_D4ds_v5'
    minCount: 2
    maxCount: 3
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
    minCount: 2
    maxCount: 4
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

param wafMode = 'Detection'

param policyEffect = 'Audit'

param fluxGitToken = readEnvironmentVariable('FLUX_GIT_TOKEN', '')
