import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/generate.js';
import { startFakeGitHub, type FakeGitHub } from './support/github-server.js';

// The GitHub stand-in must be able to say no: otherwise "no violations" in the publish tests would prove nothing.

const TOKEN = `ghp_${'S3rv3rT0k3n'.repeat(3)}z`;

describe('the GitHub stand-in validates requests against the OpenAPI description', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub(TOKEN, 'octo-admin');
    github.addAccount('contoso', 'Organization');
    github.addRepo('contoso', 'r');
  });
  afterAll(async () => {
    await github?.stop();
  });

  const call = (method: string, path: string, body?: unknown, token = TOKEN) =>
    fetch(`${github.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `token ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it.each([
    ['PUT', '/repos/contoso/r/branches/main/protection', { required_status_checks: null }, 'required'],
    [
      'PUT',
      '/repos/contoso/r/branches/main/protection',
      {
        required_status_checks: { strict: true, checks: [] },
        enforce_admins: false,
        required_pull_request_reviews: null,
        restrictions: null,
      },
      "must have required property 'contexts'",
    ],
    ['POST', '/orgs/contoso/repos', { name: 'x', visibility: 'secret' }, 'must be equal to one of the allowed values'],
    ['POST', '/orgs/contoso/repos', { name: 'x', privat: true }, 'unknown body field privat'],
    ['POST', '/repos/contoso/r/actions/variables', { name: 'A' }, "must have required property 'value'"],
    ['PUT', '/repos/contoso/r/environments/prod', { reviewers: [{ type: 'Group', id: 1 }] }, 'allowed values'],
    ['GET', '/repos/contoso/r/hooks', undefined, 'no such operation'],
    ['GET', '/users/octo-admin?per_page=1', undefined, 'unknown query parameter per_page'],
  ])('%s %s %j is refused', async (method, path, body, problem) => {
    const before = github.violations.length;
    const response = await call(method, path, body);
    expect([404, 422]).toContain(response.status);
    expect(github.violations.slice(before).join('\n')).toContain(problem);
  });

  it('routes a {ref} with a slash, encoded or not, and keeps state between calls', async () => {
    expect((await call('GET', '/repos/contoso/r/git/ref/heads/main')).status).toBe(409); // empty repository
    const created = await call('POST', '/orgs/contoso/repos', { name: 'fresh', visibility: 'private' });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { full_name: string; clone_url: string; private: boolean };
    expect(body).toMatchObject({
      full_name: 'contoso/fresh',
      private: true,
      clone_url: github.gitUrl('contoso', 'fresh'),
    });
    expect(((await (await call('GET', '/repos/contoso/fresh')).json()) as { full_name: string }).full_name).toBe(
      'contoso/fresh',
    );
    expect((await call('POST', '/orgs/contoso/repos', { name: 'fresh' })).status).toBe(422);
    expect((await call('GET', '/repos/contoso/fresh/git/ref/heads%2Fmain')).status).toBe(409);
    const work = tempDir('fake-github-work-');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: work });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(work, 'a.txt'), 'a\n');
    git('add', '.');
    git('commit', '-q', '-m', 'a');
    git('push', '-q', github.barePath('contoso', 'fresh'), 'main');
    const sha = execFileSync('git', ['rev-parse', 'main'], { cwd: work, encoding: 'utf8' }).trim();
    for (const ref of ['heads/main', 'heads%2Fmain']) {
      const response = await call('GET', `/repos/contoso/fresh/git/ref/${ref}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ref: 'refs/heads/main', object: { type: 'commit', sha } });
    }
    expect((await call('GET', '/repos/contoso/fresh/git/ref/heads/feature/x')).status).toBe(404);
    expect((await call('GET', '/user', undefined, 'wrong')).status).toBe(401);
  });
});
