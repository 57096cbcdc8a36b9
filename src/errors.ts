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
