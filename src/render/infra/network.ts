import type { Plan } from '../../plan/index.js';
import { bicepDestinationText } from '../../plan/egress.js';
import {
  BASTION_NSG_RULES,
  FIREWALL_LOG_CATEGORIES,
  LATERAL_TRAVERSAL_DENY,
  firewallApplicationRules,
  gatewayNsgRules,
  firewallNetworkRules,
  nodeRouteTable,
  type NsgRule,
} from '../../plan/infra.js';
import { bicepLiteral, bicepString, expr, type BicepValue } from './bicep.js';
import { renderModule } from './module-file.js';

// The spoke and hub network modules.

export const SUBNET_PURPOSES: Record<string, string> = {
  nodes: 'Nodes (and with flat Azure CNI, pods).',
  ingress: 'Internal load balancers and ingress controllers.',
  privateEndpoints: 'Private endpoints of Key Vault and the container registry.',
  access: 'Jump hosts and build agents that reach a private API server.',
  apiServer: 'Delegated subnet of the API server (VNet integration), at least /28.',
};

/**
 * A firewall destination with its placeholders as deploy-time Bicep: the cloud's DNS suffixes from environment(), so
 * the rules hold in every Azure cloud, and the region from the `location` parameter.
 */
export function ruleDestination(destination: string): BicepValue {
  if (!destination.includes('{')) return destination;
  return expr(bicepDestinationText(bicepString(destination)));
}

/** The hub's modules, which infra/hub.bicep calls. */
export function renderHubModules(plan: Plan): [string, string][] {
  const files: [string, string][] = [];
  files.push([
    'infra/modules/hub-monitoring.bicep',
    renderModule('monitoring', {
      containerInsights: false,
      why: 'The hub keeps its own workspace: firewall and Bastion logs outlive every environment.',
    }),
  ]);
  const rules = firewallApplicationRules(plan);
  const applicationRules: BicepValue[] = [
    {
      ruleType: 'ApplicationRule',
      name: 'aks-fqdn-tag',
      description: 'Everything AKS itself needs (images, packages, control plane)',
      protocols: [
        { protocolType: 'Https', port: 443 },
        { protocolType: 'Http', port: 80 },
      ],
      sourceAddresses: expr('spokeAddressSpaces'),
      fqdnTags: ['AzureKubernetesService'],
    },
    ...rules.map((rule) => ({
      ruleType: 'ApplicationRule',
      name: rule.name,
      description: rule.description,
      protocols: [{ protocolType: 'Https', port: rule.port ?? 443 }],
      sourceAddresses: expr('spokeAddressSpaces'),
      targetFqdns: rule.fqdns.map(ruleDestination),
    })),
  ];
  const networkRules: BicepValue[] = firewallNetworkRules(plan).map((rule) => ({
    ruleType: 'NetworkRule',
    name: rule.name,
    description: rule.description,
    ipProtocols: rule.protocols,
    sourceAddresses: expr('spokeAddressSpaces'),
    destinationAddresses: rule.destinations.map(ruleDestination),
    destinationPorts: rule.ports,
  }));
  files.push([
    'infra/modules/hub-network.bicep',
    renderModule('hub-network', {
      applicationRules: bicepLiteral(applicationRules, '        '),
      networkRules: bicepLiteral(networkRules, '        '),
      hasNetworkRules: networkRules.length > 0,
      firewallLogCategories: FIREWALL_LOG_CATEGORIES,
      bastionRules: nsgRules(BASTION_NSG_RULES, '    '),
    }),
  ]);
  return files;
}

/** NSG rules as the securityRules of a Microsoft.Network/networkSecurityGroups resource. */
function nsgRules(rules: readonly NsgRule[], indent: string): string {
  const value: BicepValue[] = rules.map((rule) => ({
    name: rule.name,
    properties: {
      description: rule.description,
      direction: rule.direction,
      access: rule.access,
      priority: rule.priority,
      protocol: rule.protocol,
      sourceAddressPrefix: rule.source,
      sourcePortRange: '*',
      destinationAddressPrefix: rule.destination,
      ...(rule.ports.length === 1 ? { destinationPortRange: rule.ports[0]! } : { destinationPortRanges: rule.ports }),
    },
  }));
  return bicepLiteral(value, indent);
}

