import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, type Mock, vi } from 'vitest';
import AksPlatformGenerator from '../generators/app/index.js';
import { messages } from '../src/messages.js';
import { packageRoot } from '../src/paths.js';
import { pipelineSecretNames } from '../src/plan/contracts.js';
import { readTree, render, tempDir } from './support/generate.js';
import { runGenerator } from './support/yeoman.js';
import { completeSets } from './support/presets.js';

const settings = { resolved: join(packageRoot, 'generators/app/index.ts'), namespace: 'aks-platform:app' };

function run() {
  return runGenerator(AksPlatformGenerator, settings);
}

describe('yo aks-platform', () => {
  it('with --yes and a preset writes what the CLI core renders, and commits it', async () => {
    const result = await run().withOptions({ yes: true, preset: 'enterprise' });
    const expected = render('enterprise').files;
    expect(readTree(result.cwd)).toEqual(expected);
    expect(execFileSync('git', ['log', '--format=%s'], { cwd: result.cwd, encoding: 'utf8' })).toMatch(
      /^Generate the AKS platform/,
    );
  });

  it('names the pipeline secrets to create before the first deployment, as `aks-platform new` does', async () => {
    // Yeoman's test adapter logs through spies it makes with this factory; every call is a line the user would see.
    const spies: Mock[] = [];
    await run()
      .withOptions({ yes: true, set: ['delivery.github.owner=contoso'], git: false })
      .withAdapterOptions({
        spyFactory: ({ returns }) => {
          const spy = vi.fn(() => returns);
          spies.push(spy);
          return spy;
        },
      });
    const logged = spies.flatMap((spy) => spy.mock.calls.map((call: unknown[]) => String(call[0])));
    const { plan } = render(undefined, ['delivery.github.owner=contoso']);
    expect(pipelineSecretNames(plan)).toContain('FLUX_GIT_TOKEN');
    expect(logged.join('\n')).toContain('store FLUX_GIT_TOKEN as a pipeline secret');
    expect(logged.join('\n')).toContain(
      messages.nextSteps('', pipelineSecretNames(plan)).split('\n').slice(2).join('\n'),
    );
  });

  it('asks the questions and uses the answers given', async () => {
    const result = await run()
      .withOptions({ git: false })
      .withAnswers(
        { value: undefined },
        {
          // yeoman-test answers by question name; ours are all `value`, so answer by message instead.
          callback: (answer, { question }) => {
            const byMessage: Record<string, unknown> = {
              'Platform name': 'ops',
              'Environment names (comma-separated)': 'dev,test,prod',
              'Network plugin': 'kubenet',
              'Network policy engine': 'calico',
              'Team names (comma-separated, may be empty)': 'payments,search',
            };
            return (question.message as string) in byMessage ? byMessage[question.message as string] : answer;
          },
        },
      );
    const stored = JSON.parse(readFileSync(join(result.cwd, '.yo-rc.json'), 'utf8'))['generator-aks-platform'].answers;
    expect(stored.platform).toBe('ops');
    expect(stored.environments.map((e: { name: string }) => e.name)).toEqual(['dev', 'test', 'prod']);
    expect(stored.environments.map((e: { production: boolean }) => e.production)).toEqual([false, false, true]);
    expect(stored.environments.map((e: { addressSpace: string }) => e.addressSpace)).toEqual([
      '10.1.0.0/16',
      '10.2.0.0/16',
      '10.3.0.0/16',
    ]);
    expect(stored.network).toMatchObject({ plugin: 'kubenet', networkPolicy: 'calico', dataplane: 'azure' });
    expect(stored.teams.map((t: { name: string }) => t.name)).toEqual(['payments', 'search']);
    expect(existsSync(join(result.cwd, '.git'))).toBe(false);
  });

  it("takes a topic's defaults when asked to, and writes nothing when the summary is declined", async () => {
    const asked: string[] = [];
    const result = await run()
      .withOptions({ git: false })
      .withAnswers(
        { value: undefined },
        {
          callback: (answer, { question }) => {
            const message = question.message as string;
            asked.push(message);
            if (message === 'Take all the defaults of Cluster?') return true;
            if (message.startsWith('Write ')) return false;
            return answer;
          },
        },
      );
    expect(asked).toContain('Take all the defaults of Platform?');
    expect(asked).not.toContain('Network plugin');
    expect(asked.at(-1)).toMatch(/^Write \d+ files into /);
    expect(existsSync(join(result.cwd, 'README.md'))).toBe(false);
    expect(existsSync(join(result.cwd, '.yo-rc.json'))).toBe(false);
  });

  it('a re-run with the stored .yo-rc.json asks nothing and reproduces the files', async () => {
    const first = await run().withOptions({ yes: true, preset: 'starter', set: completeSets('starter'), git: false });
    const before = readTree(first.cwd);
    const again = await run()
      .withFiles({ '.yo-rc.json': before.get('.yo-rc.json')! })
      .withOptions({ git: false })
      .withAnswers({}, { throwOnMissingAnswer: true });
    expect(readTree(again.cwd)).toEqual(before);
  });

  it('invalid answers fail the run with the problem list and write nothing', async () => {
    const file = join(tempDir(), 'yo-bad-answers.yaml');
    writeFileSync(file, 'network:\n  plugin: flannel\n');
    const context = run().withOptions({ yes: true, answers: file });
    await expect(context).rejects.toThrow(/network\.plugin = "flannel"/);
  });

  it('offers the templates of a configured catalog and enforces its locks', async () => {
    const catalog = join(packageRoot, 'test/fixtures/catalog');
    const offered: unknown[] = [];
    const result = await run()
      .withOptions({ catalog, git: false })
      .withAnswers(
        {},
        {
          callback: (answer, { question }) => {
            if (question.message === 'Catalog template') {
              offered.push(...((question as { choices?: { value: string }[] }).choices ?? []).map((c) => c.value));
              return 'regulated-prod@1.1.0';
            }
            if (question.message === 'Private API server?') throw new Error('a locked answer was asked');
            return answer;
          },
        },
      );
    expect(offered).toEqual(['regulated-prod@1.1.0', 'team-sandbox@0.3.0']);
    const stored = JSON.parse(readFileSync(join(result.cwd, '.yo-rc.json'), 'utf8'))['generator-aks-platform'];
    expect(stored.catalog).toMatchObject({ template: 'regulated-prod', version: '1.1.0' });
    expect(stored.answers.cluster.privateCluster).toBe(true);
  });

  it('takes inline answers (as Backstage passes them) and refuses those that break a lock', async () => {
    const catalog = join(packageRoot, 'test/fixtures/catalog');
    const ok = await run().withOptions({
      yes: true,
      git: false,
      catalog,
      template: 'team-sandbox',
      inlineAnswers: { platform: 'sbx', network: undefined },
    });
    expect(
      JSON.parse(readFileSync(join(ok.cwd, '.yo-rc.json'), 'utf8'))['generator-aks-platform'].answers.platform,
    ).toBe('sbx');
    const refused = run().withOptions({
      yes: true,
      git: false,
      catalog,
      template: 'regulated-prod',
      inlineAnswers: JSON.stringify({ network: { egress: 'loadBalancer' } }),
    });
    await expect(refused).rejects.toThrow(/network\.egress = "loadBalancer": is locked to "firewall"/);
  });
});
