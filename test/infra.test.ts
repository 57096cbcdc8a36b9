import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Generation } from '../src/generate.js';
import { fluxVariables } from '../src/plan/contracts.js';
import { FILEBEAT } from '../src/plan/filebeat.js';
import { ALERTMANAGER_SMTP } from '../src/plan/alertmanager.js';
import {
  BASTION_NSG_RULES,
  BUILT_IN_ROLES,
  FIREWALL_LOG_CATEGORIES,
  REGISTRY_UNTAGGED_RETENTION_DAYS,
} from '../src/plan/infra.js';
import { POLICY_DEFINITIONS } from '../src/azure/policy-definitions.js';
import { ALERT_RULES, upgradeNotificationKinds } from '../src/plan/alerts.js';
import { jobRole, operatorActions } from '../src/plan/pipeline-identities.js';
import { GRAFANA_MAJOR_VERSION } from '../src/versions.js';
import { ephemeralCapacityGiB } from '../src/azure/vm-sizes.js';
import { AUTOSCALER_PROFILE } from '../src/plan/node-pools.js';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import {
  allResources,
  buildTemplate,
  bicepCli,
  clusterProperties,
  compatible,
  compileScenarios,
  modulesOf,
  pairwiseChoices,
  pairwiseScenarios,
  FACTORS,
  HUB_ZONE_SETS,
  PRESET_SCENARIOS,
  readJson,
  resourcesOf,
  roleAssignmentsOf,
  type ArmModule,
  type ArmResource,
  type ArmTemplate,
  type BicepRun,
  type CompiledScenarios,
  type Scenario,
} from './support/bicep.js';
import { AUTOMATIC_SETS, STARTER_RANGES } from './support/presets.js';
import { AUTOMATIC_CLUSTER } from '../src/azure/aks-automatic.js';

// The real Bicep CLI over every preset, a pairwise-covering set of answer combinations and a few scenarios whose
// compiled ARM JSON is checked for meaning. Zero errors and zero warnings, from lint, build and build-params.

const { cli, skip } = bicepCli();

const HUB_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub';

/** Scenarios whose compiled JSON the meaning tests read; each differs from its counterpart in what is asserted. */
const MEANING: Record<string, Scenario> = {
  locked: {
    name: 'meaning-locked',
    preset: 'enterprise',
    sets: [
      // The clusters' own upgrade channels (the fleet's are in meaning-hybrid).
      'fleet.enabled=false',
      'delivery.github.owner=contoso',
      'environments.0.spotPool.enabled=true',
      'identity.adminGroupObjectIds=[11111111-1111-1111-1111-111111111111]',
      'teams.0.entraGroupObjectId=22222222-2222-2222-2222-222222222222',
    ],
  },
  open: {
    name: 'meaning-open',
    preset: undefined,
    sets: [
      'cluster.privateCluster=false',
      STARTER_RANGES,
      'identity.kubeletIdentity=cluster-managed',
      'identity.authorization=kubernetes-rbac',
      'network.hub.mode=none',
      'network.egress=loadBalancer',
    ],
  },
  kubenet: {
    name: 'meaning-kubenet',
    preset: undefined,
    sets: [
      'network.plugin=kubenet',
      'network.dataplane=azure',
      'network.networkPolicy=calico',
      'delivery.github.owner=acme',
      'delivery.github.repo=platform-gitops',
      'delivery.github.branch=release',
      'delivery.github.private=false',
    ],
  },
  filebeat: {
    name: 'meaning-filebeat',
    preset: 'multicloud',
    sets: [
      'delivery.github.owner=contoso',
      'observability.elasticsearchUrl=https://logs.example.com:9243',
      // Alertmanager emails through a mail server it signs in to (src/plan/alertmanager.ts).
      'observability.alertEmails=[platform-oncall@contoso.com]',
      'observability.smtp.smarthost=smtp.contoso.com:587',
      'observability.smtp.from=aks-alerts@contoso.com',
      'observability.smtp.username=aks-alerts@contoso.com',
    ],
  },
  guarded: {
    name: 'meaning-guarded',
    preset: 'enterprise',
    sets: [
      'delivery.github.owner=contoso',
      'observability.alertEmails=[platform-oncall@contoso.com,sre@contoso.com]',
      'cluster.allowedRegistries=[ghcr.io/contoso]',
    ],
  },
  centralDns: {
    name: 'meaning-central-dns',
    preset: 'multicloud',
    sets: [
      'delivery.github.owner=contoso',
      'observability.elasticsearchUrl=https://logs.example.com:9243',
      ...HUB_ZONE_SETS,
    ],
  },
  hybrid: {
    name: 'meaning-hybrid',
    preset: 'enterprise',
    sets: [
      'delivery.github.owner=contoso',
      'identity.adminGroupObjectIds=[11111111-1111-1111-1111-111111111111]',
      'teams.0.entraGroupObjectId=22222222-2222-2222-2222-222222222222',
      'upgrades.autoUpgradeChannel=stable',
      'arc.clusters.0.name=edge-a',
      'arc.clusters.0.resourceGroup=rg-edge',
      'arc.clusters.0.environment=dev',
      'arc.clusters.0.distribution=k3s',
      'arc.clusters.1.name=edge-b',
      'arc.clusters.1.resourceGroup=rg-edge',
      'arc.clusters.1.environment=dev',
      'arc.clusters.1.distribution=aks-hybrid',
      'arc.clusters.2.name=eks-c',
      'arc.clusters.2.resourceGroup=rg-aws',
      'arc.clusters.2.environment=prod',
      'arc.clusters.2.distribution=eks',
    ],
  },
  multicloudArc: {
    name: 'meaning-multicloud-arc',
    preset: 'multicloud',
    sets: [
      'delivery.github.owner=contoso',
      'arc.clusters.0.name=gke-a',
      'arc.clusters.0.resourceGroup=rg-gcp',
      'arc.clusters.0.environment=prod',
      'arc.clusters.0.distribution=gke',
    ],
  },
  automatic: { name: 'meaning-automatic', preset: undefined, sets: [...AUTOMATIC_SETS] },
  existingHub: {
    name: 'meaning-existing-hub',
    preset: undefined,
    sets: [
      'network.hub.mode=existing',
      `network.hub.vnetResourceId=${HUB_ID}`,
      'network.hub.firewallPrivateIp=10.0.0.4',
      'network.egress=firewall',
    ],
  },
};

const SCENARIOS: Scenario[] = [...PRESET_SCENARIOS, ...pairwiseScenarios(), ...Object.values(MEANING)];

