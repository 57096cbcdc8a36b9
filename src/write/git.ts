import { execFileSync } from 'node:child_process';
import { UserError } from '../errors.js';
import { messages } from '../messages.js';

/** The branch that always holds the last pristine generation: the merge base of a later upgrade. */
export const GENERATED_BRANCH = 'aks-platform/generated';

const FALLBACK_IDENTITY = ['-c', 'user.name=aks-platform', '-c', 'user.email=aks-platform@users.noreply.github.com'];

export function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    throw new UserError(messages.gitFailed(e.code === 'ENOENT' ? 'git is not installed' : (e.stderr || e.message).trim()));
  }
}

function hasIdentity(cwd: string): boolean {
  try {
    execFileSync('git', ['config', 'user.email'], { cwd, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Initialises a repository on `main` with every file in one commit, and marks that commit as the pristine generation. */
export function initRepository(dir: string, message: string): void {
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  const identity = hasIdentity(dir) ? [] : FALLBACK_IDENTITY;
  // maintenance.auto=false: a commit otherwise starts `git maintenance run --auto`, one more process, which has
  // nothing to do in a repository of a single commit.
  git(dir, [...identity, '-c', 'commit.gpgsign=false', '-c', 'maintenance.auto=false', 'commit', '-q', '--no-verify', '-m', message]);
  git(dir, ['branch', GENERATED_BRANCH]);
}
