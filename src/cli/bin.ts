#!/usr/bin/env node
import { main } from './main.js';
import { openTerminalPrompts } from './prompts.js';

const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  openPrompts: openTerminalPrompts,
});
process.exitCode = code;
