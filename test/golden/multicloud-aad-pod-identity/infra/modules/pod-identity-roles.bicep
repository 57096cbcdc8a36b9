/*** PARAMETERS ***/

@description('Principal ID of the kubelet identity, under which AAD Pod Identity assigns identities to the nodes.')
param kubeletPrincipalId string

/*** VARIABLES ***/

var virtualMachineContributorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '9980e02c-c2be-4d73-94e8-173b1dc7cf3c')
var managedIdentityOperatorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f1a07417-d97a-45cb-824c-7a7467783830')

/*** RESOURCES ***/

// AAD Pod Identity attaches identities to the node scale sets of this (node) resource group: Virtual Machine Contributor.
resource kubeletVmContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, kubeletPrincipalId, virtualMachineContributorRoleId)
  properties: {
    roleDefinitionId: virtualMachineContributorRoleId
    principalId: kubeletPrincipalId
    principalType: 'ServicePrincipal'
    description: 'AAD Pod Identity assigns identities to the node scale sets'
  }
}

// AAD Pod Identity also uses the identities AKS keeps in the node resource group: Managed Identity Operator here.
resource kubeletIdentityOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, kubeletPrincipalId, managedIdentityOperatorRoleId)
  properties: {
    roleDefinitionId: managedIdentityOperatorRoleId
    principalId: kubeletPrincipalId
    principalType: 'ServicePrincipal'
    description: 'AAD Pod Identity uses the identities of the node resource group'
  }
}
