import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { type BicepDiagnostic, type BicepEngine, findBicep, inParallel, openBicep } from '../bicep/engine.js';
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

/** A Bicep diagnostic as a finding on the repository-relative file. */
function bicepFinding(dir: string, d: BicepDiagnostic): Finding {
  return {
    rule: `bicep/${d.code}`,
    severity: d.level === 'Error' ? 'error' : 'warning',
    file: relative(dir, d.file).split(sep).join('/'),
    line: d.line,
    message: d.message,
    fix:
      d.level === 'Error'
        ? 'correct the Bicep so it compiles'
        : 'follow the linter rule (bicepconfig.json raises the important ones to errors)',
  };
}

/** The template a .bicepparam file is `using`, as a repository path, when it names a local file. */
function usingTarget(paramPath: string, text: string): string | undefined {
  const target = /^\s*using\s+'([^']+\.bicep)'/m.exec(text)?.[1];
  return target === undefined ? undefined : posix.normalize(posix.join(posix.dirname(paramPath), target));
}

/**
 * Every parameter file, then every entry point no parameter file already compiled, through one Bicep engine: a
 * parameter file's compilation includes its template's and modules' diagnostics, linter rules included.
 */
async function checkBicep(dir: string, files: Map<string, string>, engine: BicepEngine): Promise<Finding[]> {
  const params = [...files.keys()].filter((f) => /^infra\/.*\.bicepparam$/.test(f));
  const covered = new Set(params.map((f) => usingTarget(f, files.get(f) ?? '')));
  const entries = [...files.keys()].filter(
    (f) => (/^infra\/[^/]+\.bicep$/.test(f) || /^infra\/bootstrap\/[^/]+\.bicep$/.test(f)) && !covered.has(f),
  );
  const results = await inParallel(
    [...params.map((f) => ['params', f] as const), ...entries.map((f) => ['template', f] as const)],
    2,
    ([kind, f]) => (kind === 'params' ? engine.compileParams(join(dir, f)) : engine.compile(join(dir, f))),
  );
  // Parameter files share their template's modules: one finding per place is enough.
  const seen = new Set<string>();
  return results
    .flatMap((r) => r.diagnostics)
    .map((d) => bicepFinding(dir, d))
    .filter((f) => {
      const key = `${f.rule}|${f.file}|${f.line}|${f.message}`;
      return !seen.has(key) && seen.add(key);
    });
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
    const engine = await openBicep(bicep);
    try {
      findings.push(...(await checkBicep(dir, files, engine)));
    } finally {
      await engine.close();
    }
    checks.push({
      name: 'bicep',
      status: 'ran',
      detail: `bicep compile, parameters and lint (${bicep}, ${engine.mode === 'jsonrpc' ? 'one jsonrpc process' : `one process per file; ${engine.fallbackReason ?? 'as asked'}`})`,
    });
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
