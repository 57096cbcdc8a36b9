import { IN_PLACE_RULES, type InPlaceRule, matchesProperty } from './in-place.js';

// Resource-level difference of two `bicep snapshot`s of one environment: which Azure resources a deployment adds,
// removes and changes, with the changed properties, and which changes Azure cannot apply in place (in-place.ts).
// Pure: snapshots in, data out.

export interface SnapshotResource {
  id?: string;
  type: string;
  name: string;
  [key: string]: unknown;
}

export interface PropertyChange {
  /** Dotted; an item of a list of named objects is `[name]`. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface InPlaceFlag {
  path: string;
  rule: InPlaceRule;
}

export interface ResourceChange {
  /** `replaced`: a removed and an added resource of a type whose name Azure treats as its identity. */
  kind: 'added' | 'removed' | 'changed' | 'replaced';
  type: string;
  name: string;
  /** For `replaced`, the name before. */
  previousName?: string;
  changes: PropertyChange[];
  flags: InPlaceFlag[];
}

/** The predicted resources of a snapshot document (`bicep snapshot`'s JSON). */
export function parseSnapshot(text: string): SnapshotResource[] {
  const document = JSON.parse(text) as { predictedResources?: SnapshotResource[] };
  return document.predictedResources ?? [];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNamedList = (v: unknown): v is Record<string, unknown>[] =>
  Array.isArray(v) && v.length > 0 && v.every((item) => isObject(item) && typeof item.name === 'string');

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every leaf that differs; lists of named objects (node pools, subnets) are compared item by item. */
export function diffValues(before: unknown, after: unknown, path = ''): PropertyChange[] {
  if (same(before, after)) return [];
  const join = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(before[key], after[key], join(key)));
  }
  if ((isNamedList(before) || before === undefined) && (isNamedList(after) || after === undefined) && path !== '') {
    const byName = (list: Record<string, unknown>[] | undefined) =>
      new Map((list ?? []).map((item) => [item.name as string, item]));
    const b = byName(before);
    const a = byName(after);
    if (b.size > 0 && a.size > 0) {
      const names = [...new Set([...b.keys(), ...a.keys()])];
      return names.flatMap((name) => diffValues(b.get(name), a.get(name), `${path}[${name}]`));
    }
  }
  return [{ path, before, after }];
}

const keyOf = (r: SnapshotResource) => r.id ?? `${r.type}|${r.name}`;

function flagsOf(
  type: string,
  changes: PropertyChange[],
  before: SnapshotResource,
  after: SnapshotResource,
): InPlaceFlag[] {
  const flags: InPlaceFlag[] = [];
  for (const change of changes) {
    const rule = IN_PLACE_RULES.find(
      (r) =>
        r.resourceType.toLowerCase() === type.toLowerCase() &&
        matchesProperty(r.property, change.path) &&
        // A property of a pool added or removed whole is no change to a pool that stays.
        !change.path.endsWith(']'),
    );
    if (rule && !(rule.allowedWhen?.(before, after) ?? false)) flags.push({ path: change.path, rule });
  }
  return flags;
}

/** The resource-level changes from one snapshot to the next, in the order of the newer snapshot. */
export function diffSnapshots(before: SnapshotResource[], after: SnapshotResource[]): ResourceChange[] {
  const old = new Map(before.map((r) => [keyOf(r), r]));
  const now = new Set(after.map(keyOf));
  const changes: ResourceChange[] = [];
  for (const resource of after) {
    const previous = old.get(keyOf(resource));
    if (!previous) {
      changes.push({ kind: 'added', type: resource.type, name: resource.name, changes: [], flags: [] });
      continue;
    }
    const { id: _a, type: _b, name: _c, ...was } = previous;
    const { id: _d, type: _e, name: _f, ...is } = resource;
    const properties = diffValues(was, is);
    if (properties.length > 0)
      changes.push({
        kind: 'changed',
        type: resource.type,
        name: resource.name,
        changes: properties,
        flags: flagsOf(resource.type, properties, previous, resource),
      });
  }
  for (const resource of before)
    if (!now.has(keyOf(resource)))
      changes.push({ kind: 'removed', type: resource.type, name: resource.name, changes: [], flags: [] });
  return pairReplacements(changes);
}

/** A removed and an added resource of a type whose name is its identity (in-place.ts) are one replacement. */
function pairReplacements(changes: ResourceChange[]): ResourceChange[] {
  const paired = new Set<ResourceChange>();
  const result: ResourceChange[] = [];
  for (const change of changes) {
    if (paired.has(change)) continue;
    const rule = IN_PLACE_RULES.find(
      (r) => r.property === 'name' && r.resourceType.toLowerCase() === change.type.toLowerCase(),
    );
    if (rule && change.kind === 'added') {
      const removed = changes.find((c) => c.kind === 'removed' && c.type === change.type && !paired.has(c));
      if (removed) {
        paired.add(removed);
        result.push({
          kind: 'replaced',
          type: change.type,
          name: change.name,
          previousName: removed.name,
          changes: [{ path: 'name', before: removed.name, after: change.name }],
          flags: [{ path: 'name', rule }],
        });
        continue;
      }
    }
    result.push(change);
  }
  return result;
}
