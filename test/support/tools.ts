import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { BICEP_CLI } from '../../src/versions.js';

/**
 * A validator the tests need but cannot find: under CI that is a failure (a missing validator must never pass
 * silently); locally the tests skip with a loud notice. Returns true when the caller should skip.
 */
export function missingTool(name: string, fix: string): boolean {
  const message = `${name} is not available: ${fix}`;
  if (process.env.CI) throw new Error(`${message} (CI=true: a missing validator fails the run)`);
  console.warn(`\n!!! SKIPPING ${name} tests: ${message}\n`);
  return true;
}

/** The Bicep CLI restored by scripts/install-tools.mjs, or undefined. */
export function bicepPath(): string | undefined {
  const path = join(packageRoot, 'tools/bicep/packages/azure.bicep.commandline.linux-x64', BICEP_CLI, 'tools/bicep');
  return existsSync(path) ? path : undefined;
}

/** A command-line validator on PATH (`<command> <versionArgs>` exits 0), under the same rule as missingTool. */
export function commandMissing(command: string, versionArgs: string[], fix: string): boolean {
  return spawnSync(command, versionArgs, { stdio: 'ignore' }).status !== 0 && missingTool(command, fix);
}
