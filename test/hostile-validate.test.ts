import {
  chmodSync,
  cpSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeRepository } from '../src/write/index.js';
import { BIN, runCliAsync } from './support/cli.js';
import { render, tempDir } from './support/generate.js';
import { SCHEMAS_DIR } from './support/k8s.js';
import { edit, lineOf } from './support/mutation.js';

// `validate` over mutated repositories (issue 13, "validate must catch what it misses today"): each mutation is
// reported by the right rule at the right file and line, exit 1, no stack trace, and nothing else fires.

const root = tempDir('aks-platform-hostile-validate-');
let clean = '';
let n = 0;
// Bicep has its own tests; here its absence is simulated so each run reports only the mutation.
const NO_BICEP_ENV = { AKS_PLATFORM_BICEP: join(root, 'no-bicep-here') };
const isRoot = process.getuid?.() === 0;

beforeAll(() => {
  clean = join(root, 'clean');
  writeRepository(clean, render(undefined, ['delivery.github.owner=contoso']).files, {
    force: false,
    git: false,
    commitMessage: '',
  });
});

function copy(): string {
  const target = join(root, `copy-${++n}`);
  cpSync(clean, target, { recursive: true });
  return target;
}

interface JsonReport {
  ok: boolean;
  findings: { rule: string; severity: string; file: string; line: number; message: string; fix: string }[];
}

/** Runs the bin on a folder; returns the exit code, the report and stderr. */
async function validate(dir: string, extra: string[] = [], asNobody = false) {
  const args = ['validate', dir, '--format', 'json', '--schemas', SCHEMAS_DIR, ...extra];
  const run = asNobody
    ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, ...NO_BICEP_ENV },
      })
    : await runCliAsync(args, root, NO_BICEP_ENV);
  if ('status' in run) return finish(run.status, run.stdout, run.stderr);
  return finish(run.code, run.stdout, run.stderr);
}

function finish(code: number | null, stdout: string, stderr: string) {
  const run = { code, stdout, stderr };
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  const report = run.stdout ? (JSON.parse(run.stdout) as JsonReport) : undefined;
  return { code: run.code, report, stderr: run.stderr };
}

/** The findings of the report, as [rule, file, line]: the mutation's, and nothing else. */
const found = (report: JsonReport | undefined) =>
  (report?.findings ?? []).filter((f) => f.severity === 'error').map((f) => [f.rule, f.file, f.line]);

