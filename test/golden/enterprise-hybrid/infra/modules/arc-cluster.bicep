/*** PARAMETERS ***/

@description('Name of the Arc-enabled cluster (connected with az connectedk8s connect, see docs/arc-onboarding.md).')
param clusterName string

@description('Log Analytics workspace of the environment, where Container Insights writes.')
param logAnalyticsWorkspaceId string

@description('Container Insights data collection rule of the environment.')
param containerInsightsRuleId string

@description('How often the Secrets Store CSI driver re-reads Key Vault, e.g. 2m.')
param rotationPollInterval string

@description('Also sync mounted secrets to Kubernetes Secrets.')
param syncSecrets bool

@description('Object IDs of the Entra groups that administer the cluster.')
param adminGroupObjectIds string[]

@description('Team namespaces and the Entra group that deploys to each.')
param teamGroups {
  @description('Kubernetes namespace of the team.')
  namespace: string
  @description('Object ID of the team Entra group.')
  groupObjectId: string
}[]

@description('HTTPS URL of the Git repository Flux reconciles.')
param gitRepositoryUrl string

@description('Branch Flux reconciles.')
@minLength(1)
param gitBranch string

@description('Path of the cluster entry point in the repository, e.g. ./clusters/edge-a.')
param clusterPath string

@description('Variables substituted into the manifests (postBuild.substitute), from deployment outputs.')
param substitute object

@description('Read-only token (Contents: read on this repository) Flux clones the private repository with.')
@secure()
param gitToken string

/*** VARIABLES ***/

var clusterUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '00493d72-78f6-4148-b6c5-d3ce8e4799dd')
var clusterAdminRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8393591c-06b9-48a2-a542-1bd6b377f6a2')
var writerRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '5b999177-9696-4545-85c7-50de3797e5a1')

/*** EXISTING RESOURCES ***/

// Connected from inside the cluster (az connectedk8s connect); Bicep only adds to it.
resource cluster 'Microsoft.Kubernetes/connectedClusters@2024-12-01-preview' existing = {
  name: clusterName
}

// Azure RBAC on Arc accepts a namespace under the cluster as a role assignment scope; ARM has no type for it.
#disable-next-line BCP081
resource teamNamespaces 'Microsoft.Kubernetes/connectedClusters/namespaces@2024-12-01-preview' existing = [for team in teamGroups: {
  parent: cluster
  name: team.namespace
}]

/*** RESOURCES ***/

// Flux as an Arc cluster extension, the same controllers the AKS clusters get.
resource fluxExtension 'Microsoft.KubernetesConfiguration/extensions@2025-03-01' = {
  scope: cluster
  name: 'flux'
  properties: {
    extensionType: 'microsoft.flux'
    autoUpgradeMinorVersion: true
    releaseTrain: 'Stable'
    scope: {
      cluster: {
        releaseNamespace: 'flux-system'
      }
    }
    configurationSettings: {
      'helm-controller.enabled': 'true'
      'source-controller.enabled': 'true'
      'kustomize-controller.enabled': 'true'
      'notification-controller.enabled': 'true'
      'image-automation-controller.enabled': 'false'
      'image-reflector-controller.enabled': 'false'
    }
  }
}

// Points Flux at this cluster's entry point, which applies the overlays of its environment.
resource fluxConfiguration 'Microsoft.KubernetesConfiguration/fluxConfigurations@2025-04-01' = {
  scope: cluster
  name: 'platform'
  dependsOn: [
    fluxExtension
  ]
  properties: {
    scope: 'cluster'
    namespace: 'flux-system'
    sourceKind: 'GitRepository'
    suspend: false
    gitRepository: {
      url: gitRepositoryUrl
      // GitHub takes a token as the password of any user name.
      httpsUser: 'git'
      repositoryRef: {
        branch: gitBranch
      }
      syncIntervalInSeconds: 300
      timeoutInSeconds: 180
    }
    // Stored encrypted by the extension; never returned by a read.
    configurationProtectedSettings: {
      httpsKey: base64(gitToken)
    }
    kustomizations: {
      cluster: {
        path: clusterPath
        prune: true
        wait: true
        syncIntervalInSeconds: 600
        retryIntervalInSeconds: 120
        timeoutInSeconds: 600
        postBuild: {
          substitute: substitute
        }
      }
    }
  }
}

