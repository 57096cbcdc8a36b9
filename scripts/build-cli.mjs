// Bundles the `aks-platform` bin into dist/cli.mjs: one file to load instead of some 300 modules (zod, yaml and
// the CLI's own), which is most of a cold `aks-platform new`. Commands imported on demand (publish, validate,
// upgrade, catalog, prompts) stay separate chunks in dist/chunks/, so `new` loads only what it runs.
// Runs after tsc: the Yeoman generators and the tests use dist/src/, the bin uses this bundle.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist/chunks'), { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/bin.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies (ejs, yaml) call require() for Node's built-ins, which an ES module does not have.
  banner: { js: "import { createRequire as __aksCreateRequire } from 'node:module'; const require = __aksCreateRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});
// What each chunk holds, to check that `new` loads nothing it does not run (kept out of dist/, which is published).
mkdirSync(join(root, '.tmp'), { recursive: true });
writeFileSync(join(root, '.tmp/cli.meta.json'), JSON.stringify(result.metafile));
