import { isDeepStrictEqual } from 'node:util';
import {
  Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Pair,
  parseAllDocuments,
  Scalar,
  type Node,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

// A three-way merge of YAML files per Kubernetes object and per key. The result starts from the user's version (so its
// comments, key order and formatting stay) and applies every upstream change (base -> theirs) that the user did not
// also make differently. Only the same key changed on both sides is a conflict; it is written with git's markers
// around just that key, so the rest of the file merges even when a line-based merge would not.

export interface YamlMergeResult {
  text: string;
  /** Keys changed differently on both sides; 0 means a clean merge. */
  conflicts: number;
}

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

type Side = Node | undefined;

/** A key changed differently on both sides: its pair in the user's document, set to each side in turn for the markers. */
interface Conflict {
  map: YAMLMap;
  key: unknown;
  base: Side;
  ours: Side;
  theirs: Side;
  index: number;
}

class Unmergeable extends Error {}

const js = (node: Side): unknown =>
  node === undefined
    ? undefined
    : typeof (node as { toJSON?: unknown }).toJSON === 'function'
      ? (node as { toJSON(): unknown }).toJSON()
      : node;
const same = (a: Side, b: Side) => isDeepStrictEqual(js(a), js(b));
const keyOf = (pair: Pair): unknown => (isScalar(pair.key) ? pair.key.value : pair.key);

function findPair(map: YAMLMap | undefined, key: unknown): Pair | undefined {
  return map?.items.find((pair) => isPair(pair) && keyOf(pair as Pair) === key) as Pair | undefined;
}

function cloneNode(node: Side): Side {
  return node === undefined ? undefined : ((node as { clone?: () => Node }).clone?.() ?? node);
}

/** The identity of a Kubernetes object: API group, kind, namespace, name. Other documents are matched by position. */
function identity(doc: Document, index: number): string {
  const value = doc.toJSON() as Record<string, unknown> | null;
  if (
    value &&
    typeof value === 'object' &&
    typeof value.kind === 'string' &&
    value.metadata &&
    typeof value.metadata === 'object'
  ) {
    const meta = value.metadata as Record<string, unknown>;
    const group =
      typeof value.apiVersion === 'string' && value.apiVersion.includes('/') ? value.apiVersion.split('/')[0] : '';
    return `${group}|${value.kind}|${String(meta.namespace ?? '')}|${String(meta.name ?? meta.generateName ?? '')}`;
  }
  return `#${index}`;
}

/** Items of a sequence that are maps with a unique `name` (containers, env, volumes) merge by name; others as a whole. */
function namedItems(seq: YAMLSeq | undefined): Map<string, Node> | undefined {
  if (!seq) return new Map();
  const named = new Map<string, Node>();
  for (const item of seq.items) {
    if (!isMap(item)) return undefined;
    const name = item.get('name');
    if (typeof name !== 'string' || named.has(name)) return undefined;
    named.set(name, item as Node);
  }
  return named;
}

class Merger {
  readonly conflicts: Conflict[] = [];
  changed = false;

  /** Merges `base -> theirs` into `ours`, which lives at `key` of `parent`. Returns the node to keep there. */
  value(base: Side, ours: Side, theirs: Side, parent: YAMLMap | undefined, key: unknown): Side {
    if (same(base, theirs) || same(ours, theirs)) return ours;
    if (same(base, ours)) {
      this.changed = true;
      return cloneNode(theirs);
    }
    if (isMap(ours) && isMap(theirs) && (base === undefined || isMap(base))) {
      this.map(base as YAMLMap | undefined, ours, theirs);
      return ours;
    }
    if (isSeq(ours) && isSeq(theirs) && (base === undefined || isSeq(base))) {
      if (this.seq(base as YAMLSeq | undefined, ours, theirs)) return ours;
    }
    if (!parent) throw new Unmergeable('a whole document changed on both sides');
    const index = parent.items.findIndex((pair) => keyOf(pair as Pair) === key);
    this.conflicts.push({ map: parent, key, base, ours, theirs, index: index < 0 ? parent.items.length : index });
    return ours;
  }

  map(base: YAMLMap | undefined, ours: YAMLMap, theirs: YAMLMap): void {
    const keys: unknown[] = [];
    for (const map of [ours, theirs, base])
      for (const pair of map?.items ?? []) if (!keys.includes(keyOf(pair as Pair))) keys.push(keyOf(pair as Pair));
    for (const key of keys) {
      const b = findPair(base, key)?.value as Side;
      const oPair = findPair(ours, key);
      const t = findPair(theirs, key)?.value as Side;
      const o = oPair?.value as Side;
      const inBase = findPair(base, key) !== undefined;
      const inOurs = oPair !== undefined;
      const inTheirs = findPair(theirs, key) !== undefined;
      if (inBase === inTheirs && same(b, t)) continue; // upstream left it alone
      if (!inTheirs) {
        // Upstream removed the key: drop it unless the user changed it.
        if (!inOurs) continue;
        if (same(b, o)) {
          ours.delete(oPair!.key);
          this.changed = true;
        } else {
          this.conflicts.push({
            map: ours,
            key,
            base: b,
            ours: o,
            theirs: undefined,
            index: ours.items.indexOf(oPair!),
          });
        }
        continue;
      }
      if (!inOurs) {
        if (!inBase) {
          // Upstream added the key: put it after the key it follows upstream.
          this.insertAfter(ours, theirs, key, cloneNode(t));
          this.changed = true;
        } else if (!same(b, t)) {
          // The user removed a key upstream changed.
          this.conflicts.push({
            map: ours,
            key,
            base: b,
            ours: undefined,
            theirs: t,
            index: this.positionAfter(ours, theirs, key),
          });
        }
        continue;
      }
      const merged = this.value(inBase ? b : undefined, o, t, ours, key);
      if (merged !== o) oPair!.value = merged;
    }
  }

  /** Sequences of named maps merge item by item; any other sequence changed on both sides is one conflict. */
  seq(base: YAMLSeq | undefined, ours: YAMLSeq, theirs: YAMLSeq): boolean {
    const b = namedItems(base);
    const o = namedItems(ours);
    const t = namedItems(theirs);
    if (!b || !o || !t) return false;
    // An item gone from both sides while both sides add items: most likely renamed on both (a workflow step, a
    // container), and keeping both names would run it twice. One conflict instead.
    const goneFromBoth = [...b.keys()].some((name) => !o.has(name) && !t.has(name));
    const addedBy = (side: Map<string, Node>) => [...side.keys()].some((name) => !b.has(name));
    if (goneFromBoth && addedBy(o) && addedBy(t)) return false;
    for (const [name, tItem] of t) {
      const oItem = o.get(name);
      const bItem = b.get(name);
      if (!oItem) {
        if (!bItem) {
          ours.items.push(cloneNode(tItem) as never);
          this.changed = true;
        } else if (!same(bItem, tItem)) return false;
        continue;
      }
      if (same(bItem, tItem) || same(oItem, tItem)) continue;
      if (bItem && same(bItem, oItem)) {
        ours.items[ours.items.indexOf(oItem as never)] = cloneNode(tItem) as never;
        this.changed = true;
      } else if (isMap(oItem) && isMap(tItem)) {
        this.map(bItem as YAMLMap | undefined, oItem, tItem);
      } else return false;
    }
    for (const [name, bItem] of b) {
      if (t.has(name)) continue;
      const oItem = o.get(name);
      if (!oItem) continue;
      if (!same(bItem, oItem)) return false;
      ours.items.splice(ours.items.indexOf(oItem as never), 1);
      this.changed = true;
    }
    return true;
  }

  private positionAfter(ours: YAMLMap, theirs: YAMLMap, key: unknown): number {
    const order = theirs.items.map((pair) => keyOf(pair as Pair));
    for (let i = order.indexOf(key) - 1; i >= 0; i--) {
      const at = ours.items.findIndex((pair) => keyOf(pair as Pair) === order[i]);
      if (at >= 0) return at + 1;
    }
    return 0;
  }

  private insertAfter(ours: YAMLMap, theirs: YAMLMap, key: unknown, value: Side): void {
    const pair = findPair(theirs, key)!;
    const copy = (pair as { clone?: () => Pair }).clone?.() ?? pair;
    copy.value = value;
    ours.items.splice(this.positionAfter(ours, theirs, key), 0, copy as never);
  }
}

function setSide(conflict: Conflict, value: Side): void {
  const { map, key } = conflict;
  const at = map.items.findIndex((pair) => keyOf(pair as Pair) === key);
  if (value === undefined) {
    if (at >= 0) map.items.splice(at, 1);
    return;
  }
  if (at >= 0) {
    (map.items[at] as Pair).value = value;
    return;
  }
  const pair = new Pair(new Scalar(key), value);
  map.items.splice(Math.min(conflict.index, map.items.length), 0, pair as never);
}

function parse(text: string): Document[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Unmergeable('not a YAML stream');
  for (const doc of docs) if (doc.errors.length > 0) throw new Unmergeable(doc.errors[0]!.message);
  return docs as Document[];
}

function render(docs: Document[]): string {
  return docs
    .map((doc, i) => {
      const text = doc.toString({ lineWidth: 0 });
      return i > 0 && !text.startsWith('---') ? `---\n${text}` : text;
    })
    .join('');
}

/** Line-based three-way merge of three texts where only conflicting keys differ: yields markers around those keys. */
export type LineMerge = (
  ours: string,
  base: string,
  theirs: string,
  labels: MergeLabels,
) => { text: string; conflicts: number };

/**
 * Merges YAML per Kubernetes object and per key. Returns undefined when a file cannot be merged this way (not YAML,
 * an object deleted on one side and changed on the other, a whole document replaced on both sides): the caller keeps
 * git's line-based result for it.
 */
export function mergeYaml(
  base: string,
  ours: string,
  theirs: string,
  labels: MergeLabels,
  lineMerge: LineMerge,
): YamlMergeResult | undefined {
  try {
    const baseDocs = parse(base);
    const ourDocs = parse(ours);
    const theirDocs = parse(theirs);
    const byId = (docs: Document[]) => new Map(docs.map((doc, i) => [identity(doc, i), doc] as const));
    const b = byId(baseDocs);
    const o = byId(ourDocs);
    const t = byId(theirDocs);
    if (b.size !== baseDocs.length || o.size !== ourDocs.length || t.size !== theirDocs.length) return undefined;

    const merger = new Merger();
    const result: Document[] = [];
    for (const [id, ourDoc] of o) {
      const baseDoc = b.get(id);
      const theirDoc = t.get(id);
      if (!theirDoc) {
        if (!baseDoc)
          result.push(ourDoc); // the user's own object
        else if (same(baseDoc.contents as Node, ourDoc.contents as Node))
          merger.changed = true; // removed upstream
        else return undefined; // removed upstream, edited by the user
        continue;
      }
      const contents = merger.value(
        baseDoc?.contents as Side,
        ourDoc.contents as Side,
        theirDoc.contents as Side,
        undefined,
        undefined,
      );
      if (contents !== ourDoc.contents) ourDoc.contents = contents as never;
      result.push(ourDoc);
    }
    for (const [id, theirDoc] of t) {
      if (o.has(id)) continue;
      const baseDoc = b.get(id);
      if (!baseDoc) {
        result.push(theirDoc); // added upstream
        merger.changed = true;
      } else if (!same(baseDoc.contents as Node, theirDoc.contents as Node)) return undefined; // deleted by the user, changed upstream
    }

    if (merger.conflicts.length === 0) return { text: merger.changed ? render(result) : ours, conflicts: 0 };
    const variant = (side: 'base' | 'ours' | 'theirs') => {
      for (const conflict of merger.conflicts) setSide(conflict, cloneNode(conflict[side]));
      return render(result);
    };
    const baseText = variant('base');
    const theirText = variant('theirs');
    const ourText = variant('ours');
    const merged = lineMerge(ourText, baseText, theirText, labels);
    return { text: merged.text, conflicts: Math.max(merged.conflicts, merger.conflicts.length) };
  } catch (error) {
    if (error instanceof Unmergeable) return undefined;
    throw error;
  }
}

export const isYamlPath = (path: string) => /\.ya?ml$/i.test(path);
