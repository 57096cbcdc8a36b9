import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Bottleneck from 'bottleneck/light.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPublish, splitPublishArgs } from '../src/cli/commands/publish.js';
import { EXIT_TRANSIENT, validationChecks } from '../src/github/command.js';
import type { Io } from '../src/cli/io.js';
import { redact, registerSecret } from '../src/github/redact.js';
import { commitMessage, GENERATED_BRANCH } from '../src/write/git.js';
import { writeRepository } from '../src/write/index.js';
import { readTree, render, tempDir } from './support/generate.js';
import { startFakeGitHub, type FakeGitHub } from './support/github-server.js';

// `aks-platform publish` against GitHub stand-ins on 127.0.0.1: the REST API validated against GitHub's OpenAPI
// description, and git's own smart-HTTP server for the push. Called in-process (main.ts wires the command later).

const TOKEN = `ghp_${'T0k3nS3cr3t'.repeat(3)}abc`;
const WRONG_TOKEN = `ghp_${'Wr0ngT0k3n'.repeat(3)}xyz0`;
const LOGIN = 'octo-admin';
const ORG = 'contoso';
const REPO = 'contoso-core-platform';
const TENANT = '11111111-2222-3333-4444-555555555555';
const SUBSCRIPTION = '66666666-7777-8888-9999-000000000000';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

const root = tempDir('aks-platform-publish-');
let github: FakeGitHub;
let template: string;
let n = 0;
const transcripts: string[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  github = await startFakeGitHub(TOKEN, LOGIN);
  github.addAccount(ORG, 'Organization');
  github.addAccount('alice', 'User');
  github.addAccount('mallory', 'User');
  github.addTeam(ORG, 'platform-admins');
  template = join(root, 'template');
  const generation = render(undefined, [`delivery.github.owner=${ORG}`]);
  writeRepository(template, generation.files, { force: false, git: true, commitMessage: commitMessage() });
});

afterAll(async () => {
  await github?.stop();
});

/** A fresh copy of the generated repository (with its .git). */
function fresh(): string {
  const dir = join(root, `case-${++n}`);
  cpSync(template, dir, { recursive: true });
  dirs.push(dir);
  return dir;
}

function tuning() {
  return {
    // GitHub's pacing (1 s between writes, retry-after in seconds) shrunk to milliseconds; the logic is the plugins'.
    throttle: {
      retryAfterBaseValue: 5,
      fallbackSecondaryRateRetryAfter: 1,
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
    },
    retry: { retries: 1, retryAfterBaseValue: 5 },
  };
}

function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_TOKEN: TOKEN, ...extra };
  for (const name of ['GH_TOKEN', 'AZURE_TENANT_ID', 'AZURE_SUBSCRIPTION_ID', 'AZURE_CLIENT_ID'])
    if (!(name in extra)) delete env[name];
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

async function publish(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = baseEnv()) {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), interactive: false };
  const before = github.requests.length;
  let code: number;
  try {
    code = await runPublish([dir, '--api-url', github.apiUrl, ...args], io, { env, tuning: tuning() });
  } catch (error) {
    err += String((error as Error).stack);
    code = -1;
  }
  transcripts.push(out, err);
  return { code, out, err, requests: github.requests.slice(before) };
}

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** Refs, index/worktree status and config of a local repository: what "intact" means. */
function snapshot(dir: string) {
  return {
    refs: git(dir, ['for-each-ref', '--format=%(refname) %(objectname)']),
    status: git(dir, ['status', '--porcelain']),
    config: readFileSync(join(dir, '.git/config'), 'utf8'),
  };
}

function bareSha(owner: string, name: string, branch = 'main'): string {
  return git(github.barePath(owner, name), ['rev-parse', `refs/heads/${branch}`]);
}

function cloneBack(owner: string, name: string): string {
  const target = join(root, `clone-${++n}`);
  execFileSync('git', ['clone', '-q', github.barePath(owner, name), target]);
  return target;
}

function expectNoViolations() {
  expect(github.violations).toEqual([]);
}

