/*** PARAMETERS ***/

@description('Azure region of the identity.')
param location string

@description('Name of the user-assigned identity the kubelets pull images with.')
@minLength(3)
param kubeletIdentityName string

@description('Principal ID of the control-plane identity, which assigns the kubelet identity to the node scale sets.')
param clusterPrincipalId string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var managedIdentityOperatorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f1a07417-d97a-45cb-824c-7a7467783830')

/*** RESOURCES ***/

// A kubelet identity of our own can be granted AcrPull, and nothing else, before the first node boots.
resource kubeletIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: kubeletIdentityName
  location: location
  tags: tags
}

// AKS attaches the kubelet identity to the node scale sets under the control-plane identity: Managed Identity Operator.
resource kubeletIdentityOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: kubeletIdentity
  name: guid(kubeletIdentity.id, clusterPrincipalId, managedIdentityOperatorRoleId)
  properties: {
    roleDefinitionId: managedIdentityOperatorRoleId
    principalId: clusterPrincipalId
    principalType: 'ServicePrincipal'
    description: 'AKS control plane assigns this kubelet identity to the node scale sets'
  }
}

/*** OUTPUTS ***/

@description('Resource ID of the kubelet identity.')
output kubeletIdentityId string = kubeletIdentity.id

@description('Client ID of the kubelet identity.')
output kubeletClientId string = kubeletIdentity.properties.clientId

@description('Principal (object) ID of the kubelet identity.')
output kubeletPrincipalId string = kubeletIdentity.properties.principalId
