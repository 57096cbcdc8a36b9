import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type parseAnswersDocument, readAnswersFile, type StoredCatalog } from '../answers/load.js';
import type { CatalogOrigin } from '../catalog/load.js';
import { compareVersions } from '../catalog/load.js';
import type { CatalogTemplate } from '../catalog/schema.js';
import { mergeAnswers, type JsonObject } from '../answers/merge.js';
import type { Problem } from '../answers/validate.js';
import { UserError } from '../errors.js';
import { generateFromAnswers } from '../generate.js';
import type { AnsweredPlan } from '../plan/index.js';
import { type OutputArea } from '../render/index.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../versions.js';
import { GENERATED_BRANCH } from '../write/git.js';
import { classify, type FileOutcome } from './classify.js';
import { upgradeMessages } from './messages.js';
import { mergeConfig, Repo } from './repo.js';
import { createStaging, discardStaging } from '../util/staging.js';

export { GENERATED_BRANCH };

export interface UpgradeOptions {
  dir: string;
  /** --set expressions, applied over the stored answers. */
  sets?: string[];
  /** An --answers file already read: its answers are layered over the stored ones. */
  answersFile?: { answers: JsonObject; preset?: string };
  dryRun?: boolean;
  /**
   * Merge on a new branch made from the current one (for a pull request), named from the new pristine commit;
   * the current branch is not changed. Refused when that branch already exists.
   */
  newBranch?: (pristine: string) => string;
  /**
   * The catalog template the repository was generated from, read anew (see loadStoredCatalog): its answers and locks
   * apply again, so a tightened policy shows up in the upgrade and a stored answer that breaks it is reported.
   */
  catalog?: { origin: CatalogOrigin; template: CatalogTemplate };
  /** Internal: the output areas of "this" generator; tests pass changed ones to stand for a newer version. */
  areas?: readonly OutputArea<AnsweredPlan>[];
}

export interface UpgradeResult {
  dryRun: boolean;
  upToDate: boolean;
  version: string;
  /** The branch merged into (with newBranch, the new one). */
  branch: string;
  /** The branch that was checked out when the upgrade started. */
  startBranch: string;
  /** The last pristine generation (the branch's tip before) and the new one. */
  previous: string;
  pristine: string;
  outcomes: FileOutcome[];
  conflicts: string[];
  /** Unified diff of the user's branch: before the upgrade -> after it (conflicted files with their markers). */
  diff: string;
  /** The merge commit, when the merge was clean and not a dry run. */
  mergeCommit?: string;
  warnings: Problem[];
  /** Answers this generator version has that the stored ones lack, taken at their defaults. */
  newAnswers: { path: string; value: unknown }[];
  /** The infra/ files before and after, when the upgrade changes them and merged without conflicts: for the plan. */
  infra?: { before: Map<string, string>; after: Map<string, string> };
}

/**
 * Leaves of `effective` (the answers after defaults) that `given` does not have: questions a newer generator version
 * asks, answered with their defaults. Lists are compared entry by entry.
 */
export function defaultedAnswers(
  given: unknown,
  effective: unknown,
  path: string[] = [],
): { path: string; value: unknown }[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(effective) && Array.isArray(given))
    return effective.flatMap((item, i) =>
      i < given.length ? defaultedAnswers(given[i], item, [...path, String(i)]) : [],
    );
  if (!isObject(effective))
    return given === undefined && effective !== undefined && path.length > 0
      ? [{ path: path.join('.'), value: effective }]
      : [];
  if (given !== undefined && !isObject(given)) return [];
  return Object.entries(effective).flatMap(([key, value]) => defaultedAnswers(given?.[key], value, [...path, key]));
}

const IN_PROGRESS: [file: string, what: string][] = [
  ['MERGE_HEAD', 'merge'],
  ['rebase-merge', 'rebase'],
  ['rebase-apply', 'rebase'],
  ['CHERRY_PICK_HEAD', 'cherry-pick'],
  ['REVERT_HEAD', 'revert'],
];

