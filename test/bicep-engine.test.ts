import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BicepEngine, findBicep, openBicep } from '../src/bicep/engine.js';
import { makeWorkspace } from './support/bicep.js';
import { runCli } from './support/cli.js';
import { bicepPath, missingTool } from './support/tools.js';

// The one-process Bicep engine against the real CLI: JSON-RPC and the per-file fallback report the same thing.

const cli = bicepPath();
const skip = cli === undefined && missingTool('Bicep CLI', 'run `node scripts/install-tools.mjs` to restore it');

const workspace = makeWorkspace('aks-engine-');
afterAll(() => workspace.cleanup());

function fixture(): { template: string; params: string } {
  const dir = join(workspace.root, 'infra');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bicepconfig.json'), '{}\n');
  writeFileSync(
    join(dir, 'main.bicep'),
    [
      "@description('Where the identity lives.')",
      'param location string',
      "@description('Never read.')",
      "param unusedSetting string = 'x'",
      '',
      "resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {",
      "  name: 'id-engine'",
      '  location: location',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'dev.bicepparam'), "using './main.bicep'\n\nparam location = 'westeurope'\n");
  return { template: join(dir, 'main.bicep'), params: join(dir, 'dev.bicepparam') };
}

describe.skipIf(skip)('Bicep engine (real Bicep CLI)', () => {
  const files = fixture();
  const unused = {
    file: files.template,
    line: 4,
    level: 'Warning',
    code: 'no-unused-params',
    message: expect.stringContaining('unusedSetting'),
  };

  async function exercise(engine: BicepEngine) {
    try {
      const compiled = await engine.compile(files.template);
      const params = await engine.compileParams(files.params);
      const snapshot = await engine.snapshot(files.params);
      return { compiled, params, snapshot };
    } finally {
      await engine.close();
    }
  }

  it('jsonrpc: compile reports the linter, compileParams the parameters, snapshot the resources', async () => {
    const engine = await openBicep(cli!);
    expect(engine.mode).toBe('jsonrpc');
    const { compiled, params, snapshot } = await exercise(engine);
    expect(compiled.diagnostics).toEqual([unused]);
    expect(JSON.parse(compiled.contents!).resources).toBeDefined();
    expect(JSON.parse(params.contents!).parameters.location.value).toBe('westeurope');
    // The template the parameters file uses comes with it: validate counts its ARM limits.
    expect(JSON.parse(params.template!).resources).toEqual(JSON.parse(compiled.contents!).resources);
    const predicted = JSON.parse(snapshot.contents!).predictedResources;
    expect(predicted).toEqual([expect.objectContaining({ name: 'id-engine', location: 'westeurope' })]);
  });

  it('one process per file (the fallback) gives the same answers', async () => {
    const rpc = await exercise(await openBicep(cli!));
    const processes = await exercise(await openBicep(cli!, { mode: 'process' }));
    expect(processes.compiled.diagnostics).toEqual(rpc.compiled.diagnostics);
    expect(JSON.parse(processes.params.contents!)).toEqual(JSON.parse(rpc.params.contents!));
    expect(JSON.parse(processes.params.template!)).toEqual(JSON.parse(rpc.params.template!));
    expect(JSON.parse(processes.snapshot.contents!)).toEqual(JSON.parse(rpc.snapshot.contents!));
  });

  it('the CLI bundle drives Bicep through one jsonrpc process, and exits when done', () => {
    const result = runCli(['validate', workspace.root, '--bicep', cli!], workspace.root);
    expect(result.stdout).toContain('one jsonrpc process');
    expect(result.stdout).toContain('[bicep/no-unused-params] infra/main.bicep:4');
  });

  it('a CLI whose jsonrpc does not start falls back to one process per file', async () => {
    const wrapper = join(workspace.root, 'bicep-without-jsonrpc');
    writeFileSync(wrapper, `#!/bin/sh\n[ "$1" = jsonrpc ] && exit 3\nexec "${cli}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const engine = await openBicep(wrapper);
    expect(engine.mode).toBe('process');
    const { compiled } = await exercise(engine);
    expect(compiled.diagnostics).toEqual([unused]);
  });
});

describe('finding the Bicep CLI', () => {
  it('an explicit path that does not exist is not found; PATH is searched otherwise', () => {
    expect(findBicep(join(workspace.root, 'nothing'), {})).toBeUndefined();
    const bin = join(workspace.root, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'bicep'), '');
    expect(findBicep(undefined, { PATH: bin })).toBe(join(bin, 'bicep'));
    expect(findBicep(undefined, { PATH: '' })).toBeUndefined();
  });
});
