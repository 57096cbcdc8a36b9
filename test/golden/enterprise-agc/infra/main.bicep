targetScope = 'subscription'

/*** PARAMETERS ***/

@description('Azure region of every resource of the environment.')
param location string

@description('Short environment name, e.g. dev or prod.')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Names of the environment resources, derived by the generator within Azure naming rules.')
param names {
  @description('Resource group of the environment.')
  resourceGroup: string
  @description('AKS cluster.')
  cluster: string
  @description('Resource group AKS creates for the node resources.')
  nodeResourceGroup: string
  @description('Spoke virtual network.')
  virtualNetwork: string
  @description('Key Vault name before the unique suffix.')
  keyVaultPrefix: string
  @description('Container registry name before the unique suffix.')
  registryPrefix: string
  @description('Name of the Key Vault holding the Filebeat credentials, before the unique suffix.')
  logKeyVaultPrefix: string
  @description('Name of the storage account holding the Filebeat checkpoints, before the unique suffix.')
  logStoragePrefix: string
  @description('Control-plane identity.')
  clusterIdentity: string
  @description('Kubelet identity.')
  kubeletIdentity: string
  @description('Log Analytics workspace.')
  logAnalytics: string
  @description('Azure Monitor workspace (managed Prometheus).')
  monitorWorkspace: string
  @description('Azure Managed Grafana.')
  grafana: string
  @description('Event Hubs namespace name before the unique suffix.')
  eventHubsPrefix: string
  @description('Route table of the node subnet.')
  routeTable: string
  @description('NAT gateway of the node subnet.')
  natGateway: string
  @description('Action group the platform alerts notify.')
  actionGroup: string
}

@description('Tags applied to every resource.')
param tags object

@description('Object IDs of the Entra groups that administer the cluster.')
param adminGroupObjectIds string[]

@description('Address space of the spoke virtual network (CIDR).')
param addressSpace string

@description('Address prefix (CIDR) of each spoke subnet, by purpose.')
param subnetPrefixes {
  @description('Nodes (and with flat Azure CNI, pods).')
  nodes: string
  @description('Internal load balancers and ingress controllers.')
  ingress: string
  @description('Private endpoints of Key Vault and the container registry.')
  privateEndpoints: string
  @description('Jump hosts and build agents that reach a private API server.')
  access: string
}

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int

@description('Zone redundancy where it is a paid option (Managed Grafana), for production; fixed when the resource is created.')
param zoneRedundant bool

@description('Kubernetes version; a minor version lets the auto-upgrade channel pick patches.')
param kubernetesVersion string

@description('Control-plane tier: Standard has the uptime SLA (production), Free has none.')
@allowed([
  'Free'
  'Standard'
])
param skuTier string

@description('Node pools: system (CriticalAddonsOnly), user and optional spot.')
param agentPools {
  @description('Pool name (lowercase letters and digits).')
  @maxLength(12)
  name: string
  @description('System pools run critical add-ons; user pools run workloads.')
  mode: ('System' | 'User')
  @description('Azure VM size.')
  vmSize: string
  @description('Autoscaler lower bound.')
  minCount: int
  @description('Autoscaler upper bound.')
  maxCount: int
  @description('Availability zones; empty for none.')
  zones: string[]
  @description('Pods per node (with flat Azure CNI, each reserves a subnet address).')
  @minValue(10)
  @maxValue(250)
  maxPods: int
  @description('Ephemeral: the OS disk lives on the VM cache or temp disk (the plan checks it fits); Managed otherwise.')
  osDiskType: ('Ephemeral' | 'Managed')
  @description('OS disk size in GiB.')
  @minValue(30)
  @maxValue(2048)
  osDiskSizeGB: int
  @description('Spot priority (evictable, discounted).')
  spot: bool
  @description('Node taints, key=value:Effect.')
  taints: string[]
  @description('Node labels.')
  labels: object
}[]

