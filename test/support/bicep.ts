import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { inParallel, openBicep } from '../../src/bicep/engine.js';
import { completeSets, STARTER_RANGES } from './presets.js';
import type { FileMap } from '../../src/render/index.js';
import { composeAnswers } from '../../src/answers/load.js';
import { generatePlatform, type Generation } from '../../src/generate.js';
import { bicepPath, missingTool } from './tools.js';

// The real Bicep CLI over rendered infra/ folders. Many scenarios are written under one root and compiled by one
// long-lived Bicep process (src/bicep/engine.ts).

const run = promisify(execFile);

export interface Diagnostic {
  file: string;
  line: string;
  level: 'Warning' | 'Error' | 'Info';
  code: string;
  message: string;
}

/** A temporary root; each scenario's files go into their own sub-folder. */
export function makeWorkspace(prefix = 'aks-infra-'): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes the infra/ part of a rendered file map under root/<name>. */
export function writeInfra(root: string, name: string, files: FileMap): string {
  const dir = join(root, name);
  for (const [path, content] of files) {
    if (!path.startsWith('infra/')) continue;
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return dir;
}

const DIAGNOSTIC = /^(.+?)\((\d+),\d+\) : (Warning|Error|Info) ([^:]+): (.*)$/;

export function parseDiagnostics(output: string): Diagnostic[] {
  return output
    .split('\n')
    .map((line) => DIAGNOSTIC.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[1]!, line: m[2]!, level: m[3] as Diagnostic['level'], code: m[4]!, message: m[5]! }));
}

export interface BicepRun {
  command: string;
  output: string;
  diagnostics: Diagnostic[];
  exitCode: number;
}

