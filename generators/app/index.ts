import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { composeAnswers, parseAnswersDocument } from '../../src/answers/load.js';
import type { JsonObject } from '../../src/answers/merge.js';
import { promptForMissing } from '../../src/answers/questions.js';
import { UserError } from '../../src/errors.js';
import { generatePlatform, type Generation } from '../../src/generate.js';
import { messages } from '../../src/messages.js';
import { choiceSummary } from '../../src/render/docs/index.js';
import { toInquirer } from '../../src/cli/prompts.js';
import { initRepository } from '../../src/write/git.js';
import { commitMessage } from '../../src/cli/main.js';
import { GENERATOR_NAME } from '../../src/versions.js';

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

type Options = BaseOptions & {
  dir?: string;
  preset?: string;
  answers?: string;
  set?: string | string[];
  yes?: boolean;
  git?: boolean;
};

export default class AksPlatformGenerator extends Generator<Record<string, unknown>, Options> {
  private input: JsonObject = {};
  private preset: string | undefined;
  private generation: Generation | undefined;
  private complete = false;

  constructor(args: string[], options: Options) {
    super(args, options);
    this.argument('dir', { type: String, required: false, description: 'Directory to generate into (default: the current one)' });
    this.option('preset', { type: String, description: 'Start from a preset: starter, enterprise, multicloud' });
    this.option('answers', { type: String, description: 'Answers file (YAML or JSON, the shape of .yo-rc.json)' });
    this.option('set', { type: String, description: 'Override one answer: <dotted.path>=<value>, comma-free; repeat the option' });
    this.option('yes', { type: Boolean, alias: 'y', default: false, description: 'Never prompt; unanswered questions take their defaults' });
    this.option('git', { type: Boolean, default: true, description: 'Initialise a git repository (--no-git to skip)' });
    const dir = this.options.dir;
    if (dir) this.destinationRoot(dir);
  }

  initializing(): void {
    try {
      const yoRc = this.destinationPath('.yo-rc.json');
      const stored = readStored(this.fs.read(yoRc, { defaults: null }), yoRc);
      let file: ReturnType<typeof parseAnswersDocument> | undefined;
      const answersFile = this.options.answers;
      if (answersFile) {
        if (!existsSync(answersFile)) throw new UserError(messages.answersFileMissing(answersFile));
        file = parseAnswersDocument(readFileSync(answersFile, 'utf8'), answersFile);
      }
      this.preset = this.options.preset ?? file?.preset ?? stored?.preset;
      const sets = ([] as unknown[]).concat(this.options.set ?? []).map(String);
      const fromFiles = file?.answers ?? stored?.answers;
      this.complete = (file ?? stored)?.stored === true;
      this.input = composeAnswers({ preset: this.preset, file: fromFiles, sets });
    } catch (error) {
      fail(error);
    }
  }

  async prompting(): Promise<void> {
    if (this.options.yes || this.complete) return;
    this.input = await promptForMissing(this.input, {
      ask: async (question) => ((await this.prompt([toInquirer(question)] as never)) as { value: unknown }).value,
      topic: (title) => this.log(`\n${title}`),
    });
  }

  configuring(): void {
    try {
      this.generation = generatePlatform(this.input, this.preset);
    } catch (error) {
      fail(error);
    }
    if (this.generation.warnings.length > 0) this.log(messages.warnings(this.generation.warnings));
    if (!this.options.yes) {
      this.log(`\n${messages.summaryHeader}\n${choiceSummary(this.generation.plan).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
    }
  }

  writing(): void {
    for (const [path, content] of this.generation!.files) this.fs.write(this.destinationPath(path), content);
  }

  end(): void {
    const plan = this.generation!.plan;
    if (this.options.git !== false && !existsSync(this.destinationPath('.git'))) {
      initRepository(this.destinationRoot(), commitMessage());
    }
    if (plan.omissions.length > 0) this.log(`${messages.omissionsHeader}\n${plan.omissions.map(messages.omission).join('\n')}`);
    this.log(messages.nextSteps(this.destinationRoot()));
  }
}
