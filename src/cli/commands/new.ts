import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAnswersDocument } from '../../answers/load.js';
import type { Ask } from '../../answers/questions.js';
import { UsageError, UserError } from '../../errors.js';
import { generateFromSources } from '../../generate.js';
import { messages } from '../../messages.js';
import { pipelineSecretNames } from '../../plan/contracts.js';
import { choiceSummary } from '../../render/docs/index.js';
import { commitMessage } from '../../write/git.js';
import { writeRepository } from '../../write/index.js';
import type { Io } from '../io.js';
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

function readAnswersFile(file: string | undefined) {
  if (file === undefined) return undefined;
  if (!existsSync(file)) throw new UserError(messages.answersFileMissing(file));
  return parseAnswersDocument(readFileSync(file, 'utf8'), file);
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

  const file = readAnswersFile(values.answers);
  let prompts: Awaited<ReturnType<NonNullable<Io['openPrompts']>>> | undefined;
  const ask: Ask = async (question) => {
    if (!io.interactive || !io.openPrompts) throw new NoTerminal();
    prompts ??= await io.openPrompts();
    return prompts.ask(question);
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
                topic: (title) => prompts && io.out(`\n${title}`),
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
        return 1;
      }
    }
    const result = writeRepository(dir, generation.files, {
      force: values.force ?? false,
      git: !values['no-git'],
      commitMessage: commitMessage(),
    });
    io.out(messages.written(dir, result.written, result.committed));
    if (result.overwritten.length > 0)
      io.out(`Overwrote ${result.overwritten.length} existing file(s) (--force); review them with git diff.`);
    if (generation.plan.omissions.length > 0)
      io.out(`${messages.omissionsHeader}\n${generation.plan.omissions.map(messages.omission).join('\n')}`);
    io.out(messages.nextSteps(dir, pipelineSecretNames(generation.plan)));
    return 0;
  } finally {
    prompts?.close();
  }
}
