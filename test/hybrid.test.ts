import { describe, expect, it } from 'vitest';
import { composeAnswers } from '../src/answers/load.js';
import { validateAnswers, type Problem } from '../src/answers/validate.js';
import { buildPlan } from '../src/plan/index.js';
import { clusterUpgradeChannels } from '../src/answers/upgrades.js';

// Arc-enabled clusters and the fleet as answers and as plan concepts: validation with field, value and fix; what
// each cluster supports decided in the plan.

const ARC = [
  'arc.clusters.0.name=edge-a',
  'arc.clusters.0.resourceGroup=rg-edge',
  'arc.clusters.0.environment=dev',
  'arc.clusters.0.distribution=k3s',
  'arc.clusters.1.name=eks-b',
  'arc.clusters.1.resourceGroup=rg-aws',
  'arc.clusters.1.environment=prod',
  'arc.clusters.1.distribution=eks',
];

function check(sets: string[], preset = 'enterprise'): Problem[] {
  return validateAnswers(composeAnswers({ preset, sets })).problems.filter((p) => p.severity === 'error');
}

function plan(sets: string[], preset = 'enterprise') {
  const result = validateAnswers(composeAnswers({ preset, sets }));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return buildPlan(result.answers, preset);
}

describe('Arc and fleet answers', () => {
  it('enterprise with two Arc clusters and the fleet is valid', () => {
    expect(check(ARC)).toEqual([]);
  });

  it('an Arc cluster naming an unknown environment is refused with the known ones', () => {
    expect(check([...ARC, 'arc.clusters.1.environment=staging'])).toEqual([
      {
        path: 'arc.clusters.1.environment',
        value: 'staging',
        message: 'names no environment',
        fix: 'use one of: dev, prod',
        severity: 'error',
      },
    ]);
  });

  it('duplicate names, including an environment name, are refused: both would own clusters/<name>', () => {
    const dup = check([...ARC, 'arc.clusters.1.name=edge-a']);
    expect(dup.map((p) => [p.path, p.value])).toEqual([['arc.clusters.1.name', 'edge-a']]);
    expect(dup[0]!.message).toMatch(/repeats arc.clusters.0.name/);
    expect(check([...ARC, 'arc.clusters.0.name=dev']).map((p) => p.path)).toEqual(['arc.clusters.0.name']);
  });

  it('a bad resource group name is refused with the Azure rule', () => {
    const problems = check([...ARC, 'arc.clusters.0.resourceGroup=rg.'], 'enterprise');
    expect(problems.map((p) => [p.path, p.value])).toEqual([['arc.clusters.0.resourceGroup', 'rg.']]);
    expect(problems[0]!.message).toMatch(/not ending in a period/);
  });

  it('fleet stages must name environments and cover each exactly once', () => {
    const stage = (i: number, name: string, envs: string) => [
      `fleet.stages.${i}.name=${name}`,
      `fleet.stages.${i}.environments=[${envs}]`,
    ];
    expect(check([...stage(0, 'first', 'dev'), ...stage(1, 'second', 'prod')])).toEqual([]);
    const unknown = check([...stage(0, 'first', 'dev'), ...stage(1, 'second', 'prod,qa')]);
    expect(unknown.map((p) => [p.path, p.value, p.fix])).toEqual([
      ['fleet.stages.1.environments.1', 'qa', 'use one of: dev, prod'],
    ]);
    const twice = check([...stage(0, 'first', 'dev'), ...stage(1, 'second', 'prod,dev')]);
    expect(twice.map((p) => [p.path, p.value])).toEqual([['fleet.stages.1.environments.1', 'dev']]);
    expect(twice[0]!.message).toBe('is already updated by fleet.stages.0.environments.0');
    const missing = check(stage(0, 'first', 'dev'));
    expect(missing.map((p) => [p.path, p.message, p.fix])).toEqual([
      ['fleet.stages', 'leave environment prod out, so its cluster would never be updated', 'add prod to one stage'],
    ]);
  });

  it('the fleet is on in the enterprise preset only', () => {
    expect(plan([]).fleet).toBeDefined();
    expect(plan(['cluster.authorizedIpRanges=["203.0.113.0/24"]'], 'starter').fleet).toBeUndefined();
    expect(plan([], 'multicloud').fleet).toBeUndefined();
  });
});

describe('Arc and fleet in the plan', () => {
  it('each cluster says what it supports; Arc patches with Kured and federates only where Arc supports it', () => {
    const p = plan(ARC);
    expect(p.clusters.map((c) => [c.entryPoint, c.kind, c.environment])).toEqual([
      ['dev', 'aks', 'dev'],
      ['prod', 'aks', 'prod'],
      ['edge-a', 'arc', 'dev'],
      ['eks-b', 'arc', 'prod'],
    ]);
    const [dev, , k3s, eks] = p.clusters;
    expect(dev!.capabilities).toEqual({
      nodeOsPatching: 'aks-channel',
      secrets: 'csi-addon',
      extensions: 'aks',
      workloadIdentity: true,
      loadBalancer: 'azure-internal',
    });
    expect(k3s!.capabilities).toMatchObject({
      nodeOsPatching: 'kured',
      secrets: 'csi-extension',
      workloadIdentity: true,
    });
    expect(eks!.capabilities.workloadIdentity).toBe(false);
    // EKS cannot sign in to Key Vault with workload identity through Arc: no team apps there, and the plan says so.
    expect([k3s!.runsTeamApps, eks!.runsTeamApps]).toEqual([true, false]);
    expect(p.omissions.map((o) => o.what)).toContain('team apps on the Arc cluster eks-b');
  });

  it('default stages: one per environment, non-production first, a wait between stages', () => {
    const p = plan([
      'environments.0.name=prod',
      'environments.0.production=true',
      'environments.1.name=dev',
      'environments.1.production=false',
    ]);
    expect(p.fleet!.stages).toEqual([
      { name: 'dev', groups: ['dev'], afterStageWaitInSeconds: 3600 },
      { name: 'prod', groups: ['prod'], afterStageWaitInSeconds: 0 },
    ]);
    expect(p.fleet!.members.map((m) => [m.name, m.group, m.clusterName])).toEqual([
      ['prod', 'prod', 'aks-core-prod-westeurope'],
      ['dev', 'dev', 'aks-core-dev-westeurope'],
    ]);
  });

  it('with the fleet on, the fleet rolls out minor versions and node images; the clusters keep patches', () => {
    const on = plan(['upgrades.autoUpgradeChannel=stable', 'upgrades.nodeOsUpgradeChannel=NodeImage']);
    expect(on.fleet!.autoUpgrade).toEqual([
      { name: 'kubernetes', channel: 'Stable' },
      { name: 'node-image', channel: 'NodeImage' },
    ]);
    expect(clusterUpgradeChannels(on.answers)).toEqual({ upgradeChannel: 'none', nodeOsUpgradeChannel: 'None' });
    const patch = plan([]);
    expect(patch.fleet!.autoUpgrade.map((a) => a.channel)).toEqual(['NodeImage']);
    expect(clusterUpgradeChannels(patch.answers)).toEqual({ upgradeChannel: 'patch', nodeOsUpgradeChannel: 'None' });
    const off = plan(['fleet.enabled=false']);
    expect(clusterUpgradeChannels(off.answers)).toEqual({ upgradeChannel: 'patch', nodeOsUpgradeChannel: 'NodeImage' });
  });
});
