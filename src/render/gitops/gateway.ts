import type { Plan, TeamPlan } from '../../plan/index.js';
import { GATEWAY, INGRESS_CONTRACTS, teamHostname, type IngressPlan } from '../../plan/ingress.js';
import { AGC_SUBNET_PREFIX, AGC_TRAFFIC_CONTROLLER_ID } from '../../plan/contracts.js';
import { CERTIFICATE_SYNC_IMAGE } from '../../versions.js';
import { secretProviderClass, secretsStoreVolume } from './secrets.js';
import { metadata, namespaceManifest, yamlFile, type Manifest } from './yaml.js';
import { restrictedPodSecurityContext } from '../../plan/gitops.js';

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

/** The Secret the AGC Gateway's HTTPS listener reads its certificate from, synced from Key Vault by the CSI driver. */
export const GATEWAY_CERTIFICATE_SECRET = 'gateway-tls-certificate';

/** The HTTPS listener's TLS: the add-on syncs the Key Vault certificate itself; AGC reads the Secret the CSI driver syncs. */
function listenerTls(ingress: IngressPlan): Record<string, unknown> {
  const contract = INGRESS_CONTRACTS[ingress.implementation];
  if (contract.kind === 'aks-add-on')
    // The application routing operator syncs the certificate into a Secret and sets certificateRefs itself.
    return {
      mode: 'Terminate',
      options: {
        [contract.tlsOptions.keyVaultUri]: '${INGRESS_CERTIFICATE_URI}',
        [contract.tlsOptions.serviceAccount]: GATEWAY.serviceAccount,
      },
    };
  return { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: GATEWAY_CERTIFICATE_SECRET }] };
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
        tls: listenerTls(ingress),
        allowedRoutes,
      }
    : { name: GATEWAY.httpListener, ...hostname, port: 80, protocol: 'HTTP', allowedRoutes };
  // AGC, bring your own deployment: the annotation names the traffic controller the Bicep created, the address its
  // frontend (one frontend per Gateway).
  const alb = contract.kind === 'alb-controller' ? ingress.alb : undefined;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: metadata(
      GATEWAY.name,
      GATEWAY.namespace,
      undefined,
      alb && contract.kind === 'alb-controller'
        ? { [contract.albIdAnnotation]: `\${${AGC_TRAFFIC_CONTROLLER_ID}}` }
        : undefined,
    ),
    spec: {
      gatewayClassName: ingress.gatewayClassName,
      ...(alb && contract.kind === 'alb-controller'
        ? { addresses: [{ type: contract.frontendAddressType, value: alb.frontend }] }
        : {}),
      ...(ingress.internal && contract.kind === 'aks-add-on'
        ? { infrastructure: { annotations: contract.internalAnnotations('snet-ingress') } }
        : {}),
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
  if (ingress.dnsRecords === 'external-dns' && ingress.dnsZone) {
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

const CERTIFICATE_SYNC = 'gateway-tls-sync';

/**
 * AGC reads listener certificates from Secrets only. The CSI driver syncs the Key Vault certificate (its secret holds
 * key and chain as PEM) into a kubernetes.io/tls Secret, and keeps it current on rotation, while a pod mounts the
 * SecretProviderClass: this Deployment is that pod, doing nothing else.
 * https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options#sync-mounted-content-with-a-kubernetes-secret
 * https://learn.microsoft.com/azure/aks/csi-secrets-store-nginx-tls
 */
function certificateSync(certificateName: string): Manifest[] {
  const labels = { 'app.kubernetes.io/name': CERTIFICATE_SYNC };
  const spc = secretProviderClass({
    name: CERTIFICATE_SYNC,
    namespace: GATEWAY.namespace,
    clientIdVariable: 'INGRESS_CLIENT_ID',
    vaultVariable: 'KEY_VAULT_NAME',
    objects: [certificateName],
  });
  return [
    {
      ...spc,
      spec: {
        ...(spc.spec as Record<string, unknown>),
        secretObjects: [
          {
            secretName: GATEWAY_CERTIFICATE_SECRET,
            type: 'kubernetes.io/tls',
            data: [
              { objectName: certificateName, key: 'tls.key' },
              { objectName: certificateName, key: 'tls.crt' },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(CERTIFICATE_SYNC, GATEWAY.namespace, labels),
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: GATEWAY.serviceAccount,
            securityContext: restrictedPodSecurityContext(),
            containers: [
              {
                name: 'sync',
                image: CERTIFICATE_SYNC_IMAGE,
                resources: { requests: { cpu: '5m', memory: '8Mi' }, limits: { cpu: '50m', memory: '32Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true }],
              },
            ],
            volumes: [secretsStoreVolume(CERTIFICATE_SYNC)],
          },
        },
      },
    },
  ];
}

/**
 * AGC's certificate sync: a layer of its own after the Gateway, which nothing waits for, since its pod waits for a
 * certificate people put into the vault (secret-dependency).
 */
export const GATEWAY_CERTIFICATE_ROOT = 'infrastructure/gateway-certificate';

export function* renderGatewayCertificate(plan: Plan): Generator<[string, string]> {
  const ingress = plan.ingress;
  if (!ingress?.alb || !ingress.certificateName) return;
  yield [`${GATEWAY_CERTIFICATE_ROOT}/certificate-sync.yaml`, yamlFile(certificateSync(ingress.certificateName))];
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

/**
 * The team NetworkPolicy that lets the Gateway's proxies reach the example's port: the add-on's proxies run in the
 * Gateway namespace; AGC's proxies run outside the cluster and connect from its association subnet (the environment's
 * ingress subnet, a Flux variable), with Azure CNI Overlay too.
 * https://learn.microsoft.com/azure/application-gateway/for-containers/container-networking
 */
export function gatewayNetworkPolicy(ingress: IngressPlan, team: TeamPlan, workload: string): Manifest {
  const from = ingress.alb
    ? [{ ipBlock: { cidr: `\${${AGC_SUBNET_PREFIX}}` } }]
    : [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': GATEWAY.namespace } } }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata('allow-gateway', team.namespace),
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': workload } },
      policyTypes: ['Ingress'],
      ingress: [{ from, ports: [{ protocol: 'TCP', port: EXAMPLE_HTTP_PORT }] }],
    },
  };
}
