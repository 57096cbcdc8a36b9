import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { packageRoot } from '../../src/paths.js';
import { initBare, serveGit } from './git-http-server.js';

// A loopback stand-in for GitHub: the REST API under /api/v3 (the GitHub Enterprise Server layout, so the client is
// pointed at it with --api-url) and git smart-HTTP under /git. Every REST request is checked against GitHub's own
// OpenAPI description (test/fixtures/github-openapi.json, extracted by scripts/extract-openapi.mjs): method and path
// must be an operation, path and query parameters and the JSON body must match their schemas. A request that does
// not is recorded in `violations` (tests assert it stays empty) and answered 422 as GitHub would. Answers start from
// the description's own examples, filled with the server's state: a repository created is returned by a later GET.

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: unknown;
}
interface Operation {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; schema: Record<string, unknown> };
  responses: Record<string, { example?: unknown }>;
}
interface Route {
  key: string;
  method: string;
  pattern: RegExp;
  names: string[];
  op: Operation;
  validateBody?: ValidateFunction;
  validateParam: Map<string, ValidateFunction>;
}

const SPEC = JSON.parse(readFileSync(join(packageRoot, 'test/fixtures/github-openapi.json'), 'utf8')) as {
  operations: Record<string, Operation>;
};

function compileRoutes(): Route[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv) => Ajv)(ajv);
  // GitHub's own format for "owner/name" (pulls/create's head_repo): any string is one to this fake.
  ajv.addFormat('repo.nwo', true);
  return Object.entries(SPEC.operations).map(([key, op]) => {
    const [method, template] = key.split(' ') as [string, string];
    const names: string[] = [];
    // `{ref}` is the one parameter that holds slashes (heads/main); every other segment parameter stops at `/`.
    const source = template.replace(/[.]/g, '\\.').replace(/\{([^}]+)\}/g, (_m, name: string) => {
      names.push(name);
      return name === 'ref' ? '(.+)' : '([^/]+)';
    });
    return {
      key,
      method,
      pattern: new RegExp(`^${source}$`),
      names,
      op,
      ...(op.requestBody ? { validateBody: ajv.compile(op.requestBody.schema) } : {}),
      validateParam: new Map(
        op.parameters
          .filter((p) => p.in !== 'header')
          .map((p) => [`${p.in}:${p.name}`, ajv.compile(p.schema as object)]),
      ),
    };
  });
}

export interface Injection {
  /** Operation key as in the description, e.g. "POST /orgs/{org}/repos", or "git" for any git request, "git-push" for receive-pack. */
  route: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Drop the connection without answering. */
  drop?: boolean;
  /** How many requests it applies to (default 1). */
  times?: number;
}

interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  visibility: 'private' | 'public' | 'internal';
  defaultBranch: string;
  description: string | null;
  createdAt: string;
  environments: Map<string, { id: number; reviewers: { type: string; id: number }[] }>;
  variables: Map<string, { value: string; created_at: string; updated_at: string }>;
  protection: Map<string, unknown>;
  /** Pull requests opened, in order: number N is pulls[N - 1]. */
  pulls: { head: string; base: string; title?: string; body?: string }[];
}

interface Account {
  login: string;
  id: number;
  type: 'User' | 'Organization';
}

