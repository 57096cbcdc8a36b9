import { isDeepStrictEqual } from 'node:util';
import type { Answers } from '../answers/schema.js';
import {
  getAtPath,
  IndexPastEnd,
  isObject,
  mergeAnswers,
  setAtPath,
  type Json,
  type JsonObject,
} from '../answers/merge.js';
import { UserError } from '../errors.js';
import { catalogMessages } from './messages.js';
import { PRESETS } from '../answers/presets.js';
import type { Problem } from '../answers/validate.js';
import type { CatalogTemplate } from './schema.js';

// A template's policy: its answers start the composition, its locks hold on every input path, and they are checked
// again on every re-run and upgrade against what was finally answered.

/** Every concrete path a lock path names: `*` expands to each entry the answers have in that list. */
export function expandPath(root: unknown, path: string): string[][] {
  const segments = path.split('.');
  const walk = (node: unknown, i: number, prefix: string[]): string[][] => {
    if (i === segments.length) return [prefix];
    const segment = segments[i]!;
    if (segment !== '*')
      return walk(
        isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined,
        i + 1,
        [...prefix, segment],
      );
    return Array.isArray(node) ? node.flatMap((child, index) => walk(child, i + 1, [...prefix, String(index)])) : [];
  };
  return walk(root, 0, []);
}

/** Fills each locked answer where nothing was answered; contradictions are left for checkPolicy to report. */
export function applyLocks(input: JsonObject, template: CatalogTemplate): JsonObject {
  let result = input;
  for (const [path, value] of Object.entries(template.locked)) {
    const targets = path.includes('*') ? expandPath(result, path) : [path.split('.')];
    for (const target of targets) {
      if (getAtPath(result, target) !== undefined) continue;
      try {
        result = setAtPath(result, target, value as Json, () => undefined);
      } catch (error) {
        if (error instanceof IndexPastEnd)
          throw new UserError(catalogMessages.lockPastEnd(describe(template), path, error));
        throw error;
      }
    }
  }
  return result;
}

/** The layer a template contributes: its preset, its answers, then its locks. */
export function templateLayer(template: CatalogTemplate): { preset: string | undefined; answers: JsonObject } {
  const base = mergeAnswers(
    template.preset ? (structuredClone(PRESETS[template.preset].answers) as unknown as JsonObject) : undefined,
    template.answers as JsonObject,
  );
  return { preset: template.preset, answers: applyLocks(base, template) };
}

function describe(template: CatalogTemplate): string {
  return `catalog template ${template.name}@${template.version}`;
}

/** Problems where the final answers break a lock or leave an allowed set or range. */
export function checkPolicy(answers: Answers, template: CatalogTemplate): Problem[] {
  const problems: Problem[] = [];
  for (const [path, locked] of Object.entries(template.locked)) {
    for (const target of expandPath(answers, path)) {
      const value = getAtPath(answers, target);
      if (!isDeepStrictEqual(value, locked)) {
        problems.push({
          path: target.join('.'),
          value,
          message: `is locked to ${JSON.stringify(locked)} by ${describe(template)}`,
          fix: `remove this answer (or set it to ${JSON.stringify(locked)}); the catalog decides it`,
          severity: 'error',
        });
      }
    }
  }
  for (const [path, allowed] of Object.entries(template.allowed)) {
    for (const target of expandPath(answers, path)) {
      const value = getAtPath(answers, target);
      const values = Array.isArray(value) ? value : [value];
      const ok = Array.isArray(allowed)
        ? values.every((v) => allowed.some((a) => isDeepStrictEqual(a, v)))
        : values.every(
            (v) =>
              typeof v === 'number' &&
              (allowed.min === undefined || v >= allowed.min) &&
              (allowed.max === undefined || v <= allowed.max),
          );
      if (!ok) {
        const rule = Array.isArray(allowed)
          ? `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`
          : `within ${allowed.min ?? '-∞'}..${allowed.max ?? '∞'}`;
        problems.push({
          path: target.join('.'),
          value,
          message: `is not allowed by ${describe(template)}, which permits ${rule}`,
          fix: `choose ${rule}`,
          severity: 'error',
        });
      }
    }
  }
  return problems;
}

/** Whether an answer path is locked by the template (prompts skip it). */
export function isLocked(template: CatalogTemplate, path: string): boolean {
  return Object.keys(template.locked).some((locked) => {
    const a = locked.split('.');
    const b = path.split('.');
    return a.length === b.length && a.every((segment, i) => segment === '*' || segment === b[i]);
  });
}
