/*** PARAMETERS ***/

@description('Principal ID of the ALB Controller identity.')
param controllerPrincipalId string

/*** VARIABLES ***/

var readerRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')

/*** RESOURCES ***/

// The ALB Controller reads the cluster's node resource group (its network resources), as its installation documents.
resource nodeResourceGroupReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, controllerPrincipalId, readerRoleId)
  properties: {
    roleDefinitionId: readerRoleId
    principalId: controllerPrincipalId
    principalType: 'ServicePrincipal'
    description: 'The ALB Controller reads the node resource group of its cluster'
  }
}
