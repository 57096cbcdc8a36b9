// Every generated file's outcome, from the three trees of the merge and the conflicts git left.

export type FileStatus =
  | 'unchanged'
  | 'updated'
  | 'merged'
  | 'conflict'
  | 'added'
  | 'removed'
  | 'kept'
  | 'deleted-by-you';

export const STATUS_LABELS: Record<FileStatus, string> = {
  unchanged: 'unchanged',
  updated: 'updated cleanly',
  merged: 'merged with your edits',
  conflict: 'CONFLICT',
  added: 'added',
  removed: 'removed upstream',
  kept: 'removed upstream, kept: you edited it',
  'deleted-by-you': 'deleted by you, stays deleted',
};

/** Display order of the summary's counts. */
export const STATUS_ORDER: FileStatus[] = [
  'conflict',
  'merged',
  'updated',
  'added',
  'removed',
  'kept',
  'deleted-by-you',
  'unchanged',
];

export interface FileOutcome {
  path: string;
  status: FileStatus;
}

/**
 * base: the last pristine generation the user's branch merged; ours: the user's branch; theirs: the new generation.
 * Maps are path -> blob id. Files only the user has (never generated) are not listed.
 */
export function classify(
  base: Map<string, string>,
  ours: Map<string, string>,
  theirs: Map<string, string>,
  conflicts: Set<string>,
): FileOutcome[] {
  const paths = [...new Set([...base.keys(), ...theirs.keys()])].sort();
  return paths.map((path) => ({
    path,
    status: statusOf(base.get(path), ours.get(path), theirs.get(path), conflicts.has(path)),
  }));
}

function statusOf(b: string | undefined, o: string | undefined, t: string | undefined, conflict: boolean): FileStatus {
  if (conflict) return 'conflict';
  if (b === t) return b !== undefined && o === undefined ? 'deleted-by-you' : 'unchanged';
  if (b === undefined) return o === undefined ? 'added' : o === t ? 'unchanged' : 'merged';
  if (t === undefined) return o === undefined || o === b ? 'removed' : 'kept';
  if (o === undefined) return 'deleted-by-you';
  if (o === b) return 'updated';
  return o === t ? 'unchanged' : 'merged';
}

export function formatSummary(outcomes: FileOutcome[]): string {
  const width = Math.max(...outcomes.map((o) => STATUS_LABELS[o.status].length), 'status'.length);
  const rows = outcomes.map((o) => `  ${STATUS_LABELS[o.status].padEnd(width)}  ${o.path}`);
  const counts = STATUS_ORDER.map((status) => [status, outcomes.filter((o) => o.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${STATUS_LABELS[status]}`);
  return [
    `  ${'status'.padEnd(width)}  file`,
    `  ${'-'.repeat(width)}  ${'-'.repeat(4)}`,
    ...rows,
    '',
    `Files: ${counts.join(', ')}`,
  ].join('\n');
}

/** The summary as a Markdown table (a pull request's description). */
export function formatSummaryMarkdown(outcomes: FileOutcome[]): string {
  const changed = outcomes.filter((o) => o.status !== 'unchanged');
  return [
    '| File | Outcome |',
    '| --- | --- |',
    ...changed.map((o) => `| \`${o.path}\` | ${STATUS_LABELS[o.status]} |`),
    '',
    `${outcomes.length - changed.length} file(s) unchanged.`,
  ].join('\n');
}
