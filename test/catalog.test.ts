import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeAnswers } from '../src/answers/load.js';
import { promptForMissing } from '../src/answers/questions.js';
import { catalogJsonSchema } from '../src/catalog/schema.js';
import { parseCatalog, selectTemplate, MAX_CATALOG_BYTES } from '../src/catalog/load.js';
import { applyLocks, isLocked, templateLayer } from '../src/catalog/policy.js';
import { packageRoot } from '../src/paths.js';
import { runCli, runCliAsync } from './support/cli.js';
import { tempDir } from './support/generate.js';
import { STARTER_RANGES } from './support/presets.js';

const fixture = join(packageRoot, 'test/fixtures/catalog');
const catalog = parseCatalog(readFileSync(join(fixture, 'catalog.yaml'), 'utf8'), 'fixture');
const root = tempDir();
let n = 0;
const fresh = () => join(root, `repo-${++n}`);

describe('catalog loading', () => {
  it('parses the fixture and selects the newest version or an exact one', () => {
    expect(selectTemplate(catalog, 'regulated-prod').version).toBe('1.1.0');
    expect(selectTemplate(catalog, 'regulated-prod@1.0.0').version).toBe('1.0.0');
    expect(() => selectTemplate(catalog, 'regulated-prod@9.9.9')).toThrow(/no version 9\.9\.9.*\n.*1\.0\.0, 1\.1\.0/);
    expect(() => selectTemplate(catalog, 'nope')).toThrow(/use one of: regulated-prod, team-sandbox/);
  });

  const hostile: [string, string, RegExp][] = [
    [
      'path traversal in a name',
      'templates:\n  - name: ../../etc\n    version: 1.0.0\n    description: x\n',
      /templates\.0\.name: must be a lowercase DNS label/,
    ],
    ['a slash in a name', 'templates:\n  - name: a/b\n    version: 1.0.0\n    description: x\n', /templates\.0\.name/],
    [
      'wrong types',
      'templates:\n  - name: a\n    version: 1\n    description: [x]\n',
      /templates\.0\.version.*\n.*templates\.0\.description/s,
    ],
    [
      'an unknown answer path',
      'templates:\n  - name: a\n    version: 1.0.0\n    description: x\n    locked:\n      cluster.notAThing: true\n',
      /locked\.cluster\.notAThing: is not an answer/,
    ],
    [
      'a locked value of the wrong type',
      'templates:\n  - name: a\n    version: 1.0.0\n    description: x\n    locked:\n      cluster.privateCluster: "yes"\n',
      /is not a valid value of this answer/,
    ],
    [
      'an unknown preset',
      'templates:\n  - name: a\n    version: 1.0.0\n    description: x\n    preset: rm -rf\n',
      /templates\.0\.preset/,
    ],
    [
      'a repeated version',
      'templates:\n  - {name: a, version: 1.0.0, description: x}\n  - {name: a, version: 1.0.0, description: y}\n',
      /repeats a@1\.0\.0/,
    ],
    [
      'unknown top-level keys',
      'templates:\n  - {name: a, version: 1.0.0, description: x}\nscript: "curl evil"\n',
      /Unrecognized key: "script"/,
    ],
  ];
  it.each(hostile)('rejects %s with the path of the problem', (_name, body, message) => {
    const text = `apiVersion: aks-platform/v1\nkind: Catalog\nmetadata:\n  name: c\n${body}`;
    expect(() => parseCatalog(text, 'hostile.yaml')).toThrow(message);
  });

  it('rejects a huge file before parsing it, and an alias bomb while parsing', () => {
    expect(() => parseCatalog('#'.repeat(MAX_CATALOG_BYTES + 1), 'huge.yaml')).toThrow(/larger than/);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    expect(() => parseCatalog(bomb, 'bomb.yaml')).toThrow(/not valid YAML|alias/i);
  });

  it('the shipped catalog JSON Schema is the one the code produces', () => {
    expect(JSON.parse(readFileSync(join(packageRoot, 'schema/catalog.schema.json'), 'utf8'))).toEqual(
      catalogJsonSchema(),
    );
  });
});

