import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeAnswers } from '../src/answers/load.js';
import { runPlan } from '../src/cli/commands/plan.js';
import { generatePlatform } from '../src/generate.js';
import { diffSnapshots, diffValues, type SnapshotResource } from '../src/resource-plan/diff.js';
import { IN_PLACE_RULES } from '../src/resource-plan/in-place.js';
import { BIN } from './support/cli.js';
import { tempDir } from './support/generate.js';
import { bicepPath, missingTool } from './support/tools.js';
import { generateRepo, upgrade } from './support/upgrade.js';
import { readWorkflow } from './support/workflows.js';
import { STARTER_RANGES } from './support/presets.js';

// The resource-level plan: which Azure resources a change adds, removes and changes, and which changes Azure cannot
// apply in place (src/resource-plan/in-place.ts, one test per row).

const CLUSTER = 'Microsoft.ContainerService/managedClusters';

function cluster(edit: (properties: Record<string, any>) => void = () => {}): SnapshotResource {
  const properties: Record<string, any> = {
    agentPoolProfiles: [
      { name: 'system', mode: 'System', vmSize: 'Standard_D4ds_v5', availabilityZones: ['1', '2', '3'], maxPods: 110 },
      { name: 'user', mode: 'User', vmSize: 'Standard_D4ds_v5', availabilityZones: ['1', '2', '3'], maxPods: 110 },
    ],
    apiServerAccessProfile: { enablePrivateCluster: true },
    networkProfile: {
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkDataplane: 'cilium',
      podCidr: '192.168.0.0/16',
      serviceCidr: '172.16.0.0/16',
      dnsServiceIP: '172.16.0.10',
    },
  };
  edit(properties);
  return { id: 'cluster-id', type: CLUSTER, name: 'aks-core-dev', properties };
}

const vault = (name: string): SnapshotResource => ({ id: `vault-${name}`, type: 'Microsoft.KeyVault/vaults', name });
const user = (p: Record<string, any>) => p.agentPoolProfiles[1];

/** Per row of IN_PLACE_RULES (by property): a refused change, and where Azure allows one in place, an allowed one. */
const CASES: Record<
  string,
  { refused: [SnapshotResource[], SnapshotResource[]]; allowed?: [SnapshotResource, SnapshotResource] }
