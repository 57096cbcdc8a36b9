import { PSRULE_MODULES } from '../../versions.js';
import { PSRULE_BASELINE_GROUP, PSRULE_OPTIONS_FILE } from '../psrule.js';
import { installBicep } from './scripts.js';
import { pinnedAction } from './yaml.js';

// PSRule for Azure on pull requests: Microsoft's Well-Architected rules over the expanded Bicep, with the options and
// suppressions of ps-rule.yaml. It reads files only, so it needs no Azure sign-in and no write permission.

/** Where PSRule looks for the parameter files and the bootstrap template. */
const INPUT_PATH = 'infra/';

/**
 * Installs the pinned engine first, then the rules: PowerShellGet keeps an installed PSRule that satisfies the rules'
 * dependency, so the action and the step below find exactly these versions instead of the newest.
 */
function installModulesScript(): string {
  return Object.entries(PSRULE_MODULES)
    .map(
      ([name, version]) =>
        `Install-Module -Name ${name} -RequiredVersion ${version} -Repository PSGallery -Scope CurrentUser -Force`,
    )
    .join('\n');
}

/** PSRule for Azure expands Bicep with the pinned Bicep CLI that installBicep() puts behind `az bicep`. */
const BICEP_FROM_AZURE_CLI = { PSRULE_AZURE_BICEP_USE_AZURE_CLI: 'true' };

const MODULES_STEP_NAME = `Install PSRule ${PSRULE_MODULES.PSRule} and PSRule.Rules.Azure ${PSRULE_MODULES['PSRule.Rules.Azure']}`;

export function githubPsRuleJob(runner: string, checkout: unknown): Record<string, unknown> {
  return {
    name: 'PSRule for Azure',
    'runs-on': runner,
    permissions: { contents: 'read' },
    steps: [
      checkout,
      { name: 'Install Bicep', run: installBicep() },
      { name: MODULES_STEP_NAME, shell: 'pwsh', run: installModulesScript() },
      {
        name: 'Analyze the Bicep with PSRule for Azure',
        uses: pinnedAction('microsoft/ps-rule'),
        env: BICEP_FROM_AZURE_CLI,
        with: {
          modules: 'PSRule.Rules.Azure',
          baseline: `@${PSRULE_BASELINE_GROUP}`,
          option: PSRULE_OPTIONS_FILE,
          inputPath: INPUT_PATH,
          summary: true,
        },
      },
    ],
  };
}

/**
 * The same check in Azure DevOps with plain PowerShell steps (no Marketplace extension to install): the markdown job
 * summary goes to the run's Extensions tab, the NUnit results to its Tests tab.
 */
export function azureDevOpsPsRuleJob(pool: unknown): Record<string, unknown> {
  const summary = '$(Agent.TempDirectory)/ps-rule-summary.md';
  const results = '$(Agent.TempDirectory)/ps-rule-results.xml';
  return {
    job: 'psrule',
    displayName: 'PSRule for Azure',
    pool,
    steps: [
      { checkout: 'self' },
      { bash: installBicep(), displayName: 'Install Bicep' },
      { pwsh: installModulesScript(), displayName: MODULES_STEP_NAME },
      {
        pwsh: [
          '$ErrorActionPreference = "Stop"',
          `$env:PSRULE_OUTPUT_JOBSUMMARYPATH = "${summary}"`,
          'try {',
          `  Assert-PSRule -InputPath ${INPUT_PATH} -Format File -Module PSRule.Rules.Azure -Baseline '@${PSRULE_BASELINE_GROUP}' -Option ${PSRULE_OPTIONS_FILE} -OutputFormat NUnit3 -OutputPath "${results}"`,
          '} finally {',
          `  if (Test-Path "${summary}") { Write-Host "##vso[task.uploadsummary]${summary}" }`,
          '}',
        ].join('\n'),
        displayName: 'Analyze the Bicep with PSRule for Azure',
        env: BICEP_FROM_AZURE_CLI,
      },
      {
        task: 'PublishTestResults@2',
        displayName: 'Publish PSRule results',
        condition: 'succeededOrFailed()',
        inputs: { testRunTitle: 'PSRule for Azure', testResultsFormat: 'NUnit', testResultsFiles: results },
      },
    ],
  };
}
