import {
  CERTIFICATE_SYNC_IMAGE,
  EXAMPLE_IMAGE,
  FILEBEAT_IMAGE,
  HELM_CHART_IMAGE_REGISTRIES,
  HELM_CHARTS,
} from '../versions.js';
import type { EnvironmentPlan, Plan } from './index.js';
import { chartDownloadHosts, EGRESS_CONTRACTS, NETWORK_CONTRACTS } from './egress.js';

// Facts the Bicep output needs that follow from the plan: resource names the plan does not carry, built-in role
// definitions, the service accounts of platform identities and the FQDNs the hub firewall must allow.

/** Built-in Azure role definition IDs (the same GUID in every tenant). */
export const BUILT_IN_ROLES = {
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7',
  privateDnsZoneContributor: 'b12aa53e-6015-4669-85d0-8515ebb3ae7f',
  managedIdentityOperator: 'f1a07417-d97a-45cb-824c-7a7467783830',
  virtualMachineContributor: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  aksRbacClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
  aksRbacWriter: 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb',
  aksClusterUser: '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
  monitoringDataReader: 'b0d8363b-8ddd-447d-831f-62ca05bff136',
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
  grafanaAdmin: '22926164-76b3-42b3-bc55-97df8dab3e41',
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
  arcClusterUser: '00493d72-78f6-4148-b6c5-d3ce8e4799dd',
  arcClusterAdmin: '8393591c-06b9-48a2-a542-1bd6b377f6a2',
  arcWriter: '5b999177-9696-4545-85c7-50de3797e5a1',
  /** Azure Kubernetes Fleet Manager Contributor Role: update runs, strategies and approving their gates. */
  fleetContributor: '63bb64ad-9799-4770-b5c3-24ed299a07bf',
  dnsZoneContributor: 'befefa01-2a29-4197-83a8-272ff33ce314',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  /** AppGw for Containers Configuration Manager: the ALB Controller programs Application Gateway for Containers. */
  appGwForContainersConfigurationManager: 'fbc52c3f-28ad-4303-a892-8a056630b8f1',
} as const;

export interface HubInfraNames {
  firewall: string;
  firewallPolicy: string;
  firewallPublicIp: string;
  bastion: string;
  bastionPublicIp: string;
  logAnalytics: string;
}

export function hubInfraNames(plan: Plan): HubInfraNames {
  const base = `${plan.platform}-hub-${plan.location}`;
  return {
    firewall: `afw-${base}`,
    firewallPolicy: `afwp-${base}`,
    firewallPublicIp: `pip-afw-${base}`,
    bastion: `bas-${base}`,
    bastionPublicIp: `pip-bas-${base}`,
    logAnalytics: `log-${base}`,
  };
}

export interface EnvironmentInfraNames {
  clusterIdentity: string;
  kubeletIdentity: string;
  logAnalytics: string;
  monitorWorkspace: string;
  grafana: string;
  eventHubsPrefix: string;
  routeTable: string;
  natGateway: string;
  actionGroup: string;
}

export function environmentInfraNames(plan: Plan, env: EnvironmentPlan): EnvironmentInfraNames {
  const base = `${plan.platform}-${env.name}-${plan.location}`;
  return {
    clusterIdentity: `id-aks-${base}`,
    kubeletIdentity: `id-kubelet-${base}`,
    logAnalytics: `log-${base}`,
    monitorWorkspace: `amw-${base}`,
    // Grafana names are 2-23 characters and globally unique within the region.
    grafana: `amg-${plan.platform}-${env.name}`.slice(0, 23),
    // Event Hubs namespaces are globally unique: the deployment appends the 6-character suffix.
    eventHubsPrefix: `evhns-${plan.platform}-${env.name}-`,
    routeTable: `rt-${base}`,
    natGateway: `ng-${base}`,
    actionGroup: `ag-${base}`,
  };
}

/**
 * The node subnet gets a route table of this deployment's own when egress goes through the hub firewall (the default
 * route) or the plugin is kubenet: kubenet routes pod CIDRs through a route table, and one AKS attached by itself
 * would be detached by the next deployment of the VNet, which declares its subnets inline. The cluster's
 * user-assigned identity needs write access to it before the cluster exists
 * (https://learn.microsoft.com/azure/aks/configure-kubenet#bring-your-own-subnet-and-route-table-with-kubenet).
 */
export function nodeRouteTable(plan: Plan): boolean {
  return plan.components.egressThroughFirewall || plan.network.kubenet;
}

