// What a new user pays for the package: packs it as npm would publish it, installs the tarball into an empty project
// from the registry (once with an empty npm cache, once with a warm one), then prints the production dependency
// count, the install size and time, whether every installed package's `engines` admits ours, and a cold
// `npx generator-aks-platform validate` of a generated repository without and with Bicep.
// Figures, not assertions (machines and networks differ): run it with `npm run size` (after a build).
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (!existsSync(join(root, 'dist/cli.mjs'))) throw new Error('dist/ is missing: run npm run build first');
const work = mkdtempSync(join(tmpdir(), 'aks-platform-size-'));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

// Wall time depends on what else the machine runs, so the CPU time of the command and its children is measured too
// (GNU time, when installed).
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function run(command, args, options = {}) {
  const started = performance.now();
  const [file, argv] = gnuTime ? [gnuTime, ['-f', 'cpu=%U+%S', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8', ...options });
  const ms = performance.now() - started;
  const cpu = /cpu=([\d.]+)\+([\d.]+)\s*$/.exec(result.stderr ?? '');
  if (result.status !== 0 && !options.allowFailure)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}${result.stdout}`);
  return { ...result, ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined };
}
const timing = (r) => `${seconds(r.ms)} wall${r.cpuMs === undefined ? '' : `, ${seconds(r.cpuMs)} CPU`}`;

function treeSize(dir) {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += treeSize(path);
    else if (entry.isFile()) bytes += statSync(path).size;
  }
  return bytes;
}

/** Every installed package: node_modules/<name> and node_modules/@scope/<name>, nested ones included. */
function installedPackages(dir) {
  const found = [];
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) return found;
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? readdirSync(join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      const path = join(modules, name);
      if (!existsSync(join(path, 'package.json'))) continue;
      found.push({ name, path, manifest: JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) });
      found.push(...installedPackages(path));
    }
  }
  return found;
}

try {
  // 1. The tarball, exactly what `npm publish` would upload (dist/ is built already; no prepare script).
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root });
  const packed = JSON.parse(pack.stdout)[0];
  const tarball = join(work, packed.filename);

  // 2. Install it into an empty project: first with an empty cache (a new machine), then again with the cache warm.
  const install = (name, cache) => {
    const project = join(work, name);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `size-${name}`, private: true }));
    const args = ['install', tarball, '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];
    const result = run('npm', cache ? [...args, '--cache', cache] : args, { cwd: project });
    return { project, ...result, warnings: result.stderr };
  };
  const cold = install('cold', join(work, 'empty-cache'));
  const warm = install('warm');
  const project = warm.project;

  const packages = installedPackages(project).filter((p) => p.name !== manifest.name);
  const ours = manifest.engines.node;
  const tooNew = packages.filter((p) => p.manifest.engines?.node && !semver.subset(ours, p.manifest.engines.node));

  // 3. A generated repository, validated by a cold `npx generator-aks-platform validate` in the installed project.
  const repo = join(work, 'platform');
  run('npx', ['--no-install', 'aks-platform', 'new', repo, '--yes', '--no-git'], { cwd: project });
  const noBicep = { ...process.env, PATH: dirname(process.execPath) + ':/usr/bin:/bin', AKS_PLATFORM_BICEP: '' };
  const validate = (env, extra = []) =>
    run('npx', ['--no-install', 'generator-aks-platform', 'validate', repo, ...extra], {
      cwd: project,
      env,
      allowFailure: true,
    });
  const withoutBicep = validate(noBicep);
  const bicep = join(
    root,
    'tools/bicep/packages/azure.bicep.commandline.linux-x64',
    readdirSync(join(root, 'tools/bicep/packages/azure.bicep.commandline.linux-x64'))[0] ?? '',
    'tools/bicep',
  );
  const withBicep = existsSync(bicep) ? validate(noBicep, ['--bicep', bicep]) : undefined;

  console.log(`generator-aks-platform ${manifest.version} (engines.node ${ours})`);
  console.log(
    `  tarball                     ${packed.filename}: ${mib(packed.size)} packed, ${mib(packed.unpackedSize)} unpacked, ${packed.entryCount} files`,
  );
  console.log(
    `  production dependencies     ${packages.length} packages (${[...new Set(packages.map((p) => p.name))].sort().join(', ')})`,
  );
  console.log(
    `  install size                ${mib(treeSize(join(project, 'node_modules')))} (node_modules, the package included)`,
  );
  console.log(`  install time, empty cache   ${timing(cold)}`);
  console.log(`  install time, warm cache    ${timing(warm)}`);
  console.log(
    `  npm warnings                ${/EBADENGINE/.test(cold.warnings + warm.warnings) ? 'EBADENGINE!' : 'no engine warnings'}`,
  );
  console.log(
    `  engines                     ${tooNew.length === 0 ? `every dependency admits ${ours}` : `NOT admitted by: ${tooNew.map((p) => `${p.name} (${p.manifest.engines.node})`).join(', ')}`}`,
  );
  const summary = (r) =>
    `${timing(r)} (exit ${r.status}; ${(r.stdout.match(/^(checked|SKIPPED) .*$/gm) ?? []).map((l) => l.split(':')[0]).join(', ')})`;
  console.log(`  cold validate, no Bicep     ${summary(withoutBicep)}`);
  console.log(
    `  cold validate, with Bicep   ${withBicep ? summary(withBicep) : 'Bicep not restored (node scripts/install-tools.mjs)'}`,
  );
  if (process.env.SIZE_VERBOSE) console.log(withoutBicep.stdout, withBicep?.stdout);
} finally {
  rmSync(work, { recursive: true, force: true });
}
