import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRemote } from '../src/upgrade/pr.js';
import { GENERATED_BRANCH } from '../src/write/git.js';
import { render, tempDir } from './support/generate.js';
import { type FakeGitHub, startFakeGitHub } from './support/github-server.js';
import {
  firstYamlTarget,
  generateRepo,
  git,
  newerGenerator,
  scalar,
  setScalar,
  snapshot,
  upgrade,
  userEdits,
} from './support/upgrade.js';

const root = tempDir('aks-platform-upgrade-pr-');
const TOKEN = 'ghp_upgradeTestToken000000000000000000';
let api: FakeGitHub;
beforeAll(async () => {
  api = await startFakeGitHub(TOKEN, 'octocat');
  api.addAccount('contoso', 'Organization');
});
afterAll(() => api.stop());

let n = 0;

/** A generated repository published as contoso/platform-N on the loopback GitHub, which is its origin. */
function published() {
  const dir = join(root, `repo-${++n}`);
  const name = `platform-${n}`;
  generateRepo(dir);
  const repo = api.addRepo('contoso', name);
  const bare = api.barePath('contoso', name);
  git(dir, ['push', '-q', bare, 'main', GENERATED_BRANCH]);
  git(dir, ['remote', 'add', 'origin', api.gitUrl('contoso', name)]);
  return { dir, bare, repo };
}

/** The Authorization headers of the pull requests opened so far. */
const pullAuth = () =>
  api.requests.filter((r) => r.route === 'POST /repos/{owner}/{repo}/pulls').map((r) => r.headers.authorization);

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  GITHUB_TOKEN: TOKEN,
  GH_TOKEN: '',
  GITHUB_API_URL: api.apiUrl,
  ...extra,
});

describe('aks-platform upgrade --pr', () => {
  it('merges on an upgrade branch, pushes it with the pristine branch, opens a pull request whose body is the summary', async () => {
    const { dir, bare, repo } = published();
    const { path, target } = firstYamlTarget(render().files);
    userEdits(dir, { [path]: setScalar(target.a, 'team-a') });
    const mainBefore = git(dir, ['rev-parse', 'main']).trim();
    const areas = newerGenerator({ [path]: setScalar(target.b, 'upstream-b'), 'README.md': (c) => `> N+1\n${c}` });
    const run = await upgrade([dir, '--pr'], areas, env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Opened the pull request into main: http://127.0.0.1:${api.port}/contoso/${repo.name}/pull/1`,
    );

    const branch = git(dir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/aks-platform/upgrade-*']).trim();
    expect(branch).toMatch(/^aks-platform\/upgrade-\d+\.\d+\.\d+-[0-9a-f]{7}$/);
    // The user is back on main, which the upgrade did not touch; the upgrade branch holds the merge.
    expect(git(dir, ['symbolic-ref', '--short', 'HEAD']).trim()).toBe('main');
    expect(git(dir, ['rev-parse', 'main']).trim()).toBe(mainBefore);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(git(dir, ['show', `${branch}:${path}`])).toContain(
      scalar(target.a, 'team-a') + scalar(target.b, 'upstream-b'),
    );
    // Both branches reached the remote.
    expect(git(bare, ['rev-parse', branch]).trim()).toBe(git(dir, ['rev-parse', branch]).trim());
    expect(git(bare, ['rev-parse', GENERATED_BRANCH]).trim()).toBe(git(dir, ['rev-parse', GENERATED_BRANCH]).trim());

    // Every request was an operation of GitHub's description, with a valid body.
    expect(api.violations).toEqual([]);
    expect(repo.pulls).toHaveLength(1);
    const pr = repo.pulls[0]!;
    expect(pr).toMatchObject({ head: branch, base: 'main' });
    expect(pullAuth()).toEqual([`token ${TOKEN}`]);
    expect(pr.title).toMatch(/^Upgrade the AKS platform to generator-aks-platform /);
    expect(pr.body).toContain(`| \`${path}\` | merged with your edits |`);
    expect(pr.body).toContain('| `README.md` | updated cleanly |');
    // The token is never printed nor stored.
    expect(run.stdout).not.toContain(TOKEN);
    expect(git(dir, ['config', '--list', '--local'])).not.toContain(TOKEN);
  });

  it('stops before the pull request when the merge has conflicts', async () => {
    const { dir, repo } = published();
    userEdits(dir, { 'README.md': (c) => `${c}team line\n` });
    const run = await upgrade([dir, '--pr'], newerGenerator({ 'README.md': (c) => `${c}upstream line\n` }), env());
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('No pull request yet');
    expect(run.stdout).toContain('git merge --abort');
    expect(git(dir, ['symbolic-ref', '--short', 'HEAD']).trim()).toMatch(/^aks-platform\/upgrade-/);
    expect(repo.pulls).toEqual([]);
  });

  it('without a token or an origin it refuses before changing anything', async () => {
    const { dir } = published();
    const before = snapshot(dir);
    const areas = newerGenerator({ 'README.md': (c) => `x\n${c}` });
    const noToken = await upgrade([dir, '--pr'], areas, env({ GITHUB_TOKEN: '', PATH: '/nonexistent' }));
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('No GitHub token for --pr');
    expect(snapshot(dir)).toEqual(before);
    git(dir, ['remote', 'remove', 'origin']);
    const noOrigin = await upgrade([dir, '--pr'], areas, env());
    expect(noOrigin.code).toBe(1);
    expect(noOrigin.stderr).toContain('has no origin remote');
  });

  it('reads owner and name from the usual remote URLs', () => {
    expect(parseRemote('https://github.com/contoso/aks-platform.git')).toEqual({
      owner: 'contoso',
      repo: 'aks-platform',
    });
    expect(parseRemote('git@github.com:contoso/aks-platform.git')).toEqual({ owner: 'contoso', repo: 'aks-platform' });
    expect(parseRemote('https://github.example.com/platform-team/core')).toEqual({
      owner: 'platform-team',
      repo: 'core',
    });
  });
});
