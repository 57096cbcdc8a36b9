import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';

// The import graph of src/ and generators/, read from the source: each area may import only the areas below it
// (answers -> plan -> render -> write/validate/upgrade/publish -> cli; generators beside cli), and no area has an
// import cycle. Type-only imports count: a type shared upward is a dependency all the same.

type Area =
  | 'base'
  | 'answers'
  | 'plan'
  | 'render'
  | 'catalog'
  | 'bicep'
  | 'resource-plan'
  | 'core'
  | 'write'
  | 'validate'
  | 'github'
  | 'upgrade'
  | 'cli'
  | 'generators';

/** The area of a source file (a path relative to the package root, with forward slashes). */
function areaOf(file: string): Area {
  if (file.startsWith('generators/')) return 'generators';
  const [, first] = file.split('/');
  if (first === 'generate.ts') return 'core';
  if (first === 'util' || first === 'azure' || first?.endsWith('.ts')) return 'base';
  return first as Area;
}

const BELOW_RENDER: Area[] = ['plan', 'answers', 'base'];

/** What the two top areas, the CLI and the Yeoman generators, may import: everything but each other. */
const BELOW_TOP: Area[] = [
  'core',
  'upgrade',
  'github',
  'validate',
  'write',
  'render',
  'catalog',
  'bicep',
  'resource-plan',
  ...BELOW_RENDER,
];

/** What each area may import besides itself. */
const ALLOWED: Record<Area, readonly Area[]> = {
  base: [],
  answers: ['base'],
  plan: ['answers', 'base'],
  render: BELOW_RENDER,
  catalog: ['answers', 'base'],
  // The Bicep CLI driver, and the resource-level plan over its snapshots: tools, not part of the answers' flow.
  bicep: ['base'],
  'resource-plan': ['bicep', 'base'],
  core: ['render', 'catalog', ...BELOW_RENDER],
  write: ['render', 'base'],
  validate: ['bicep', 'render', ...BELOW_RENDER],
  github: ['write', ...BELOW_RENDER],
  upgrade: ['core', 'github', 'write', 'validate', 'render', 'catalog', 'bicep', 'resource-plan', ...BELOW_RENDER],
  cli: BELOW_TOP,
  generators: BELOW_TOP,
};

/**
 * Type-only imports the base files (messages, errors) take from above: the wording of a problem or an omission
 * needs its shape. They carry no code, so they cannot close a cycle at run time.
 */
const BASE_TYPE_IMPORTS = new Set([
  'src/messages.ts -> src/answers/validate.ts',
  'src/messages.ts -> src/plan/index.ts',
  'src/errors.ts -> src/answers/validate.ts',
]);

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/gm;

/** Every relative import between source files, static or dynamic. */
function importGraph(root = packageRoot): Edge[] {
  const files = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'generators'))];
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(IMPORT)].map((m) => {
      const target = resolve(dirname(file), (m[3] ?? m[4] ?? '').replace(/\.js$/, '.ts'));
      const rel = (p: string) => relative(root, p).split(sep).join('/');
      return { from: rel(file), to: rel(target), typeOnly: m[2] !== undefined };
    });
  });
}

/** Imports that go up the layers. */
function layerViolations(edges: readonly Edge[]): string[] {
  return edges
    .filter(({ from, to, typeOnly }) => {
      const a = areaOf(from);
      const b = areaOf(to);
      if (a === b || ALLOWED[a].includes(b)) return false;
      return !(typeOnly && BASE_TYPE_IMPORTS.has(`${from} -> ${to}`));
    })
    .map(({ from, to }) => `${from} (${areaOf(from)}) imports ${to} (${areaOf(to)})`);
}

/**
 * The render files that reach the answers: by importing src/answers, or by taking the AnsweredPlan. Renderers take the
 * Plan, whose type holds no answers (so `plan.answers` does not compile); only the metadata area records them.
 */
function answerReaders(edges: readonly Edge[], text: (file: string) => string): string[] {
  const files = [...new Set(edges.filter((e) => areaOf(e.from) === 'render').map((e) => e.from))];
  return files
    .filter((f) => edges.some((e) => e.from === f && areaOf(e.to) === 'answers') || /\bAnsweredPlan\b/.test(text(f)))
    .sort();
}

/** The import cycles among the given files, each as the list of files around it. */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const found = new Map<string, string[]>();
  const visit = (file: string, stack: string[]) => {
    const at = stack.indexOf(file);
    if (at !== -1) {
      const cycle = stack.slice(at);
      const key = [...cycle].sort().join(' ');
      if (!found.has(key)) found.set(key, cycle);
      return;
    }
    if (visited.has(file)) return;
    for (const target of next.get(file) ?? []) visit(target, [...stack, file]);
    visited.add(file);
  };
  const visited = new Set<string>();
  for (const file of next.keys()) visit(file, []);
  return [...found.values()];
}

describe('architecture: the import graph', () => {
  const edges = importGraph();

  it('reads the imports (a sanity check of the reader)', () => {
    expect(edges.some((e) => e.from === 'src/generate.ts' && e.to === 'src/plan/index.ts')).toBe(true);
    expect(edges.some((e) => e.from === 'src/cli/main.ts' && e.to === 'src/cli/commands/new.ts')).toBe(true);
  });

  it('no lower layer imports a higher one', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('no import cycles', () => {
    expect(cycles(edges).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('renderers read the plan, not the answers: only the metadata area and the list that runs it take the AnsweredPlan', () => {
    const read = (file: string) => readFileSync(join(packageRoot, file), 'utf8');
    expect(answerReaders(edges, read)).toEqual(['src/render/index.ts', 'src/render/meta.ts']);
  });

  it('the checks see a violation and a cycle', () => {
    const planToRender = { from: 'src/plan/index.ts', to: 'src/render/index.ts', typeOnly: false };
    expect(layerViolations([planToRender])).toEqual(['src/plan/index.ts (plan) imports src/render/index.ts (render)']);
    const loop = [
      { from: 'src/cli/main.ts', to: 'src/cli/commands/new.ts', typeOnly: false },
      { from: 'src/cli/commands/new.ts', to: 'src/cli/main.ts', typeOnly: true },
    ];
    expect(cycles(loop)).toHaveLength(1);
    const reader = [
      { from: 'src/render/docs/index.ts', to: 'src/answers/schema.ts', typeOnly: true },
      { from: 'src/render/gitops/index.ts', to: 'src/plan/index.ts', typeOnly: true },
    ];
    const text = (file: string) => (file === 'src/render/gitops/index.ts' ? 'render(plan: AnsweredPlan)' : '');
    expect(answerReaders(reader, text)).toEqual(['src/render/docs/index.ts', 'src/render/gitops/index.ts']);
  });
});
