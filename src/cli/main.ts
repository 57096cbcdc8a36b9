import type { Ask } from '../answers/questions.js';
import { isUserError, UserError } from '../errors.js';
import { messages } from '../messages.js';
import { GENERATOR_VERSION } from '../versions.js';

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
        const { runNew } = await import('./commands/new.js');
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
      case 'plan': {
        const { runPlan } = await import('./commands/plan.js');
        return await runPlan(rest, io);
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
