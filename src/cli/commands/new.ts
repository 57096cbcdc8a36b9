import { parseArgs } from 'node:util';
import { keepAnswers, shellWord } from '../../answers/keep.js';
import { readAnswersFile } from '../../answers/load.js';
import type { JsonObject } from '../../answers/merge.js';
import type { Ask } from '../../answers/questions.js';
import { isCancel, isUserError, UsageError, UserError } from '../../errors.js';
import { generateFromSources } from '../../generate.js';
import { messages } from '../../messages.js';
import { pipelineSecretNames } from '../../plan/contracts.js';
import { choiceSummary } from '../../render/docs/index.js';
import { commitMessage } from '../../write/git.js';
import { writeRepository } from '../../write/index.js';
import type { Io, Prompts } from '../io.js';
import { formatTree } from '../tree.js';
import { parseOptions } from '../usage.js';

interface NewValues {
  preset?: string;
  answers?: string;
  set?: string[];
  yes?: boolean;
  'dry-run'?: boolean;
  force?: boolean;
  'no-git'?: boolean;
  publish?: boolean;
  catalog?: string;
  template?: string;
  'api-url'?: string;
}

// main() imports this module only for `new`, so everything generation needs is imported here, up front; the
// catalog and the questions are imported only when used.

class NoTerminal extends UserError {
  constructor() {
    super(messages.noTerminal);
  }
}

/** The command that picks up a kept answers file: the same target and catalog, the answers from the file. */
function resumeCommand(dir: string, file: string, values: NewValues): string {
  const quote = shellWord;
  const options = [
    ['--answers', file],
    ...(values.catalog ? [['--catalog', values.catalog]] : []),
    ...(values.template ? [['--template', values.template]] : []),
    ...(values['api-url'] ? [['--api-url', values['api-url']]] : []),
  ];
  const flags = [values['no-git'] && '--no-git', values.force && '--force'].filter(Boolean);
  return ['aks-platform new', quote(dir), ...options.map(([k, v]) => `${k} ${quote(v!)}`), ...flags].join(' ');
}

/** `aks-platform new <dir> [options]`: answers -> files -> a new repository (or a dry-run listing). */
export async function runNew(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: parseOptions('new'),
  }) as { values: NewValues; positionals: string[] };
  const dir = positionals[0];
  if (!dir) throw new UsageError(messages.missingDirectory);
  if (positionals.length > 1)
    throw new UsageError(messages.badOption('new', `unexpected argument "${positionals[1]}"`));

  const file = values.answers === undefined ? undefined : readAnswersFile(values.answers);
  let prompts: Prompts | undefined;
  const open = async () => {
    if (!io.interactive || !io.openPrompts) throw new NoTerminal();
    prompts ??= await io.openPrompts();
    return prompts;
  };
  const ask: Ask = async (question) => (await open()).ask(question);
  // The answers given so far: kept in a file when the run is cancelled or its answers still fail at the end.
  let given: JsonObject | undefined;
  const keep = () => {
    const kept = keepAnswers(dir, given, (file) => resumeCommand(dir, file, values));
    if (kept) io.err(kept);
  };
  try {
    const catalog =
      values.catalog || values.template || file?.catalog
        ? await (await import('../../catalog/choice.js')).resolveCatalogChoice(
            values,
            file?.catalog,
            values.yes ? undefined : ask,
          )
        : undefined;
    const generation = await generateFromSources({
      catalog: catalog && { origin: catalog.loaded.origin, template: catalog.template },
      preset: values.preset ?? file?.preset,
      file: file?.answers,
      sets: values.set,
      prompt:
        values.yes || file?.stored
          ? undefined
          : async (input, skip) => {
              const { promptForMissing } = await import('../../answers/questions.js');
              return promptForMissing(input, {
                ask,
                topic: async (title) => {
                  const terminal = await open();
                  if (terminal.topic) return terminal.topic(title);
                  io.out(`\n${title}`);
                  return 'answer';
                },
                progress: (answers) => {
                  given = answers;
                },
                problems: (problems) => io.out(messages.topicProblems(problems)),
                ...(skip ? { skip } : {}),
              });
            },
    });
    if (generation.warnings.length > 0) io.err(messages.warnings(generation.warnings));

    if (values['dry-run']) {
      const bytes = [...generation.files.values()].reduce((n, c) => n + Buffer.byteLength(c), 0);
      io.out(messages.dryRunHeader(dir, generation.files.size, bytes));
      io.out(formatTree(dir, generation.files));
      return 0;
    }
    if (prompts) {
      io.out(
        `\n${messages.summaryHeader}\n${choiceSummary(generation.plan)
          .map(([k, v]) => `  ${k}: ${v}`)
          .join('\n')}`,
      );
      if (!(await prompts.confirm(`Write ${generation.files.size} files into ${dir}?`))) {
        io.out(messages.promptAborted);
        keep();
        return 1;
      }
    }
    const result = writeRepository(dir, generation.files, {
      force: values.force ?? false,
      git: !values['no-git'],
      commitMessage: commitMessage(),
    });
    io.out(messages.written(dir, result.written, result.committed));
    if (result.overwritten.length > 0) io.out(messages.overwritten(result.overwritten.length, result.savedTo));
    if (generation.plan.omissions.length > 0)
      io.out(
        `${messages.omissionsHeader}\n${generation.plan.omissions.map((o) => messages.omission(o, dir)).join('\n')}`,
      );
    io.out(messages.nextSteps(dir, pipelineSecretNames(generation.plan)));
    return 0;
  } catch (error) {
    if (isCancel(error)) {
      io.err(`\n${messages.promptAborted}`);
      keep();
      return 130;
    }
    if (isUserError(error) && given) {
      io.err(error.message);
      keep();
      return 1;
    }
    throw error;
  } finally {
    prompts?.close();
  }
}
