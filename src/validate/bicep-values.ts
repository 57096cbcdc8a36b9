// Reads the parameter values of a .bicepparam file (the literal subset the generator writes and people edit: objects,
// arrays, quoted strings, numbers, booleans), keeping the line each value starts on so a finding can point at it.

export interface Located<T = unknown> {
  value: T;
  line: number;
}

export type BicepData = string | number | boolean | null | BicepData[] | { [key: string]: BicepData };

/** A parsed value whose every node remembers its line: objects and arrays hold Located children. */
export type Node =
  | { kind: 'scalar'; value: string | number | boolean | null; line: number }
  | { kind: 'array'; items: Node[]; line: number }
  | { kind: 'object'; entries: Map<string, Node>; keyLines: Map<string, number>; line: number }
  | { kind: 'expression'; text: string; line: number };

class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  line(at = this.pos): number {
    return this.text.slice(0, at).split('\n').length;
  }
  skip(): void {
    for (;;) {
      const rest = this.text.slice(this.pos);
      const ws = /^(\s+|\/\/[^\n]*)/.exec(rest);
      if (!ws) return;
      this.pos += ws[0].length;
    }
  }
}

function parseValue(r: Reader): Node {
  r.skip();
  const line = r.line();
  const ch = r.text[r.pos];
  if (ch === '[') {
    r.pos++;
    const items: Node[] = [];
    for (;;) {
      r.skip();
      if (r.text[r.pos] === ']') {
        r.pos++;
        return { kind: 'array', items, line };
      }
      if (r.pos >= r.text.length) throw new Error('unterminated array');
      items.push(parseValue(r));
      r.skip();
      if (r.text[r.pos] === ',') r.pos++;
    }
  }
  if (ch === '{') {
    r.pos++;
    const entries = new Map<string, Node>();
    const keyLines = new Map<string, number>();
    for (;;) {
      r.skip();
      if (r.text[r.pos] === '}') {
        r.pos++;
        return { kind: 'object', entries, keyLines, line };
      }
      const key = /^('(?:[^'\\]|\\.)*'|[A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(r.text.slice(r.pos));
      if (!key) throw new Error(`expected a key at line ${r.line()}`);
      const name = key[1]!.startsWith("'") ? key[1]!.slice(1, -1) : key[1]!;
      keyLines.set(name, r.line());
      r.pos += key[0].length;
      entries.set(name, parseValue(r));
      r.skip();
      if (r.text[r.pos] === ',') r.pos++;
    }
  }
  if (ch === "'") {
    const m = /^'((?:[^'\\]|\\.)*)'/.exec(r.text.slice(r.pos));
    if (!m) throw new Error(`unterminated string at line ${line}`);
    r.pos += m[0].length;
    return { kind: 'scalar', value: m[1]!.replace(/\\(.)/g, '$1'), line };
  }
  const word = /^(-?\d+|true|false|null)\b/.exec(r.text.slice(r.pos));
  if (word) {
    r.pos += word[0].length;
    const w = word[1]!;
    return {
      kind: 'scalar',
      value: w === 'true' ? true : w === 'false' ? false : w === 'null' ? null : Number(w),
      line,
    };
  }
  // An expression (readEnvironmentVariable(...), a reference): kept as text to the end of the line.
  const rest = /^[^\n]*/.exec(r.text.slice(r.pos))![0];
  r.pos += rest.length;
  return { kind: 'expression', text: rest.trim(), line };
}

/** The `using` target and every `param name = value` of a parameter file; undefined when it does not parse. */
export function readParameters(text: string): { using: string | undefined; params: Map<string, Node> } | undefined {
  const using = /^using\s+'([^']+)'/m.exec(text)?.[1];
  const params = new Map<string, Node>();
  try {
    for (const match of text.matchAll(/^param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*/gm)) {
      const r = new Reader(text);
      r.pos = match.index + match[0].length;
      params.set(match[1]!, parseValue(r));
    }
  } catch {
    return undefined;
  }
  return { using, params };
}

/** A string field of every object of an array parameter, with the line of that field. */
export function stringsOf(node: Node | undefined, field: string): Located<string>[] {
  if (node?.kind !== 'array') return [];
  return node.items.flatMap((item) => {
    if (item.kind !== 'object') return [];
    const value = item.entries.get(field);
    return value?.kind === 'scalar' && typeof value.value === 'string'
      ? [{ value: value.value, line: value.line }]
      : [];
  });
}

export function field(node: Node | undefined, key: string): Node | undefined {
  return node?.kind === 'object' ? node.entries.get(key) : undefined;
}
