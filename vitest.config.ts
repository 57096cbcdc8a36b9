import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // GitHub's workflow parser ships ESM that vitest must transform itself.
    server: { deps: { inline: ['@actions/workflow-parser', '@actions/expressions'] } },
  },
});