export interface FirewallApplicationRule {
  name: string;
  description: string;
  /** FQDNs; `{storage}` and `{keyvault}` stand for the cloud's DNS suffixes (core.windows.net, .vault.azure.net in public Azure). */
  fqdns: string[];
  /** HTTPS port; 443 unless a service listens elsewhere (Elastic Cloud's 9243). */
  port?: number;
  /** The documents the FQDNs come from (EGRESS_CONTRACTS); empty for hosts derived from answers or pinned charts. */
  sources: string[];
}

export interface FirewallNetworkRule {
  name: string;
  description: string;
  protocols: ('TCP' | 'UDP')[];
  /** Service tags or addresses; `{location}` stands for the region. */
  destinations: string[];
  ports: string[];
  sources: string[];
}

/** The network rules the plan needs, from NETWORK_CONTRACTS. */
export function firewallNetworkRules(plan: Plan): FirewallNetworkRule[] {
  return NETWORK_CONTRACTS.filter((row) => row.needed(plan)).map((row) => ({
    name: row.rule,
    description: row.description,
    protocols: [...row.protocols],
    destinations: [...row.destinations],
    ports: [...row.ports],
    sources: [...row.sources],
  }));
}

/**
 * Azure Firewall's resource-specific log categories (the AZFW* tables) that the Standard tier writes with no further
 * switch: every rule decision, threat intelligence hits, DNS proxy queries and FQDN resolution failures. Left out:
 * IDPS signatures (Premium only), fat flows and flow trace (each turned on separately, and voluminous), the Policy
 * Analytics aggregations (written only with policy analytics on) and the legacy AzureFirewall* categories, which
 * would write the same events a second time into the AzureDiagnostics table.
 */
export const FIREWALL_LOG_CATEGORIES = [
  'AZFWNetworkRule',
  'AZFWApplicationRule',
  'AZFWNatRule',
  'AZFWThreatIntel',
  'AZFWDnsQuery',
  'AZFWFqdnResolveFailure',
] as const;

/** One NSG security rule, in the shape of Microsoft.Network/networkSecurityGroups securityRules[].properties. */
export interface NsgRule {
  name: string;
  description: string;
  direction: 'Inbound' | 'Outbound';
  access: 'Allow' | 'Deny';
  priority: number;
  protocol: 'Tcp' | 'Udp' | '*';
  source: string;
  destination: string;
  ports: string[];
}

/**
 * The rule every spoke NSG carries: no SSH or RDP from the subnet to the rest of the network, so a compromised node,
 * pod or endpoint cannot move sideways that way (Microsoft cloud security benchmark NS-1; PSRule
 * Azure.NSG.LateralTraversal). Operators reach machines through Bastion, whose own NSG allows exactly that.
 */
export const LATERAL_TRAVERSAL_DENY: NsgRule = {
  name: 'deny-ssh-rdp-to-vnet',
  description: 'No SSH or RDP from this subnet to the virtual network (lateral movement)',
  direction: 'Outbound',
  access: 'Deny',
  priority: 4000,
  protocol: '*',
  source: '*',
  destination: 'VirtualNetwork',
  ports: ['22', '3389'],
};

/**
 * Inbound rules the platform Gateway needs on a spoke subnet's NSG (the subnet NSGs are ours, so AKS never edits them).
 * A public Gateway: its load balancer keeps the client address and the public frontend as destination (floating IP),
 * so the node subnet admits HTTP(S) from the Internet. An internal Gateway: its frontend is on the ingress subnet and
 * the network (peered hub included) reaches it; the rule states what the default AllowVnetInBound would allow anyway,
 * so tightening that default later keeps the Gateway reachable. Port 80 only without a certificate (HTTP listener).
 * https://learn.microsoft.com/azure/aks/concepts-network-services#network-security-groups
 * https://learn.microsoft.com/azure/aks/internal-lb
 */
