import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type BicepDiagnostic, type BicepEngine, inParallel } from '../bicep/engine.js';
import { diffSnapshots, parseSnapshot, type ResourceChange, type SnapshotResource } from './diff.js';

// `aks-platform plan` and the plan `upgrade` prints: per environment (each infra/*.bicepparam), the Azure resources a
// deployment would add, remove and change, from `bicep snapshot` of the files before and after. Offline: no Azure
// credentials, so a pull request from a fork can show it.

export interface EnvironmentPlan {
  /** The parameters file, e.g. infra/dev.bicepparam. */
  parameters: string;
  changes: ResourceChange[];
  /** Errors that kept Bicep from predicting one side (the other side's resources are then not compared). */
  errors: BicepDiagnostic[];
}

/** The infra/ files of a repository snapshot, keyed by repository path. */
export type InfraFiles = Map<string, string>;

function writeInfra(root: string, files: InfraFiles): void {
  for (const [path, content] of files) {
    if (!path.startsWith('infra/')) continue;
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/**
 * The resource-level plan from `before` to `after`. Both sides are written to a scratch folder (`bicep snapshot`
 * without JSON-RPC writes its result beside the parameters file; the repository is never touched).
 */
export async function planInfra(
  before: InfraFiles,
  after: InfraFiles,
  engine: BicepEngine,
): Promise<EnvironmentPlan[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'aks-platform-plan-'));
  try {
    writeInfra(join(scratch, 'before'), before);
    writeInfra(join(scratch, 'after'), after);
    const params = [...new Set([...before.keys(), ...after.keys()])]
      .filter((p) => /^infra\/[^/]+\.bicepparam$/.test(p))
      .sort();
    const predict = async (side: 'before' | 'after', files: InfraFiles, path: string) => {
      if (!files.has(path)) return { resources: [] as SnapshotResource[], errors: [] as BicepDiagnostic[] };
      const result = await engine.snapshot(join(scratch, side, path));
      const errors = result.diagnostics
        .filter((d) => d.level === 'Error')
        .map((d) => ({ ...d, file: d.file.startsWith(scratch) ? d.file.slice(scratch.length + 1) : d.file }));
      return { resources: result.contents && errors.length === 0 ? parseSnapshot(result.contents) : [], errors };
    };
    return await inParallel(params, 2, async (path) => {
      const [was, is] = [await predict('before', before, path), await predict('after', after, path)];
      const errors = [...was.errors, ...is.errors];
      return { parameters: path, changes: errors.length > 0 ? [] : diffSnapshots(was.resources, is.resources), errors };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const SYMBOL: Record<ResourceChange['kind'], string> = { added: '+', removed: '-', changed: '~', replaced: '-/+' };

/** Names Bicep could not resolve offline are ARM expressions, some hundreds of characters long. */
function short(name: string): string {
  return name.length > 120 ? `${name.slice(0, 117)}...` : name;
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The plan as text: one block per environment, the changes Azure cannot apply in place flagged with what to do. */
export function formatPlan(plans: EnvironmentPlan[]): string {
  const lines: string[] = [];
  for (const plan of plans) {
    const count = (kind: ResourceChange['kind']) => plan.changes.filter((c) => c.kind === kind).length;
    lines.push(
      `${plan.parameters}: ${count('added')} to add, ${count('changed')} to change, ${count('replaced')} to replace, ${count('removed')} to remove`,
    );
    for (const e of plan.errors) lines.push(`  error ${e.file}:${e.line} ${e.code}: ${e.message}`);
    for (const change of plan.changes) {
      const name = change.previousName ? `${short(change.previousName)} -> ${short(change.name)}` : short(change.name);
      lines.push(`  ${SYMBOL[change.kind]} ${change.type} ${name}`);
      if (change.kind === 'changed')
        for (const p of change.changes) lines.push(`      ${p.path}: ${show(p.before)} -> ${show(p.after)}`);
      for (const flag of change.flags) {
        lines.push(`      ! ${flag.path} cannot change in place: ${flag.rule.refusal}.`);
        lines.push(`        instead: ${flag.rule.instead}.`);
        lines.push(`        source: ${flag.rule.source}`);
      }
    }
  }
  const flagged = plans.flatMap((p) => p.changes).filter((c) => c.flags.length > 0).length;
  if (flagged > 0) lines.push(`${flagged} resource change(s) Azure cannot apply in place: see "!" above.`);
  return lines.join('\n');
}
