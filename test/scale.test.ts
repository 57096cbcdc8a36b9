import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeAnswers } from '../src/answers/load.js';
import { validateAnswers } from '../src/answers/validate.js';
import { ARM_TEMPLATE_LIMITS, MAX_TEAMS, armLimitBreaches } from '../src/azure/arm-limits.js';
import { openBicep } from '../src/bicep/engine.js';
import { generatePlatform } from '../src/generate.js';
import { validateRepository } from '../src/validate/repository.js';
import { writeRepository } from '../src/write/index.js';
import { makeWorkspace, resourcesOf, type ArmTemplate } from './support/bicep.js';
import { bicepPath, missingTool } from './support/tools.js';

// An organisation-sized platform: 200 teams in 10 environments generates, compiles with zero warnings, validates
// clean, and its compiled main.bicep stays inside every ARM template limit (src/azure/arm-limits.ts).

function organisation(teams: number, environments: number) {
  const answers = composeAnswers({});
  answers.environments = Array.from({ length: environments }, (_, i) => ({
    name: `env${i}`,
    addressSpace: `10.${10 + i}.0.0/16`,
    ...(i === environments - 1 ? { production: true } : {}),
  }));
  answers.teams = Array.from({ length: teams }, (_, i) => ({
    name: `team-${String(i).padStart(3, '0')}`,
    keyVaultSecrets: ['app-config'],
  }));
  return answers;
}

describe('teams beyond what one deployment holds', () => {
  it('are refused with the field, the count and the fix', () => {
    const result = validateAnswers(organisation(MAX_TEAMS + 1, 1));
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        path: 'teams',
        value: `${MAX_TEAMS + 1} teams`,
        message: expect.stringContaining(`ARM allows ${ARM_TEMPLATE_LIMITS.resources.value}`),
        fix: expect.stringContaining(`at most ${MAX_TEAMS} teams`),
      }),
    );
    expect(validateAnswers(organisation(MAX_TEAMS, 1)).problems.filter((p) => p.path === 'teams')).toEqual([]);
  });
});

describe('the limits validate counts on a compiled deployment', () => {
  const loop = (count: string) => ({ r: { type: 'Microsoft.Authorization/roleAssignments', copy: { count } } });
  it('copy loops count in full, from the parameters file, a variable or the default', () => {
    const template = (count: string) =>
      JSON.stringify({
        parameters: { teams: { defaultValue: [] } },
        variables: { many: Array.from({ length: 801 }, () => 1) },
        resources: loop(count),
      });
    const many = { teams: { value: Array.from({ length: 801 }, () => 'x') } };
    expect(armLimitBreaches(template("[length(parameters('teams'))]"), many)).toEqual([
      { limit: 'resources', template: 'the template', count: 801 },
      { limit: 'copyCount', template: 'the template', count: 801 },
    ]);
    expect(armLimitBreaches(template("[length(variables('many'))]")).map((b) => b.limit)).toEqual([
      'resources',
      'copyCount',
    ]);
    // Unknown before deployment: counted once, never a false alarm.
    expect(armLimitBreaches(template("[length(parameters('teams'))]"))).toEqual([]);
    expect(armLimitBreaches(template("[parameters('count')]"))).toEqual([]);
  });

  it("a module's nested deployment has limits of its own; existing resources deploy nothing", () => {
    const outputs = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`o${i}`, { value: i }]));
    const json = JSON.stringify({
      languageVersion: '2.0',
      outputs: { one: { value: 1 } },
      resources: {
        identities: { type: 'Microsoft.Resources/deployments', properties: { template: { outputs } } },
        ...Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`v${i}`, { type: 'x', existing: true }])),
      },
    });
    expect(armLimitBreaches(json)).toEqual([
      { limit: 'outputs', template: 'the template > module identities', count: 65 },
    ]);
  });
});

const cli = bicepPath();
const skip = cli === undefined && missingTool('Bicep CLI', 'run `node scripts/install-tools.mjs` to restore it');

describe.skipIf(skip)('200 teams x 10 environments (real Bicep CLI)', () => {
  const workspace = makeWorkspace('aks-scale-');
  afterAll(() => workspace.cleanup());
  const dir = join(workspace.root, 'platform');

  it('generates, and validates clean: Bicep with zero warnings, schemas, workflows, rules', async () => {
    const generation = generatePlatform(organisation(200, 10));
    expect(generation.warnings).toEqual([]);
    writeRepository(dir, generation.files, { force: false, git: false, commitMessage: '' });
    const report = await validateRepository(dir, { bicep: cli });
    expect(report.checks.find((c) => c.name === 'bicep')?.status).toBe('ran');
    expect(report.findings, JSON.stringify(report.findings.slice(0, 5), null, 1)).toEqual([]);
  }, 900_000);

  it('main.bicep compiles inside every ARM template limit', async () => {
    const engine = await openBicep(cli!);
    try {
      const compiled = await engine.compile(join(dir, 'infra', 'main.bicep'));
      expect(compiled.diagnostics).toEqual([]);
      const template = JSON.parse(compiled.contents!) as ArmTemplate & { outputs: Record<string, unknown> };
      const resources = resourcesOf(template);
      const loops = resources.map((r) => (r.copy as { count?: unknown } | undefined)?.count).filter(Boolean);
      expect(loops).toEqual(["[length(variables('teams'))]"]);
      const counts = {
        parameters: Object.keys(template.parameters ?? {}).length,
        variables: Object.keys(template.variables ?? {}).length,
        resources: resources.length - 1 + 200,
        outputs: Object.keys(template.outputs).length,
        templateBytes: Buffer.byteLength(compiled.contents!),
        copyCount: 200,
      };
      for (const [limit, count] of Object.entries(counts))
        expect(count, limit).toBeLessThanOrEqual(ARM_TEMPLATE_LIMITS[limit as keyof typeof counts].value);
      expect(Object.keys(template.outputs)).toContain('teamClientIds');
      expect(readFileSync(join(dir, 'infra', 'main.bicep'), 'utf8')).toContain("'team-199': teamIdentities[199]");
    } finally {
      await engine.close();
    }
  }, 600_000);
});
