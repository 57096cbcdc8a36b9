import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, runCliAsync } from './support/cli.js';
import { readTree, tempDir } from './support/generate.js';

// Hostile situations on disk (issue 14): every one ends with exit 1 and a message naming the path, the problem and
// the fix; never a stack trace, never a half-written or lost file.

const root = tempDir('aks-platform-hostile-cli-');
chmodSync(root, 0o755);
let n = 0;
const fresh = () => join(root, `case-${++n}`);
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

function noCrash(run: { code: number | null; stderr: string }) {
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(run.code).toBe(1);
}

/** Runs the bin as an unprivileged user (root ignores permissions, and CI runs as root). */
function runAsNobody(args: string[]) {
  const command = isRoot
    ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, BIN, ...args]
    : [process.execPath, BIN, ...args];
  const result = spawnSync(command[0]!, command.slice(1), { cwd: root, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function chownTree(path: string) {
  if (!isRoot) return;
  chownSync(path, NOBODY, NOBODY);
  for (const entry of readdirSync(path, { withFileTypes: true }))
    if (entry.isDirectory()) chownTree(join(path, entry.name));
    else chownSync(join(path, entry.name), NOBODY, NOBODY);
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

describe('new --force never loses work', () => {
  it('refuses to overwrite a file with uncommitted edits in a git repository, and changes nothing', () => {
    const dir = fresh();
    expect(runCli(['new', dir, '--yes'], root).code).toBe(0);
    appendFileSync(join(dir, 'README.md'), '\nMy own note.\n');
    const before = readTree(dir);
    const run = runCli(['new', dir, '--yes', '--force', '--set', 'platform=other'], root);
    noCrash(run);
    expect(run.stderr).toMatch(/uncommitted changes; nothing was written:\n {2}README\.md[\s\S]*fix: commit or stash/);
    expect(readTree(dir)).toEqual(before);
  });

  it('overwrites committed files (git keeps them), and saves replaced files outside git, saying where', () => {
    const inGit = fresh();
    expect(runCli(['new', inGit, '--yes'], root).code).toBe(0);
    const rerun = runCli(['new', inGit, '--yes', '--force', '--set', 'platform=other'], root);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/their previous versions are in git/);

    const plain = fresh();
    expect(runCli(['new', plain, '--yes', '--no-git'], root).code).toBe(0);
    appendFileSync(join(plain, 'README.md'), '\nMy own note.\n');
    const edited = readFileSync(join(plain, 'README.md'), 'utf8');
    const run = runCli(['new', plain, '--yes', '--no-git', '--force'], root);
    expect(run.code, run.stderr).toBe(0);
    const savedTo = /saved in (\S+)\.$/m.exec(run.stdout)?.[1];
    expect(savedTo).toBeDefined();
    expect(readFileSync(join(savedTo!, 'README.md'), 'utf8')).toBe(edited);
  });

  it('a read-only subfolder stops --force before anything is written', () => {
    const dir = fresh();
    expect(runCli(['new', dir, '--yes', '--no-git'], root).code).toBe(0);
    appendFileSync(join(dir, 'README.md'), '\nMine.\n');
    chownTree(dir);
    chmodSync(join(dir, 'infra/modules'), 0o555);
    const before = readTree(dir);
    const run = runAsNobody(['new', dir, '--yes', '--no-git', '--force', '--set', 'platform=other']);
    chmodSync(join(dir, 'infra/modules'), 0o755);
    noCrash(run);
    expect(run.stderr).toMatch(/infra\/modules.*permission denied[\s\S]*fix:/);
    expect(readTree(dir)).toEqual(before);
    expect(readdirSync(root).filter((name) => name.startsWith('.') && name.includes('.aks-platform-'))).toEqual([]);
  });
});

describe('targets that are the user situation, not a bug', () => {
  it('a dangling symbolic link as the target', () => {
    const link = fresh();
    symlinkSync(join(root, 'nowhere'), link);
    const run = runCli(['new', link, '--yes', '--no-git'], root);
    noCrash(run);
    expect(run.stderr).toMatch(/symbolic link to a folder that does not exist[\s\S]*fix:/);
  });

  it('a symbolic link to an empty folder is followed', () => {
    const real = fresh();
    mkdirSync(real);
    const link = fresh();
    symlinkSync(real, link);
    const run = runCli(['new', link, '--yes', '--no-git'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(real, 'README.md'))).toBe(true);
  });

  it('a read-only parent folder', () => {
    const parent = fresh();
    mkdirSync(parent, { mode: 0o555 });
    const run = runAsNobody(['new', join(parent, 'platform'), '--yes', '--no-git']);
    noCrash(run);
    expect(run.stderr).toMatch(/permission denied[\s\S]*fix:/);
  });

  it('a path under a file', () => {
    const file = fresh();
    writeFileSync(file, 'x');
    const run = runCli(['new', join(file, 'platform'), '--yes', '--no-git'], root);
    noCrash(run);
    expect(run.stderr).toMatch(/fix:/);
  });

  it('two concurrent runs into one folder: one writes it, the other says so', async () => {
    const dir = fresh();
    const runs = await Promise.all([
      runCliAsync(['new', dir, '--yes'], root),
      runCliAsync(['new', dir, '--yes'], root),
    ]);
    expect(runs.map((r) => r.code).sort()).toEqual([0, 1]);
    const loser = runs.find((r) => r.code === 1)!;
    noCrash(loser);
    expect(loser.stderr).toMatch(/(already exists|not empty)[\s\S]*fix:/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(readdirSync(root).filter((name) => name.startsWith('.') && name.includes('.aks-platform-'))).toEqual([]);
  });

  it('SIGTERM while new is writing leaves no staging folder and no half-written target', async () => {
    const dir = fresh();
    const child = spawn(process.execPath, [BIN, 'new', dir, '--preset', 'enterprise', '--yes'], { cwd: root });
    const staged = () => readdirSync(root).filter((name) => name.startsWith(`.case-${n}.aks-platform-`));
    for (let i = 0; i < 400 && staged().length === 0 && child.exitCode === null; i++)
      await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    await new Promise((r) => child.on('close', r));
    expect(staged()).toEqual([]);
    // Either nothing, or the complete repository (the rename into place is one step).
    if (existsSync(dir)) expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

describe('inputs read through the bounded reader', () => {
  it.each([
    ['--answers /dev/zero', ['new', 'x', '--answers', '/dev/zero', '--yes', '--dry-run'], /larger than 1 MiB/],
    ['--catalog /dev/zero', ['catalog', 'list', '--catalog', '/dev/zero'], /larger than 1 MiB/],
    ['--answers a folder', ['new', 'x', '--answers', '.', '--yes', '--dry-run'], /is a folder/],
  ])('%s is refused quickly, naming the path', (_, args, message) => {
    const started = Date.now();
    const run = runCli(args, root);
    noCrash(run);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/fix:/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('an answers FIFO that never ends is cut at the cap; one that ends is read', async () => {
    const endless = join(root, 'endless.fifo');
    execFileSync('mkfifo', [endless]);
    const writer = spawn('sh', ['-c', `yes 'organisation: contoso' > ${endless}`], { stdio: 'ignore' });
    const run = await runCliAsync(['new', fresh(), '--answers', endless, '--yes', '--dry-run'], root);
    writer.kill();
    noCrash(run);
    expect(run.stderr).toMatch(/larger than 1 MiB/);

    const fifo = join(root, 'answers.fifo');
    execFileSync('mkfifo', [fifo]);
    const once = spawn('sh', ['-c', `printf 'organisation: fabrikam\\n' > ${fifo}`], { stdio: 'ignore' });
    const ok = await runCliAsync(['new', fresh(), '--answers', fifo, '--yes', '--dry-run'], root);
    once.kill();
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('an unreadable answers file names the path and the problem', () => {
    const file = join(root, 'secret.yaml');
    writeFileSync(file, 'organisation: contoso\n', { mode: 0o000 });
    const run = runAsNobody(['new', fresh(), '--answers', file, '--yes', '--dry-run']);
    noCrash(run);
    expect(run.stderr).toContain(`--answers ${file}: permission denied`);
  });
});
