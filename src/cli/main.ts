import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Ask } from '../answers/questions.js';
import { isUserError, UserError } from '../errors.js';
import { messages } from '../messages.js';
import { pipelineSecretNames } from '../plan/contracts.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../versions.js';

// Each command imports what it needs when it runs: `--version` must not pay for the schema library, and no path
// here loads Yeoman (the terminal prompts load only Yeoman's small adapter, and only when a question is asked).

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether a person can answer questions. */
  interactive: boolean;
  /** Opens the terminal prompts; loaded only when a question is actually asked. */
  openPrompts?: () => Promise<{ ask: Ask; confirm(message: string): Promise<boolean>; close(): void }>;
}

class NoTerminal extends UserError {
  constructor() {
    super(messages.noTerminal);
  }
}

async function readAnswersFile(file: string | undefined) {
  if (file === undefined) return undefined;
  if (!existsSync(file)) throw new UserError(messages.answersFileMissing(file));
  const { parseAnswersDocument } = await import('../answers/load.js');
  return parseAnswersDocument(readFileSync(file, 'utf8'), file);
}

export function commitMessage(): string {
  return `Generate the AKS platform with ${GENERATOR_NAME} ${GENERATOR_VERSION}\n\nThe answers are in .yo-rc.json; docs/decisions explains each choice.`;
}

async function runNew(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      answers: { type: 'string' },
      set: { type: 'string', multiple: true },
      yes: { type: 'boolean', short: 'y' },
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
      'no-git': { type: 'boolean' },
      catalog: { type: 'string' },
      template: { type: 'string' },
      'api-url': { type: 'string' },
    },
  });
  const dir = positionals[0];
  if (!dir) throw new UserError(messages.missingDirectory);
  if (positionals.length > 1) throw new UserError(messages.badOption(`unexpected argument "${positionals[1]}"`));

  const [{ composeAnswers }, { generatePlatform }, { writeRepository }, { formatTree }] = await Promise.all([
    import('../answers/load.js'),
    import('../generate.js'),
    import('../write/index.js'),
    import('./tree.js'),
  ]);
  const file = await readAnswersFile(values.answers);
  let prompts: Awaited<ReturnType<NonNullable<Io['openPrompts']>>> | undefined;
  const ask: Ask = async (question) => {
    if (!io.interactive || !io.openPrompts) throw new NoTerminal();
    prompts ??= await io.openPrompts();
    return prompts.ask(question);
  };
  try {
    const catalog = values.catalog || values.template || file?.catalog
      ? await (await import('./commands/catalog.js')).resolveCatalogChoice(values, file?.catalog, values.yes ? undefined : ask)
      : undefined;
    const layer = catalog ? (await import('../catalog/policy.js')).templateLayer(catalog.template) : undefined;
    const preset = layer ? layer.preset : (values.preset ?? file?.preset);
    let input = composeAnswers({ preset, base: layer?.answers, file: file?.answers, sets: values.set });

    if (!values.yes && !file?.stored) {
      const { promptForMissing } = await import('../answers/questions.js');
      const { isLocked } = await import('../catalog/policy.js');
      input = await promptForMissing(input, {
        ask,
        topic: (title) => prompts && io.out(`\n${title}`),
        ...(catalog ? { skip: (path: string) => isLocked(catalog.template, path) } : {}),
      });
    }
    if (catalog) input = (await import('../catalog/policy.js')).applyLocks(input, catalog.template);
    const { AREAS } = await import('../render/index.js');
    const generation = generatePlatform(input, preset, AREAS, catalog ? { origin: catalog.loaded.origin, template: catalog.template } : undefined);
    if (generation.warnings.length > 0) io.err(messages.warnings(generation.warnings));

    if (values['dry-run']) {
      const bytes = [...generation.files.values()].reduce((n, c) => n + Buffer.byteLength(c), 0);
      io.out(messages.dryRunHeader(dir, generation.files.size, bytes));
      io.out(formatTree(dir, generation.files));
      return 0;
    }
    if (prompts) {
      const { choiceSummary } = await import('../render/docs/index.js');
      io.out(`\n${messages.summaryHeader}\n${choiceSummary(generation.plan).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
      if (!(await prompts.confirm(`Write ${generation.files.size} files into ${dir}?`))) {
        io.out(messages.promptAborted);
        return 1;
      }
    }
    const result = writeRepository(dir, generation.files, { force: values.force ?? false, git: !values['no-git'], commitMessage: commitMessage() });
    io.out(messages.written(dir, result.written, result.committed));
    if (result.overwritten.length > 0) io.out(`Overwrote ${result.overwritten.length} existing file(s) (--force); review them with git diff.`);
    if (generation.plan.omissions.length > 0) io.out(`${messages.omissionsHeader}\n${generation.plan.omissions.map(messages.omission).join('\n')}`);
    io.out(messages.nextSteps(dir, pipelineSecretNames(generation.plan)));
    return 0;
  } finally {
    prompts?.close();
  }
}

/** The aks-platform command line; returns the exit code. Never loads Yeoman. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(messages.usage);
        return command === undefined ? 1 : 0;
      case '--version':
      case '-v':
        io.out(GENERATOR_VERSION);
        return 0;
      case 'schema': {
        const { answersJsonSchema } = await import('../answers/schema.js');
        io.out(JSON.stringify(answersJsonSchema(), null, 2));
        return 0;
      }
      case 'presets': {
        const { PRESETS, PRESET_NAMES } = await import('../answers/presets.js');
        io.out(PRESET_NAMES.map((name) => `${name}: ${PRESETS[name].description}`).join('\n'));
        return 0;
      }
      case 'catalog': {
        const { runCatalog } = await import('./commands/catalog.js');
        return await runCatalog(rest, io);
      }
      case 'new': {
        if (rest.includes('--help') || rest.includes('-h')) {
          io.out(messages.usage);
          return 0;
        }
        // `new ... --publish [publish options]` generates, then publishes the new repository in the same run.
        // Octokit is loaded only then: plain `new` stays fast.
        if (!rest.includes('--publish')) return await runNew(rest, io);
        const { splitPublishArgs, runPublish } = await import('./commands/publish.js');
        const { newArgs, publishArgs } = splitPublishArgs(rest);
        const code = await runNew(newArgs, io);
        if (code !== 0 || publishArgs === undefined || newArgs.includes('--dry-run')) return code;
        return await runPublish(publishArgs, io);
      }
      case 'upgrade': {
        const { runUpgrade } = await import('./commands/upgrade.js');
        return await runUpgrade(rest, io);
      }
      case 'validate': {
        const { runValidate } = await import('./commands/validate.js');
        return await runValidate(rest, io);
      }
      case 'publish': {
        const { runPublish } = await import('./commands/publish.js');
        return await runPublish(rest, io);
      }
      default:
        throw new UserError(messages.unknownCommand(command));
    }
  } catch (error) {
    if (isUserError(error)) {
      io.err(error.message);
      return 1;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(messages.badOption(error.message.replace(/\. To specify.*$/, '')));
      return 1;
    }
    io.err(messages.bug(error));
    return 70;
  }
}
