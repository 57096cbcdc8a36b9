import { type Dirent, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join, posix, relative, resolve, sep } from 'node:path';
import { ARM_TEMPLATE_LIMITS, armLimitBreaches } from '../azure/arm-limits.js';
import { type BicepDiagnostic, type BicepEngine, findBicep, inParallel, openBicep } from '../bicep/engine.js';
import { describeFsError, FileError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { formatBytes, readBounded, TooLarge } from '../util/read.js';
import type { Finding } from './finding.js';
import { checkGatewayRules } from './gateway-rules.js';
import { checkAutomaticRules } from './automatic-rules.js';
import { checkPipelineRules } from './pipeline-rules.js';
import { checkConsistency, lineOfText } from './rules.js';

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

/** What a walk over a repository found: the text it read, and what it could not or would not read. */
export interface RepositoryScan {
  /** Text files keyed by their /-separated relative path. */
  files: Map<string, string>;
  /** Paths that exist but were not read (too large, unreadable, links, devices): they still exist for the rules. */
  present: Set<string>;
  findings: Finding[];
}

const KIND_OF = (entry: Dirent): string =>
  entry.isFIFO()
    ? 'a FIFO'
    : entry.isSocket()
      ? 'a socket'
      : entry.isCharacterDevice() || entry.isBlockDevice()
        ? 'a device'
        : 'not a regular file';

/**
 * Walks a repository (not .git or node_modules) through the bounded reader. Every path it cannot read is a finding,
 * never a crash or a silent skip: too large, permission denied, a FIFO or device, a symbolic link (not followed:
 * one pointing outside the repository, or nowhere, is an error).
 */
export function scanRepository(dir: string): RepositoryScan {
  const root = resolve(dir);
  const files = new Map<string, string>();
  const present = new Set<string>();
  const findings: Finding[] = [];
  const note = (file: string, rule: string, message: string, fix: string, severity: Finding['severity'] = 'error') => {
    present.add(file);
    findings.push({ rule, severity, file, line: 1, message, fix });
  };
  const visit = (current: string) => {
    const relDir = relative(root, current).split(sep).join('/') || '.';
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      const why = describeFsError(error);
      if (!why) throw error;
      note(relDir, 'unreadable', `the folder cannot be read: ${why.problem}; nothing in it was checked`, why.fix);
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = join(current, entry.name);
      const rel = relative(root, path).split(sep).join('/');
      if (entry.isSymbolicLink()) {
        let target: string | undefined;
        try {
          target = realpathSync(path);
        } catch {
          target = undefined;
        }
        const inside = target !== undefined && (target === root || target.startsWith(`${root}${sep}`));
        if (target === undefined)
          note(
            rel,
            'symlink',
            `is a symbolic link to ${readlinkSafe(path)}, which does not exist`,
            'remove the link, or replace it with the file itself',
          );
        else if (!inside)
          note(
            rel,
            'symlink',
            `is a symbolic link to ${target}, outside the repository: it was not followed, and a clone of the repository (Flux, the pipelines) gets a dangling link`,
            'replace the link with the file itself',
          );
        else
          note(
            rel,
            'symlink',
            `is a symbolic link to ${relative(root, target).split(sep).join('/') || '.'}; it was not followed (the target is checked where it is)`,
            'replace the link with a copy if tools outside git need the file here',
            'warning',
          );
      } else if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) {
        try {
          files.set(rel, readBounded(path, { maxBytes: MAX_FILE_BYTES, what: 'file of a platform repository' }));
        } catch (error) {
          if (error instanceof TooLarge)
            note(
              rel,
              'file-too-large',
              `is larger than ${formatBytes(MAX_FILE_BYTES)}; validate does not read it, so it was not checked`,
              'keep large files out of the platform repository (use releases, a registry or LFS), or split the file',
            );
          else if (error instanceof FileError) note(rel, 'unreadable', `cannot be read: ${error.problem}`, error.fix);
          else throw error;
        }
      } else note(rel, 'not-a-file', `is ${KIND_OF(entry)}; a repository holds files and folders`, 'remove it');
    }
  };
  visit(root);
  const hasPlatform = [...files.keys(), ...present].some((f) => /^(\.yo-rc\.json$|infra\/|clusters\/)/.test(f));
  if (!hasPlatform)
    findings.push({
      rule: 'repository',
      severity: 'error',
      file: '.',
      line: 1,
      message:
        files.size + present.size === 0
          ? 'the folder is empty: there is no platform repository to validate'
          : 'this is not a platform repository: it has none of .yo-rc.json, infra/ and clusters/',
      fix: 'run validate in (or name) the folder of a generated platform repository',
    });
  return { files, present, findings };
}

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '(unknown)';
  }
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
  const jobs = [...params.map((f) => ['params', f] as const), ...entries.map((f) => ['template', f] as const)];
  const results = await inParallel(jobs, 2, ([kind, f]) =>
    kind === 'params' ? engine.compileParams(join(dir, f)) : engine.compile(join(dir, f)),
  );
  // Parameter files share their template's modules: one finding per place is enough.
  const seen = new Set<string>();
  const diagnostics = results
    .flatMap((r) => r.diagnostics)
    .map((d) => bicepFinding(dir, d))
    .filter((f) => {
      const key = `${f.rule}|${f.file}|${f.line}|${f.message}`;
      return !seen.has(key) && seen.add(key);
    });
  const limits = jobs.flatMap(([kind, f], i) => {
    const r = results[i]!;
    const template = kind === 'params' ? r.template : r.contents;
    if (!r.success || template === undefined) return [];
    const values = kind === 'params' && r.contents ? (JSON.parse(r.contents) as ArmParameters).parameters : {};
    return armLimitFindings(f, files.get(f) ?? '', kind, template, values ?? {});
  });
  return [...diagnostics, ...limits];
}

