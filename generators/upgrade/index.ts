import { existsSync, readFileSync } from 'node:fs';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { parseAnswersDocument } from '../../src/answers/load.js';
import { UserError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { formatSummary } from '../../src/upgrade/classify.js';
import { storedCatalog, upgradeRepository, type UpgradeResult } from '../../src/upgrade/index.js';
import { catalogForUpgrade } from '../../src/catalog/choice.js';
import { upgradeMessages } from '../../src/upgrade/messages.js';
import { openPullRequest, prBranchName, pullRequestTarget, type PullRequestTarget } from '../../src/upgrade/pr.js';
import { Repo } from '../../src/upgrade/repo.js';
import { GENERATOR_VERSION } from '../../src/versions.js';

// `yo aks-platform:upgrade`: a thin layer over src/upgrade, like `aks-platform upgrade`. The upgrade writes through
// git's merge (the user's branch, the index, the pristine branch), not through Yeoman's mem-fs: a three-way merge
// is git's job, and its conflicts must be git's so merge tools and `git merge --abort` work.

function fail(error: unknown): never {
  if (error instanceof UserError) throw new Error(error.message);
  throw error;
}

type Options = BaseOptions & {
  dir?: string;
  answers?: string;
  set?: string | string[];
  'dry-run'?: boolean;
  pr?: boolean;
  'api-url'?: string;
};

export default class AksPlatformUpgradeGenerator extends Generator<Record<string, unknown>, Options> {
  /** The outcome, for tests and for composing generators. */
  result: UpgradeResult | undefined;
  /** The pull request opened with --pr. */
  pullRequestUrl: string | undefined;
  private target: PullRequestTarget | undefined;

  constructor(args: string[], options: Options) {
    super(args, options);
    this.argument('dir', {
      type: String,
      required: false,
      description: 'The generated repository to upgrade (default: the current directory)',
    });
    this.option('answers', { type: String, description: 'Answers file whose answers change the stored ones' });
    this.option('set', { type: String, description: 'Change one answer: <dotted.path>=<value>; repeat the option' });
    this.option('dry-run', {
      type: Boolean,
      default: false,
      description: 'Print the summary and the diff, change nothing',
    });
    this.option('pr', {
      type: Boolean,
      default: false,
      description: 'Merge on a new branch, push it and open a pull request (token: GITHUB_TOKEN, GH_TOKEN or gh)',
    });
    this.option('api-url', { type: String, description: 'GitHub Enterprise Server API URL for --pr' });
    const dir = this.options.dir;
    if (dir) this.destinationRoot(dir);
  }

  async default(): Promise<void> {
    try {
      let answersFile: ReturnType<typeof parseAnswersDocument> | undefined;
      const file = this.options.answers;
      if (file) {
        if (!existsSync(file)) throw new UserError(messages.answersFileMissing(file));
        answersFile = parseAnswersDocument(readFileSync(file, 'utf8'), file);
      }
      const sets = ([] as unknown[]).concat(this.options.set ?? []).map(String);
      const dryRun = Boolean(this.options['dry-run']);
      const pr = Boolean(this.options.pr) && !dryRun;
      if (pr) this.target = await pullRequestTarget(this.destinationRoot(), this.options['api-url'], process.env);
      const catalog = await catalogForUpgrade(storedCatalog(this.destinationRoot()), this.options['api-url']);
      this.result = upgradeRepository({
        ...(catalog ? { catalog } : {}),
        dir: this.destinationRoot(),
        sets,
        dryRun,
        ...(answersFile ? { answersFile } : {}),
        ...(pr ? { newBranch: (pristine: string) => prBranchName(GENERATOR_VERSION, pristine) } : {}),
      });
    } catch (error) {
      fail(error);
    }
  }

  async end(): Promise<void> {
    const result = this.result!;
    if (result.warnings.length > 0) this.log(messages.warnings(result.warnings));
    if (result.upToDate) {
      this.log(upgradeMessages.upToDate(result.version));
      return;
    }
    this.log(upgradeMessages.header(result.dryRun, result.version, result.previous, result.pristine));
    this.log(formatSummary(result.outcomes));
    this.log(
      result.diff.trim() === '' ? upgradeMessages.noDiff : `${upgradeMessages.diffHeader}\n${result.diff.trimEnd()}`,
    );
    if (result.dryRun) this.log(upgradeMessages.dryRunNothingChanged);
    else if (result.conflicts.length > 0) {
      this.log(
        this.target
          ? upgradeMessages.prConflicts(result.branch, result.startBranch)
          : upgradeMessages.mergedConflicts(result.conflicts.length),
      );
    } else {
      this.log(upgradeMessages.mergedClean(result.branch));
      if (!this.target) return;
      new Repo(this.destinationRoot()).out(['switch', '-q', result.startBranch]);
      try {
        this.pullRequestUrl = await openPullRequest(this.destinationRoot(), this.target, result, process.env, (line) =>
          this.log(line),
        );
      } catch (error) {
        if (error instanceof UserError)
          fail(new UserError(`${error.message}\n${upgradeMessages.prPushFailed(result.branch, result.startBranch)}`));
        throw error;
      }
      this.log(upgradeMessages.prOpened(this.pullRequestUrl, result.startBranch));
    }
  }
}
