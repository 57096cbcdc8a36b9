import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { asFileError, FileError, UserError } from '../errors.js';
import { messages } from '../messages.js';
import type { FileMap } from '../render/index.js';
import { createStaging, discardStaging, releaseStaging } from '../util/staging.js';
import { initRepository } from './git.js';

export interface WriteOptions {
  force: boolean;
  git: boolean;
  commitMessage: string;
}

export interface WriteResult {
  dir: string;
  written: number;
  committed: boolean;
  /** Files that existed and were replaced (only with --force). */
  overwritten: string[];
  /** Where the previous content of overwritten files was saved (a target that is not a git repository). */
  savedTo?: string;
}

function writeAll(root: string, files: FileMap): void {
  for (const [path, content] of files) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/**
 * The target as the write will use it: a symbolic link to a folder is followed; a dangling link, a file, or a path
 * under a file is the user's to fix.
 */
function resolveTarget(dirArg: string): { dir: string; exists: boolean } {
  const dir = resolve(dirArg);
  let link: ReturnType<typeof lstatSync> | undefined;
  try {
    link = lstatSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    throw asFileError(error, dirArg);
  }
  if (!link) return { dir, exists: false };
  if (link.isSymbolicLink()) {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      throw new FileError(
        dirArg,
        'is a symbolic link to a folder that does not exist',
        'create the folder it points to, or choose another directory',
      );
    }
    if (!statSync(real).isDirectory()) throw new UserError(messages.targetIsFile(dirArg));
    return { dir: real, exists: true };
  }
  if (!link.isDirectory()) throw new UserError(messages.targetIsFile(dirArg));
  return { dir, exists: true };
}

/**
 * Writes the repository so that a failure leaves nothing half-written: the files are staged beside the target,
 * then a new target is renamed into place in one step, and --force moves each staged file over its original with
 * the originals kept until every move succeeded (rolled back otherwise). A user's uncommitted edit is never lost:
 * --force refuses to overwrite files with uncommitted changes in a git repository, and outside one saves the files
 * it replaces and says where.
 */
export function writeRepository(dirArg: string, files: FileMap, options: WriteOptions): WriteResult {
  const { dir, exists } = resolveTarget(dirArg);
  let entries: string[] = [];
  try {
    entries = exists ? readdirSync(dir) : [];
  } catch (error) {
    throw asFileError(error, dirArg);
  }
  if (entries.length > 0) {
    if (!options.force) throw new UserError(messages.targetNotEmpty(dirArg));
    return writeInPlace(dirArg, dir, files, options);
  }

  try {
    mkdirSync(dirname(dir), { recursive: true });
  } catch (error) {
    throw asFileError(error, dirname(dirArg) || '.');
  }
  const staging = createStaging(join(dirname(dir), `.${basename(dir)}.aks-platform-`));
  try {
    // mkdtemp creates 0700; the repository gets the permissions any new directory would.
    chmodSync(staging, 0o777 & ~process.umask());
    writeAll(staging, files);
    if (options.git) initRepository(staging, options.commitMessage);
    if (exists) rmdirSync(dir);
    renameSync(staging, dir);
    releaseStaging(staging);
  } catch (error) {
    discardStaging(staging);
    // Another run that got there first leaves the target non-empty: the rename says ENOTEMPTY or EEXIST.
    throw asFileError(error, dirArg);
  }
  return { dir, written: files.size, committed: options.git, overwritten: [] };
}

/** Paths among `paths` with uncommitted changes (staged, unstaged or untracked-but-ignored aside) in a repository. */
function uncommitted(dir: string, paths: string[]): string[] {
  if (paths.length === 0) return [];
  let out: string;
  try {
    out = execFileSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    // Not a repository git can read: treat every existing file as uncommitted, so it is saved, never lost.
    return paths;
  }
  return out
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
}

/** The nearest folder that exists on the way to `path` (where a new folder would be created). */
function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

