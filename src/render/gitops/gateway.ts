import type { Plan, TeamPlan } from '../../plan/index.js';
import { GATEWAY, INGRESS_CONTRACTS, teamHostname, type IngressPlan } from '../../plan/ingress.js';
import { metadata, namespaceManifest, yamlFile, type Manifest } from './yaml.js';

// The platform Gateway (infrastructure/configs/gateway) and each team's route to its example workload, as the Gateway
// API's roles intend: the platform owns the Gateway and says which namespaces may attach; teams own their routes.

/** Port the team example serves HTTP on, behind its Service's port 80. */
export const EXAMPLE_HTTP_PORT = 8080;

export function exampleRouteName(team: TeamPlan): string {
  return `${team.name}-example`;
}

/** The listener team routes attach to: HTTPS with a certificate, HTTP without one. */
export function gatewayListener(ingress: IngressPlan): string {
  return ingress.certificateName ? GATEWAY.httpsListener : GATEWAY.httpListener;
}

function gateway(ingress: IngressPlan): Manifest {
  const contract = INGRESS_CONTRACTS[ingress.implementation];
  const allowedRoutes = {
    namespaces: { from: 'Selector', selector: { matchLabels: { [GATEWAY.routeLabel]: 'true' } } },
    kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
  };
  const hostname = ingress.dnsZone ? { hostname: `*.${ingress.dnsZone.name}` } : {};
  const listener = ingress.certificateName
    ? {
        name: GATEWAY.httpsListener,
        ...hostname,
        port: 443,
        protocol: 'HTTPS',
        // The application routing operator syncs the certificate into a Secret and sets certificateRefs itself.
        tls: {
          mode: 'Terminate',
          options: {
            [contract.tlsOptions.keyVaultUri]: '${INGRESS_CERTIFICATE_URI}',
            [contract.tlsOptions.serviceAccount]: GATEWAY.serviceAccount,
          },
        },
        allowedRoutes,
      }
    : { name: GATEWAY.httpListener, ...hostname, port: 80, protocol: 'HTTP', allowedRoutes };
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: metadata(GATEWAY.name, GATEWAY.namespace),
    spec: {
      gatewayClassName: ingress.gatewayClassName,
      ...(ingress.internal ? { infrastructure: { annotations: contract.internalAnnotations('snet-ingress') } } : {}),
      listeners: [listener],
    },
  };
}

/** Where the platform Gateway lives: its own layer, applied only on clusters that run the implementation. */
export const GATEWAY_ROOT = 'infrastructure/gateway';
/** The team routes: their own layer per environment (apps/<env>/routes), for the same reason. */
export const ROUTES_ROOT = 'apps/routes';

export function routesOverlay(env: string): string {
  return `apps/${env}/routes`;
}

/** infrastructure/gateway: the platform Gateway, its namespace and, with TLS or DNS, its identity. */
export function* renderGateway(plan: Plan): Generator<[string, string]> {
  const ingress = plan.ingress;
  if (!ingress) return;
  const dir = GATEWAY_ROOT;
  yield [`${dir}/namespace.yaml`, yamlFile([namespaceManifest(GATEWAY.namespace)])];
  if (ingress.identity) {
    yield [
      `${dir}/service-account.yaml`,
      yamlFile([
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: metadata(
            GATEWAY.serviceAccount,
            GATEWAY.namespace,
            { 'azure.workload.identity/use': 'true' },
            { 'azure.workload.identity/client-id': '${INGRESS_CLIENT_ID}' },
          ),
        },
      ]),
    ];
  }
  yield [`${dir}/gateway.yaml`, yamlFile([gateway(ingress)])];
  if (ingress.dnsZone) {
    yield [
      `${dir}/external-dns.yaml`,
      yamlFile([
        {
          apiVersion: 'approuting.kubernetes.azure.com/v1alpha1',
          kind: 'ClusterExternalDNS',
          metadata: metadata(GATEWAY.externalDns),
          spec: {
            resourceName: GATEWAY.externalDns,
            resourceNamespace: GATEWAY.namespace,
            dnsZoneResourceIDs: [ingress.dnsZone.resourceId],
            resourceTypes: ['gateway'],
            identity: { type: 'workloadIdentity', serviceAccount: GATEWAY.serviceAccount },
          },
        },
      ]),
    ];
  }
}

/** The Service of a team's example workload, which its route sends traffic to. */
export function exampleService(team: TeamPlan, workload: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(workload, team.namespace),
    spec: {
      selector: { 'app.kubernetes.io/name': workload },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

/** A team's HTTPRoute to its example workload, attached to the platform Gateway. */
export function teamRoute(ingress: IngressPlan, team: TeamPlan, workload: string): Manifest[] {
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: metadata(exampleRouteName(team), team.namespace),
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: GATEWAY.name,
            namespace: GATEWAY.namespace,
            sectionName: gatewayListener(ingress),
          },
        ],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ name: workload, port: 80 }],
          },
        ],
      },
    },
  ];
}

/**
 * The hostname of a team's route in one environment, as a patch of apps/<env>: environments share the DNS zone, so
 * each publishes <team>-<env>.<zone>. Undefined without a zone: the route then answers any host the listener takes.
 */
export function teamRouteOverlayPatch(
  ingress: IngressPlan | undefined,
  env: string,
  team: TeamPlan,
): Manifest | undefined {
  const hostname = ingress ? teamHostname(ingress, team.name, env) : undefined;
  if (!hostname) return undefined;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: metadata(exampleRouteName(team), team.namespace),
    spec: { hostnames: [hostname] },
  };
}

/** The team NetworkPolicy that lets the Gateway's proxies (in the Gateway namespace) reach the example's port. */
export function gatewayNetworkPolicy(team: TeamPlan, workload: string): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata('allow-gateway', team.namespace),
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': workload } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': GATEWAY.namespace } } }],
          ports: [{ protocol: 'TCP', port: EXAMPLE_HTTP_PORT }],
        },
      ],
    },
  };
}
