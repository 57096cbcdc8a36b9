import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { messages } from '../messages.js';
import type { JsonObject } from './merge.js';

/** Quotes a shell word only when it needs it. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Keeps the answers of a run that was cancelled or whose answers still fail, beside the target directory (never in
 * it: nothing is written there), readable only by the user, headed by the command that resumes from it. Returns the
 * message to show, or undefined when there was nothing to keep or the file could not be written: keeping is a
 * courtesy, and the run already failed for its own reason, which is what gets reported.
 */
export function keepAnswers(dir: string, given: JsonObject | undefined, command: (file: string) => string) {
  if (!given) return undefined;
  const file = `${resolve(dir)}.answers.yaml`;
  const resume = command(file);
  try {
    writeFileSync(file, `${messages.resumeHeader(resume)}${stringifyYaml(given)}`, { mode: 0o600 });
    return messages.answersKept(file, resume);
  } catch {
    return undefined;
  }
}