> = {
  [`${CLUSTER} properties.networkProfile.networkPlugin`]: {
    // Azure CNI (node subnet) to kubenet: only the plugin differs.
    refused: [
      [cluster((p) => (p.networkProfile = { networkPlugin: 'azure', serviceCidr: '172.16.0.0/16' }))],
      [cluster((p) => (p.networkProfile = { networkPlugin: 'kubenet', serviceCidr: '172.16.0.0/16' }))],
    ],
    allowed: [
      cluster((p) => {
        p.networkProfile = {
          networkPlugin: 'kubenet',
          podCidr: '192.168.0.0/16',
          serviceCidr: '172.16.0.0/16',
          dnsServiceIP: '172.16.0.10',
        };
      }),
      cluster((p) => {
        p.networkProfile = {
          networkPlugin: 'azure',
          networkPluginMode: 'overlay',
          podCidr: '192.168.0.0/16',
          serviceCidr: '172.16.0.0/16',
          dnsServiceIP: '172.16.0.10',
        };
      }),
    ],
  },
  [`${CLUSTER} properties.networkProfile.networkPluginMode`]: {
    refused: [[cluster()], [cluster((p) => delete p.networkProfile.networkPluginMode)]],
    allowed: [cluster((p) => delete p.networkProfile.networkPluginMode), cluster()],
  },
  [`${CLUSTER} properties.networkProfile.networkDataplane`]: {
    refused: [[cluster()], [cluster((p) => (p.networkProfile.networkDataplane = 'azure'))]],
    allowed: [cluster((p) => (p.networkProfile.networkDataplane = 'azure')), cluster()],
  },
  [`${CLUSTER} properties.networkProfile.podCidr`]: {
    refused: [[cluster()], [cluster((p) => (p.networkProfile.podCidr = '10.244.0.0/16'))]],
    allowed: [
      cluster((p) => {
        delete p.networkProfile.networkPluginMode;
        delete p.networkProfile.podCidr;
      }),
      cluster(),
    ],
  },
  [`${CLUSTER} properties.networkProfile.serviceCidr`]: {
    refused: [[cluster()], [cluster((p) => (p.networkProfile.serviceCidr = '172.17.0.0/16'))]],
  },
  [`${CLUSTER} properties.networkProfile.dnsServiceIP`]: {
    refused: [[cluster()], [cluster((p) => (p.networkProfile.dnsServiceIP = '172.16.0.53'))]],
  },
  [`${CLUSTER} properties.apiServerAccessProfile.enablePrivateCluster`]: {
    refused: [[cluster()], [cluster((p) => (p.apiServerAccessProfile.enablePrivateCluster = false))]],
    allowed: [
      cluster((p) => (p.apiServerAccessProfile.enableVnetIntegration = true)),
      cluster((p) => (p.apiServerAccessProfile = { enablePrivateCluster: false, enableVnetIntegration: true })),
    ],
  },
  [`${CLUSTER} properties.agentPoolProfiles[*].vmSize`]: {
    refused: [[cluster()], [cluster((p) => (user(p).vmSize = 'Standard_D8ds_v5'))]],
  },
  [`${CLUSTER} properties.agentPoolProfiles[*].availabilityZones`]: {
    refused: [[cluster()], [cluster((p) => (user(p).availabilityZones = ['1']))]],
  },
  [`${CLUSTER} properties.agentPoolProfiles[*].osDiskType`]: {
    refused: [[cluster((p) => (user(p).osDiskType = 'Managed'))], [cluster((p) => (user(p).osDiskType = 'Ephemeral'))]],
  },
  [`${CLUSTER} properties.agentPoolProfiles[*].maxPods`]: {
    refused: [[cluster()], [cluster((p) => (user(p).maxPods = 50))]],
  },
  [`${CLUSTER} sku.name`]: {
    refused: [
      [{ ...cluster(), sku: { name: 'Base', tier: 'Free' } }],
      [{ ...cluster(), sku: { name: 'Automatic', tier: 'Standard' } }],
    ],
  },
  [`${CLUSTER} name`]: {
    refused: [[cluster()], [{ ...cluster(), id: 'other-id', name: 'aks-core-dev-2' }]],
  },
  'Microsoft.KeyVault/vaults name': {
    refused: [[vault('kv-core-dev-abc123')], [vault('kv-platform-dev-abc123')]],
  },
};

describe('properties Azure cannot change in place', () => {
  it('every row of the table has a case here', () => {
    expect(Object.keys(CASES).sort()).toEqual(IN_PLACE_RULES.map((r) => `${r.resourceType} ${r.property}`).sort());
  });

  it.each(IN_PLACE_RULES.map((rule) => [`${rule.resourceType} ${rule.property}`, rule] as const))(
    '%s: flagged with what to do instead and its source',
    (key, rule) => {
      const [before, after] = CASES[key]!.refused;
      const changes = diffSnapshots(before, after);
      const flags = changes.flatMap((c) => c.flags);
      expect(flags.map((f) => f.rule)).toEqual([rule]);
      expect(rule.instead).not.toBe('');
      expect(rule.source).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      const allowed = CASES[key]!.allowed;
      if (allowed) expect(diffSnapshots([allowed[0]], [allowed[1]]).flatMap((c) => c.flags)).toEqual([]);
    },
  );

  it('adding or removing a whole node pool, or scaling one, is an ordinary change', () => {
    const changes = diffSnapshots(
      [cluster()],
      [
        cluster((p) => {
          user(p).maxCount = 9;
          p.agentPoolProfiles.push({ name: 'spot', vmSize: 'Standard_D8ds_v5', maxPods: 30 });
        }),
      ],
    );
    expect(changes).toEqual([
      expect.objectContaining({
        kind: 'changed',
        flags: [],
        changes: [
          { path: 'properties.agentPoolProfiles[user].maxCount', before: undefined, after: 9 },
          {
            path: 'properties.agentPoolProfiles[spot]',
            before: undefined,
            after: expect.objectContaining({ name: 'spot' }),
          },
        ],
      }),
    ]);
  });

  it('lists of named objects are compared item by item; other lists as a whole', () => {
    expect(diffValues({ zones: ['1', '2'] }, { zones: ['1'] })).toEqual([
      { path: 'zones', before: ['1', '2'], after: ['1'] },
    ]);
    expect(
      diffSnapshots([vault('a')], [vault('a'), { id: 'x', type: 'Microsoft.Network/virtualNetworks', name: 'v' }]),
    ).toEqual([expect.objectContaining({ kind: 'added', name: 'v' })]);
  });
});

