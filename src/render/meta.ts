import type { AnsweredPlan } from '../plan/index.js';
import type { OutputArea } from './area.js';

/** The .yo-rc.json block: the input of a re-run or an upgrade. */
export function storedConfig(plan: AnsweredPlan): Record<string, unknown> {
  const { preset, catalog } = plan;
  return {
    [plan.generator.name]: {
      version: plan.generator.version,
      ...(preset ? { preset } : {}),
      ...(catalog ? { catalog } : {}),
      answers: plan.answers,
    },
  };
}

const GITIGNORE = `# Bicep build output and local tooling
*.json.bak
infra/**/*.json
!infra/bicepconfig.json
!infra/**/*.parameters.json
.azure/
# Editors and OS
.vscode/*
!.vscode/extensions.json
.idea/
.DS_Store
# Never commit credentials or kubeconfigs
*.kubeconfig
kubeconfig
.env
`;

export const metaArea: OutputArea<AnsweredPlan> = {
  name: 'meta',
  *render(plan) {
    yield ['.yo-rc.json', `${JSON.stringify(storedConfig(plan), null, 2)}\n`];
    yield ['.gitignore', GITIGNORE];
  },
};
