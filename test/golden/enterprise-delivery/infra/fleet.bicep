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
  }
}

/*** OUTPUTS ***/

@description('Resource ID of the fleet.')
output fleetId string = fleet.outputs.fleetId

@description('Resource ID of the update strategy the pipelines and auto-upgrade profiles run with.')
output updateStrategyId string = fleet.outputs.updateStrategyId
