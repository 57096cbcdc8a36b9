import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { JsonObject } from '../../answers/merge.js';
import { UsageError, UserError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { AnsweredPlan } from '../../plan/index.js';
import type { OutputArea } from '../../render/index.js';
import { formatSummary } from '../../upgrade/classify.js';
import type { UpgradeResult } from '../../upgrade/index.js';
import { upgradeMessages } from '../../upgrade/messages.js';
import { GENERATOR_VERSION } from '../../versions.js';
import type { Io } from '../io.js';
import { commandHelp, commandSpec, parseOptions } from '../usage.js';

/** What tests inject: the output areas standing for a newer generator, and the environment (token, API URL). */
export interface UpgradeInternals {
  areas?: readonly OutputArea<AnsweredPlan>[];
  env?: NodeJS.ProcessEnv;
  /** The Bicep CLI for the resource plan (default: AKS_PLATFORM_BICEP, then PATH). */
  bicep?: string;
}

/**
 * The Azure resources the upgrade changes, per environment, flagging what Azure cannot change in place. Without a
 * Bicep CLI the upgrade still runs; the plan is skipped, saying how to get one.
 */
async function printResourcePlan(
  result: UpgradeResult,
  io: Io,
  bicep: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (!result.infra) return;
  const { findBicep, openBicep } = await import('../../bicep/engine.js');
  const cli = findBicep(bicep, env);
  if (!cli) {
    io.out(`${upgradeMessages.planSkipped}\n`);
    return;
  }
  const { formatPlan, planInfra } = await import('../../resource-plan/index.js');
  const engine = await openBicep(cli);
  try {
    const plans = await planInfra(result.infra.before, result.infra.after, engine);
    io.out(`${upgradeMessages.planHeader}\n${formatPlan(plans)}\n`);
  } finally {
    await engine.close();
  }
}

export function printUpgrade(result: UpgradeResult, out: (text: string) => void): void {
  out(upgradeMessages.header(result.dryRun, result.version, result.previous, result.pristine));
  out(formatSummary(result.outcomes));
  out('');
  out(result.diff.trim() === '' ? upgradeMessages.noDiff : `${upgradeMessages.diffHeader}\n${result.diff.trimEnd()}`);
  out('');
  if (result.newAnswers.length > 0) out(`${upgradeMessages.newAnswers(result.newAnswers)}\n`);
}

/**
 * `aks-platform upgrade <dir> [--set <path>=<value>]... [--answers <file>] [--dry-run] [--pr [--api-url <url>]]`.
 * Errors are thrown (UserError: exit 1) for main() to print, like the other commands. Exit 2: the merge stopped on
 * conflicts for the user to resolve. `internal` is for tests; the command line cannot set it.
 */
export async function runUpgrade(args: string[], io: Io, internal: UpgradeInternals = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: parseOptions('upgrade'),
  }) as {
    values: { answers?: string; set?: string[]; 'dry-run'?: boolean; pr?: boolean; 'api-url'?: string; help?: boolean };
    positionals: string[];
  };
  if (values.help) {
    io.out(commandHelp(commandSpec('upgrade')!));
    return 0;
  }
  const dir = positionals[0];
  if (!dir) throw new UsageError(upgradeMessages.missingDirectory);
  if (positionals.length > 1) throw new UsageError(upgradeMessages.unexpectedArgument(positionals[1]!));
  const dryRun = values['dry-run'] ?? false;
  const env = internal.env ?? process.env;

  let answersFile: { answers: JsonObject; preset?: string } | undefined;
  if (values.answers !== undefined) {
    const { readAnswersFile } = await import('../../answers/load.js');
    answersFile = readAnswersFile(values.answers);
  }

  // Everything a pull request needs (origin, token) is checked before anything changes.
  const pr = values.pr && !dryRun ? await import('../../upgrade/pr.js') : undefined;
  const target = pr ? await pr.pullRequestTarget(resolve(dir), values['api-url'], env) : undefined;

  const { upgradeRepository, storedCatalog } = await import('../../upgrade/index.js');
  // A catalog generation reads its catalog anew (not at the recorded commit): a policy tightened since shows up here.
  const recorded = storedCatalog(resolve(dir), dir);
  const catalog = recorded
    ? await (await import('../../catalog/choice.js')).catalogForUpgrade(recorded, values['api-url'])
    : undefined;
  const result = upgradeRepository({
    ...(catalog ? { catalog } : {}),
    dir,
    sets: values.set ?? [],
    dryRun,
    ...(answersFile ? { answersFile } : {}),
    ...(internal.areas ? { areas: internal.areas } : {}),
    ...(pr ? { newBranch: (pristine: string) => pr.prBranchName(GENERATOR_VERSION, pristine) } : {}),
  });
  if (result.warnings.length > 0) io.err(messages.warnings(result.warnings));
  if (result.upToDate) {
    io.out(upgradeMessages.upToDate(result.version));
    return 0;
  }
  printUpgrade(result, io.out);
  await printResourcePlan(result, io, internal.bicep, env);
  if (dryRun) {
    io.out(upgradeMessages.dryRunNothingChanged);
    return 0;
  }
  if (result.conflicts.length > 0) {
    io.out(
      pr
        ? upgradeMessages.prConflicts(result.branch, result.startBranch)
        : upgradeMessages.mergedConflicts(result.conflicts.length),
    );
    return 2;
  }
  io.out(upgradeMessages.mergedClean(result.branch));
  if (!pr || !target) return 0;

  // The upgrade branch is complete: the user goes back to the branch they were on while it is reviewed.
  const { Repo } = await import('../../upgrade/repo.js');
  new Repo(resolve(dir)).out(['switch', '-q', result.startBranch]);
  try {
    const url = await pr.openPullRequest(resolve(dir), target, result, env, io.out);
    io.out(upgradeMessages.prOpened(url, result.startBranch));
    return 0;
  } catch (error) {
    if (error instanceof UserError)
      throw new UserError(`${error.message}\n${upgradeMessages.prPushFailed(result.branch, result.startBranch)}`);
    throw error;
  }
}
