import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from './support/cli.js';
import { tempDir } from './support/generate.js';
import { startFakeGitHub, type FakeGitHub } from './support/github-server.js';

// The wired command through the built bin: `new --publish` generates and publishes in one run.

const TOKEN = `ghp_${'Cl1T0k3n'.repeat(4)}xyz0`;
const root = tempDir('aks-platform-publish-cli-');
let github: FakeGitHub;

beforeAll(async () => {
  github = await startFakeGitHub(TOKEN, 'octo-admin');
  github.addAccount('contoso', 'Organization');
});
afterAll(async () => {
  await github?.stop();
});

describe('aks-platform new --publish', () => {
  it('generates, creates the repository and pushes main, never showing the token', async () => {
    const dir = join(root, 'platform');
    const run = await runCliAsync(
      [
        'new',
        dir,
        '--yes',
        '--set',
        'delivery.github.owner=contoso',
        '--publish',
        '--repo',
        'contoso/contoso-core-platform',
        '--api-url',
        github.apiUrl,
      ],
      root,
      { GITHUB_TOKEN: TOKEN, GH_TOKEN: '' },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Wrote \d+ files/);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(readFileSync(join(dir, '.git/config'), 'utf8')).not.toContain(TOKEN);
    const head = execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim();
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toContainEqual(
      expect.stringMatching(/^POST (\/api\/v3)?\/orgs\/contoso\/repos$/),
    );
    expect(run.stdout).toContain(head.slice(0, 7));
  });

  it('publish --help is reachable through the bin', async () => {
    const run = await runCliAsync(['publish', '--help'], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--repo');
  });
});
