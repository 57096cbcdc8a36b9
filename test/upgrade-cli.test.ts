import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { render, tempDir } from './support/generate.js';
import { firstYamlTarget, generateRepo, git, scalar, setScalar, snapshot, userEdits } from './support/upgrade.js';

// The built bin.
const root = tempDir('aks-platform-upgrade-cli-');

describe('aks-platform upgrade (built bin)', () => {
  it('--dry-run then a changed answer, exit codes and messages as documented', () => {
    const dir = join(root, 'repo');
    generateRepo(dir);
    const { path, target } = firstYamlTarget(render().files);
    userEdits(dir, { [path]: setScalar(target.a, 'team-a') });
    const before = snapshot(dir);
    const dry = runCli(['upgrade', dir, '--dry-run', '--set', 'environments.0.spotPool.enabled=true'], root);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/updated cleanly\s+\.yo-rc\.json/);
    expect(snapshot(dir)).toEqual(before);
    const run = runCli(['upgrade', dir, '--set', 'environments.0.spotPool.enabled=true'], root);
    expect(run.code).toBe(0);
    expect(
      JSON.parse(git(dir, ['show', 'HEAD:.yo-rc.json']))['generator-aks-platform'].answers.environments[0].spotPool
        .enabled,
    ).toBe(true);
    expect(git(dir, ['show', `HEAD:${path}`])).toContain(scalar(target.a, 'team-a'));
    expect(runCli(['upgrade'], root)).toMatchObject({ code: 2, stderr: expect.stringContaining('which repository?') });
    expect(runCli(['upgrade', dir, '--bogus'], root).code).toBe(2);
  });
});
