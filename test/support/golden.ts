import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { packageRoot } from '../../src/paths.js';

// Golden copies of generated repositories: one folder per scenario under test/golden, one file per generated file,
// so a change to the output reads in a review as the diff a user would see. `npm run snapshots:update` rewrites them.

export const GOLDEN_DIR = join(packageRoot, 'test', 'golden');

/** True when the run should rewrite the golden files instead of comparing against them (never under CI). */
export const updatingGolden = process.env.UPDATE_GOLDEN === '1' && !process.env.CI;

// A generated .gitignore or .gitattributes would act on this repository's own files, so it is stored renamed.
const GIT_CONTROL = /(^|\/)\.(gitignore|gitattributes)$/;

export function goldenName(path: string): string {
  return path.replace(GIT_CONTROL, '$1dot-$2');
}

/** Every golden file of a scenario as stored name -> content; empty when the scenario has none yet. */
export function readGolden(scenario: string): Map<string, string> {
  const root = join(GOLDEN_DIR, scenario);
  const files = new Map<string, string>();
  if (!existsSync(root)) return files;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

/** Replaces a scenario's golden folder with the generated files. */
export function writeGolden(scenario: string, files: ReadonlyMap<string, string>): void {
  const root = join(GOLDEN_DIR, scenario);
  rmSync(root, { recursive: true, force: true });
  for (const [path, content] of files) {
    const target = join(root, goldenName(path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** The golden folders on disk (a scenario dropped from the test leaves one behind, which the test reports). */
export function goldenScenarios(): string[] {
  if (!existsSync(GOLDEN_DIR)) return [];
  return readdirSync(GOLDEN_DIR).filter((name) => statSync(join(GOLDEN_DIR, name)).isDirectory());
}