export function gatewayNsgRules(plan: Plan, role: string): NsgRule[] {
  const ingress = plan.ingress;
  if (!ingress) return [];
  const ports = ingress.certificateName ? ['443'] : ['80'];
  if (ingress.alb) {
    // AGC: clients reach its public frontend, whose data plane sits in the delegated association subnet; AGC documents
    // no NSG rule of its own, so the rule states what must stay open there, and the nodes admit it from the VNet.
    return role === ingress.alb.subnetRole
      ? [
          {
            name: 'allow-gateway-from-internet',
            description: 'Clients reach the Application Gateway for Containers frontend of the platform Gateway',
            direction: 'Inbound',
            access: 'Allow',
            priority: 200,
            protocol: 'Tcp',
            source: 'Internet',
            destination: 'VirtualNetwork',
            ports,
          },
        ]
      : [];
  }
  if (!ingress.internal && role === 'nodes') {
    return [
      {
        name: 'allow-gateway-from-internet',
        description: 'Clients reach the public platform Gateway (load balancer with floating IP)',
        direction: 'Inbound',
        access: 'Allow',
        priority: 200,
        protocol: 'Tcp',
        source: 'Internet',
        destination: '*',
        ports,
      },
    ];
  }
  if (ingress.internal && role === 'ingress') {
    return [
      {
        name: 'allow-gateway-from-vnet',
        description: 'Clients in the virtual network and peered networks reach the internal platform Gateway',
        direction: 'Inbound',
        access: 'Allow',
        priority: 200,
        protocol: 'Tcp',
        source: 'VirtualNetwork',
        destination: 'VirtualNetwork',
        ports,
      },
    ];
  }
  return [];
}

/**
 * The NSG of AzureBastionSubnet: every rule Microsoft lists as required, exactly, since Bastion stops receiving platform
 * updates (and NSG updates are refused) when one is missing.
 * https://learn.microsoft.com/azure/bastion/bastion-nsg ("Configure NSG rules for Azure Bastion")
 */
export const BASTION_NSG_RULES: readonly NsgRule[] = [
  {
    name: 'AllowHttpsInbound',
    description: 'Operators reach Bastion on its public IP over HTTPS',
    direction: 'Inbound',
    access: 'Allow',
    priority: 120,
    protocol: 'Tcp',
    source: 'Internet',
    destination: '*',
    ports: ['443'],
  },
  {
    name: 'AllowGatewayManagerInbound',
    description: 'The Bastion control plane (Gateway Manager)',
    direction: 'Inbound',
    access: 'Allow',
    priority: 130,
    protocol: 'Tcp',
    source: 'GatewayManager',
    destination: '*',
    ports: ['443'],
  },
  {
    name: 'AllowAzureLoadBalancerInbound',
    description: 'Health probes of the Azure load balancer',
    direction: 'Inbound',
    access: 'Allow',
    priority: 140,
    protocol: 'Tcp',
    source: 'AzureLoadBalancer',
    destination: '*',
    ports: ['443'],
  },
  {
    name: 'AllowBastionHostCommunication',
    description: 'Data plane between the Bastion instances',
    direction: 'Inbound',
    access: 'Allow',
    priority: 150,
    protocol: '*',
    source: 'VirtualNetwork',
    destination: 'VirtualNetwork',
    ports: ['8080', '5701'],
  },
  {
    name: 'AllowSshRdpOutbound',
    description: 'Bastion opens SSH and RDP sessions to the target machines over their private IPs',
    direction: 'Outbound',
    access: 'Allow',
    priority: 100,
    protocol: '*',
    source: '*',
    destination: 'VirtualNetwork',
    ports: ['22', '3389'],
  },
  {
    name: 'AllowAzureCloudOutbound',
    description: 'Diagnostics and metering endpoints of Azure',
    direction: 'Outbound',
    access: 'Allow',
    priority: 110,
    protocol: 'Tcp',
    source: '*',
    destination: 'AzureCloud',
    ports: ['443'],
  },
  {
    name: 'AllowBastionCommunication',
    description: 'Data plane between the Bastion instances',
    direction: 'Outbound',
    access: 'Allow',
    priority: 120,
    protocol: '*',
    source: 'VirtualNetwork',
    destination: 'VirtualNetwork',
    ports: ['8080', '5701'],
  },
  {
    name: 'AllowHttpOutbound',
    description: 'Session and certificate validation on the internet',
    direction: 'Outbound',
    access: 'Allow',
    priority: 130,
    protocol: '*',
    source: '*',
    destination: 'Internet',
    ports: ['80'],
  },
];

/**
 * Retention of untagged manifests in the environment registry: a manifest a newer push left without a tag is deleted
 * after this many days (0-365, 7 is Azure's default). Premium registries only, and still a preview feature; it never
 * touches tagged images, so pulls by tag (all this platform does) are unaffected, while a pull by the digest of an
 * untagged manifest stops working once it is deleted.
 * https://learn.microsoft.com/azure/container-registry/container-registry-retention-policy
 */