export interface RecordedRequest {
  method: string;
  url: string;
  route: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const clone = <T>(value: T): T => structuredClone(value);

export class FakeGitHub {
  readonly gitRoot = mkdtempSync(join(tmpdir(), 'fake-github-git-'));
  readonly violations: string[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly injections: Injection[] = [];
  readonly accounts = new Map<string, Account>();
  readonly teams = new Map<string, number>();
  readonly repos = new Map<string, FakeRepo>();
  /** Scopes of the classic token, sent back in X-OAuth-Scopes. */
  scopes = 'repo, workflow, admin:org';
  private nextId = 1000;
  private readonly routes = compileRoutes();
  private server: Server | undefined;
  port = 0;

  constructor(
    readonly token: string,
    readonly login: string,
  ) {
    this.addAccount(login, 'User');
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v3`;
  }

  gitUrl(owner: string, name: string): string {
    return `http://127.0.0.1:${this.port}/git/${owner}/${name}.git`;
  }

  addAccount(login: string, type: Account['type']): Account {
    const account = { login, id: this.nextId++, type };
    this.accounts.set(login.toLowerCase(), account);
    return account;
  }

  addTeam(org: string, slug: string): number {
    const id = this.nextId++;
    this.teams.set(`${org}/${slug}`.toLowerCase(), id);
    return id;
  }

  /** A repository that exists before the test, with a bare git repository behind it. */
  addRepo(owner: string, name: string, visibility: FakeRepo['visibility'] = 'private'): FakeRepo {
    const repo: FakeRepo = {
      id: this.nextId++,
      owner,
      name,
      visibility,
      defaultBranch: 'main',
      description: null,
      createdAt: new Date().toISOString(),
      environments: new Map(),
      variables: new Map(),
      protection: new Map(),
      pulls: [],
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    initBare(this.gitRoot, owner, name);
    return repo;
  }

  barePath(owner: string, name: string): string {
    return join(this.gitRoot, owner, `${name}.git`);
  }

  inject(injection: Injection): void {
    this.injections.push({ times: 1, ...injection });
  }

  /** Forgets the injections not used up yet (the outage is over). */
  clearInjections(): void {
    this.injections.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.violations.push(`server error: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.gitRoot, { recursive: true, force: true });
  }

  private takeInjection(route: string): Injection | undefined {
    const found = this.injections.find((i) => i.route === route && (i.times ?? 1) > 0);
    if (found) found.times = (found.times ?? 1) - 1;
    return found;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/git/')) return this.handleGit(req, res, url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (!url.pathname.startsWith('/api/v3/')) {
      this.violations.push(`${req.method} ${url.pathname}: not under /api/v3`);
      return this.send(res, 404, { message: 'Not Found' });
    }
    const path = url.pathname.slice('/api/v3'.length);
    const route = this.routes.find((r) => r.method === req.method && r.pattern.test(path));
    this.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      route: route?.key ?? '(none)',
      headers: req.headers,
      body,
    });
    if (!route) {
      this.violations.push(`${req.method} ${path}: no such operation in the OpenAPI description`);
      return this.send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
    const injected = this.takeInjection(route.key);
    if (injected?.drop) {
      req.socket.destroy();
      return;
    }
    if (injected) return this.send(res, injected.status ?? 500, injected.body ?? {}, injected.headers);

    if (req.headers.authorization !== `token ${this.token}`) {
      return this.send(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
    const match = route.pattern.exec(path)!;
    const params: Record<string, string> = Object.fromEntries(
      route.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]),
    );
    const problems = this.validate(route, params, url.searchParams, req, body);
    if (problems.length > 0) {
      this.violations.push(...problems.map((p) => `${route.key}: ${p}`));
      return this.send(res, 422, {
        message: `Invalid request.\n\n${problems.join('\n')}`,
        documentation_url: 'https://docs.github.com/rest',
        status: '422',
      });
    }
    const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const [status, answer] = this.answer(route, params, parsed);
    if (!(String(status) in route.op.responses) && status !== 404)
      this.violations.push(`${route.key}: answered ${status}, which the description does not list`);
    return this.send(res, status, answer);
  }

  private validate(
    route: Route,
    params: Record<string, string>,
    query: URLSearchParams,
    req: IncomingMessage,
    body: string,
  ): string[] {
    const problems: string[] = [];
    for (const p of route.op.parameters) {
      if (p.in === 'header') continue;
      const value = p.in === 'path' ? params[p.name] : (query.get(p.name) ?? undefined);
      if (value === undefined) {
        if (p.required) problems.push(`missing ${p.in} parameter ${p.name}`);
        continue;
      }
      const validator = route.validateParam.get(`${p.in}:${p.name}`)!;
      const typed =
        (p.schema as { type?: string }).type === 'integer'
          ? Number(value)
          : (p.schema as { type?: string }).type === 'boolean'
            ? value === 'true'
            : value;
      if (!validator(typed)) problems.push(`${p.in} parameter ${p.name}=${value}: ${JSON.stringify(validator.errors)}`);
    }
    for (const name of query.keys())
      if (!route.op.parameters.some((p) => p.in === 'query' && p.name === name))
        problems.push(`unknown query parameter ${name}`);
    if (!route.op.requestBody) {
      if (body) problems.push('a body where the operation takes none');
      return problems;
    }
    if (!body) {
      if (route.op.requestBody.required) problems.push('missing the required body');
      return problems;
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      problems.push(`content-type ${req.headers['content-type']}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [...problems, 'body is not JSON'];
    }
    if (!route.validateBody!(parsed)) problems.push(`body ${body}: ${JSON.stringify(route.validateBody!.errors)}`);
    // Stricter than GitHub (which ignores unknown fields): a misspelt field would silently do nothing there.
    const known = (route.op.requestBody.schema as { properties?: Record<string, unknown> }).properties ?? {};
    if (parsed && typeof parsed === 'object')
      for (const k of Object.keys(parsed)) if (!(k in known)) problems.push(`unknown body field ${k}`);
    return problems;
  }

  private send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-oauth-scopes': this.scopes,
      'x-accepted-oauth-scopes': 'repo',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4990',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': '10',
      'x-ratelimit-resource': 'core',
      'x-github-request-id': `FAKE:${this.requests.length}`,
      ...extra,
    };
    if (status === 204 || body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, headers).end(JSON.stringify(body));
  }

