import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeAnswers } from '../src/answers/load.js';
import { validateAnswers } from '../src/answers/validate.js';
import { UserError } from '../src/errors.js';
import { generatePlatform } from '../src/generate.js';
import { formatProblem } from '../src/messages.js';
import { packageRoot } from '../src/paths.js';
import { checkConsistency } from '../src/validate/rules.js';
import { runCliAsync } from './support/cli.js';
import { tempDir } from './support/generate.js';

// Property-based test of the CLI's contract (issue 14): answers generated from the published JSON Schema (valid
// ones, and ones with hostile mutations), and arguments for every command. Either exit 0 with output that
// validates, or exit 1 (2 for a malformed command line) with every problem naming field, value and fix; never a
// stack trace; nothing written on an error. A fixed seed keeps CI reproducible; a failure prints its
// counterexample, which the seed replays.

const SEED = 20261130;
type Schema = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
};
const SCHEMA = JSON.parse(readFileSync(join(packageRoot, 'schema/answers.schema.json'), 'utf8')) as Schema;

/** Values a hostile user (or a typo) puts where an answer goes. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', ' ', '..', '.', '010.1.0.0/16', '10.0.0.300', '1.99.999', '../../x', '__proto__', '\u0000', 'é'),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 1100, maxLength: 1200 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern), { size: 'small' });
    } catch {
      // A pattern fast-check cannot generate from (look-arounds): filter plain strings instead.
      const re = new RegExp(schema.pattern);
      return fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }).filter((s) => re.test(s));
    }
  }
  return fc.string({ maxLength: 30 });
}

/** An arbitrary of the values a JSON Schema node allows; each leaf is sometimes swapped for a hostile value. */
function fromSchema(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const valid = ((): fc.Arbitrary<unknown> => {
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const union = schema.anyOf ?? schema.oneOf;
    if (union) return fc.oneof(...union.map((s) => fromSchema(s, depth)));
    switch (schema.type) {
      case 'object': {
        const props = Object.fromEntries(
          Object.entries(schema.properties ?? {}).map(([k, v]) => [k, fromSchema(v, depth + 1)]),
        );
        return fc.record(props, { requiredKeys: [] });
      }
      case 'array':
        return fc.array(fromSchema(schema.items ?? {}, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.max(schema.minItems ?? 0, 3),
        });
      case 'string':
        return stringFor(schema);
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000 });
      case 'number':
        return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000, noNaN: true });
      case 'boolean':
        return fc.boolean();
      default:
        return fc.jsonValue({ maxDepth: 1 });
    }
  })();
  // Leaves are replaced 1 time in 12; whole objects are left alone so most cases stay close to valid.
  return schema.type === 'object'
    ? valid
    : fc.oneof({ weight: 11, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

const answersArb = fc
  .tuple(
    fromSchema(SCHEMA) as fc.Arbitrary<Record<string, unknown>>,
    fc.option(fc.dictionary(fc.constantFrom('bogus', '__proto__', 'Organisation', 'x.y'), hostileValue), {
      freq: 8,
    }),
  )
  .map(([answers, extra]) => ({ ...answers, ...(extra ?? {}) }));

/** Every answer leaf of the schema with its node (list entries as index 0 and 1). */
function leaves(schema: Schema, path: string[] = []): [string[], Schema][] {
  if (schema.type === 'object' && schema.properties)
    return Object.entries(schema.properties).flatMap(([k, v]) => leaves(v, [...path, k]));
  if (schema.type === 'array' && schema.items?.type === 'object')
    return ['0', '1'].flatMap((i) => leaves(schema.items!, [...path, i]));
  return [[path, schema]];
}
const LEAVES = leaves(SCHEMA);

/** Near-valid answers: a preset (or the defaults) with one or two answers changed to values the schema allows. */
const nearValidArb = fc
  .tuple(
    fc.constantFrom(undefined, 'starter', 'enterprise', 'multicloud'),
    fc.array(
      fc.constantFrom(...LEAVES).chain(([path, schema]) => fromSchema(schema).map((value) => [path, value] as const)),
      { maxLength: 2 },
    ),
  )
  .map(([preset, changes]) => ({
    preset,
    sets: changes.map(
      ([path, value]) => `${path.join('.')}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
    ),
  }));

/** Problems must each name the field, show the value (bounded) and say how to fix it. */
function expectExplained(problems: { path: string; message: string; fix: string }[]) {
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(p.path, JSON.stringify(p)).toMatch(/\S/);
    expect(p.message, JSON.stringify(p)).toMatch(/\S/);
    expect(p.fix, JSON.stringify(p)).toMatch(/\S/);
  }
}

describe('property: answers from the published schema', () => {
  it('are accepted and render output the rules accept, or are refused with every problem explained', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        let result: ReturnType<typeof validateAnswers>;
        try {
          result = validateAnswers(composeAnswers({ file: answers as never }));
        } catch (error) {
          // composeAnswers refuses some shapes up front; that is a user error with a fix, never a crash.
          if (!(error instanceof UserError) && process.env.PROPERTY_DUMP)
            writeFileSync(process.env.PROPERTY_DUMP, `${(error as Error).stack}\n${JSON.stringify(answers)}`);
          expect(error).toBeInstanceOf(UserError);
          expect((error as Error).message).toMatch(/fix:/);
          return;
        }
        if (!result.ok) {
          expectExplained(result.problems.filter((p) => p.severity === 'error'));
          for (const p of result.problems) expect(formatProblem(p).length).toBeLessThan(1500);
          return;
        }
        const generation = generatePlatform(composeAnswers({ file: answers as never }), undefined);
        expect(generation.files.size).toBeGreaterThan(0);
        const errors = checkConsistency(generation.files).filter((f) => f.severity === 'error');
        expect(errors, JSON.stringify(errors)).toEqual([]);
      }),
      { seed: SEED, numRuns: 150, endOnFailure: true },
    );
    // Random answers are almost never valid together: the near-valid ones below exercise the accepted side.
  });

  it('near-valid answers (a preset with one or two changes) render output the rules accept, or say why not', () => {
    let accepted = 0;
    fc.assert(
      fc.property(nearValidArb, ({ preset, sets }) => {
        let input: ReturnType<typeof composeAnswers>;
        try {
          input = composeAnswers({ preset, sets });
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
          expect((error as Error).message).toMatch(/fix:/);
          return;
        }
        const result = validateAnswers(input);
        if (!result.ok) {
          expectExplained(result.problems.filter((p) => p.severity === 'error'));
          return;
        }
        accepted++;
        const generation = generatePlatform(input, preset);
        const errors = checkConsistency(generation.files).filter((f) => f.severity === 'error');
        expect(errors, JSON.stringify(errors)).toEqual([]);
      }),
      { seed: SEED, numRuns: 120, endOnFailure: true },
    );
    // The accepted side must really be exercised: most near-valid cases are valid.
    expect(accepted).toBeGreaterThan(30);
  });
});

const root = tempDir('aks-platform-property-');
let n = 0;

/** A command line for any command, from plausible to hostile. */
const argvArb: fc.Arbitrary<{ argv: (dir: string) => string[]; answers?: unknown; writes: boolean }> = fc.oneof(
  fc
    .record({
      answers: fc.option(answersArb, { freq: 3 }),
      preset: fc.option(fc.constantFrom('starter', 'enterprise', 'multicloud', 'nope', ''), { freq: 2 }),
      sets: fc.array(
        fc.tuple(
          fc.constantFrom(
            'organisation',
            'network.dnsServiceIp',
            'environments.0.name',
            'environments.7.name',
            'cluster.kubernetesVersion',
            'delivery.github.repo',
            'delivery.github.branch',
            '__proto__.x',
            'a..b',
          ),
          fc.oneof(fc.constantFrom('qa', '1.35', '172.16.0.10', '..', 'main'), fc.string({ maxLength: 12 })),
        ),
        { maxLength: 2 },
      ),
      dryRun: fc.boolean(),
      extra: fc.option(fc.constantFrom('--bogus', '--force', '--no-git', 'stray'), { freq: 3 }),
    })
    .map((r) => ({
      answers: r.answers ?? undefined,
      writes: !r.dryRun,
      argv: (dir: string) => [
        'new',
        join(dir, 'out'),
        '--yes',
        '--no-git',
        ...(r.answers ? ['--answers', join(dir, 'answers.json')] : []),
        ...(r.preset !== null ? ['--preset', r.preset] : []),
        ...r.sets.flatMap(([path, value]) => ['--set', `${path}=${value}`]),
        ...(r.dryRun ? ['--dry-run'] : []),
        ...(r.extra ? [r.extra] : []),
      ],
    })),
  fc
    .constantFrom(
      (dir: string) => ['validate', join(dir, 'missing')],
      (dir: string) => ['validate', dir, '--format', 'xml'],
      (dir: string) => ['validate', dir, '--bicep', join(dir, 'nope')],
      (dir: string) => ['upgrade', join(dir, 'missing')],
      (dir: string) => ['upgrade', dir, '--set', 'environments.99999999.name=qa'],
      (dir: string) => ['publish', join(dir, 'missing'), '--repo', 'contoso/..'],
      (dir: string) => ['publish', dir, '--repo', '../x'],
      (dir: string) => ['catalog', 'list', '--catalog', join(dir, 'missing')],
      (dir: string) => ['catalog', 'list', '--catalog', 'contoso/..'],
      (dir: string) => ['catalog', 'nope', '--catalog', dir],
      () => ['schema'],
      () => ['presets'],
      () => ['--version'],
      () => ['frobnicate'],
    )
    .map((argv) => ({ argv, writes: false })),
);

describe('property: every command keeps the contract', () => {
  it('exit 0, 1 or 2; no stack trace; a failing run writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(argvArb, async ({ argv, answers, writes }) => {
        const dir = join(root, `case-${++n}`);
        mkdirSync(dir);
        if (answers !== undefined) writeFileSync(join(dir, 'answers.json'), JSON.stringify(answers));
        const before = readdirSync(dir).sort();
        const run = await runCliAsync(argv(dir), dir, { AKS_PLATFORM_BICEP: join(dir, 'no-bicep') });
        expect([0, 1, 2], run.stderr).toContain(run.code);
        expect(run.stderr).not.toMatch(/internal error|\n\s+at \S+ \(|\n\s+at file:/);
        if (run.code !== 0) {
          expect(run.stderr, run.stderr).toMatch(/fix:|Usage|usage|--help/);
          expect(readdirSync(dir).sort()).toEqual(before);
        } else if (argv(dir)[0] === 'new' && !writes) {
          expect(existsSync(join(dir, 'out'))).toBe(false);
        }
      }),
      { seed: SEED, numRuns: 24 },
    );
  });
});
