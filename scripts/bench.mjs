// Prints the speed figures of the brief: in-process render per preset, cold `aks-platform new --yes`, peak RSS.
// Figures, not assertions: machines differ, so nothing here fails on a number.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin['aks-platform']);
const { composeAnswers } = await import(join(root, 'dist/src/answers/load.js'));
const { generatePlatform } = await import(join(root, 'dist/src/generate.js'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

console.log('In-process render (answers -> validate -> plan -> files), median of 30 after 5 warm-ups:');
// Starter's production API server is public, so it needs its authorized ranges (documentation addresses here).
const presetSets = { starter: ['cluster.authorizedIpRanges=["203.0.113.0/24"]'] };
for (const preset of [undefined, 'starter', 'enterprise', 'multicloud']) {
  const times = [];
  let files = 0;
  for (let i = 0; i < 35; i++) {
    const t = performance.now();
    files = generatePlatform(composeAnswers({ preset, sets: presetSets[preset] ?? [] }), preset).files.size;
    if (i >= 5) times.push(performance.now() - t);
  }
  console.log(`  ${(preset ?? 'defaults').padEnd(11)} ${ms(median(times)).padStart(9)}  (${files} files)`);
}

const work = mkdtempSync(join(tmpdir(), 'aks-platform-bench-'));
const probe = join(work, 'rss-probe.mjs');
writeFileSync(
  probe,
  "process.on('exit', () => process.stderr.write(`maxrss=${process.resourceUsage().maxRSS}\\n`));\n",
);

function cold(args, runs = 9) {
  const walls = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', probe, ...args(i)], { cwd: work, encoding: 'utf8' });
    walls.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${args(i).join(' ')} failed: ${r.stderr}`);
    rss.push(Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024);
  }
  return { wall: median(walls), rss: Math.max(...rss) };
}

const baseline = cold(() => ['-e', '0']);
const version = cold(() => [bin, '--version']);
const newYes = cold((i) => [bin, 'new', `yes-${i}`, '--yes']);
const newNoGit = cold((i) => [bin, 'new', `nogit-${i}`, '--yes', '--no-git']);
console.log('\nCold processes, median wall time of 9 runs, peak RSS:');
for (const [name, r] of [
  ['node -e 0', baseline],
  ['aks-platform --version', version],
  ['aks-platform new --yes', newYes],
  ['aks-platform new --yes --no-git', newNoGit],
]) {
  console.log(`  ${name.padEnd(32)} ${ms(r.wall).padStart(9)}  ${r.rss.toFixed(0).padStart(4)} MiB`);
}

// Render time as the organisation grows: linear in teams (a folder pass once scanned every file per folder), up to the
// most teams one ARM deployment holds (src/azure/arm-limits.ts), which the answers refuse beyond.
const { MAX_TEAMS } = await import(join(root, 'dist/src/azure/arm-limits.js'));
console.log('\nIn-process render by number of teams (one run each):');
for (const teams of [100, MAX_TEAMS / 2, MAX_TEAMS]) {
  const answers = composeAnswers({});
  answers.teams = Array.from({ length: teams }, (_, i) => ({ name: `team-${String(i).padStart(4, '0')}` }));
  const t = performance.now();
  const files = generatePlatform(answers).files.size;
  console.log(`  ${String(teams).padStart(5)} teams ${ms(performance.now() - t).padStart(11)}  (${files} files)`);
}

// validate drives Bicep through one jsonrpc process; the target is at most 3x one cold `bicep build` of main.bicep.
const { BICEP_CLI } = await import(join(root, 'dist/src/versions.js'));
const bicep = join(root, 'tools/bicep/packages/azure.bicep.commandline.linux-x64', BICEP_CLI, 'tools/bicep');
if (!existsSync(bicep))
  console.log('\nvalidate vs bicep build: SKIPPED, no Bicep CLI (node scripts/install-tools.mjs)');
else {
  console.log('\nvalidate of a generated repository vs one cold `bicep build` of its main.bicep (median of 3):');
  for (const preset of ['enterprise', undefined]) {
    const dir = join(work, `validate-${preset ?? 'defaults'}`);
    spawnSync(process.execPath, [bin, 'new', dir, '--yes', '--no-git', ...(preset ? ['--preset', preset] : [])]);
    const time = (command, args) => {
      const walls = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        spawnSync(command, args, { cwd: work, encoding: 'utf8' });
        walls.push(performance.now() - t);
      }
      return median(walls);
    };
    const build = time(bicep, ['build', join(dir, 'infra/main.bicep'), '--stdout']);
    const validate = time(process.execPath, [bin, 'validate', dir, '--bicep', bicep]);
    console.log(
      `  ${(preset ?? 'defaults').padEnd(11)} validate ${ms(validate).padStart(10)}  bicep build ${ms(build).padStart(10)}  ratio ${(validate / build).toFixed(2)}x (target <= 3x)`,
    );
  }
}

// The largest inputs the limits allow (issue 14): each is refused or read within its cap, so peak memory stays
// bounded whatever the input. The figures are the cost of the worst case a user (or an attacker) can hand in.
const { MAX_ANSWERS_BYTES } = await import(join(root, 'dist/src/answers/load.js'));
const { MAX_ANSWER_CHARACTERS } = await import(join(root, 'dist/src/answers/validate.js'));
const { MAX_CATALOG_BYTES } = await import(join(root, 'dist/src/catalog/load.js'));

function fill(path, bytes, line) {
  const lines = [];
  let size = 0;
  for (let i = 0; size + line(i).length + 1 <= bytes; i++) {
    lines.push(line(i));
    size += line(i).length + 1;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const longValue = 'x'.repeat(MAX_ANSWER_CHARACTERS);
// Answers at the byte cap: as many unknown keys with the longest value as fit, each one a problem to report.
fill(join(work, 'answers-max.yaml'), MAX_ANSWERS_BYTES, (i) => `k${i}: ${longValue}`);
// One byte over the cap, and a value far past the length cap inside the file cap.
fill(join(work, 'answers-over.yaml'), MAX_ANSWERS_BYTES + 1024, (i) => `k${i}: ${longValue}`);
writeFileSync(join(work, 'answers-long-value.yaml'), `organisation: "${'y'.repeat(MAX_ANSWERS_BYTES - 64)}"\n`);
fill(join(work, 'catalog-max.yaml'), MAX_CATALOG_BYTES, (i) => (i === 0 ? 'templates:' : `  - name: t${i}`));
// A repository with a file at validate's 2 MiB cap and one past it.
const repo = join(work, 'repo-max');
spawnSync(process.execPath, [bin, 'new', repo, '--yes', '--no-git'], { cwd: work });
fill(join(repo, 'apps/base/team-a/big.yaml'), 2 * 1024 * 1024, (i) => `# ${i} ${'z'.repeat(100)}`);
fill(join(repo, 'apps/base/team-a/too-big.yaml'), 3 * 1024 * 1024, (i) => `# ${i} ${'z'.repeat(100)}`);

function bounded(name, args, expected) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', probe, bin, ...args], { cwd: work, encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.status !== expected)
    throw new Error(`${name}: exit ${r.status}, expected ${expected}: ${r.stderr.slice(0, 500)}`);
  const rss = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  console.log(`  ${name.padEnd(48)} exit ${r.status}  ${ms(wall).padStart(10)}  ${rss.toFixed(0).padStart(4)} MiB`);
}

console.log('\nLargest inputs the limits allow, one cold run each: exit code, wall time, peak RSS:');
bounded(
  'answers file at the 1 MiB cap (≈1000 problems)',
  ['new', 'a', '--answers', 'answers-max.yaml', '--yes', '--dry-run'],
  1,
);
bounded('answers file 1 KiB over the cap', ['new', 'a', '--answers', 'answers-over.yaml', '--yes', '--dry-run'], 1);
bounded('a 1 MiB quoted value', ['new', 'a', '--answers', 'answers-long-value.yaml', '--yes', '--dry-run'], 1);
bounded('--answers /dev/zero', ['new', 'a', '--answers', '/dev/zero', '--yes', '--dry-run'], 1);
bounded(
  '--set with a 100 KB value',
  ['new', 'a', '--set', `organisation=${'v'.repeat(100_000)}`, '--yes', '--dry-run'],
  1,
);
bounded(
  '--set environments.99999999.name=qa',
  ['new', 'a', '--set', 'environments.99999999.name=qa', '--yes', '--dry-run'],
  1,
);
bounded('catalog at the 1 MiB cap', ['catalog', 'list', '--catalog', 'catalog-max.yaml'], 1);
bounded('--catalog /dev/zero', ['catalog', 'list', '--catalog', '/dev/zero'], 1);
bounded(
  'validate: a 2 MiB file and a 3 MiB one',
  ['validate', repo, '--format', 'json', '--schemas', join(root, 'schema', 'vendor')],
  1,
);
rmSync(work, { recursive: true, force: true });
