import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './support/cli.js';
import { tempDir } from './support/generate.js';
import { commandMissing } from './support/tools.js';

// A person at a real terminal: tmux runs the CLI, we read the screen and type answers.

const skip = commandMissing('tmux', ['-V'], 'apt-get install tmux');

function tmux(args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skip)('aks-platform new in a terminal', () => {
  it('asks grouped questions, shows a summary, confirms and writes', async () => {
    const root = tempDir();
    const dir = join(root, 'interactive');
    const session = `aks-${process.pid}`;
    const answers: Record<string, string> = {
      'Platform name': 'lab',
      'Environment names (comma-separated)': 'dev,prod',
      'Team names (comma-separated, may be empty)': 'payments',
    };
    const typed = new Set<string>();
    tmux([
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '200',
      '-y',
      '50',
      `${process.execPath} ${BIN} new ${dir}; echo EXIT=$?; sleep 30`,
    ]);
    let screen = '';
    try {
      const deadline = Date.now() + 60_000;
      let lastPrompt = '';
      let samePromptSince = Date.now();
      while (Date.now() < deadline) {
        await sleep(150);
        screen = tmux(['capture-pane', '-p', '-t', session, '-S', '-200']);
        if (/EXIT=\d+/.test(screen)) break;
        const prompts = screen.split('\n').filter((line) => line.startsWith('? '));
        const current = prompts[prompts.length - 1];
        if (!current) continue;
        // A prompt is answered once; wait until inquirer has redrawn it before acting again.
        if (current === lastPrompt && Date.now() - samePromptSince < 400) continue;
        lastPrompt = current;
        samePromptSince = Date.now();
        const message = Object.keys(answers).find((m) => current.startsWith(`? ${m}`) && !typed.has(m));
        if (message) {
          typed.add(message);
          tmux(['send-keys', '-t', session, 'C-u']);
          tmux(['send-keys', '-t', session, '-l', answers[message]!]);
        }
        tmux(['send-keys', '-t', session, 'Enter']);
      }
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
    expect(screen).toMatch(/EXIT=0/);
    expect(screen).toContain('Landing zone');
    expect(screen).toContain('Your choices:');
    expect(screen).toMatch(/Write \d+ files into/);
    expect([...typed]).toEqual(Object.keys(answers));
    expect(existsSync(join(dir, '.git'))).toBe(true);
    const stored = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-aks-platform'].answers;
    expect(stored.platform).toBe('lab');
    expect(stored.teams.map((t: { name: string }) => t.name)).toEqual(['payments']);
  });
});
