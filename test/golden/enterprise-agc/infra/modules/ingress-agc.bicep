/*** PARAMETERS ***/

@description('Azure region of Application Gateway for Containers; its association subnet is in the same region.')
param location string

@description('Name of the Application Gateway for Containers (traffic controller) resource.')
param trafficControllerName string

@description('Name of its frontend, which the platform Gateway names in its addresses (one frontend per Gateway).')
param frontendName string

@description('Name of its association with the delegated ingress subnet.')
param associationName string

@description('Name of its security policy, which attaches the WAF policy to the frontend.')
param securityPolicyName string

@description('Name of the WAF policy.')
param wafPolicyName string

@description('WAF mode: Prevention blocks matching requests (production), Detection only logs them.')
@allowed([
  'Detection'
  'Prevention'
])
param wafMode string

@description('Name of the spoke virtual network.')
param virtualNetworkName string

@description('Name of the ingress subnet, delegated to Microsoft.ServiceNetworking/trafficControllers.')
param subnetName string

@description('Principal ID of the ALB Controller identity, which programs the traffic controller.')
param controllerPrincipalId string

@description('Tags applied to every resource.')
param tags object

/*** VARIABLES ***/

var configurationManagerRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'fbc52c3f-28ad-4303-a892-8a056630b8f1')
var networkContributorRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4d97b98b-1d4f-4787-a291-c67834d212e7')

/*** EXISTING RESOURCES ***/

resource virtualNetwork 'Microsoft.Network/virtualNetworks@2026-03-01' existing = {
  name: virtualNetworkName
}

resource associationSubnet 'Microsoft.Network/virtualNetworks/subnets@2026-03-01' existing = {
  parent: virtualNetwork
  name: subnetName
}

/*** RESOURCES ***/

// The WAF policy the frontend enforces: the Default Rule Set 2.1 and the bot manager (AGC runs no CRS 3.2 or older).
resource wafPolicy 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies@2026-03-01' = {
  name: wafPolicyName
  location: location
  tags: tags
  properties: {
    policySettings: {
      state: 'Enabled'
      mode: wafMode
      requestBodyCheck: true
    }
    managedRules: {
      managedRuleSets: [
        {
          ruleSetType: 'Microsoft_DefaultRuleSet'
          ruleSetVersion: '2.1'
        }
        {
          ruleSetType: 'Microsoft_BotManagerRuleSet'
          ruleSetVersion: '1.1'
        }
      ]
    }
  }
}

// Bring your own deployment: the Bicep owns the load balancer's lifecycle; the ALB Controller only programs it.
resource trafficController 'Microsoft.ServiceNetworking/trafficControllers@2026-03-01' = {
  name: trafficControllerName
  location: location
  tags: tags
}

// Its one association: the data plane in the delegated ingress subnet, from where it reaches the pods.
resource association 'Microsoft.ServiceNetworking/trafficControllers/associations@2026-03-01' = {
  parent: trafficController
  name: associationName
  location: location
  tags: tags
  properties: {
    associationType: 'subnets'
    subnet: {
      id: associationSubnet.id
    }
  }
}

// The security policy scopes which WAF policy this traffic controller enforces.
resource securityPolicy 'Microsoft.ServiceNetworking/trafficControllers/securityPolicies@2026-03-01' = {
  parent: trafficController
  name: securityPolicyName
  location: location
  tags: tags
  properties: {
    wafPolicy: {
      id: wafPolicy.id
    }
  }
}

// The platform Gateway's entry point (a generated public FQDN); every request through it passes the WAF policy.
resource frontend 'Microsoft.ServiceNetworking/trafficControllers/frontends@2026-03-01' = {
  parent: trafficController
  name: frontendName
  location: location
  tags: tags
  properties: {
    securityPolicyConfigurations: {
      wafSecurityPolicy: {
        id: securityPolicy.id
      }
    }
  }
}

// The ALB Controller reads and writes this traffic controller's configuration: AppGw for Containers Configuration
// Manager on the resource group that holds it, as the bring-your-own deployment documents.
resource configurationManager 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, controllerPrincipalId, configurationManagerRoleId)
  properties: {
    roleDefinitionId: configurationManagerRoleId
    principalId: controllerPrincipalId
    principalType: 'ServicePrincipal'
    description: 'The ALB Controller programs Application Gateway for Containers ${trafficControllerName}'
  }
}

// The controller joins the association subnet (subnets/join/action, in Network Contributor) on this subnet only.
resource subnetJoin 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: associationSubnet
  name: guid(associationSubnet.id, controllerPrincipalId, networkContributorRoleId)
  properties: {
    roleDefinitionId: networkContributorRoleId
    principalId: controllerPrincipalId
    principalType: 'ServicePrincipal'
    description: 'The ALB Controller joins the Application Gateway for Containers association subnet'
  }
}

/*** OUTPUTS ***/

@description('Resource ID of the traffic controller, which the platform Gateway names in its alb-id annotation.')
output trafficControllerId string = trafficController.id

@description('Generated FQDN of the frontend, which the team hostnames are CNAMEs of.')
output frontendFqdn string = frontend.properties.fqdn

@description('Configuration endpoints the ALB Controller sends the configuration to; Azure assigns them with the traffic controller.')
output configurationEndpoints array = trafficController.properties.configurationEndpoints