/** Refuses a directory that is not a clean repository on a branch, before anything is read or written. */
function checkRepository(repo: Repo, dirArg: string): string {
  if (
    !existsSync(repo.dir) ||
    repo.run(['rev-parse', '--is-inside-work-tree'], { ok: [0, 128] }).stdout.trim() !== 'true'
  ) {
    throw new UserError(upgradeMessages.notARepository(dirArg));
  }
  for (const [file, what] of IN_PROGRESS)
    if (existsSync(repo.gitPath(file))) throw new UserError(upgradeMessages.inProgress(dirArg, what));
  const status = repo.run(['status', '--porcelain', '--untracked-files=all']).stdout;
  if (status.trim() !== '') throw new UserError(upgradeMessages.dirty(dirArg, status));
  const branch = repo.run(['symbolic-ref', '-q', '--short', 'HEAD'], { ok: [0, 1] });
  if (branch.code !== 0) throw new UserError(upgradeMessages.detached(dirArg));
  if (branch.stdout.trim() === GENERATED_BRANCH) throw new UserError(upgradeMessages.onPristineBranch(dirArg));
  return branch.stdout.trim();
}

/**
 * The answers stored in .yo-rc.json. A repository generated by a newer generator version is refused: rendering it
 * with this older one would silently downgrade it.
 */
function parseStored(path: string, dirArg: string): ReturnType<typeof parseAnswersDocument> {
  const stored = readAnswersFile(path, path);
  if (stored.version !== undefined && compareVersions(stored.version, GENERATOR_VERSION) > 0)
    throw new UserError(upgradeMessages.newerGenerator(dirArg, stored.version, GENERATOR_VERSION));
  return stored;
}

function readStoredAnswers(dir: string, dirArg: string): ReturnType<typeof parseAnswersDocument> {
  const path = join(dir, '.yo-rc.json');
  if (!existsSync(path)) throw new UserError(upgradeMessages.noStoredAnswers(dirArg));
  const stored = parseStored(path, dirArg);
  if (!stored.stored) throw new UserError(upgradeMessages.noStoredAnswers(dirArg));
  return stored;
}

/** The catalog record of a repository's .yo-rc.json, for callers that must read the catalog before upgrading. */
export function storedCatalog(dir: string, dirArg = dir): StoredCatalog | undefined {
  const path = join(dir, '.yo-rc.json');
  return existsSync(path) ? parseStored(path, dirArg).catalog : undefined;
}

function pristineMessage(answers: unknown, preset: string | undefined): string {
  return [
    `Generate the AKS platform with ${GENERATOR_NAME} ${GENERATOR_VERSION}`,
    '',
    `The untouched output of ${GENERATOR_NAME} ${GENERATOR_VERSION}${preset ? ` (preset ${preset})` : ''}; \`aks-platform upgrade\` merges it into your branch.`,
    '',
    `Generator: ${GENERATOR_NAME} ${GENERATOR_VERSION}`,
    'Answers:',
    JSON.stringify(answers, null, 2),
    '',
  ].join('\n');
}

interface Unmerged {
  path: string;
  stages: Set<number>;
}

function parseUnmerged(lines: string[]): Unmerged[] {
  const byPath = new Map<string, Set<number>>();
  for (const line of lines) {
    const match = /^\d+ [0-9a-f]+ (\d)\t(.*)$/s.exec(line);
    if (!match) continue;
    const stages = byPath.get(match[2]!) ?? new Set<number>();
    stages.add(Number(match[1]));
    byPath.set(match[2]!, stages);
  }
  return [...byPath].map(([path, stages]) => ({ path, stages }));
}

/**
 * The upgrade's policy for git's modify/delete conflicts: a file the generator no longer emits but the user edited is
 * kept (stage 1 and 2 only); a file the user deleted stays deleted though upstream changed it (stage 1 and 3 only).
 */