describe('aks-platform publish: the whole path', () => {
  let dir: string;

  it('creates the organisation repository, pushes the history with real git, and configures it', async () => {
    dir = fresh();
    const run = await publish(dir, [
      '--reviewers',
      `alice,${ORG}/platform-admins`,
      '--tenant-id',
      TENANT,
      '--subscription-id',
      SUBSCRIPTION,
      '--client-id',
      CLIENT,
    ]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expectNoViolations();

    // The owner was detected as an organisation and the repository created there, private by default.
    expect(run.requests.map((r) => `${r.method} ${r.route}`)).toContain('POST POST /orgs/{org}/repos');
    const created = JSON.parse(run.requests.find((r) => r.route === 'POST /orgs/{org}/repos')!.body);
    expect(created).toMatchObject({ name: REPO, visibility: 'private', auto_init: false });

    // The pushed tree equals the local one, branch for branch.
    const clone = cloneBack(ORG, REPO);
    expect(readTree(clone)).toEqual(readTree(dir));
    expect(bareSha(ORG, REPO)).toBe(git(dir, ['rev-parse', 'main']));
    expect(bareSha(ORG, REPO, GENERATED_BRANCH)).toBe(git(dir, ['rev-parse', GENERATED_BRANCH]));
    // `{ref}` with a slash reached the right operation.
    const getRef = run.requests.find((r) => r.route === 'GET /repos/{owner}/{repo}/git/ref/{ref}');
    expect(getRef?.url).toMatch(/\/git\/ref\/heads(\/|%2F)main$/);

    const repo = github.repos.get(`${ORG}/${REPO}`.toLowerCase())!;
    expect(repo.defaultBranch).toBe('main');
    // Protection: a reviewed pull request and the checks of the validate workflow, named as its jobs are named.
    expect(validationChecks(dir)).toEqual([
      'Kustomize build and kubeconform',
      'Platform consistency',
      'PSRule for Azure',
    ]);
    expect(repo.protection.get('main')).toMatchObject({
      required_status_checks: {
        strict: true,
        contexts: ['Kustomize build and kubeconform', 'Platform consistency', 'PSRule for Azure'],
      },
      required_pull_request_reviews: { required_approving_review_count: 1 },
    });
    // An environment per Azure environment; production with the reviewers, resolved to IDs.
    expect([...repo.environments.keys()]).toEqual(['dev', 'prod']);
    expect(repo.environments.get('dev')!.reviewers).toEqual([]);
    expect(repo.environments.get('prod')!.reviewers).toEqual([
      { type: 'User', id: github.accounts.get('alice')!.id },
      { type: 'Team', id: github.teams.get(`${ORG}/platform-admins`) },
    ]);
    expect(Object.fromEntries([...repo.variables].map(([k, v]) => [k, v.value]))).toEqual({
      AZURE_TENANT_ID: TENANT,
      AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
      AZURE_CLIENT_ID: CLIENT,
    });

    // A line as each step starts (so a slow call names itself), one as it ends, then the summary with the URL.
    expect(run.out).toMatch(/… looking up contoso\n• owner contoso is an organisation\n… creating contoso\//);
    expect(run.out).toMatch(/… pushing to \S+\n• pushed/);
    expect(run.out).toMatch(/• repository \S+ created/);
    expect(run.out).toMatch(/• pushed: main → [0-9a-f]{7}, aks-platform\/generated → [0-9a-f]{7}/);
    expect(run.out).toContain(`Published http://127.0.0.1:${github.port}/${ORG}/${REPO}`);
    expect(run.out).toContain('✓ environment prod with required reviewers alice, contoso/platform-admins');
    expect(run.out).not.toContain('Not configured');
    // origin is recorded without credentials.
    expect(git(dir, ['remote', 'get-url', 'origin'])).toBe(github.gitUrl(ORG, REPO));
  });

  it('a re-run converges: nothing created twice, nothing rewritten that is already right', async () => {
    const run = await publish(dir, [
      '--reviewers',
      `alice,${ORG}/platform-admins`,
      '--tenant-id',
      TENANT,
      '--subscription-id',
      SUBSCRIPTION,
      '--client-id',
      CLIENT,
    ]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expectNoViolations();
    const routes = run.requests.filter((r) => r.route !== 'git').map((r) => `${r.method} ${r.route}`);
    expect(routes).not.toContain('POST POST /orgs/{org}/repos');
    expect(routes.filter((r) => r.startsWith('PATCH') || r.startsWith('POST'))).toEqual([]);
    expect(run.out).toContain('exists; reusing it');
    expect(run.out).toContain('main (already up to date)');
    expect(run.out).toContain('Actions variable AZURE_TENANT_ID unchanged');
    const repo = github.repos.get(`${ORG}/${REPO}`.toLowerCase())!;
    expect([...repo.environments.keys()]).toEqual(['dev', 'prod']);
    expect(github.repos.size).toBe(1);
  });

  it('a new local commit is pushed as a fast-forward; a changed ID is updated in place', async () => {
    writeFileSync(join(dir, 'NOTES.md'), 'local change\n');
    git(dir, ['add', 'NOTES.md']);
    git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'notes']);
    const other = 'abcdefab-1234-1234-1234-abcdefabcdef';
    const run = await publish(
      dir,
      ['--client-id', other],
      baseEnv({ AZURE_TENANT_ID: TENANT, AZURE_SUBSCRIPTION_ID: SUBSCRIPTION }),
    );
    expect(run.code, run.err).toBe(0);
    expectNoViolations();
    expect(bareSha(ORG, REPO)).toBe(git(dir, ['rev-parse', 'main']));
    expect(run.out).toContain('Actions variable AZURE_CLIENT_ID updated');
    expect(github.repos.get(`${ORG}/${REPO}`.toLowerCase())!.variables.get('AZURE_CLIENT_ID')!.value).toBe(other);
    // Without --reviewers, existing reviewers are left as they are, and the summary says none were given.
    expect(github.repos.get(`${ORG}/${REPO}`.toLowerCase())!.environments.get('prod')!.reviewers).toHaveLength(2);
    expect(run.out).toContain('required reviewers of prod: none given');
  });

  it('refuses to push when the remote branch has commits that are not ours, and changes nothing', async () => {
    // Someone else commits on GitHub; we commit something else locally: the histories diverge.
    const theirs = cloneBack(ORG, REPO);
    writeFileSync(join(theirs, 'THEIRS.md'), 'theirs\n');
    git(theirs, ['add', '.']);
    git(theirs, ['-c', 'user.name=o', '-c', 'user.email=o@example.com', 'commit', '-q', '-m', 'theirs']);
    git(theirs, ['push', '-q', 'origin', 'main']);
    const remoteBefore = bareSha(ORG, REPO);
    writeFileSync(join(dir, 'MINE.md'), 'mine\n');
    git(dir, ['add', '.']);
    git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'mine']);
    const before = snapshot(dir);
    const run = await publish(dir);
    expect(run.code).toBe(1);
    expect(run.err).toContain('branch main is unrelated or has diverged');
    expect(run.err).toContain('never force-pushes');
    expect(bareSha(ORG, REPO)).toBe(remoteBefore);
    expect(snapshot(dir)).toEqual(before);
    // Once the remote work is merged locally, the re-run completes.
    git(dir, [
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'pull',
      '-q',
      '--no-rebase',
      '--no-edit',
      github.barePath(ORG, REPO),
      'main',
    ]);
    const again = await publish(dir);
    expect(again.code, again.err).toBe(0);
    expect(bareSha(ORG, REPO)).toBe(git(dir, ['rev-parse', 'main']));
  });

  it('a remote that already contains our history (and more) is left as it is', async () => {
    const copy = fresh();
    const run = await publish(copy);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('main (remote already contains it)');
    expect(bareSha(ORG, REPO)).toBe(git(dir, ['rev-parse', 'main']));
  });
});

