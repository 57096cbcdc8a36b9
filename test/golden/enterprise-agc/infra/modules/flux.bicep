/*** PARAMETERS ***/

@description('Name of the AKS cluster.')
param clusterName string

@description('HTTPS URL of the Git repository Flux reconciles.')
param gitRepositoryUrl string

@description('Branch Flux reconciles.')
@minLength(1)
param gitBranch string

@description('Path of the cluster entry point in the repository, e.g. ./clusters/dev.')
param clusterPath string

@description('Variables substituted into the manifests (postBuild.substitute), from deployment outputs.')
param substitute object

@description('Read-only token (Contents: read on this repository) Flux clones the private repository with.')
@secure()
param gitToken string

/*** EXISTING RESOURCES ***/

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: clusterName
}

/*** RESOURCES ***/

// Flux is installed by the AKS extension, so a new cluster needs no kubectl or flux bootstrap to start reconciling.
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
      // The GitOps tree installs its controllers with HelmReleases.
      'helm-controller.enabled': 'true'
      'source-controller.enabled': 'true'
      'kustomize-controller.enabled': 'true'
      'notification-controller.enabled': 'true'
      'image-automation-controller.enabled': 'false'
      'image-reflector-controller.enabled': 'false'
      // Kept on deliberately: every Flux object of the GitOps tree lives in flux-system, where the controllers'
      // flux-applier account exists, and HelmReleases install into their namespaces with targetNamespace.
      'multiTenancy.enforce': 'true'
    }
  }
}

// Points Flux at this repository: one root Kustomization applies the cluster entry point, which orders the rest.
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

/*** OUTPUTS ***/

@description('Name of the Flux configuration.')
output configurationName string = fluxConfiguration.name