function writeInPlace(dirArg: string, dir: string, files: FileMap, options: WriteOptions): WriteResult {
  const paths = [...files.keys()];
  const existing = paths.filter((path) => existsSync(join(dir, path)));
  const changed = existing.filter((path) => {
    try {
      return readFileSync(join(dir, path), 'utf8') !== files.get(path);
    } catch (error) {
      throw asFileError(error, join(dirArg, path));
    }
  });
  const isRepository = existsSync(join(dir, '.git'));
  if (isRepository) {
    const dirty = uncommitted(dir, changed);
    if (dirty.length > 0) throw new UserError(messages.uncommittedEdits(dirArg, dirty));
  }

  // Permissions first: every folder a file goes into (or the folder it will be created in) must be writable, and
  // so must every file to replace. Nothing is written when one is not.
  for (const path of paths) {
    const target = join(dir, path);
    for (const [check, shown] of [
      [nearestExisting(dirname(target)), dirname(path)],
      ...(existsSync(target) ? [[target, path]] : []),
    ] as const) {
      try {
        accessSync(check, constants.W_OK);
        if (check !== target && !statSync(check).isDirectory())
          throw new FileError(join(dirArg, shown), 'is a file where the repository needs a folder', 'move it away');
      } catch (error) {
        throw asFileError(error, join(dirArg, shown === '.' ? '' : shown));
      }
    }
  }

  let staging: string;
  try {
    staging = createStaging(join(dirname(dir), `.${basename(dir)}.aks-platform-`));
  } catch {
    staging = createStaging(join(dir, '.aks-platform-staging-'));
  }
  const next = join(staging, 'new');
  const previous = join(staging, 'previous');
  const moved: string[] = [];
  const createdDirs: string[] = [];
  try {
    writeAll(next, files);
    for (const path of paths) {
      const target = join(dir, path);
      const parent = dirname(target);
      if (!existsSync(parent)) {
        createdDirs.push(nearestMissing(parent));
        mkdirSync(parent, { recursive: true });
      }
      if (existsSync(target)) {
        mkdirSync(dirname(join(previous, path)), { recursive: true });
        renameSync(target, join(previous, path));
      }
      moved.push(path);
      renameSync(join(next, path), target);
    }
  } catch (error) {
    // Roll back: every original returns, every new file and folder goes.
    for (const path of moved.reverse()) {
      const target = join(dir, path);
      try {
        if (existsSync(join(previous, path))) renameSync(join(previous, path), target);
        else if (existsSync(target)) renameSync(target, join(next, path));
      } catch {
        // The staging folder keeps what could not be put back; it is removed below only when nothing is left there.
      }
    }
    for (const created of createdDirs.reverse()) {
      try {
        removeEmptyTree(created);
      } catch {
        // A folder that is not empty holds the user's files: keep it.
      }
    }
    discardStaging(staging);
    throw asFileError(error, dirArg);
  }

  // Outside a repository nothing else keeps the replaced content: save the files whose content changed.
  let savedTo: string | undefined;
  if (!isRepository && changed.length > 0) {
    savedTo = join(dirname(dir), `${basename(dir)}.aks-platform-saved-${timestamp()}`);
    try {
      renameSync(previous, savedTo);
    } catch {
      savedTo = join(staging, 'previous');
    }
  }
  if (savedTo?.startsWith(staging)) releaseStaging(staging);
  else discardStaging(staging);

  // An existing repository is the user's: its history is theirs to commit. A plain folder becomes a repository.
  const committed = options.git && !isRepository;
  if (committed) initRepository(dir, options.commitMessage);
  return { dir, written: files.size, committed, overwritten: existing, ...(savedTo ? { savedTo } : {}) };
}

function nearestMissing(path: string): string {
  let current = path;
  while (!existsSync(dirname(current))) current = dirname(current);
  return current;
}

function removeEmptyTree(path: string): void {
  for (const name of readdirSync(path)) removeEmptyTree(join(path, name));
  rmdirSync(path);
}

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
