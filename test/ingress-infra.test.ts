import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES } from '../src/plan/infra.js';
import { GATEWAY } from '../src/plan/ingress.js';
import type { Generation } from '../src/generate.js';
import {
  allResources,
  bicepCli,
  clusterProperties,
  compileScenarios,
  modulesOf,
  resourcesOf,
  roleAssignmentsOf,
  type BicepRun,
  type CompiledScenarios,
  type Scenario,
} from './support/bicep.js';

// The ingress Bicep, compiled by the real Bicep CLI, asserted for meaning on the ARM JSON: the Gateway API
// implementation is on exactly when chosen, its identity reads one certificate and writes one zone, the NSGs admit
// the Gateway's clients. (Every preset and the pairwise ingress factor compile with zero warnings in infra.test.ts.)

const { cli, skip } = bicepCli();

const ZONE_RG = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-dns';
const SCENARIOS = {
  internalTls: {
    name: 'ingress-internal-tls',
    preset: 'enterprise',
    sets: [
      'delivery.github.owner=contoso',
      'ingress.certificateName=wildcard-apps',
      `ingress.dnsZoneResourceId=${ZONE_RG}/providers/Microsoft.Network/privateDnsZones/apps.contoso.internal`,
    ],
  },
  publicPlain: { name: 'ingress-public-plain', preset: 'starter', sets: ['delivery.github.owner=contoso'] },
  publicDns: {
    name: 'ingress-public-dns',
    preset: 'starter',
    sets: [
      'delivery.github.owner=contoso',
      `ingress.dnsZoneResourceId=${ZONE_RG}/providers/Microsoft.Network/dnszones/apps.contoso.com`,
    ],
  },
  none: { name: 'ingress-none', preset: 'starter', sets: ['ingress.implementation=none'] },
} satisfies Record<string, Scenario>;