type ArmParameters = { parameters?: Record<string, { value?: unknown }> };

/**
 * The ARM template limits the compiled deployment crosses, with copy loops counted in full: Bicep's max-* linter
 * rules count declarations, not what a loop over 900 teams deploys, nor the template's size.
 */
function armLimitFindings(
  file: string,
  text: string,
  kind: 'params' | 'template',
  template: string,
  values: Record<string, { value?: unknown }>,
): Finding[] {
  const line = kind === 'params' ? lineOfText(text, /^\s*using\s/m) : 1;
  return armLimitBreaches(template, values).map(({ limit, template: where, count }) => {
    const { value, what, source } = ARM_TEMPLATE_LIMITS[limit];
    return {
      rule: 'arm-template-limits',
      severity: 'error',
      file,
      line,
      message: `${kind === 'params' ? `the deployment of ${file}` : file}: ${where} has ${count} ${what}; ARM allows ${value} (${source})`,
      fix:
        limit === 'resources' || limit === 'copyCount'
          ? 'deploy fewer resources from one template: fewer teams per platform repository, or move a loop into a module, whose nested deployment has limits of its own'
          : 'keep the template inside the limit: move declarations into modules, whose nested deployments have limits of their own',
    };
  });
}

export async function validateRepository(dir: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const scan = scanRepository(dir);
  const { files } = scan;
  const schemasDir = options.schemasDir ?? join(packageRoot, 'schema', 'vendor');
  const findings: Finding[] = [...scan.findings];
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
    findings.push(
      problem.line === undefined
        ? {
            rule: 'kubernetes-schema',
            severity: 'error',
            file: problem.file,
            line: lineOfDocument(files.get(problem.file) ?? '', problem.document),
            message: `${problem.document}: ${problem.message}`,
            fix: 'correct the manifest against its Kubernetes, Flux or CRD schema',
          }
        : {
            rule: 'yaml',
            severity: 'error',
            file: problem.file,
            line: problem.line,
            message: `document ${problem.document}: ${problem.message}`,
            fix: 'correct the YAML at this line (write repeated values out instead of nesting aliases)',
          },
    );
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

  // A folder validate could not read makes the rules see its files as missing: the unreadable finding says it once.
  const unreadDirs = scan.findings
    .filter((f) => f.rule === 'unreadable' && !files.has(f.file))
    .map((f) => new RegExp(`(^|[\\s/.])${f.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`));
  findings.push(
    ...[
      ...checkConsistency(files, scan.present),
      ...checkPipelineRules(files),
      ...checkGatewayRules(files),
      ...checkAutomaticRules(files),
    ].filter((f) => !unreadDirs.some((dir) => dir.test(f.file) || dir.test(f.message))),
  );
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