export const REGISTRY_UNTAGGED_RETENTION_DAYS = 7;

/**
 * AKS control-plane log categories the cluster's diagnostic setting sends to Log Analytics, with AllMetrics: the four
 * components PSRule's Azure.AKS.PlatformLogs expects (API server, controller manager, scheduler, cluster autoscaler),
 * plus the admin audit log (writes only, far smaller than kube-audit, which also records every read) and guard, the
 * Entra ID authentication webhook. https://learn.microsoft.com/azure/aks/monitor-aks-reference#resource-logs
 */
export const CLUSTER_LOG_CATEGORIES = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'cluster-autoscaler',
  'kube-audit-admin',
  'guard',
] as const;

/**
 * Every host a pull from an image registry reaches: the registry API and the CDN or storage its requests redirect to.
 * Azure Firewall matches a wildcard only as the leading label, so hosts are listed one by one wherever a wildcard
 * would open a whole cloud's storage to the clusters.
 */
export const IMAGE_REGISTRY_HOSTS: Readonly<Record<string, readonly string[]>> = {
  // Layer downloads redirect to GitHub's package CDN.
  'ghcr.io': ['ghcr.io', 'pkg-containers.githubusercontent.com'],
  // Layer downloads redirect to Quay's CDN hosts (the list Red Hat publishes for firewalls).
  'quay.io': [
    'quay.io',
    'cdn.quay.io',
    'cdn01.quay.io',
    'cdn02.quay.io',
    'cdn03.quay.io',
    'cdn04.quay.io',
    'cdn05.quay.io',
    'cdn06.quay.io',
  ],
  // registry.k8s.io redirects manifests to a regional Artifact Registry (<region>-docker.pkg.dev) and, for clients
  // outside Google Cloud, layers to the S3 bucket or CloudFront distribution that the answering redirector instance
  // defaults to (kubernetes/k8s.io registry.k8s.io infrastructure). The project warns that these backends change
  // without notice and recommends a mirror where egress is allow-listed; a new backend shows up as a denied FQDN
  // in the firewall's AZFWApplicationRule log.
  'registry.k8s.io': [
    'registry.k8s.io',
    '*.pkg.dev',
    'd39mqg4b1dx9z1.cloudfront.net',
    ...[
      'ap-northeast-1',
      'ap-south-1',
      'ap-southeast-1',
      'eu-central-1',
      'eu-west-1',
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
    ].map((region) => `prod-registry-k8s-io-${region}.s3.dualstack.${region}.amazonaws.com`),
  ],
  // Docker Hub: registry API, token service and the CDNs layers come from (Docker's firewall allow list); anonymous
  // pulls are served from the R2 bucket.
  'docker.io': [
    'registry-1.docker.io',
    'auth.docker.io',
    'production.cloudflare.docker.com',
    'production.cloudfront.docker.com',
    'docker-images-prod.6aa30f8b08e16409b46e0173d6de2f56.r2.cloudflarestorage.com',
  ],
  // The AzureKubernetesService FQDN tag already allows MCR and its regional data endpoints.
  'mcr.microsoft.com': [],
  // Elastic's registry and the token service it sends clients to.
  'docker.elastic.co': ['docker.elastic.co', 'docker-auth.elastic.co'],
};

/** The registry host of an image reference; Docker Hub when the reference names none (busybox, grafana/grafana). */
export function registryOf(image: string): string {
  const [first, ...rest] = image.split('/');
  return rest.length > 0 && first !== undefined && /[.:]|^localhost$/.test(first) ? first : 'docker.io';
}

interface ImageSource {
  /** The rule is named images-<name>. */
  name: string;
  /** The Helm chart it is installed from, whose repository the gitops rule allows. */
  chart?: keyof typeof HELM_CHARTS;
  what: string;
  enabled: (plan: Plan) => boolean;
  registries: readonly string[];
  /** It runs in the team namespaces, where the allowed images policy applies. */
  inTeamNamespaces?: boolean;
}

