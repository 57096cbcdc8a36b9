import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The same code runs from src/ (tests) and dist/src/ (the bin), so the package root is found, not assumed.
function findPackageRoot(): { root: string; manifest: { name: string; version: string } } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    const manifest = existsSync(candidate)
      ? (JSON.parse(readFileSync(candidate, 'utf8')) as { name: string; version: string })
      : undefined;
    if (manifest?.name === 'generator-aks-platform') return { root: dir, manifest };
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('generator-aks-platform: package root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

// Read once: the walk up already parsed the manifest it stopped at.
const found = findPackageRoot();
export const packageRoot = found.root;
export const templatesDir = join(packageRoot, 'templates');
export const packageJson = found.manifest;
