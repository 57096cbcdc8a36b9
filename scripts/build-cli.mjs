// Bundles the `aks-platform` bin into dist/cli.mjs: one file to load instead of some 300 modules (zod, yaml and
// the CLI's own), which is most of a cold `aks-platform new`. Commands imported on demand (publish, validate,
// upgrade, catalog, prompts) stay separate chunks in dist/chunks/, so `new` loads only what it runs.
// Runs after tsc: the Yeoman generators and the tests use dist/src/, the bin uses this bundle.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { build } from 'esbuild';
import { TEMPLATE_OPTIONS } from '../dist/src/render/template.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist/chunks'), { recursive: true, force: true });

// src/render/template.ts compiles each template on first use; in the bundle it is replaced by this module, which has
// every template compiled now, with the same options. `client: true` only makes each function self-contained.
function precompiledTemplates() {
  const dir = join(root, 'templates');
  const files = readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.ejs'))
    .sort();
  const entries = files.map((file) => {
    const name = file.slice(0, -'.ejs'.length).split(sep).join('/');
    const options = { ...TEMPLATE_OPTIONS, filename: `templates/${name}.ejs`, client: true };
    return `  ${JSON.stringify(name)}: ${ejs.compile(readFileSync(join(dir, file), 'utf8'), options)},`;
  });
  return `const templates = {\n${entries.join('\n')}\n};
export function renderTemplate(path, it) {
  const template = templates[path];
  if (!template) throw new Error(\`no template templates/\${path}.ejs\`);
  return template(it);
}
`;
}

const shared = {
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies (ejs, yaml) call require() for Node's built-ins, which an ES module does not have.
  banner: {
    js: "import { createRequire as __aksCreateRequire } from 'node:module'; const require = __aksCreateRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'precompiled-templates',
      setup: (b) =>
        b.onLoad({ filter: /[\\/]src[\\/]render[\\/]template\.ts$/ }, () => ({
          contents: precompiledTemplates(),
          loader: 'js',
        })),
    },
  ],
  metafile: true,
  logLevel: 'warning',
};

// The Yeoman generators, bundled the same way over tsc's output of them: a `yo` user installs no library of ours
// beyond what the bundle holds. yeoman-generator (and the adapter it brings) is the user's, a peer dependency.
rmSync(join(root, 'dist/generators/chunks'), { recursive: true, force: true });
await build({
  ...shared,
  entryPoints: ['generators/app/index.ts', 'generators/upgrade/index.ts', 'generators/publish/index.ts'],
  outbase: 'generators',
  outdir: 'dist/generators',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['yeoman-generator', '@yeoman/adapter'],
});

const result = await build({
  ...shared,
  entryPoints: { cli: 'src/cli/bin.ts', 'yaml-driver': 'src/upgrade/yaml-driver.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
});
// What each chunk holds, to check that `new` loads nothing it does not run (kept out of dist/, which is published).
mkdirSync(join(root, '.tmp'), { recursive: true });
writeFileSync(join(root, '.tmp/cli.meta.json'), JSON.stringify(result.metafile));
