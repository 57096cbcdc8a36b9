import type { FileMap } from '../render/index.js';

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** The file map as an indented tree with sizes, folders first at each level as they occur in path order. */
export function formatTree(root: string, files: FileMap): string {
  const lines = [`${root.replace(/\/$/, '')}/`];
  let previous: string[] = [];
  for (const [path, content] of files) {
    const parts = path.split('/');
    const dirs = parts.slice(0, -1);
    let common = 0;
    while (common < dirs.length && dirs[common] === previous[common]) common++;
    for (let depth = common; depth < dirs.length; depth++) lines.push(`${'  '.repeat(depth + 1)}${dirs[depth]}/`);
    lines.push(`${'  '.repeat(dirs.length + 1)}${parts[parts.length - 1]} (${size(Buffer.byteLength(content))})`);
    previous = dirs;
  }
  return lines.join('\n');
}