@description('Extra nodes added while a pool upgrades (a count or a percentage).')
param maxSurge string

@description('Weekly window for auto-upgrades and node OS updates.')
param maintenanceWindow {
  @description('Day of the weekly window.')
  dayOfWeek: ('Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday')
  @description('Start time, HH:MM.')
  startTime: string
  @description('Length of the window in hours (at least 4).')
  @minValue(4)
  @maxValue(24)
  durationHours: int
  @description('UTC offset of the start time, e.g. +01:00.')
  utcOffset: string
}

@description('Mode of the Application Gateway for Containers WAF policy: Prevention in production, Detection elsewhere.')
@allowed([
  'Detection'
  'Prevention'
])
param wafMode string

@description('Effect of the Azure Policy assignments: Audit outside production, Deny in production.')
@allowed([
  'Audit'
  'Deny'
])
param policyEffect string

@description('Read-only token Flux clones the private repository with, from the FLUX_GIT_TOKEN pipeline secret.')
@secure()
param fluxGitToken string

/*** VARIABLES ***/

// Every resource says which environment it belongs to.
var resourceTags = union(tags, {
  environment: environmentName
})

// Globally unique names get a suffix that is stable per subscription and environment.
var uniqueSuffix = take(uniqueString(subscription().id, names.resourceGroup), 6)

// The hub deployed by infra/hub.bicep (run it first).
var hubResourceGroupName = 'rg-core-hub-westeurope'

// Key Vault names are global: prefix plus suffix, at most 24 characters.
var keyVaultName = '${names.keyVaultPrefix}${uniqueSuffix}'

// Registry names are global: prefix plus suffix, letters and digits only.
var registryName = '${names.registryPrefix}${uniqueSuffix}'

// Teams are platform-wide: each gets a namespace, a service account and an Azure identity in every environment.
var teams = [
  {
    namespace: 'team-a'
    serviceAccount: 'team-a-workload'
    identityName: 'id-team-a-${environmentName}'
  }
]

// Teams with an Entra group get access to their namespace.
var teamGroups = []

// Values the Flux manifests receive as ${NAME} (postBuild.substitute); also a deployment output.
var fluxSubstitutions = {
  ENVIRONMENT: environmentName
  AZURE_TENANT_ID: tenant().tenantId
  AZURE_SUBSCRIPTION_ID: subscription().subscriptionId
  LOCATION: location
  CLUSTER_NAME: cluster.outputs.clusterName
  KEY_VAULT_NAME: keyVault.outputs.keyVaultName
  TEAM_A_CLIENT_ID: teamIdentities[0].outputs.clientId
  INGRESS_CLIENT_ID: ingressIdentity.outputs.clientId
  ALB_CONTROLLER_CLIENT_ID: albIdentity.outputs.clientId
  INGRESS_TRAFFIC_CONTROLLER_ID: ingressAgc.outputs.trafficControllerId
  INGRESS_SUBNET_PREFIX: subnetPrefixes.ingress
}

/*** EXISTING RESOURCES ***/

// Hub network created by infra/hub.bicep.
resource hubVirtualNetwork 'Microsoft.Network/virtualNetworks@2026-03-01' existing = {
  scope: resourceGroup(hubResourceGroupName)
  name: 'vnet-core-hub-westeurope'
}

// Hub firewall created by infra/hub.bicep: its private IP is the next hop of all egress.
resource hubFirewall 'Microsoft.Network/azureFirewalls@2026-03-01' existing = {
  scope: resourceGroup(hubResourceGroupName)
  name: 'afw-core-hub-westeurope'
}

/*** RESOURCES ***/

// Everything of the environment lives in one resource group, so access, cost and clean-up follow the environment.
resource environmentGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: resourceTags
}

// The control-plane identity exists first, so its rights are in place before the cluster is created.
module identity 'modules/identity.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    clusterIdentityName: names.clusterIdentity
    tags: resourceTags
  }
}

