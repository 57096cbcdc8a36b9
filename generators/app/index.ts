import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { keepAnswers, shellWord } from '../../src/answers/keep.js';
import { parseAnswersDocument } from '../../src/answers/load.js';
import type { JsonObject } from '../../src/answers/merge.js';
import { promptForMissing } from '../../src/answers/questions.js';
import { isCancel, UserError } from '../../src/errors.js';
import { type AnswerSources, generateFromSources, type Generation } from '../../src/generate.js';
import { messages } from '../../src/messages.js';
import { pipelineSecretNames } from '../../src/plan/contracts.js';
import { choiceSummary } from '../../src/render/docs/index.js';
import { toInquirer } from '../../src/answers/inquirer.js';
import { commitMessage, initRepository } from '../../src/write/git.js';
import { GENERATOR_NAME } from '../../src/versions.js';
import type { Ask } from '../../src/answers/questions.js';
import { resolveCatalogChoice } from '../../src/catalog/choice.js';

// `yo aks-platform`: a thin layer over the pure core. Yeoman contributes prompts, mem-fs and its conflict handling;
// every decision and every file comes from src/.

/** A user's mistake reaches Yeoman as a plain error carrying our message (Yeoman prints it and exits non-zero). */
function fail(error: unknown): never {
  if (error instanceof UserError) throw new Error(error.message);
  throw error;
}

/** Answers stored by an earlier run in this directory's .yo-rc.json (read through mem-fs) make a re-run reproduce it. */
function readStored(text: string | null, path: string): ReturnType<typeof parseAnswersDocument> | undefined {
  if (text === null) return undefined;
  const block = JSON.parse(text)[GENERATOR_NAME];
  return block ? parseAnswersDocument(JSON.stringify(block), path) : undefined;
}

function dropUndefined(value: Record<string, unknown>): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

type Options = BaseOptions & {
  dir?: string;
  preset?: string;
  answers?: string;
  set?: string | string[];
  yes?: boolean;
  git?: boolean;
  catalog?: string;
  template?: string;
  /** Answers as an object or JSON text, e.g. from Backstage's run:yeoman action. */
  inlineAnswers?: string | Record<string, unknown>;
};

export default class AksPlatformGenerator extends Generator<Record<string, unknown>, Options> {
  private sources: AnswerSources = {};
  private generation: Generation | undefined;
  private complete = false;
  /** Whether questions were asked: then the choices are confirmed before anything is written. */
  private prompted = false;
  private declined = false;
  private readonly target: string;
  /** The answers given so far, kept beside the target when the run is cancelled or its answers still fail. */
  private given: JsonObject | undefined;

  constructor(args: string[], options: Options) {
    super(args, options);
    this.argument('dir', {
      type: String,
      required: false,
      description: 'Directory to generate into (default: the current one)',
    });
    this.option('preset', { type: String, description: 'Start from a preset: starter, enterprise, multicloud' });
    this.option('answers', { type: String, description: 'Answers file (YAML or JSON, the shape of .yo-rc.json)' });
    this.option('set', {
      type: String,
      description: 'Override one answer: <dotted.path>=<value>, comma-free; repeat the option',
    });
    this.option('yes', {
      type: Boolean,
      alias: 'y',
      default: false,
      description: 'Never prompt; unanswered questions take their defaults',
    });
    this.option('git', { type: Boolean, default: true, description: 'Initialise a git repository (--no-git to skip)' });
    this.option('catalog', {
      type: String,
      description: 'Organisation catalog: a folder with catalog.yaml, or owner/repo[@ref] on GitHub',
    });
    this.option('template', { type: String, description: 'Catalog template to start from: name or name@version' });
    // Kept as given: Backstage's run:yeoman passes an object, a shell passes JSON text.
    this.option('inlineAnswers', {
      type: ((value: unknown) => value) as never,
      description: 'Answers as an object or JSON text (for Backstage and other callers)',
    });
    // The target becomes Yeoman's destination only when files are written: setting it creates the folder, and a
    // cancelled or refused run leaves nothing behind.
    this.target = resolve(this.options.dir ?? this.destinationRoot());
    // A prompt's error aborts Yeoman's whole run from the adapter before the task awaiting the prompt sees it (yo
    // then exits 1 with inquirer's message). Listening first, a Ctrl-C ends here, as the CLI's does.
    const signal = (this.env.adapter as { signal?: AbortSignal }).signal;
    signal?.addEventListener('abort', () => {
      if (isCancel(signal.reason)) this._cancel();
    });
  }

