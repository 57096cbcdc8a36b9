import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_SCENARIOS } from './golden.test.js';
import { render } from './support/generate.js';

// Every file or folder a generated README names in `code` must exist in what was written: lists and sentences that
// name files are derived from the plan, and this holds them to the files actually emitted, in every scenario.

/** Backticked names that look like repository paths (placeholders, globs, commands and URLs are not paths). */
export function namedPaths(markdown: string): string[] {
  const names = new Set<string>();
  for (const [, token] of markdown.matchAll(/`([^`\s]+)`/g)) {
    const name = token!;
    if (/[<>${}*=@:]|^-|^\.\.?$|^\/|^\.[a-z]+$|^[\d./]+$/.test(name)) continue;
    if (!name.includes('/') && !/\.(bicep|bicepparam|ya?ml|json|md)$/.test(name)) continue;
    // Azure RBAC operations (`agentPools/read`) and git refs are not paths.
    if (/\/(read|write|delete|action)$|^refs\//.test(name)) continue;
    names.add(name.replace(/^\.\//, ''));
  }
  return [...names];
}

/**
 * A path resolves from the repository root or from the README's folder, as a file or as a folder that holds emitted
 * files; a bare file name (a table of one folder's files per environment) must be the name of an emitted file.
 */
function exists(files: ReadonlyMap<string, string>, readme: string, name: string): boolean {
  const paths = [...files.keys()];
  if (!name.includes('/')) return paths.some((f) => posix.basename(f) === name);
  const candidates = [name, posix.join(posix.dirname(readme), name)].map((p) => p.replace(/\/$/, ''));
  return candidates.some((p) => files.has(p) || paths.some((f) => f.startsWith(`${p}/`)));
}

describe('paths named in generated READMEs exist', () => {
  it.each(GOLDEN_SCENARIOS)('$name', ({ preset, sets }) => {
    const { files } = render(preset, sets);
    const missing: string[] = [];
    for (const [path, content] of files) {
      if (!path.endsWith('.md')) continue;
      for (const name of namedPaths(content)) if (!exists(files, path, name)) missing.push(`${path}: \`${name}\``);
    }
    expect(missing).toEqual([]);
  });

  it('the check sees a path that is not there', () => {
    expect(namedPaths('see `infrastructure/` and `infra/modules/flux.bicep`, not `<env>/x` or `$HOME/y`')).toEqual([
      'infrastructure/',
      'infra/modules/flux.bicep',
    ]);
  });
});
