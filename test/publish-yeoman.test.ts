import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AksPlatformPublishGenerator from '../generators/publish/index.js';
import { commitMessage } from '../src/write/git.js';
import { packageRoot } from '../src/paths.js';
import { writeRepository } from '../src/write/index.js';
import { readTree, render, tempDir } from './support/generate.js';
import { startFakeGitHub, type FakeGitHub } from './support/github-server.js';
import { runGenerator } from './support/yeoman.js';

const TOKEN = `ghp_${'Y0Ym4nT0k3n'.repeat(3)}q`;
const settings = { resolved: join(packageRoot, 'generators/publish/index.ts'), namespace: 'aks-platform:publish' };

describe('yo aks-platform:publish', () => {
  const root = tempDir('aks-platform-publish-yo-');
  const dir = join(root, 'platform');
  let github: FakeGitHub;
  const saved = { GITHUB_TOKEN: process.env.GITHUB_TOKEN, GH_TOKEN: process.env.GH_TOKEN };

  beforeAll(async () => {
    github = await startFakeGitHub(TOKEN, 'octo-admin');
    github.addAccount('contoso', 'Organization');
    writeRepository(dir, render(undefined, ['delivery.github.owner=contoso']).files, {
      force: false,
      git: true,
      commitMessage: commitMessage(),
    });
    process.env.GITHUB_TOKEN = TOKEN;
    delete process.env.GH_TOKEN;
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await github?.stop();
  });

  it('publishes through the same core as the CLI', async () => {
    await runGenerator(AksPlatformPublishGenerator, settings)
      .withArguments([dir])
      .withOptions({ repo: 'contoso/yo-platform', apiUrl: github.apiUrl });
    expect(github.violations).toEqual([]);
    const clone = join(root, 'clone');
    execFileSync('git', ['clone', '-q', github.barePath('contoso', 'yo-platform'), clone]);
    expect(readTree(clone)).toEqual(readTree(dir));
    expect(github.repos.get('contoso/yo-platform')!.environments.size).toBe(2);
  });

  it('a failure reaches Yeoman as an error with the explained message', async () => {
    await expect(
      runGenerator(AksPlatformPublishGenerator, settings)
        .withArguments([dir])
        .withOptions({ repo: 'nobody-here/x', apiUrl: github.apiUrl }),
    ).rejects.toThrow('GitHub has no user or organisation "nobody-here"');
  });
});
