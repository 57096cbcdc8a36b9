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
