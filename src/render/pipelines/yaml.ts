import { Document, isScalar, visit } from 'yaml';
import { GITHUB_ACTIONS, pinnedVersion } from '../../versions.js';

// Pipelines are built as data and printed with the yaml library; comments are attached to nodes, never spliced in.

export interface YamlComment {
  /** Path of the node in the data, e.g. ['on', 'schedule', 0, 'cron']. */
  path: (string | number)[];
  text: string;
  /** `before` puts the comment on the lines above the node; default is at the end of its line. */
  placement?: 'before' | 'inline';
}

export type ActionName = keyof typeof GITHUB_ACTIONS;

/** `owner/repo@<40-char sha>` for a pinned action; the printer adds the `# vX.Y.Z` comment. */
export function pinnedAction(name: ActionName): string {
  return `${name}@${pinnedVersion<{ sha: string; version: string }>(GITHUB_ACTIONS, name).sha}`;
}

function versionOfPinnedUse(value: string): string | undefined {
  const [name, sha] = value.split('@');
  const pin = (GITHUB_ACTIONS as Record<string, { sha: string; version: string }>)[name ?? ''];
  return pin && pin.sha === sha ? pin.version : undefined;
}

export function printYaml(data: unknown, options: { header?: string[]; comments?: YamlComment[] } = {}): string {
  // Shared step objects must print in full each time: workflow syntax has no YAML anchors and aliases.
  const doc = new Document(data, { aliasDuplicateObjects: false });
  if (options.header) doc.commentBefore = options.header.map((line) => ` ${line}`).join('\n');
  for (const comment of options.comments ?? []) {
    const node = doc.getIn(comment.path, true);
    if (!node || typeof node !== 'object')
      throw new Error(`yaml: no node at ${comment.path.join('.')} for comment "${comment.text}"`);
    const text = comment.text
      .split('\n')
      .map((line) => ` ${line}`)
      .join('\n');
    if (comment.placement === 'before') (node as { commentBefore?: string }).commentBefore = text;
    else (node as { comment?: string }).comment = text;
  }
  // Every pinned `uses:` carries the tag it was cut from, so a reader (and Dependabot) sees the version.
  visit(doc, {
    Pair(_, pair) {
      if (
        isScalar(pair.key) &&
        pair.key.value === 'uses' &&
        isScalar(pair.value) &&
        typeof pair.value.value === 'string'
      ) {
        const version = versionOfPinnedUse(pair.value.value);
        if (version) pair.value.comment = ` ${version}`;
      }
    },
  });
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}
