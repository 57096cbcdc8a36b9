import { parseArgs } from 'node:util';
import { isUserError, UsageError, userErrorCode } from '../errors.js';
import { messages } from '../messages.js';
import { GENERATOR_VERSION } from '../versions.js';
import { bold } from './color.js';
import type { Io } from './io.js';
import { commandHelp, commandSpec, globalHelp, parseOptions } from './usage.js';

// Each command imports what it needs when it runs: `--version` must not pay for the schema library, and no path
// here loads Yeoman (the terminal prompts load only Yeoman's small adapter, and only when a question is asked).

const wantsHelp = (args: string[]) => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

/** The aks-platform command line; returns the exit code. Never loads Yeoman. */
export async function main(argv: string[], io: Io): Promise<number> {
  const style = { bold: bold(io.color ?? false) };
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
        // No command is a usage error: the help goes where errors go, so a script sees it failed.
        io.err(globalHelp(style));
        return 2;
      case '--help':
      case '-h':
      case 'help': {
        const spec = rest[0] === undefined ? undefined : commandSpec(rest[0]);
        if (rest[0] !== undefined && !spec) throw new UsageError(messages.unknownCommand(rest[0]));
        io.out(spec ? commandHelp(spec, style) : globalHelp(style));
        return 0;
      }
      case '--version':
      case '-v':
        io.out(GENERATOR_VERSION);
        return 0;
    }
    const spec = commandSpec(command);
    if (!spec) throw new UsageError(messages.unknownCommand(command));
    if (wantsHelp(rest)) {
      io.out(commandHelp(spec, style));
      return 0;
    }
    switch (command) {
      case 'schema': {
        parseArgs({ args: rest, options: parseOptions('schema') });
        const { answersJsonSchema } = await import('../answers/schema.js');
        io.out(JSON.stringify(answersJsonSchema(), null, 2));
        return 0;
      }
      case 'presets': {
        const { values } = parseArgs({ args: rest, options: parseOptions('presets') });
        const { PRESETS, PRESET_NAMES } = await import('../answers/presets.js');
        if (values.json)
          io.out(
            JSON.stringify(
              PRESET_NAMES.map((name) => ({ name, description: PRESETS[name].description })),
              null,
              2,
            ),
          );
        else io.out(PRESET_NAMES.map((name) => `${name}: ${PRESETS[name].description}`).join('\n'));
        return 0;
      }
      case 'completion': {
        const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: parseOptions('completion') });
        const { SHELLS, completionScript } = await import('./completion.js');
        const shell = SHELLS.find((s) => s === positionals[0]);
        if (!shell || positionals.length > 1) throw new UsageError(messages.badShell(positionals.join(' ')));
        io.out(completionScript(shell));
        return 0;
      }
      case 'catalog': {
        const { runCatalog } = await import('./commands/catalog.js');
        return await runCatalog(rest, io);
      }
      case 'new': {
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
        throw new Error(`command ${command} is in the usage table but not dispatched`);
    }
  } catch (error) {
    if (isUserError(error)) {
      io.err(error.message);
      return userErrorCode(error);
    }
    if (isParseArgsError(error)) {
      io.err(messages.badOption(argv[0] ?? '', error.message.replace(/\. To specify.*$/, '')));
      return 2;
    }
    io.err(messages.bug(error));
    return 70;
  }
}

export function isParseArgsError(error: unknown): error is TypeError {
  return error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
}
