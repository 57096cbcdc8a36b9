import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll } from 'vitest';
import { composeAnswers } from '../../src/answers/load.js';
import type { JsonObject } from '../../src/answers/merge.js';
import { generatePlatform } from '../../src/generate.js';
import { completeSets } from './presets.js';

/** Renders a platform in memory from a preset and --set style overrides. */
export function render(preset?: string, sets: string[] = [], file?: JsonObject) {
  return generatePlatform(composeAnswers({ preset, sets: completeSets(preset, sets), file }), preset);
}

/** A temporary directory removed after the test file. */
export function tempDir(prefix = 'aks-platform-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under a directory (without .git) as path -> content. */
export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '.git') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}