describe('aks-platform publish: owners and names', () => {
  it('a user owner gets POST /user/repos (private), only for the token’s own user', async () => {
    const dir = fresh();
    const run = await publish(dir, ['--repo', `${LOGIN}/platform`]);
    expect(run.code, run.err).toBe(0);
    expectNoViolations();
    expect(JSON.parse(run.requests.find((r) => r.route === 'POST /user/repos')!.body)).toMatchObject({
      name: 'platform',
      private: true,
    });
    expect(run.out).toContain(`owner ${LOGIN} is a user`);
    expect(readTree(cloneBack(LOGIN, 'platform'))).toEqual(readTree(dir));

    const other = await publish(fresh(), ['--repo', 'mallory/platform']);
    expect(other.code).toBe(1);
    expect(other.err).toContain(`the token belongs to ${LOGIN}`);
    const internal = await publish(fresh(), ['--repo', `${LOGIN}/other`, '--visibility', 'internal']);
    expect(internal.code).toBe(1);
    expect(internal.err).toContain('internal exists only for organisation repositories');
  });

  it('an existing repository with unrelated history is not ours: refused, untouched', async () => {
    github.addRepo(ORG, 'taken');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    git(elsewhere, ['init', '-q', '-b', 'main']);
    writeFileSync(join(elsewhere, 'README.md'), 'another project\n');
    git(elsewhere, ['add', '.']);
    git(elsewhere, ['-c', 'user.name=o', '-c', 'user.email=o@example.com', 'commit', '-q', '-m', 'other']);
    git(elsewhere, ['push', '-q', github.barePath(ORG, 'taken'), 'main']);
    const remoteBefore = bareSha(ORG, 'taken');
    const dir = fresh();
    const before = snapshot(dir);
    const run = await publish(dir, ['--repo', `${ORG}/taken`]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`${ORG}/taken exists and holds history unrelated to this repository`);
    expect(run.err).toContain('Nothing was pushed');
    expect(bareSha(ORG, 'taken')).toBe(remoteBefore);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an existing empty repository is reused, and --visibility reconciles it', async () => {
    github.addRepo(ORG, 'empty', 'private');
    const run = await publish(fresh(), ['--repo', `${ORG}/empty`, '--visibility', 'public']);
    expect(run.code, run.err).toBe(0);
    expectNoViolations();
    expect(run.out).toContain('exists; reusing it');
    expect(run.out).toContain('visibility changed to public');
    expect(github.repos.get(`${ORG}/empty`)!.visibility).toBe('public');
  });

  it('without a validate workflow, protection requires a review only, and says so', async () => {
    const dir = fresh();
    git(dir, ['rm', '-q', '.github/workflows/validate.yml']);
    git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'no validation']);
    const run = await publish(dir, ['--repo', `${ORG}/no-validate`]);
    expect(run.code, run.err).toBe(0);
    expectNoViolations();
    expect(github.repos.get(`${ORG}/no-validate`)!.protection.get('main')).toMatchObject({
      required_status_checks: null,
    });
    expect(run.out).toContain('.github/workflows/validate.yml is absent');
    expect(run.out).toContain('Actions variable AZURE_TENANT_ID: not given');
  });
});

