import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readAnswersFile } from '../answers/load.js';
import { validateAnswers } from '../answers/validate.js';
import { isUserError, UsageError, UserError, userErrorCode } from '../errors.js';
import { buildPlan } from '../plan/index.js';
import { isBranchName, isGitHubOwner, isGitHubRepo } from '../util/names.js';
import type { ClientTuning } from '../util/octokit.js';
import { PublishError } from './errors.js';
import { isGitRepository, localBranch } from './git-push.js';
import { githubMessages as m } from './messages.js';
import type { PublishRequest, Visibility } from './publish.js';
import { redact } from './redact.js';
import { resolveToken } from './token.js';

// Publishing a generated repository from its directory and the publish options: the one core that
// `aks-platform publish`, `new --publish` and `yo aks-platform:publish` share.

/** Where a publish reports: progress to `out`, the failure to `err`. */
export interface PublishOutput {
  out(text: string): void;
  err(text: string): void;
}

/** What tests (and `new --publish`) may swap: the environment read for tokens and IDs, and the client's pacing. */
export interface PublishDeps {
  env?: NodeJS.ProcessEnv;
  tuning?: ClientTuning;
}

/** Exit code of a failure worth re-running as is (network, rate limit): EX_TEMPFAIL. */
export const EXIT_TRANSIENT = 75;

/** The options of a publish, as `aks-platform publish` and `yo aks-platform:publish` take them. */
export interface PublishValues {
  repo?: string;
  visibility?: string;
  'api-url'?: string;
  branch?: string;
  reviewers?: string[];
  'tenant-id'?: string;
  'subscription-id'?: string;
  'client-id'?: string;
}

const VARIABLES = [
  { name: 'AZURE_TENANT_ID', option: '--tenant-id' },
  { name: 'AZURE_SUBSCRIPTION_ID', option: '--subscription-id' },
  { name: 'AZURE_CLIENT_ID', option: '--client-id' },
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The names of the validation workflow's jobs as check runs report them: a job's `name`, else its id. */
export function validationChecks(dir: string): string[] | undefined {
  const file = join(dir, '.github/workflows/validate.yml');
  if (!existsSync(file)) return undefined;
  const doc = parseYaml(readFileSync(file, 'utf8')) as { jobs?: Record<string, { name?: unknown }> } | null;
  const jobs = Object.entries(doc?.jobs ?? {});
  const names = jobs.map(([id, job]) => (typeof job?.name === 'string' && !job.name.includes('${{') ? job.name : id));
  return names.length > 0 ? names : undefined;
}

function loadPlan(dir: string) {
  const file = join(dir, '.yo-rc.json');
  if (!existsSync(file)) throw new UserError(m.notGenerated(dir));
  const stored = readAnswersFile(file, file);
  if (!stored.stored) throw new UserError(m.notGenerated(dir));
  const result = validateAnswers(stored.answers);
  if (!result.ok)
    throw new UserError(m.invalidStoredAnswers(dir, result.problems.filter((p) => p.severity === 'error').length));
  return buildPlan(result.answers, stored.preset);
}

function parseRequest(positionals: string[], values: PublishValues, env: NodeJS.ProcessEnv) {
  const dirArg = positionals[0];
  if (!dirArg) throw new UsageError(m.missingDirectory);
  if (positionals.length > 1) throw new UsageError(m.extraArgument(positionals[1]!));
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(m.notADirectory(dirArg));
  if (!isGitRepository(dir)) throw new UserError(m.notAGitRepository(dirArg));
  const plan = loadPlan(dir);

  let owner = plan.gitRepository?.owner;
  let repo = plan.gitRepository?.repo;
  if (values.repo !== undefined) {
    const [o, r, ...rest] = values.repo.split('/');
    if (!o || !r || rest.length > 0 || !isGitHubOwner(o) || !isGitHubRepo(r))
      throw new UserError(m.badRepo(values.repo));
    [owner, repo] = [o, r.replace(/\.git$/, '')];
  }
  if (!owner || !repo) throw new UserError(m.noRepo);

  const visibility = values.visibility;
  if (visibility !== undefined && !['private', 'internal', 'public'].includes(visibility))
    throw new UserError(m.badVisibility(visibility));
  // The Flux configuration signs in only when the answers say the repository is private.
  const fluxNeedsPublic = plan.components.fluxConfiguration && plan.gitRepository?.private === false;
  if (fluxNeedsPublic && visibility !== undefined && visibility !== 'public')
    throw new UserError(m.privateButNoToken(visibility));
  const apiUrl = values['api-url'] ?? 'https://api.github.com';
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) throw new UserError(m.badApiUrl(apiUrl));
  const branch = values.branch ?? plan.gitRepository?.branch ?? 'main';
  if (!isBranchName(branch)) throw new UserError(m.badBranch(branch));
  if (!isBranchName(branch)) throw new UserError(m.badBranch(branch));
  if (!localBranch(dir, branch)) throw new UserError(m.noLocalBranch(dirArg, branch));

  const reviewers = (values.reviewers ?? [])
    .flatMap((r) => r.split(','))
    .map((r) => r.trim().replace(/^@/, ''))
    .filter(Boolean);
  if (reviewers.length > 6) throw new UserError(m.tooManyReviewers(reviewers.length));

  const variables = VARIABLES.map(({ name, option }) => {
    const value = (values[option.slice(2) as 'tenant-id'] ?? env[name])?.trim() || undefined;
    if (value !== undefined && !GUID.test(value))
      throw new UserError(m.badGuid(values[option.slice(2) as 'tenant-id'] !== undefined ? option : name, value));
    return { name, option, value };
  });

  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    request: {
      dir,
      owner,
      repo,
      branch,
      visibility: (visibility ?? (fluxNeedsPublic ? 'public' : undefined)) as Visibility | undefined,
      environments: plan.environments.map((e) => ({ name: e.name, production: e.production })),
      reviewers,
      checks: validationChecks(dir),
      variables,
      env,
    } satisfies Omit<PublishRequest, 'token'>,
  };
}

