import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { packageRoot } from '../paths.js';
import type { FileMap } from '../render/index.js';
import { upgradeMessages } from './messages.js';
import { createStaging, discardStaging } from '../util/staging.js';

// git plumbing for the upgrade: every call goes through `Repo`, which can redirect new objects into a temporary
// object directory (a dry run writes nothing into .git) and carries the per-command configuration.

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const FALLBACK_IDENTITY = ['-c', 'user.name=aks-platform', '-c', 'user.email=aks-platform@users.noreply.github.com'];

export class Repo {
  /** Extra environment for every git call (a dry run's temporary object directory). */
  env: Record<string, string> = {};

  constructor(readonly dir: string) {}

  run(args: string[], options: { input?: string; env?: Record<string, string>; ok?: number[] } = {}): RunResult {
    const result = spawnSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      input: options.input,
      env: { ...process.env, ...this.env, ...options.env },
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (result.error) {
      const code = (result.error as { code?: string }).code;
      throw new UserError(upgradeMessages.gitFailed(code === 'ENOENT' ? 'git is not installed' : result.error.message));
    }
    const run = { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    if (!(options.ok ?? [0]).includes(run.code)) {
      throw new UserError(
        upgradeMessages.gitFailed(
          `git ${args.filter((a) => !a.includes('driver=')).join(' ')}: ${(run.stderr || run.stdout).trim()}`,
        ),
      );
    }
    return run;
  }

  out(args: string[], options: { input?: string; env?: Record<string, string> } = {}): string {
    return this.run(args, options).stdout.trim();
  }

  /** The commit a ref names, or undefined. */
  resolve(ref: string): string | undefined {
    const result = this.run(['rev-parse', '-q', '--verify', `${ref}^{commit}`], { ok: [0, 1, 128] });
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  gitPath(name: string): string {
    return resolve(this.dir, this.out(['rev-parse', '--git-path', name]));
  }

  identity(): string[] {
    return this.run(['config', 'user.email'], { ok: [0, 1] }).code === 0 ? [] : FALLBACK_IDENTITY;
  }

  /** path -> blob id of every file in a commit or tree. */
  tree(treeish: string | undefined): Map<string, string> {
    const files = new Map<string, string>();
    if (!treeish) return files;
    for (const entry of this.out(['ls-tree', '-r', '-z', treeish]).split('\0')) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
      if (match) files.set(match[2]!, match[1]!);
    }
    return files;
  }

  /** Writes the files as blobs and a tree through a temporary index; nothing else in the repository is touched. */
  /** The contents of the files under a folder (`infra/`) of a tree-ish, keyed by repository path. */
  files(treeish: string, folder: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const [path, blob] of this.tree(treeish))
      if (path.startsWith(folder)) files.set(path, this.out(['cat-file', 'blob', blob]));
    return files;
  }

  writeTree(files: FileMap): string {
    const temp = createStaging(join(tmpdir(), 'aks-platform-tree-'));
    try {
      const paths = [...files.keys()];
      paths.forEach((path, i) => writeFileSync(join(temp, String(i)), files.get(path)!));
      const ids = this.out(['hash-object', '-w', '--no-filters', '--stdin-paths'], {
        input: paths.map((_, i) => join(temp, String(i))).join('\n') + '\n',
      }).split('\n');
      const index = join(temp, 'index');
      const env = { GIT_INDEX_FILE: index };
      this.out(['update-index', '--add', '-z', '--index-info'], {
        env,
        input: paths.map((path, i) => `100644 ${ids[i]}\t${path}\0`).join(''),
      });
      return this.out(['write-tree'], { env });
    } finally {
      discardStaging(temp);
    }
  }

  /** A tree with some paths removed and some rewritten (a dry run applies the upgrade's own resolutions this way). */
  editTree(tree: string, remove: string[], rewrite: Map<string, string>): string {
    if (remove.length === 0 && rewrite.size === 0) return tree;
    const temp = createStaging(join(tmpdir(), 'aks-platform-tree-'));
    try {
      const env = { GIT_INDEX_FILE: join(temp, 'index') };
      this.out(['read-tree', tree], { env });
      if (remove.length > 0)
        this.out(['update-index', '--force-remove', '-z', '--stdin'], {
          env,
          input: remove.map((p) => `${p}\0`).join(''),
        });
      for (const [path, content] of rewrite) {
        const id = this.out(['hash-object', '-w', '--no-filters', '--stdin'], { input: content });
        this.out(['update-index', '--add', '--cacheinfo', `100644,${id},${path}`], { env });
      }
      return this.out(['write-tree'], { env });
    } finally {
      discardStaging(temp);
    }
  }

  commitTree(tree: string, parents: string[], message: string): string {
    return this.out(
      [
        ...this.identity(),
        '-c',
        'commit.gpgsign=false',
        'commit-tree',
        tree,
        ...parents.flatMap((p) => ['-p', p]),
        '-F',
        '-',
      ],
      { input: message },
    );
  }
}

/**
 * The YAML merge driver, bundled on its own by scripts/build-cli.mjs: git runs it with node, whether the caller is
 * the CLI bundle, the Yeoman generators' bundle or the tests' TypeScript.
 */
export function driverPath(): string {
  const path = join(packageRoot, 'dist/yaml-driver.mjs');
  if (!existsSync(path)) throw new Error(`the YAML merge driver ${path} is missing: run npm run build`);
  return path;
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * The configuration of one merge, passed with -c so nothing is written to .git/config or .gitattributes:
 * the YAML driver for *.yaml/*.yml through a temporary attributes file, and no rename detection (a file the
 * generator stops emitting is reported as removed, not silently moved).
 */
export function mergeConfig(tempDir: string): string[] {
  mkdirSync(tempDir, { recursive: true });
  const attributes = join(tempDir, 'attributes');
  writeFileSync(attributes, '*.yaml merge=aksyaml\n*.yml merge=aksyaml\n*.YAML merge=aksyaml\n*.YML merge=aksyaml\n');
  return [
    '-c',
    `core.attributesFile=${attributes}`,
    '-c',
    'merge.aksyaml.name=aks-platform YAML merge per Kubernetes object and key',
    '-c',
    `merge.aksyaml.driver=${shellQuote(process.execPath)} ${shellQuote(driverPath())} %O %A %B %P %L`,
    '-c',
    'merge.renames=false',
    '-c',
    'diff.renames=false',
    '-c',
    'merge.conflictStyle=merge',
    '-c',
    'commit.gpgsign=false',
  ];
}
