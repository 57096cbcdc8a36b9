import { ALB_CONTROLLER_CLIENT_ID, AGC_SUBNET_PREFIX, AGC_TRAFFIC_CONTROLLER_ID } from '../../plan/contracts.js';
import { INGRESS_CONTRACTS, wafMode, type IngressPlan } from '../../plan/ingress.js';
import type { Plan } from '../../plan/index.js';
import { api, bicepLiteral, bicepString, expr } from './bicep.js';
import { when, type InfraConcern } from './concern.js';
import { childApi, renderModule } from './module-file.js';
import { platformIdentity } from './wiring.js';

// Ingress: the platform Gateway's identity and its rights on the TLS certificate and the DNS zone. The cluster module
// turns the add-on's Gateway API implementation on (plan/ingress.ts); with Application Gateway for Containers, the
// traffic controller, its WAF policy, the ALB Controller's identity and the team CNAME records are here. The Gateway
// itself is a manifest.

const dnsScope = (plan: Plan) =>
  `resourceGroup(${bicepString(plan.ingress?.dnsZone?.subscriptionId ?? '')}, ${bicepString(plan.ingress?.dnsZone?.resourceGroup ?? '')})`;

const AGC = INGRESS_CONTRACTS['application-gateway-for-containers'];

const zoneApi = (ingress: IngressPlan | undefined) =>
  ingress?.dnsZone?.private ? 'Microsoft.Network/privateDnsZones' : 'Microsoft.Network/dnsZones';

