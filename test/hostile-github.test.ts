import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { githubCatalogReader } from '../src/catalog/github.js';

// The GitHub catalog under a hostile network (issue 14): rate limits are waited out within a ceiling and announced,
// a refused connection is called that (not HTTP 500), and Octokit prints nothing of its own.

const SHA = 'a'.repeat(40);
const CATALOG = 'apiVersion: aks-platform/v1\nkind: Catalog\nmetadata:\n  name: c\ntemplates: []\n';
let server: Server;
let apiUrl = '';
let limited = 0;
let retryAfter = '1';
let limitMessage = 'You have exceeded a secondary rate limit';

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (limited > 0) {
      limited--;
      return send(429, { message: limitMessage }, { 'retry-after': retryAfter });
    }
    if (req.url?.startsWith('/repos/contoso/catalog/commits/')) return send(200, { sha: SHA });
    if (req.url?.startsWith('/repos/contoso/catalog/contents/catalog.yaml'))
      return send(200, {
        type: 'file',
        size: CATALOG.length,
        encoding: 'base64',
        content: Buffer.from(CATALOG).toString('base64'),
      });
    send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function quiet() {
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation(() => {}),
  );
  return () => {
    const calls = spies.flatMap((s) => s.mock.calls);
    for (const s of spies) s.mockRestore();
    return calls;
  };
}

describe('GitHub catalog reads', () => {
  it('a 429 with Retry-After is waited out, and the wait is announced', async () => {
    limited = 1;
    retryAfter = '1';
    const said: string[] = [];
    const started = Date.now();
    const done = quiet();
    const read = await githubCatalogReader({ apiUrl, say: (l) => said.push(l) }).read('contoso', 'catalog', 'v1');
    expect(done()).toEqual([]);
    expect(read.commit).toBe(SHA);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(said.join('\n')).toMatch(/waiting 1 s/);
  });

  it('a plain 429 (not a secondary limit) honours its Retry-After too, instead of retrying at once', async () => {
    limited = 1;
    retryAfter = '1';
    limitMessage = 'Too Many Requests';
    const said: string[] = [];
    const started = Date.now();
    const read = await githubCatalogReader({ apiUrl, say: (l) => said.push(l) }).read('contoso', 'catalog', 'v1');
    limitMessage = 'You have exceeded a secondary rate limit';
    expect(read.commit).toBe(SHA);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(said.join('\n')).toMatch(/waiting 1 s/);
  });

  it('a Retry-After beyond the ceiling stops at once and says how long GitHub asked to wait', async () => {
    limited = 1;
    retryAfter = '1000';
    const started = Date.now();
    const done = quiet();
    await expect(githubCatalogReader({ apiUrl }).read('contoso', 'catalog', 'v1')).rejects.toThrow(
      /rate limit; GitHub asks to wait 1000 s, longer than this command waits \(300 s\)[\s\S]*fix: run again after/,
    );
    expect(done()).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
    limited = 0;
  });

  it('a refused connection is reported as such, not as HTTP 500', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const done = quiet();
    const error = await githubCatalogReader({
      apiUrl: `http://127.0.0.1:${port}`,
      tuning: { retry: { retries: 0 } },
    })
      .read('contoso', 'catalog', 'v1')
      .catch((e: Error) => e);
    expect(done()).toEqual([]);
    expect(String((error as Error).message)).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+: connection refused/);
    expect(String((error as Error).message)).not.toMatch(/HTTP 500/);
  });
});
