import type { Answers } from '../answers/schema.js';
import { PLATFORM_SERVICE_ACCOUNTS } from './service-accounts.js';

// Ingress through the Kubernetes Gateway API: what each implementation needs from the cluster and provides to the
// manifests, as data with the documents it comes from. The plan, the Bicep, the manifests and `validate` read it.

export type IngressImplementation = Exclude<Answers['ingress']['implementation'], 'none'>;

export interface IngressContract {
  /** The GatewayClass the implementation installs; a Gateway naming another class is never programmed. */
  gatewayClassName: string;
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
  /** Whether a cluster module's Bicep turns this implementation on (read by `validate` on edited repositories). */
  enabledIn: (clusterBicep: string) => boolean;
  /** Annotations on the Gateway that make its Service an internal load balancer in a given subnet. */
  internalAnnotations: (subnetName: string) => Record<string, string>;
  sources: string[];
}

export const INGRESS_CONTRACTS: Record<IngressImplementation, IngressContract> = {
  'app-routing-gateway': {
    gatewayClassName: 'approuting-istio',
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
    enabledIn: (bicep) => /appRoutingIstio: \{\s*mode: 'Enabled'/.test(bicep),
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

export interface IngressPlan {
  implementation: IngressImplementation;
  gatewayClassName: string;
  /** The Gateway's load balancer is internal, on the ingress subnet. */
  internal: boolean;
  dnsZone: DnsZone | undefined;
  /** Key Vault certificate the HTTPS listener terminates with; undefined: the Gateway listens on HTTP only. */
  certificateName: string | undefined;
  /** The identity (federated with GATEWAY.serviceAccount) that reads the certificate and writes DNS records. */
  identity: boolean;
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
 */
export function planIngress(answers: Answers, egressThroughFirewall: boolean): IngressPlan | undefined {
  const { implementation, publicLoadBalancer, dnsZoneResourceId, certificateName } = answers.ingress;
  if (implementation === 'none') return undefined;
  const dnsZone = dnsZoneResourceId ? parseDnsZone(dnsZoneResourceId) : undefined;
  return {
    implementation,
    gatewayClassName: INGRESS_CONTRACTS[implementation].gatewayClassName,
    internal: publicLoadBalancer === undefined ? egressThroughFirewall : !publicLoadBalancer,
    dnsZone,
    certificateName,
    identity: dnsZone !== undefined || certificateName !== undefined,
  };
}
