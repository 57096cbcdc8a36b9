import { packageJson } from './paths.js';

// Every external version the generator or its output depends on lives here, so an upgrade is one reviewed diff.

export const GENERATOR_NAME = packageJson.name;
export const GENERATOR_VERSION = packageJson.version;

/** Default AKS minor version: GA on AKS and inside its support window when this generator version was cut. */
export const DEFAULT_KUBERNETES_VERSION = '1.35';

/** The Bicep CLI the tests compile with (NuGet package Azure.Bicep.CommandLine.linux-x64). */
export const BICEP_CLI = '0.49.2';

/** Azure resource provider API versions used by the generated Bicep, by resource type. */
export const AZURE_API_VERSIONS = {} as const satisfies Record<string, string>;

/** Helm charts installed by Flux: repository URL and chart version. */
export const HELM_CHARTS = {} as const satisfies Record<string, { repository: string; version: string }>;

/** Actions used by the generated workflows, pinned to a full commit SHA; `version` is the tag it was cut from. */
export const GITHUB_ACTIONS = {} as const satisfies Record<string, { sha: string; version: string }>;

/** Command-line tools the generated pipelines install. */
export const TOOLS = {} as const satisfies Record<string, string>;

/** Looks a pinned version up by name; an unknown name is a bug, so it throws instead of emitting `undefined`. */
export function pinnedVersion<T>(table: Record<string, T>, name: string): T {
  const value = table[name];
  if (value === undefined) throw new Error(`versions.ts has no pinned version named "${name}"`);
  return value;
}
