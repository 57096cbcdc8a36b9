using 'fleet.bicep'

param location = 'westeurope'

param resourceGroupName = 'rg-core-fleet-westeurope'

param fleetName = 'fleet-core-westeurope'

param members = [
  {
    name: 'dev'
    group: 'dev'
    resourceGroup: 'rg-core-dev-westeurope'
    clusterName: 'aks-core-dev-westeurope'
  }
  {
    name: 'prod'
    group: 'prod'
    resourceGroup: 'rg-core-prod-westeurope'
    clusterName: 'aks-core-prod-westeurope'
  }
]

param stages = [
  {
    name: 'dev'
    groups: [
      {
        name: 'dev'
      }
    ]
    afterStageWaitInSeconds: 3600
    approvalGate: ''
  }
  {
    name: 'prod'
    groups: [
      {
        name: 'prod'
      }
    ]
    afterStageWaitInSeconds: 0
    approvalGate: 'Approve prod'
  }
]

param autoUpgradeProfiles = [
  {
    name: 'node-image'
    channel: 'NodeImage'
  }
]

param tags = {
  environment: 'fleet'
  platform: 'core'
  managedBy: 'generator-aks-platform'
}

param pipelineIdentityResourceGroupName = 'rg-core-pipeline-westeurope'

param fleetOperatorIdentityName = 'id-core-fleet-operator'
