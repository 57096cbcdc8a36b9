import type { Answers } from '../answers/schema.js';
import {
  AGC_FRONTEND_PUBLIC_ONLY,
  AGC_NETWORK_PLUGINS,
  AGC_SUBNET,
} from '../azure/application-gateway-for-containers.js';
import { PLATFORM_SERVICE_ACCOUNTS } from './service-accounts.js';

// Ingress through the Kubernetes Gateway API: what each implementation needs from the cluster and provides to the
// manifests, as data with the documents it comes from. The plan, the Bicep, the manifests and `validate` read it.

export type IngressImplementation = Exclude<Answers['ingress']['implementation'], 'none'>;

/** A repository's files by path (validate passes its file map in). */
export type RepositoryFiles = ReadonlyMap<string, string>;

interface ContractBase {
  /** The GatewayClass the implementation installs; a Gateway naming another class is never programmed. */
  gatewayClassName: string;
  /** Network plugins whose pods the implementation reaches. */
  networkPlugins: readonly Answers['network']['plugin'][];
  /** Whether the Gateway can take a private address in the spoke (an internal frontend). */
  internalFrontend: boolean;
  /** Whether a repository turns this implementation on (read by `validate` on edited repositories). */
  enabledIn: (files: RepositoryFiles) => boolean;
  sources: string[];
}

/** The application routing add-on's Gateway API implementation: AKS runs it, the cluster's ingressProfile turns it on. */
export interface AppRoutingContract extends ContractBase {
  kind: 'aks-add-on';
  /** managedClusters properties.ingressProfile that turns the implementation and the managed Gateway API CRDs on. */
  ingressProfile: Record<string, unknown>;
  /**
   * The first GA managedClusters API version whose Bicep type (0.49.2's index) has these properties: 2026-01-01 has
   * neither gatewayAPI nor gatewayAPIImplementations (BCP037), 2026-02-01 has both.
   */
  minimumClusterApiVersion: string;
  /** Listener TLS options the implementation reads to sync a Key Vault certificate: Key Vault URI and service account. */
  tlsOptions: { keyVaultUri: string; serviceAccount: string };
  /** The Key Vault role the TLS service account's identity needs on the certificate. */
  certificateRole: 'keyVaultSecretsUser';
  /** The DNS role the external-dns identity needs on a public or a private zone. */
  dnsRole: { public: 'dnsZoneContributor'; private: 'privateDnsZoneContributor' };
  /** Annotations on the Gateway that make its Service an internal load balancer in a given subnet. */
  internalAnnotations: (subnetName: string) => Record<string, string>;
}

/**
 * Application Gateway for Containers, "bring your own" deployment: the Bicep owns the traffic controller, its
 * association subnet, its frontend and its WAF policy; the ALB Controller (a Flux HelmRelease) programs it from the
 * Gateway and the routes.
 */
export interface AlbContract extends ContractBase {
  kind: 'alb-controller';
  /**
   * The Helm chart (src/versions.ts), the namespace it runs in (chart value albController.namespace) and the chart's
   * service account, which gets the identity's client ID through albController.podIdentity.clientID.
   */
  controller: { chart: 'alb-controller'; namespace: string; serviceAccount: string };
  /** Gateway annotation naming the traffic controller the Bicep created (BYO deployment). */
  albIdAnnotation: string;
  /** Gateway address type naming the frontend the Bicep created. */
  frontendAddressType: string;
  /**
   * The environment module that creates the traffic controller (infra/modules/<file>.bicep), the parameter naming its
   * frontend and the output of its resource ID: the Gateway's address and alb-id annotation must match them.
   */
  bicep: { file: string; frontendParam: string; trafficControllerOutput: string };
  /** The delegation and the smallest size of the association subnet. */
  subnet: { delegation: string; maximumPrefixLength: number };
  /**
   * Built-in roles of the controller identity, by scope: Configuration Manager on the traffic controller's resource
   * group (it reads and writes the traffic controller's configuration), Network Contributor on the association subnet
   * (subnets/join/action), Reader on the node resource group (it resolves the cluster's node network).
   */
  roles: {
    trafficControllerResourceGroup: 'appGwForContainersConfigurationManager';
    associationSubnet: 'networkContributor';
    nodeResourceGroup: 'reader';
  };
  /**
   * The WAF policy's managed rule sets: AGC's WAF runs the Default Rule Set 2.1 and the bot manager, never CRS 3.2 or
   * older. Prevention blocks, Detection only logs.
   */
  waf: { ruleSets: readonly { ruleSetType: string; ruleSetVersion: string }[] };
}

