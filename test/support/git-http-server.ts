import { execFileSync, spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

// git's own smart-HTTP server (`git http-backend`, a CGI program shipped with git) behind node:http: the push in the
// tests speaks the real protocol to a real receive-pack, so what lands is exactly what GitHub would receive.

const EXEC_PATH = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
export const HTTP_BACKEND = join(EXEC_PATH, 'git-http-backend');

/** Serves `pathInfo` (e.g. /contoso/platform.git/info/refs) from the bare repositories under `projectRoot`. */
export function serveGit(
  req: IncomingMessage,
  res: ServerResponse,
  projectRoot: string,
  pathInfo: string,
  query: string,
): void {
  const child = spawn(HTTP_BACKEND, [], {
    env: {
      PATH: process.env.PATH ?? '',
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      // Authenticated by the caller; http-backend enables receive-pack only for an authenticated user.
      REMOTE_USER: 'x-access-token',
      REMOTE_ADDR: '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  req.pipe(child.stdin);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.on('close', () => {
    const all = Buffer.concat(out);
    const split = all.indexOf('\r\n\r\n');
    const head = split >= 0 ? all.subarray(0, split).toString('latin1') : '';
    const body = split >= 0 ? all.subarray(split + 4) : Buffer.alloc(0);
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else headers[name] = value;
    }
    if (split < 0) {
      status = 500;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(Buffer.concat(err));
      return;
    }
    res.writeHead(status, headers).end(body);
  });
}

/** A bare repository at `<root>/<owner>/<name>.git`, with `main` as HEAD like a new GitHub repository. */
export function initBare(root: string, owner: string, name: string): string {
  const path = join(root, owner, `${name}.git`);
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path]);
  return path;
}
