/*** PARAMETERS ***/

@description('Azure region of the fleet.')
param location string

@description('Name of the Fleet Manager (hubless).')
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

@description('Stages of the update strategy, in order.')
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

/*** VARIABLES ***/

// The auto-upgrade profiles run unattended: a soak between stages, never a gate nobody approves.
var automaticStages = [for stage in stages: {
  name: stage.name
  groups: stage.groups
  afterStageWaitInSeconds: stage.afterStageWaitInSeconds
}]

// The upgrade pipelines approve each stage after the first from a job in that stage's environment.
var approvedStages = [for stage in stages: {
  name: stage.name
  groups: stage.groups
  afterStageWaitInSeconds: stage.afterStageWaitInSeconds
  beforeGates: empty(stage.approvalGate) ? [] : [
    {
      displayName: stage.approvalGate
      type: 'Approval'
    }
  ]
}]

/*** EXISTING RESOURCES ***/

// The member clusters, created by the environment deployments that ran before this one.
resource clusters 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = [for member in members: {
  scope: resourceGroup(member.resourceGroup)
  name: member.clusterName
}]

resource fleetOperator 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = if (!empty(fleetOperatorIdentityName)) {
  scope: resourceGroup(pipelineIdentityResourceGroupName)
  name: fleetOperatorIdentityName
}

/*** RESOURCES ***/

// Hubless: the fleet orchestrates updates only, with no hub cluster to run or pay for.
resource fleet 'Microsoft.ContainerService/fleets@2026-06-01' = {
  name: fleetName
  location: location
  tags: tags
  properties: {}
}

// Every AKS cluster joins, in the update group of its environment.
resource fleetMembers 'Microsoft.ContainerService/fleets/members@2026-06-01' = [for (member, i) in members: {
  parent: fleet
  name: member.name
  properties: {
    clusterResourceId: clusters[i].id
    group: member.group
  }
}]

// Environments in order, a soak between stages: what a staged update run and the auto-upgrade profiles follow.
resource updateStrategy 'Microsoft.ContainerService/fleets/updateStrategies@2026-06-01' = {
  parent: fleet
  name: 'staged'
  properties: {
    strategy: {
      stages: automaticStages
    }
  }
  dependsOn: [
    fleetMembers
  ]
}

// The same stages, each after the first behind an approval gate: what the upgrade pipelines create update runs with.
resource pipelineStrategy 'Microsoft.ContainerService/fleets/updateStrategies@2026-06-01' = {
  parent: fleet
  name: 'staged-approvals'
  properties: {
    strategy: {
      stages: approvedStages
    }
  }
  dependsOn: [
    fleetMembers
  ]
}

// The upgrade pipelines create, start and watch update runs and approve their gates, on this fleet only.
resource fleetOperatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(fleetOperatorIdentityName)) {
  scope: fleet
  name: guid(fleet.id, fleetOperatorIdentityName, '63bb64ad-9799-4770-b5c3-24ed299a07bf')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '63bb64ad-9799-4770-b5c3-24ed299a07bf')
    principalId: fleetOperator!.properties.principalId
    principalType: 'ServicePrincipal'
    description: 'Upgrade pipelines run and approve fleet update runs'
  }
}

// New Kubernetes versions and node images start an update run through the staged strategy by themselves.
resource autoUpgrade 'Microsoft.ContainerService/fleets/autoUpgradeProfiles@2026-06-01' = [for profile in autoUpgradeProfiles: {
  parent: fleet
  name: profile.name
  properties: {
    channel: profile.channel
    updateStrategyId: updateStrategy.id
    nodeImageSelection: {
      // Every cluster gets the newest image of its region rather than the oldest common one.
      type: 'Latest'
    }
    disabled: false
  }
}]

/*** OUTPUTS ***/

@description('Resource ID of the fleet.')
output fleetId string = fleet.id

@description('Resource ID of the update strategy.')
output updateStrategyId string = updateStrategy.id

@description('Resource ID of the update strategy the upgrade pipelines run with.')
output pipelineStrategyId string = pipelineStrategy.id
