import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

// One Bicep CLI process for every compile, lint, parameter and snapshot request of a command: `bicep jsonrpc
// --stdio` speaks JSON-RPC 2.0 with Content-Length headers (StreamJsonRpc's HeaderDelimitedMessageHandler, the
// framing of vscode-jsonrpc). Its methods (src/Bicep.Cli/Rpc/ICliJsonRpcProtocol.cs of Azure/bicep, stable since
// 0.29): bicep/version, bicep/compile (diagnostics include the linter's), bicep/compileParams, bicep/getSnapshot.
// A CLI without jsonrpc, or one whose jsonrpc process dies, falls back to one process per file.

export type BicepLevel = 'Error' | 'Warning' | 'Info';

export interface BicepDiagnostic {
  /** Absolute path of the file the diagnostic is in. */
  file: string;
  /** 1-based. */
  line: number;
  level: BicepLevel;
  code: string;
  message: string;
}

export interface BicepResult {
  success: boolean;
  diagnostics: BicepDiagnostic[];
  /** The ARM template (compile), the parameters file (compileParams) or the snapshot JSON (snapshot). */
  contents: string | undefined;
  /** compileParams only: the ARM template the parameters file is `using`, compiled. */
  template?: string | undefined;
}

export interface BicepEngine {
  readonly mode: 'jsonrpc' | 'process';
  readonly cli: string;
  /** Why the engine runs one process per file when JSON-RPC was wanted. */
  readonly fallbackReason?: string;
  compile(file: string): Promise<BicepResult>;
  compileParams(file: string): Promise<BicepResult>;
  /** The resources a .bicepparam deploys, predicted offline (`bicep snapshot`); contents is the snapshot JSON. */
  snapshot(file: string): Promise<BicepResult>;
  close(): Promise<void>;
}

/** The Bicep CLI: the explicit path, else AKS_PLATFORM_BICEP, else `bicep` on PATH; undefined when none exists. */
export function findBicep(explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidate = explicit ?? env.AKS_PLATFORM_BICEP;
  if (candidate) return existsSync(candidate) ? candidate : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const path = join(dir, 'bicep');
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

const ENV = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' };
const LEVELS = new Set<string>(['Error', 'Warning', 'Info']);

// ---------------------------------------------------------------------------------------------------------------
// JSON-RPC over stdio

interface RpcDiagnostic {
  source: string;
  range: { start: { line: number } };
  level: string;
  code: string;
  message: string;
}

function fromRpc(diagnostics: RpcDiagnostic[] | undefined): BicepDiagnostic[] {
  return (diagnostics ?? [])
    .filter((d) => LEVELS.has(d.level))
    .map((d) => ({
      file: d.source,
      line: d.range.start.line + 1,
      level: d.level as BicepLevel,
      code: d.code,
      message: d.message,
    }));
}

interface Connection {
  request<T>(method: string, params: unknown): Promise<T>;
  dispose(): void;
}

async function connect(child: ChildProcess): Promise<Connection> {
  // A CommonJS module: in the esbuild bundle its exports arrive as the namespace's default.
  const loaded = await import('vscode-jsonrpc/node');
  const rpc = ((loaded as unknown as { default?: typeof loaded }).default ?? loaded) as typeof loaded;
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout!),
    new rpc.StreamMessageWriter(child.stdin!),
  );
  connection.listen();
  return {
    request: <T>(method: string, params: unknown) => connection.sendRequest<T>(method, params),
    dispose: () => connection.dispose(),
  };
}

class RpcEngine implements BicepEngine {
  readonly mode = 'jsonrpc' as const;
  #exited: Promise<string>;

  constructor(
    readonly cli: string,
    private readonly child: ChildProcess,
    private readonly connection: Connection,
    exited: Promise<string>,
  ) {
    this.#exited = exited;
  }

  /** A request that fails as soon as the process exits, instead of waiting forever for an answer. */
  async request<T>(method: string, params: unknown): Promise<T> {
    return Promise.race([
      this.connection.request<T>(method, params),
      this.#exited.then((reason) => Promise.reject(new Error(reason))),
    ]);
  }

  async compile(file: string): Promise<BicepResult> {
    const r = await this.request<{ success: boolean; diagnostics: RpcDiagnostic[]; contents?: string | null }>(
      'bicep/compile',
      { path: file },
    );
    return { success: r.success, diagnostics: fromRpc(r.diagnostics), contents: r.contents ?? undefined };
  }

  async compileParams(file: string): Promise<BicepResult> {
    const r = await this.request<{
      success: boolean;
      diagnostics: RpcDiagnostic[];
      parameters?: string | null;
      template?: string | null;
    }>('bicep/compileParams', { path: file, parameterOverrides: {} });
    return {
      success: r.success,
      diagnostics: fromRpc(r.diagnostics),
      contents: r.parameters ?? undefined,
      template: r.template ?? undefined,
    };
  }

  async snapshot(file: string): Promise<BicepResult> {
    const r = await this.request<{ snapshot: string }>('bicep/getSnapshot', { path: file, metadata: {} });
    const parsed = JSON.parse(r.snapshot) as { diagnostics?: RpcDiagnostic[] };
    const diagnostics = fromRpc(parsed.diagnostics);
    return { success: !diagnostics.some((d) => d.level === 'Error'), diagnostics, contents: r.snapshot };
  }

  async close(): Promise<void> {
    this.connection.dispose();
    this.child.stdin?.end();
    const exited = await Promise.race([
      this.#exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 2000).unref()),
    ]);
    if (!exited) this.child.kill();
  }
}

