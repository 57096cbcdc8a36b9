import { readFileSync, writeFileSync } from 'node:fs';
import { lineMerge } from './line-merge.js';
import { isYamlPath, mergeYaml, type MergeLabels } from './yaml-merge.js';

// The git merge driver `aks-platform upgrade` configures for *.yaml/*.yml for the duration of its merge only:
//   git -c merge.aksyaml.driver='node <this file> %O %A %B %P %L' -c core.attributesFile=<temp file with "*.yaml merge=aksyaml">
// git calls it only for files both sides changed. It writes the result into %A and exits 0 when clean, 1 on conflicts
// (git then records the file as unmerged, so `git mergetool` and `git merge --abort` work as usual).

export const DRIVER_LABELS: MergeLabels = {
  ours: 'HEAD',
  base: 'previous generation',
  theirs: 'aks-platform/generated',
};

export function runDriver(argv: string[]): number {
  const [basePath, oursPath, theirsPath, path = '', markerSize = '7'] = argv;
  if (!basePath || !oursPath || !theirsPath) {
    process.stderr.write('usage: yaml-driver <base> <ours> <theirs> [path] [marker-size]\n');
    return 2;
  }
  const base = readFileSync(basePath, 'utf8');
  const ours = readFileSync(oursPath, 'utf8');
  const theirs = readFileSync(theirsPath, 'utf8');
  const size = Number(markerSize) || 7;
  const line = lineMerge(ours, base, theirs, DRIVER_LABELS, size);
  if (line.conflicts === 0 || !isYamlPath(path)) {
    writeFileSync(oursPath, line.text);
    return line.conflicts === 0 ? 0 : 1;
  }
  const merged = mergeYaml(base, ours, theirs, DRIVER_LABELS, (o, b, t, labels) => lineMerge(o, b, t, labels, size));
  writeFileSync(oursPath, merged ? merged.text : line.text);
  return merged && merged.conflicts === 0 ? 0 : 1;
}

process.exitCode = runDriver(process.argv.slice(2));