// Bring-your-own kubelet identity: AcrPull and nothing else.
module kubeletIdentity 'modules/kubelet-identity.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    kubeletIdentityName: names.kubeletIdentity
    clusterPrincipalId: identity.outputs.clusterPrincipalId
    tags: resourceTags
  }
}

// Spoke network: subnets with NSGs, the egress route and the peering to the hub.
module network 'modules/network.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    virtualNetworkName: names.virtualNetwork
    addressSpace: addressSpace
    subnetPrefixes: subnetPrefixes
    clusterPrincipalId: identity.outputs.clusterPrincipalId
    routeTableName: names.routeTable
    firewallPrivateIp: hubFirewall.properties.ipConfigurations[0].properties.privateIPAddress
    hubVirtualNetworkId: hubVirtualNetwork.id
    tags: resourceTags
  }
}

// Hub-to-spoke half of the peering, in the hub resource group.
module hubPeering 'modules/hub-peering.bicep' = {
  scope: resourceGroup(hubResourceGroupName)
  params: {
    hubVirtualNetworkName: hubVirtualNetwork.name
    peeringName: 'peer-to-${names.virtualNetwork}'
    spokeVirtualNetworkId: network.outputs.virtualNetworkId
  }
}

// Private DNS zone of the private API server, managed by the control-plane identity.
module clusterDnsZone 'modules/cluster-dns-zone.bicep' = {
  scope: environmentGroup
  params: {
    zoneName: 'privatelink.${location}.azmk8s.io'
    virtualNetworkId: network.outputs.virtualNetworkId
    clusterPrincipalId: identity.outputs.clusterPrincipalId
    tags: resourceTags
  }
}

// Private DNS zone of the Key Vault private endpoints.
module keyVaultDnsZone 'modules/private-dns-zone.bicep' = {
  scope: environmentGroup
  params: {
    zoneName: 'privatelink.vaultcore.azure.net'
    virtualNetworkId: network.outputs.virtualNetworkId
    tags: resourceTags
  }
}

// Private DNS zone of the container registry private endpoint.
module registryDnsZone 'modules/private-dns-zone.bicep' = {
  scope: environmentGroup
  params: {
    zoneName: 'privatelink.azurecr.io'
    virtualNetworkId: network.outputs.virtualNetworkId
    tags: resourceTags
  }
}

// Log Analytics (diagnostics, Defender) and Container Insights collection.
module monitoring 'modules/monitoring.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    logAnalyticsName: names.logAnalytics
    retentionInDays: logRetentionDays
    tags: resourceTags
  }
}

// Managed Prometheus: Azure Monitor workspace and its collection rule.
module prometheus 'modules/prometheus.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    monitorWorkspaceName: names.monitorWorkspace
    tags: resourceTags
  }
}

// Azure Managed Grafana over Azure Monitor and managed Prometheus.
module grafana 'modules/grafana.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    grafanaName: names.grafana
    monitorWorkspaceId: prometheus.outputs.monitorWorkspaceId
    zoneRedundant: zoneRedundant
    adminGroupObjectIds: adminGroupObjectIds
    tags: resourceTags
  }
}

// Key Vault with RBAC authorisation, purge protection and a private endpoint.
module keyVault 'modules/key-vault.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    keyVaultName: keyVaultName
    privateEndpointSubnetId: network.outputs.privateEndpointsSubnetId
    privateDnsZoneId: keyVaultDnsZone.outputs.zoneId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    tags: resourceTags
  }
}

// Container registry (Premium, private endpoint, no admin user); the kubelet identity pulls from it.
module registry 'modules/registry.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    registryName: registryName
    privateEndpointSubnetId: network.outputs.privateEndpointsSubnetId
    privateDnsZoneId: registryDnsZone.outputs.zoneId
    kubeletPrincipalId: kubeletIdentity.outputs.kubeletPrincipalId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    tags: resourceTags
  }
}