/** The spoke network module: subnets with NSGs, the egress route or NAT gateway, the control plane's rights. */
export function renderNetwork(plan: Plan): string {
  const c = plan.components;
  const subnets = (plan.environments[0]?.subnets ?? []).map((s) => {
    const properties: Record<string, BicepValue> = {
      addressPrefix: expr(`subnetPrefixes.${s.role}`),
      networkSecurityGroup: { id: expr(`${s.role}Nsg.id`) },
      defaultOutboundAccess: false,
    };
    if (s.role === 'nodes' && nodeRouteTable(plan)) properties.routeTable = { id: expr('routeTable.id') };
    if (s.role === 'nodes' && c.natGateway) properties.natGateway = { id: expr('natGateway.id') };
    if (s.role === 'privateEndpoints') properties.privateEndpointNetworkPolicies = 'Enabled';
    if (s.role === 'apiServer')
      properties.delegations = [
        { name: 'aks-api-server', properties: { serviceName: 'Microsoft.ContainerService/managedClusters' } },
      ];
    return {
      role: s.role,
      name: s.name,
      nsgSuffix: s.name.replace(/^snet-/, ''),
      purpose: SUBNET_PURPOSES[s.role] ?? s.role,
      symbol: `${s.role}Subnet`,
      nsgSymbol: `${s.role}Nsg`,
      properties: bicepLiteral(properties, '        '),
      securityRules: nsgRules([...gatewayNsgRules(plan, s.role), LATERAL_TRAVERSAL_DENY], '    '),
    };
  });
  const networkContributor = c.privateCluster
    ? [
        {
          symbol: 'clusterNetworkContributor',
          scope: 'virtualNetwork',
          why: 'A private cluster links its API server DNS zone and joins the node subnet: Network Contributor on the spoke VNet.',
          description: 'AKS control plane links the private DNS zone and joins the subnets',
        },
      ]
    : [
        {
          symbol: 'nodesSubnetNetworkContributor',
          scope: 'nodesSubnet',
          why: 'The control plane joins nodes and internal load balancers to the node subnet: Network Contributor on it.',
          description: 'AKS control plane joins the node subnet',
        },
        ...(plan.ingress?.internal
          ? [
              {
                symbol: 'ingressSubnetNetworkContributor',
                scope: 'ingressSubnet',
                why: 'The control plane puts the internal load balancer of the platform Gateway on the ingress subnet: Network Contributor on it.',
                description: 'AKS control plane joins the Gateway internal load balancer to the ingress subnet',
              },
            ]
          : []),
        ...(c.apiServerVnetIntegration
          ? [
              {
                symbol: 'apiServerSubnetNetworkContributor',
                scope: 'apiServerSubnet',
                why: 'The control plane projects the API server into the delegated subnet: Network Contributor on it.',
                description: 'AKS control plane joins the API server subnet',
              },
            ]
          : []),
      ];
  if (nodeRouteTable(plan)) {
    networkContributor.push({
      symbol: 'routeTableNetworkContributor',
      scope: 'routeTable',
      why:
        plan.answers.network.plugin === 'kubenet'
          ? 'Kubenet: the control plane writes the pod routes into this route table, so its identity holds Network Contributor on it before the cluster is created.'
          : 'User-defined routing: the control plane reads the node route table: Network Contributor on it.',
      description: 'AKS control plane manages routes of the node subnet',
    });
  }
  if (c.natGateway) {
    networkContributor.push({
      symbol: 'natGatewayNetworkContributor',
      scope: 'natGateway',
      why: 'The control plane attaches the node subnet outbound path to the NAT gateway: Network Contributor on it.',
      description: 'AKS control plane uses the NAT gateway for outbound traffic',
    });
  }
  return renderModule('network', {
    subnets,
    routeTable: nodeRouteTable(plan),
    firewallRoute: c.egressThroughFirewall,
    kubenet: plan.answers.network.plugin === 'kubenet',
    natGateway: c.natGateway,
    natAddressOutput: c.authorizedIpRanges,
    peering: plan.hub.mode !== 'none',
    networkContributor,
  });
}
