targetScope = 'subscription'

/*** PARAMETERS ***/

@description('Azure region of the fleet.')
param location string

@description('Resource group that holds the fleet.')
@minLength(1)
@maxLength(90)
param resourceGroupName string

@description('Name of the Fleet Manager (hubless).')
@minLength(1)
@maxLength(63)
param fleetName string

@description('The AKS clusters of the platform, each a member in the update group of its environment.')
param members {
  @description('Member name: the environment.')
  name: string
  @description('Update group of the member: its environment.')
  group: string
  @description('Resource group of the AKS cluster.')
  resourceGroup: string
  @description('Name of the AKS cluster.')
  clusterName: string
}[]

@description('Stages of the update strategy, in order; every member group in exactly one stage.')
param stages {
  @description('Stage name.')
  name: string
  @description('Update groups (environments) updated together in this stage.')
  groups: {
    @description('Update group: an environment.')
    name: string
  }[]
  @description('Soak time before the next stage starts.')
  afterStageWaitInSeconds: int
  @description('Display name of the approval gate before the stage in the pipelines\' strategy; empty for none.')
  approvalGate: string
}[]

@description('Auto-upgrade profiles: the channel each one follows through the update strategy.')
param autoUpgradeProfiles {
  @description('Profile name.')
  name: string
  @description('Fleet auto-upgrade channel.')
  channel: ('Stable' | 'Rapid' | 'NodeImage')
}[]

@description('Tags applied to every resource.')
param tags object

@description('Resource group of the pipeline identities (infra/bootstrap).')
param pipelineIdentityResourceGroupName string

@description('Name of the identity the upgrade pipelines drive update runs as, created by infra/bootstrap; empty without pipelines.')
param fleetOperatorIdentityName string

/*** RESOURCES ***/

// The fleet outlives every environment, so it has a resource group of its own.
resource fleetGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

// Fleet, members, update strategy and auto-upgrade profiles; deployed after the environments whose clusters join.
module fleet 'modules/fleet.bicep' = {
  scope: fleetGroup
  params: {
    location: location
    fleetName: fleetName
    members: members
    stages: stages
    autoUpgradeProfiles: autoUpgradeProfiles
    tags: tags
    pipelineIdentityResourceGroupName: pipelineIdentityResourceGroupName
    fleetOperatorIdentityName: fleetOperatorIdentityName
  }
}

/*** OUTPUTS ***/

@description('Resource ID of the fleet.')
output fleetId string = fleet.outputs.fleetId

@description('Resource ID of the update strategy the auto-upgrade profiles run with.')
output updateStrategyId string = fleet.outputs.updateStrategyId

@description('Resource ID of the update strategy the upgrade pipelines run with, an approval before each later stage.')
output pipelineStrategyId string = fleet.outputs.pipelineStrategyId
