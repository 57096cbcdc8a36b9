// Prints the speed figures of the brief: in-process render per preset, cold `aks-platform new --yes`, peak RSS.
// Figures, not assertions: machines differ, so nothing here fails on a number.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
for (const preset of [undefined, 'starter', 'enterprise', 'multicloud']) {
  const times = [];
  let files = 0;
  for (let i = 0; i < 35; i++) {
    const t = performance.now();
    files = generatePlatform(composeAnswers({ preset }), preset).files.size;
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
rmSync(work, { recursive: true, force: true });
