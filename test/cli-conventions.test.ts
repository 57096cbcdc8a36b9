import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, HELP_WIDTH } from '../src/cli/usage.js';
import { packageRoot } from '../src/paths.js';
import { runCli } from './support/cli.js';
import { tempDir } from './support/generate.js';
import { missingTool } from './support/tools.js';

// The command-line conventions a person relies on without reading anything: --help everywhere, exit 2 for a wrong
// command line, JSON where a script reads, colour only when wanted, help that fits a terminal, completions.

const root = tempDir();
const catalog = join(packageRoot, 'test/fixtures/catalog');
const noColor = { NO_COLOR: '', FORCE_COLOR: '' };
const plainEnv = (env: Record<string, string>) => {
  const out = { ...process.env, ...env } as Record<string, string | undefined>;
  for (const key of ['NO_COLOR', 'FORCE_COLOR']) if (!(key in env)) delete out[key];
  return out as Record<string, string>;
};
const cli = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [join(packageRoot, 'dist/cli.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: plainEnv(env),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

describe('--help', () => {
  it.each(COMMANDS.map((c) => c.name))('%s --help prints its own usage on stdout and exits 0', (name) => {
    for (const flag of ['--help', '-h']) {
      const run = runCli([name, flag], root);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(new RegExp(`^Usage: aks-platform ${name}\\b`));
      expect(widest(run.stdout)).toBeLessThanOrEqual(HELP_WIDTH);
    }
    // help <command> is the same page.
    expect(runCli(['help', name], root).stdout).toBe(runCli([name, '--help'], root).stdout);
  });

  it('a command --help wins over its other arguments and does nothing else', () => {
    const run = runCli(['new', join(root, 'never'), '--yes', '--help'], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: aks-platform new/);
    expect(spawnSync('test', ['-e', join(root, 'never')]).status).toBe(1);
  });

  it('the global help lists every command and fits 80 columns', () => {
    const run = runCli(['--help'], root);
    expect(run.code).toBe(0);
    for (const c of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^ {2}${c.name} `, 'm'));
    expect(widest(run.stdout)).toBeLessThanOrEqual(HELP_WIDTH);
  });
});

describe('usage errors exit 2', () => {
  it('no arguments prints the help on stderr', () => {
    const run = runCli([], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: aks-platform <command>/m);
  });

  it.each([
    [['bogus'], /unknown command "bogus"/],
    [['new'], /missing the target directory/],
    [['new', 'a', 'b', '--yes'], /unexpected argument "b"/],
    [['new', 'a', '--bogus'], /aks-platform new: Unknown option '--bogus'.*\n {2}fix: run aks-platform new --help/],
    [['validate', '--format', 'xml'], /--format xml is not known/],
    [['catalog'], /which subcommand\?/],
    [['catalog', 'list'], /--catalog .* is required/],
    [['completion', 'tcsh'], /"tcsh" is not a shell/],
    [['upgrade'], /which repository\?/],
    [['publish'], /missing the directory/],
    [['presets', '--yaml'], /Unknown option '--yaml'/],
  ])('%j', (args, message) => {
    const run = runCli(args, root);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
  });
});

describe('--json', () => {
  it('presets --json is the list with descriptions', () => {
    const run = runCli(['presets', '--json'], root);
    expect(run.code).toBe(0);
    const presets = JSON.parse(run.stdout) as { name: string; description: string }[];
    expect(presets.map((p) => p.name)).toEqual(['starter', 'enterprise', 'multicloud']);
    expect(presets.every((p) => p.description.length > 0)).toBe(true);
  });

  it('catalog list --json is the templates with their locked answers', () => {
    const run = runCli(['catalog', 'list', '--catalog', catalog, '--json'], root);
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout) as { source: string; templates: { name: string; locked: string[] }[] };
    expect(listed.source).toBe(catalog);
    expect(listed.templates.length).toBeGreaterThan(0);
    expect(listed.templates.every((t) => Array.isArray(t.locked))).toBe(true);
    expect(runCli(['catalog', 'list', '--catalog', catalog], root).stdout).toContain(listed.templates[0]!.name);
  });
});

describe('colour', () => {
  it('FORCE_COLOR colours the help, NO_COLOR and a pipe do not', () => {
    expect(cli(['--help'], { FORCE_COLOR: '1' }).stdout).toContain('\x1b[1mUsage:');
    expect(cli(['--help'], { NO_COLOR: '1' }).stdout).not.toContain('\x1b[');
    expect(cli(['--help']).stdout).not.toContain('\x1b[');
    expect(cli(['--help'], { FORCE_COLOR: '0' }).stdout).not.toContain('\x1b[');
    expect(cli(['new', '--help'], { ...noColor, FORCE_COLOR: '1' }).stdout).toContain('\x1b[1mOptions:');
  });
});

const hasBash = spawnSync('bash', ['--version']).status === 0;

describe('completion', () => {
  it.skipIf(!hasBash && missingTool('bash', 'apt-get install bash'))(
    'bash completes commands, options and option values',
    () => {
      const script = runCli(['completion', 'bash'], root).stdout;
      const complete = (words: string[]) =>
        spawnSync(
          'bash',
          [
            '-c',
            `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _aks_platform; printf '%s\\n' "\${COMPREPLY[@]}"`,
          ],
          { encoding: 'utf8', cwd: root },
        ).stdout.trim();
      expect(complete(['aks-platform', 'va'])).toBe('validate');
      expect(complete(['aks-platform', 'new', 'x', '--pre'])).toBe('--preset');
      expect(complete(['aks-platform', 'new', 'x', '--preset', 'ent'])).toBe('enterprise');
      expect(complete(['aks-platform', 'catalog', 'b'])).toBe('backstage');
      expect(complete(['aks-platform', 'validate', '--format', ''])).toBe('text\njson');
    },
  );

  for (const shell of ['zsh', 'fish'] as const) {
    const present = spawnSync(shell, ['--version']).status === 0;
    it.skipIf(!present && missingTool(shell, `apt-get install ${shell}`))(`${shell} script parses`, () => {
      const script = runCli(['completion', shell], root).stdout;
      expect(script).toContain('aks-platform');
      const file = join(root, `completion.${shell}`);
      writeFileSync(file, script);
      const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
      if (shell === 'fish') {
        const complete = (line: string) =>
          spawnSync('fish', ['--no-config', '-c', `source ${file}; complete -C '${line}'`], { encoding: 'utf8' })
            .stdout.split('\n')
            .map((l) => l.split('\t')[0]);
        expect(complete('aks-platform va')).toContain('validate');
        expect(complete('aks-platform new x --pre')).toContain('--preset');
        expect(complete('aks-platform new x --preset ')).toEqual(expect.arrayContaining(['starter', 'enterprise']));
      }
    });
  }
});
