import { UserError } from '../errors.js';
import { createClient, LONGEST_WAIT_SECONDS, type ClientTuning } from '../util/octokit.js';
import { CATALOG_FILE, MAX_CATALOG_BYTES, type GitHubCatalogReader } from './load.js';
import { catalogMessages } from './messages.js';

/** Why a request never got an answer: refused, reset, DNS, TLS (the fetch error's cause), else its message. */
function networkCause(error: unknown): string {
  let cause: unknown = error;
  for (let i = 0; i < 4 && cause; i++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
      return code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return (error as Error).message ?? 'network error';
}

/**
 * Reads catalog.yaml from GitHub at a pinned commit: the ref is resolved to a SHA first and the file read at it.
 * Requests go through the same client as publish: rate limits are waited out (up to a ceiling, each wait
 * announced on `say`), transient failures retried, and Octokit's own log lines silenced.
 */
export function githubCatalogReader(options: {
  token?: string | undefined;
  apiUrl?: string | undefined;
  say?: (line: string) => void;
  tuning?: ClientTuning;
}): GitHubCatalogReader {
  const baseUrl = options.apiUrl ?? 'https://api.github.com';
  const octokit = createClient({
    token: options.token,
    baseUrl,
    say: options.say ?? (() => {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      const e = error as { status?: number; response?: { headers?: Record<string, string | undefined> } };
      if (e.status === 404) throw new UserError(catalogMessages.githubNotFound(what));
      if (e.response === undefined)
        throw new UserError(catalogMessages.githubFailed(what, `could not reach ${baseUrl}: ${networkCause(error)}`));
      const retryAfter = Number(e.response.headers?.['retry-after']);
      if (e.status === 429 || (e.status === 403 && e.response.headers?.['x-ratelimit-remaining'] === '0'))
        throw new UserError(
          catalogMessages.githubRateLimited(
            what,
            Number.isFinite(retryAfter) ? retryAfter : undefined,
            LONGEST_WAIT_SECONDS,
          ),
        );
      throw new UserError(catalogMessages.githubFailed(what, `HTTP ${e.status}`));
    }
  };
  return {
    async read(owner, repo, ref) {
      const name = `${owner}/${repo}`;
      const wanted = ref ?? (await call(name, () => octokit.rest.repos.get({ owner, repo }))).data.default_branch;
      const commit = (await call(`${name}@${wanted}`, () => octokit.rest.repos.getCommit({ owner, repo, ref: wanted })))
        .data.sha;
      const file = await call(`${name}@${commit}:${CATALOG_FILE}`, () =>
        octokit.rest.repos.getContent({ owner, repo, path: CATALOG_FILE, ref: commit }),
      );
      const data = file.data as { type?: string; size?: number; encoding?: string; content?: string };
      if (Array.isArray(file.data) || data.type !== 'file' || typeof data.content !== 'string')
        throw new UserError(catalogMessages.githubNotFound(`${name}@${commit}:${CATALOG_FILE} (as a file)`));
      if ((data.size ?? 0) > MAX_CATALOG_BYTES || data.content.length > (MAX_CATALOG_BYTES * 4) / 3 + 4096)
        throw new UserError(catalogMessages.tooLarge(`${name}:${CATALOG_FILE}`, MAX_CATALOG_BYTES));
      return {
        commit,
        text: Buffer.from(data.content, (data.encoding as BufferEncoding | undefined) ?? 'base64').toString('utf8'),
      };
    },
  };
}