describe('aks-platform publish: failures are explained, the local repository stays intact, a re-run completes', () => {
  async function failThenRecover(name: string, setup: () => void, args: string[] = [], env?: NodeJS.ProcessEnv) {
    const dir = fresh();
    const before = snapshot(dir);
    setup();
    const failed = await publish(dir, ['--repo', `${ORG}/${name}`, ...args], env);
    github.clearInjections();
    expect(snapshot(dir)).toEqual(before);
    const again = await publish(dir, ['--repo', `${ORG}/${name}`, ...args]);
    expect(again.code, again.err).toBe(0);
    expect(bareSha(ORG, name)).toBe(git(dir, ['rev-parse', 'main']));
    expectNoViolations();
    return failed;
  }

  it('401: the token is rejected', async () => {
    const run = await failThenRecover('f401', () => {}, [], baseEnv({ GITHUB_TOKEN: WRONG_TOKEN }));
    expect(run.code).toBe(1);
    expect(run.err).toContain('GitHub rejected the token (401 Bad credentials)');
    expect(run.err).toContain('Nothing was changed on GitHub');
  });

  it('403: a missing scope, named', async () => {
    const run = await failThenRecover('f403scope', () =>
      github.inject({
        route: 'POST /orgs/{org}/repos',
        status: 403,
        headers: { 'x-accepted-oauth-scopes': 'repo', 'x-oauth-scopes': 'read:org, workflow' },
        body: {
          message: 'Resource not accessible by personal access token',
          documentation_url: 'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
          status: '403',
        },
      }),
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain('the token lacks a scope. It needs: repo; it has: read:org, workflow');
  });

  it('403: SAML SSO authorisation, with the URL to authorise', async () => {
    const url = 'https://github.com/orgs/contoso/sso?authorization_request=A1B2C3';
    const run = await failThenRecover('f403sso', () =>
      github.inject({
        route: 'GET /repos/{owner}/{repo}',
        status: 403,
        headers: { 'x-github-sso': `required; url=${url}` },
        body: {
          message:
            'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.',
          status: '403',
        },
      }),
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain('enforces SAML single sign-on');
    expect(run.err).toContain(`authorise the token at ${url}`);
  });

  it('404: the owner does not exist or is hidden', async () => {
    const dir = fresh();
    const before = snapshot(dir);
    const run = await publish(dir, ['--repo', 'nobody-here/platform']);
    expect(snapshot(dir)).toEqual(before);
    expect(run.code).toBe(1);
    expect(run.err).toContain('GitHub has no user or organisation "nobody-here"');
    const reviewer = await publish(dir, ['--repo', `${ORG}/f404`, '--reviewers', 'ghost']);
    expect(reviewer.code).toBe(1);
    expect(reviewer.err).toContain('404 for the reviewer ghost');
    expect(reviewer.err).toContain('Done before the failure');
    const again = await publish(dir, ['--repo', `${ORG}/f404`, '--reviewers', 'alice']);
    expect(again.code, again.err).toBe(0);
  });

  it('422: a name taken by a repository the token cannot see', async () => {
    const run = await failThenRecover('f422', () =>
      github.inject({
        route: 'POST /orgs/{org}/repos',
        status: 422,
        body: {
          message: 'Repository creation failed.',
          errors: [
            { resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' },
          ],
          status: '422',
        },
      }),
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain(`GitHub will not create ${ORG}/f422 (422): the name is taken`);
  });

  it('a rate limit that outlasts the patience: stops, says so, and the re-run completes', async () => {
    const run = await failThenRecover('frate-long', () =>
      github.inject({
        route: 'GET /users/{username}',
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) },
        body: { message: 'API rate limit exceeded for user ID 1000.', status: '403' },
      }),
    );
    expect(run.code).toBe(EXIT_TRANSIENT);
    expect(run.err).toContain("GitHub's rate limit stopped looking up contoso after retrying");
  });

  it('rate limits: the throttling plugin waits and retries, saying so', async () => {
    const dir = fresh();
    github.inject({
      route: 'PUT /repos/{owner}/{repo}/environments/{environment_name}',
      status: 403,
      times: 2,
      headers: { 'retry-after': '1' },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        status: '403',
      },
    });
    github.inject({
      route: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) },
      body: { message: 'API rate limit exceeded for user ID 1000.', status: '403' },
    });
    const run = await publish(dir, ['--repo', `${ORG}/frate`]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/GitHub secondary rate limit on PUT \S+\/environments\/dev: waiting 1 s, then retrying/);
    expect(run.out).toMatch(/GitHub rate limit on GET \S+\/git\/ref\/heads\/main: waiting \d+ s, then retrying/);
    expect([...github.repos.get(`${ORG}/frate`)!.environments.keys()]).toEqual(['dev', 'prod']);
    expectNoViolations();
  });

  it('branch protection that the plan does not offer is skipped with a note, not a failure', async () => {
    github.inject({
      route: 'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
      status: 403,
      body: {
        message: 'Upgrade to GitHub Pro or make this repository public to enable this feature.',
        documentation_url: 'https://docs.github.com/rest/branches/branch-protection#update-branch-protection',
        status: '403',
      },
    });
    const run = await publish(fresh(), ['--repo', `${ORG}/fplan`]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('branch protection: GitHub does not offer it for this repository (Upgrade to GitHub Pro');
  });

  it('a transient 502 is retried by the retry plugin', async () => {
    const dir = fresh();
    github.inject({ route: 'GET /repos/{owner}/{repo}', status: 502, body: { message: 'Server Error' } });
    const run = await publish(dir, ['--repo', `${ORG}/f502`]);
    expect(run.code, run.err).toBe(0);
  });

  it('network failure mid-way (REST): reports what was done; the re-run resumes and converges', async () => {
    const run = await failThenRecover('fnet', () =>
      github.inject({ route: 'PUT /repos/{owner}/{repo}/branches/{branch}/protection', drop: true, times: 2 }),
    );
    expect(run.code).toBe(EXIT_TRANSIENT);
    expect(run.err).toContain('The connection to GitHub failed during protecting main');
    expect(run.err).toMatch(/Done before the failure[\s\S]*repository \S+ created[\s\S]*pushed: main/);
    expect(
      github.requests.filter((r) => r.route === 'POST /orgs/{org}/repos' && JSON.parse(r.body).name === 'fnet'),
    ).toHaveLength(1);
  });

  it('network failure during the push: nothing half-done, the re-run pushes', async () => {
    const run = await failThenRecover('fpush', () => github.inject({ route: 'git-push', drop: true, times: 5 }));
    expect(run.code).toBe(EXIT_TRANSIENT);
    expect(run.err).toContain('git push failed');
    expect(run.err).toContain('Done before the failure');
  });
});

