import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { composeAnswers, parseAnswersDocument } from '../src/answers/load.js';
import { MAX_ANSWER_CHARACTERS, validateAnswers, type Problem } from '../src/answers/validate.js';
import { loadCatalog, parseCatalog } from '../src/catalog/load.js';
import { templateLayer } from '../src/catalog/policy.js';
import { UserError } from '../src/errors.js';
import { formatProblem } from '../src/messages.js';
import { isBranchName, isGitHubRepo } from '../src/util/names.js';
import { SUPPORTED_KUBERNETES_MINORS } from '../src/versions.js';

// Hostile answers (issue 14): each case failed before its fix, by crashing, accepting what Azure or git rejects, or
// reporting the wrong field.

function errors(sets: string[], file?: Record<string, unknown>): Problem[] {
  return validateAnswers(composeAnswers({ sets, file: file as never })).problems.filter((p) => p.severity === 'error');
}
const paths = (sets: string[]) => errors(sets).map((p) => p.path);

describe('IPv4 addresses and ranges are read the way Azure reads them', () => {
  it.each([
    ['network.dnsServiceIp=172.16.0.999', 'network.dnsServiceIp'],
    ['network.hub.firewallPrivateIp=10.0.0.300', 'network.hub.firewallPrivateIp'],
    ['network.dnsServiceIp=172.016.0.10', 'network.dnsServiceIp'],
    ['environments.0.addressSpace=010.001.000.000/16', 'environments.0.addressSpace'],
    ['network.serviceCidr=172.16.0.0/33', 'network.serviceCidr'],
    ['network.podCidr=256.168.0.0/16', 'network.podCidr'],
  ])('%s is refused at %s, once, without a crash', (set, path) => {
    const found = errors([set]);
    expect(found.map((p) => p.path)).toEqual([path]);
    expect(found[0]!.fix).not.toBe('');
  });

  it('010.1.0.0/16 beside 10.1.0.0/16 is not read as 8.1.0.0/16 and let through', () => {
    expect(paths(['environments.1.addressSpace=010.1.0.0/16'])).toContain('environments.1.addressSpace');
  });

  it.each([
    ['127.0.0.0/16', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['20.0.0.0/16', 'public'],
  ])('a service CIDR in %s space is refused (%s)', (cidr, kind) => {
    const dns = cidr.replace(/0\/16$/, '10');
    const found = errors([`network.serviceCidr=${cidr}`, `network.dnsServiceIp=${dns}`]);
    expect(found.map((p) => [p.path, p.message])).toEqual([['network.serviceCidr', expect.stringContaining(kind)]]);
  });

  it.each([
    ['172.16.0.0', 'network address'],
    ['172.16.255.255', 'broadcast'],
    ['172.16.0.1', 'kubernetes API service'],
  ])('a DNS service IP of %s is refused (%s)', (ip, why) => {
    const found = errors([`network.dnsServiceIp=${ip}`]);
    expect(found.map((p) => [p.path, p.message])).toEqual([['network.dnsServiceIp', expect.stringContaining(why)]]);
  });
});

describe('Kubernetes versions are limited to the minors AKS supports', () => {
  const { oldest, newest } = SUPPORTED_KUBERNETES_MINORS;
  it.each(['1.10', '1.99.999', `1.${oldest - 1}`, `1.${newest + 1}.0`])('%s is refused', (version) => {
    const found = errors([`cluster.kubernetesVersion=${version}`]);
    expect(found.map((p) => p.path)).toEqual(['cluster.kubernetesVersion']);
    expect(found[0]!.fix).toContain(`1.${oldest} to 1.${newest}`);
  });
  it.each([`1.${oldest}`, `1.${newest}.3`])('%s is accepted', (version) => {
    expect(errors([`cluster.kubernetesVersion=${version}`])).toEqual([]);
  });
});

describe('repository and branch names are the ones GitHub and git accept', () => {
  it.each(['.', '..'])(
    '%s is not a repository name, in the answers, in --repo and in a catalog source',
    async (name) => {
      expect(isGitHubRepo(name)).toBe(false);
      expect(paths([`delivery.github.repo=${name}`])).toEqual(['delivery.github.repo']);
      await expect(
        loadCatalog(`contoso/${name}`, () => ({ read: async () => ({ commit: 'x', text: '' }) })),
      ).rejects.toThrow(/neither an existing folder nor a GitHub repository/);
    },
  );

  it('branch names agree with git check-ref-format --branch', () => {
    const names = [
      'main',
      'release/1.2',
      'feature/a.b',
      '../../x',
      'a..b',
      '.hidden',
      'a/.b',
      'a.lock',
      'a/b.lock/c',
      'a//b',
      'a/',
      '/a',
      'a.',
      '-x',
      'HEAD',
      'x-',
      'a_b-c',
    ];
    for (const name of names) {
      let git = true;
      try {
        execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
      } catch {
        git = false;
      }
      expect([name, isBranchName(name)]).toEqual([name, git]);
    }
    expect(paths(['delivery.github.branch=../../x'])).toEqual(['delivery.github.branch']);
  });
});

describe('messages name every field, once, with its own fix', () => {
  it('three unknown keys are three problems, each with its own name and fix', () => {
    const found = errors([], { foo: 1, bar: 2, network: { baz: 3 } });
    expect(found.map((p) => [p.path, p.fix]).sort()).toEqual([
      ['bar', expect.stringMatching(/^remove bar /)],
      ['foo', expect.stringMatching(/^remove foo /)],
      ['network.baz', expect.stringMatching(/^remove baz /)],
    ]);
  });

  it('__proto__ keys are reported under their own name, and never change what other keys mean', () => {
    const doc = parseAnswersDocument('__proto__:\n  organisation: evil\nnetwork:\n  __proto__: 3\n', 'answers.yaml');
    const found = errors([], doc.answers);
    expect(found.map((p) => p.path).sort()).toEqual(['__proto__', 'network.__proto__']);
    expect(composeAnswers({ file: doc.answers }).organisation).toBeUndefined();
  });

  it('an index past the end of a list is refused at once, saying how long the list is', () => {
    const started = Date.now();
    expect(() => composeAnswers({ sets: ['environments.99999999.name=qa'] })).toThrow(
      /environments has 2 entries, so index 99999999 is past its end[\s\S]*use an index from 0 to 1 .* or 2 to add one/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(
      composeAnswers({ sets: ['environments.2.name=qa', 'environments.2.addressSpace=10.3.0.0/16'] }).environments,
    ).toHaveLength(3);
  });

  it('a catalog lock past the end of a list is refused the same way, naming the template', () => {
    const catalog = parseCatalog(
      'apiVersion: aks-platform/v1\nkind: Catalog\nmetadata:\n  name: c\ntemplates:\n  - name: t\n    version: 1.0.0\n    description: d\n    locked:\n      environments.99999999.name: qa\n',
      'catalog.yaml',
    );
    expect(() => templateLayer(catalog.templates[0]!)).toThrow(
      /t@1\.0\.0 locks environments\.99999999\.name, but environments has 0 entries[\s\S]*fix: lock every entry/,
    );
  });

  it('a catalog lock on __proto__ is reported, not dropped', () => {
    expect(() =>
      parseCatalog(
        'apiVersion: aks-platform/v1\nkind: Catalog\nmetadata:\n  name: c\ntemplates:\n  - name: t\n    version: 1.0.0\n    description: d\n    locked:\n      __proto__: 1\n',
        'catalog.yaml',
      ),
    ).toThrow(/templates\.0\.locked\.__proto__/);
  });

  it('a 10 MB value is refused quickly, and the message shows its head and length, not the value', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const started = Date.now();
    const found = errors([], { organisation: huge });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(found.map((p) => [p.path, p.message])).toEqual([
      ['organisation', expect.stringContaining(`no answer is longer than ${MAX_ANSWER_CHARACTERS}`)],
    ]);
    const text = formatProblem(found[0]!);
    expect(text.length).toBeLessThan(400);
    expect(text).toContain(`(${huge.length + 2} characters)`);
  });

  it('a long value inside a list is reported once, without recursing forever (found by the property test)', () => {
    const found = errors([], {
      environments: [{ name: 'dev', addressSpace: '10.1.0.0/16', systemPool: { zones: ['1', 'z'.repeat(2000)] } }],
    });
    expect(found.map((p) => p.path)).toEqual(['environments.0.systemPool.zones.1']);
  });

  it('a too-long --set expression is echoed truncated', () => {
    const error = (() => {
      try {
        composeAnswers({ sets: [`environments.99.name=${'y'.repeat(100_000)}`] });
      } catch (e) {
        return e as UserError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UserError);
    expect(error!.message.length).toBeLessThan(600);
  });
});