describe('locks on every input path', () => {
  const template = selectTemplate(catalog, 'regulated-prod@1.1.0');

  it('prompts never ask a locked answer', async () => {
    const asked: string[] = [];
    const layer = templateLayer(template);
    await promptForMissing(composeAnswers({ preset: layer.preset, base: layer.answers }), {
      ask: async (q) => {
        asked.push(q.path);
        return q.default ?? (q.type === 'input' ? '' : undefined);
      },
      skip: (path) => isLocked(template, path),
    });
    expect(asked.length).toBeGreaterThan(5);
    for (const path of asked) expect(isLocked(template, path), path).toBe(false);
    expect(asked).not.toContain('cluster.privateCluster');
    expect(asked).not.toContain('network.egress');
  });

  it('wildcard locks fill every list entry nobody answered', () => {
    const filled = applyLocks({ environments: [{ name: 'a' }, { name: 'b', spotPool: { enabled: true } }] }, template);
    expect(filled.environments).toEqual([
      { name: 'a', spotPool: { enabled: false } },
      { name: 'b', spotPool: { enabled: true } },
    ]);
  });

  it('new --catalog --template applies the template and records it in .yo-rc.json', () => {
    const dir = fresh();
    const run = runCli(['new', dir, '--catalog', fixture, '--template', 'regulated-prod', '--yes', '--no-git'], root);
    expect(run.code, run.stderr).toBe(0);
    const stored = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-aks-platform'];
    expect(stored.catalog).toEqual({ source: fixture, template: 'regulated-prod', version: '1.1.0' });
    expect(stored.preset).toBe('enterprise');
    expect(stored.answers.identity.disableLocalAccounts).toBe(true);
    expect(stored.answers.delivery.github.owner).toBe('contoso');
  });

  it('--set contradicting a lock fails, naming the field, the locked value and the template', () => {
    const dir = fresh();
    const run = runCli(
      [
        'new',
        dir,
        '--catalog',
        fixture,
        '--template',
        'regulated-prod',
        '--set',
        'cluster.privateCluster=false',
        // The ranges a public production API server needs, so the lock is what stops the run.
        '--set',
        STARTER_RANGES,
        '--yes',
      ],
      root,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'cluster.privateCluster = false: is locked to true by catalog template regulated-prod@1.1.0',
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('an answers file contradicting a lock or an allowed set fails the same way', () => {
    const file = join(root, 'contradicts.yaml');
    writeFileSync(
      file,
      'location: eastus\nnetwork:\n  egress: loadBalancer\nenvironments:\n  - name: dev\n    addressSpace: 10.1.0.0/16\n    spotPool: { enabled: true }\n    userPool: { maxCount: 50 }\n',
    );
    const run = runCli(
      ['new', fresh(), '--catalog', fixture, '--template', 'regulated-prod@1.1.0', '--answers', file, '--yes'],
      root,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('network.egress = "loadBalancer": is locked to "firewall"');
    expect(run.stderr).toContain('environments.0.spotPool.enabled = true: is locked to false');
    expect(run.stderr).toContain(
      'location = "eastus": is not allowed by catalog template regulated-prod@1.1.0, which permits one of "westeurope", "northeurope", "swedencentral"',
    );
    expect(run.stderr).toContain('environments.0.userPool.maxCount = 50: is not allowed');
  });

  it('a re-run from the stored answers checks the catalog again, so a tightened policy is reported', () => {
    const catalogDir = join(root, 'evolving-catalog');
    mkdirSync(catalogDir);
    cpSync(join(fixture, 'catalog.yaml'), join(catalogDir, 'catalog.yaml'));
    const dir = fresh();
    expect(
      runCli(['new', dir, '--catalog', catalogDir, '--template', 'team-sandbox', '--yes', '--no-git'], root).code,
    ).toBe(0);
    // The central team tightens team-sandbox 0.3.0 in place: spot pools are no longer allowed.
    const tightened = readFileSync(join(catalogDir, 'catalog.yaml'), 'utf8').replace(
      '      environments.*.systemPool.vmSize: [Standard_D2ds_v5, Standard_D4ds_v5]',
      '      environments.*.systemPool.vmSize: [Standard_D2ds_v5, Standard_D4ds_v5]\n    locked:\n      environments.*.spotPool.enabled: false',
    );
    writeFileSync(join(catalogDir, 'catalog.yaml'), tightened);
    const replay = runCli(['new', fresh(), '--answers', join(dir, '.yo-rc.json'), '--yes'], root);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain(
      'environments.0.spotPool.enabled = true: is locked to false by catalog template team-sandbox@0.3.0',
    );
  });

  it('--template without --catalog, or with --preset, is refused', () => {
    expect(runCli(['new', fresh(), '--template', 'x', '--yes'], root).stderr).toContain('--template needs --catalog');
    expect(runCli(['new', fresh(), '--catalog', fixture, '--preset', 'starter', '--yes'], root).stderr).toContain(
      'both choose a starting point',
    );
    expect(runCli(['new', fresh(), '--catalog', fixture, '--yes'], root).stderr).toContain(
      '--catalog needs --template when nobody can be asked',
    );
  });
});

describe('catalog policy at upgrade', () => {
  it('an upgrade reads the catalog again: a tightened lock is reported against the stored answers, nothing changes', () => {
    const catalogDir = join(root, 'upgrade-catalog');
    mkdirSync(catalogDir);
    cpSync(join(fixture, 'catalog.yaml'), join(catalogDir, 'catalog.yaml'));
    const dir = fresh();
    expect(runCli(['new', dir, '--catalog', catalogDir, '--template', 'team-sandbox', '--yes'], root).code).toBe(0);
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' });
    const clean = runCli(['upgrade', dir, '--dry-run'], root);
    expect(clean.code, clean.stderr).toBe(0);
    writeFileSync(
      join(catalogDir, 'catalog.yaml'),
      readFileSync(join(catalogDir, 'catalog.yaml'), 'utf8').replace(
        '    preset: starter\n',
        '    preset: starter\n    locked:\n      environments.*.spotPool.enabled: false\n',
      ),
    );
    const refused = runCli(['upgrade', dir], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'environments.0.spotPool.enabled = true: is locked to false by catalog template team-sandbox@0.3.0',
    );
    expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' })).toBe(head);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
    // The team follows the new policy with a changed answer; the upgrade then goes through.
    const fixed = runCli(
      ['upgrade', dir, '--set', 'environments.0.spotPool.enabled=false', '--set', 'teams.0.useSpot=false'],
      root,
    );
    expect(fixed.code, fixed.stderr + fixed.stdout).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-aks-platform'].catalog).toMatchObject({
      template: 'team-sandbox',
      version: '0.3.0',
    });
  });
});

describe('catalog commands', () => {
  it('list shows every template and version with its locks', () => {
    const run = runCli(['catalog', 'list', '--catalog', fixture], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /regulated-prod@1\.1\.0 .*\n.*locked: cluster\.privateCluster, identity\.disableLocalAccounts, network\.egress, environments\.\*\.spotPool\.enabled/,
    );
    expect(run.stdout.indexOf('regulated-prod@1.1.0')).toBeLessThan(run.stdout.indexOf('regulated-prod@1.0.0'));
    expect(run.stdout).toContain('team-sandbox@0.3.0');
  });

  it('backstage writes a valid Software Template per template, locked answers removed, allowed values as enums', async () => {
    const out = join(root, 'backstage');
    // A folder path means nothing to a Backstage server: without a GitHub remote or --catalog-url it is refused.
    const local = runCli(['catalog', 'backstage', '--catalog', fixture, '--out', out], root);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('a Backstage server cannot read');
    expect(existsSync(out)).toBe(false);
    const url = 'https://github.com/contoso/platform-catalog/tree/v1';
    const run = runCli(['catalog', 'backstage', '--catalog', fixture, '--catalog-url', url, '--out', out], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('@backstage/plugin-scaffolder-backend-module-yeoman');
    const entity = parseYaml(readFileSync(join(out, 'regulated-prod/template.yaml'), 'utf8'));
    expect(entity.spec.steps[0].input.options.catalog).toBe('contoso/platform-catalog@v1');
    expect(entity.metadata.annotations['backstage.io/source-location']).toBe(`url:${url}`);
    expect(entity.metadata.annotations['aks-platform/requires']).toMatch(
      /plugin-scaffolder-backend-module-yeoman.*plugin-scaffolder-backend-module-github/,
    );
    expect(JSON.stringify(entity)).not.toContain(fixture);
    expect(await templateEntityV1beta3Validator.check(entity)).toBe(true);
    const pages = entity.spec.parameters as {
      title: string;
      properties: Record<string, { properties?: Record<string, unknown>; enum?: unknown[] }>;
    }[];
    const page = (title: string) => pages.find((p) => p.title === title)!;
    expect(page('Cluster').properties.cluster!.properties).not.toHaveProperty('privateCluster');
    expect(page('Cluster').properties.cluster!.properties).toHaveProperty('kubernetesVersion');
    expect(page('Network').properties.network!.properties).not.toHaveProperty('egress');
    expect(page('Platform').properties.location!.enum).toEqual(['westeurope', 'northeurope', 'swedencentral']);
    expect(entity.spec.steps[0]).toMatchObject({
      action: 'run:yeoman',
      input: { namespace: 'aks-platform', options: { yes: true, template: 'regulated-prod@1.1.0' } },
    });
    expect(entity.spec.steps[0].input.options.inlineAnswers.network).toBe('${{ parameters.network }}');
    const sandbox = parseYaml(readFileSync(join(out, 'team-sandbox/template.yaml'), 'utf8'));
    expect(await templateEntityV1beta3Validator.check(sandbox)).toBe(true);
    expect(existsSync(join(out, 'regulated-prod@1.0.0'))).toBe(false);
  });
});

describe('a catalog on GitHub', () => {
  // A loopback stand-in for the three GitHub REST operations the reader uses, with their real response shapes.
  const text = readFileSync(join(fixture, 'catalog.yaml'), 'utf8');
  const sha = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
  let server: Server;
  let apiUrl = '';
  const requests: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/repos/contoso/platform-catalog')
        return send(200, {
          id: 1,
          name: 'platform-catalog',
          full_name: 'contoso/platform-catalog',
          default_branch: 'main',
        });
      const commit = /^\/repos\/contoso\/platform-catalog\/commits\/(.+)$/.exec(url.pathname);
      if (commit)
        return ['main', 'v1', sha].includes(decodeURIComponent(commit[1]!))
          ? send(200, { sha, commit: { message: 'catalog' } })
          : send(404, { message: 'No commit found for SHA: ' + commit[1] });
      if (
        url.pathname === '/repos/contoso/platform-catalog/contents/catalog.yaml' &&
        url.searchParams.get('ref') === sha
      ) {
        return send(200, {
          type: 'file',
          name: 'catalog.yaml',
          path: 'catalog.yaml',
          sha: 'f'.repeat(40),
          size: Buffer.byteLength(text),
          encoding: 'base64',
          content: Buffer.from(text).toString('base64'),
        });
      }
      send(404, { message: 'Not Found' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads catalog.yaml at the commit the ref resolves to, and records that commit', async () => {
    const run = await runCliAsync(
      ['catalog', 'list', '--catalog', 'contoso/platform-catalog@v1', '--api-url', apiUrl],
      root,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`(commit ${sha})`);
    expect(requests).toContain(`GET /repos/contoso/platform-catalog/contents/catalog.yaml?ref=${sha}`);
    const dir = fresh();
    expect(
      (
        await runCliAsync(
          [
            'new',
            dir,
            '--catalog',
            'contoso/platform-catalog',
            '--template',
            'team-sandbox',
            '--api-url',
            apiUrl,
            '--yes',
            '--no-git',
          ],
          root,
        )
      ).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-aks-platform'].catalog).toEqual({
      source: 'contoso/platform-catalog',
      commit: sha,
      template: 'team-sandbox',
      version: '0.3.0',
    });
  });

  it('a missing ref or repository is a clear error', async () => {
    const missingRef = await runCliAsync(
      ['catalog', 'list', '--catalog', 'contoso/platform-catalog@nope', '--api-url', apiUrl],
      root,
    );
    expect(missingRef.code).toBe(1);
    expect(missingRef.stderr).toContain('GitHub: contoso/platform-catalog@nope was not found');
    const missingRepo = await runCliAsync(
      ['catalog', 'list', '--catalog', 'contoso/elsewhere', '--api-url', apiUrl],
      root,
    );
    expect(missingRepo.code).toBe(1);
    expect(missingRepo.stderr).toContain('GitHub: contoso/elsewhere was not found');
    expect((await runCliAsync(['catalog', 'list', '--catalog', 'not a source'], root)).stderr).toContain(
      'neither an existing folder nor a GitHub repository',
    );
  });
});
