/*** PARAMETERS ***/

@description('Name of the Arc-enabled cluster; names the federated credentials.')
param clusterName string

@description('OIDC issuer URL of the Arc-enabled cluster.')
param oidcIssuerUrl string

@description('Team identities and the service accounts they federate with.')
param teams {
  @description('Kubernetes namespace of the team.')
  namespace: string
  @description('Service account the team workloads run as.')
  serviceAccount: string
  @description('Name of the team managed identity.')
  identityName: string
}[]

/*** EXISTING RESOURCES ***/

// The team identities of the environment, created by the team-identity module.
resource identities 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = [for team in teams: {
  name: team.identityName
}]

/*** RESOURCES ***/

// The same team identity trusts the Arc cluster's issuer too, so the team apps sign in to Key Vault there as well.
// One credential at a time: Entra ID refuses concurrent writes of federated credentials on one identity.
@batchSize(1)
resource arcCredentials 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = [for (team, i) in teams: {
  parent: identities[i]
  name: 'arc-${clusterName}'
  properties: {
    issuer: oidcIssuerUrl
    subject: 'system:serviceaccount:${team.namespace}:${team.serviceAccount}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}]