// The AKS cluster, its maintenance windows, monitoring associations and diagnostic settings.
module cluster 'modules/cluster.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    clusterName: names.cluster
    nodeResourceGroupName: names.nodeResourceGroup
    kubernetesVersion: kubernetesVersion
    skuTier: skuTier
    clusterIdentityId: identity.outputs.clusterIdentityId
    kubeletIdentityId: kubeletIdentity.outputs.kubeletIdentityId
    kubeletClientId: kubeletIdentity.outputs.kubeletClientId
    kubeletPrincipalId: kubeletIdentity.outputs.kubeletPrincipalId
    nodeSubnetId: network.outputs.nodesSubnetId
    privateDnsZoneId: clusterDnsZone.outputs.zoneId
    adminGroupObjectIds: adminGroupObjectIds
    agentPools: agentPools
    maxSurge: maxSurge
    maintenanceWindow: maintenanceWindow
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    containerInsightsRuleId: monitoring.outputs.containerInsightsRuleId
    prometheusRuleId: prometheus.outputs.prometheusRuleId
    prometheusEndpointId: prometheus.outputs.collectionEndpointId
    tags: resourceTags
  }
}

// Per team: an Azure identity federated with the team service account.
module teamIdentities 'modules/team-identity.bicep' = [for team in teams: {
  scope: environmentGroup
  params: {
    location: location
    identityName: team.identityName
    namespace: team.namespace
    serviceAccount: team.serviceAccount
    oidcIssuerUrl: cluster.outputs.oidcIssuerUrl
    keyVaultName: keyVault.outputs.keyVaultName
    tags: resourceTags
  }
}]

// Azure RBAC for Kubernetes: admin groups and team groups (namespace scope).
module clusterAccess 'modules/cluster-access.bicep' = {
  scope: environmentGroup
  params: {
    clusterName: cluster.outputs.clusterName
    adminGroupObjectIds: adminGroupObjectIds
    teamGroups: teamGroups
  }
}

// Identity of the platform Gateway: it syncs the TLS certificate and publishes DNS records, granted below.
module ingressIdentity 'modules/platform-identity.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    identityName: 'id-ingress-${environmentName}'
    namespace: 'gateway-system'
    serviceAccount: 'gateway-tls'
    oidcIssuerUrl: cluster.outputs.oidcIssuerUrl
    tags: resourceTags
  }
}

// The Gateway identity may read its TLS certificate (Key Vault Secrets User on that secret only).
module ingressCertificateAccess 'modules/ingress-certificate-access.bicep' = {
  scope: environmentGroup
  params: {
    keyVaultName: keyVault.outputs.keyVaultName
    certificateName: 'wildcard-apps'
    readerPrincipalId: ingressIdentity.outputs.principalId
  }
}

// Identity of the ALB Controller, federated with the chart's service account; its rights are granted below.
module albIdentity 'modules/platform-identity.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    identityName: 'id-alb-${environmentName}'
    namespace: 'azure-alb-system'
    serviceAccount: 'alb-controller-sa'
    oidcIssuerUrl: cluster.outputs.oidcIssuerUrl
    tags: resourceTags
  }
}

// Application Gateway for Containers (bring your own deployment): traffic controller, association with the delegated ingress subnet, the frontend of the platform Gateway and its WAF policy; the ALB Controller may program it.
module ingressAgc 'modules/ingress-agc.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    trafficControllerName: 'agc-platform'
    frontendName: 'platform'
    associationName: 'ingress-subnet'
    securityPolicyName: 'waf'
    wafPolicyName: 'waf-agc-${environmentName}'
    wafMode: wafMode
    virtualNetworkName: names.virtualNetwork
    subnetName: 'snet-ingress'
    controllerPrincipalId: albIdentity.outputs.principalId
    tags: resourceTags
  }
}

