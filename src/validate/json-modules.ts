import { register } from 'node:module';

// @actions/workflow-parser imports its JSON schemas without an import attribute: bundlers and vitest accept that,
// Node 20 refuses it. This loader hook serves that package's JSON files as ES modules, so `aks-platform validate`
// runs GitHub's own parser under plain Node. It touches no other package.

const HOOK = `
import { readFile } from 'node:fs/promises';
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.json') && url.includes('/node_modules/@actions/')) {
    const source = await readFile(new URL(url), 'utf8');
    return { format: 'module', source: 'export default ' + source + ';', shortCircuit: true };
  }
  return next(url, context);
}
`;

let registered = false;

export function allowActionsJsonImports(): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
}
