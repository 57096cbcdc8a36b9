import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { messages as m } from '../messages.js';

export const GitHub = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHub>;

export interface ClientTuning {
  /** Overrides of the throttling plugin (tests shorten the waits; production keeps GitHub's pacing). */
  throttle?: Partial<ThrottlingOptions>;
  retry?: { retries?: number; retryAfterBaseValue?: number };
}

const RATE_LIMIT_RETRIES = 3;
/** A primary limit resets hourly: waiting longer than this is worse than stopping and saying when to re-run. */
export const LONGEST_WAIT_SECONDS = 300;

/** An Octokit with retries of 5xx/network failures and waits on rate limits, each wait announced on `say`. */
export function createClient(options: {
  /** Absent for anonymous reads of public repositories (a catalog). */
  token?: string | undefined;
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
  const octokit = new GitHub({
    ...(options.token ? { auth: options.token } : {}),
    baseUrl: options.baseUrl,
    userAgent: 'generator-aks-platform',
    // Octokit logs request failures to the console by default: ours are explained (and redacted) by the caller.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    // A 429 is a rate limit, not a failure to retry at once: the throttling plugin (secondary limits) and the hook
    // below (any other 429) wait for its Retry-After instead.
    retry: { retries: 2, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], ...options.tuning?.retry },
    throttle: {
      onRateLimit: announce('primary'),
      onSecondaryRateLimit: announce('secondary'),
      ...options.tuning?.throttle,
    } as ThrottlingOptions,
  });
  const unit = options.tuning?.throttle?.retryAfterBaseValue ?? 1000;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const e = error as { status?: number; message?: string; response?: { headers?: Record<string, unknown> } };
        const retryAfter = Number(e.response?.headers?.['retry-after']);
        const secondary = /\bsecondary rate\b/i.test(e.message ?? '');
        if (
          e.status !== 429 ||
          secondary ||
          !Number.isFinite(retryAfter) ||
          retryAfter > LONGEST_WAIT_SECONDS ||
          attempt >= RATE_LIMIT_RETRIES
        )
          throw error;
        options.say(m.waiting('primary', retryAfter, `${requestOptions.method} ${requestOptions.url}`));
        await new Promise((resolve) => setTimeout(resolve, retryAfter * unit));
      }
    }
  });
  return octokit;
}
