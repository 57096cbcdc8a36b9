import { spawn, spawnSync } from 'node:child_process';
import { githubMessages as m } from './messages.js';
import { PublishError } from './errors.js';
import { basicAuthHeader, redact } from './redact.js';

// The push runs real git over HTTPS. The token reaches git only through the environment of each command
// (GIT_CONFIG_COUNT/KEY/VALUE, git's documented equivalent of `git -c`, which unlike `-c` does not show in the
// process list), scoped to the remote's origin so a redirect elsewhere never receives it. Nothing is written to
// .git/config, no credential helper may store it, and git never prompts.

export interface GitRemote {
  url: string;
  env: NodeJS.ProcessEnv;
}

export function authenticatedRemote(url: string, token: string, base: NodeJS.ProcessEnv): GitRemote {
  const origin = new URL(url);
  if (origin.username || origin.password)
    throw new PublishError(m.gitFailed('the remote URL carries credentials; refusing to use it'));
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0' };
  delete env.GIT_ASKPASS;
  delete env.SSH_ASKPASS;
  const first = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  const entries: [string, string][] = [
    [`http.${origin.origin}/.extraHeader`, basicAuthHeader(token)],
    ['credential.helper', ''],
  ];
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${first + i}`] = key;
    env[`GIT_CONFIG_VALUE_${first + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(first + entries.length);
  return { url, env };
}

interface GitRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): GitRun {
  const result = spawnSync('git', args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60_000,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new PublishError(m.gitFailed(code === 'ENOENT' ? 'git is not installed' : redact(result.error.message)));
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Git commands that talk to the remote run asynchronously: a slow network never blocks the process. */
function runRemote(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(new PublishError(m.gitFailed(error.code === 'ENOENT' ? 'git is not installed' : redact(error.message)))),
    );
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function checkRemote(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runRemote(cwd, args, env);
  if (result.status !== 0)
    throw new PublishError(
      m.gitFailed(redact(`git ${args[0]}: ${result.stderr.trim() || `exit ${result.status}`}`)),
      isNetworkFailure(result.stderr),
    );
  return result.stdout;
}

function isNetworkFailure(stderr: string): boolean {
  return /unable to access|could not resolve|connection|timed out|RPC failed|remote end hung up|early EOF|Empty reply/i.test(
    stderr,
  );
}

function check(cwd: string, args: string[]): string {
  const result = run(cwd, args);
  if (result.status !== 0)
    throw new PublishError(m.gitFailed(redact(`git ${args[0]}: ${result.stderr.trim() || `exit ${result.status}`}`)));
  return result.stdout;
}

/** The commit a local branch points at, or undefined. */
export function localBranch(dir: string, branch: string): string | undefined {
  const result = run(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function isGitRepository(dir: string): boolean {
  return (
    run(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).status === 0 &&
    run(dir, ['rev-parse', '--show-toplevel']).status === 0
  );
}

/** refs/heads/* of the remote, name -> commit. */
export async function remoteBranches(dir: string, remote: GitRemote): Promise<Map<string, string>> {
  const out = await checkRemote(dir, ['ls-remote', '--heads', remote.url], remote.env);
  const heads = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [sha, ref] = line.split('\t');
    if (sha && ref?.startsWith('refs/heads/')) heads.set(ref.slice('refs/heads/'.length), sha);
  }
  return heads;
}

function hasCommit(dir: string, sha: string): boolean {
  return run(dir, ['cat-file', '-e', `${sha}^{commit}`]).status === 0;
}

function isAncestor(dir: string, ancestor: string, descendant: string): boolean {
  return run(dir, ['merge-base', '--is-ancestor', ancestor, descendant]).status === 0;
}

export type BranchAction = { branch: string; local: string; action: 'push' | 'up-to-date' | 'remote-ahead' };

/**
 * What pushing `branches` would do, refusing when the remote holds history that is not ours: its objects are fetched
 * (no local ref changes, no FETCH_HEAD) so ancestry can be checked with git itself.
 */
export async function planPush(
  dir: string,
  remote: GitRemote,
  full: string,
  branches: Map<string, string>,
  main: string,
): Promise<BranchAction[]> {
  const heads = await remoteBranches(dir, remote);
  const actions: BranchAction[] = [];
  if (heads.size > 0) {
    const unknown = [...heads].filter(([, sha]) => !hasCommit(dir, sha)).map(([name]) => `refs/heads/${name}`);
    if (unknown.length > 0)
      await checkRemote(
        dir,
        ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', remote.url, ...unknown],
        remote.env,
      );
    const mainSha = branches.get(main)!;
    const related = [...heads.values()].some((sha) => isAncestor(dir, sha, mainSha) || isAncestor(dir, mainSha, sha));
    if (!related) throw new PublishError(m.notOursAtAll(full));
  }
  for (const [branch, local] of branches) {
    const theirs = heads.get(branch);
    if (theirs === undefined || (theirs !== local && isAncestor(dir, theirs, local)))
      actions.push({ branch, local, action: 'push' });
    else if (theirs === local) actions.push({ branch, local, action: 'up-to-date' });
    else if (isAncestor(dir, local, theirs)) actions.push({ branch, local, action: 'remote-ahead' });
    else throw new PublishError(m.notOurs(full, branch, remote.url));
  }
  return actions;
}

/** Pushes the branches marked `push`, all or none (--atomic), never forced. */
export async function pushBranches(dir: string, remote: GitRemote, actions: BranchAction[]): Promise<void> {
  const refspecs = actions
    .filter((a) => a.action === 'push')
    .map((a) => `refs/heads/${a.branch}:refs/heads/${a.branch}`);
  if (refspecs.length === 0) return;
  const result = await runRemote(
    dir,
    ['push', '--atomic', '--porcelain', '--no-verify', remote.url, ...refspecs],
    remote.env,
  );
  if (result.status !== 0) {
    const detail = redact(
      (result.stderr.trim() || result.stdout.trim())
        .split('\n')
        .filter((l) => !l.startsWith('To '))
        .join('\n'),
    );
    throw new PublishError(m.pushFailed(detail), isNetworkFailure(detail));
  }
}

/** Records the repository as `origin` (URL without credentials) when the clone has no origin yet; returns whether it did. */
export function addOrigin(dir: string, url: string): boolean {
  if (run(dir, ['remote', 'get-url', 'origin']).status === 0) return false;
  check(dir, ['remote', 'add', 'origin', url]);
  return true;
}
