import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeAnswers } from '../../src/answers/load.js';
import { commitMessage } from '../../src/write/git.js';
import { runUpgrade } from '../../src/cli/commands/upgrade.js';
import { generatePlatform } from '../../src/generate.js';
import type { AnsweredPlan } from '../../src/plan/index.js';
import { AREAS, type OutputArea } from '../../src/render/index.js';
import { writeRepository } from '../../src/write/index.js';
import { readTree } from './generate.js';

const IDENTITY = [
  '-c',
  'user.name=Platform Team',
  '-c',
  'user.email=platform@example.com',
  '-c',
  'commit.gpgsign=false',
];

export function git(dir: string, args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `aks-platform new <dir> --yes` through the core: files on main, the same commit on aks-platform/generated. */
export function generateRepo(dir: string, sets: string[] = []): void {
  const generation = generatePlatform(composeAnswers({ sets }));
  writeRepository(dir, generation.files, { force: false, git: true, commitMessage: commitMessage() });
}

/** The team's edits, committed on its branch. */
export function userEdits(
  dir: string,
  edits: Record<string, ((content: string) => string) | null>,
  message = 'Team edits',
): void {
  for (const [path, edit] of Object.entries(edits)) {
    const file = join(dir, path);
    if (edit === null) rmSync(file);
    else writeFileSync(file, edit(existsSync(file) ? readFileSync(file, 'utf8') : ''));
  }
  git(dir, ['add', '-A']);
  git(dir, [...IDENTITY, 'commit', '-q', '-m', message]);
}

/**
 * "Generator version N+1": the real output areas with some files rewritten (a function), dropped (null) and some added.
 * Nothing in production code knows about it; it reaches the upgrade through runUpgrade's internal parameter.
 */
export function newerGenerator(
  changes: Record<string, ((content: string) => string) | null>,
  added: Record<string, string> = {},
): OutputArea<AnsweredPlan>[] {
  const wrapped = AREAS.map(
    (area): OutputArea<AnsweredPlan> => ({
      name: area.name,
      *render(plan, emitted) {
        for (const [path, content] of area.render(plan, emitted)) {
          const change = changes[path];
          if (change === null) continue;
          yield [path, change ? change(content) : content] as const;
        }
      },
    }),
  );
  return [
    ...wrapped,
    {
      name: 'next-version',
      *render() {
        yield* Object.entries(added);
      },
    },
  ];
}

export async function upgrade(args: string[], areas?: readonly OutputArea<AnsweredPlan>[], env?: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), interactive: false };
  let code: number;
  try {
    code = await runUpgrade(args, io, { ...(areas ? { areas } : {}), ...(env ? { env } : {}) });
  } catch (error) {
    err.push((error as Error).message);
    code = (error as Error).name === 'UserError' ? 1 : 70;
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Everything a dry run must leave alone: files, index, status, every ref, HEAD, config, object count. */
export function snapshot(dir: string) {
  return {
    files: readTree(dir),
    index: git(dir, ['ls-files', '-s', '--debug']),
    status: git(dir, ['status', '--porcelain', '--untracked-files=all']),
    refs: git(dir, ['for-each-ref', '--format=%(refname) %(objectname)']),
    head: `${git(dir, ['symbolic-ref', 'HEAD'])}${git(dir, ['rev-parse', 'HEAD'])}`,
    config: readFileSync(join(dir, '.git/config'), 'utf8'),
    objects: git(dir, ['count-objects', '-v']),
    attributes: existsSync(join(dir, '.git/info/attributes'))
      ? readFileSync(join(dir, '.git/info/attributes'), 'utf8')
      : '',
  };
}

/** The outcome the summary table reports for a file. */
export function outcomeOf(stdout: string, path: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.trimEnd().endsWith(`  ${path}`));
  return line?.trim().slice(0, -path.length).trim();
}

// The rendered output changes as the generator grows, so the scenarios pick their files and lines from what the
// current generator renders instead of naming them.

export interface ScalarLine {
  index: number;
  indent: number;
  key: string;
  value: string;
}

const IDENTITY_KEYS = new Set(['apiVersion', 'kind', 'name', 'namespace']);

/** `key: scalar` lines of a YAML text that are not inside a sequence item, nor part of an object's identity. */
export function scalarLines(text: string): ScalarLine[] {
  const lines = text.split('\n');
  const found: ScalarLine[] = [];
  lines.forEach((line, index) => {
    const match = /^( +)([A-Za-z][\w.-]*): ([^\s#&*!|>{[][^#]*)$/.exec(line);
    if (!match || IDENTITY_KEYS.has(match[2]!) || line.trimStart().startsWith('-')) return;
    let threshold = match[1]!.length;
    for (let j = index - 1; j >= 0 && threshold > 0; j--) {
      const above = lines[j]!;
      if (above.trim() === '' || above.trimStart().startsWith('#')) continue;
      const indent = above.length - above.trimStart().length;
      if (indent >= threshold) continue;
      if (above.trimStart().startsWith('-') || above.trimStart().startsWith('---')) return;
      threshold = indent;
    }
    if (lines.slice(0, index).some((l) => l.startsWith('---'))) return; // first document only
    found.push({ index, indent: match[1]!.length, key: match[2]!, value: match[3]! });
  });
  return found;
}

/** Two scalar keys of the same mapping on adjacent lines, plus a scalar line at least 3 lines from both, if any. */
export function yamlTarget(text: string): { a: ScalarLine; b: ScalarLine; far: ScalarLine | undefined } | undefined {
  const lines = scalarLines(text);
  for (let k = 0; k + 1 < lines.length; k++) {
    const a = lines[k]!;
    const b = lines[k + 1]!;
    if (b.index !== a.index + 1 || b.indent !== a.indent) continue;
    const far = lines.find((l) => Math.abs(l.index - a.index) >= 3 && Math.abs(l.index - b.index) >= 3);
    return { a, b, far };
  }
  return undefined;
}

/** An edit that sets the value of the scalar line `line` (checked to be still there). */
export function setScalar(line: ScalarLine, value: string): (content: string) => string {
  return (content) => {
    const lines = content.split('\n');
    const current = lines[line.index];
    if (current === undefined || !current.startsWith(`${' '.repeat(line.indent)}${line.key}: `))
      throw new Error(`test setup: line ${line.index} is not ${line.key}`);
    lines[line.index] = `${' '.repeat(line.indent)}${line.key}: ${value}`;
    return lines.join('\n');
  };
}

export const scalar = (line: ScalarLine, value: string) => `${' '.repeat(line.indent)}${line.key}: ${value}\n`;

/** Sequential edits of one file. */
export const both =
  (...edits: ((content: string) => string)[]) =>
  (content: string) =>
    edits.reduce((text, edit) => edit(text), content);

/** The first line of a file replaced (a Markdown title). */
export const firstLine = (text: string) => (content: string) => content.replace(/^[^\n]*/, text);

/** The first generated YAML file (outside .github) with two adjacent scalar keys of one mapping. */
export function firstYamlTarget(files: Map<string, string>) {
  for (const [path, content] of files) {
    if (!/\.ya?ml$/.test(path) || path.startsWith('.github/')) continue;
    const target = yamlTarget(content);
    if (target) return { path, target };
  }
  throw new Error('test setup: no YAML file with two adjacent scalar keys');
}
