#!/usr/bin/env node
import { colorWanted, uncolorStream } from './color.js';
import { main } from './main.js';
import { openTerminalPrompts } from './prompts.js';

const color = colorWanted(process.env, Boolean(process.stdout.isTTY));
if (!color) {
  uncolorStream(process.stdout);
  uncolorStream(process.stderr);
}
const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  color,
  openPrompts: openTerminalPrompts,
});
process.exitCode = code;