async function openRpc(cli: string): Promise<RpcEngine> {
  const child = spawn(cli, ['jsonrpc', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: ENV });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString();
  });
  const exited = new Promise<string>((resolve) => {
    child.on('error', (e) => resolve(`bicep jsonrpc could not start: ${e.message}`));
    child.on('exit', (code) => resolve(`bicep jsonrpc exited (${code}): ${stderr.trim().split('\n')[0] ?? ''}`));
  });
  // Writing to a process that has gone is reported through `exited`, not as an uncaught stream error.
  child.stdin!.on('error', () => {});
  let connection: Connection | undefined;
  try {
    connection = await connect(child);
    const engine = new RpcEngine(cli, child, connection, exited);
    await engine.request<{ version: string }>('bicep/version', {});
    return engine;
  } catch (error) {
    // Whatever failed, the process must not outlive the attempt: it would keep this command from exiting.
    connection?.dispose();
    child.stdin!.destroy();
    child.stdout!.destroy();
    child.stderr!.destroy();
    child.kill('SIGKILL');
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One process per file: the fallback

const run = promisify(execFile);

/** Bicep's diagnostics on stderr: `/path/file.bicep(12,3) : Warning no-unused-params: message [url]`. */
export function parseBicepOutput(output: string): BicepDiagnostic[] {
  const found: BicepDiagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = /^(.*?)\((\d+),\d+\)\s*:\s*(Error|Warning|Info)\s+([^:]+):\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    found.push({
      file: m[1]!,
      line: Number(m[2]),
      level: m[3] as BicepLevel,
      code: m[4]!.trim(),
      message: m[5]!.replace(/\s*\[https?:\/\/[^\]]+\]\s*$/, ''),
    });
  }
  return found;
}

class ProcessEngine implements BicepEngine {
  readonly mode = 'process' as const;
  constructor(
    readonly cli: string,
    readonly fallbackReason?: string,
  ) {}

  private async exec(args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(this.cli, args, { maxBuffer: 256 * 1024 * 1024, env: ENV });
      return { ok: true, stdout, stderr };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr || e.message };
    }
  }

  private async result(args: string[], file: string): Promise<BicepResult> {
    const r = await this.exec(args);
    const diagnostics = parseBicepOutput(r.stderr);
    if (!r.ok && diagnostics.length === 0)
      diagnostics.push({
        file,
        line: 1,
        level: 'Error',
        code: 'bicep',
        message: r.stderr.trim().split('\n')[0] ?? 'bicep failed',
      });
    return { success: r.ok, diagnostics, contents: r.ok ? r.stdout : undefined };
  }

  compile(file: string): Promise<BicepResult> {
    return this.result(['build', '--stdout', file], file);
  }

  async compileParams(file: string): Promise<BicepResult> {
    const r = await this.result(['build-params', '--stdout', file], file);
    if (!r.contents) return r;
    const out = JSON.parse(r.contents) as { parametersJson?: string; templateJson?: string };
    return { ...r, contents: out.parametersJson, template: out.templateJson };
  }

  /** `bicep snapshot` writes <name>.snapshot.json beside the parameters file: callers pass a file in a scratch copy. */
  async snapshot(file: string): Promise<BicepResult> {
    const out = file.replace(/\.bicepparam$/, '.snapshot.json');
    const r = await this.result(['snapshot', file, '--mode', 'overwrite'], file);
    if (!r.success || !existsSync(out)) return r;
    const contents = readFileSync(out, 'utf8');
    rmSync(out, { force: true });
    const diagnostics = fromRpc((JSON.parse(contents) as { diagnostics?: RpcDiagnostic[] }).diagnostics);
    return { success: !diagnostics.some((d) => d.level === 'Error'), diagnostics, contents };
  }

  async close(): Promise<void> {}
}

// ---------------------------------------------------------------------------------------------------------------

/** An engine that starts on JSON-RPC and moves to one process per file if the jsonrpc process is lost. */
class FallbackEngine implements BicepEngine {
  #current: BicepEngine;
  constructor(first: BicepEngine) {
    this.#current = first;
  }
  get mode() {
    return this.#current.mode;
  }
  get cli() {
    return this.#current.cli;
  }
  get fallbackReason() {
    return this.#current.fallbackReason;
  }
  private async call(pick: (e: BicepEngine) => Promise<BicepResult>): Promise<BicepResult> {
    const engine = this.#current;
    try {
      return await pick(engine);
    } catch (error) {
      if (engine.mode !== 'jsonrpc') throw error;
      if (this.#current === engine) {
        this.#current = new ProcessEngine(engine.cli, `bicep jsonrpc failed: ${(error as Error).message}`);
        void engine.close();
      }
      return pick(this.#current);
    }
  }
  compile(file: string) {
    return this.call((e) => e.compile(file));
  }
  compileParams(file: string) {
    return this.call((e) => e.compileParams(file));
  }
  snapshot(file: string) {
    return this.call((e) => e.snapshot(file));
  }
  close() {
    return this.#current.close();
  }
}

/**
 * Opens the Bicep engine for one command. `mode: 'process'` (or AKS_PLATFORM_BICEP_MODE=process) skips JSON-RPC;
 * otherwise a CLI whose jsonrpc does not answer falls back to one process per file.
 */
export async function openBicep(cli: string, options: { mode?: 'jsonrpc' | 'process' } = {}): Promise<BicepEngine> {
  const mode = options.mode ?? (process.env.AKS_PLATFORM_BICEP_MODE === 'process' ? 'process' : 'jsonrpc');
  if (mode === 'process') return new ProcessEngine(cli);
  try {
    return new FallbackEngine(await openRpc(cli));
  } catch (error) {
    return new ProcessEngine(cli, `bicep jsonrpc did not start: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Runs tasks with at most `limit` in flight, results in input order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
