/*** PARAMETERS ***/

@description('Azure region of the identity.')
param location string

@description('Name of the user-assigned identity of the AKS control plane.')
@minLength(3)
param clusterIdentityName string

@description('Tags applied to every resource.')
param tags object

/*** RESOURCES ***/

// The control plane runs as a user-assigned identity so its network and DNS rights exist before the cluster does.
resource clusterIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: clusterIdentityName
  location: location
  tags: tags
}

/*** OUTPUTS ***/

@description('Resource ID of the control-plane identity.')
output clusterIdentityId string = clusterIdentity.id

@description('Principal (object) ID of the control-plane identity, for role assignments.')
output clusterPrincipalId string = clusterIdentity.properties.principalId

@description('Client ID of the control-plane identity.')
output clusterClientId string = clusterIdentity.properties.clientId