/**
 * Publishes a generated repository (`positionals` holds its directory) and returns the exit code; every message it
 * shows is redacted of the token.
 */
export async function publishDirectory(
  positionals: string[],
  values: PublishValues,
  io: PublishOutput,
  deps: PublishDeps = {},
): Promise<number> {
  const env = deps.env ?? process.env;
  const say = (line: string) => io.out(redact(line));
  try {
    const parsed = parseRequest(positionals, values, env);
    const token = resolveToken(env, enterpriseApi(parsed.apiUrl));
    if (!token) throw new UserError(m.noToken);
    const [{ createClient }, { publishRepository }] = await Promise.all([
      import('../util/octokit.js'),
      import('./publish.js'),
    ]);
    const github = createClient({
      token,
      baseUrl: parsed.apiUrl,
      say,
      ...(deps.tuning ? { tuning: deps.tuning } : {}),
    });
    say(
      m.step(`publishing ${parsed.request.dir} to ${parsed.request.owner}/${parsed.request.repo} (${parsed.apiUrl})`),
    );
    const result = await publishRepository({ ...parsed.request, token }, github, say);
    say(m.summary(result.url, result.configured, result.notes));
    return 0;
  } catch (error) {
    if (isUserError(error)) {
      io.err(redact(error.message));
      return error instanceof PublishError && error.transient ? EXIT_TRANSIENT : userErrorCode(error);
    }
    // A bug: the caller prints it with its stack, so the stack is redacted too.
    const bug = error instanceof Error ? error : new Error(String(error));
    bug.message = redact(bug.message);
    if (bug.stack) bug.stack = redact(bug.stack);
    throw bug;
  }
}

/** The API URL when it is a GitHub Enterprise Server's (gh needs its host), else undefined. */
function enterpriseApi(apiUrl: string): string | undefined {
  return apiUrl === 'https://api.github.com' ? undefined : apiUrl;
}
