import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_BRANCH } from '../src/write/git.js';
import { runCli } from './support/cli.js';
import { readTree, render, tempDir } from './support/generate.js';
import { completeSets } from './support/presets.js';

const root = tempDir();
let n = 0;
const fresh = () => join(root, `case-${++n}`);

describe('aks-platform new', () => {
  it('--yes writes the default platform and commits it on main, marking the pristine generation', () => {
    const dir = fresh();
    const run = runCli(['new', dir, '--yes'], root);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Wrote \d+ files/);
    expect(run.stdout).toContain('Left out because an answer is missing');
    // The bin is a bundle with its templates compiled at build time: it writes what the library generates.
    expect(readTree(dir)).toEqual(render().files);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
    expect(execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' })).toBe(
      execFileSync('git', ['rev-parse', GENERATED_BRANCH], { cwd: dir, encoding: 'utf8' }),
    );
  });

  it('replaying the stored .yo-rc.json reproduces the repository byte for byte', () => {
    const first = fresh();
    expect(
      runCli(
        ['new', first, '--preset', 'multicloud', '--set', 'delivery.github.owner=contoso', '--yes', '--no-git'],
        root,
      ).code,
    ).toBe(0);
    const second = fresh();
    expect(runCli(['new', second, '--answers', join(first, '.yo-rc.json'), '--yes', '--no-git'], root).code).toBe(0);
    expect(readTree(second)).toEqual(readTree(first));
    expect(existsSync(join(second, '.git'))).toBe(false);
  });

  it.each(['starter', 'enterprise', 'multicloud'])('preset %s generates', (preset) => {
    const dir = fresh();
    const sets = completeSets(preset).flatMap((set) => ['--set', set]);
    const run = runCli(['new', dir, '--preset', preset, '--yes', ...sets], root);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-aks-platform'].preset).toBe(preset);
    expect(readTree(dir)).toEqual(render(preset).files);
  });

  it('--dry-run prints the tree with sizes and writes nothing', () => {
    const dir = fresh();
    const run = runCli(['new', dir, '--yes', '--dry-run'], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Dry run: would write \d+ files/);
    expect(run.stdout).toMatch(/^ {2}README\.md \(\d+(\.\d)? (B|KiB)\)$/m);
    expect(run.stdout).toMatch(/^ {4}decisions\/$/m);
    expect(existsSync(dir)).toBe(false);
  });

  it('bad answers file: exit 1, every problem with path and fix, nothing written', () => {
    const file = join(root, 'bad.yaml');
    writeFileSync(
      file,
      'network:\n  plugin: flannel\nenvironments:\n  - name: dev\n    addressSpace: 10.1.0.0/33\ncluster:\n  privateClustr: true\n',
    );
    const dir = fresh();
    const run = runCli(['new', dir, '--answers', file, '--yes'], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing was written');
    expect(run.stderr).toContain('network.plugin = "flannel"');
    expect(run.stderr).toContain('environments.0.addressSpace = "10.1.0.0/33"');
    expect(run.stderr).toContain('cluster.privateClustr');
    expect(run.stderr).toMatch(/fix: use one of: azure-cni-overlay, azure-cni, kubenet/);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(dir)).toBe(false);
  });

  it('bad Arc and fleet answers are refused with field, value and fix, and nothing is written', () => {
    const dir = fresh();
    const arc = (i: number, name: string, environment: string) => [
      '--set',
      `arc.clusters.${i}.name=${name}`,
      '--set',
      `arc.clusters.${i}.resourceGroup=rg-edge`,
      '--set',
      `arc.clusters.${i}.environment=${environment}`,
      '--set',
      `arc.clusters.${i}.distribution=k3s`,
    ];
    const run = runCli(
      [
        'new',
        dir,
        '--preset',
        'enterprise',
        '--yes',
        '--set',
        'delivery.github.owner=contoso',
        ...arc(0, 'edge-a', 'staging'),
        ...arc(1, 'edge-a', 'dev'),
        '--set',
        'fleet.stages.0.name=first',
        '--set',
        'fleet.stages.0.environments=[dev,qa]',
        '--set',
        'fleet.stages.1.name=second',
        '--set',
        'fleet.stages.1.environments=[prod]',
      ],
      root,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing was written');
    expect(run.stderr).toContain('arc.clusters.0.environment = "staging": names no environment');
    expect(run.stderr).toContain('arc.clusters.1.name = "edge-a"');
    expect(run.stderr).toContain('fleet.stages.0.environments.1 = "qa"');
    expect(run.stderr).toMatch(/fix: use one of: dev, prod/);
    expect(existsSync(dir)).toBe(false);
  });

  it('semantic problems are refused the same way', () => {
    const dir = fresh();
    const run = runCli(
      ['new', dir, '--yes', '--set', 'environments.1.addressSpace=10.1.0.0/16', '--set', 'network.egress=firewall'],
      root,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('environments.1.addressSpace = "10.1.0.0/16": overlaps environments.0.addressSpace');
    expect(run.stderr).toContain('network.egress = "firewall"');
    expect(existsSync(dir)).toBe(false);
  });

  it('a missing or unparsable answers file is a clear error', () => {
    expect(runCli(['new', fresh(), '--answers', 'nope.yaml', '--yes'], root)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--answers nope.yaml: no such file'),
    });
    const broken = join(root, 'broken.yaml');
    writeFileSync(broken, 'network: [\n');
    expect(runCli(['new', fresh(), '--answers', broken, '--yes'], root)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is not valid YAML or JSON'),
    });
  });

  it('without --yes and without a terminal it fails instead of writing nothing with exit 0', () => {
    const dir = fresh();
    const run = runCli(['new', dir], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no terminal');
    expect(existsSync(dir)).toBe(false);
  });

  it('without --yes but with every relevant answer given, no terminal is needed', () => {
    const dir = fresh();
    const answers = render().files.get('.yo-rc.json')!;
    const file = join(root, 'complete.json');
    writeFileSync(file, answers);
    const run = runCli(['new', dir, '--answers', file, '--no-git'], root);
    expect(run.code, run.stderr).toBe(0);
  });

  it('refuses a non-empty directory unless --force, and keeps the user files', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'mine.txt'), 'keep me');
    const refused = runCli(['new', dir, '--yes'], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not empty; nothing was written');
    expect(readdirSync(dir)).toEqual(['mine.txt']);
    const forced = runCli(['new', dir, '--yes', '--force', '--no-git'], root);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'mine.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
  });

  it('an empty existing directory is filled', () => {
    const dir = fresh();
    mkdirSync(dir);
    expect(runCli(['new', dir, '--yes'], root).code).toBe(0);
    expect(existsSync(join(dir, '.git'))).toBe(true);
  });
});

describe('aks-platform commands', () => {
  it('--help and --version exit 0; no command and unknown commands are usage errors (exit 2)', () => {
    expect(runCli(['--help'], root)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage: aks-platform <command>'),
    });
    expect(runCli(['--version'], root).stdout.trim()).toBe(
      JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')).version,
    );
    expect(runCli([], root).code).toBe(2);
    expect(runCli(['frobnicate'], root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(runCli(['new', fresh(), '--bogus'], root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--bogus'"),
    });
    expect(runCli(['new'], root)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('missing the target directory'),
    });
  });

  it('schema prints the JSON Schema of the answers file', () => {
    const schema = JSON.parse(runCli(['schema'], root).stdout);
    expect(schema.type).toBe('object');
    expect(schema.properties.identity.properties.podIdentity.enum).toContain('workload-identity');
    expect(schema.properties.environments.type).toBe('array');
  });

  it('presets lists each preset with its description', () => {
    const out = runCli(['presets'], root).stdout;
    expect(out).toMatch(/^starter: /m);
    expect(out).toMatch(/^enterprise: /m);
    expect(out).toMatch(/^multicloud: /m);
  });
});
