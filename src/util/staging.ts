import { mkdtempSync, rmSync } from 'node:fs';
import { asFileError } from '../errors.js';

// Staging folders (a new repository before it is renamed into place, an upgrade's scratch trees) are removed when
// the command ends in any way: success, error, or SIGINT/SIGTERM/SIGHUP. The signal handlers exist only while a
// staging folder does; after cleaning they re-raise the signal, so the process ends as the signal says (130 for
// Ctrl-C) and whatever else listens is not second-guessed.

const staged = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

function removeAll(): void {
  for (const path of staged) rmSync(path, { recursive: true, force: true });
  staged.clear();
}

/** Creates a staging folder (mkdtemp) that is removed on any exit until `release` or `discard` is called. */
export function createStaging(prefix: string): string {
  let path: string;
  try {
    path = mkdtempSync(prefix);
  } catch (error) {
    throw asFileError(error, prefix.replace(/[^/]*$/, '') || '.');
  }
  if (staged.size === 0) {
    for (const s of SIGNALS) process.on(s, onSignal);
    process.once('exit', removeAll);
  }
  staged.add(path);
  return path;
}

function forget(path: string): void {
  staged.delete(path);
  if (staged.size === 0) {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.removeListener('exit', removeAll);
  }
}

/** The folder was renamed into place (or is otherwise kept): stop tracking it. */
export function releaseStaging(path: string): void {
  forget(path);
}

/** Removes a staging folder now. */
export function discardStaging(path: string): void {
  rmSync(path, { recursive: true, force: true });
  forget(path);
}
