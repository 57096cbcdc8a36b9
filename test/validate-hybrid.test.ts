import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateRepository, type ValidationReport } from '../src/validate/repository.js';
import { writeRepository } from '../src/write/index.js';
import { render, tempDir } from './support/generate.js';
import { SCHEMAS_DIR } from './support/k8s.js';
import { ARC_CLUSTERS } from './support/presets.js';

// The Arc and fleet rules of `aks-platform validate`: a clean generated repository, then one thing broken at a time;
// the right rule fires at the right file and line, and nothing else does.

const root = tempDir('aks-platform-validate-hybrid-');
let n = 0;
const NO_BICEP = join(root, 'no-bicep-here');

const HYBRID_SETS = ['delivery.github.owner=contoso', ...ARC_CLUSTERS];

const validate = (dir: string) => validateRepository(dir, { bicep: NO_BICEP, schemasDir: SCHEMAS_DIR });
const errors = (report: ValidationReport) => report.findings;

function copy(dir: string): string {
  const target = join(root, `copy-${++n}`);
  cpSync(dir, target, { recursive: true });
  return target;
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the mutation of ${file} changed nothing`);
  writeFileSync(path, after);
}

/** The line of the last occurrence of needle when `last`, else of the first. */
function lineOf(dir: string, file: string, needle: string, last = false): number {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  const index = last ? lines.findLastIndex((l) => l.includes(needle)) : lines.findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

describe('Arc and fleet rules catch their mutation at the right file and line', () => {
  let base: string;
  beforeAll(() => {
    base = join(root, 'base');
    writeRepository(base, render('enterprise', HYBRID_SETS).files, { force: false, git: false, commitMessage: '' });
  });

  it('the generated enterprise repository with two Arc clusters and the fleet is clean', async () => {
    expect(errors(await validate(base))).toEqual([]);
  });

  it('arc-entry-point: an Arc cluster without its entry point', async () => {
    const dir = copy(base);
    rmSync(join(dir, 'clusters/edge-a'), { recursive: true });
    const findings = (await validate(dir)).findings;
    expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['arc-entry-point', 'infra/dev.bicepparam', lineOf(dir, 'infra/dev.bicepparam', "name: 'edge-a'")],
      // The Flux configuration's path names the missing folder too.
      ['flux-config-path', 'infra/main.bicep', lineOf(dir, 'infra/main.bicep', "'./clusters/${arc.name}'")],
    ]);
  });

  it('arc-entry-point: Arc clusters without a Flux configuration while the AKS clusters have one', async () => {
    const dir = copy(base);
    edit(dir, 'infra/main.bicep', (t) => t.replace("    clusterPath: './clusters/${arc.name}'\n", ''));
    edit(dir, 'infra/modules/arc-cluster.bicep', (t) => t.replace('        path: clusterPath\n', ''));
    const findings = (await validate(dir)).findings;
    expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['arc-entry-point', 'infra/main.bicep', lineOf(dir, 'infra/main.bicep', "'modules/arc-cluster.bicep'")],
    ]);
    expect(findings[0]!.message).toMatch(/edge-a, eks-b get no Flux configuration/);
  });

  it('fleet-members: an AKS cluster that is not a fleet member', async () => {
    const dir = copy(base);
    edit(dir, 'infra/fleet.bicepparam', (t) =>
      t.replace(
        "  {\n    name: 'prod'\n    group: 'prod'\n    resourceGroup: 'rg-core-prod-westeurope'\n    clusterName: 'aks-core-prod-westeurope'\n  }\n",
        '',
      ),
    );
    const findings = (await validate(dir)).findings;
    expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['fleet-members', 'infra/fleet.bicepparam', lineOf(dir, 'infra/fleet.bicepparam', 'param members')],
      // prod's group is left in a stage that no member has any more.
      ['fleet-stages', 'infra/fleet.bicepparam', lineOf(dir, 'infra/fleet.bicepparam', "name: 'prod'", true)],
    ]);
    expect(findings[0]!.message).toContain('aks-core-prod-westeurope of prod (infra/prod.bicepparam:9)');
  });

  it('fleet-stages: a member group in no stage, and one in two', async () => {
    const missing = copy(base);
    edit(missing, 'infra/fleet.bicepparam', (t) => t.replace("      {\n        name: 'prod'\n      }\n", ''));
    expect((await validate(missing)).findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['fleet-stages', 'infra/fleet.bicepparam', lineOf(missing, 'infra/fleet.bicepparam', 'param stages')],
    ]);
    const twice = copy(base);
    edit(twice, 'infra/fleet.bicepparam', (t) =>
      t.replace(
        "      {\n        name: 'prod'\n      }\n",
        "      {\n        name: 'prod'\n      }\n      {\n        name: 'dev'\n      }\n",
      ),
    );
    expect((await validate(twice)).findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['fleet-stages', 'infra/fleet.bicepparam', lineOf(twice, 'infra/fleet.bicepparam', "name: 'dev'", true)],
    ]);
  });
});
