import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { messages } from '../messages.js';
import type { FileMap } from '../render/index.js';
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
}

function writeAll(root: string, files: FileMap): void {
  for (const [path, content] of files) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

function isEmptyDir(dir: string): boolean {
  return readdirSync(dir).length === 0;
}

/**
 * Writes the repository so that a failure leaves nothing half-written: a new target is staged beside it and renamed
 * into place in one step. Only --force writes into a non-empty directory, file by file, each atomically.
 */
export function writeRepository(dirArg: string, files: FileMap, options: WriteOptions): WriteResult {
  const dir = resolve(dirArg);
  const exists = existsSync(dir);
  if (exists && !statSync(dir).isDirectory()) throw new UserError(messages.targetIsFile(dirArg));
  if (exists && !isEmptyDir(dir)) {
    if (!options.force) throw new UserError(messages.targetNotEmpty(dirArg));
    return writeInPlace(dir, files, options);
  }

  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(join(dirname(dir), `.${basename(dir)}.aks-platform-`));
  try {
    // mkdtemp creates 0700; the repository gets the permissions any new directory would.
    chmodSync(staging, 0o777 & ~process.umask());
    writeAll(staging, files);
    if (options.git) initRepository(staging, options.commitMessage);
    if (exists) rmdirSync(dir);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return { dir, written: files.size, committed: options.git, overwritten: [] };
}

function writeInPlace(dir: string, files: FileMap, options: WriteOptions): WriteResult {
  const overwritten: string[] = [];
  for (const [path, content] of files) {
    const target = join(dir, path);
    if (existsSync(target)) overwritten.push(path);
    mkdirSync(dirname(target), { recursive: true });
    const temp = `${target}.aks-platform-tmp`;
    writeFileSync(temp, content);
    renameSync(temp, target);
  }
  // An existing repository is the user's: its history is theirs to commit. A plain folder becomes a repository.
  const committed = options.git && !existsSync(join(dir, '.git'));
  if (committed) initRepository(dir, options.commitMessage);
  return { dir, written: files.size, committed, overwritten };
}
