import { Octokit } from '@octokit/rest';
import { UserError } from '../errors.js';
import { CATALOG_FILE, MAX_CATALOG_BYTES, type GitHubCatalogReader } from './load.js';
import { catalogMessages } from './messages.js';

/** Reads catalog.yaml from GitHub at a pinned commit: the ref is resolved to a SHA first and the file read at it. */
export function githubCatalogReader(options: {
  token?: string | undefined;
  apiUrl?: string | undefined;
}): GitHubCatalogReader {
  const octokit = new Octokit({
    ...(options.token ? { auth: options.token } : {}),
    baseUrl: options.apiUrl ?? 'https://api.github.com',
    userAgent: 'generator-aks-platform',
  });
  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) throw new UserError(catalogMessages.githubNotFound(what));
      throw new UserError(
        catalogMessages.githubFailed(what, status ? `HTTP ${status}` : ((error as Error).message ?? 'network error')),
      );
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
      if ((data.size ?? 0) > MAX_CATALOG_BYTES)
        throw new UserError(catalogMessages.tooLarge(`${name}:${CATALOG_FILE}`, MAX_CATALOG_BYTES));
      return {
        commit,
        text: Buffer.from(data.content, (data.encoding as BufferEncoding | undefined) ?? 'base64').toString('utf8'),
      };
    },
  };
}
