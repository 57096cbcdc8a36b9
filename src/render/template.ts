import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { templatesDir } from '../paths.js';

// Templates hold text with values; every condition is decided in code before the data reaches them.

const compiled = new Map<string, ejs.TemplateFunction>();

/** Renders templates/<path>.ejs with `it` as its data. */
export function renderTemplate(path: string, it: object): string {
  let template = compiled.get(path);
  if (!template) {
    const file = join(templatesDir, `${path}.ejs`);
    template = ejs.compile(readFileSync(file, 'utf8'), { filename: file, localsName: 'it', _with: false, strict: true });
    compiled.set(path, template);
  }
  return template(it);
}