describe('aks-platform plan without a Bicep CLI', () => {
  it('says how to get one', async () => {
    const dir = tempDir('aks-plan-nobicep-');
    const io = { out: () => {}, err: () => {}, interactive: false };
    await expect(runPlan([dir, '--bicep', join(dir, 'no-bicep-here')], io)).rejects.toThrow(/az bicep install/);
  });
});

const cli = bicepPath();
const skip = cli === undefined && missingTool('Bicep CLI', 'run `node scripts/install-tools.mjs` to restore it');

describe.skipIf(skip)('plan and upgrade --dry-run on a flipped private cluster (real Bicep CLI)', () => {
  const root = tempDir('aks-plan-');
  const flipped = (text: string) => {
    expect(text).toMatch(/~ Microsoft\.ContainerService\/managedClusters aks-core-dev-\S+/);
    expect(text).toContain('properties.apiServerAccessProfile.enablePrivateCluster: true -> false');
    expect(text).toContain('! properties.apiServerAccessProfile.enablePrivateCluster cannot change in place');
    expect(text).toContain('instead: deploy a second cluster');
  };

  it('plan: the managed cluster, the property, and that it cannot change in place', async () => {
    const dir = join(root, 'plan');
    generateRepo(dir);
    const edited = generatePlatform(composeAnswers({ sets: ['cluster.privateCluster=false', STARTER_RANGES] })).files;
    for (const [path, content] of edited) if (path.startsWith('infra/')) writeFileSync(join(dir, path), content);
    const out: string[] = [];
    const code = await runPlan([dir, '--bicep', cli!], { out: (t) => out.push(t), err: () => {}, interactive: false });
    expect(code).toBe(0);
    flipped(out.join('\n'));
  }, 300_000);

  it("the pull request workflow's resource plan step runs it against the target branch and writes the job summary", async () => {
    const dir = join(root, 'workflow');
    generateRepo(dir, ['delivery.github.owner=contoso']);
    // The runner's view: the target branch as a remote-tracking ref, the pull request's change in the checkout.
    spawnSync('git', ['update-ref', 'refs/remotes/origin/main', 'HEAD'], { cwd: dir });
    const edited = generatePlatform(
      composeAnswers({ sets: ['delivery.github.owner=contoso', 'cluster.privateCluster=false', STARTER_RANGES] }),
    ).files;
    for (const [path, content] of edited) if (path.startsWith('infra/')) writeFileSync(join(dir, path), content);
    const job = readWorkflow(readFileSync(join(dir, '.github/workflows/infra.yml'), 'utf8')).jobs['resource-plan']!;
    const step = job.steps.at(-1)!.run!;
    // npx runs this build of the generator; `az bicep install` put the real Bicep CLI in ~/.azure/bin.
    const bin = join(root, 'workflow-bin');
    const home = join(root, 'workflow-home');
    mkdirSync(join(home, '.azure/bin'), { recursive: true });
    mkdirSync(bin, { recursive: true });
    symlinkSync(cli!, join(home, '.azure/bin/bicep'));
    writeFileSync(join(bin, 'npx'), `#!/bin/bash\nshift 2\nexec "${process.execPath}" "${BIN}" "$@"\n`, {
      mode: 0o755,
    });
    const summary = join(root, 'workflow-summary.md');
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', step], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: home, GITHUB_BASE_REF: 'main', GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.status, result.stderr).toBe(0);
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('### Resource plan against the target branch');
    flipped(text);
  }, 300_000);

  it('upgrade --dry-run shows the same plan', async () => {
    const dir = join(root, 'upgrade');
    generateRepo(dir);
    const result = await upgrade(
      [dir, '--dry-run', '--set', 'cluster.privateCluster=false', '--set', STARTER_RANGES],
      undefined,
      {
        ...process.env,
        AKS_PLATFORM_BICEP: cli!,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Azure resources the upgrade changes');
    flipped(result.stdout);
  }, 300_000);
});
