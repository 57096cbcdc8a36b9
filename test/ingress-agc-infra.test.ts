import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeAnswers } from '../src/answers/load.js';
import { generatePlatform } from '../src/generate.js';
import { BUILT_IN_ROLES } from '../src/plan/infra.js';
import { INGRESS_CONTRACTS } from '../src/plan/ingress.js';
import {
  allResources,
  compileAll,
  makeWorkspace,
  modulesOf,
  readJson,
  resourcesOf,
  roleAssignmentsOf,
  writeInfra,
  type ArmTemplate,
  type BicepRun,
  type Scenario,
} from './support/bicep.js';
import { completeSets } from './support/presets.js';
import { bicepPath, missingTool } from './support/tools.js';

// Application Gateway for Containers in Bicep, compiled by the real Bicep CLI and asserted for meaning on the ARM JSON:
// the traffic controller's association sits in the delegated ingress subnet, its frontend enforces the WAF policy
// (Prevention in production, Detection elsewhere), the ALB Controller identity holds exactly the documented roles, and
// the team hostnames are CNAMEs of the frontend.

const cli = bicepPath();
const skip =
  cli === undefined && missingTool('Bicep CLI', 'run `node scripts/install-tools.mjs` to restore it under tools/bicep');

const AGC = INGRESS_CONTRACTS['application-gateway-for-containers'];
const ZONE_RG = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-dns';
const SCENARIO: Scenario = {
  name: 'agc',
  preset: 'enterprise',
  sets: [
    'delivery.github.owner=contoso',
    'ingress.implementation=application-gateway-for-containers',
    'ingress.certificateName=wildcard-apps',
    `ingress.dnsZoneResourceId=${ZONE_RG}/providers/Microsoft.Network/dnszones/apps.contoso.com`,
  ],
};

