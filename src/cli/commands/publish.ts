import { parseArgs } from 'node:util';
import { publishDirectory, type PublishDeps, type PublishValues } from '../../github/command.js';
import { githubMessages as m } from '../../github/messages.js';
import type { Io } from '../io.js';
import { commandHelp, commandSpec, parseOptions } from '../usage.js';

const OPTIONS = parseOptions('publish');

/**
 * Splits `aks-platform new <dir> ... --publish [publish options]` into the arguments of `new` and those of
 * `publish` (the directory first); publishArgs is undefined when --publish is absent.
 */
export function splitPublishArgs(args: string[]): { newArgs: string[]; publishArgs: string[] | undefined } {
  if (!args.includes('--publish')) return { newArgs: args, publishArgs: undefined };
  const newArgs: string[] = [];
  const publishOptions: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--publish') continue;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : '';
    if (name !== 'help' && name in OPTIONS) {
      publishOptions.push(arg);
      if (!arg.includes('=') && i + 1 < args.length) publishOptions.push(args[++i]!);
    } else newArgs.push(arg);
  }
  // The directory is new's positional; its value-taking options are declared so their values are not mistaken for it.
  const { positionals } = parseArgs({
    args: newArgs,
    strict: false,
    allowPositionals: true,
    options: { preset: { type: 'string' }, answers: { type: 'string' }, set: { type: 'string', multiple: true } },
  });
  return { newArgs, publishArgs: positionals[0] === undefined ? publishOptions : [positionals[0], ...publishOptions] };
}

/** `aks-platform publish`: reads the arguments, then publishes through the core the Yeoman generator shares. */
export async function runPublish(args: string[], io: Io, deps: PublishDeps = {}): Promise<number> {
  let parsed: { values: PublishValues & { help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: OPTIONS }) as typeof parsed;
  } catch (error) {
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(m.badOption(error.message.replace(/\. To specify.*$/, '')));
      return 2;
    }
    throw error;
  }
  if (parsed.values.help) {
    io.out(commandHelp(commandSpec('publish')!));
    return 0;
  }
  return publishDirectory(parsed.positionals, parsed.values, io, deps);
}
