import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FLEET_OPERATOR_ROLE,
  PIPELINE_ROLE_IDS,
  operatorActions,
  pipelineIdentities,
} from '../src/plan/pipeline-identities.js';
import { BOOTSTRAP_MODULE, BOOTSTRAP_TEMPLATE } from '../src/render/pipelines/bootstrap.js';
import { bicepPath, missingTool } from './support/tools.js';
import { generate } from './support/workflows.js';

// The pipeline identity is deployed by a person once; it must build and lint clean with the real Bicep CLI.

const bicep = bicepPath();
const skip = !bicep && missingTool('Bicep CLI', 'run `node scripts/install-tools.mjs`');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs bicep and returns every diagnostic line (warnings included); the CLI prints them on stderr. */
function bicepDiagnostics(files: ReadonlyMap<string, string>, command: 'build' | 'lint'): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-identity-'));
  dirs.push(dir);
  // The repository's bicepconfig.json (when the infra area emits one) applies to infra/bootstrap too.
  for (const path of [BOOTSTRAP_TEMPLATE, BOOTSTRAP_MODULE, 'infra/bicepconfig.json'].filter((p) => files.has(p))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), files.get(path)!);
  }
  const diagnostics: string[] = [];
  // build compiles the module into the main template; lint reports per file, so both files are linted.
  const targets = command === 'build' ? [BOOTSTRAP_TEMPLATE] : [BOOTSTRAP_TEMPLATE, BOOTSTRAP_MODULE];
  for (const path of targets) {
    const args = command === 'build' ? ['build', join(dir, path), '--stdout'] : ['lint', join(dir, path)];
    const result = spawnSync(bicep!, args, {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    if (result.status !== 0) diagnostics.push(`${path}: exit ${result.status}`);
    diagnostics.push(...result.stderr.split('\n').filter((l) => l.trim() !== ''));
  }
  return diagnostics;
}

describe('infra/bootstrap/pipeline-identity.bicep', () => {
  const withOwner = generate('enterprise', [
    'delivery.github.owner=contoso',
    'delivery.github.repo=platform',
    'delivery.azureDevOps=true',
  ]);
  const withoutOwner = generate(undefined, ['delivery.azureDevOps=true']);

  for (const [name, generation] of [
    ['with a repository owner', withOwner],
    ['without a repository owner', withoutOwner],
  ] as const) {
    it.skipIf(skip)(`${name}: builds and lints with zero warnings`, () => {
      expect(bicepDiagnostics(generation.files, 'build')).toEqual([]);
      expect(bicepDiagnostics(generation.files, 'lint')).toEqual([]);
    });
  }

  it.skipIf(skip)('Azure.Resource.UseTags: the resource group and every identity carry the platform tags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-identity-tags-'));
    dirs.push(dir);
    for (const path of [BOOTSTRAP_TEMPLATE, BOOTSTRAP_MODULE]) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), withOwner.files.get(path)!);
    }
    const built = spawnSync(bicep!, ['build', join(dir, BOOTSTRAP_TEMPLATE), '--stdout'], { encoding: 'utf8' });
    const text = built.stdout;
    const template = JSON.parse(text) as { parameters: Record<string, { defaultValue?: unknown }> };
    expect(template.parameters.tags!.defaultValue).toEqual({
      platform: 'core',
      purpose: 'pipeline-identity',
      managedBy: 'generator-aks-platform',
    });
    // The resource group, the module call and the identity inside it all take the tags parameter.
    expect(text.match(/"tags": "\[parameters\('tags'\)\]"/g)).toHaveLength(2);
    expect(text).toContain('"tags": {\n            "value": "[parameters(\'tags\')]"');
  });

  it.skipIf(skip)('the check sees a warning', () => {
    const broken = new Map(withOwner.files);
    broken.set(BOOTSTRAP_TEMPLATE, `${broken.get(BOOTSTRAP_TEMPLATE)!}\nparam unused string = 'x'\n`);
    expect(bicepDiagnostics(broken, 'lint').join('\n')).toMatch(/no-unused-params/);
  });

  it('federated credentials: pull requests only for the plan identity, each environment only for its own identities', () => {
    const template = withOwner.files.get(BOOTSTRAP_TEMPLATE)!;
    const prefix = 'repo:contoso/platform';
    const identities = pipelineIdentities(withOwner.plan);
    const trusting = (subject: string) =>
      identities.filter((i) => i.githubSubjects.some((s) => s.subject === subject)).map((i) => i.name);
    expect(trusting(`${prefix}:pull_request`)).toEqual(['id-core-plan']);
    // The fleet operator (update runs) trusts the environments of the fleet's stage jobs, whose approvals release them.
    const stageEnvironments = new Set(withOwner.plan.fleet!.stages.map((s) => s.approvalEnvironment));
    for (const env of withOwner.plan.environments)
      expect(trusting(`${prefix}:environment:${env.name}`)).toEqual([
        `id-core-deploy-${env.name}`,
        `id-core-operator-${env.name}`,
        ...(stageEnvironments.has(env.name) ? ['id-core-fleet-operator'] : []),
      ]);
    expect(trusting(`${prefix}:environment:hub`)).toEqual(['id-core-deploy-hub']);
    // The branch subject (scheduled stop/start) reaches only operators, which hold no subscription role.
    const branchTrusting = identities.filter((i) =>
      i.githubSubjects.some((s) => s.subject === `${prefix}:ref:refs/heads/main`),
    );
    expect(branchTrusting.map((i) => i.kind)).toEqual(['operator']);
    for (const i of branchTrusting) expect(i.grants).toEqual([]);
    // Every subject is in the template, and every environment a workflow job runs in has a credential.
    const subjects = [...template.matchAll(/subject: '([^']+)'/g)].map((m) => m[1]);
    expect(new Set(subjects)).toEqual(new Set(identities.flatMap((i) => i.githubSubjects.map((s) => s.subject))));
    const workflowEnvironments = new Set(
      [...withOwner.files]
        .filter(([p]) => p.startsWith('.github/workflows/'))
        .flatMap(([, c]) => [...c.matchAll(/^ {4}environment: (\S+)/gm)].map((m) => m[1]!)),
    );
    for (const env of workflowEnvironments) expect(subjects).toContain(`${prefix}:environment:${env}`);
  });

  it('without an owner the subject-dependent credentials are left out, not filled with placeholders', () => {
    const template = withoutOwner.files.get(BOOTSTRAP_TEMPLATE)!;
    expect(template).not.toMatch(/repo:|<owner>|TODO|REPLACE/);
    expect([...template.matchAll(/githubCredentials: \[\]/g)].length).toBe(
      pipelineIdentities(withoutOwner.plan).length,
    );
    expect(withoutOwner.files.get('docs/pipelines.md')).toMatch(/No GitHub federated credentials are included/);
  });

  it('roles: the plan identity reads, deploy identities hold Contributor and a conditioned RBAC Administrator, operators nothing on the subscription', () => {
    const template = withOwner.files.get(BOOTSTRAP_TEMPLATE)!;
    const grants = [
      ...template.matchAll(
        / {2}\{\n {4}identity: (\d+)\n {4}role: '(\w+)'\n {4}roleDefinitionName: ([^\n]+)\n {4}conditioned: (\w+)/g,
      ),
    ].map((m) => ({ identity: Number(m[1]), role: m[2], definition: m[3], conditioned: m[4] === 'true' }));
    const identities = pipelineIdentities(withOwner.plan);
    const byKind = (kind: string) => grants.filter((g) => identities[g.identity]!.kind === kind);
    expect(byKind('plan').map((g) => g.role)).toEqual(['reader', 'whatIf']);
    expect(byKind('plan')[0]!.definition).toBe(`'${PIPELINE_ROLE_IDS.reader}'`);
    expect(byKind('operator')).toEqual([]);
    expect(byKind('fleet')).toEqual([]);
    const deploys = identities.filter((i) => i.kind === 'deploy').length;
    expect(byKind('deploy').map((g) => `${g.role}:${g.conditioned}`)).toEqual(
      Array.from({ length: deploys }, () => ['contributor:false', 'rbacAdministrator:true']).flat(),
    );
    expect(template).not.toContain(`'${PIPELINE_ROLE_IDS.owner}'`);
    const condition = /var roleAssignmentCondition = '(.*)'/.exec(template)?.[1] ?? '';
    for (const role of [
      PIPELINE_ROLE_IDS.owner,
      PIPELINE_ROLE_IDS.userAccessAdministrator,
      PIPELINE_ROLE_IDS.rbacAdministrator,
    ])
      expect(condition.match(new RegExp(role, 'g'))?.length).toBe(2);
    // The what-if role writes nothing; the operator role holds exactly the cluster jobs' actions from the contract.
    const actions = (role: string) =>
      [
        ...(new RegExp(`resource ${role} [\\s\\S]*?actions: \\[\\n([^\\]]*)\\]`).exec(template)?.[1] ?? '').matchAll(
          /'([^']+)'/g,
        ),
      ].map((m) => m[1]);
    expect(actions('whatIfRole')).toEqual([
      'Microsoft.Resources/deployments/whatIf/action',
      'Microsoft.Resources/deployments/validate/action',
    ]);
    // With the fleet on, the fleet's update runs upgrade the clusters: the operators only start and stop them.
    expect(actions('operatorRole')).toEqual(operatorActions(withOwner.plan));
    expect(operatorActions(withOwner.plan)).toEqual([
      'Microsoft.ContainerService/managedClusters/read',
      'Microsoft.ContainerService/managedClusters/start/action',
      'Microsoft.ContainerService/managedClusters/stop/action',
    ]);
    expect(operatorActions().every((a) => a.startsWith('Microsoft.ContainerService/managedClusters/'))).toBe(true);
  });

  it("the operator role holds the actions of the jobs the plan's pipelines have, and the docs list those jobs only", () => {
    const actions = (g: ReturnType<typeof generate>) => operatorActions(g.plan);
    const listed = (g: ReturnType<typeof generate>) =>
      [...(g.files.get('docs/pipelines.md') ?? '').matchAll(/^\| ([a-z-]+) \| `id-/gm)].map((m) => m[1]);
    // The NodeImage channel: AKS rolls out node images, so there is no node image pipeline and no right to run one.
    const nodeImage = generate(undefined, ['delivery.github.owner=contoso']);
    expect(nodeImage.files.has('.github/workflows/node-image-upgrade.yml')).toBe(false);
    expect(actions(nodeImage)).not.toContain(
      'Microsoft.ContainerService/managedClusters/agentPools/upgradeNodeImageVersion/action',
    );
    expect(listed(nodeImage)).not.toContain('node-image-upgrade');
    const unmanaged = generate(undefined, ['delivery.github.owner=contoso', 'upgrades.nodeOsUpgradeChannel=None']);
    expect(unmanaged.files.has('.github/workflows/node-image-upgrade.yml')).toBe(true);
    expect(actions(unmanaged)).toContain(
      'Microsoft.ContainerService/managedClusters/agentPools/upgradeNodeImageVersion/action',
    );
    expect(listed(unmanaged)).toContain('node-image-upgrade');
    // Without stop/start in any environment, no stop/start job and no right to stop a cluster.
    const noStop = generate(undefined, [
      'delivery.github.owner=contoso',
      'environments.0.stopStart.enabled=false',
      'environments.1.stopStart.enabled=false',
    ]);
    expect(listed(noStop)).not.toContain('stop-start');
    expect(actions(noStop)).not.toContain('Microsoft.ContainerService/managedClusters/stop/action');
  });

  it('the fleet deployment grants the fleet operator the Fleet Manager Contributor role on the fleet only', () => {
    const module = withOwner.files.get('infra/modules/fleet.bicep')!;
    const assignment = /resource fleetOperatorAssignment [^\n]+\n([\s\S]*?)\n\}\n/.exec(module)?.[1] ?? '';
    expect(assignment).toMatch(/^ {2}scope: fleet$/m);
    expect(assignment).toContain(
      `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${FLEET_OPERATOR_ROLE.id}')`,
    );
    expect(FLEET_OPERATOR_ROLE.id).toBe('63bb64ad-9799-4770-b5c3-24ed299a07bf');
    const identity = pipelineIdentities(withOwner.plan).find((i) => i.kind === 'fleet')!;
    expect(withOwner.files.get('infra/fleet.bicepparam')).toContain(
      `param fleetOperatorIdentityName = '${identity.name}'`,
    );
    // The pipelines' strategy holds the approval gates; the auto-upgrade profiles follow the one without them.
    expect(module).toMatch(/resource pipelineStrategy [^\n]+\n {2}parent: fleet\n {2}name: 'staged-approvals'/);
    expect(module).toMatch(/stages: approvedStages/);
    expect(module).toMatch(/updateStrategyId: updateStrategy\.id/);
  });

  it('each environment deployment grants its operator the operator role on its cluster, and the role names agree', () => {
    const module = withOwner.files.get('infra/modules/pipeline-operator.bicep')!;
    expect(module).toContain("guid(subscription().id, operatorIdentityResourceGroupName, 'cluster-operator')");
    expect(module).toMatch(/resource operatorAssignment '[^']+' = \{\n {2}scope: cluster\n/);
    expect(withOwner.files.get(BOOTSTRAP_TEMPLATE)).toContain(
      "var operatorRoleName = guid(subscription().id, resourceGroupName, 'cluster-operator')",
    );
    const main = withOwner.files.get('infra/main.bicep')!;
    expect(main).toContain("operatorIdentityResourceGroupName: 'rg-core-pipeline-westeurope'");
    expect(main).toContain("operatorIdentityName: 'id-core-operator-${environmentName}'");
  });
});