describe.skipIf(skip)('Application Gateway for Containers Bicep (real Bicep CLI)', () => {
  let workspace: ReturnType<typeof makeWorkspace>;
  let runs: BicepRun[] = [];

  beforeAll(async () => {
    workspace = makeWorkspace('aks-agc-');
    const generation = generatePlatform(
      composeAnswers({ preset: SCENARIO.preset, sets: completeSets(SCENARIO.preset, SCENARIO.sets) }),
      SCENARIO.preset,
    );
    writeInfra(workspace.root, SCENARIO.name, generation.files);
    runs = await compileAll(cli!, workspace.root);
  }, 300_000);

  afterAll(() => workspace?.cleanup());

  const json = (file: string) => readJson(join(workspace.root, SCENARIO.name, 'infra', file)) as ArmTemplate;
  const main = () => json('main.json');
  const module = (symbol: string) => modulesOf(main()).find((m) => m.symbol === symbol)!;
  const ofType = (template: ArmTemplate, type: string) => resourcesOf(template).filter((r) => r.type === type);

  it('compiles with no error and no warning', () => {
    expect(runs.flatMap((r) => r.diagnostics).map((d) => `${d.file}(${d.line}) ${d.code}: ${d.message}`)).toEqual([]);
  });

  it('the association is in the ingress subnet, which is delegated to the traffic controllers and has no firewall route', () => {
    const agc = module('ingressAgc');
    const [association] = ofType(agc.template, 'Microsoft.ServiceNetworking/trafficControllers/associations');
    expect(association?.properties).toMatchObject({ associationType: 'subnets' });
    expect(JSON.stringify(association?.properties)).toContain("Microsoft.Network/virtualNetworks/subnets'");
    expect(agc.parameters.subnetName?.value).toBe('snet-ingress');
    const subnet = allResources(main()).find(
      (r) => r.type === 'Microsoft.Network/virtualNetworks' && JSON.stringify(r).includes('agc-association'),
    );
    const ingress = (
      (subnet?.properties as { subnets: { name: string; properties: Record<string, any> }[] })?.subnets ?? []
    ).find((s) => s.name === 'snet-ingress');
    expect(ingress?.properties.delegations).toEqual([
      { name: 'agc-association', properties: { serviceName: AGC.subnet.delegation } },
    ]);
    expect(ingress?.properties.routeTable).toBeUndefined();
  });

  it('the frontend enforces the WAF policy through the security policy; the policy runs DRS 2.1 and the bot manager', () => {
    const agc = module('ingressAgc').template;
    const [frontend] = ofType(agc, 'Microsoft.ServiceNetworking/trafficControllers/frontends');
    const [security] = ofType(agc, 'Microsoft.ServiceNetworking/trafficControllers/securityPolicies');
    const [waf] = ofType(agc, 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies');
    expect(JSON.stringify(frontend?.properties)).toContain('securityPolicies');
    expect((frontend?.properties as any).securityPolicyConfigurations.wafSecurityPolicy.id).toContain(
      "'Microsoft.ServiceNetworking/trafficControllers/securityPolicies'",
    );
    expect((security?.properties as any).wafPolicy.id).toContain(
      "'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies'",
    );
    expect((waf?.properties as any).managedRules.managedRuleSets).toEqual([
      { ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1' },
      { ruleSetType: 'Microsoft_BotManagerRuleSet', ruleSetVersion: '1.1' },
    ]);
    expect((waf?.properties as any).policySettings).toMatchObject({
      state: 'Enabled',
      mode: "[parameters('wafMode')]",
    });
  });

  it('WAF mode is Prevention in production and Detection elsewhere, per parameter file', () => {
    const mode = (env: string) =>
      (json(`${env}.json`) as { parameters: Record<string, { value: unknown }> }).parameters.wafMode?.value;
    expect(mode('dev')).toBe('Detection');
    expect(mode('prod')).toBe('Prevention');
  });

  it('the ALB Controller identity is federated with the chart service account and holds exactly the documented roles', () => {
    const identity = module('albIdentity');
    expect(identity.parameters.namespace?.value).toBe(AGC.controller.namespace);
    expect(identity.parameters.serviceAccount?.value).toBe(AGC.controller.serviceAccount);
    expect(identity.parameters.roleDefinitionGuid).toBeUndefined();
    const grants = roleAssignmentsOf(module('ingressAgc').template);
    expect(grants.map((g) => g.roleDefinitionId)).toEqual([
      expect.stringContaining(BUILT_IN_ROLES.appGwForContainersConfigurationManager),
      expect.stringContaining(BUILT_IN_ROLES.networkContributor),
    ]);
    // Configuration Manager on the resource group (no scope), Network Contributor on the subnet only.
    expect(grants[0]!.scope).toBe('');
    expect(grants[1]!.scope).toContain('Microsoft.Network/virtualNetworks/subnets');
    const reader = module('albNodeReader');
    expect(roleAssignmentsOf(reader.template).map((g) => g.roleDefinitionId)).toEqual([
      expect.stringContaining(BUILT_IN_ROLES.reader),
    ]);
    const call = (main().resources as Record<string, any>).albNodeReader;
    expect(call.resourceGroup).toBe("[parameters('names').nodeResourceGroup]");
  });

  it('the AKS cluster has no ingress profile: the controller and its CRDs come from Flux', () => {
    const cluster = allResources(main()).find((r) => r.type === 'Microsoft.ContainerService/managedClusters');
    expect((cluster?.properties as Record<string, unknown>).ingressProfile).toBeUndefined();
  });

  it('team hostnames are CNAME records of the frontend FQDN in the answered zone, in its resource group', () => {
    const call = (main().resources as Record<string, any>).ingressAgcDns;
    expect(call.subscriptionId).toBe('11111111-2222-3333-4444-555555555555');
    expect(call.resourceGroup).toBe('rg-dns');
    const dns = module('ingressAgcDns');
    expect(dns.parameters.recordNames?.value).toEqual(["[format('team-a-{0}', parameters('environmentName'))]"]);
    expect(String(dns.parameters.frontendFqdn?.value)).toContain("'ingressAgc'");
    const [records] = ofType(dns.template, 'Microsoft.Network/dnsZones/CNAME');
    expect((records?.properties as any).CNAMERecord.cname).toBe("[parameters('frontendFqdn')]");
    // No external-dns identity rights: the deployment writes the records.
    expect(modulesOf(main()).some((m) => m.symbol === 'ingressDnsAccess')).toBe(false);
  });

  it('the ingress subnet NSG admits the Internet on the listener port; Flux gets the traffic controller and subnet', () => {
    const nsg = allResources(main()).find(
      (r) => r.type === 'Microsoft.Network/networkSecurityGroups' && String(r.name).includes("-ingress'"),
    );
    const rules = (nsg?.properties as { securityRules: { name: string; properties: Record<string, unknown> }[] })
      .securityRules;
    expect(rules.find((r) => r.name === 'allow-gateway-from-internet')?.properties).toMatchObject({
      direction: 'Inbound',
      access: 'Allow',
      sourceAddressPrefix: 'Internet',
      destinationPortRange: '443',
    });
    const substitute = module('flux').parameters.substitute?.value as Record<string, string>;
    expect(substitute.INGRESS_TRAFFIC_CONTROLLER_ID).toContain("'ingressAgc'");
    expect(substitute.INGRESS_SUBNET_PREFIX).toBe("[parameters('subnetPrefixes').ingress]");
    expect(substitute.ALB_CONTROLLER_CLIENT_ID).toContain("'albIdentity'");
  });
});