const CLUSTER_MODULE = 'infra/modules/cluster.bicep';
const AGC_DOCS = 'https://learn.microsoft.com/azure/application-gateway/for-containers';

export const INGRESS_CONTRACTS: {
  'app-routing-gateway': AppRoutingContract;
  'application-gateway-for-containers': AlbContract;
} = {
  'app-routing-gateway': {
    kind: 'aks-add-on',
    gatewayClassName: 'approuting-istio',
    networkPlugins: ['azure-cni-overlay', 'azure-cni', 'kubenet'],
    internalFrontend: true,
    ingressProfile: {
      // The add-on's operator (Key Vault certificates, external-dns) and its Istio Gateway API implementation; the
      // default NGINX controller the add-on would otherwise create is switched off (retired, never generated).
      webAppRouting: {
        enabled: true,
        gatewayAPIImplementations: { appRoutingIstio: { mode: 'Enabled' } },
        nginx: { defaultIngressControllerType: 'None' },
      },
      gatewayAPI: { installation: 'Standard' },
    },
    minimumClusterApiVersion: '2026-02-01',
    tlsOptions: {
      keyVaultUri: 'kubernetes.azure.com/tls-cert-keyvault-uri',
      serviceAccount: 'kubernetes.azure.com/tls-cert-service-account',
    },
    certificateRole: 'keyVaultSecretsUser',
    dnsRole: { public: 'dnsZoneContributor', private: 'privateDnsZoneContributor' },
    enabledIn: (files) => /appRoutingIstio: \{\s*mode: 'Enabled'/.test(files.get(CLUSTER_MODULE) ?? ''),
    internalAnnotations: (subnetName) => ({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': subnetName,
    }),
    sources: [
      // GatewayClass approuting-istio, a sidecar-less Istio control plane, no NGINX; needs the managed Gateway API CRDs.
      'https://learn.microsoft.com/azure/aks/app-routing-gateway-api',
      // Listener TLS options, SecretProviderClass sync, Key Vault Secrets User, ClusterExternalDNS, DNS Zone Contributor.
      'https://learn.microsoft.com/azure/aks/app-routing-gateway-api-dns-tls',
      // ingressProfile.gatewayAPI.installation: Standard installs the standard-channel CRDs AKS keeps current.
      'https://learn.microsoft.com/azure/aks/managed-gateway-api',
      // defaultIngressControllerType None: the add-on creates no NGINX ingress controller.
      'https://learn.microsoft.com/azure/aks/app-routing-nginx-configuration',
      // Internal load balancer annotations, used through the Gateway's infrastructure annotations.
      'https://learn.microsoft.com/azure/aks/internal-lb',
    ],
  },
  'application-gateway-for-containers': {
    kind: 'alb-controller',
    gatewayClassName: 'azure-alb-external',
    // Azure CNI and Azure CNI Overlay only: the proxies outside the cluster reach pod addresses; kubenet's are not routable.
    networkPlugins: AGC_NETWORK_PLUGINS,
    // Frontends have a public FQDN; private frontend addresses are not supported.
    internalFrontend: !AGC_FRONTEND_PUBLIC_ONLY.public,
    controller: { chart: 'alb-controller', ...PLATFORM_SERVICE_ACCOUNTS.alb },
    albIdAnnotation: 'alb.networking.azure.io/alb-id',
    frontendAddressType: 'alb.networking.azure.io/alb-frontend',
    bicep: { file: 'ingress-agc', frontendParam: 'frontendName', trafficControllerOutput: 'trafficControllerId' },
    subnet: { delegation: AGC_SUBNET.delegation, maximumPrefixLength: AGC_SUBNET.maximumPrefixLength },
    roles: {
      trafficControllerResourceGroup: 'appGwForContainersConfigurationManager',
      associationSubnet: 'networkContributor',
      nodeResourceGroup: 'reader',
    },
    waf: {
      ruleSets: [
        { ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1' },
        { ruleSetType: 'Microsoft_BotManagerRuleSet', ruleSetVersion: '1.1' },
      ],
    },
    // A HelmRelease of the ALB Controller chart, wherever the repository keeps it.
    enabledIn: (files) =>
      [...files].some(
        ([path, text]) =>
          /\.ya?ml$/.test(path) && /kind: HelmRelease\b/.test(text) && /\bchart: alb-controller\b/.test(text),
      ),
    sources: [
      // Helm install of the ALB Controller: chart oci://mcr.microsoft.com/application-lb/charts/alb-controller, values
      // albController.namespace and albController.podIdentity.clientID, identity federated with
      // system:serviceaccount:azure-alb-system:alb-controller-sa, Reader on the node resource group, Azure CNI or
      // Azure CNI Overlay and workload identity required, GatewayClass azure-alb-external.
      `${AGC_DOCS}/quickstart-deploy-application-gateway-for-containers-alb-controller-helm`,
      // BYO: traffic controller, frontend, association on a subnet delegated to Microsoft.ServiceNetworking/
      // trafficControllers of at least /24, AppGw for Containers Configuration Manager on the resource group and
      // Network Contributor on the subnet.
      `${AGC_DOCS}/quickstart-create-application-gateway-for-containers-byo-deployment`,
      // One frontend per Gateway, referenced with the alb-frontend address; alb-id annotation; the frontend's FQDN
      // for a CNAME; private frontend addresses unsupported; one association per traffic controller.
      `${AGC_DOCS}/application-gateway-for-containers-components`,
      `${AGC_DOCS}/how-to-ssl-offloading-gateway-api`,
      // WAF: a security policy child resource references the WAF policy; CRS 3.2 and older rule sets unsupported.
      `${AGC_DOCS}/web-application-firewall`,
      'https://learn.microsoft.com/azure/templates/microsoft.servicenetworking/trafficcontrollers/securitypolicies',
      'https://learn.microsoft.com/azure/templates/microsoft.servicenetworking/trafficcontrollers/frontends',
      // The chart installs the Gateway API CRDs itself (albController.installGatewayApiCRDs, default true); AKS
      // supports its managed CRD installation only with an AKS add-on, so the managed installation stays off.
      `${AGC_DOCS}/alb-controller-helm-chart`,
      'https://learn.microsoft.com/azure/aks/managed-gateway-api',
      // Release 1.11.3 (Gateway API v1.5.1, Kubernetes 1.27 or later).
      `${AGC_DOCS}/alb-controller-release-notes`,
    ],
  },
};

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** Names of the platform's Gateway objects, decided once for the manifests, the Bicep and `validate`. */
export const GATEWAY = {
  namespace: PLATFORM_SERVICE_ACCOUNTS.ingress.namespace,
  name: 'platform',
  serviceAccount: PLATFORM_SERVICE_ACCOUNTS.ingress.serviceAccount,
  /** Team namespaces carrying this label may attach routes to the platform Gateway (allowedRoutes selector). */
  routeLabel: 'gateway.platform/routes',
  httpsListener: 'https',
  httpListener: 'http',
  externalDns: 'platform-dns',
} as const;

export interface DnsZone {
  resourceId: string;
  name: string;
  private: boolean;
  subscriptionId: string;
  resourceGroup: string;
}

/** The Azure resources of Application Gateway for Containers in one environment (names fixed, one per resource group). */
export interface AlbPlan {
  trafficController: string;
  frontend: string;
  association: string;
  securityPolicy: string;
  /** Prefix of the WAF policy's name, which ends in the environment name (PSRule reports it per environment). */
  wafPolicyPrefix: string;
  /** The spoke subnet delegated to the traffic controller's association. */
  subnetRole: 'ingress';
}

export interface IngressPlan {
  implementation: IngressImplementation;
  gatewayClassName: string;
  /** The Gateway's address is internal, on the ingress subnet (never with AGC, whose frontends are public). */
  internal: boolean;
  dnsZone: DnsZone | undefined;
  /**
   * Who writes the team hostnames into the zone: the application routing operator's external-dns (it watches the
   * Gateway), or the deployment itself as CNAME records to the AGC frontend's FQDN (the frontend never changes).
   */
  dnsRecords: 'external-dns' | 'cname-records' | undefined;
  /** Key Vault certificate the HTTPS listener terminates with; undefined: the Gateway listens on HTTP only. */
  certificateName: string | undefined;
  /**
   * The identity (federated with GATEWAY.serviceAccount) that reads the certificate and, with external-dns, writes
   * DNS records.
   */
  identity: boolean;
  /** Application Gateway for Containers: its Azure resources; undefined for the add-on implementation. */
  alb: AlbPlan | undefined;
}

/** AGC's WAF blocks in production and only logs elsewhere, so rules are tuned on real traffic before they block it. */
export function wafMode(env: { production: boolean }): 'Prevention' | 'Detection' {
  return env.production ? 'Prevention' : 'Detection';
}

/** The WAF policy of one environment. */
export function wafPolicyName(alb: AlbPlan, environment: string): string {
  return `${alb.wafPolicyPrefix}-${environment}`;
}

export function parseDnsZone(resourceId: string): DnsZone {
  const parts = resourceId.split('/');
  return {
    resourceId,
    name: parts[8] ?? '',
    private: (parts[7] ?? '').toLowerCase() === 'privatednszones',
    subscriptionId: parts[2] ?? '',
    resourceGroup: parts[4] ?? '',
  };
}

/** The hostname a team's example route answers on in one environment; undefined without a DNS zone. */
export function teamHostname(ingress: IngressPlan, team: string, environment: string): string | undefined {
  return ingress.dnsZone ? `${team}-${environment}.${ingress.dnsZone.name}` : undefined;
}

/**
 * The ingress the answers ask for. TLS and DNS need workload identity (the operator authenticates through a federated
 * service account) and, for TLS, the Key Vault CSI add-on that syncs the certificate; validation refuses the rest.
 * AGC's frontend is always public, and its controller always needs workload identity (validation again).
 */
export function planIngress(answers: Answers, egressThroughFirewall: boolean): IngressPlan | undefined {
  const { implementation, publicLoadBalancer, dnsZoneResourceId, certificateName } = answers.ingress;
  if (implementation === 'none') return undefined;
  const dnsZone = dnsZoneResourceId ? parseDnsZone(dnsZoneResourceId) : undefined;
  const contract = INGRESS_CONTRACTS[implementation];
  const agc = contract.kind === 'alb-controller';
  return {
    implementation,
    gatewayClassName: contract.gatewayClassName,
    internal:
      contract.internalFrontend && (publicLoadBalancer === undefined ? egressThroughFirewall : !publicLoadBalancer),
    dnsZone,
    dnsRecords: dnsZone ? (agc ? 'cname-records' : 'external-dns') : undefined,
    certificateName,
    identity: certificateName !== undefined || (dnsZone !== undefined && !agc),
    alb: agc
      ? {
          trafficController: 'agc-platform',
          frontend: GATEWAY.name,
          association: 'ingress-subnet',
          securityPolicy: 'waf',
          wafPolicyPrefix: 'waf-agc',
          subnetRole: 'ingress',
        }
      : undefined,
  };
}
