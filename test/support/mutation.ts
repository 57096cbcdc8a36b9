import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Mutation tests break one thing in a clean generated repository and assert the rule, file and line that report it.

/** Rewrites one file of the repository; a mutation that changes nothing is a broken test, so it throws. */
export function edit(dir: string, file: string, change: (text: string) => string): void {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the mutation of ${file} changed nothing`);
  writeFileSync(path, after);
}

/** The 1-based line of the first line of `file` containing `needle`; throws when there is none. */
export function lineOf(dir: string, file: string, needle: string): number {
  const index = readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}
