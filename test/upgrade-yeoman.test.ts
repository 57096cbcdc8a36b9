import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import AksPlatformUpgradeGenerator from '../generators/upgrade/index.js';
import { packageRoot } from '../src/paths.js';
import { GENERATED_BRANCH } from '../src/write/git.js';
import { render, tempDir } from './support/generate.js';
import { startFakeGitHub } from './support/github-server.js';
import { firstYamlTarget, generateRepo, git, scalar, setScalar, snapshot, userEdits } from './support/upgrade.js';
import { runGenerator } from './support/yeoman.js';

const settings = { resolved: join(packageRoot, 'generators/upgrade/index.ts'), namespace: 'aks-platform:upgrade' };
const root = tempDir('aks-platform-yo-upgrade-');

describe('yo aks-platform:upgrade', () => {
  it('--dry-run changes nothing; a run merges the changed answer and keeps the team edits', async () => {
    const dir = join(root, 'repo');
    generateRepo(dir);
    const { path, target } = firstYamlTarget(render().files);
    userEdits(dir, { [path]: setScalar(target.a, 'team-a') });
    const before = snapshot(dir);
    const pristine = git(dir, ['rev-parse', GENERATED_BRANCH]);

    const dry = await runGenerator(AksPlatformUpgradeGenerator, settings)
      .cd(dir)
      .withOptions({ set: 'environments.0.spotPool.enabled=true', 'dry-run': true });
    expect(dry.generator.result?.dryRun).toBe(true);
    expect(dry.generator.result?.outcomes.find((o) => o.path === '.yo-rc.json')?.status).toBe('updated');
    expect(snapshot(dir)).toEqual(before);

    const run = await runGenerator(AksPlatformUpgradeGenerator, settings)
      .cd(dir)
      .withOptions({ set: 'environments.0.spotPool.enabled=true' });
    expect(run.generator.result?.conflicts).toEqual([]);
    expect(git(dir, ['rev-parse', `${GENERATED_BRANCH}^`])).toBe(pristine);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(
      JSON.parse(git(dir, ['show', 'HEAD:.yo-rc.json']))['generator-aks-platform'].answers.environments[0].spotPool
        .enabled,
    ).toBe(true);
    expect(git(dir, ['show', `HEAD:${path}`])).toContain(scalar(target.a, 'team-a'));
  });

  it('refuses a dirty tree with the message of the CLI', async () => {
    const dir = join(root, 'dirty');
    generateRepo(dir);
    writeFileSync(join(dir, 'README.md'), 'changed\n');
    await expect(runGenerator(AksPlatformUpgradeGenerator, settings).cd(dir).withOptions({})).rejects.toThrow(
      /uncommitted changes/,
    );
  });

  it('--pr merges on an upgrade branch, pushes it and opens the pull request', async () => {
    const token = 'ghp_yoUpgradeTestToken0000000000000000';
    const api = await startFakeGitHub(token, 'octocat');
    api.addAccount('contoso', 'Organization');
    const saved = { ...process.env };
    try {
      const dir = join(root, 'pr');
      generateRepo(dir);
      const repo = api.addRepo('contoso', 'platform');
      const bare = api.barePath('contoso', 'platform');
      // Published: main is on GitHub, which a pull request into it needs.
      git(dir, ['push', '-q', bare, 'main']);
      git(dir, ['remote', 'add', 'origin', api.gitUrl('contoso', 'platform')]);
      Object.assign(process.env, { GITHUB_TOKEN: token, GITHUB_API_URL: api.apiUrl });
      const run = await runGenerator(AksPlatformUpgradeGenerator, settings)
        .cd(dir)
        .withOptions({ set: 'environments.0.spotPool.enabled=true', pr: true });
      expect(run.generator.pullRequestUrl).toBe(`http://127.0.0.1:${api.port}/contoso/platform/pull/1`);
      expect(api.violations).toEqual([]);
      expect(repo.pulls).toEqual([expect.objectContaining({ base: 'main', head: run.generator.result?.branch })]);
      expect(git(dir, ['symbolic-ref', '--short', 'HEAD']).trim()).toBe('main');
      expect(git(bare, ['rev-parse', run.generator.result!.branch]).trim()).toBe(
        git(dir, ['rev-parse', run.generator.result!.branch]).trim(),
      );
    } finally {
      process.env = saved;
      await api.stop();
    }
  });
});
