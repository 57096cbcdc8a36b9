import {
  AUTOMATIC_FIXED_ANSWERS,
  AUTOMATIC_IGNORED_ANSWERS,
  AUTOMATIC_REGIONS,
  AUTOMATIC_REGIONS_SOURCE,
} from '../azure/aks-automatic.js';
import { getAtPath, setAtPath, type Json, type JsonObject } from './merge.js';
import { answersSchema, type Answers } from './schema.js';
import { isDeepStrictEqual } from 'node:util';

// The one place the Automatic SKU changes answers: what it fixes is applied here, before the plan, so every later
// decision (subnets, channels, pools, identities) sees one consistent set of answers. The contract is
// src/azure/aks-automatic.ts.

export interface SkuProblem {
  path: string;
  value: unknown;
  message: string;
  fix: string;
  severity: 'error' | 'warning';
}

const DEFAULTS = answersSchema.parse({}, { jitless: true });

/** Whether the answers (given or parsed) choose the Automatic SKU. */
export function isAutomatic(answers: unknown): boolean {
  return getAtPath(answers, ['cluster', 'sku']) === 'automatic';
}

/** Every concrete path of a contract path: `environments.*.x` becomes environments.0.x, environments.1.x, ... */
function expand(path: string, answers: Answers): string[][] {
  const keys = path.split('.');
  const star = keys.indexOf('*');
  if (star < 0) return [keys];
  const list = getAtPath(answers, keys.slice(0, star));
  if (!Array.isArray(list)) return [];
  return list.flatMap((_, i) =>
    expand([...keys.slice(0, star), String(i), ...keys.slice(star + 1)].join('.'), answers),
  );
}

/** Whether an answer path is one Automatic decides, so the prompts skip it (`environments.0.x` matches `environments.*.x`). */
export function fixedByAutomatic(path: string): boolean {
  const keys = path.split('.');
  return AUTOMATIC_FIXED_ANSWERS.some((row) => {
    const pattern = row.path.split('.');
    return (
      pattern.length === keys.length &&
      pattern.every((key, i) => key === keys[i] || (key === '*' && /^\d+$/.test(keys[i]!)))
    );
  });
}

/** The answers with what Automatic fixes applied; Standard answers come back unchanged. */
export function applyClusterSku(answers: Answers): Answers {
  if (!isAutomatic(answers)) return answers;
  let fixed = answers as unknown as JsonObject;
  for (const row of AUTOMATIC_FIXED_ANSWERS) {
    for (const keys of expand(row.path, answers)) fixed = setAtPath(fixed, keys, row.value, () => undefined);
  }
  return fixed as unknown as Answers;
}

/**
 * Answers given (in the input, not defaulted) that Automatic does not allow, as errors naming the value Automatic
 * takes; answers it makes moot, as warnings; and a region where Automatic is not available.
 */
export function clusterSkuProblems(input: unknown, answers: Answers): SkuProblem[] {
  if (!isAutomatic(answers)) return [];
  const problems: SkuProblem[] = [];
  for (const row of AUTOMATIC_FIXED_ANSWERS) {
    for (const keys of expand(row.path, answers)) {
      const given = getAtPath(input, keys) as Json | undefined;
      // A value equal to the default is no choice: `--set environments.0.x` copies the default environments (dev
      // stops at night), and a stored .yo-rc.json holds every default; Automatic's value replaces those silently.
      if (given === undefined || given === row.value || given === getAtPath(DEFAULTS, keys)) continue;
      problems.push({
        path: keys.join('.'),
        value: given,
        message: `is not allowed with cluster.sku automatic: the Automatic SKU ${row.because} (${row.source})`,
        fix: `remove ${keys.join('.')} (Automatic sets ${JSON.stringify(row.value)}), or set cluster.sku=standard`,
        severity: 'error',
      });
    }
  }
  for (const row of AUTOMATIC_IGNORED_ANSWERS) {
    for (const keys of expand(row.path, answers)) {
      const given = getAtPath(input, keys);
      if (given === undefined || isDeepStrictEqual(given, getAtPath(DEFAULTS, keys))) continue;
      problems.push({
        path: keys.join('.'),
        value: given,
        message: `has no effect with cluster.sku automatic: the Automatic SKU ${row.because} (${row.source})`,
        fix: `remove ${keys.join('.')}, or set cluster.sku=standard to size the node pools yourself`,
        severity: 'warning',
      });
    }
  }
  if (!AUTOMATIC_REGIONS.includes(answers.location)) {
    problems.push({
      path: 'location',
      value: answers.location,
      message: `is not a region where AKS Automatic is generally available (${AUTOMATIC_REGIONS_SOURCE})`,
      fix: `choose one of ${AUTOMATIC_REGIONS.join(', ')}, or set cluster.sku=standard`,
      severity: 'error',
    });
  }
  return problems;
}