// Container Insights as an Arc extension, signing in with the cluster's managed identity (no workspace key).
resource containerInsights 'Microsoft.KubernetesConfiguration/extensions@2025-03-01' = {
  scope: cluster
  name: 'azuremonitor-containers'
  properties: {
    extensionType: 'Microsoft.AzureMonitor.Containers'
    autoUpgradeMinorVersion: true
    releaseTrain: 'Stable'
    configurationSettings: {
      logAnalyticsWorkspaceResourceID: logAnalyticsWorkspaceId
      'amalogs.useAADAuth': 'true'
    }
  }
}

// The environment's collection rule, the same one its AKS cluster uses.
resource containerInsightsAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2024-03-11' = {
  scope: cluster
  name: 'ContainerInsightsExtension'
  properties: {
    dataCollectionRuleId: containerInsightsRuleId
    description: 'Container Insights collection for ${clusterName}'
  }
  dependsOn: [
    containerInsights
  ]
}

// The Secrets Store CSI driver with the Key Vault provider: on AKS an add-on, on Arc this extension.
resource keyVaultSecretsProvider 'Microsoft.KubernetesConfiguration/extensions@2025-03-01' = {
  scope: cluster
  name: 'akvsecretsprovider'
  properties: {
    extensionType: 'Microsoft.AzureKeyVaultSecretsProvider'
    autoUpgradeMinorVersion: true
    releaseTrain: 'Stable'
    configurationSettings: {
      'secrets-store-csi-driver.enableSecretRotation': 'true'
      'secrets-store-csi-driver.rotationPollInterval': rotationPollInterval
      'secrets-store-csi-driver.syncSecret.enabled': string(syncSecrets)
    }
  }
}

// Azure Policy for Kubernetes (Gatekeeper), so the environment's assignments reach this cluster too.
resource azurePolicy 'Microsoft.KubernetesConfiguration/extensions@2025-03-01' = {
  scope: cluster
  name: 'azurepolicy'
  properties: {
    extensionType: 'Microsoft.PolicyInsights'
    autoUpgradeMinorVersion: true
    releaseTrain: 'Stable'
  }
}

// Admins reach the cluster through cluster connect (az connectedk8s proxy) with their Entra ID sign-in.
resource adminClusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for groupId in adminGroupObjectIds: {
  scope: cluster
  name: guid(cluster.id, groupId, clusterUserRoleId)
  properties: {
    roleDefinitionId: clusterUserRoleId
    principalId: groupId
    principalType: 'Group'
    description: 'Platform admins connect to the cluster'
  }
}]

// Team members connect too; what they may do inside is granted per namespace.
resource teamClusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for team in teamGroups: {
  scope: cluster
  name: guid(cluster.id, team.groupObjectId, clusterUserRoleId)
  properties: {
    roleDefinitionId: clusterUserRoleId
    principalId: team.groupObjectId
    principalType: 'Group'
    description: 'Team ${team.namespace} connects to the cluster'
  }
}]

// Authorization is Azure RBAC (enabled at onboarding): the platform admins are cluster admins inside Kubernetes.
resource adminClusterAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for groupId in adminGroupObjectIds: {
  scope: cluster
  name: guid(cluster.id, groupId, clusterAdminRoleId)
  properties: {
    roleDefinitionId: clusterAdminRoleId
    principalId: groupId
    principalType: 'Group'
    description: 'Platform admins administer Kubernetes'
  }
}]

// Each team writes workloads in its own namespace only: Azure Arc Kubernetes Writer scoped to the namespace.
resource teamNamespaceWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (team, i) in teamGroups: {
  scope: teamNamespaces[i]
  name: guid(cluster.id, team.namespace, team.groupObjectId, writerRoleId)
  properties: {
    roleDefinitionId: writerRoleId
    principalId: team.groupObjectId
    principalType: 'Group'
    description: 'Team ${team.namespace} deploys to its namespace'
  }
}]

/*** OUTPUTS ***/

@description('Resource ID of the connected cluster.')
output clusterId string = cluster.id

@description('OIDC issuer of the cluster (connected with --enable-oidc-issuer), trusted by the team identities.')
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.?issuerUrl ?? ''
