import { defineConfig } from 'vitest/config';

// Two projects: `fast` holds the pure tests (answers, plan, render and the golden output; no tools, no git, no
// servers) and runs in seconds with `npm run test:fast`; `full` holds everything that runs real tools, git, the CLI
// bundle or a loopback server. `npm test` runs both.
const FAST = [
  'test/answers.test.ts',
  'test/plan.test.ts',
  'test/render.test.ts',
  'test/infra-render.test.ts',
  'test/gitops.test.ts',
  'test/pipelines-schedule.test.ts',
  'test/upgrade-yaml-merge.test.ts',
  'test/golden.test.ts',
  'test/architecture.test.ts',
  'test/hybrid.test.ts',
  'test/psrule.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // GitHub's workflow parser ships ESM that vitest must transform itself.
    server: { deps: { inline: ['@actions/workflow-parser', '@actions/expressions'] } },
    projects: [
      { extends: true, test: { name: 'fast', include: FAST } },
      { extends: true, test: { name: 'full', include: ['test/**/*.test.ts'], exclude: FAST } },
    ],
  },
});
