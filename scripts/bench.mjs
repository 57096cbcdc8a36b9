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

// Render time as the organisation grows: linear in teams (a folder pass once scanned every file per folder).
console.log('\nIn-process render by number of teams (one run each):');
for (const teams of [100, 1000, 3000]) {
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
rmSync(work, { recursive: true, force: true });
