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

param kubernetesVersion = readEnvironmentVariable('AKS_KUBERNETES_VERSION', '1.36')

param skuTier = 'Free'

param agentPools = [
  {
    name: 'system'
    mode: 'System'
    vmSize: 'Standard_D2ds_v5'
    minCount: 1
    maxCount: 2
    zones: []
    maxPods: 250
    osDiskType: 'Ephemeral'
    osDiskSizeGB: 64
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
    minCount: 0
    maxCount: 3
    zones: []
    maxPods: 250
    osDiskType: 'Ephemeral'
    osDiskSizeGB: 128
    spot: false
    taints: []
    labels: {}
  }
  {
    name: 'spot'
    mode: 'User'
    vmSize: 'Standard_D4ds_v5'
    minCount: 0
    maxCount: 5
    zones: []
    maxPods: 250
    osDiskType: 'Ephemeral'
    osDiskSizeGB: 128
    spot: true
    taints: [
      'kubernetes.azure.com/scalesetpriority=spot:NoSchedule'
    ]
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

param authorizedIpRanges = [
  '203.0.113.0/24'
]

param policyEffect = 'Audit'
