import { parse as parseYamlScalar } from 'yaml';

// Answers are plain JSON-like data; layers merge object by object, and a later layer's array replaces an earlier one
// (an environment list is a whole decision, not something to splice).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergeAnswers(...layers: (JsonObject | undefined)[]): JsonObject {
  let result: JsonObject = {};
  for (const layer of layers) if (layer) result = mergeTwo(result, layer);
  return result;
}

/** Sets an own property even when the key is `__proto__` (an assignment would replace the prototype instead). */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mergeTwo(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    define(out, key, isObject(current) && isObject(value) ? mergeTwo(current, value) : structuredClone(value));
  }
  return out;
}

/** A list index in a path that lies past the end of its list (one past the end adds an entry). */
export class IndexPastEnd extends Error {
  constructor(
    readonly list: string,
    readonly index: number,
    readonly length: number,
  ) {
    super(`index ${index} is past the end of ${list}, which has ${length} entries`);
  }
}

export interface SetOverride {
  path: string[];
  value: Json;
}

/**
 * Parses `a.b.0.c=value`; the value is read as a YAML scalar or flow collection, so `true`, `3` and `[a, b]` keep
 * their types, except where `isText` says the answer is text: there `1.30` stays "1.30".
 */
export function parseSetOverride(
  expression: string,
  isText: (path: string[]) => boolean = () => false,
): SetOverride | { error: string } {
  const eq = expression.indexOf('=');
  if (eq <= 0) return { error: 'expected <path>=<value>' };
  const path = expression.slice(0, eq).trim().split('.');
  if (
    path.some(
      (segment) => segment === '' || segment === '__proto__' || segment === 'constructor' || segment === 'prototype',
    )
  ) {
    return { error: 'the path must be dot-separated field names or list indexes' };
  }
  const raw = expression.slice(eq + 1);
  if (isText(path)) return { path, value: raw };
  let value: Json;
  try {
    value = raw === '' ? '' : (parseYamlScalar(raw) as Json);
  } catch {
    value = raw;
  }
  return { path, value };
}

/** Sets a value at a path, creating objects (and, for numeric segments, list entries) on the way. */
export function setAtPath(
  target: JsonObject,
  path: string[],
  value: Json,
  seed: (topKey: string) => Json | undefined,
): JsonObject {
  const root = structuredClone(target);
  if (path.length > 1 && /^\d+$/.test(path[1] ?? '') && root[path[0]!] === undefined) {
    // Setting into a list nobody has given yet starts from the default list, so `environments.0.spotPool.enabled=true` edits dev.
    const seeded = seed(path[0]!);
    if (seeded !== undefined) root[path[0]!] = structuredClone(seeded);
  }
  let node: Json = root;
  // An index may name an entry or add one at the end; anything further would build a sparse list of holes.
  const checkIndex = (container: Json, i: number) => {
    if (!Array.isArray(container)) return;
    const index = Number(path[i]);
    if (!/^\d+$/.test(path[i]!) || index > container.length)
      throw new IndexPastEnd(path.slice(0, i).join('.'), index, container.length);
  };
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    checkIndex(node, i);
    const nextIsIndex = /^\d+$/.test(path[i + 1]!);
    const container = node as JsonObject | Json[];
    let child = Object.hasOwn(container, key) ? (container as Record<string, Json>)[key] : undefined;
    if (child === undefined || child === null || typeof child !== 'object') {
      child = nextIsIndex ? [] : {};
      define(container, key, child);
    }
    node = child;
  }
  checkIndex(node, path.length - 1);
  define(node as object, path[path.length - 1]!, value);
  return root;
}

export function getAtPath(target: unknown, path: (string | number)[]): unknown {
  let node: unknown = target;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, String(key))) return undefined;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return node;
}

/** A copy without the value at a path (list entries are left in place: removing one would shift the others). */
export function deleteAtPath(target: JsonObject, path: string[]): JsonObject {
  const root = structuredClone(target);
  const parent = getAtPath(root, path.slice(0, -1));
  if (isObject(parent)) delete parent[path[path.length - 1]!];
  return root;
}
