import type { Problem } from './answers/validate.js';

/** A mistake the user can fix: printed without a stack trace, exit code 1. Anything else is a bug. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** A file or folder the command cannot use, as the user's situation: which path, what is wrong, what to do. */
export class FileError extends UserError {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${path}: ${problem}.\n  fix: ${fix}`);
    this.name = 'FileError';
  }
}

/** What a failed file-system call means to the person running the command. */
export function describeFsError(error: unknown): { problem: string; fix: string } | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return { problem: 'does not exist', fix: 'check the path' };
    case 'EACCES':
    case 'EPERM':
      return { problem: 'permission denied', fix: 'give your user access to it (chmod/chown), or choose another path' };
    case 'EROFS':
      return { problem: 'is on a read-only file system', fix: 'choose a path on a writable file system' };
    case 'ENOSPC':
    case 'EDQUOT':
      return { problem: 'no space left on the device (or quota reached)', fix: 'free some space, then run again' };
    case 'EISDIR':
      return { problem: 'is a folder, not a file', fix: 'name a file' };
    case 'ENOTDIR':
      return { problem: 'a part of the path is a file, not a folder', fix: 'check the path' };
    case 'ELOOP':
      return { problem: 'is a symbolic link loop', fix: 'fix or remove the link' };
    case 'ENAMETOOLONG':
      return { problem: 'the path is too long', fix: 'use a shorter path' };
    case 'EEXIST':
    case 'ENOTEMPTY':
      return {
        problem: 'already exists (another run may be writing there)',
        fix: 'wait for it, or choose another path',
      };
    case 'EBUSY':
    case 'ETXTBSY':
      return { problem: 'is busy (in use by another program)', fix: 'close the program using it, then run again' };
    case 'EMFILE':
    case 'ENFILE':
      return { problem: 'too many open files', fix: 'raise the open-file limit (ulimit -n), then run again' };
    case 'EIO':
      return { problem: 'an input/output error', fix: 'check the disk or network share, then run again' };
    case 'ENXIO':
    case 'ENODEV':
      return { problem: 'is a device that cannot be read like a file', fix: 'name a regular file' };
    default:
      return undefined;
  }
}

/** A file-system failure on `path` as a FileError, or the error itself when it is not one (a bug stays a bug). */
export function asFileError(error: unknown, path: string): unknown {
  if (isUserError(error)) return error;
  const described = describeFsError(error);
  return described ? new FileError(path, described.problem, described.fix) : error;
}

/** The command line itself is wrong (unknown command or option, missing argument): exit code 2, like getopt tools. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** The exit code of a user's mistake. */
export function userErrorCode(error: UserError): number {
  return error instanceof UsageError ? 2 : 1;
}

/** A person pressed Ctrl-C at a question: not a mistake and not a bug; exit code 130 (128 + SIGINT). */
export class Cancelled extends Error {
  override name = 'Cancelled';
}

/** Ctrl-C at a prompt: ours, or inquirer's (which Yeoman's adapter uses). */
export function isCancel(error: unknown): boolean {
  return error instanceof Cancelled || (error instanceof Error && error.name === 'ExitPromptError');
}
