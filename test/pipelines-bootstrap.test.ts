import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_MODULE, BOOTSTRAP_TEMPLATE, ROLES } from '../src/render/pipelines/bootstrap.js';
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

  it.skipIf(skip)('Azure.Resource.UseTags: the resource group and the identity carry the platform tags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-identity-tags-'));
    dirs.push(dir);
    for (const path of [BOOTSTRAP_TEMPLATE, BOOTSTRAP_MODULE]) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), withOwner.files.get(path)!);
    }
    const built = spawnSync(bicep!, ['build', join(dir, BOOTSTRAP_TEMPLATE), '--stdout'], { encoding: 'utf8' });
    const template = JSON.parse(built.stdout) as {
      parameters: Record<string, { defaultValue?: unknown }>;
      resources: Record<
        string,
        {
          type: string;
          tags?: unknown;
          properties?: {
            template?: { resources: Record<string, { type: string; tags?: unknown }> };
            parameters?: Record<string, { value: unknown }>;
          };
        }
      >;
    };
    expect(template.parameters.tags!.defaultValue).toEqual({
      platform: 'core',
      purpose: 'pipeline-identity',
      managedBy: 'generator-aks-platform',
    });
    const resources = Object.values(template.resources);
    expect(resources.find((r) => r.type === 'Microsoft.Resources/resourceGroups')!.tags).toBe("[parameters('tags')]");
    const module = resources.find((r) => r.type === 'Microsoft.Resources/deployments')!.properties!;
    expect(module.parameters!.tags!.value).toBe("[parameters('tags')]");
    const identity = Object.values(module.template!.resources).find(
      (r) => r.type === 'Microsoft.ManagedIdentity/userAssignedIdentities',
    )!;
    expect(identity.tags).toBe("[parameters('tags')]");
  });

  it.skipIf(skip)('the check sees a warning', () => {
    const broken = new Map(withOwner.files);
    broken.set(BOOTSTRAP_TEMPLATE, `${broken.get(BOOTSTRAP_TEMPLATE)!}\nparam unused string = 'x'\n`);
    expect(bicepDiagnostics(broken, 'lint').join('\n')).toMatch(/no-unused-params/);
  });

  it('federated credentials cover the branch, pull requests and every environment of this repository', () => {
    const template = withOwner.files.get(BOOTSTRAP_TEMPLATE)!;
    const subjects = [...template.matchAll(/subject: '([^']+)'/g)].map((m) => m[1]);
    expect(subjects).toEqual([
      'repo:contoso/platform:ref:refs/heads/main',
      'repo:contoso/platform:pull_request',
      ...withOwner.plan.environments.map((e) => `repo:contoso/platform:environment:${e.name}`),
    ]);
    // Every environment a workflow job runs in has a credential, or its sign-in would fail.
    const workflowEnvironments = new Set(
      [...withOwner.files]
        .filter(([p]) => p.startsWith('.github/workflows/'))
        .flatMap(([, c]) => [...c.matchAll(/^ {4}environment: (\S+)/gm)].map((m) => m[1]!)),
    );
    for (const env of workflowEnvironments) expect(subjects).toContain(`repo:contoso/platform:environment:${env}`);
  });

  it('without an owner the subject-dependent credentials are left out, not filled with placeholders', () => {
    const template = withoutOwner.files.get(BOOTSTRAP_TEMPLATE)!;
    const module = withoutOwner.files.get(BOOTSTRAP_MODULE)!;
    expect(template).not.toMatch(/repo:|<owner>|TODO|REPLACE/);
    expect(module).not.toMatch(/githubFederation|token\.actions\.githubusercontent\.com/);
    expect(withoutOwner.files.get('docs/pipelines.md')).toMatch(/No GitHub federated credentials are included/);
  });

  it('roles: Contributor and a conditioned RBAC Administrator that cannot grant privileged roles', () => {
    const template = withOwner.files.get(BOOTSTRAP_TEMPLATE)!;
    expect(template).toContain(`var contributorRoleId = '${ROLES.contributor}'`);
    expect(template).toContain(`var rbacAdministratorRoleId = '${ROLES.rbacAdministrator}'`);
    expect(template).not.toContain(`'${ROLES.owner}'`);
    const condition = /var roleAssignmentCondition = '(.*)'/.exec(template)?.[1] ?? '';
    for (const role of [ROLES.owner, ROLES.userAccessAdministrator, ROLES.rbacAdministrator])
      expect(condition.match(new RegExp(role, 'g'))?.length).toBe(2);
    expect(template).toMatch(/condition: roleAssignmentCondition\n\s+conditionVersion: '2.0'/);
    expect([...template.matchAll(/Microsoft\.Authorization\/roleAssignments@/g)].length).toBe(2);
  });
});