describe.skipIf(skip)('ingress Bicep (real Bicep CLI)', () => {
  let workspace: CompiledScenarios;
  let runs: BicepRun[] = [];
  let generations = new Map<string, Generation>();

  beforeAll(async () => {
    workspace = await compileScenarios(cli!, Object.values(SCENARIOS), 'aks-ingress-');
    ({ runs, generations } = workspace);
  }, 300_000);

  afterAll(() => workspace?.cleanup());

  const main = (s: Scenario) => workspace.main(s);
  const clusterOf = (s: Scenario) => clusterProperties(main(s));
  const moduleTemplate = (s: Scenario, symbol: string) => modulesOf(main(s)).find((m) => m.symbol === symbol)?.template;
  const nsgRules = (s: Scenario, suffix: string) => {
    const nsg = allResources(main(s)).find(
      (r) => r.type === 'Microsoft.Network/networkSecurityGroups' && String(r.name).includes(`-${suffix}'`),
    );
    return ((nsg?.properties as { securityRules?: { name: string; properties: Record<string, unknown> }[] })
      ?.securityRules ?? []) as { name: string; properties: Record<string, unknown> }[];
  };

  it('compiles with no error and no warning', () => {
    const diagnostics = runs.flatMap((r) => r.diagnostics);
    expect(diagnostics.map((d) => `${d.file}(${d.line}) ${d.code}: ${d.message}`)).toEqual([]);
  });

  it('the application routing Gateway API implementation and the managed CRDs are on exactly when chosen, NGINX off', () => {
    for (const s of [SCENARIOS.internalTls, SCENARIOS.publicPlain]) {
      expect(clusterOf(s).ingressProfile).toEqual({
        webAppRouting: {
          enabled: true,
          gatewayAPIImplementations: { appRoutingIstio: { mode: 'Enabled' } },
          nginx: { defaultIngressControllerType: 'None' },
        },
        gatewayAPI: { installation: 'Standard' },
      });
      // The operator's TLS and DNS integrations authenticate through workload identity.
      expect(clusterOf(s).securityProfile.workloadIdentity).toEqual({ enabled: true });
    }
    expect(clusterOf(SCENARIOS.none).ingressProfile).toBeUndefined();
  });

  it('the Gateway identity is federated with the Gateway service account and reads only its certificate', () => {
    const identity = moduleTemplate(SCENARIOS.internalTls, 'ingressIdentity')!;
    const credential = resourcesOf(identity).find((r) => r.type.endsWith('/federatedIdentityCredentials'))!;
    const params = modulesOf(main(SCENARIOS.internalTls)).find((m) => m.symbol === 'ingressIdentity')!.parameters;
    expect(params.namespace?.value).toBe(GATEWAY.namespace);
    expect(params.serviceAccount?.value).toBe(GATEWAY.serviceAccount);
    expect(String((credential.properties as { subject: string }).subject)).toContain('system:serviceaccount:');
    const access = moduleTemplate(SCENARIOS.internalTls, 'ingressCertificateAccess')!;
    const grants = roleAssignmentsOf(access);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.roleDefinitionId).toContain(BUILT_IN_ROLES.keyVaultSecretsUser);
    // Scoped to the certificate's secret, not the vault.
    expect(grants[0]!.scope).toContain("'Microsoft.KeyVault/vaults/secrets'");
    expect(String(access.outputs && JSON.stringify(access.outputs))).toContain('certificates/');
  });

  it('external-dns writes the answered zone only, with the role of its kind, deployed in the zone resource group', () => {
    for (const [s, role, type] of [
      [SCENARIOS.internalTls, BUILT_IN_ROLES.privateDnsZoneContributor, 'Microsoft.Network/privateDnsZones'],
      [SCENARIOS.publicDns, BUILT_IN_ROLES.dnsZoneContributor, 'Microsoft.Network/dnsZones'],
    ] as const) {
      const deployments = resourcesOf(main(s)) as Record<string, any>[];
      const call = Object.entries(main(s).resources as Record<string, any>).find(
        ([symbol]) => symbol === 'ingressDnsAccess',
      )?.[1];
      expect(call, s.name).toBeDefined();
      expect(call.subscriptionId).toBe('11111111-2222-3333-4444-555555555555');
      expect(call.resourceGroup).toBe('rg-dns');
      expect(deployments.length).toBeGreaterThan(0);
      const grants = roleAssignmentsOf(moduleTemplate(s, 'ingressDnsAccess')!);
      expect(grants.map((g) => g.roleDefinitionId.includes(role))).toEqual([true]);
      expect(grants[0]!.scope).toContain(type);
    }
    expect(moduleTemplate(SCENARIOS.publicPlain, 'ingressDnsAccess')).toBeUndefined();
    expect(moduleTemplate(SCENARIOS.publicPlain, 'ingressIdentity')).toBeUndefined();
  });

  it('NSGs admit the Gateway clients: the network on the ingress subnet when internal, the Internet to the nodes when public', () => {
    const internal = nsgRules(SCENARIOS.internalTls, 'ingress').find((r) => r.name === 'allow-gateway-from-vnet');
    expect(internal?.properties).toMatchObject({
      direction: 'Inbound',
      access: 'Allow',
      sourceAddressPrefix: 'VirtualNetwork',
      destinationPortRange: '443',
    });
    expect(nsgRules(SCENARIOS.internalTls, 'nodes').map((r) => r.name)).not.toContain('allow-gateway-from-internet');
    const pub = nsgRules(SCENARIOS.publicPlain, 'nodes').find((r) => r.name === 'allow-gateway-from-internet');
    expect(pub?.properties).toMatchObject({ sourceAddressPrefix: 'Internet', destinationPortRange: '80' });
    for (const suffix of ['nodes', 'ingress'])
      expect(nsgRules(SCENARIOS.none, suffix).map((r) => r.name)).toEqual(['deny-ssh-rdp-to-vnet']);
  });

  it('the Flux substitutions carry the Gateway identity and certificate URI when (and only when) they exist', () => {
    const substitutions = (s: Scenario) =>
      Object.keys(modulesOf(main(s)).find((m) => m.symbol === 'flux')?.parameters.substitute?.value as object);
    expect(substitutions(SCENARIOS.internalTls)).toEqual(
      expect.arrayContaining(['INGRESS_CLIENT_ID', 'INGRESS_CERTIFICATE_URI']),
    );
    expect(substitutions(SCENARIOS.publicPlain).filter((v) => v.startsWith('INGRESS_'))).toEqual([]);
    expect(generations.get(SCENARIOS.publicPlain.name)?.plan.ingress?.internal).toBe(false);
  });
});
