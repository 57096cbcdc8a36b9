import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MergeLabels } from './yaml-merge.js';

/** git's own line-based three-way merge (`git merge-file`), with conflict markers. */
export function lineMerge(
  ours: string,
  base: string,
  theirs: string,
  labels: MergeLabels,
  markerSize = 7,
): { text: string; conflicts: number } {
  const dir = mkdtempSync(join(tmpdir(), 'aks-platform-merge-'));
  try {
    const files = { ours: join(dir, 'ours'), base: join(dir, 'base'), theirs: join(dir, 'theirs') };
    writeFileSync(files.ours, ours);
    writeFileSync(files.base, base);
    writeFileSync(files.theirs, theirs);
    const result = spawnSync(
      'git',
      [
        'merge-file',
        '-p',
        `--marker-size=${markerSize}`,
        '-L',
        labels.ours,
        '-L',
        labels.base,
        '-L',
        labels.theirs,
        files.ours,
        files.base,
        files.theirs,
      ],
      { encoding: 'utf8' },
    );
    if (result.status === null || result.status < 0 || result.error)
      throw new Error(`git merge-file failed: ${result.stderr || result.error?.message}`);
    return { text: result.stdout, conflicts: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