describe('validate catches what it missed', () => {
  it('the clean repository validates with no errors (the baseline of every mutation)', async () => {
    const { code, report } = await validate(clean);
    expect(found(report)).toEqual([]);
    expect(code).toBe(0);
  });

  it('secret-provider-class: a renamed SecretProviderClass the Deployment still mounts', async () => {
    const dir = copy();
    edit(dir, 'apps/base/team-a/secret-provider-class.yaml', (t) =>
      t.replace('name: team-a-key-vault', 'name: team-a-vault'),
    );
    const { code, report } = await validate(dir);
    const file = 'apps/base/team-a/deployment.yaml';
    expect(found(report)).toEqual([
      ['secret-provider-class', file, lineOf(dir, file, 'secretProviderClass: team-a-key-vault')],
    ]);
    expect(code).toBe(1);
  });

  it("kustomization-resource: a team's kustomization.yaml deleted while apps/base still lists the team", async () => {
    const dir = copy();
    unlinkSync(join(dir, 'apps/base/team-a/kustomization.yaml'));
    const { code, report } = await validate(dir);
    const file = 'apps/base/kustomization.yaml';
    expect(found(report)).toEqual([['kustomization-resource', file, lineOf(dir, file, '- team-a')]]);
    expect(report!.findings[0]!.message).toContain('without a kustomization.yaml');
    expect(code).toBe(1);
  });

  it('namespace: a team Namespace renamed while its objects stay in the old one', async () => {
    const dir = copy();
    edit(dir, 'apps/base/team-a/namespace.yaml', (t) => t.replace('name: team-a', 'name: team-alpha'));
    const { code, report } = await validate(dir);
    const rules = found(report);
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules.map(([rule]) => rule))).toEqual(new Set(['namespace']));
    expect(rules).toContainEqual([
      'namespace',
      'apps/base/team-a/deployment.yaml',
      lineOf(dir, 'apps/base/team-a/deployment.yaml', 'namespace: team-a'),
    ]);
    expect(code).toBe(1);
  });

  it('yaml: an alias bomb in a manifest is reported at its document, quickly, without a crash', async () => {
    const dir = copy();
    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: lol',
      '  namespace: team-a',
      'data:',
      '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'.split('').map((c, i) => `  ${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ].join('\n');
    edit(dir, 'apps/base/team-a/limit-range.yaml', (t) => `${t}---\n${bomb}\n`);
    const started = Date.now();
    const { code, report } = await validate(dir);
    expect(Date.now() - started).toBeLessThan(60_000);
    const file = 'apps/base/team-a/limit-range.yaml';
    expect(found(report)).toEqual([['yaml', file, lineOf(dir, file, 'name: lol') - 3]]);
    expect(code).toBe(1);
  });

  it('yaml: a syntax error is reported at its real line, not line 1', async () => {
    const dir = copy();
    const file = 'apps/base/team-a/service-account.yaml';
    edit(dir, file, (t) => t.replace('  namespace: team-a', '  namespace: team-a\n  labels: [unclosed'));
    const { code, report } = await validate(dir);
    const [finding] = found(report);
    expect(finding?.[0]).toBe('yaml');
    expect(finding?.[1]).toBe(file);
    expect(finding?.[2]).toBeGreaterThan(1);
    expect(finding?.[2]).toBeGreaterThanOrEqual(lineOf(dir, file, 'labels: [unclosed'));
    expect(found(report)).toHaveLength(1);
    expect(code).toBe(1);
  });

  it('unreadable: a file and a folder without read permission are findings, not a crash', async () => {
    const dir = copy();
    chmodSync(join(dir, 'apps/base/team-a/limit-range.yaml'), 0o000);
    chmodSync(join(dir, 'clusters/prod'), 0o000);
    try {
      // root reads anything: as root (CI), run the bin as nobody, to whom the rest of the copy is readable.
      if (isRoot) chmodSync(root, 0o755);
      const { code, report } = await validate(dir, [], isRoot);
      expect(found(report)).toEqual([
        ['unreadable', 'apps/base/team-a/limit-range.yaml', 1],
        ['unreadable', 'clusters/prod', 1],
      ]);
      expect(code).toBe(1);
    } finally {
      chmodSync(join(dir, 'apps/base/team-a/limit-range.yaml'), 0o644);
      chmodSync(join(dir, 'clusters/prod'), 0o755);
    }
  });

  it('unreadable: a FIFO in the repository is reported and never opened (no hang)', async () => {
    const dir = copy();
    execFileSync('mkfifo', [join(dir, 'apps/base/team-a/pipe.yaml')]);
    const { code, report } = await validate(dir);
    expect(found(report)).toEqual([['not-a-file', 'apps/base/team-a/pipe.yaml', 1]]);
    expect(code).toBe(1);
  });

  it('file-too-large: a 3 MB file is reported as too large, not as missing where it is listed', async () => {
    const dir = copy();
    const file = 'apps/base/team-a/limit-range.yaml';
    writeFileSync(
      join(dir, file),
      `# padding\n${'#'.repeat(3 * 1024 * 1024)}\n${readFileSync(join(clean, file), 'utf8')}`,
    );
    expect(statSync(join(dir, file)).size).toBeGreaterThan(3 * 1024 * 1024);
    const { code, report } = await validate(dir);
    expect(found(report)).toEqual([['file-too-large', file, 1]]);
    expect(code).toBe(1);
  });

  it('symlink: a link out of the repository is an error; a link inside it is a note', async () => {
    const dir = copy();
    const outside = join(root, 'outside.yaml');
    writeFileSync(outside, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: team-a\n');
    symlinkSync(outside, join(dir, 'apps/base/team-a/outside.yaml'));
    symlinkSync('limit-range.yaml', join(dir, 'apps/base/team-a/inside.yaml'));
    const { code, report } = await validate(dir);
    expect(found(report)).toEqual([['symlink', 'apps/base/team-a/outside.yaml', 1]]);
    expect(report!.findings.filter((f) => f.severity === 'warning').map((f) => [f.rule, f.file])).toContainEqual([
      'symlink',
      'apps/base/team-a/inside.yaml',
    ]);
    expect(code).toBe(1);
  });

  it('repository: an empty folder, or one with no platform in it, does not validate clean', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const first = await validate(empty);
    expect(found(first.report)).toEqual([['repository', '.', 1]]);
    expect(first.report!.findings[0]!.message).toContain('empty');
    expect(first.code).toBe(1);
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'hello');
    expect(found((await validate(other)).report)).toEqual([['repository', '.', 1]]);
  });

  it('--bicep naming a file that does not exist is refused, not silently skipped', async () => {
    const { code, report, stderr } = await validate(clean, ['--bicep', join(root, 'nope', 'bicep')]);
    expect(report).toBeUndefined();
    expect(stderr).toMatch(/--bicep .*nope\/bicep does not exist[\s\S]*fix:/);
    expect(code).toBe(1);
  });

  it('nothing on disk is changed by validate', async () => {
    const dir = copy();
    const before = execFileSync('find', [dir, '-printf', '%p %s %T@\n'], { encoding: 'utf8' });
    await validate(dir);
    expect(execFileSync('find', [dir, '-printf', '%p %s %T@\n'], { encoding: 'utf8' })).toBe(before);
    rmSync(dir, { recursive: true, force: true });
  });
});
