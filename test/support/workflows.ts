import { existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { composeAnswers } from '../../src/answers/load.js';
import type { JsonObject } from '../../src/answers/merge.js';
import { generatePlatform, type Generation } from '../../src/generate.js';
import { azurePipelinesSchemaPath } from '../../src/validate/azure-pipelines.js';
import { missingTool } from './tools.js';
import { completeSets } from './presets.js';

// Scenarios and checks shared by the pipeline tests. Each check returns what is wrong, so a test can show it both
// passes on the generated files and fails on a deliberately broken one.

export const PRESETS = [undefined, 'starter', 'enterprise', 'multicloud'] as const;

export function generate(preset: string | undefined, sets: string[] = [], file?: JsonObject): Generation {
  return generatePlatform(composeAnswers({ preset, sets: completeSets(preset, sets), file }), preset);
}

/** Every preset with GitHub Actions and Azure DevOps on and a known repository owner. */
export function presetScenarios(): { name: string; generation: Generation }[] {
  return PRESETS.map((preset) => ({
    name: preset ?? 'defaults',
    generation: generate(preset, ['delivery.github.owner=contoso', 'delivery.azureDevOps=true']),
  }));
}

export function workflowFiles(files: ReadonlyMap<string, string>): [string, string][] {
  return [...files].filter(([path]) => path.startsWith('.github/workflows/'));
}

export function azurePipelineFiles(files: ReadonlyMap<string, string>): [string, string][] {
  return [...files].filter(([path]) => path.startsWith('.azure-pipelines/'));
}

export function pipelineFiles(files: ReadonlyMap<string, string>): [string, string][] {
  return [...workflowFiles(files), ...azurePipelineFiles(files)];
}

export type Workflow = {
  on: Record<string, unknown> & { schedule?: { cron: string }[] };
  permissions?: unknown;
  jobs: Record<
    string,
    {
      permissions?: unknown;
      environment?: string;
      steps: { name?: string; uses?: string; run?: string; with?: Record<string, string> }[];
    }
  >;
};

export function readWorkflow(content: string): Workflow {
  return parseYaml(content) as Workflow;
}

/** The vendored schema; missing is a failure under CI and a loud skip elsewhere. True means skip. */
export function azurePipelinesSchemaMissing(): boolean {
  return (
    !existsSync(azurePipelinesSchemaPath()) &&
    missingTool('Azure Pipelines schema', `expected at ${azurePipelinesSchemaPath()} (schema/vendor)`)
  );
}

/** Lines that would sign in with a secret instead of a federated credential. */
export function secretUses(content: string): string[] {
  return content
    .split('\n')
    .filter((line) =>
      /client-secret|clientSecret|AZURE_CLIENT_SECRET|ARM_CLIENT_SECRET|\bcreds:|\$\{\{\s*secrets\.|--password|servicePrincipalKey/.test(
        line,
      ),
    );
}

/** `uses:` values not pinned to a 40-hex-character commit SHA with a `# v…` comment. */
export function unpinnedUses(content: string): string[] {
  return content
    .split('\n')
    .filter((line) => /^\s*(-\s+)?uses:/.test(line))
    .filter((line) => !/uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$/.test(line));
}

/** Jobs without a `permissions:` block of their own. */
export function jobsWithoutPermissions(workflow: Workflow): string[] {
  return Object.entries(workflow.jobs)
    .filter(([, job]) => job.permissions === undefined || job.permissions === null)
    .map(([id]) => id);
}

/** The `case` entries of a stop/start decide script: `cron|offset` -> action. */
export function decideEntries(script: string): { cron: string; offset: string; action: string }[] {
  return [...script.matchAll(/^\s*'([^'|]+)\|([+-]\d{4})'\) action=(start|stop) ;;/gm)].map((m) => ({
    cron: m[1]!,
    offset: m[2]!,
    action: m[3]!,
  }));
}

/** The `--parameters` files of the `az deployment sub create` commands, in order of appearance. */
export function deployedParameterFiles(content: string): string[] {
  return [...content.matchAll(/az deployment sub create [^\n]*--parameters '([^']+)'/g)].map((m) => m[1]!);
}

/** Every shell script of a pipeline file: GitHub `run:`, Azure DevOps `bash:` and AzureCLI@2 `inlineScript`. */
export function shellScripts(content: string): string[] {
  const scripts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'run' || key === 'bash' || key === 'inlineScript') && typeof value === 'string')
          scripts.push(value);
        else walk(value);
      }
    }
  };
  walk(parseYaml(content));
  return scripts;
}