function splitConflicts(unmerged: Unmerged[]): { keep: string[]; remove: string[]; conflicts: string[] } {
  const keep: string[] = [];
  const remove: string[] = [];
  const conflicts: string[] = [];
  for (const { path, stages } of unmerged) {
    if (stages.has(1) && stages.has(2) && !stages.has(3)) keep.push(path);
    else if (stages.has(1) && stages.has(3) && !stages.has(2)) remove.push(path);
    else conflicts.push(path);
  }
  return { keep, remove, conflicts: conflicts.sort() };
}

const DIFF = [
  '-c',
  'diff.renames=false',
  '-c',
  'core.quotePath=false',
  'diff',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
];

/**
 * Renders this generator's output from the stored answers (plus changes), commits it on GENERATED_BRANCH with the
 * previous pristine generation as parent, and three-way merges it into the current branch. A dry run does the same
 * merge with `git merge-tree` into a temporary object directory: nothing in the repository changes.
 */
export function upgradeRepository(options: UpgradeOptions): UpgradeResult {
  const dirArg = options.dir;
  const repo = new Repo(resolve(dirArg));
  const dryRun = options.dryRun ?? false;
  const branch = checkRepository(repo, dirArg);

  const previous = repo.resolve(`refs/heads/${GENERATED_BRANCH}`);
  if (!previous) throw new UserError(upgradeMessages.noPristineBranch(dirArg));
  const head = repo.resolve('HEAD')!;

  // Answers first: invalid ones throw a UserError before anything is written.
  const stored = readStoredAnswers(repo.dir, dirArg);
  // A generation from a catalog template is rendered under that template's policy again; never without it.
  if (stored.catalog && !options.catalog) throw new UserError(upgradeMessages.catalogNotSupported(dirArg));
  const generation = generateFromAnswers({
    catalog: options.catalog,
    preset: options.answersFile?.preset ?? stored.preset,
    file: mergeAnswers(stored.answers, options.answersFile?.answers),
    sets: options.sets,
    areas: options.areas,
  });

  const temp = createStaging(join(tmpdir(), 'aks-platform-upgrade-'));
  try {
    if (dryRun) {
      // New objects (the pristine commit, the merged tree) go to a throwaway object directory.
      const objects = join(temp, 'objects');
      mkdirSync(objects);
      repo.env = { GIT_OBJECT_DIRECTORY: objects, GIT_ALTERNATE_OBJECT_DIRECTORIES: repo.gitPath('objects') };
    }
    const tree = repo.writeTree(generation.files);
    const pristine =
      tree === repo.out(['rev-parse', `${previous}^{tree}`])
        ? previous
        : repo.commitTree(tree, [previous], pristineMessage(generation.plan.answers, generation.plan.preset));

    const base = repo.run(['merge-base', head, pristine], { ok: [0, 1] });
    if (base.code !== 0) throw new UserError(upgradeMessages.unrelatedHistory(dirArg));
    const result: UpgradeResult = {
      dryRun,
      upToDate: false,
      version: GENERATOR_VERSION,
      branch: options.newBranch && !dryRun ? options.newBranch(pristine) : branch,
      startBranch: branch,
      previous,
      pristine,
      outcomes: [],
      conflicts: [],
      diff: '',
      warnings: generation.warnings,
      newAnswers: defaultedAnswers(generation.input, generation.plan.answers),
    };
    if (repo.run(['merge-base', '--is-ancestor', pristine, head], { ok: [0, 1] }).code === 0) {
      return {
        ...result,
        upToDate: true,
        outcomes: classify(repo.tree(pristine), repo.tree(head), repo.tree(pristine), new Set()),
      };
    }

    const config = mergeConfig(join(temp, 'config'));
    let unmerged: Unmerged[];
    let mergedTree: string | undefined;
    if (dryRun) {
      const merge = repo.run([...config, 'merge-tree', '--write-tree', '--no-messages', '-z', 'HEAD', pristine], {
        ok: [0, 1],
      });
      const [treeId, ...rest] = merge.stdout.split('\0');
      mergedTree = treeId!.trim();
      unmerged = parseUnmerged(rest);
    } else {
      if (result.branch !== branch) {
        if (repo.resolve(`refs/heads/${result.branch}`))
          throw new UserError(upgradeMessages.branchExists(dirArg, result.branch));
        repo.out(['switch', '-q', '-c', result.branch]);
      }
      if (pristine !== previous)
        repo.out([
          'update-ref',
          '-m',
          'aks-platform upgrade: new pristine generation',
          `refs/heads/${GENERATED_BRANCH}`,
          pristine,
          previous,
        ]);
      const message = `Upgrade the AKS platform to ${GENERATOR_NAME} ${GENERATOR_VERSION}\n\nMerges the pristine generation ${pristine.slice(0, 12)} (${GENERATED_BRANCH}) into ${result.branch}.`;
      try {
        // By branch name, so git's conflict markers say where the other side comes from.
        const merge = repo.run(
          [...config, ...repo.identity(), 'merge', '--no-ff', '--no-verify', '-m', message, GENERATED_BRANCH],
          { ok: [0, 1] },
        );
        if (merge.code !== 0 && !existsSync(repo.gitPath('MERGE_HEAD')))
          throw new UserError(upgradeMessages.gitFailed(`git merge: ${(merge.stderr || merge.stdout).trim()}`));
      } catch (error) {
        // git refused to merge at all: the pristine branch goes back too, so the repository is as it was.
        if (!existsSync(repo.gitPath('MERGE_HEAD'))) {
          if (pristine !== previous)
            repo.run(['update-ref', `refs/heads/${GENERATED_BRANCH}`, previous, pristine], { ok: [0, 1, 128] });
          if (result.branch !== branch) {
            repo.run(['switch', '-q', branch], { ok: [0, 1, 128] });
            repo.run(['branch', '-q', '-D', result.branch], { ok: [0, 1, 128] });
          }
        }
        throw error;
      }
      unmerged = parseUnmerged(repo.out(['ls-files', '-u', '-z']).split('\0'));
    }

    const { keep, remove, conflicts } = splitConflicts(unmerged);
    if (dryRun) {
      // merge-tree labels the other side of a conflict with its commit id where `git merge` says the branch name.
      const rewrite = new Map<string, string>();
      for (const path of conflicts) {
        const blob = repo.run(['cat-file', 'blob', `${mergedTree}:${path}`], { ok: [0, 128] });
        if (blob.code === 0 && blob.stdout.includes(`>>>>>>> ${pristine}`))
          rewrite.set(path, blob.stdout.replaceAll(`>>>>>>> ${pristine}`, `>>>>>>> ${GENERATED_BRANCH}`));
      }
      mergedTree = repo.editTree(mergedTree!, remove, rewrite);
    } else {
      if (keep.length > 0) repo.out(['add', '--', ...keep]);
      if (remove.length > 0) repo.out(['rm', '-q', '-f', '--', ...remove]);
      if (unmerged.length > 0 && conflicts.length === 0)
        repo.out([...config, ...repo.identity(), 'commit', '--no-edit', '--no-verify', '-q']);
    }

    const outcomes = classify(repo.tree(base.stdout.trim()), repo.tree(head), repo.tree(pristine), new Set(conflicts));
    const diff = dryRun
      ? repo.run([...DIFF, head, mergedTree!]).stdout
      : conflicts.length === 0
        ? repo.run([...DIFF, head, 'HEAD']).stdout
        : repo.run([...DIFF, head, '--']).stdout;
    const mergeCommit = !dryRun && conflicts.length === 0 ? repo.resolve('HEAD') : undefined;
    const merged = dryRun ? mergedTree! : mergeCommit;
    const infraChanged =
      merged !== undefined &&
      conflicts.length === 0 &&
      repo.run(['diff', '--quiet', head, merged, '--', 'infra'], { ok: [0, 1] }).code === 1;
    const infra = infraChanged
      ? { before: repo.files(head, 'infra/'), after: repo.files(merged, 'infra/') }
      : undefined;
    return {
      ...result,
      outcomes,
      conflicts,
      diff,
      ...(mergeCommit ? { mergeCommit } : {}),
      ...(infra ? { infra } : {}),
    };
  } finally {
    repo.env = {};
    discardStaging(temp);
  }
}
