import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The one GitHub call `upgrade --pr` makes (POST /repos/{owner}/{repo}/pulls), on loopback, recorded. */
export class FakePullRequests {
  readonly created: { owner: string; repo: string; auth: string | undefined; body: Record<string, unknown> }[] = [];
  readonly unexpected: string[] = [];
  private server: Server | undefined;
  port = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v3`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        const match = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !match) {
          this.unexpected.push(`${req.method} ${req.url}`);
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
          return;
        }
        const number = this.created.length + 1;
        this.created.push({
          owner: match[1]!,
          repo: match[2]!,
          auth: req.headers.authorization,
          body: JSON.parse(text),
        });
        res.writeHead(201, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            number,
            html_url: `https://github.example/${match[1]}/${match[2]}/pull/${number}`,
            state: 'open',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
