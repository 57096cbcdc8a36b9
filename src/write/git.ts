import { execFileSync } from 'node:child_process';
import { UserError } from '../errors.js';
import { messages } from '../messages.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../versions.js';

/** The branch that always holds the last pristine generation: the merge base of a later upgrade. */
export const GENERATED_BRANCH = 'aks-platform/generated';

const FALLBACK_IDENTITY = ['-c', 'user.name=aks-platform', '-c', 'user.email=aks-platform@users.noreply.github.com'];

// zlib allocates and frees about 256 KiB for each object git writes, and glibc returns heap memory above 128 KiB
// to the kernel on every such free: `git add` of a new repository spent half its time growing and shrinking the
// heap. A higher trim threshold keeps the memory for the next object; other C libraries ignore the variable, and a
// value the user set wins.
const gitEnv = () => ({ MALLOC_TRIM_THRESHOLD_: String(64 * 1024 * 1024), ...process.env });

export function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    throw new UserError(
      messages.gitFailed(e.code === 'ENOENT' ? 'git is not installed' : (e.stderr || e.message).trim()),
    );
  }
}

function hasIdentity(cwd: string): boolean {
  try {
    execFileSync('git', ['config', 'user.email'], { cwd, env: gitEnv(), stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The message of the one commit of a new repository. */
export function commitMessage(): string {
  return `Generate the AKS platform with ${GENERATOR_NAME} ${GENERATOR_VERSION}\n\nThe answers are in .yo-rc.json; docs/decisions explains each choice.`;
}

/** Initialises a repository on `main` with every file in one commit, and marks that commit as the pristine generation. */
export function initRepository(dir: string, message: string): void {
  git(dir, ['init', '-q', '-b', 'main']);
  // Files above core.bigFileThreshold are streamed into one pack file instead of a loose object each (a file, and
  // often a directory, per object); at 1 byte that is every file, which halves `git add` and the commit after it
  // in a new repository. Same objects and hashes; files that a filter or line-ending conversion changes are added
  // as usual.
  git(dir, ['-c', 'core.bigFileThreshold=1', 'add', '-A']);
  const identity = hasIdentity(dir) ? [] : FALLBACK_IDENTITY;
  // maintenance.auto=false: a commit otherwise starts `git maintenance run --auto`, one more process, which has
  // nothing to do in a repository of a single commit.
  git(dir, [
    ...identity,
    '-c',
    'commit.gpgsign=false',
    '-c',
    'maintenance.auto=false',
    'commit',
    '-q',
    '--no-verify',
    '-m',
    message,
  ]);
  git(dir, ['branch', GENERATED_BRANCH]);
}
