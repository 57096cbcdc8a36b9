import type { Plan } from '../../plan/index.js';
import { AGC_SUBNET } from '../../azure/application-gateway-for-containers.js';
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
import { hubInfraNames } from '../../plan/infra.js';
import { centralZoneId, privateDnsZone, zoneScope } from '../../plan/private-dns.js';
import type { PrivateDnsZoneKey } from '../../azure/private-dns-zones.js';
import { api, bicepLiteral, bicepString, expr, type BicepValue } from './bicep.js';
import { when, type ExistingResource, type InfraConcern, type InfraModule, type Params } from './concern.js';
import { renderModule } from './module-file.js';
import { stringFieldsType } from './types.js';

// The network concern: the spoke with its subnets, egress and peering, the private DNS zones, and the hub modules.

export const SUBNET_PURPOSES: Record<string, string> = {
  nodes: 'Nodes (and with flat Azure CNI, pods).',
  ingress: 'Internal load balancers and ingress controllers.',
  privateEndpoints: 'Private endpoints of Key Vault and the container registry.',
  access: 'Jump hosts and build agents that reach a private API server.',
  apiServer: 'Delegated subnet of the API server (VNet integration), at least /28.',
  systemNodes: 'System nodes that AKS Automatic manages (hostedSystemProfile), at least /26.',
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
    // AKS Automatic's managed system nodes leave the spoke the same way as the other nodes.
    const nodes = s.role === 'nodes' || s.role === 'systemNodes';
    if (nodes && nodeRouteTable(plan)) properties.routeTable = { id: expr('routeTable.id') };
    if (nodes && c.natGateway) properties.natGateway = { id: expr('natGateway.id') };
    if (s.role === 'privateEndpoints') properties.privateEndpointNetworkPolicies = 'Enabled';
    // Application Gateway for Containers: its association needs the subnet delegated to the traffic controllers.
    if (plan.ingress?.alb && s.role === plan.ingress.alb.subnetRole)
      properties.delegations = [{ name: 'agc-association', properties: { serviceName: AGC_SUBNET.delegation } }];
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
  const networkContributor =
    c.privateCluster || c.automatic
      ? [
          {
            symbol: 'clusterNetworkContributor',
            scope: 'virtualNetwork',
            why: c.automatic
              ? 'AKS Automatic: node auto-provisioning joins nodes to the spoke and the managed system nodes, API server and load balancers join their subnets: Network Contributor on the spoke VNet, as the Automatic custom-network setup requires.'
              : 'A private cluster links its API server DNS zone and joins the node subnet: Network Contributor on the spoke VNet.',
            description: c.privateCluster
              ? 'AKS control plane links the private DNS zone and joins the subnets'
              : 'AKS control plane and node auto-provisioning join the subnets',
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
      why: plan.network.kubenet
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
    kubenet: plan.network.kubenet,
    natGateway: c.natGateway,
    natAddressOutput: c.authorizedIpRanges,
    peering: plan.hub.mode !== 'none',
    networkContributor,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// In main.bicep

function subnetType(plan: Plan): string {
  const roles = plan.environments[0]?.subnets.map((s) => s.role) ?? [];
  return stringFieldsType(roles.map((role) => ({ name: role, description: SUBNET_PURPOSES[role] ?? role })));
}

/** A zone module when the plan uses the zone and the hub does not own it. */
const createsZone = (key: PrivateDnsZoneKey) => (plan: Plan) =>
  privateDnsZone(key).used(plan) && centralZoneId(plan, key) === undefined;

/** The environment's own zone for a private endpoint, when the hub does not provide it. */
function zoneModule(key: PrivateDnsZoneKey): InfraModule {
  const zone = privateDnsZone(key);
  return {
    symbol: zone.symbol,
    file: 'private-dns-zone',
    when: createsZone(key),
    why: `Private DNS zone of ${zone.what}.`,
    params: () => [
      ['zoneName', zone.bicepName],
      ['virtualNetworkId', 'network.outputs.virtualNetworkId'],
      ['tags', 'resourceTags'],
    ],
  };
}

function hubExisting(plan: Plan): ExistingResource[] {
  const { hub, components: c } = plan;
  if (hub.mode !== 'create' || !hub.names) return [];
  const inHub = (why: string, symbol: string, type: Parameters<typeof api>[0], name: string): ExistingResource => ({
    why,
    symbol,
    type: api(type),
    scope: 'resourceGroup(hubResourceGroupName)',
    name: bicepString(name),
  });
  return [
    inHub(
      'Hub network created by infra/hub.bicep.',
      'hubVirtualNetwork',
      'Microsoft.Network/virtualNetworks',
      hub.names.virtualNetwork.value,
    ),
    ...when(c.egressThroughFirewall && c.authorizedIpRanges, [
      inHub(
        'Public IP of the hub firewall: the nodes reach the public API server through it, so it is an authorized range.',
        'hubFirewallPublicIp',
        'Microsoft.Network/publicIPAddresses',
        hubInfraNames(plan).firewallPublicIp,
      ),
    ]),
    ...when(c.egressThroughFirewall, [
      inHub(
        'Hub firewall created by infra/hub.bicep: its private IP is the next hop of all egress.',
        'hubFirewall',
        'Microsoft.Network/azureFirewalls',
        hubInfraNames(plan).firewall,
      ),
    ]),
  ];
}

export const networkConcern: InfraConcern = {
  params: (plan) => [
    {
      name: 'addressSpace',
      description: 'Address space of the spoke virtual network (CIDR).',
      decorators: [],
      type: 'string',
      value: (env) => env.addressSpace,
    },
    {
      name: 'subnetPrefixes',
      description: 'Address prefix (CIDR) of each spoke subnet, by purpose.',
      decorators: [],
      type: subnetType(plan),
      value: (env) => Object.fromEntries(env.subnets.map((s) => [s.role, s.cidr])),
    },
  ],
  variables: ({ hub, components: c }) => [
    ...when(hub.mode === 'create' && hub.names !== undefined, [
      {
        why: 'The hub deployed by infra/hub.bicep (run it first).',
        name: 'hubResourceGroupName',
        value: bicepString(hub.names?.resourceGroup.value ?? ''),
      },
    ]),
    ...when(hub.mode === 'existing' && hub.vnetResourceId !== undefined, [
      {
        why: "The existing hub this spoke peers with; the hub side of the peering is its owners' to create.",
        name: 'hubVirtualNetworkId',
        value: bicepString(hub.vnetResourceId ?? ''),
      },
    ]),
    ...when(c.egressThroughFirewall && hub.mode === 'existing' && hub.firewallPrivateIp !== undefined, [
      {
        why: 'Private IP of the existing hub firewall, the next hop of all egress.',
        name: 'firewallPrivateIp',
        value: bicepString(hub.firewallPrivateIp ?? ''),
      },
    ]),
  ],
  existing: hubExisting,
  modules: [
    {
      symbol: 'network',
      file: 'network',
      why: 'Spoke network: subnets with NSGs, the egress route and the peering to the hub.',
      params: (plan) => {
        const c = plan.components;
        const hub = plan.hub.mode;
        return [
          ['location', 'location'],
          ['virtualNetworkName', 'names.virtualNetwork'],
          ['addressSpace', 'addressSpace'],
          ['subnetPrefixes', 'subnetPrefixes'],
          ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
          ...when<Params[number]>(nodeRouteTable(plan), [['routeTableName', 'names.routeTable']]),
          ...when<Params[number]>(c.egressThroughFirewall, [
            [
              'firewallPrivateIp',
              hub === 'create'
                ? 'hubFirewall.properties.ipConfigurations[0].properties.privateIPAddress'
                : 'firewallPrivateIp',
            ],
          ]),
          ...when<Params[number]>(c.natGateway, [['natGatewayName', 'names.natGateway']]),
          ...when<Params[number]>(hub !== 'none', [
            ['hubVirtualNetworkId', hub === 'create' ? 'hubVirtualNetwork.id' : 'hubVirtualNetworkId'],
          ]),
          ['tags', 'resourceTags'],
        ];
      },
    },
    {
      symbol: 'hubPeering',
      file: 'hub-peering',
      when: (plan) => plan.hub.mode === 'create' && plan.hub.names !== undefined,
      why: 'Hub-to-spoke half of the peering, in the hub resource group.',
      scope: 'resourceGroup(hubResourceGroupName)',
      params: () => [
        ['hubVirtualNetworkName', 'hubVirtualNetwork.name'],
        ['peeringName', "'peer-to-${names.virtualNetwork}'"],
        ['spokeVirtualNetworkId', 'network.outputs.virtualNetworkId'],
      ],
    },
    {
      symbol: 'clusterDnsZone',
      file: 'cluster-dns-zone',
      when: createsZone('aksApiServer'),
      why: 'Private DNS zone of the private API server, managed by the control-plane identity.',
      params: () => [
        ['zoneName', privateDnsZone('aksApiServer').bicepName],
        ['virtualNetworkId', 'network.outputs.virtualNetworkId'],
        ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
        ['tags', 'resourceTags'],
      ],
    },
    {
      symbol: 'clusterDnsZoneRole',
      file: 'dns-zone-role',
      when: (plan) => plan.components.privateCluster && centralZoneId(plan, 'aksApiServer') !== undefined,
      why: "The hub owns the API server's zone: the control-plane identity may write its record there (Private DNS Zone Contributor).",
      scope: (plan) => {
        const zone = zoneScope(centralZoneId(plan, 'aksApiServer') ?? '');
        return `resourceGroup(${bicepString(zone.subscriptionId)}, ${bicepString(zone.resourceGroup)})`;
      },
      params: (plan) => [
        ['zoneName', bicepString(zoneScope(centralZoneId(plan, 'aksApiServer') ?? '').name)],
        ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
      ],
    },
    zoneModule('keyVault'),
    zoneModule('containerRegistry'),
    zoneModule('blob'),
    zoneModule('eventHubs'),
  ],
  files: { network: renderNetwork },
};