  private example(route: Route, status: number): Record<string, unknown> {
    return clone((route.op.responses[String(status)]?.example ?? {}) as Record<string, unknown>);
  }

  private accountBody(account: Account, template: Record<string, unknown>): Record<string, unknown> {
    const base = `http://127.0.0.1:${this.port}/api/v3`;
    return {
      ...template,
      login: account.login,
      id: account.id,
      type: account.type,
      url: `${base}/users/${account.login}`,
      html_url: `http://127.0.0.1:${this.port}/${account.login}`,
    };
  }

  private repoBody(repo: FakeRepo, template: Record<string, unknown>): Record<string, unknown> {
    const owner = this.accounts.get(repo.owner.toLowerCase())!;
    const full = `${repo.owner}/${repo.name}`;
    return {
      ...template,
      id: repo.id,
      name: repo.name,
      full_name: full,
      owner: this.accountBody(owner, (template.owner ?? {}) as Record<string, unknown>),
      private: repo.visibility !== 'public',
      visibility: repo.visibility,
      description: repo.description,
      default_branch: repo.defaultBranch,
      html_url: `http://127.0.0.1:${this.port}/${full}`,
      url: `${this.apiUrl}/repos/${full}`,
      clone_url: this.gitUrl(repo.owner, repo.name),
      created_at: repo.createdAt,
      size: 0,
    };
  }