describe('aks-platform publish: token sources and arguments', () => {
  function fakeGh(script: string): string {
    const bin = join(root, `bin-${++n}`);
    mkdirSync(bin);
    writeFileSync(join(bin, 'gh'), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, 'gh'), 0o755);
    return bin;
  }

  it('takes the token from `gh auth token` when no variable holds one, and says how to get one otherwise', async () => {
    const withGh = fakeGh(`[ "$1 $2" = "auth token" ] && echo ${TOKEN}`);
    const run = await publish(
      fresh(),
      ['--repo', `${ORG}/from-gh`],
      baseEnv({ GITHUB_TOKEN: undefined, PATH: `${withGh}:${process.env.PATH}` }),
    );
    expect(run.code, run.err).toBe(0);
    const noGh = fakeGh('exit 1');
    const none = await publish(
      fresh(),
      ['--repo', `${ORG}/from-gh`],
      baseEnv({ GITHUB_TOKEN: undefined, PATH: `${noGh}:${process.env.PATH}` }),
    );
    expect(none.code).toBe(1);
    expect(none.err).toContain('No GitHub token');
    const gh = await publish(
      fresh(),
      ['--repo', `${ORG}/from-gh`],
      baseEnv({ GITHUB_TOKEN: undefined, GH_TOKEN: TOKEN }),
    );
    expect(gh.code, gh.err).toBe(0);
  });

  it('a repository the answers call public is created public, and --visibility private is refused: Flux would have no token', async () => {
    const publicRepo = join(root, 'public-answers');
    const generation = render(undefined, [`delivery.github.owner=${ORG}`, 'delivery.github.private=false']);
    writeRepository(publicRepo, generation.files, { force: false, git: true, commitMessage: commitMessage() });
    const before = github.requests.length;
    const refused = await publish(publicRepo, ['--repo', `${ORG}/public-answers`, '--visibility', 'private']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('delivery.github.private=false');
    expect(github.requests.length).toBe(before);
    const run = await publish(publicRepo, ['--repo', `${ORG}/public-answers`]);
    expect(run.code, run.err).toBe(0);
    const created = github.requests
      .slice(before)
      .find((r) => r.method === 'POST' && r.url.endsWith(`/orgs/${ORG}/repos`));
    expect(
      created,
      github.requests
        .slice(before)
        .map((r) => `${r.method} ${r.url}`)
        .join('\n'),
    ).toBeDefined();
    expect((JSON.parse(created!.body) as { visibility?: string }).visibility).toBe('public');
  });

  it('refuses bad arguments with a fix, before any request', async () => {
    const dir = fresh();
    const cases: [string[], string][] = [
      [['--repo', 'no-slash'], '--repo "no-slash" is not <owner>/<name>'],
      [['--visibility', 'secret'], '--visibility "secret" is not one of'],
      [['--tenant-id', 'not-a-guid'], '--tenant-id "not-a-guid" is not a GUID'],
      [['--branch', 'nope'], 'has no branch "nope"'],
      [['--reviewers', 'a,b,c,d,e,f,g'], 'at most 6'],
      [['--bogus'], "Unknown option '--bogus'"],
    ];
    for (const [args, message] of cases) {
      const before = github.requests.length;
      const run = await publish(dir, args);
      // An unknown option is a usage error (2); a bad value is refused like a bad answer (1).
      expect(run.code, args.join(' ')).toBe(args[0] === '--bogus' ? 2 : 1);
      expect(run.err).toContain(message);
      expect(github.requests.length).toBe(before);
    }
    const envGuid = await publish(dir, [], baseEnv({ AZURE_CLIENT_ID: 'x' }));
    expect(envGuid.err).toContain('AZURE_CLIENT_ID "x" is not a GUID');
    const notGit = join(root, 'not-git');
    mkdirSync(notGit);
    expect((await publish(notGit)).err).toContain('is not a git repository');
    let out = '';
    expect(await runPublish(['--help'], { out: (t) => void (out += t), err: () => {}, interactive: false })).toBe(0);
    expect(out).toContain('aks-platform publish <dir>');
  });

  it('splits `new ... --publish` arguments for main.ts', () => {
    expect(splitPublishArgs(['my-platform', '--yes'])).toEqual({
      newArgs: ['my-platform', '--yes'],
      publishArgs: undefined,
    });
    expect(
      splitPublishArgs([
        '--preset',
        'starter',
        'my-platform',
        '--publish',
        '--repo',
        'contoso/p',
        '--visibility=internal',
        '--yes',
        '--set',
        'a.b=c',
      ]),
    ).toEqual({
      newArgs: ['--preset', 'starter', 'my-platform', '--yes', '--set', 'a.b=c'],
      publishArgs: ['my-platform', '--repo', 'contoso/p', '--visibility=internal'],
    });
  });

  it('redact() hides registered tokens, their Basic form and token-shaped strings', () => {
    registerSecret(TOKEN);
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    expect(
      redact(`t=${TOKEN} h=${basic} other=ghp_${'a'.repeat(36)} Authorization: Bearer xyz https://u:p@host/x`),
    ).toBe('t=*** h=*** other=*** Authorization: Bearer *** https://***@host/x');
  });
});

describe('aks-platform publish: the token never leaks', () => {
  function filesUnder(dir: string): string[] {
    const out: string[] = [];
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) out.push(...filesUnder(path));
      else if (stat.isFile()) out.push(path);
    }
    return out;
  }

  it('appears in no output, no error, no file of any published repository (.git included), no URL', () => {
    const forms = [
      TOKEN,
      WRONG_TOKEN,
      ...[TOKEN, WRONG_TOKEN].map((t) => Buffer.from(`x-access-token:${t}`).toString('base64')),
    ];
    expect(transcripts.length).toBeGreaterThan(40);
    for (const text of transcripts) for (const form of forms) expect(text).not.toContain(form);
    let scanned = 0;
    for (const dir of dirs) {
      for (const file of filesUnder(dir)) {
        const content = readFileSync(file).toString('latin1');
        for (const form of forms) expect(content.includes(form), file).toBe(false);
        scanned++;
      }
      expect(readFileSync(join(dir, '.git/config'), 'utf8')).not.toMatch(/extraheader|authorization/i);
    }
    expect(scanned).toBeGreaterThan(1000);
    for (const request of github.requests) expect(request.url).not.toContain(TOKEN);
  });
});