describe.skipIf(skip)('generated Bicep (real Bicep CLI)', () => {
  let workspace: CompiledScenarios;
  let runs: BicepRun[] = [];
  let generations = new Map<string, Generation>();

  beforeAll(async () => {
    workspace = await compileScenarios(cli!, SCENARIOS);
    ({ runs, generations } = workspace);
    const hubSource = join(workspace.root, MEANING.locked!.name, 'infra', 'hub.bicep');
    runs.push(await buildTemplate(cli!, hubSource, hubSource.replace(/\.bicep$/, '.template.json')));
    const fleetSource = join(workspace.root, MEANING.hybrid!.name, 'infra', 'fleet.bicep');
    runs.push(await buildTemplate(cli!, fleetSource, fleetSource.replace(/\.bicep$/, '.template.json')));
  }, 900_000);

  afterAll(() => workspace?.cleanup());

  const main = (scenario: Scenario): ArmTemplate => workspace.main(scenario);
  const hub = (): ArmTemplate =>
    readJson(join(workspace.root, MEANING.locked!.name, 'infra', 'hub.template.json')) as ArmTemplate;
  const parameters = (scenario: Scenario, env: string) =>
    (
      readJson(join(workspace.root, scenario.name, 'infra', `${env}.json`)) as {
        parameters: Record<string, { value: unknown }>;
      }
    ).parameters;
  const moduleOf = (template: ArmTemplate, symbol: string): ArmModule | undefined =>
    modulesOf(template).find((m) => m.symbol === symbol);
  const clusterOf = clusterProperties;
  const roleAssignments = (template: ArmTemplate, role: string) =>
    roleAssignmentsOf(template).filter((r) => r.roleDefinitionId.includes(role));

  it('covers every preset and every pair of values of the pairwise factors', () => {
    const choices = pairwiseChoices();
    FACTORS.forEach((a, i) =>
      FACTORS.slice(i + 1).forEach((b) => {
        for (const va of Object.keys(a.values))
          for (const vb of Object.keys(b.values)) {
            if (!compatible({ [a.name]: va, [b.name]: vb })) continue; // refused by validateAnswers
            expect(
              choices.some((c) => c[a.name] === va && c[b.name] === vb),
              `${a.name}=${va} with ${b.name}=${vb}`,
            ).toBe(true);
          }
      }),
    );
    expect(PRESET_SCENARIOS.map((s) => s.preset)).toEqual([undefined, 'starter', 'enterprise', 'multicloud']);
  });

  it('the CLI ran over every entry point and parameter file', () => {
    for (const scenario of SCENARIOS) {
      const { files } = generations.get(scenario.name)!;
      const expected = [...files.keys()]
        .filter((p) => /^infra\/[^/]+\.(bicep|bicepparam)$/.test(p))
        .map((p) => p.replace(/\.(bicep|bicepparam)$/, '.json'));
      expect(expected.length, scenario.name).toBeGreaterThanOrEqual(2);
      for (const json of expected)
        expect(existsSync(join(workspace.root, scenario.name, json)), `${scenario.name}/${json}`).toBe(true);
    }
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: zero errors and zero warnings', (name) => {
    const mine = runs.flatMap((run) =>
      run.diagnostics
        .filter((d) => d.file.includes(`/${name}/`))
        .map(
          (d) =>
            `${run.command.split(' ')[1]}: ${d.file.split(`/${name}/`)[1]}(${d.line}) ${d.level} ${d.code}: ${d.message}`,
        ),
    );
    expect(mine).toEqual([]);
  });

  it('no CLI run failed or printed a warning', () => {
    for (const run of runs) {
      expect(run.output, run.command).not.toMatch(/\b(Warning|Error)\b/);
      expect(run.exitCode, run.command).toBe(0);
    }
  });

  // ---- meaning, on the compiled ARM JSON ----

  it('AKS Automatic: the Automatic SKU on the Standard tier, node auto-provisioning, managed system nodes on their own subnet, no pools of ours, and what the SKU fixes', () => {
    const template = main(MEANING.automatic!);
    const resource = allResources(template).find((r) => r.type === 'Microsoft.ContainerService/managedClusters')!;
    expect((resource as { sku?: unknown }).sku).toEqual({ name: 'Automatic', tier: "[parameters('skuTier')]" });
    for (const env of ['dev', 'prod']) expect(parameters(MEANING.automatic!, env).skuTier!.value, env).toBe('Standard');
    const cluster = clusterOf(template);
    expect(cluster.nodeProvisioningProfile).toEqual(AUTOMATIC_CLUSTER.nodeProvisioningProfile);
    expect(cluster.hostedSystemProfile).toEqual({
      enabled: true,
      systemNodeSubnetID: "[parameters('systemNodeSubnetId')]",
      nodeSubnetID: "[parameters('nodeSubnetId')]",
    });
    expect(cluster).not.toHaveProperty('agentPoolProfiles');
    expect(cluster).not.toHaveProperty('autoScalerProfile');
    expect(parameters(MEANING.automatic!, 'dev')).not.toHaveProperty('agentPools');
    // The three subnets hostedSystemProfile and the API server take come from the same spoke VNet.
    const clusterModule = moduleOf(template, 'cluster')!;
    for (const [param, output] of [
      ['systemNodeSubnetId', 'systemNodesSubnetId'],
      ['nodeSubnetId', 'nodesSubnetId'],
      ['apiServerSubnetId', 'apiServerSubnetId'],
    ] as const)
      expect(String(clusterModule.parameters[param]?.value), param).toContain(`outputs.${output}.value`);
    // What the SKU fixes, as the answers carry it to the cluster.
    expect(cluster.networkProfile).toMatchObject({
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkDataplane: 'cilium',
      networkPolicy: 'cilium',
      outboundType: 'userDefinedRouting',
    });
    expect(cluster.apiServerAccessProfile).toMatchObject({ enableVnetIntegration: true });
    expect(cluster.aadProfile).toMatchObject({ managed: true, enableAzureRBAC: true });
    expect(cluster.securityProfile.workloadIdentity).toEqual({ enabled: true });
    expect(cluster.addonProfiles.azurepolicy).toEqual({ enabled: true });
    expect(cluster.autoUpgradeProfile).toEqual({ upgradeChannel: 'stable', nodeOSUpgradeChannel: 'NodeImage' });
    // The system node subnet leaves through the firewall like the node subnet, and node auto-provisioning holds
    // Network Contributor on the spoke VNet.
    const network = moduleOf(template, 'network')!.template;
    const vnet = allResources(network).find((r) => r.type === 'Microsoft.Network/virtualNetworks')!;
    const subnets = (vnet.properties as { subnets: { name: string; properties: Record<string, unknown> }[] }).subnets;
    for (const name of ['snet-nodes', 'snet-system-nodes'])
      expect(subnets.find((s) => s.name === name)?.properties.routeTable, name).toBeDefined();
    const vnetGrant = roleAssignmentsOf(network).filter(
      (r) =>
        r.roleDefinitionId.includes(BUILT_IN_ROLES.networkContributor) &&
        r.scope.includes('virtualNetworks') &&
        !r.scope.includes('subnets'),
    );
    expect(vnetGrant.length).toBe(1);
  });

  it('kubenet: networkPlugin kubenet with its pod CIDR; Azure CNI Overlay otherwise', () => {
    expect(clusterOf(main(MEANING.kubenet!)).networkProfile).toMatchObject({
      networkPlugin: 'kubenet',
      networkPolicy: 'calico',
      podCidr: '192.168.0.0/16',
    });
    expect(clusterOf(main(MEANING.kubenet!)).networkProfile.networkPluginMode).toBeUndefined();
    expect(clusterOf(main(MEANING.locked!)).networkProfile).toMatchObject({
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkDataplane: 'cilium',
    });
  });

  it('private cluster: enablePrivateCluster, its private DNS zone and the zone role for the control plane', () => {
    const template = main(MEANING.locked!);
    expect(clusterOf(template).apiServerAccessProfile).toMatchObject({
      enablePrivateCluster: true,
      privateDNSZone: "[parameters('privateDnsZoneId')]",
    });
    const zone = moduleOf(template, 'clusterDnsZone');
    expect(zone?.parameters.zoneName?.value).toBe("[format('privatelink.{0}.azmk8s.io', parameters('location'))]");
    expect(moduleOf(template, 'cluster')?.parameters.privateDnsZoneId?.value).toContain("reference('clusterDnsZone')");
    const zoneRoles = roleAssignments(zone!.template, BUILT_IN_ROLES.privateDnsZoneContributor);
    expect(zoneRoles).toHaveLength(1);
    expect(zoneRoles[0]!.principalId).toBe("[parameters('clusterPrincipalId')]");
    expect(zone?.parameters.clusterPrincipalId?.value).toContain("reference('identity')");

    const open = main(MEANING.open!);
    expect(clusterOf(open).apiServerAccessProfile).toEqual({
      enablePrivateCluster: false,
      authorizedIPRanges: "[parameters('authorizedIpRanges')]",
      disableRunCommand: true,
    });
    expect(moduleOf(open, 'clusterDnsZone')).toBeUndefined();
    expect(roleAssignments(open, BUILT_IN_ROLES.privateDnsZoneContributor)).toHaveLength(0);
  });

  it('spot pool: Spot priority, Delete eviction, max price -1 and the spot taint (AKS adds its reserved label)', () => {
    const template = main(MEANING.locked!);
    const cluster = moduleOf(template, 'cluster')!.template;
    expect(cluster.variables?.spotSettings).toEqual({
      scaleSetPriority: 'Spot',
      scaleSetEvictionPolicy: 'Delete',
      spotMaxPrice: -1,
    });
    expect(JSON.stringify(clusterOf(template))).toContain("variables('spotSettings')");
    const pools = parameters(MEANING.locked!, 'dev').agentPools!.value as {
      name: string;
      mode: string;
      spot: boolean;
      taints: string[];
      labels: Record<string, string>;
    }[];
    const spot = pools.find((p) => p.spot);
    expect(spot).toMatchObject({
      name: 'spot',
      taints: ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
      labels: {},
    });
    expect(pools.find((p) => p.mode === 'System')).toMatchObject({
      spot: false,
      taints: ['CriticalAddonsOnly=true:NoSchedule'],
    });
    expect((parameters(MEANING.locked!, 'prod').agentPools!.value as { spot: boolean }[]).some((p) => p.spot)).toBe(
      false,
    );
  });

  it('Azure RBAC: enableAzureRBAC, and the team writer role scoped to its namespace', () => {
    const locked = main(MEANING.locked!);
    expect(clusterOf(locked).aadProfile).toMatchObject({
      managed: true,
      enableAzureRBAC: true,
      tenantID: '[tenant().tenantId]',
    });
    const writer = roleAssignments(locked, BUILT_IN_ROLES.aksRbacWriter);
    expect(writer).toHaveLength(1);
    // resourceId('Microsoft.ContainerService/managedClusters/namespaces', cluster, ns) is <clusterId>/namespaces/<ns>.
    expect(writer[0]!.scope).toMatch(
      /^\[resourceId\('Microsoft\.ContainerService\/managedClusters\/namespaces', parameters\('clusterName'\), /,
    );
    expect(moduleOf(locked, 'clusterAccess')?.parameters.teamGroups?.value).toBe("[variables('teamGroups')]");
    expect(locked.variables?.teamGroups).toEqual([
      { namespace: 'team-a', groupObjectId: '22222222-2222-2222-2222-222222222222' },
    ]);
    const open = main(MEANING.open!);
    expect(clusterOf(open).aadProfile).toMatchObject({ enableAzureRBAC: false });
    expect(roleAssignments(open, BUILT_IN_ROLES.aksRbacWriter)).toHaveLength(0);
  });

  it('BYO kubelet identity: identityProfile.kubeletidentity, AcrPull for it and none for the control plane', () => {
    const template = main(MEANING.locked!);
    expect(clusterOf(template).identityProfile.kubeletidentity).toEqual({
      resourceId: "[parameters('kubeletIdentityId')]",
      clientId: "[parameters('kubeletClientId')]",
      objectId: "[parameters('kubeletPrincipalId')]",
    });
    expect(moduleOf(template, 'cluster')?.parameters.kubeletIdentityId?.value).toContain(
      "reference('kubeletIdentity')",
    );
    const acrPull = roleAssignments(template, BUILT_IN_ROLES.acrPull);
    expect(acrPull).toHaveLength(1);
    expect(acrPull[0]!.principalId).toBe("[parameters('kubeletPrincipalId')]");
    expect(moduleOf(template, 'registry')?.parameters.kubeletPrincipalId?.value).toContain(
      "reference('kubeletIdentity')",
    );
    expect(moduleOf(template, 'registry')?.parameters.kubeletPrincipalId?.value).not.toContain("reference('identity')");
    // The kubelet identity holds AcrPull and nothing else.
    const kubeletRoles = roleAssignmentsOf(template).filter((r) => r.principalId.includes('kubeletPrincipalId'));
    expect(kubeletRoles.map((r) => r.roleDefinitionId)).toEqual([expect.stringContaining(BUILT_IN_ROLES.acrPull)]);

    const open = main(MEANING.open!);
    expect(clusterOf(open).identityProfile).toBeUndefined();
    expect(moduleOf(open, 'registry')?.parameters.kubeletPrincipalId?.value).toContain("reference('cluster')");
  });

  it('firewall egress: userDefinedRouting, 0.0.0.0/0 to the firewall, the route table on the node subnet only', () => {
    for (const scenario of [MEANING.locked!, MEANING.existingHub!]) {
      const template = main(scenario);
      expect(clusterOf(template).networkProfile.outboundType).toBe('userDefinedRouting');
      const network = moduleOf(template, 'network')!;
      const vnet = allResources(network.template).find((r) => r.type === 'Microsoft.Network/virtualNetworks')!;
      const subnets = (vnet.properties as any).subnets as { name: string; properties: Record<string, unknown> }[];
      expect(subnets.filter((s) => s.properties.routeTable !== undefined).map((s) => s.name)).toEqual(['snet-nodes']);
      const routeTable = allResources(network.template).find((r) => r.type === 'Microsoft.Network/routeTables')!;
      expect((routeTable.properties as any).routes[0].properties).toEqual({
        addressPrefix: '0.0.0.0/0',
        nextHopType: 'VirtualAppliance',
        nextHopIpAddress: "[parameters('firewallPrivateIp')]",
      });
    }
    expect(moduleOf(main(MEANING.existingHub!), 'network')?.parameters.firewallPrivateIp?.value).toBe(
      "[variables('firewallPrivateIp')]",
    );
    expect(main(MEANING.existingHub!).variables?.firewallPrivateIp).toBe('10.0.0.4');
    expect(moduleOf(main(MEANING.locked!), 'network')?.parameters.firewallPrivateIp?.value).toContain("'hubFirewall'");
    const open = main(MEANING.open!);
    expect(clusterOf(open).networkProfile.outboundType).toBe('loadBalancer');
    expect(allResources(open).some((r) => r.type === 'Microsoft.Network/routeTables')).toBe(false);
  });

  it('peering: both halves with a created hub, only the spoke half with an existing one', () => {
    const peerings = (template: ArmTemplate) =>
      allResources(template).filter((r) => r.type === 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings');
    expect(peerings(main(MEANING.locked!))).toHaveLength(2);
    expect(moduleOf(main(MEANING.locked!), 'hubPeering')).toBeDefined();
    expect(peerings(main(MEANING.existingHub!))).toHaveLength(1);
    expect(moduleOf(main(MEANING.existingHub!), 'network')?.parameters.hubVirtualNetworkId?.value).toBe(
      "[variables('hubVirtualNetworkId')]",
    );
    expect(peerings(main(MEANING.open!))).toHaveLength(0);
  });

  it('Flux: the configuration pulls the GitHub target, one root Kustomization per environment path, the exact variables', () => {
    for (const scenario of [MEANING.locked!, MEANING.kubenet!]) {
      const generation = generations.get(scenario.name)!;
      const template = main(scenario);
      const flux = moduleOf(template, 'flux')!;
      expect(flux.parameters.gitRepositoryUrl?.value).toBe(generation.plan.gitRepository!.url);
      expect(flux.parameters.gitBranch?.value).toBe(generation.plan.gitRepository!.branch);
      expect(flux.parameters.clusterPath?.value).toBe("[format('./clusters/{0}', parameters('environmentName'))]");
      const config = allResources(flux.template).find(
        (r) => r.type === 'Microsoft.KubernetesConfiguration/fluxConfigurations',
      )!;
      expect(config.name).toBe('platform');
      const props = config.properties as any;
      expect(props.namespace).toBe('flux-system');
      expect(props.gitRepository.url).toBe("[parameters('gitRepositoryUrl')]");
      expect(Object.keys(props.kustomizations)).toEqual(['cluster']);
      expect(props.kustomizations.cluster).toMatchObject({
        path: "[parameters('clusterPath')]",
        prune: true,
        postBuild: { substitute: "[parameters('substitute')]" },
      });
      const extension = allResources(flux.template).find(
        (r) => r.type === 'Microsoft.KubernetesConfiguration/extensions',
      )!;
      expect((extension.properties as any).configurationSettings['helm-controller.enabled']).toBe('true');
      expect(Object.keys(flux.parameters.substitute!.value as object)).toEqual(
        fluxVariables(generation.plan).map((v) => v.name),
      );
    }
    expect(moduleOf(main(MEANING.kubenet!), 'flux')!.parameters.gitRepositoryUrl?.value).toBe(
      'https://github.com/acme/platform-gitops',
    );
  });

  it('Flux: a private repository is cloned with the FLUX_GIT_TOKEN secret as a protected setting; a public one without', () => {
    const config = (scenario: Scenario) =>
      allResources(moduleOf(main(scenario), 'flux')!.template).find(
        (r) => r.type === 'Microsoft.KubernetesConfiguration/fluxConfigurations',
      )!.properties as any;
    const privateRepo = main(MEANING.locked!);
    expect(generations.get(MEANING.locked!.name)!.plan.gitRepository?.private).toBe(true);
    expect((privateRepo.parameters as Record<string, { type: string }>).fluxGitToken!.type).toBe('securestring');
    expect(moduleOf(privateRepo, 'flux')!.parameters.gitToken?.value).toBe("[parameters('fluxGitToken')]");
    expect(config(MEANING.locked!).gitRepository.httpsUser).toBe('git');
    expect(config(MEANING.locked!).configurationProtectedSettings).toEqual({
      httpsKey: "[base64(parameters('gitToken'))]",
    });
    // The parameter file reads it from the environment; compiled without it, it holds nothing.
    expect(generations.get(MEANING.locked!.name)!.files.get('infra/prod.bicepparam')).toContain(
      "param fluxGitToken = readEnvironmentVariable('FLUX_GIT_TOKEN', '')",
    );
    if (process.env.FLUX_GIT_TOKEN === undefined)
      expect(parameters(MEANING.locked!, 'prod').fluxGitToken).toEqual({ value: '' });
    // Public: no token parameter, no user, no protected settings.
    expect((main(MEANING.kubenet!).parameters as Record<string, unknown>).fluxGitToken).toBeUndefined();
    expect(config(MEANING.kubenet!).gitRepository.httpsUser).toBeUndefined();
    expect(config(MEANING.kubenet!).configurationProtectedSettings).toBeUndefined();
  });

  it('Filebeat: its own vault holds exactly the secrets the manifests mount, readable by the Filebeat identity only', () => {
    const generation = generations.get(MEANING.filebeat!.name)!;
    expect(generation.plan.components.filebeat).toBe(true);
    const template = main(MEANING.filebeat!);
    const filebeat = moduleOf(template, 'filebeat')!;
    const resources = allResources(filebeat.template);
    const named = (type: string) => resources.filter((r) => r.type === type).map((r) => r.name);
    // The Key Vault secrets are the objects the SecretProviderClass asks for, name for name.
    const spc = parseAllDocuments(
      generation.files.get('infrastructure/logging/secret-provider-class.yaml')!,
    )[0]!.toJS() as { spec: { parameters: { objects: string } } };
    const objects = (parseYaml(spc.spec.parameters.objects) as { array: string[] }).array.map(
      (o) => (parseYaml(o) as { objectName: string }).objectName,
    );
    const secretNames = named('Microsoft.KeyVault/vaults/secrets').map((n) => /'([^']+)'\)\]$/.exec(n ?? '')?.[1]);
    expect(secretNames.sort()).toEqual([...objects].sort());
    expect(objects.sort()).toEqual(Object.values(FILEBEAT.secrets).sort());
    // The API key is written only when the pipeline passes it, and it is a secure parameter all the way down.
    const apiKey = resources.find(
      (r) =>
        r.type === 'Microsoft.KeyVault/vaults/secrets' && String(r.name).includes(FILEBEAT.secrets.elasticsearchApiKey),
    )!;
    expect(apiKey.condition).toBe("[not(empty(parameters('elasticsearchApiKey')))]");
    expect((template.parameters as Record<string, { type: string }>).elasticsearchApiKey!.type).toBe('securestring');
    expect((filebeat.template.parameters as Record<string, { type: string }>).elasticsearchApiKey!.type).toBe(
      'securestring',
    );
    // The parameter file holds no key: compiled without the variable set, the value is empty.
    if (process.env[FILEBEAT.apiKeyVariable] === undefined)
      expect(parameters(MEANING.filebeat!, 'dev').elasticsearchApiKey).toEqual({ value: '' });
    expect(generation.files.get('infra/dev.bicepparam')).toContain(
      `param elasticsearchApiKey = readEnvironmentVariable('${FILEBEAT.apiKeyVariable}', '')`,
    );
    // Listen only, at namespace level, with a consumer group of its own; checkpoints in a private storage account.
    const rule = resources.find((r) => r.type === 'Microsoft.EventHub/namespaces/authorizationRules')!;
    expect((rule.properties as { rights: string[] }).rights).toEqual(['Listen']);
    expect(named('Microsoft.EventHub/namespaces/eventhubs/consumergroups')[0]).toContain(`'${FILEBEAT.consumerGroup}'`);
    const storage = resources.find((r) => r.type === 'Microsoft.Storage/storageAccounts')!.properties as Record<
      string,
      unknown
    >;
    expect(storage).toMatchObject({
      publicNetworkAccess: 'Disabled',
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
    });
    // Its vault is a second instance of the environment vault module: RBAC, purge protection, private endpoint only.
    const logVault = moduleOf(template, 'logKeyVault')!;
    expect(logVault.parameters.keyVaultName?.value).toBe("[variables('logKeyVaultName')]");
    const vault = allResources(logVault.template).find((r) => r.type === 'Microsoft.KeyVault/vaults')!
      .properties as Record<string, unknown>;
    expect(vault).toMatchObject({
      enableRbacAuthorization: true,
      publicNetworkAccess: 'Disabled',
      enablePurgeProtection: true,
    });
    // The vault module's one role assignment is the Secrets Officer loop over vaultOfficerGroupIds, which the log
    // vault is never given: nobody but the deployment writes Filebeat's credentials.
    expect(roleAssignmentsOf(logVault.template).map((r) => r.principalId)).toEqual([
      "[parameters('vaultOfficerGroupIds')[copyIndex()]]",
    ]);
    expect(logVault.parameters.vaultOfficerGroupIds).toBeUndefined();
    // Key Vault Secrets User for the Filebeat identity on its vault; the Filebeat identity holds no other role.
    const grants = roleAssignmentsOf(filebeat.template);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.roleDefinitionId).toContain(BUILT_IN_ROLES.keyVaultSecretsUser);
    expect(String(filebeat.parameters.readerPrincipalId?.value)).toMatch(
      /'filebeatIdentity'.*outputs\.principalId\.value/,
    );
    const identity = moduleOf(template, 'filebeatIdentity')!;
    expect(identity.parameters.roleDefinitionGuid).toBeUndefined();
    const identityRole = allResources(identity.template).find(
      (r) => r.type === 'Microsoft.Authorization/roleAssignments',
    )!;
    expect(identityRole.condition).toBe("[not(empty(parameters('roleDefinitionGuid')))]");
    // The team identities cannot read Filebeat's vault: they are granted the environment vault, a different one.
    expect(String(moduleOf(template, 'teamIdentities')!.parameters.keyVaultName?.value)).toMatch(
      /'keyVault'.*outputs\.keyVaultName\.value/,
    );
    expect(String(filebeat.parameters.keyVaultName?.value)).toMatch(/'logKeyVault'.*outputs\.keyVaultName\.value/);
    // Flux receives the vault and storage account names from the module's outputs.
    const substitute = moduleOf(template, 'flux')!.parameters.substitute!.value as Record<string, string>;
    expect(substitute.FILEBEAT_KEY_VAULT_NAME).toContain('outputs.keyVaultName.value');
    expect(substitute.FILEBEAT_STORAGE_ACCOUNT).toContain('outputs.storageAccountName.value');
    // Without an Elasticsearch URL there is no Filebeat infrastructure at all.
    expect(moduleOf(main(PRESET_SCENARIOS.find((s) => s.preset === 'enterprise')!), 'filebeat')).toBeUndefined();
  });

  it('Alertmanager: the vault holds the one secret its SecretProviderClass mounts, readable by the Alertmanager identity alone', () => {
    const generation = generations.get(MEANING.filebeat!.name)!;
    expect(generation.plan.components.alertmanagerSmtpAuth).toBe(true);
    const template = main(MEANING.filebeat!);
    const smtp = moduleOf(template, 'alertmanagerSmtp')!;
    const resources = allResources(smtp.template);
    // The secret the module writes is the object the SecretProviderClass asks for, from the vault Flux names.
    expect(smtp.parameters.secretName?.value).toBe(ALERTMANAGER_SMTP.secret);
    const spc = parseAllDocuments(
      generation.files.get('infrastructure/controllers/kube-prometheus-stack/alertmanager-secret-provider-class.yaml')!,
    )[0]!.toJS() as { spec: { parameters: { objects: string; clientID: string; keyvaultName: string } } };
    const objects = (parseYaml(spc.spec.parameters.objects) as { array: string[] }).array.map(
      (o) => (parseYaml(o) as { objectName: string }).objectName,
    );
    expect(objects).toEqual([ALERTMANAGER_SMTP.secret]);
    expect(spc.spec.parameters.clientID).toBe('${ALERTMANAGER_CLIENT_ID}');
    expect(String(smtp.parameters.keyVaultName?.value)).toMatch(/'keyVault'.*outputs\.keyVaultName\.value/);
    // Written only when the pipeline passes it, a secure parameter all the way down, never in the parameter file.
    const secret = resources.find((r) => r.type === 'Microsoft.KeyVault/vaults/secrets' && !r.existing)!;
    expect(secret.condition).toBe("[not(empty(parameters('value')))]");
    expect((template.parameters as Record<string, { type: string }>).alertmanagerSmtpPassword!.type).toBe(
      'securestring',
    );
    expect((smtp.template.parameters as Record<string, { type: string }>).value!.type).toBe('securestring');
    expect(generation.files.get('infra/dev.bicepparam')).toContain(
      `param alertmanagerSmtpPassword = readEnvironmentVariable('${ALERTMANAGER_SMTP.passwordVariable}', '')`,
    );
    // Key Vault Secrets User on that secret only, for the identity federated with the chart's service account.
    const grants = roleAssignmentsOf(smtp.template);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.roleDefinitionId).toContain(BUILT_IN_ROLES.keyVaultSecretsUser);
    expect(String(smtp.parameters.readerPrincipalId?.value)).toMatch(/'alertmanagerIdentity'.*outputs\.principalId/);
    const identity = moduleOf(template, 'alertmanagerIdentity')!;
    expect(identity.parameters.namespace?.value).toBe(ALERTMANAGER_SMTP.serviceAccount.namespace);
    expect(identity.parameters.serviceAccount?.value).toBe(ALERTMANAGER_SMTP.serviceAccount.serviceAccount);
    expect(identity.parameters.roleDefinitionGuid).toBeUndefined();
    const release = parseAllDocuments(
      generation.files.get('infrastructure/controllers/kube-prometheus-stack/release.yaml')!,
    )[0]!.toJS() as { spec: { values: { alertmanager: Record<string, any> } } };
    expect(release.spec.values.alertmanager.serviceAccount.name).toBe(ALERTMANAGER_SMTP.serviceAccount.serviceAccount);
    expect(release.spec.values.alertmanager.config.global.smtp_auth_password_file).toBe(
      `${ALERTMANAGER_SMTP.mountPath}/${ALERTMANAGER_SMTP.secret}`,
    );
    const substitute = moduleOf(template, 'flux')!.parameters.substitute!.value as Record<string, string>;
    expect(substitute.ALERTMANAGER_CLIENT_ID).toMatch(/'alertmanagerIdentity'.*outputs\.clientId\.value/);
  });

  it('no GitHub owner: no Flux extension and no Flux configuration', () => {
    const template = main(MEANING.open!);
    expect(moduleOf(template, 'flux')).toBeUndefined();
    expect(allResources(template).some((r) => r.type.startsWith('Microsoft.KubernetesConfiguration/'))).toBe(false);
    expect(
      allResources(main(MEANING.locked!)).some(
        (r) => r.type === 'Microsoft.KubernetesConfiguration/fluxConfigurations',
      ),
    ).toBe(true);
  });

  it('hub: the firewall and both public IPs are zone-redundant wherever the region has availability zones', () => {
    const network = moduleOf(hub(), 'hubNetwork')!.template;
    const ofType = (type: string) => resourcesOf(network).filter((r) => r.type === type);
    const firewalls = ofType('Microsoft.Network/azureFirewalls');
    expect(firewalls).toHaveLength(1);
    expect(firewalls[0]!.zones).toBe("[variables('firewallZones')]");
    expect(network.variables?.firewallZones).toBe(
      "[pickZones('Microsoft.Network', 'azureFirewalls', parameters('location'), 3)]",
    );
    const publicIps = ofType('Microsoft.Network/publicIPAddresses');
    expect(publicIps.map((ip) => ip.name)).toEqual([
      "[parameters('names').firewallPublicIp]",
      "[parameters('names').bastionPublicIp]",
    ]);
    for (const ip of publicIps) expect(ip.zones, ip.name).toBe("[variables('publicIpZones')]");
    expect(network.variables?.publicIpZones).toBe(
      "[pickZones('Microsoft.Network', 'publicIPAddresses', parameters('location'), 3)]",
    );
  });

  it('hub: firewall (resource-specific tables) and Bastion diagnostics go to the hub Log Analytics workspace', () => {
    const template = hub();
    const monitoring = moduleOf(template, 'hubMonitoring')!;
    expect(resourcesOf(monitoring.template).map((r) => r.type)).toEqual(['Microsoft.OperationalInsights/workspaces']);
    expect(monitoring.parameters.logAnalyticsName?.value).toBe("[parameters('names').logAnalytics]");
    const hubParameters = parameters(MEANING.locked!, 'hub');
    expect((hubParameters.names!.value as Record<string, string>).logAnalytics).toBe('log-core-hub-westeurope');
    expect(hubParameters.logRetentionDays!.value).toBe(30);

    const network = moduleOf(template, 'hubNetwork')!;
    expect(network.parameters.logAnalyticsWorkspaceId?.value).toBe(
      "[reference('hubMonitoring').outputs.logAnalyticsWorkspaceId.value]",
    );
    const settings = resourcesOf(network.template).filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings');
    expect(settings.map((r) => String(r.scope))).toEqual([
      "[resourceId('Microsoft.Network/azureFirewalls', parameters('names').firewall)]",
      "[resourceId('Microsoft.Network/bastionHosts', parameters('names').bastion)]",
    ]);
    const [firewall, bastion] = settings.map((r) => r.properties as any);
    expect(firewall).toEqual({
      workspaceId: "[parameters('logAnalyticsWorkspaceId')]",
      logAnalyticsDestinationType: 'Dedicated',
      logs: FIREWALL_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
      metrics: [{ category: 'AllMetrics', enabled: true }],
    });
    expect(FIREWALL_LOG_CATEGORIES).toContain('AZFWApplicationRule');
    expect(settings[1]!.condition).toBe("[parameters('deployBastion')]");
    expect(bastion).toMatchObject({
      workspaceId: "[parameters('logAnalyticsWorkspaceId')]",
      logs: [{ categoryGroup: 'allLogs', enabled: true }],
      metrics: [{ category: 'AllMetrics', enabled: true }],
    });
  });

  it('hub: one application rule for the images of each deployed component, none for those not deployed', () => {
    const network = moduleOf(hub(), 'hubNetwork')!.template;
    const group = resourcesOf(network).find(
      (r) => r.type === 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
    )!;
    const rules = (group.properties as any).ruleCollections.find((c: any) => c.name === 'aks-application').rules as {
      name: string;
      targetFqdns?: string[];
    }[];
    const example = rules.find((r) => r.name === 'images-example-workload');
    expect(example?.targetFqdns).toEqual(expect.arrayContaining(['registry.k8s.io', '*.pkg.dev']));
    // The enterprise preset runs neither Kured nor the Flux-installed Prometheus stack.
    expect(generations.get(MEANING.locked!.name)!.plan.components).toMatchObject({
      kured: false,
      ossObservability: false,
    });
    expect(rules.filter((r) => r.name.startsWith('images-')).map((r) => r.name)).toEqual(['images-example-workload']);
  });

  it('Arc: each Arc cluster gets exactly one Flux configuration, whose path is its entry point', () => {
    for (const scenario of [MEANING.hybrid!, MEANING.multicloudArc!]) {
      const { plan, files } = generations.get(scenario.name)!;
      const template = main(scenario);
      const arc = moduleOf(template, 'arcClusterExtensions')!;
      const resource = (template.resources as Record<string, ArmResource>).arcClusterExtensions;
      expect(resource?.copy, scenario.name).toMatchObject({ count: "[length(parameters('arcClusters'))]" });
      const configs = allResources(arc.template).filter(
        (r) => r.type === 'Microsoft.KubernetesConfiguration/fluxConfigurations',
      );
      expect(configs).toHaveLength(1);
      expect((configs[0]!.properties as any).kustomizations.cluster.path).toBe("[parameters('clusterPath')]");
      const clusterPath = arc.parameters.clusterPath?.value as string;
      expect(clusterPath).toBe("[format('./clusters/{0}', parameters('arcClusters')[copyIndex()].name)]");
      // Resolved with each environment's parameter file: the paths are exactly the Arc entry points emitted.
      const resolved = plan.environments.flatMap((env) =>
        (parameters(scenario, env.name).arcClusters!.value as { name: string }[]).map((c) => `./clusters/${c.name}`),
      );
      const arcClusters = plan.clusters.filter((c) => c.kind === 'arc');
      expect(resolved.sort()).toEqual(arcClusters.map((c) => `./clusters/${c.entryPoint}`).sort());
      for (const path of resolved) expect(files.has(`${path.slice(2)}/kustomization.yaml`), path).toBe(true);
      // The extensions that stand in for the AKS add-ons, once each.
      const extensions = allResources(arc.template)
        .filter((r) => r.type === 'Microsoft.KubernetesConfiguration/extensions')
        .map((r) => (r.properties as any).extensionType);
      expect(extensions.sort()).toEqual(
        [
          'microsoft.flux',
          'Microsoft.AzureKeyVaultSecretsProvider',
          'Microsoft.PolicyInsights',
          ...(plan.components.containerInsights ? ['Microsoft.AzureMonitor.Containers'] : []),
        ].sort(),
      );
    }
    // Team identities trust the issuers of the Arc clusters that federate (k3s, aks-hybrid), not EKS.
    const federation = (main(MEANING.hybrid!).resources as Record<string, ArmResource>).arcFederation;
    expect(federation?.condition).toBe("[parameters('arcClusters')[copyIndex()].workloadIdentity]");
    expect(parameters(MEANING.hybrid!, 'dev').arcClusters!.value).toEqual([
      { name: 'edge-a', resourceGroup: 'rg-edge', workloadIdentity: true },
      { name: 'edge-b', resourceGroup: 'rg-edge', workloadIdentity: true },
    ]);
    expect(parameters(MEANING.hybrid!, 'prod').arcClusters!.value).toEqual([
      { name: 'eks-c', resourceGroup: 'rg-aws', workloadIdentity: false },
    ]);
  });

  it('Fleet: the members are exactly the AKS clusters, in update groups the stages cover once each', () => {
    const { plan } = generations.get(MEANING.hybrid!.name)!;
    const fleetParams = readJson(join(workspace.root, MEANING.hybrid!.name, 'infra', 'fleet.json')) as {
      parameters: Record<string, { value: any }>;
    };
    const members = fleetParams.parameters.members!.value as {
      clusterName: string;
      resourceGroup: string;
      group: string;
    }[];
    const clusters = plan.environments.map((env) => parameters(MEANING.hybrid!, env.name).names!.value as any);
    expect(members.map((m) => `${m.resourceGroup}/${m.clusterName}`).sort()).toEqual(
      clusters.map((n) => `${n.resourceGroup}/${n.cluster}`).sort(),
    );
    const groups = (fleetParams.parameters.stages!.value as { groups: { name: string }[] }[]).flatMap((s) =>
      s.groups.map((g) => g.name),
    );
    expect(groups.sort()).toEqual(members.map((m) => m.group).sort());
    const template = readJson(
      join(workspace.root, MEANING.hybrid!.name, 'infra', 'fleet.template.json'),
    ) as ArmTemplate;
    const all = allResources(template);
    const fleet = all.find((r) => r.type === 'Microsoft.ContainerService/fleets')!;
    expect(fleet.properties).toEqual({});
    const member = all.find((r) => r.type === 'Microsoft.ContainerService/fleets/members')!;
    expect(member.copy).toMatchObject({ count: "[length(parameters('members'))]" });
    expect((member.properties as any).group).toBe("[parameters('members')[copyIndex()].group]");
    expect(String((member.properties as any).clusterResourceId)).toContain(
      "parameters('members')[copyIndex()].clusterName",
    );
    const profiles = fleetParams.parameters.autoUpgradeProfiles!.value as { channel: string }[];
    expect(profiles.map((p) => p.channel)).toEqual(['Stable', 'NodeImage']);
    const profile = all.find((r) => r.type === 'Microsoft.ContainerService/fleets/autoUpgradeProfiles')!;
    expect(String((profile.properties as any).updateStrategyId)).toContain('updateStrategies');
    // The clusters leave minor versions and node images to the fleet.
    const cluster = clusterOf(main(MEANING.hybrid!));
    expect(cluster.autoUpgradeProfile).toEqual({ upgradeChannel: 'none', nodeOSUpgradeChannel: 'None' });
  });

  it('maintenance configurations follow the upgrade answers', () => {
    const names = (template: ArmTemplate) =>
      allResources(template)
        .filter((r) => r.type === 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations')
        .map((r) => r.name);
    expect(names(main(MEANING.locked!)).sort()).toEqual([
      "[format('{0}/{1}', parameters('clusterName'), 'aksManagedAutoUpgradeSchedule')]",
      "[format('{0}/{1}', parameters('clusterName'), 'aksManagedNodeOSUpgradeSchedule')]",
    ]);
    expect(clusterOf(main(MEANING.locked!)).autoUpgradeProfile).toEqual({
      upgradeChannel: 'patch',
      nodeOSUpgradeChannel: 'NodeImage',
    });
    expect(parameters(MEANING.locked!, 'prod').maintenanceWindow!.value).toEqual({
      dayOfWeek: 'Tuesday',
      startTime: '09:00',
      durationHours: 4,
      utcOffset: '+00:00',
    });
  });

  // ---- PSRule for Azure: each rule the platform used to fail, asserted on the compiled JSON ----

  const preset = (name: string) => PRESET_SCENARIOS.find((s) => s.name === `preset-${name}`)!;
  const moduleTemplate = (scenario: Scenario, symbol: string) => moduleOf(main(scenario), symbol)!.template;
  const resourcesOfType = (template: ArmTemplate, type: string) =>
    allResources(template).filter((r) => r.type === type);

  it('Azure.AKS.NodeMinPods: every pool sets maxPods explicitly, at least 50 (250 with overlay, 110 with kubenet)', () => {
    expect(JSON.stringify(clusterOf(main(MEANING.locked!)))).toContain(
      "'maxPods', parameters('agentPools')[copyIndex('agentPoolProfiles')].maxPods",
    );
    for (const [scenario, maxPods] of [
      [MEANING.locked!, 250],
      [MEANING.kubenet!, 110],
    ] as const) {
      for (const env of ['dev', 'prod']) {
        const pools = parameters(scenario, env).agentPools!.value as { name: string; maxPods: number }[];
        expect(
          pools.map((p) => p.maxPods),
          `${scenario.name} ${env}`,
        ).toEqual(pools.map(() => maxPods));
      }
    }
  });

  it('node pools: every pool whose VM size holds its OS disk is ephemeral; each runs the cluster version; autoscaler profile and run command', () => {
    const seen = new Set<string>();
    // AKS Automatic has no pools of ours (its own test below).
    for (const scenario of SCENARIOS.filter((s) => !generations.get(s.name)!.plan.components.automatic)) {
      const template = JSON.stringify(clusterOf(main(scenario)));
      expect(template, scenario.name).toContain(
        "'osDiskType', parameters('agentPools')[copyIndex('agentPoolProfiles')].osDiskType",
      );
      expect(template, scenario.name).toContain("'orchestratorVersion', parameters('kubernetesVersion')");
      const cluster = clusterOf(main(scenario));
      expect(cluster.autoScalerProfile, scenario.name).toEqual(AUTOSCALER_PROFILE);
      expect(cluster.apiServerAccessProfile.disableRunCommand, scenario.name).toBe(true);
      const answers = generations.get(scenario.name)!.plan.answers;
      answers.environments.forEach((envAnswers, i) => {
        const pools = parameters(scenario, envAnswers.name).agentPools!.value as {
          name: string;
          vmSize: string;
          osDiskType: string;
          osDiskSizeGB: number;
        }[];
        for (const p of pools) {
          const asked =
            p.name === 'spot' ? 'auto' : envAnswers[p.name === 'system' ? 'systemPool' : 'userPool'].osDiskType;
          const capacity = ephemeralCapacityGiB(p.vmSize);
          const where = `${scenario.name} environments.${i} ${p.name}`;
          if (asked === 'Managed' || capacity === undefined) continue;
          expect(p.osDiskType, where).toBe(capacity >= p.osDiskSizeGB ? 'Ephemeral' : 'Managed');
          seen.add(p.osDiskType);
        }
      });
    }
    // Both outcomes occur (the nodePools factor has a size without a temp disk), so neither half is vacuous.
    expect([...seen].sort()).toEqual(['Ephemeral', 'Managed']);
    // The starter's 2-vCPU system pool (75 GiB temp disk) gets a 64 GiB ephemeral disk; its 4-vCPU pools 128 GiB.
    const starter = parameters(preset('starter'), 'prod').agentPools!.value as {
      osDiskType: string;
      osDiskSizeGB: number;
    }[];
    expect(starter.map((p) => [p.osDiskType, p.osDiskSizeGB])).toEqual([
      ['Ephemeral', 64],
      ['Ephemeral', 128],
    ]);
  });

  it('hub-owned DNS zones: referenced, never created; the API server zone role is granted in the hub resource group', () => {
    const template = main(MEANING.centralDns!);
    expect(resourcesOfType(template, 'Microsoft.Network/privateDnsZones')).toEqual([]);
    const ids = HUB_ZONE_SETS.map((set) => set.split('=')[1]!);
    const zoneParams = modulesOf(template).flatMap((m) =>
      Object.entries(m.parameters)
        .filter(([name]) => /DnsZoneId$/.test(name))
        .map(([, p]) =>
          String(p.value)
            .replace("[format('", '')
            .replace("{0}', environment().suffixes.storage)]", 'core.windows.net'),
        ),
    );
    // Every private endpoint and the cluster register in a hub zone.
    expect(new Set(zoneParams)).toEqual(new Set(ids));
    const deployments = template.resources as Record<string, ArmResource>;
    expect(deployments.clusterDnsZoneRole).toMatchObject({
      resourceGroup: 'rg-dns',
      subscriptionId: '00000000-0000-0000-0000-000000000000',
    });
    const role = moduleOf(template, 'clusterDnsZoneRole')!;
    expect(roleAssignments(role.template, BUILT_IN_ROLES.privateDnsZoneContributor)).toHaveLength(1);
    expect(deployments.cluster!.dependsOn).toContain('clusterDnsZoneRole');
    // Without hub zones the environment creates and links its own: one per zone the plan uses.
    const own = main(MEANING.filebeat!);
    expect(
      resourcesOfType(own, 'Microsoft.Network/privateDnsZones')
        .map((r) => String(r.name))
        .sort(),
    ).toHaveLength(5);
  });

  it('Event Hubs: no public access, trusted Azure Monitor, a private endpoint; Listen-only for Filebeat beside the diagnostic rule', () => {
    const eventHubs = moduleTemplate(MEANING.filebeat!, 'eventHubs');
    const [namespace] = resourcesOfType(eventHubs, 'Microsoft.EventHub/namespaces');
    expect(namespace!.properties).toMatchObject({ publicNetworkAccess: 'Disabled', disableLocalAuth: false });
    const [rules] = resourcesOfType(eventHubs, 'Microsoft.EventHub/namespaces/networkRuleSets');
    expect(rules!.properties).toMatchObject({
      publicNetworkAccess: 'Disabled',
      defaultAction: 'Deny',
      trustedServiceAccessEnabled: true,
      ipRules: [],
    });
    const [endpoint] = resourcesOfType(eventHubs, 'Microsoft.Network/privateEndpoints');
    expect(JSON.stringify(endpoint!.properties)).toContain('"groupIds":["namespace"]');
    const filebeat = moduleTemplate(MEANING.filebeat!, 'filebeat');
    const listen = resourcesOfType(filebeat, 'Microsoft.EventHub/namespaces/authorizationRules');
    expect(listen.map((r) => (r.properties as { rights: string[] }).rights)).toEqual([['Listen']]);
  });

  it('Azure.AKS.PlatformLogs: API server, controller manager, scheduler and autoscaler logs with AllMetrics; admin audit and guard kept', () => {
    for (const scenario of [MEANING.locked!, MEANING.open!, preset('starter')]) {
      const [setting] = resourcesOfType(moduleTemplate(scenario, 'cluster'), 'Microsoft.Insights/diagnosticSettings');
      const props = setting!.properties as {
        logs: { category: string; enabled: boolean }[];
        metrics: { category: string }[];
      };
      expect(
        props.logs.filter((l) => l.enabled).map((l) => l.category),
        scenario.name,
      ).toEqual(
        expect.arrayContaining([
          'kube-apiserver',
          'kube-controller-manager',
          'kube-scheduler',
          'cluster-autoscaler',
          'kube-audit-admin',
          'guard',
        ]),
      );
      expect(props.metrics.map((m) => m.category)).toContain('AllMetrics');
    }
  });

  it('Azure.AKS.AuthorizedIPs: a public API server gets the answered ranges; a load balancer egress is added by AKS itself', () => {
    expect(parameters(MEANING.open!, 'prod').authorizedIpRanges!.value).toEqual(['203.0.113.0/24']);
    expect(moduleOf(main(MEANING.open!), 'cluster')?.parameters.authorizedIpRanges?.value).toBe(
      "[parameters('authorizedIpRanges')]",
    );
    expect(main(MEANING.locked!).parameters).not.toHaveProperty('authorizedIpRanges');
    expect(clusterOf(main(MEANING.locked!)).apiServerAccessProfile).not.toHaveProperty('authorizedIPRanges');
  });

  it('Azure.AKS.MaintenanceWindow: both AKS-managed schedules on every cluster, also with the Unmanaged channel and Kured', () => {
    for (const scenario of [preset('starter'), preset('default'), MEANING.kubenet!]) {
      const names = resourcesOfType(
        main(scenario),
        'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
      ).map((r) => r.name);
      expect(names.sort(), scenario.name).toEqual([
        "[format('{0}/{1}', parameters('clusterName'), 'aksManagedAutoUpgradeSchedule')]",
        "[format('{0}/{1}', parameters('clusterName'), 'aksManagedNodeOSUpgradeSchedule')]",
      ]);
    }
    expect(clusterOf(main(preset('starter'))).autoUpgradeProfile.nodeOSUpgradeChannel).toBe('Unmanaged');
  });

  // ---- guardrails: policy, registry retention, alerting, AKS events ----

  const policyAssignments = (scenario: Scenario) =>
    resourcesOfType(moduleTemplate(scenario, 'policy'), 'Microsoft.Authorization/policyAssignments').map(
      (r) =>
        r.properties as {
          policyDefinitionId: string;
          parameters: Record<string, { value: unknown }>;
        },
    );

  it('policy: the pod security initiative and the allowed images policy on each cluster, Deny in production, Audit elsewhere', () => {
    const template = moduleTemplate(MEANING.guarded!, 'policy');
    const assignments = policyAssignments(MEANING.guarded!);
    expect(assignments.map((a) => a.policyDefinitionId)).toEqual([
      `[tenantResourceId('Microsoft.Authorization/policySetDefinitions', '${POLICY_DEFINITIONS.baseline.id}')]`,
      `[tenantResourceId('Microsoft.Authorization/policyDefinitions', '${POLICY_DEFINITIONS.allowedImages.id}')]`,
    ]);
    for (const assignment of assignments) {
      expect(assignment.parameters.effect!.value).toBe("[parameters('policyEffect')]");
      expect(assignment.parameters.excludedNamespaces!.value).toBe("[variables('excludedNamespaces')]");
    }
    // Assigned at the cluster, not the resource group or subscription.
    for (const r of resourcesOfType(template, 'Microsoft.Authorization/policyAssignments'))
      expect(String(r.scope)).toContain('Microsoft.ContainerService/managedClusters');
    expect(moduleOf(main(MEANING.guarded!), 'policy')?.parameters.policyEffect?.value).toBe(
      "[parameters('policyEffect')]",
    );
    expect(parameters(MEANING.guarded!, 'prod').policyEffect!.value).toBe('Deny');
    expect(parameters(MEANING.guarded!, 'dev').policyEffect!.value).toBe('Audit');
    // The system namespaces, and the Gateway's, whose pods (the add-on's proxies) are the platform's, from MCR.
    expect(template.variables?.excludedNamespaces).toEqual([
      'kube-system',
      'gatekeeper-system',
      'flux-system',
      'gateway-system',
    ]);
  });

  it('policy: the registry policy lists the platform registry first, then the example workload registry and the answered ones', () => {
    expect(moduleOf(main(MEANING.guarded!), 'policy')?.parameters.allowedRegistries?.value).toEqual([
      "[reference('registry').outputs.loginServer.value]",
      'registry.k8s.io',
      'ghcr.io/contoso',
    ]);
    const regex = String(policyAssignments(MEANING.guarded!)[1]!.parameters.allowedContainerImagesRegex!.value);
    expect(regex).toContain("variables('allowedImagesRegex')");
    expect(String(moduleTemplate(MEANING.guarded!, 'policy').variables?.allowedImagesRegex)).toContain(
      "replace(lambdaVariables('registry'), '.', '\\.')",
    );
  });

  it('policy: restricted picks the restricted initiative; without the add-on nothing is assigned', () => {
    const restricted = pairwiseScenarios().find(
      (s) => s.sets.includes('cluster.podSecurityStandard=restricted') && !s.sets.includes('cluster.azurePolicy=false'),
    );
    expect(restricted, 'a pairwise scenario with the restricted standard').toBeDefined();
    expect(policyAssignments(restricted!)[0]!.policyDefinitionId).toContain(POLICY_DEFINITIONS.restricted.id);
    const off = SCENARIOS.find((s) => s.sets.includes('cluster.azurePolicy=false'))!;
    expect(moduleOf(main(off), 'policy')).toBeUndefined();
    expect(main(off).parameters).not.toHaveProperty('policyEffect');
  });

  it('Azure.ACR.Retention: untagged manifests are deleted after 7 days', () => {
    const [registry] = resourcesOfType(main(MEANING.guarded!), 'Microsoft.ContainerRegistry/registries');
    expect(registry!.properties).toMatchObject({
      policies: { retentionPolicy: { days: REGISTRY_UNTAGGED_RETENTION_DAYS, status: 'enabled' } },
    });
    expect(REGISTRY_UNTAGGED_RETENTION_DAYS).toBe(7);
  });

  it('alerting: an action group of the answered addresses, and the platform alerts notify it', () => {
    const template = moduleTemplate(MEANING.guarded!, 'alerts');
    const [group] = resourcesOfType(template, 'Microsoft.Insights/actionGroups');
    expect(JSON.stringify(group!.properties)).toContain("parameters('alertEmails')");
    expect(group!.properties).toMatchObject({ enabled: true, groupShortName: "[parameters('actionGroupShortName')]" });
    expect(parameters(MEANING.guarded!, 'prod').alertEmails!.value).toEqual([
      'platform-oncall@contoso.com',
      'sre@contoso.com',
    ]);
    const groups = resourcesOfType(template, 'Microsoft.AlertsManagement/prometheusRuleGroups');
    const alerts = groups.find((g) => String(g.name).includes('PlatformAlerts'))!;
    expect(JSON.stringify(alerts.properties)).toContain("resourceId('Microsoft.Insights/actionGroups'");
    const rules = template.variables?.alertRules as { alert: string }[];
    expect(new Set(ALERT_RULES.map((r) => r.concern))).toEqual(
      new Set(['node-not-ready', 'pod-restarts', 'cpu-pressure', 'memory-pressure', 'failed-deployments']),
    );
    expect(rules.map((r) => r.alert)).toEqual(ALERT_RULES.map((r) => r.alert));
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['KubeNodeNotReady', 'KubePodContainerRestart', 'KubeDeploymentReplicasMismatch']),
    );
    // The recording rules the dashboards read, under the names Azure gives them.
    const recording = template.variables?.recordingRuleGroups as { prefix: string; rules: { record: string }[] }[];
    expect(recording.map((g) => g.prefix)).toEqual([
      'NodeRecordingRulesRuleGroup',
      'KubernetesRecordingRulesRuleGroup',
    ]);
    expect(recording[1]!.rules.map((r) => r.record)).toContain(
      'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate',
    );
  });

  it('alerting: without an address no action group, and the alerts notify nobody', () => {
    const template = moduleTemplate(preset('default'), 'alerts');
    expect(resourcesOfType(template, 'Microsoft.Insights/actionGroups')).toEqual([]);
    expect(resourcesOfType(template, 'Microsoft.Insights/scheduledQueryRules')).toEqual([]);
    expect(JSON.stringify(template)).not.toContain('actionGroupId');
    expect(generations.get(preset('default').name)!.plan.omissions.map((o) => o.what)).toContain(
      'alert notifications (the action group)',
    );
  });

  it('AKS events: an Event Grid system topic on each cluster; upgrade runs reach the action group through Resource Graph alerts', () => {
    const template = moduleTemplate(MEANING.guarded!, 'alerts');
    const [topic] = resourcesOfType(template, 'Microsoft.EventGrid/systemTopics');
    expect(topic!.properties).toEqual({
      source: "[resourceId('Microsoft.ContainerService/managedClusters', parameters('clusterName'))]",
      topicType: 'Microsoft.ContainerService.ManagedClusters',
    });
    const [rules] = resourcesOfType(template, 'Microsoft.Insights/scheduledQueryRules');
    expect(rules!.copy).toMatchObject({ count: "[length(variables('upgradeKinds'))]" });
    // Only the channels AKS runs itself; with the fleet on, node images roll through the fleet's update runs.
    const plan = generations.get(MEANING.guarded!.name)!.plan;
    expect(template.variables?.upgradeKinds).toEqual(upgradeNotificationKinds(plan));
    expect(template.variables?.upgradeKinds).toContain('K8sVersionUpgrade');
    expect(String(template.variables?.upgradeQuery)).toContain('arg("").containerserviceeventresources');
    expect(rules!.identity).toEqual({ type: 'SystemAssigned' });
    expect(roleAssignments(template, BUILT_IN_ROLES.reader)).toHaveLength(1);
  });

  it('registry push: the operator identity holds AcrPush on its environment registry only, granted by the environment deployment', () => {
    const push = jobRole('image-push');
    expect(push).toMatchObject({ identity: 'operator', trigger: 'environment', scope: 'registry' });
    const template = moduleTemplate(MEANING.guarded!, 'pipelineOperator');
    const grants = roleAssignments(template, push.builtInRole!.id);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.scope).toContain('Microsoft.ContainerRegistry/registries');
    expect(grants[0]!.principalId).toContain("'Microsoft.ManagedIdentity/userAssignedIdentities'");
    expect(moduleOf(main(MEANING.guarded!), 'pipelineOperator')?.parameters.registryName?.value).toContain(
      "reference('registry')",
    );
    // The plan identity (pull requests) never gets it: its grants are Reader and what-if only.
    expect(operatorActions()).not.toContain('Microsoft.ContainerRegistry/registries/push/write');
  });

  it('Azure.ACR.ExportPolicy: Premium registry with public access and export both disabled', () => {
    const [registry] = resourcesOfType(main(MEANING.locked!), 'Microsoft.ContainerRegistry/registries');
    expect(registry!.sku).toEqual({ name: 'Premium' });
    expect(registry!.properties).toMatchObject({
      publicNetworkAccess: 'Disabled',
      policies: { exportPolicy: { status: 'disabled' } },
    });
  });

  it('Azure.NSG.LateralTraversal: every spoke NSG denies SSH and RDP to the virtual network', () => {
    for (const scenario of [MEANING.locked!, MEANING.open!]) {
      const nsgs = resourcesOfType(moduleTemplate(scenario, 'network'), 'Microsoft.Network/networkSecurityGroups');
      expect(nsgs.length, scenario.name).toBeGreaterThanOrEqual(4);
      for (const nsg of nsgs) {
        const rules = (nsg.properties as { securityRules: { properties: Record<string, unknown> }[] }).securityRules;
        expect(
          rules.map((r) => r.properties),
          String(nsg.name),
        ).toContainEqual(
          expect.objectContaining({
            direction: 'Outbound',
            access: 'Deny',
            destinationAddressPrefix: 'VirtualNetwork',
            destinationPortRanges: ['22', '3389'],
          }),
        );
      }
    }
  });

  it('Azure.VNET.UseNSGs: AzureBastionSubnet carries the NSG Microsoft documents for Bastion, rule for rule', () => {
    const template = hub();
    const [vnet] = resourcesOfType(template, 'Microsoft.Network/virtualNetworks');
    const subnets = (vnet!.properties as { subnets: { name: string; properties: Record<string, any> }[] }).subnets;
    const bastion = subnets.find((s) => s.name === 'AzureBastionSubnet')!;
    expect(bastion.properties.networkSecurityGroup.id).toContain('-bastion');
    const [nsg] = resourcesOfType(template, 'Microsoft.Network/networkSecurityGroups');
    const rules = (nsg!.properties as { securityRules: { name: string; properties: Record<string, any> }[] })
      .securityRules;
    expect(
      rules.map((r) => [
        r.name,
        r.properties.direction,
        r.properties.sourceAddressPrefix,
        r.properties.destinationAddressPrefix,
        r.properties.destinationPortRange ?? r.properties.destinationPortRanges.join(','),
      ]),
    ).toEqual([
      ['AllowHttpsInbound', 'Inbound', 'Internet', '*', '443'],
      ['AllowGatewayManagerInbound', 'Inbound', 'GatewayManager', '*', '443'],
      ['AllowAzureLoadBalancerInbound', 'Inbound', 'AzureLoadBalancer', '*', '443'],
      ['AllowBastionHostCommunication', 'Inbound', 'VirtualNetwork', 'VirtualNetwork', '8080,5701'],
      ['AllowSshRdpOutbound', 'Outbound', '*', 'VirtualNetwork', '22,3389'],
      ['AllowAzureCloudOutbound', 'Outbound', '*', 'AzureCloud', '443'],
      ['AllowBastionCommunication', 'Outbound', 'VirtualNetwork', 'VirtualNetwork', '8080,5701'],
      ['AllowHttpOutbound', 'Outbound', '*', 'Internet', '80'],
    ]);
    expect(rules).toHaveLength(BASTION_NSG_RULES.length);
  });

  it('Azure.Grafana.Version and Azure.Grafana.AvailabilityZone: major version pinned, zone-redundant in production only', () => {
    const [grafana] = resourcesOfType(main(MEANING.locked!), 'Microsoft.Dashboard/grafana');
    expect(grafana!.properties).toMatchObject({
      grafanaMajorVersion: GRAFANA_MAJOR_VERSION,
      zoneRedundancy: "[if(parameters('zoneRedundant'), 'Enabled', 'Disabled')]",
    });
    expect(Number(GRAFANA_MAJOR_VERSION)).toBeGreaterThanOrEqual(12);
    expect(parameters(MEANING.locked!, 'prod').zoneRedundant!.value).toBe(true);
    expect(parameters(MEANING.locked!, 'dev').zoneRedundant!.value).toBe(false);
  });
});
