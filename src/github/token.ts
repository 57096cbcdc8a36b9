import { execFileSync } from 'node:child_process';
import { registerSecret } from './redact.js';

/**
 * The token: GITHUB_TOKEN, then GH_TOKEN, then `gh auth token` (for the Enterprise host when one is given).
 * Returns undefined when none is found; the caller explains.
 */
export function resolveToken(env: NodeJS.ProcessEnv, apiUrl: string | undefined): string | undefined {
  let token = env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim();
  if (!token) {
    const host = apiUrl ? new URL(apiUrl).hostname : undefined;
    const args = ['auth', 'token', ...(host && host !== 'api.github.com' ? ['--hostname', host] : [])];
    try {
      token =
        execFileSync('gh', args, {
          encoding: 'utf8',
          env,
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: 15_000,
        }).trim() || undefined;
    } catch {
      token = undefined; // gh missing or not logged in: the caller says how to provide a token.
    }
  }
  if (token) registerSecret(token);
  return token;
}
