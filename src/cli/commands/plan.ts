import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findBicep, openBicep } from '../../bicep/engine.js';
import { UsageError, UserError } from '../../errors.js';
import { messages } from '../../messages.js';
import { type EnvironmentPlan, formatPlan, type InfraFiles, planInfra } from '../../resource-plan/index.js';
import { Repo } from '../../upgrade/repo.js';
import { scanRepository } from '../../validate/repository.js';
import type { Io } from '../io.js';
import { parseOptions } from '../usage.js';

function infraOfWorkingTree(dir: string): InfraFiles {
  return new Map([...scanRepository(dir).files].filter(([path]) => path.startsWith('infra/')));
}

/** The Bicep engine for a plan, or a UserError saying how to get the CLI. */
export async function openPlanEngine(explicit: string | undefined) {
  const cli = findBicep(explicit);
  if (!cli) throw new UserError(messages.planNeedsBicep);
  return openBicep(cli);
}

export function printPlan(plans: EnvironmentPlan[], out: (text: string) => void): void {
  out(plans.length === 0 ? messages.planNoEnvironments : formatPlan(plans));
}

/**
 * `aks-platform plan <dir> [--base <git-ref>] [--bicep <path>]`: the Azure resources each environment's deployment
 * would add, remove and change from the base (default HEAD) to the working tree. Exit 1 when Bicep cannot predict one.
 */
export async function runPlan(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: parseOptions('plan') }) as {
    values: { base?: string; bicep?: string };
    positionals: string[];
  };
  if (positionals.length > 1) throw new UsageError(messages.planUnexpectedArgument(positionals[1]!));
  const dir = positionals[0] ?? '.';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(messages.planNotADirectory(dir));
  const repo = new Repo(resolve(dir));
  const inGit = repo.run(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { ok: [0, 1, 128] }).code === 0;
  const base = values.base ?? (inGit ? 'HEAD' : undefined);
  if (
    base !== undefined &&
    repo.run(['rev-parse', '--verify', '-q', `${base}^{commit}`], { ok: [0, 1, 128] }).code !== 0
  )
    throw new UserError(messages.planUnknownBase(base, values.base !== undefined));
  const before = base === undefined ? new Map<string, string>() : repo.files(base, 'infra/');
  const after = infraOfWorkingTree(dir);

  const engine = await openPlanEngine(values.bicep);
  try {
    io.out(messages.planHeader(base));
    const plans = await planInfra(before, after, engine);
    printPlan(plans, io.out);
    return plans.some((p) => p.errors.length > 0) ? 1 : 0;
  } finally {
    await engine.close();
  }
}
