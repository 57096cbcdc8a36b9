import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { packageRoot } from '../src/paths.js';
import { BIN } from './support/cli.js';
import { tempDir } from './support/generate.js';
import { missingTool } from './support/tools.js';

// A person at a real terminal: tmux runs the CLI, we read the screen and type answers.

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const skip = !hasTmux && missingTool('tmux', 'apt-get install tmux');

function tmux(args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What to type at a prompt: literal text then Enter, a key name (tmux send-keys) alone, or Enter for undefined. */
type Reply = { text: string } | { key: string } | undefined;

/**
 * Runs `aks-platform <args>` in a tmux session and answers each new `? ` prompt with `reply(prompt, count)`, where
 * count says how often that prompt has been seen (a re-asked question is seen twice). Returns the whole screen.
 */
async function drive(
  args: string[],
  reply: (prompt: string, count: number) => Reply,
  program = `'${process.execPath}' '${BIN}'`,
): Promise<string> {
  const session = `aks-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const command = [program, ...args.map((a) => `'${a}'`)].join(' ');
  tmux(['new-session', '-d', '-s', session, '-x', '200', '-y', '50', `${command}; echo EXIT=$?; sleep 30`]);
  let screen = '';
  const seen = new Map<string, number>();
  try {
    const deadline = Date.now() + 90_000;
    let answeredWhenActed = -1;
    while (Date.now() < deadline) {
      await sleep(150);
      screen = tmux(['capture-pane', '-p', '-t', session, '-S', '-2000']);
      if (/EXIT=\d+/.test(screen)) break;
      // Every answered prompt is redrawn starting with ✔; act once per answer, on the open prompt below them.
      const lines = screen.split('\n');
      const answered = lines.filter((line) => line.startsWith('✔')).length;
      const open = lines.findLastIndex((line) => line.startsWith('? '));
      if (open < 0 || answered === answeredWhenActed) continue;
      if (open < lines.findLastIndex((line) => line.startsWith('✔'))) continue;
      const current = lines[open]!;
      await sleep(100);
      answeredWhenActed = answered;
      const message = current.slice(2).split(/[?:(]/)[0]!.trim();
      seen.set(message, (seen.get(message) ?? 0) + 1);
      const answer = reply(current, seen.get(message)!);
      if (answer && 'key' in answer) {
        tmux(['send-keys', '-t', session, answer.key]);
        continue;
      }
      if (answer) {
        tmux(['send-keys', '-t', session, 'C-u']);
        tmux(['send-keys', '-t', session, '-l', answer.text]);
      }
      tmux(['send-keys', '-t', session, 'Enter']);
    }
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
  return screen;
}

describe.skipIf(skip)('aks-platform new in a terminal', () => {
  it('asks grouped questions, first topic header included, shows a summary, confirms and writes', async () => {
    const dir = join(tempDir(), 'interactive');
    const answers: Record<string, string> = {
      'Platform name': 'lab',
      'Environment names (comma-separated)': 'dev,prod',
      'Team names (comma-separated, may be empty)': 'payments',
    };
    const typed = new Set<string>();
    const screen = await drive(['new', dir], (prompt) => {
      const message = Object.keys(answers).find((m) => prompt.startsWith(`? ${m}`) && !typed.has(m));
      if (!message) return undefined;
      typed.add(message);
      return { text: answers[message]! };
    });
    expect(screen).toMatch(/EXIT=0/);
    // The first topic has its header too, and the hub is asked before the spoke ranges that must not overlap it.
    expect(screen).toMatch(/^Platform$/m);
    expect(screen.indexOf('Landing zone')).toBeLessThan(screen.indexOf('Spoke address space'));
    expect(screen).toContain('Maintenance UTC offset');
    expect(screen).toContain('Your choices:');
    expect(screen).toMatch(/Write \d+ files into/);
    expect([...typed]).toEqual(Object.keys(answers));
    expect(existsSync(join(dir, '.git'))).toBe(true);
    const stored = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-aks-platform'].answers;
    expect(stored.platform).toBe('lab');
    expect(stored.teams.map((t: { name: string }) => t.name)).toEqual(['payments']);
  });

  it('a bad answer is asked again within its topic, and a topic takes its defaults with one key', async () => {
    const dir = join(tempDir(), 'reasked');
    const screen = await drive(['new', dir, '--no-git'], (prompt, count) => {
      // dev keeps its default 10.1.0.0/16; prod's first answer overlaps it, its second does not.
      if (prompt.startsWith('? Spoke address space') && count === 2) return { text: '10.1.0.0/16' };
      if (prompt.startsWith('? Spoke address space') && count === 3) return { text: '10.9.0.0/16' };
      if (prompt.startsWith('? Observability:')) return { key: 'd' };
      return undefined;
    });
    if (process.env.SHOW_SCREEN) console.log(screen);
    expect(screen).toMatch(/EXIT=0/);
    const prod = screen.slice(screen.indexOf('\nEnvironment prod'), screen.indexOf('\nCluster'));
    expect(prod).toContain('These answers do not fit together yet');
    expect(prod).toContain('environments.1.addressSpace = "10.1.0.0/16": overlaps environments.0.addressSpace');
    expect(prod.match(/^\? Spoke address space|^✔ Spoke address space/gm)).toHaveLength(2);
    // One key took Observability's defaults: none of its questions was shown.
    const observability = screen.slice(screen.indexOf('\nObservability'), screen.indexOf('\nDelivery'));
    expect(observability).toContain('the defaults of this topic are taken');
    expect(observability).not.toMatch(/^\? Observability stack/m);
    const stored = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-aks-platform'].answers;
    expect(stored.environments[1].addressSpace).toBe('10.9.0.0/16');
  });

  it('Ctrl-C ends quietly with 130, keeps the answers so far and prints the command that resumes', async () => {
    const root = tempDir();
    const dir = join(root, 'cancelled');
    const screen = await drive(['new', dir], (prompt) => {
      if (prompt.startsWith('? Platform name')) return { text: 'halfway' };
      if (prompt.startsWith('? Network plugin')) return { key: 'C-c' };
      return undefined;
    });
    expect(screen).toMatch(/EXIT=130/);
    expect(screen).toContain('Cancelled; nothing was written.');
    expect(screen).not.toMatch(/internal error|at .*\.m?js:\d+/);
    expect(existsSync(dir)).toBe(false);
    const file = `${dir}.answers.yaml`;
    expect(screen).toContain(`resume: aks-platform new ${dir} --answers ${file}`);
    expect(parseYaml(readFileSync(file, 'utf8')).platform).toBe('halfway');
  });
});

describe.skipIf(skip)('yo aks-platform in a terminal', () => {
  /**
   * `yo` as a user runs it: it finds the generator in node_modules, keeps its settings in a HOME of its own, and, run
   * by root (as CI is), drops to an unprivileged user, so the folders it writes to are open to everyone.
   */
  function yo(): { root: string; program: string } {
    const root = tempDir();
    mkdirSync(join(root, 'node_modules'));
    mkdirSync(join(root, 'home'));
    symlinkSync(packageRoot, join(root, 'node_modules/generator-aks-platform'));
    for (const dir of [root, join(root, 'home')]) chmodSync(dir, 0o777);
    const bin = join(packageRoot, 'node_modules/.bin/yo');
    return { root, program: `cd '${root}' && HOME='${root}/home' NO_UPDATE_NOTIFIER=1 '${bin}' aks-platform` };
  }

  it('shows help lines, and Ctrl-C ends quietly with 130, writes nothing and keeps the answers with the yo command', async () => {
    const { root, program } = yo();
    const dir = join(root, 'cancelled');
    const screen = await drive(
      [dir, '--no-insight'],
      (prompt) => {
        if (prompt.startsWith('? Organisation short name')) return { text: 'halfway' };
        if (prompt.startsWith('? Production?')) return { key: 'C-c' };
        return undefined;
      },
      program,
    );
    if (process.env.SHOW_SCREEN) console.log(screen);
    expect(screen).toMatch(/EXIT=130/);
    // The question's help is shown above it, as the CLI shows it.
    expect(screen).toMatch(
      /^Used in globally unique names \(Key Vault, container registry\).*\n. Organisation short name/m,
    );
    expect(screen).toContain('Cancelled; nothing was written.');
    expect(screen).not.toMatch(/force closed|internal error|at .*\.m?js:\d+/);
    expect(existsSync(dir)).toBe(false);
    const file = `${dir}.answers.yaml`;
    expect(screen).toContain(`resume: yo aks-platform ${dir} --answers ${file}`);
    expect(parseYaml(readFileSync(file, 'utf8')).organisation).toBe('halfway');
  });
});
