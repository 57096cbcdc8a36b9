import { describe, expect, it } from 'vitest';
import { composeAnswers } from '../src/answers/load.js';
import { validateAnswers, type Problem } from '../src/answers/validate.js';
import { buildPlan } from '../src/plan/index.js';
import { clusterUpgradeChannels } from '../src/answers/upgrades.js';
import { ARC_EGRESS_CONTRACTS } from '../src/plan/hybrid.js';
import { operatorActions, pipelineIdentities, planJobRoles } from '../src/plan/pipeline-identities.js';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { render } from './support/generate.js';
import { ARC_CLUSTERS } from './support/presets.js';

// Arc-enabled clusters and the fleet as answers and as plan concepts: validation with field, value and fix; what
// each cluster supports decided in the plan.

const ARC = [...ARC_CLUSTERS];

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
      gatewayApi: true,
    });
    expect(k3s!.capabilities).toMatchObject({
      nodeOsPatching: 'kured',
      secrets: 'csi-extension',
      workloadIdentity: true,
      gatewayApi: false,
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
      {
        name: 'dev',
        groups: ['dev'],
        afterStageWaitInSeconds: 3600,
        approvalEnvironment: 'dev',
        approvalGate: undefined,
      },
      {
        name: 'prod',
        groups: ['prod'],
        afterStageWaitInSeconds: 0,
        approvalEnvironment: 'prod',
        approvalGate: 'Approve prod',
      },
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

describe('the upgrade pipelines with the fleet on', () => {
  const both = ['delivery.github.owner=contoso', 'delivery.azureDevOps=true'];
  const files = (sets: string[], preset = 'enterprise') => render(preset, [...both, ...sets]).files;
  const yaml = (f: Map<string, string>, path: string) => parseYaml(f.get(path)!) as Record<string, any>;

  it('drive one update run through the approval strategy: a job per stage in its environment, as the fleet operator', () => {
    const f = files(['upgrades.nodeOsUpgradeChannel=Unmanaged']);
    const p = plan(['upgrades.nodeOsUpgradeChannel=Unmanaged']);
    const fleet = p.fleet!;
    expect(fleet.stages.map((s) => s.approvalGate)).toEqual([undefined, 'Approve prod']);
    for (const [path, update] of [
      ['.github/workflows/kubernetes-upgrade.yml', '--upgrade-type Full --kubernetes-version "$VERSION"'],
      ['.github/workflows/node-image-upgrade.yml', '--upgrade-type NodeImageOnly'],
    ] as const) {
      const jobs = yaml(f, path).jobs as Record<string, any>;
      expect(Object.keys(jobs)).toEqual(fleet.stages.map((s) => `stage-${s.name}`));
      fleet.stages.forEach((stage, i) => {
        const job = jobs[`stage-${stage.name}`];
        expect(job.environment).toBe(stage.approvalEnvironment);
        expect(job.needs).toEqual(i === 0 ? undefined : [`stage-${fleet.stages[i - 1]!.name}`]);
        expect(job.steps[0].with['client-id']).toBe('${{ vars.AZURE_FLEET_CLIENT_ID }}');
        const script = job.steps[1].run as string;
        // Only the first stage creates and starts the run; each later one approves its own gate.
        expect(script.includes(`az fleet updaterun create "\${fleet[@]}" --name "$run" ${update}`)).toBe(i === 0);
        expect(script.includes(`--update-strategy-name '${fleet.pipelineStrategy}'`)).toBe(i === 0);
        expect(script.includes('az fleet updaterun start')).toBe(i === 0);
        expect(script.includes('az fleet gate approve')).toBe(i > 0);
        expect(script).toContain(`status.stages[?name=='${stage.name}'] | [0].status.state`);
        expect(script).not.toMatch(/az aks (upgrade|nodepool upgrade)/);
      });
    }
    for (const [path, update] of [
      ['.azure-pipelines/kubernetes-upgrade.yml', '--upgrade-type Full'],
      ['.azure-pipelines/node-image-upgrade.yml', '--upgrade-type NodeImageOnly'],
    ] as const) {
      const stages = yaml(f, path).stages as any[];
      expect(stages.map((s) => s.stage)).toEqual(fleet.stages.map((s) => `stage_${s.name}`));
      stages.forEach((stage, i) => {
        const job = stage.jobs[0];
        expect(job.environment).toBe(fleet.stages[i]!.approvalEnvironment);
        expect(stage.dependsOn).toEqual(i === 0 ? [] : [`stage_${fleet.stages[i - 1]!.name}`]);
        const step = job.strategy.runOnce.deploy.steps[1];
        expect(step.inputs.azureSubscription).toBe('azure-platform-fleet-operator');
        expect(step.inputs.inlineScript.includes(update)).toBe(i === 0);
        expect(step.inputs.inlineScript.includes('az fleet gate approve')).toBe(i > 0);
      });
    }
  });

  it('keep the per-cluster pipelines when the fleet is off', () => {
    const f = files(['fleet.enabled=false', 'upgrades.nodeOsUpgradeChannel=Unmanaged']);
    for (const path of [
      '.github/workflows/kubernetes-upgrade.yml',
      '.github/workflows/node-image-upgrade.yml',
      '.azure-pipelines/kubernetes-upgrade.yml',
      '.azure-pipelines/node-image-upgrade.yml',
    ]) {
      expect(f.get(path)).toMatch(/az aks (upgrade|nodepool upgrade)/);
      expect(f.get(path)).not.toContain('az fleet');
    }
    expect([...f.keys()].some((path) => path.includes('fleet'))).toBe(false);
  });

  it('the fleet operator trusts the stage environments only, holds no subscription role, and replaces the per-cluster upgrade rows', () => {
    const p = plan(['delivery.github.owner=contoso']);
    const identity = pipelineIdentities(p).find((i) => i.kind === 'fleet')!;
    expect(identity).toMatchObject({ name: 'id-core-fleet-operator', clientIdVariable: 'AZURE_FLEET_CLIENT_ID' });
    expect(identity.grants).toEqual([]);
    expect(identity.githubSubjects.map((s) => s.subject)).toEqual(
      [...new Set(p.fleet!.stages.map((s) => s.approvalEnvironment))].map(
        (e) => `repo:contoso/contoso-core-platform:environment:${e}`,
      ),
    );
    const rows = planJobRoles(p);
    expect(rows.map((r) => r.job)).not.toContain('kubernetes-upgrade');
    expect(rows.filter((r) => r.identity === 'fleet').map((r) => [r.job, r.scope, r.builtInRole?.id])).toEqual([
      ['fleet-kubernetes-upgrade', 'fleet', '63bb64ad-9799-4770-b5c3-24ed299a07bf'],
      ['fleet-node-image-upgrade', 'fleet', '63bb64ad-9799-4770-b5c3-24ed299a07bf'],
    ]);
    expect(operatorActions(p).some((a) => a.includes('agentPools'))).toBe(false);
    const off = plan(['fleet.enabled=false']);
    expect(pipelineIdentities(off).some((i) => i.kind === 'fleet')).toBe(false);
    expect(planJobRoles(off).some((r) => r.identity === 'fleet')).toBe(false);
  });
});

describe('Arc clusters follow the identity answers', () => {
  const admin = '11111111-2222-3333-4444-555555555555';
  const arcOf = (preset: string, sets: string[]) =>
    render(preset, [
      'delivery.github.owner=contoso',
      `identity.adminGroupObjectIds=["${admin}"]`,
      'arc.clusters.0.name=gke-a',
      'arc.clusters.0.resourceGroup=rg-gcp',
      'arc.clusters.0.environment=prod',
      'arc.clusters.0.distribution=gke',
      ...sets,
    ]).files;
  /** The ClusterRoleBindings the Flux Kustomizations of an entry point apply, by the folders they point at. */
  const bindingsOf = (files: Map<string, string>, entryPoint: string) =>
    parseAllDocuments(files.get(`clusters/${entryPoint}/infrastructure.yaml`) ?? '')
      .map((d) => String((d.toJS() as { spec: { path: string } }).spec.path).replace(/^\.\//, ''))
      .flatMap((folder) => [...files].filter(([p]) => p.startsWith(`${folder}/`)))
      .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>))
      .filter((m) => m?.kind === 'ClusterRoleBinding');

  it('with Kubernetes RBAC, the Arc entry point binds the Entra admin groups to cluster-admin, as on AKS', () => {
    const files = arcOf('multicloud', []);
    for (const entryPoint of ['gke-a', 'prod']) {
      expect(bindingsOf(files, entryPoint)).toEqual([
        expect.objectContaining({
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: admin }],
        }),
      ]);
    }
  });

  it('with Azure RBAC, no binding: the admin groups get their role on the connected cluster in Bicep', () => {
    const files = arcOf('enterprise', ['identity.authorization=azure-rbac']);
    expect(bindingsOf(files, 'gke-a')).toEqual([]);
  });
});

describe('Arc outbound endpoints', () => {
  const runbook = (sets: string[]) =>
    render('enterprise', ['delivery.github.owner=contoso', ...ARC, ...sets]).files.get('docs/arc-onboarding.md')!;

  it('the runbook lists the endpoints of the features its Arc clusters use, each row with its document', () => {
    const azureRbac = runbook([]);
    const kubernetesRbac = runbook(['identity.authorization=kubernetes-rbac']);
    for (const row of ARC_EGRESS_CONTRACTS) {
      expect(row.sources.every((u) => u.startsWith('https://learn.microsoft.com/'))).toBe(true);
      for (const fqdn of row.fqdns) {
        const shown = `\`${fqdn.replace('{region}', 'westeurope')}\``;
        expect(azureRbac).toContain(shown);
        expect(kubernetesRbac.includes(shown)).toBe(row.rule !== 'azure-rbac');
      }
    }
  });
});