  private notFound(): [number, unknown] {
    return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }];
  }

  private branchSha(repo: FakeRepo, branch: string): string | undefined {
    try {
      return execFileSync('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
        cwd: this.barePath(repo.owner, repo.name),
        encoding: 'utf8',
      }).trim();
    } catch {
      return undefined;
    }
  }

  private isEmpty(repo: FakeRepo): boolean {
    return (
      execFileSync('git', ['for-each-ref', '--count=1', 'refs/heads'], {
        cwd: this.barePath(repo.owner, repo.name),
        encoding: 'utf8',
      }).trim() === ''
    );
  }

  private answer(route: Route, p: Record<string, string>, body: Record<string, unknown>): [number, unknown] {
    const repo = p.owner && p.repo ? this.repos.get(`${p.owner}/${p.repo}`.toLowerCase()) : undefined;
    const now = new Date().toISOString();
    switch (route.op.operationId) {
      case 'users/get-authenticated':
        return [200, this.accountBody(this.accounts.get(this.login.toLowerCase())!, this.example(route, 200))];
      case 'users/get-by-username': {
        const account = this.accounts.get(p.username!.toLowerCase());
        return account ? [200, this.accountBody(account, this.example(route, 200))] : this.notFound();
      }
      case 'teams/get-by-name': {
        const id = this.teams.get(`${p.org}/${p.team_slug}`.toLowerCase());
        return id ? [200, { ...this.example(route, 200), id, slug: p.team_slug, name: p.team_slug }] : this.notFound();
      }
      case 'repos/create-in-org':
      case 'repos/create-for-authenticated-user': {
        const owner = p.org ?? this.login;
        const account = this.accounts.get(owner.toLowerCase());
        if (!account || (p.org && account.type !== 'Organization')) return this.notFound();
        const name = String(body.name);
        if (this.repos.has(`${owner}/${name}`.toLowerCase())) {
          return [
            422,
            {
              message: 'Repository creation failed.',
              errors: [
                {
                  resource: 'Repository',
                  code: 'custom',
                  field: 'name',
                  message: 'name already exists on this account',
                },
              ],
              documentation_url: 'https://docs.github.com/rest/repos/repos',
              status: '422',
            },
          ];
        }
        const visibility =
          (body.visibility as FakeRepo['visibility'] | undefined) ?? (body.private ? 'private' : 'public');
        const created = this.addRepo(account.login, name, visibility);
        created.description = (body.description as string | undefined) ?? null;
        return [201, this.repoBody(created, this.example(route, 201))];
      }
      case 'repos/get':
        return repo ? [200, this.repoBody(repo, this.example(route, 200))] : this.notFound();
      case 'repos/update': {
        if (!repo) return this.notFound();
        if (typeof body.default_branch === 'string') {
          if (!this.branchSha(repo, body.default_branch))
            return [
              422,
              {
                message: 'Validation Failed',
                errors: [{ resource: 'Repository', code: 'invalid', field: 'default_branch' }],
                status: '422',
              },
            ];
          repo.defaultBranch = body.default_branch;
          execFileSync('git', ['symbolic-ref', 'HEAD', `refs/heads/${body.default_branch}`], {
            cwd: this.barePath(repo.owner, repo.name),
          });
        }
        if (typeof body.visibility === 'string') repo.visibility = body.visibility as FakeRepo['visibility'];
        return [200, this.repoBody(repo, this.example(route, 200))];
      }
      case 'git/get-ref': {
        if (!repo) return this.notFound();
        if (this.isEmpty(repo))
          return [
            409,
            {
              message: 'Git Repository is empty.',
              documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference',
              status: '409',
            },
          ];
        const branch = p.ref!.replace(/^heads\//, '');
        const sha = p.ref!.startsWith('heads/') ? this.branchSha(repo, branch) : undefined;
        if (!sha) return this.notFound();
        const template = this.example(route, 200);
        return [
          200,
          {
            ...template,
            ref: `refs/${p.ref}`,
            url: `${this.apiUrl}/repos/${repo.owner}/${repo.name}/git/refs/${p.ref}`,
            object: { type: 'commit', sha, url: `${this.apiUrl}/repos/${repo.owner}/${repo.name}/git/commits/${sha}` },
          },
        ];
      }
      case 'repos/update-branch-protection': {
        if (!repo) return this.notFound();
        if (!this.branchSha(repo, p.branch!)) return [404, { message: 'Branch not found', status: '404' }];
        repo.protection.set(p.branch!, body);
        return [
          200,
          {
            ...this.example(route, 200),
            url: `${this.apiUrl}/repos/${repo.owner}/${repo.name}/branches/${p.branch}/protection`,
          },
        ];
      }
      case 'repos/create-or-update-environment': {
        if (!repo) return this.notFound();
        const existing = repo.environments.get(p.environment_name!);
        const reviewers = Array.isArray(body.reviewers)
          ? (body.reviewers as { type: string; id: number }[])
          : (existing?.reviewers ?? []);
        const environment = { id: existing?.id ?? this.nextId++, reviewers };
        repo.environments.set(p.environment_name!, environment);
        return [
          200,
          {
            ...this.example(route, 200),
            id: environment.id,
            name: p.environment_name,
            protection_rules:
              reviewers.length > 0
                ? [
                    {
                      id: environment.id + 1,
                      type: 'required_reviewers',
                      reviewers: reviewers.map((r) => ({ type: r.type, reviewer: { id: r.id } })),
                    },
                  ]
                : [],
          },
        ];
      }
      case 'actions/get-repo-variable': {
        const variable = repo?.variables.get(p.name!);
        return variable ? [200, { name: p.name, ...variable }] : this.notFound();
      }
      case 'actions/create-repo-variable': {
        if (!repo) return this.notFound();
        if (repo.variables.has(String(body.name))) return [409, { message: 'Already exists', status: '409' }];
        repo.variables.set(String(body.name), { value: String(body.value), created_at: now, updated_at: now });
        return [201, {}];
      }
      case 'actions/update-repo-variable': {
        const variable = repo?.variables.get(p.name!);
        if (!variable) return this.notFound();
        variable.value = String(body.value);
        variable.updated_at = now;
        return [204, undefined];
      }
      case 'pulls/create': {
        if (!repo) return this.notFound();
        const pull = {
          head: String(body.head),
          base: String(body.base),
          ...(typeof body.title === 'string' ? { title: body.title } : {}),
          ...(typeof body.body === 'string' ? { body: body.body } : {}),
        };
        if (!this.branchSha(repo, pull.head) || !this.branchSha(repo, pull.base))
          return [
            422,
            {
              message: 'Validation Failed',
              errors: [
                { resource: 'PullRequest', code: 'invalid', field: this.branchSha(repo, pull.head) ? 'base' : 'head' },
              ],
              status: '422',
            },
          ];
        repo.pulls.push(pull);
        const number = repo.pulls.length;
        const full = `${repo.owner}/${repo.name}`;
        return [
          201,
          {
            ...this.example(route, 201),
            number,
            state: 'open',
            title: pull.title,
            body: pull.body ?? null,
            html_url: `http://127.0.0.1:${this.port}/${full}/pull/${number}`,
            url: `${this.apiUrl}/repos/${full}/pulls/${number}`,
          },
        ];
      }
      default:
        this.violations.push(`${route.key}: no handler`);
        return [500, {}];
    }
  }

  private handleGit(req: IncomingMessage, res: ServerResponse, url: URL): void {
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', route: 'git', headers: req.headers, body: '' });
    const isPush = url.searchParams.get('service') === 'git-receive-pack' || url.pathname.endsWith('/git-receive-pack');
    const injected =
      (isPush && url.pathname.endsWith('/git-receive-pack') ? this.takeInjection('git-push') : undefined) ??
      this.takeInjection('git');
    if (injected?.drop) {
      req.socket.destroy();
      return;
    }
    if (injected) {
      res.writeHead(injected.status ?? 500, injected.headers ?? {}).end(String(injected.body ?? ''));
      return;
    }
    const expected = `Basic ${Buffer.from(`x-access-token:${this.token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' }).end();
      return;
    }
    serveGit(req, res, this.gitRoot, url.pathname.slice('/git'.length), url.search.replace(/^\?/, ''));
  }
}

export async function startFakeGitHub(token: string, login: string): Promise<FakeGitHub> {
  return new FakeGitHub(token, login).start();
}