async function bicep(cli: string, args: string[]): Promise<BicepRun> {
  const command = `bicep ${args.join(' ')}`;
  try {
    const { stdout, stderr } = await run(cli, args, {
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    const output = `${stdout}\n${stderr}`;
    return { command, output, diagnostics: parseDiagnostics(output), exitCode: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    const output = `${e.stdout ?? ''}\n${e.stderr ?? ''}`;
    return {
      command,
      output,
      diagnostics: parseDiagnostics(output),
      exitCode: typeof e.code === 'number' ? e.code : 1,
    };
  }
}

/**
 * Compiles (with the linter) every entry point (infra/*.bicep) and every parameter file (infra/*.bicepparam) of all
 * scenarios under root through one Bicep process (`bicep jsonrpc`; one process per file if that is unavailable).
 * Compiled JSON lands next to the sources, parameter files last (hub.bicepparam's hub.json wins over hub.bicep's).
 * One run per kind of request, with each diagnostic as a line of its output.
 */
export async function compileAll(cli: string, root: string): Promise<BicepRun[]> {
  const scenarios = readdirSync(root).filter((name) => existsSync(join(root, name, 'infra')));
  const inInfra = (suffix: string) =>
    scenarios.flatMap((name) =>
      readdirSync(join(root, name, 'infra'))
        .filter((f) => f.endsWith(suffix))
        .map((f) => join(root, name, 'infra', f)),
    );
  const engine = await openBicep(cli);
  try {
    const runOf = async (kind: 'compile' | 'compileParams', files: string[]): Promise<BicepRun> => {
      const results = await inParallel(files, 2, (file) =>
        kind === 'compile' ? engine.compile(file) : engine.compileParams(file),
      );
      results.forEach((r, i) => {
        if (r.contents !== undefined) writeFileSync(files[i]!.replace(/\.bicep(param)?$/, '.json'), r.contents);
      });
      const diagnostics = results.flatMap((r) =>
        r.diagnostics.map((d) => ({ ...d, line: String(d.line), file: d.file })),
      );
      return {
        command: `bicep ${kind} (${engine.mode}, ${files.length} files)`,
        output: diagnostics.map((d) => `${d.file}(${d.line},1) : ${d.level} ${d.code}: ${d.message}`).join('\n'),
        diagnostics,
        exitCode: results.every((r) => r.success) ? 0 : 1,
      };
    };
    const build = await runOf('compile', inInfra('.bicep'));
    const params = await runOf('compileParams', inInfra('.bicepparam'));
    return [build, params];
  } finally {
    await engine.close();
  }
}

/**
 * Builds one template to the given file. hub.bicep and hub.bicepparam both compile to hub.json (the parameter file,
 * built last, wins), so a test that reads the compiled hub template builds it apart.
 */
export function buildTemplate(cli: string, file: string, outfile: string): Promise<BicepRun> {
  return bicep(cli, ['build', file, '--outfile', outfile]);
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** The Bicep CLI, and whether its tests skip (loudly; a missing CLI fails the run under CI). */
export function bicepCli(): { cli: string | undefined; skip: boolean } {
  const cli = bicepPath();
  const skip =
    cli === undefined &&
    missingTool('Bicep CLI', 'run `node scripts/install-tools.mjs` to restore it under tools/bicep');
  return { cli, skip };
}

/** Scenarios generated, their infra/ written under one workspace and compiled there by the real Bicep CLI. */
export interface CompiledScenarios {
  root: string;
  cleanup: () => void;
  generations: Map<string, Generation>;
  runs: BicepRun[];
  /** A scenario's compiled infra/main.json. */
  main: (scenario: Scenario) => ArmTemplate;
}

/** The setup the Bicep meaning tests share: generate each scenario, write its infra/, compile them all. */
export async function compileScenarios(
  cli: string,
  scenarios: readonly Scenario[],
  prefix?: string,
): Promise<CompiledScenarios> {
  const workspace = makeWorkspace(prefix);
  const generations = new Map<string, Generation>();
  for (const s of scenarios) {
    const generation = generatePlatform(
      composeAnswers({ preset: s.preset, sets: completeSets(s.preset, s.sets) }),
      s.preset,
    );
    generations.set(s.name, generation);
    writeInfra(workspace.root, s.name, generation.files);
  }
  const runs = await compileAll(cli, workspace.root);
  const main = (s: Scenario) => readJson(join(workspace.root, s.name, 'infra', 'main.json')) as ArmTemplate;
  return { ...workspace, generations, runs, main };
}

/** The properties of the managedClusters resource in a compiled template. */
export function clusterProperties(template: ArmTemplate): Record<string, any> {
  const cluster = allResources(template).find((r) => r.type === 'Microsoft.ContainerService/managedClusters');
  if (!cluster?.properties) throw new Error('no managedClusters resource in the compiled template');
  return cluster.properties as Record<string, any>;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading compiled ARM JSON (languageVersion 2.0 keeps resources in an object keyed by symbolic name)

export interface ArmResource {
  type: string;
  name?: string;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ArmTemplate {
  resources?: ArmResource[] | Record<string, ArmResource>;
  variables?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  [key: string]: unknown;
}

export function resourcesOf(template: ArmTemplate): ArmResource[] {
  const list = template.resources ?? [];
  return Array.isArray(list) ? list : Object.values(list);
}

/** A module call (nested deployment) with the template it deploys. */
export interface ArmModule {
  symbol: string;
  parameters: Record<string, { value?: unknown }>;
  template: ArmTemplate;
}

export function modulesOf(template: ArmTemplate): ArmModule[] {
  const list = template.resources ?? [];
  const entries: [string, ArmResource][] = Array.isArray(list)
    ? list.map((r, i) => [String(i), r])
    : Object.entries(list);
  return entries
    .filter(([, r]) => r.type === 'Microsoft.Resources/deployments')
    .map(([symbol, r]) => {
      const props = r.properties as { parameters?: Record<string, { value?: unknown }>; template?: ArmTemplate };
      return { symbol, parameters: props.parameters ?? {}, template: props.template ?? {} };
    });
}

/** Every resource of a template and of the templates it deploys, however deep. */
export function allResources(template: ArmTemplate): ArmResource[] {
  const own = resourcesOf(template);
  return [...own, ...modulesOf(template).flatMap((m) => allResources(m.template))];
}

export interface RoleAssignment {
  /** The role definition expression with `variables('x')` of its own template resolved. */
  roleDefinitionId: string;
  principalId: string;
  scope: string;
}

/** Every role assignment of a template and the templates it deploys, with role definitions resolved. */
export function roleAssignmentsOf(template: ArmTemplate): RoleAssignment[] {
  const variables = template.variables ?? {};
  const resolve = (value: unknown) =>
    String(value).replace(/^\[variables\('([^']+)'\)\]$/, (whole, name: string) => String(variables[name] ?? whole));
  const own = resourcesOf(template)
    .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
    .map((r) => {
      const props = (r.properties ?? {}) as { roleDefinitionId?: unknown; principalId?: unknown };
      return {
        roleDefinitionId: resolve(props.roleDefinitionId),
        principalId: String(props.principalId),
        scope: String(r.scope ?? ''),
      };
    });
  return [...own, ...modulesOf(template).flatMap((m) => roleAssignmentsOf(m.template))];
}

// ---------------------------------------------------------------------------------------------------------------
// Answer combinations for the Bicep suite: a pairwise-covering set over the choices that shape the infrastructure
// (every pair of values of any two factors appears in at least one scenario, invalid pairs excepted), built greedily
// and deterministically.

export interface Factor {
  name: string;
  values: Record<string, string[]>;
}

const HUB_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub';

const DNS_ZONES =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network';

const HUB_ZONES =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones';

/** Every privatelink zone as the landing zone's hub owns it (network.privateDnsZones). */
export const HUB_ZONE_SETS = [
  `network.privateDnsZones.aksApiServer=${HUB_ZONES}/privatelink.westeurope.azmk8s.io`,
  `network.privateDnsZones.keyVault=${HUB_ZONES}/privatelink.vaultcore.azure.net`,
  `network.privateDnsZones.containerRegistry=${HUB_ZONES}/privatelink.azurecr.io`,
  `network.privateDnsZones.blob=${HUB_ZONES}/privatelink.blob.core.windows.net`,
  `network.privateDnsZones.eventHubs=${HUB_ZONES}/privatelink.servicebus.windows.net`,
];

export const FACTORS: Factor[] = [
  {
    name: 'networking',
    values: {
      'overlay-cilium': [
        'network.plugin=azure-cni-overlay',
        'network.dataplane=cilium',
        'network.networkPolicy=cilium',
      ],
      'overlay-calico': ['network.plugin=azure-cni-overlay', 'network.dataplane=azure', 'network.networkPolicy=calico'],
      'cni-cilium': ['network.plugin=azure-cni', 'network.dataplane=cilium', 'network.networkPolicy=cilium'],
      'cni-azure': ['network.plugin=azure-cni', 'network.dataplane=azure', 'network.networkPolicy=azure'],
      'kubenet-calico': ['network.plugin=kubenet', 'network.dataplane=azure', 'network.networkPolicy=calico'],
      'kubenet-none': ['network.plugin=kubenet', 'network.dataplane=azure', 'network.networkPolicy=none'],
    },
  },
  {
    name: 'podIdentity',
    values: {
      'workload-identity': ['identity.podIdentity=workload-identity'],
      'aad-pod-identity': ['identity.podIdentity=aad-pod-identity'],
      none: ['identity.podIdentity=none', 'teams.0.keyVaultSecrets=[]'],
    },
  },
  {
    name: 'kubeletIdentity',
    values: {
      'user-assigned': ['identity.kubeletIdentity=user-assigned'],
      'cluster-managed': ['identity.kubeletIdentity=cluster-managed'],
    },
  },
  {
    name: 'authorization',
    values: {
      'azure-rbac': [
        'identity.entraId=true',
        'identity.authorization=azure-rbac',
        'identity.adminGroupObjectIds=[11111111-1111-1111-1111-111111111111]',
        'teams.0.entraGroupObjectId=22222222-2222-2222-2222-222222222222',
      ],
      'kubernetes-rbac': [
        'identity.entraId=true',
        'identity.authorization=kubernetes-rbac',
        'teams.0.entraGroupObjectId=22222222-2222-2222-2222-222222222222',
      ],
      'no-entra': [
        'identity.entraId=false',
        'identity.authorization=kubernetes-rbac',
        'identity.disableLocalAccounts=false',
      ],
    },
  },
  {
    name: 'observability',
    values: {
      'azure-monitor': [
        'observability.stack=azure-monitor',
        'observability.managedPrometheus=true',
        'observability.managedGrafana=true',
      ],
      'insights-only': [
        'observability.stack=azure-monitor',
        'observability.managedPrometheus=false',
        'observability.managedGrafana=false',
      ],
      'grafana-streaming': [
        'observability.stack=azure-monitor',
        'observability.managedPrometheus=false',
        'observability.managedGrafana=true',
        'observability.eventHubsStreaming=true',
      ],
      oss: [
        'observability.stack=oss',
        'observability.managedPrometheus=false',
        'observability.managedGrafana=false',
        'observability.eventHubsStreaming=true',
        'observability.elasticsearchUrl=https://logs.example.com:9243',
      ],
    },
  },
  {
    name: 'upgrades',
    values: {
      none: ['upgrades.autoUpgradeChannel=none', 'upgrades.nodeOsUpgradeChannel=None'],
      patch: ['upgrades.autoUpgradeChannel=patch', 'upgrades.nodeOsUpgradeChannel=SecurityPatch'],
      stable: ['upgrades.autoUpgradeChannel=stable', 'upgrades.nodeOsUpgradeChannel=Unmanaged'],
      rapid: ['upgrades.autoUpgradeChannel=rapid', 'upgrades.nodeOsUpgradeChannel=NodeImage'],
      'node-image': ['upgrades.autoUpgradeChannel=node-image', 'upgrades.nodeOsUpgradeChannel=NodeImage'],
    },
  },
  {
    name: 'egress',
    values: {
      'lb-standalone': ['network.hub.mode=none', 'network.egress=loadBalancer'],
      'nat-standalone': ['network.hub.mode=none', 'network.egress=natGateway'],
      'firewall-created-hub': ['network.hub.mode=create', 'network.egress=firewall'],
      'firewall-existing-hub': [
        'network.hub.mode=existing',
        `network.hub.vnetResourceId=${HUB_ID}`,
        'network.hub.firewallPrivateIp=10.0.0.4',
        'network.egress=firewall',
      ],
      'lb-existing-hub': [
        'network.hub.mode=existing',
        `network.hub.vnetResourceId=${HUB_ID}`,
        'network.egress=loadBalancer',
      ],
      'nat-created-hub': ['network.hub.mode=create', 'network.egress=natGateway'],
    },
  },
  {
    name: 'ingress',
    values: {
      'gateway-public-tls-dns': [
        'ingress.implementation=app-routing-gateway',
        'ingress.publicLoadBalancer=true',
        'ingress.certificateName=wildcard-apps',
        `ingress.dnsZoneResourceId=${DNS_ZONES}/dnszones/apps.contoso.com`,
      ],
      'gateway-internal-tls-private-dns': [
        'ingress.implementation=app-routing-gateway',
        'ingress.publicLoadBalancer=false',
        'ingress.certificateName=wildcard-apps',
        `ingress.dnsZoneResourceId=${DNS_ZONES}/privateDnsZones/apps.contoso.internal`,
      ],
      'gateway-plain': ['ingress.implementation=app-routing-gateway'],
      'agc-tls-dns': [
        'ingress.implementation=application-gateway-for-containers',
        'ingress.certificateName=wildcard-apps',
        `ingress.dnsZoneResourceId=${DNS_ZONES}/dnszones/apps.contoso.com`,
      ],
      none: ['ingress.implementation=none'],
    },
  },
  {
    name: 'guardrails',
    values: {
      'baseline-silent': ['cluster.podSecurityStandard=baseline'],
      'restricted-notified': [
        'cluster.podSecurityStandard=restricted',
        // The restricted standard refuses CSI volumes, so the team mounts no Key Vault secret.
        'teams.0.keyVaultSecrets=[]',
        'cluster.allowedRegistries=[ghcr.io/contoso]',
        'observability.alertEmails=[platform-oncall@contoso.com]',
      ],
    },
  },
  {
    name: 'nodePools',
    values: {
      defaults: [],
      'managed-maxpods': [
        'environments.0.systemPool.osDiskType=Managed',
        'environments.0.userPool.maxPods=60',
        'environments.1.userPool.maxPods=60',
      ],
      'small-ephemeral': [
        'environments.0.userPool.vmSize=Standard_D2ds_v5',
        'environments.0.userPool.osDiskType=Ephemeral',
        'environments.0.userPool.osDiskSizeGB=64',
      ],
      'no-temp-disk': ['environments.1.userPool.vmSize=Standard_D4s_v5', 'environments.1.userPool.osDiskSizeGB=100'],
    },
  },
  {
    name: 'privateDns',
    values: {
      'own-zones': [],
      'hub-zones': HUB_ZONE_SETS,
    },
  },
  {
    name: 'hybrid',
    values: {
      none: ['fleet.enabled=false'],
      arc: [
        'fleet.enabled=false',
        'arc.clusters.0.name=edge-a',
        'arc.clusters.0.resourceGroup=rg-edge',
        'arc.clusters.0.environment=dev',
        'arc.clusters.0.distribution=k3s',
      ],
      fleet: ['fleet.enabled=true'],
      'arc-fleet': [
        'fleet.enabled=true',
        'arc.clusters.0.name=eks-a',
        'arc.clusters.0.resourceGroup=rg-aws',
        'arc.clusters.0.environment=prod',
        'arc.clusters.0.distribution=eks',
        'arc.clusters.1.name=ocp-b',
        'arc.clusters.1.resourceGroup=rg-onprem',
        'arc.clusters.1.environment=dev',
        'arc.clusters.1.distribution=openshift',
      ],
    },
  },
];

/** Pairs the answers refuse (validateAnswers errors), never required. */
export function compatible(choice: Record<string, string>): boolean {
  if (choice.networking?.startsWith('kubenet') && choice.podIdentity === 'aad-pod-identity') return false;
  // The Gateway's certificate and DNS records are reached through workload identity.
  const gatewayIdentity = choice.ingress?.includes('tls');
  if (gatewayIdentity && choice.podIdentity !== undefined && choice.podIdentity !== 'workload-identity') return false;
  // Application Gateway for Containers reaches Azure CNI and Azure CNI Overlay pods only.
  if (choice.ingress?.startsWith('agc') && choice.networking?.startsWith('kubenet')) return false;
  // A public Gateway address behind the firewall's default route would route asymmetrically.
  if (choice.ingress === 'gateway-public-tls-dns' && choice.egress?.startsWith('firewall')) return false;
  return true;
}

export type Choice = Record<string, string>;

export function pairwiseChoices(factors: Factor[] = FACTORS): Choice[] {
  const uncovered = new Set<string>();
  const key = (a: string, va: string, b: string, vb: string) => `${a}=${va}|${b}=${vb}`;
  factors.forEach((fa, i) =>
    factors.slice(i + 1).forEach((fb) => {
      for (const va of Object.keys(fa.values))
        for (const vb of Object.keys(fb.values)) {
          if (compatible({ [fa.name]: va, [fb.name]: vb })) uncovered.add(key(fa.name, va, fb.name, vb));
        }
    }),
  );
  const covers = (choice: Choice) => {
    const pairs: string[] = [];
    factors.forEach((fa, i) =>
      factors.slice(i + 1).forEach((fb) => {
        const va = choice[fa.name];
        const vb = choice[fb.name];
        if (va !== undefined && vb !== undefined) pairs.push(key(fa.name, va, fb.name, vb));
      }),
    );
    return pairs;
  };
  const choices: Choice[] = [];
  while (uncovered.size > 0) {
    const [first] = uncovered;
    const [left, right] = first!.split('|') as [string, string];
    const [fa, va] = left.split('=') as [string, string];
    const [fb, vb] = right.split('=') as [string, string];
    const choice: Choice = { [fa]: va, [fb]: vb };
    for (const factor of factors) {
      if (choice[factor.name] !== undefined) continue;
      let best: string | undefined;
      let bestGain = -1;
      for (const value of Object.keys(factor.values)) {
        const candidate = { ...choice, [factor.name]: value };
        if (!compatible(candidate)) continue;
        const gain = covers(candidate).filter((p) => uncovered.has(p)).length;
        if (gain > bestGain) {
          best = value;
          bestGain = gain;
        }
      }
      choice[factor.name] = best!;
    }
    for (const pair of covers(choice)) uncovered.delete(pair);
    choices.push(choice);
  }
  return choices;
}

/** Settings that are not pairwise factors, rotated over the scenarios so each value still appears. */
function extras(index: number): string[] {
  const sets: string[] = [];
  sets.push(`cluster.privateCluster=${index % 2 === 0}`);
  if (index % 3 === 1) sets.push('cluster.apiServerVnetIntegration=true', 'cluster.privateCluster=true');
  // A public API server in production admits only the ranges the team names.
  else if (index % 2 === 1) sets.push(STARTER_RANGES);
  if (index % 2 === 1) sets.push('environments.0.spotPool.enabled=true', 'teams.0.useSpot=true');
  if (index % 4 !== 3) sets.push('delivery.github.owner=contoso-platform');
  if (index % 5 === 2) sets.push('cluster.defender=false', 'cluster.azurePolicy=false', 'cluster.osSku=Ubuntu');
  return sets;
}

export interface Scenario {
  name: string;
  preset: string | undefined;
  sets: string[];
}

export function pairwiseScenarios(): Scenario[] {
  return pairwiseChoices().map((choice, i) => {
    const sets = FACTORS.flatMap((f) => f.values[choice[f.name]!] ?? []);
    // Without a pod identity no team can read Key Vault; one scenario also turns the CSI driver off entirely.
    if (choice.podIdentity === 'none' && i % 2 === 0) sets.push('secrets.keyVaultCsi=false');
    return { name: `pairwise-${String(i).padStart(2, '0')}`, preset: undefined, sets: [...sets, ...extras(i)] };
  });
}

export const PRESET_SCENARIOS: Scenario[] = [
  { name: 'preset-default', preset: undefined, sets: [] },
  { name: 'preset-starter', preset: 'starter', sets: [] },
  { name: 'preset-enterprise', preset: 'enterprise', sets: ['delivery.github.owner=contoso'] },
  {
    name: 'preset-multicloud',
    preset: 'multicloud',
    sets: ['delivery.github.owner=contoso', 'observability.elasticsearchUrl=https://logs.example.com:9243'],
  },
];
