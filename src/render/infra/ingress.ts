import { api, bicepString } from './bicep.js';
import type { InfraConcern } from './concern.js';
import { childApi, renderModule } from './module-file.js';
import { platformIdentity } from './wiring.js';

// Ingress: the platform Gateway's identity and its rights on the TLS certificate and the DNS zone. The cluster module
// turns the Gateway API implementation on (plan/ingress.ts); the Gateway itself is a manifest.

export const ingressConcern: InfraConcern = {
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
      flux: () => [['INGRESS_CERTIFICATE_URI', 'ingressCertificateAccess.outputs.certificateUri']],
    },
    {
      symbol: 'ingressDnsAccess',
      file: 'ingress-dns-access',
      when: (plan) => plan.ingress?.dnsZone !== undefined,
      why: 'The Gateway identity may write records in the answered DNS zone, in its own subscription and resource group.',
      scope: (plan) =>
        `resourceGroup(${bicepString(plan.ingress?.dnsZone?.subscriptionId ?? '')}, ${bicepString(plan.ingress?.dnsZone?.resourceGroup ?? '')})`,
      params: (plan) => [
        ['zoneName', bicepString(plan.ingress?.dnsZone?.name ?? '')],
        ['writerPrincipalId', 'ingressIdentity.outputs.principalId'],
      ],
    },
  ],
  files: {
    'ingress-certificate-access': () =>
      renderModule('ingress-certificate-access', { secretApi: childApi('Microsoft.KeyVault/vaults', 'secrets') }),
    'ingress-dns-access': (plan) =>
      renderModule('ingress-dns-access', {
        private: plan.ingress?.dnsZone?.private ?? false,
        zoneApi: api(
          plan.ingress?.dnsZone?.private ? 'Microsoft.Network/privateDnsZones' : 'Microsoft.Network/dnsZones',
        ),
      }),
  },
};