// The ALB Controller reads the node resource group AKS creates with the cluster.
module albNodeReader 'modules/ingress-agc-node-reader.bicep' = {
  scope: resourceGroup(names.nodeResourceGroup)
  params: {
    controllerPrincipalId: albIdentity.outputs.principalId
  }
}

// Each team hostname of the environment is a CNAME of the AGC frontend's FQDN, in the answered zone.
module ingressAgcDns 'modules/ingress-agc-dns.bicep' = {
  scope: resourceGroup('00000000-0000-0000-0000-000000000000', 'rg-dns')
  params: {
    zoneName: 'apps.contoso.com'
    recordNames: [
      'team-a-${environmentName}'
    ]
    frontendFqdn: ingressAgc.outputs.frontendFqdn
  }
}

// The recording rules and platform alerts of managed Prometheus, the Event Grid topic of the AKS events.
module alerts 'modules/alerts.bicep' = {
  scope: environmentGroup
  params: {
    location: location
    clusterName: cluster.outputs.clusterName
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    monitorWorkspaceId: prometheus.outputs.monitorWorkspaceId
    tags: resourceTags
  }
}

// Azure Policy for Kubernetes: the pod security initiative and the allowed registries, audited or enforced.
module policy 'modules/policy.bicep' = {
  scope: environmentGroup
  params: {
    clusterName: cluster.outputs.clusterName
    policyEffect: policyEffect
    allowedRegistries: [registry.outputs.loginServer, 'registry.k8s.io']
  }
}

// The pipelines' operator identity (infra/bootstrap) may start, stop and upgrade this cluster and push to this registry, and nothing else.
module pipelineOperator 'modules/pipeline-operator.bicep' = {
  scope: environmentGroup
  params: {
    clusterName: cluster.outputs.clusterName
    registryName: registry.outputs.registryName
    operatorIdentityResourceGroupName: 'rg-core-pipeline-westeurope'
    operatorIdentityName: 'id-core-operator-${environmentName}'
  }
}

// Flux extension and the configuration that points the cluster at this repository.
module flux 'modules/flux.bicep' = {
  scope: environmentGroup
  params: {
    clusterName: cluster.outputs.clusterName
    gitRepositoryUrl: 'https://github.com/contoso/contoso-core-platform'
    gitBranch: 'main'
    clusterPath: './clusters/${environmentName}'
    substitute: fluxSubstitutions
    gitToken: fluxGitToken
  }
}

/*** OUTPUTS ***/

@description('Resource group of the environment.')
output resourceGroupName string = environmentGroup.name

@description('Client ID of the control-plane identity.')
output clusterIdentityClientId string = identity.outputs.clusterClientId

@description('Client ID of the kubelet identity.')
output kubeletClientId string = kubeletIdentity.outputs.kubeletClientId

@description('Name of the Key Vault.')
output keyVaultName string = keyVault.outputs.keyVaultName

@description('Login server of the container registry.')
output registryLoginServer string = registry.outputs.loginServer

@description('Name of the AKS cluster.')
output clusterName string = cluster.outputs.clusterName

@description('OIDC issuer URL of the cluster.')
output oidcIssuerUrl string = cluster.outputs.oidcIssuerUrl

@description('Client ID of each team workload identity, by team name.')
output teamClientIds object = {
  'team-a': teamIdentities[0].outputs.clientId
}

@description('FQDN of the Application Gateway for Containers frontend: the CNAME target of the team hostnames.')
output agcFrontendFqdn string = ingressAgc.outputs.frontendFqdn

@description('Configuration endpoints of Application Gateway for Containers, which the ALB Controller reaches (allow them in the hub firewall when egress goes through it).')
output agcConfigurationEndpoints array = ingressAgc.outputs.configurationEndpoints

@description('Every value the Flux manifests receive through postBuild.substitute, by variable name.')
output fluxVariables object = fluxSubstitutions
