import { packageJson } from './paths.js';

// Every external version the generator or its output depends on lives here, so an upgrade is one reviewed diff.

export const GENERATOR_NAME = packageJson.name;
export const GENERATOR_VERSION = packageJson.version;

/** Default AKS minor version: GA on AKS and inside its support window when this generator version was cut. */
export const DEFAULT_KUBERNETES_VERSION = '1.35';

/** The Bicep CLI the tests compile with (NuGet package Azure.Bicep.CommandLine.linux-x64). */
export const BICEP_CLI = '0.49.2';

const pinned = {} as const satisfies Record<string, string>;

/** Looks a pinned version up by name; an unknown name is a bug, so it throws instead of emitting `undefined`. */
export function versionOf(name: string): string {
  const value = (pinned as Record<string, string>)[name];
  if (value === undefined) throw new Error(`versions.ts has no pinned version named "${name}"`);
  return value;
}