export const ingressConcern: InfraConcern = {
  params: (plan) =>
    when(plan.ingress?.alb !== undefined, [
      {
        name: 'wafMode',
        description:
          'Mode of the Application Gateway for Containers WAF policy: Prevention in production, Detection elsewhere.',
        decorators: ["@allowed([\n  'Detection'\n  'Prevention'\n])"],
        type: 'string',
        value: (env) => wafMode(env),
      },
    ]),
  modules: [
    {
      symbol: 'ingressIdentity',
      file: 'platform-identity',
      when: (plan) => plan.ingress?.identity ?? false,
      why: 'Identity of the platform Gateway: it syncs the TLS certificate and publishes DNS records, granted below.',
      params: platformIdentity('ingress'),
      flux: () => [['INGRESS_CLIENT_ID', 'ingressIdentity.outputs.clientId']],
    },
    {
      symbol: 'ingressCertificateAccess',
      file: 'ingress-certificate-access',
      when: (plan) => plan.ingress?.certificateName !== undefined,
      why: 'The Gateway identity may read its TLS certificate (Key Vault Secrets User on that secret only).',
      params: (plan) => [
        ['keyVaultName', 'keyVault.outputs.keyVaultName'],
        ['certificateName', bicepString(plan.ingress?.certificateName ?? '')],
        ['readerPrincipalId', 'ingressIdentity.outputs.principalId'],
      ],
      // AGC's listener reads the Secret the CSI driver syncs from the vault, not the URI.
      flux: (plan) =>
        plan.ingress?.alb ? [] : [['INGRESS_CERTIFICATE_URI', 'ingressCertificateAccess.outputs.certificateUri']],
    },
    {
      symbol: 'ingressDnsAccess',
      file: 'ingress-dns-access',
      when: (plan) => plan.ingress?.dnsRecords === 'external-dns',
      why: 'The Gateway identity may write records in the answered DNS zone, in its own subscription and resource group.',
      scope: dnsScope,
      params: (plan) => [
        ['zoneName', bicepString(plan.ingress?.dnsZone?.name ?? '')],
        ['writerPrincipalId', 'ingressIdentity.outputs.principalId'],
      ],
    },
    {
      symbol: 'albIdentity',
      file: 'platform-identity',
      when: (plan) => plan.ingress?.alb !== undefined,
      why: "Identity of the ALB Controller, federated with the chart's service account; its rights are granted below.",
      params: platformIdentity('alb'),
      flux: () => [[ALB_CONTROLLER_CLIENT_ID, 'albIdentity.outputs.clientId']],
    },
    {
      symbol: 'ingressAgc',
      file: AGC.bicep.file,
      when: (plan) => plan.ingress?.alb !== undefined,
      why: 'Application Gateway for Containers (bring your own deployment): traffic controller, association with the delegated ingress subnet, the frontend of the platform Gateway and its WAF policy; the ALB Controller may program it.',
      params: (plan) => {
        const alb = plan.ingress?.alb;
        return [
          ['location', 'location'],
          ['trafficControllerName', bicepString(alb?.trafficController ?? '')],
          [AGC.bicep.frontendParam, bicepString(alb?.frontend ?? '')],
          ['associationName', bicepString(alb?.association ?? '')],
          ['securityPolicyName', bicepString(alb?.securityPolicy ?? '')],
          ['wafPolicyName', `'${alb?.wafPolicyPrefix ?? ''}-\${environmentName}'`],
          ['wafMode', 'wafMode'],
          ['virtualNetworkName', 'names.virtualNetwork'],
          [
            'subnetName',
            bicepString(plan.environments[0]?.subnets.find((s) => s.role === alb?.subnetRole)?.name ?? ''),
          ],
          ['controllerPrincipalId', 'albIdentity.outputs.principalId'],
          ['tags', 'resourceTags'],
        ];
      },
      // The association needs the subnet delegated: the network module runs first, as the cluster (whose OIDC issuer
      // the controller identity trusts) depends on it.
      flux: () => [
        [AGC_TRAFFIC_CONTROLLER_ID, `ingressAgc.outputs.${AGC.bicep.trafficControllerOutput}`],
        [AGC_SUBNET_PREFIX, 'subnetPrefixes.ingress'],
      ],
    },
    {
      symbol: 'albNodeReader',
      file: 'ingress-agc-node-reader',
      when: (plan) => plan.ingress?.alb !== undefined,
      why: 'The ALB Controller reads the node resource group AKS creates with the cluster.',
      scope: 'resourceGroup(names.nodeResourceGroup)',
      // After the cluster, which creates the node resource group (the identity federates with its OIDC issuer).
      params: () => [['controllerPrincipalId', 'albIdentity.outputs.principalId']],
    },
    {
      symbol: 'ingressAgcDns',
      file: 'ingress-agc-dns',
      when: (plan) => plan.ingress?.dnsRecords === 'cname-records',
      why: "Each team hostname of the environment is a CNAME of the AGC frontend's FQDN, in the answered zone.",
      scope: dnsScope,
      params: (plan) => [
        ['zoneName', bicepString(plan.ingress?.dnsZone?.name ?? '')],
        [
          'recordNames',
          // Interpolated per environment: '<team>-${environmentName}'.
          bicepLiteral(
            plan.teams.map((team) => expr(`'${team.name}-\${environmentName}'`)),
            '    ',
          ),
        ],
        ['frontendFqdn', 'ingressAgc.outputs.frontendFqdn'],
      ],
    },
  ],
  outputs: (plan) =>
    when(plan.ingress?.alb !== undefined, [
      {
        name: 'agcFrontendFqdn',
        type: 'string',
        description: 'FQDN of the Application Gateway for Containers frontend: the CNAME target of the team hostnames.',
        value: 'ingressAgc.outputs.frontendFqdn',
      },
      {
        name: 'agcConfigurationEndpoints',
        type: 'array',
        description:
          'Configuration endpoints of Application Gateway for Containers, which the ALB Controller reaches (allow them in the hub firewall when egress goes through it).',
        value: 'ingressAgc.outputs.configurationEndpoints',
      },
    ]),
  files: {
    'ingress-certificate-access': () =>
      renderModule('ingress-certificate-access', { secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets') }),
    'ingress-dns-access': (plan) =>
      renderModule('ingress-dns-access', {
        private: plan.ingress?.dnsZone?.private ?? false,
        zoneApi: api(zoneApi(plan.ingress)),
      }),
    [AGC.bicep.file]: () =>
      renderModule(AGC.bicep.file, {
        ruleSets: bicepLiteral(
          AGC.waf.ruleSets.map((set) => ({ ...set })),
          '      ',
        ),
      }),
    'ingress-agc-dns': (plan) =>
      renderModule('ingress-agc-dns', {
        private: plan.ingress?.dnsZone?.private ?? false,
        zoneApi: api(zoneApi(plan.ingress)),
        recordApi: childApi(zoneApi(plan.ingress), 'CNAME'),
      }),
  },
};
