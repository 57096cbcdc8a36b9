import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { githubMessages as m } from './messages.js';

export const GitHub = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHub>;

export interface ClientTuning {
  /** Overrides of the throttling plugin (tests shorten the waits; production keeps GitHub's pacing). */
  throttle?: Partial<ThrottlingOptions>;
  retry?: { retries?: number; retryAfterBaseValue?: number };
}

const RATE_LIMIT_RETRIES = 3;
/** A primary limit resets hourly: waiting longer than this is worse than stopping and saying when to re-run. */
const LONGEST_WAIT_SECONDS = 300;

/** An Octokit with retries of 5xx/network failures and waits on rate limits, each wait announced on `say`. */
export function createClient(options: {
  token: string;
  baseUrl: string;
  say: (line: string) => void;
  tuning?: ClientTuning;
}): GitHubClient {
  const announce =
    (kind: 'secondary' | 'primary') =>
    (
      retryAfter: number,
      request: { method: string; url: string } & Record<string, unknown>,
      _octokit: unknown,
      retryCount: number,
    ) => {
      if (retryCount >= RATE_LIMIT_RETRIES || retryAfter > LONGEST_WAIT_SECONDS) return false;
      const path = request.url.replace(/\{(\w+)\}/g, (whole, name: string) =>
        request[name] === undefined ? whole : String(request[name]),
      );
      options.say(m.waiting(kind, retryAfter, `${request.method} ${path}`));
      return true;
    };
  return new GitHub({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: 'generator-aks-platform',
    // Octokit logs request failures to the console by default: ours are explained (and redacted) by the caller.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { retries: 2, ...options.tuning?.retry },
    throttle: {
      onRateLimit: announce('primary'),
      onSecondaryRateLimit: announce('secondary'),
      ...options.tuning?.throttle,
    } as ThrottlingOptions,
  });
}
