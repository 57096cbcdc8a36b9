import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { templatesDir } from '../paths.js';

// Templates hold text with values; every condition is decided in code before the data reaches them.

/** How every template is compiled: here at run time, and by scripts/build-cli.mjs for the CLI bundle. */
export const TEMPLATE_OPTIONS = { localsName: 'it', _with: false, strict: true } as const;

// The CLI bundle replaces this module with one holding every template already compiled with these options
// (scripts/build-cli.mjs), so a cold `aks-platform new` does not parse templates; the functions are the same.
const compiled = new Map<string, ejs.TemplateFunction>();

/** Renders templates/<path>.ejs with `it` as its data. */
export function renderTemplate(path: string, it: object): string {
  let template = compiled.get(path);
  if (!template) {
    const file = join(templatesDir, `${path}.ejs`);
    template = ejs.compile(readFileSync(file, 'utf8'), { ...TEMPLATE_OPTIONS, filename: file });
    compiled.set(path, template);
  }
  return template(it);
}