  async initializing(): Promise<void> {
    try {
      const yoRc = join(this.target, '.yo-rc.json');
      const stored = readStored(this.fs.read(yoRc, { defaults: null }), yoRc);
      let file: ReturnType<typeof parseAnswersDocument> | undefined;
      const answersFile = this.options.answers;
      if (answersFile) {
        if (!existsSync(answersFile)) throw new UserError(messages.answersFileMissing(answersFile));
        file = parseAnswersDocument(readFileSync(answersFile, 'utf8'), answersFile);
      }
      const inline = this.options.inlineAnswers;
      const given =
        typeof inline === 'string'
          ? parseAnswersDocument(inline, '--inlineAnswers')
          : inline
            ? { answers: dropUndefined(inline) }
            : undefined;
      const recorded = file ?? given ?? stored;
      const catalogOptions = {
        catalog: this.options.catalog,
        template: this.options.template,
        preset: this.options.preset,
      };
      const catalog =
        catalogOptions.catalog || catalogOptions.template || recorded?.catalog
          ? await resolveCatalogChoice(catalogOptions, recorded?.catalog, this.options.yes ? undefined : this.ask)
          : undefined;
      this.complete = recorded?.stored === true;
      this.sources = {
        catalog: catalog && { origin: catalog.loaded.origin, template: catalog.template },
        preset: this.options.preset ?? recorded?.preset,
        file: recorded?.answers,
        sets: ([] as unknown[]).concat(this.options.set ?? []).map(String),
      };
    } catch (error) {
      fail(error);
    }
  }

  /** One question, with its help line above it as the CLI shows it. */
  private readonly ask: Ask = async (question) => {
    if (question.help) this.log(question.help);
    return ((await this.prompt([toInquirer(question)] as never)) as { value: unknown }).value;
  };

  // Yeoman runs every public method as a task: helpers start with an underscore.
  private async _confirm(message: string, fallback: boolean): Promise<boolean> {
    const answer = (await this.prompt([{ type: 'confirm', name: 'value', message, default: fallback }] as never)) as {
      value: boolean;
    };
    return answer.value;
  }

  /** Ctrl-C at a question ends the run quietly with 130, as the CLI does; nothing has been written yet. */
  private _cancel(): never {
    // Straight to stderr: Yeoman's adapter queues its log, and the process ends before the queue would drain.
    process.stderr.write(`\n${messages.promptAborted}\n`);
    const kept = this._keep();
    if (kept) process.stderr.write(`${kept}\n`);
    process.exit(130);
  }

  private _log(text: string | undefined): void {
    if (text) this.log(text);
  }

  /** Keeps the answers given so far beside the target; the message names the file and the `yo` command to resume. */
  private _keep(): string | undefined {
    const dir = this.target;
    return keepAnswers(dir, this.given, (file) =>
      [
        'yo aks-platform',
        shellWord(dir),
        `--answers ${shellWord(file)}`,
        ...(this.options.catalog ? [`--catalog ${shellWord(this.options.catalog)}`] : []),
        ...(this.options.template ? [`--template ${shellWord(this.options.template)}`] : []),
        ...(this.options.git === false ? ['--no-git'] : []),
      ].join(' '),
    );
  }

  async prompting(): Promise<void> {
    const prompted = !(this.options.yes || this.complete);
    try {
      this.generation = await generateFromSources({
        ...this.sources,
        prompt: prompted
          ? (input, skip) =>
              promptForMissing(input, {
                ask: this.ask,
                topic: async (title) => {
                  this.log(`\n${title}`);
                  return (await this._confirm(messages.topicGateYeoman(title), false)) ? 'defaults' : 'answer';
                },
                progress: (answers) => {
                  this.given = answers;
                },
                problems: (problems) => this.log(messages.topicProblems(problems)),
                ...(skip ? { skip } : {}),
              })
          : undefined,
      });
      this.prompted = prompted;
    } catch (error) {
      if (isCancel(error)) this._cancel();
      if (error instanceof UserError) this._log(this._keep());
      fail(error);
    }
  }

  async configuring(): Promise<void> {
    if (!this.generation) return;
    if (this.generation.warnings.length > 0) this.log(messages.warnings(this.generation.warnings));
    if (!this.options.yes) {
      this.log(
        `\n${messages.summaryHeader}\n${choiceSummary(this.generation.plan)
          .map(([k, v]) => `  ${k}: ${v}`)
          .join('\n')}`,
      );
    }
    if (this.prompted) {
      try {
        const files = this.generation.files.size;
        if (!(await this._confirm(`Write ${files} files into ${this.target}?`, true))) {
          this.log(messages.promptAborted);
          this._log(this._keep());
          this.declined = true;
        }
      } catch (error) {
        if (isCancel(error)) this._cancel();
        throw error;
      }
    }
  }

  writing(): void {
    if (this.declined) return;
    this.destinationRoot(this.target);
    for (const [path, content] of this.generation!.files) this.fs.write(this.destinationPath(path), content);
  }

  end(): void {
    if (this.declined) return;
    const plan = this.generation!.plan;
    if (this.options.git !== false && !existsSync(this.destinationPath('.git'))) {
      initRepository(this.destinationRoot(), commitMessage());
    }
    if (plan.omissions.length > 0)
      this.log(
        `${messages.omissionsHeader}\n${plan.omissions.map((o) => messages.omission(o, this.destinationRoot())).join('\n')}`,
      );
    this.log(messages.nextSteps(this.destinationRoot(), pipelineSecretNames(plan)));
  }
}
