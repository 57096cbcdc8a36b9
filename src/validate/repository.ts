import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../paths.js';
import type { Finding } from './finding.js';
import { checkPipelineRules } from './pipeline-rules.js';
import { checkConsistency } from './rules.js';

// `aks-platform validate`: every validator the test suite uses, over a repository on disk, plus the cross-file
// rules. A validator that cannot run is reported as skipped, never silently passed.

export interface Check {
  name: string;
  status: 'ran' | 'skipped';
  detail: string;
}

export interface ValidationReport {
  findings: Finding[];
  checks: Check[];
}

export interface ValidateOptions {
  /** The Bicep CLI; default: AKS_PLATFORM_BICEP, then `bicep` on PATH. */
  bicep?: string | undefined;
  /** Folder of the CRD and Azure Pipelines schemas; default: the copies shipped with the package. */
  schemasDir?: string | undefined;
}

const run = promisify(execFile);
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The text files of a repository (not .git or node_modules), keyed by their /-separated relative path. */
export function readRepository(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && statSync(path).size <= MAX_FILE_BYTES)
        files.set(relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  visit(dir);
  return files;
}

function findBicep(explicit: string | undefined): string | undefined {
  const candidate = explicit ?? process.env.AKS_PLATFORM_BICEP;
  if (candidate) return existsSync(candidate) ? candidate : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, 'bicep');
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

/** Bicep diagnostics look like `/path/file.bicep(12,3) : Warning no-unused-params: message [url]`. */
function bicepFindings(dir: string, output: string): Finding[] {
  const findings: Finding[] = [];
  for (const line of output.split('\n')) {
    const match = /^(.*?)\((\d+),\d+\)\s*:\s*(Error|Warning)\s+([^:]+):\s*(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, file, row, level, code, message] = match;
    findings.push({
      rule: `bicep/${code!.trim()}`,
      severity: level === 'Error' ? 'error' : 'warning',
      file: relative(dir, file!).split(sep).join('/'),
      line: Number(row),
      message: message!.replace(/\s*\[https?:\/\/[^\]]+\]\s*$/, ''),
      fix:
        level === 'Error'
          ? 'correct the Bicep so it compiles'
          : 'follow the linter rule (bicepconfig.json raises the important ones to errors)',
    });
  }
  return findings;
}

async function checkBicep(dir: string, files: Map<string, string>, bicep: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const params = [...files.keys()].filter((f) => /^infra\/.*\.bicepparam$/.test(f));
  const entries = [...files.keys()].filter(
    (f) => /^infra\/[^/]+\.bicep$/.test(f) || /^infra\/bootstrap\/[^/]+\.bicep$/.test(f),
  );
  for (const [args, file] of [
    ...params.map((f) => [['build-params', '--stdout'], f] as const),
    ...entries.map((f) => [['lint'], f] as const),
  ]) {
    try {
      const { stderr } = await run(bicep, [...args, join(dir, file)], { maxBuffer: 64 * 1024 * 1024 });
      findings.push(...bicepFindings(dir, stderr));
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      const parsed = bicepFindings(dir, `${e.stderr ?? ''}\n${e.stdout ?? ''}`);
      findings.push(
        ...(parsed.length > 0
          ? parsed
          : [
              {
                rule: 'bicep',
                severity: 'error' as const,
                file,
                line: 1,
                message: (e.stderr || e.message).trim().split('\n')[0] ?? 'bicep failed',
                fix: 'run the bicep command shown to see the full error',
              },
            ]),
      );
    }
  }
  // Lint and build-params both report a module's diagnostics; one finding per place is enough.
  const seen = new Set<string>();
  return findings.filter(
    (f) =>
      !seen.has(`${f.rule}|${f.file}|${f.line}|${f.message}`) && seen.add(`${f.rule}|${f.file}|${f.line}|${f.message}`),
  );
}

export async function validateRepository(dir: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const files = readRepository(dir);
  const schemasDir = options.schemasDir ?? join(packageRoot, 'schema', 'vendor');
  const findings: Finding[] = [];
  const checks: Check[] = [];

  const bicep = findBicep(options.bicep);
  const hasBicep = [...files.keys()].some((f) => f.startsWith('infra/') && /\.bicep(param)?$/.test(f));
  if (!hasBicep) checks.push({ name: 'bicep', status: 'skipped', detail: 'no Bicep files under infra/' });
  else if (!bicep)
    checks.push({
      name: 'bicep',
      status: 'skipped',
      detail: 'no Bicep CLI found: install it (az bicep install) and put bicep on PATH, or set AKS_PLATFORM_BICEP',
    });
  else {
    findings.push(...(await checkBicep(dir, files, bicep)));
    checks.push({ name: 'bicep', status: 'ran', detail: `bicep build-params and lint (${bicep})` });
  }

  const { loadCrdValidators, validateManifestFiles } = await import('./kubernetes.js');
  const crds = loadCrdValidators(schemasDir);
  for (const problem of validateManifestFiles(files, crds)) {
    findings.push({
      rule: 'kubernetes-schema',
      severity: 'error',
      file: problem.file,
      line: lineOfDocument(files.get(problem.file) ?? '', problem.document),
      message: `${problem.document}: ${problem.message}`,
      fix: 'correct the manifest against its Kubernetes, Flux or CRD schema',
    });
  }
  checks.push({
    name: 'kubernetes',
    status: 'ran',
    detail: `Kubernetes and Flux schemas${crds ? ', CRD schemas' : ' (CRD schemas not found: custom resources reported as unknown)'}`,
  });

  if ([...files.keys()].some((f) => f.startsWith('.github/workflows/'))) {
    (await import('./json-modules.js')).allowActionsJsonImports();
    const { validateWorkflows } = await import('./workflows.js');
    for (const w of await validateWorkflows(files)) {
      findings.push({
        rule: `github-workflow/${w.tool}`,
        severity: 'error',
        file: w.path,
        line: w.line ?? 1,
        message: w.message,
        fix: 'correct the workflow; GitHub would reject or misrun it',
      });
    }
    checks.push({ name: 'github-workflows', status: 'ran', detail: "GitHub's workflow parser and actionlint" });
  }

  if ([...files.keys()].some((f) => f.startsWith('.azure-pipelines/'))) {
    const { validateAzurePipelines } = await import('./azure-pipelines.js');
    for (const p of validateAzurePipelines(files, join(schemasDir, 'azure-pipelines.schema.json'))) {
      findings.push({
        rule: 'azure-pipelines-schema',
        severity: 'error',
        file: p.path,
        line: 1,
        message: p.message,
        fix: 'correct the pipeline against the Azure Pipelines schema',
      });
    }
    checks.push({ name: 'azure-pipelines', status: 'ran', detail: 'Azure Pipelines schema' });
  }

  findings.push(...checkConsistency(files), ...checkPipelineRules(files));
  checks.push({ name: 'consistency', status: 'ran', detail: 'cross-file rules' });
  return {
    findings: findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1)),
    checks,
  };
}

/** The line where the described document (`Kind/name`) starts, for findings that name a document. */
function lineOfDocument(text: string, document: string): number {
  const name = document.split('/')[1];
  if (!name) return 1;
  const index = text.search(
    new RegExp(`^\\s*name:\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`, 'm'),
  );
  return index < 0 ? 1 : text.slice(0, index).split('\n').length;
}
