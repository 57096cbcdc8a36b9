// A README's picture of a folder: the emitted paths under `root`, drawn as a tree.

interface Dir {
  dirs: Map<string, Dir>;
  files: string[];
}

export function fileTree(paths: readonly string[], root: string): string {
  const top: Dir = { dirs: new Map(), files: [] };
  for (const path of paths) {
    if (!path.startsWith(`${root}/`)) continue;
    const parts = path.slice(root.length + 1).split('/');
    let dir = top;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.get(part);
      if (!next) dir.dirs.set(part, (next = { dirs: new Map(), files: [] }));
      dir = next;
    }
    dir.files.push(parts[parts.length - 1] as string);
  }
  const lines = [`${root}/`];
  const draw = (dir: Dir, indent: string): void => {
    const entries = [
      ...[...dir.dirs.keys()].sort().map((name) => ({ name: `${name}/`, dir: dir.dirs.get(name) })),
      ...dir.files.sort().map((name) => ({ name, dir: undefined })),
    ];
    entries.forEach((entry, i) => {
      const last = i === entries.length - 1;
      lines.push(`${indent}${last ? '└── ' : '├── '}${entry.name}`);
      if (entry.dir) draw(entry.dir, `${indent}${last ? '    ' : '│   '}`);
    });
  };
  draw(top, '');
  return lines.join('\n');
}