/** What Flux deploys into the clusters and where its images come from; a new component adds one row. */
const FLUX_IMAGE_SOURCES: readonly ImageSource[] = [
  {
    name: 'kube-prometheus-stack',
    chart: 'kube-prometheus-stack',
    what: 'Prometheus, Alertmanager, node-exporter and Grafana',
    enabled: (plan) => plan.components.ossObservability,
    registries: HELM_CHART_IMAGE_REGISTRIES['kube-prometheus-stack'],
  },
  {
    name: 'kured',
    chart: 'kured',
    what: 'Kured',
    enabled: (plan) => plan.components.kured,
    registries: HELM_CHART_IMAGE_REGISTRIES.kured,
  },
  {
    name: 'aad-pod-identity',
    chart: 'aad-pod-identity',
    what: 'AAD Pod Identity',
    enabled: (plan) => plan.components.aadPodIdentity,
    registries: HELM_CHART_IMAGE_REGISTRIES['aad-pod-identity'],
  },
  {
    name: 'alb-controller',
    chart: 'alb-controller',
    what: 'the ALB Controller of Application Gateway for Containers',
    enabled: (plan) => plan.ingress?.alb !== undefined,
    registries: HELM_CHART_IMAGE_REGISTRIES['alb-controller'],
  },
  {
    name: 'gateway-certificate-sync',
    what: "the pod that syncs the AGC Gateway's certificate",
    enabled: (plan) => plan.ingress?.alb !== undefined && plan.ingress.certificateName !== undefined,
    registries: [registryOf(CERTIFICATE_SYNC_IMAGE)],
  },
  {
    name: 'example-workload',
    what: 'the example workload of each team',
    enabled: (plan) => plan.teams.length > 0,
    registries: [registryOf(EXAMPLE_IMAGE)],
    inTeamNamespaces: true,
  },
  {
    name: 'filebeat',
    what: 'Filebeat',
    enabled: (plan) => plan.components.filebeat,
    registries: [registryOf(FILEBEAT_IMAGE)],
  },
];

/** The registries of the images this repository deploys into team namespaces. */
export function teamImageRegistries(plan: Plan): string[] {
  return [
    ...new Set(
      FLUX_IMAGE_SOURCES.filter((source) => source.inTeamNamespaces && source.enabled(plan)).flatMap(
        (source) => source.registries,
      ),
    ),
  ];
}

function registryHosts(registry: string): readonly string[] {
  const hosts = IMAGE_REGISTRY_HOSTS[registry];
  if (hosts === undefined)
    throw new Error(`plan: no egress hosts known for the image registry ${registry}; add it to IMAGE_REGISTRY_HOSTS`);
  return hosts;
}

/** One rule per component Flux deploys whose images come from beyond what the AzureKubernetesService tag allows. */
function imageRules(plan: Plan): FirewallApplicationRule[] {
  return FLUX_IMAGE_SOURCES.filter((source) => source.enabled(plan)).flatMap((source) => {
    const registries = source.registries.filter((registry) => registryHosts(registry).length > 0);
    if (registries.length === 0) return [];
    return [
      {
        name: `images-${source.name}`,
        description: `Images of ${source.what} from ${registries.join(', ')}`,
        fqdns: [...new Set(registries.flatMap(registryHosts))],
        sources: [],
      },
    ];
  });
}

/**
 * What the hub firewall lets the clusters reach besides the AzureKubernetesService FQDN tag: one rule per feature in
 * EGRESS_CONTRACTS the plan needs, the chart download hosts on the gitops rule, Elasticsearch, and one rule per
 * component Flux deploys for its images.
 */
export function firewallApplicationRules(plan: Plan): FirewallApplicationRule[] {
  // Only the chart repositories of the charts this platform installs: their index and the hosts downloads redirect to.
  const chartHosts = FLUX_IMAGE_SOURCES.filter((source) => source.chart !== undefined && source.enabled(plan)).flatMap(
    (source) => chartDownloadHosts(HELM_CHARTS[source.chart!].repository),
  );
  const rules: FirewallApplicationRule[] = EGRESS_CONTRACTS.filter((row) => row.needed(plan)).map((row) => ({
    name: row.rule,
    description: row.description,
    fqdns: row.rule === 'gitops' ? [...new Set([...row.fqdns, ...chartHosts])].sort() : [...row.fqdns],
    sources: [...row.sources],
  }));
  const elasticsearch = plan.components.filebeat ? plan.observability.elasticsearch : undefined;
  if (elasticsearch) {
    rules.push({
      name: 'elasticsearch',
      description: 'Filebeat ships the diagnostic logs to Elasticsearch',
      fqdns: [elasticsearch.hostname],
      port: elasticsearch.port,
      sources: [],
    });
  }
  rules.push(...imageRules(plan));
  return rules;
}
