import type { OutputArea } from '../area.js';
import { azureDevOpsPipelines } from './azure-devops.js';
import { bootstrapFiles } from './bootstrap.js';
import { githubWorkflows } from './github.js';
import { pipelinesGuide } from './guide.js';

// Pipelines: GitHub Actions and/or Azure DevOps, the identity they sign in as, and the guide a person follows once.

export const pipelinesArea: OutputArea = {
  name: 'pipelines',
  *render(plan) {
    const { githubActions, azureDevOps } = plan.components;
    if (githubActions) yield* githubWorkflows(plan);
    if (azureDevOps) yield* azureDevOpsPipelines(plan);
    if (githubActions || azureDevOps) {
      yield* bootstrapFiles(plan);
      yield ['docs/pipelines.md', pipelinesGuide(plan)];
    }
  },
};
