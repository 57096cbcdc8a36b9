import { UserError } from '../errors.js';
import { githubMessages as m } from './messages.js';
import { redact } from './redact.js';

/** A failure of one publish step, already explained for a person. `transient` ones (network, rate limit) are worth a re-run as is. */
export class PublishError extends UserError {
  constructor(
    message: string,
    readonly transient = false,
  ) {
    super(redact(message));
    this.name = 'PublishError';
  }
}

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers: Record<string, string | undefined>; data?: unknown };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

function githubDetail(data: unknown, fallback: string): string {
  if (data && typeof data === 'object') {
    const d = data as { message?: unknown; errors?: unknown };
    const parts = typeof d.message === 'string' ? [d.message] : [];
    if (Array.isArray(d.errors)) {
      for (const e of d.errors)
        parts.push(typeof e === 'string' ? e : typeof e?.message === 'string' ? e.message : JSON.stringify(e));
    }
    if (parts.length > 0) return parts.join('; ');
  }
  return fallback;
}

/** The scopes a classic token lacks for a call, from GitHub's X-Accepted-OAuth-Scopes and X-OAuth-Scopes headers. */
function missingScopes(headers: Record<string, string | undefined>): { needed: string; has: string } | undefined {
  const accepted = headers['x-accepted-oauth-scopes'];
  if (accepted === undefined || accepted.trim() === '') return undefined;
  const has = (headers['x-oauth-scopes'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const needed = accepted
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // A broader scope implies its children (repo covers public_repo, admin:org covers write:org and read:org).
  const satisfied = needed.some(
    (n) =>
      has.includes(n) ||
      has.some(
        (h) =>
          n.startsWith(`${h}:`) ||
          (h === 'repo' && n === 'public_repo') ||
          (h.startsWith('admin:') && n.endsWith(`:${h.slice(6)}`)),
      ),
  );
  return satisfied ? undefined : { needed: needed.join(', '), has: has.join(', ') };
}

/**
 * GitHub's answer (or the network's failure) during `what`, as a message that says what happened and what to do.
 * Anything not from a request passes through unchanged: it is a bug, not the user's problem.
 */
export function explainGitHubError(error: unknown, what: string): unknown {
  if (error instanceof PublishError || !isRequestError(error)) return error;
  const headers = error.response?.headers ?? {};
  const detail = githubDetail(error.response?.data, error.message);
  switch (error.status) {
    case 401:
      return new PublishError(m.unauthorized);
    case 403: {
      const sso = headers['x-github-sso'];
      if (sso !== undefined) return new PublishError(m.sso(what, /url=(\S+)/.exec(sso)?.[1]));
      if (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(detail))
        return new PublishError(m.rateLimited(what), true);
      const scopes = missingScopes(headers);
      if (scopes) return new PublishError(m.missingScope(what, scopes.needed, scopes.has));
      return new PublishError(m.forbidden(what, detail));
    }
    case 429:
      return new PublishError(m.rateLimited(what), true);
    case 404:
      return new PublishError(m.notFound(what));
    case 422:
      return new PublishError(m.unprocessable(what, detail));
    default:
      // Octokit reports a failed fetch (refused, reset, DNS) as status 500 without a response.
      if (error.response === undefined) return new PublishError(m.network(what, error.message), true);
      return new PublishError(m.github(what, error.status, detail), error.status >= 500);
  }
}

export function statusOf(error: unknown): number | undefined {
  return isRequestError(error) && error.response !== undefined ? error.status : undefined;
}
