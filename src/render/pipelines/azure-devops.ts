import { GENERATOR_VERSION, NODE_LTS } from '../../versions.js';
import type { EnvironmentPlan, Plan } from '../../plan/index.js';
import { deploymentSecrets, planDeployments, type Deployment } from '../../plan/contracts.js';
import type { FleetPlan } from '../../plan/hybrid.js';
import {
  deploymentEnvironment,
  identityFor,
  upgradesThroughFleet,
  type PipelineIdentity,
} from '../../plan/pipeline-identities.js';
import { nodeImageCron } from './github.js';
import {
  buildBicep,
  decideScript,
  deployScript,
  installBicep,
  installValidationTools,
  kubernetesUpgradeScript,
  listUpgradesScript,
  nodeImageUpgradeScript,
  stopStartCrons,
  stopStartScript,
  validateManifestsScript,
  whatIfScript,
  kubernetesUpgradeHeader,
  platformValidateScript,
  resourcePlanScript,
  fleetStageScript,
  fleetUpgradeHeader,
  type FleetUpdate,
} from './scripts.js';
import { azureDevOpsPsRuleJob } from './psrule.js';
import { printYaml, type YamlComment } from './yaml.js';

// Azure DevOps equivalents. Azure sign-in goes through a workload identity federation service connection (no secret);
// approvals are checks on the Azure DevOps environments, which YAML cannot declare (docs/pipelines.md says how).

const POOL = { vmImage: 'ubuntu-24.04' };

const nodeSteps = [
  { task: 'NodeTool@0', inputs: { versionSpec: `${NODE_LTS}.x` }, displayName: `Use Node.js ${NODE_LTS} (LTS)` },
  {
    // No lock file here: .yo-rc.json names the generator version, so it keys the cache of what npx fetches.
    task: 'Cache@2',
    inputs: { key: 'npm | "$(Agent.OS)" | .yo-rc.json', path: '$(Pipeline.Workspace)/.npm' },
    displayName: 'Cache npm',
  },
];
const npmCache = { npm_config_cache: '$(Pipeline.Workspace)/.npm' };

/** Stage and job names allow letters, digits and underscores only. */
function id(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

/** An Azure CLI step signed in through the service connection of one pipeline identity (plan/pipeline-identities.ts). */
function azureCli(
  identity: PipelineIdentity,
  displayName: string,
  script: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    task: 'AzureCLI@2',
    displayName,
    ...extra,
    inputs: {
      azureSubscription: identity.serviceConnection,
      scriptType: 'bash',
      scriptLocation: 'inlineScript',
      inlineScript: script,
    },
  };
}

function deploymentJob(name: string, environment: string, steps: unknown[]): Record<string, unknown> {
  return {
    deployment: name,
    environment,
    pool: POOL,
    strategy: { runOnce: { deploy: { steps: [{ checkout: 'self' }, ...steps] } } },
  };
}

function infraPipeline(plan: Plan): string {
  const branch = plan.delivery.branch;
  const deployments = planDeployments(plan);
  const paths = { include: ['infra'], exclude: ['infra/bootstrap'] };
  const onBranch = `eq(variables['Build.SourceBranch'], 'refs/heads/${branch}')`;
  const stages: unknown[] = [
    {
      stage: 'build',
      displayName: 'Bicep build and lint',
      jobs: [
        {
          job: 'build',
          pool: POOL,
          steps: [
            { checkout: 'self' },
            // No Azure sign-in: building and linting needs none.
            { bash: `${installBicep()}\n${buildBicep(deployments)}`, displayName: 'Install Bicep, build and lint' },
          ],
        },
      ],
    },
    {
      stage: 'what_if',
      displayName: 'What-if',
      dependsOn: ['build'],
      condition: "and(succeeded(), eq(variables['Build.Reason'], 'PullRequest'))",
      jobs: [
        {
          job: 'resource_plan',
          displayName: 'Resource plan',
          pool: POOL,
          steps: [
            // The whole history, so the target branch is there to compare with; no service connection: it is offline.
            { checkout: 'self', fetchDepth: 0 },
            ...nodeSteps,
            {
              bash: `${installBicep()}\n${resourcePlanScript('azure-devops', '"origin/${SYSTEM_PULLREQUEST_TARGETBRANCH#refs/heads/}"')}`,
              env: npmCache,
              displayName: `aks-platform plan against ${branch} (generator-aks-platform ${GENERATOR_VERSION})`,
            },
          ],
        },
        ...deployments.map((d) => ({
          job: id('what_if', d.name),
          displayName: `What-if ${d.name}`,
          pool: POOL,
          steps: [
            { checkout: 'self' },
            // The plan service connection: the only one pull request builds may use, and it can only read.
            azureCli(
              identityFor(plan, 'plan', 'plan'),
              `What-if ${d.parameters}`,
              `${installBicep()}\n${whatIfScript(plan, d, 'azure-devops', '$BUILD_BUILDID')}`,
            ),
          ],
        })),
      ],
    },
  ];
  let previous = 'build';
  for (const d of deployments) {
    const stage = id('deploy', d.name);
    // Secret variables reach a script only when mapped into its environment explicitly.
    const secrets = deploymentSecrets(plan, d);
    const step = azureCli(
      identityFor(plan, 'deploy', deploymentEnvironment(d)),
      `Deploy ${d.parameters}`,
      `${installBicep()}\n${deployScript(plan, d, 'azure-devops', '$BUILD_BUILDNUMBER')}`,
      secrets.length > 0 ? { env: Object.fromEntries(secrets.map((name) => [name, `$(${name})`])) } : {},
    );
    stages.push({
      stage,
      displayName: `Deploy ${d.name}`,
      dependsOn: [previous],
      condition: `and(succeeded(), ne(variables['Build.Reason'], 'PullRequest'), ${onBranch})`,
      // Every deployment, the hub's too, is a deployment job in its environment, whose checks gate it.
      jobs: [deploymentJob('deploy', deploymentEnvironment(d), [step])],
    });
    previous = stage;
  }
  return printYaml(
    { trigger: { branches: { include: [branch] }, paths }, pr: { branches: { include: [branch] }, paths }, stages },
    {
      header: [
        'Infrastructure: on pull requests, Bicep build + lint, the resource plan against the target branch and a what-if per deployment (summary tab of the run);',
        `on ${branch}, deploy one deployment after the other: ${deployments.map((d: Deployment) => d.name).join(', ')}.`,
        'Environments get their approvals as checks in Azure DevOps (docs/pipelines.md).',
      ],
    },
  );
}

function validatePipeline(plan: Plan): string {
  return printYaml(
    {
      trigger: 'none',
      pr: { branches: { include: [plan.delivery.branch] } },
      jobs: [
        {
          job: 'manifests',
          displayName: 'Kustomize build and kubeconform',
          pool: POOL,
          steps: [
            { checkout: 'self' },
            { bash: installValidationTools('azure-devops'), displayName: 'Install tools' },
            { bash: validateManifestsScript('azure-devops'), displayName: 'Validate' },
          ],
        },
        {
          job: 'platform',
          displayName: 'Platform consistency',
          pool: POOL,
          steps: [
            { checkout: 'self' },
            ...nodeSteps,
            {
              bash: platformValidateScript(),
              env: npmCache,
              displayName: `aks-platform validate (generator-aks-platform ${GENERATOR_VERSION})`,
            },
          ],
        },
        azureDevOpsPsRuleJob(POOL),
      ],
    },
    {
      header: [
        'Validation: builds every kustomization against the Kubernetes and Flux schemas, checks the whole repository with the generator that made it,',
        "and holds the Bicep to Microsoft's Well-Architected rules with PSRule for Azure (ps-rule.yaml; results in the Extensions and Tests tabs).",
        'With Azure Repos, add this pipeline as build validation in the branch policy.',
      ],
    },
  );
}

function stopStartPipeline(plan: Plan): string | undefined {
  const envs = plan.environments.filter((e) => e.stopStart);
  if (envs.length === 0) return undefined;
  const all = envs.flatMap(stopStartCrons);
  const crons = [...new Set(all.map((c) => c.cron))];
  const branch = plan.delivery.branch;
  const comments: YamlComment[] = [
    {
      path: ['schedules'],
      placement: 'before',
      text: [
        'Azure Pipelines runs schedules in UTC, so the local times from the answers are converted here. A time zone',
        'with daylight saving has one cron per UTC offset; the decide step acts only on the cron whose offset the',
        'zone has today. The display name is the cron itself, so the step knows which schedule fired.',
      ].join('\n'),
    },
    ...crons.map(
      (cron, i): YamlComment => ({
        path: ['schedules', i, 'cron'],
        text: all
          .filter((c) => c.cron === cron)
          .map((c) => `${c.environment} ${c.action} ${c.localTime} ${c.timeZone} (UTC${c.offset})`)
          .join('; '),
      }),
    ),
  ];
  return printYaml(
    {
      trigger: 'none',
      pr: 'none',
      // always: run even when nothing changed in the repository since the last scheduled run.
      schedules: crons.map((cron) => ({ cron, displayName: cron, branches: { include: [branch] }, always: true })),
      parameters: [
        {
          name: 'environment',
          displayName: 'Environment (manual runs)',
          type: 'string',
          default: envs[0]!.name,
          values: envs.map((e) => e.name),
        },
        {
          name: 'action',
          displayName: 'Action (manual runs)',
          type: 'string',
          default: 'start',
          values: ['start', 'stop'],
        },
      ],
      jobs: envs.map((env) => stopStartJob(plan, env)),
    },
    {
      header: [
        'Cost: stops clusters outside working hours and starts them again (az aks stop / az aks start), for the',
        `environments that opted in: ${envs.map((e) => e.name).join(', ')}. A cluster already in the wanted state is left alone.`,
      ],
      comments,
    },
  );
}

function stopStartJob(plan: Plan, env: EnvironmentPlan): Record<string, unknown> {
  return {
    job: id('stop_start', env.name),
    displayName: `Stop/start ${env.name}`,
    pool: POOL,
    steps: [
      { checkout: 'none' },
      {
        bash: decideScript(env, 'azure-devops'),
        name: 'decide',
        displayName: 'Decide',
        env: { INPUT_ENVIRONMENT: '${{ parameters.environment }}', INPUT_ACTION: '${{ parameters.action }}' },
      },
      azureCli(
        identityFor(plan, 'operator', env.name),
        `Start or stop ${env.names.cluster.value}`,
        stopStartScript(env, 'azure-devops'),
        {
          condition: "and(succeeded(), ne(variables['decide.action'], ''))",
          env: { ACTION: '$(decide.action)' },
        },
      ),
    ],
  };
}

/** The weekly node image run, at the start of the maintenance window, on the deployment branch. */
function weeklyNodeImageSchedule(plan: Plan): unknown[] {
  return [
    {
      cron: nodeImageCron(plan),
      displayName: 'weekly node image upgrade',
      branches: { include: [plan.delivery.branch] },
      always: true,
    },
  ];
}

function nodeImageUpgradePipeline(plan: Plan): string {
  const w = plan.upgrades.maintenanceWindow;
  const order = [...plan.environments.filter((e) => !e.production), ...plan.environments.filter((e) => e.production)];
  let previous: string | undefined;
  const stages = order.map((env) => {
    const stage = id('node_image', env.name);
    const result = {
      stage,
      displayName: `Node image upgrade ${env.name}`,
      ...(previous ? { dependsOn: [previous] } : { dependsOn: [] }),
      jobs: [
        deploymentJob('upgrade', env.name, [
          azureCli(
            identityFor(plan, 'operator', env.name),
            `Upgrade node images of ${env.names.cluster.value}`,
            nodeImageUpgradeScript(plan, env, 'azure-devops'),
          ),
        ]),
      ],
    };
    previous = stage;
    return result;
  });
  return printYaml(
    {
      trigger: 'none',
      pr: 'none',
      schedules: weeklyNodeImageSchedule(plan),
      stages,
    },
    {
      header: [
        `The node OS upgrade channel is ${plan.upgrades.nodeOsUpgradeChannel}, so AKS does not roll out new node images itself:`,
        'this pipeline does, weekly, one environment and one node pool at a time, non-production first.',
      ],
      comments: [
        {
          path: ['schedules', 0, 'cron'],
          text: `${w.dayOfWeek} ${w.startTime} UTC${w.utcOffset} (maintenance window start), in UTC`,
        },
      ],
    },
  );
}

/** One stage per fleet stage, each a deployment job in its approval environment, one after the other. */
function fleetStages(plan: Plan, fleet: FleetPlan, update: FleetUpdate): unknown[] {
  let previous: string | undefined;
  return fleet.stages.map((stage, i) => {
    const name = id('stage', stage.name);
    const result = {
      stage: name,
      displayName: `${update === 'kubernetes' ? 'Kubernetes' : 'Node image'} upgrade, stage ${stage.name} (${stage.groups.join(', ')})`,
      dependsOn: previous ? [previous] : [],
      jobs: [
        deploymentJob('update_run', stage.approvalEnvironment, [
          azureCli(
            identityFor(plan, 'fleet', 'fleet'),
            i === 0
              ? `Create and start the update run, wait for stage ${stage.name}`
              : `Approve stage ${stage.name}, wait for it`,
            fleetStageScript(fleet, i, update, 'azure-devops'),
            update === 'kubernetes' && i === 0 ? { env: { VERSION: '${{ parameters.version }}' } } : {},
          ),
        ]),
      ],
    };
    previous = name;
    return result;
  });
}

function fleetKubernetesUpgradePipeline(plan: Plan, fleet: FleetPlan): string {
  return printYaml(
    {
      trigger: 'none',
      pr: 'none',
      parameters: [
        {
          name: 'version',
          displayName: 'Target Kubernetes version (az aks get-upgrades on a member cluster lists them)',
          type: 'string',
        },
      ],
      stages: fleetStages(plan, fleet, 'kubernetes'),
    },
    { header: fleetUpgradeHeader(fleet, 'kubernetes') },
  );
}

function fleetNodeImageUpgradePipeline(plan: Plan, fleet: FleetPlan): string {
  const w = plan.upgrades.maintenanceWindow;
  return printYaml(
    {
      trigger: 'none',
      pr: 'none',
      schedules: weeklyNodeImageSchedule(plan),
      stages: fleetStages(plan, fleet, 'node-image'),
    },
    {
      header: fleetUpgradeHeader(fleet, 'node-image'),
      comments: [
        {
          path: ['schedules', 0, 'cron'],
          text: `${w.dayOfWeek} ${w.startTime} UTC${w.utcOffset} (maintenance window start), in UTC`,
        },
      ],
    },
  );
}

function kubernetesUpgradePipeline(plan: Plan): string {
  const stages = plan.environments.map((env) => ({
    stage: id('upgrade', env.name),
    displayName: `Kubernetes upgrade ${env.name}`,
    dependsOn: [],
    condition: `eq('\${{ parameters.environment }}', '${env.name}')`,
    jobs: [
      deploymentJob('upgrade', env.name, [
        azureCli(
          identityFor(plan, 'operator', env.name),
          'List available versions',
          listUpgradesScript(env, 'azure-devops'),
        ),
        azureCli(
          identityFor(plan, 'operator', env.name),
          'Upgrade control plane, then node pools one at a time, then verify',
          kubernetesUpgradeScript(plan, env, 'azure-devops'),
          {
            env: { VERSION: '${{ parameters.version }}' },
          },
        ),
      ]),
    ],
  }));
  return printYaml(
    {
      trigger: 'none',
      pr: 'none',
      parameters: [
        {
          name: 'environment',
          displayName: 'Environment',
          type: 'string',
          default: plan.environments[0]!.name,
          values: plan.environments.map((e) => e.name),
        },
        // A single space is the "no version" default: Azure DevOps does not accept an empty default; the script trims it.
        {
          name: 'version',
          displayName: 'Target Kubernetes version (leave blank to only list the available versions)',
          type: 'string',
          default: ' ',
        },
      ],
      stages,
    },
    {
      header: kubernetesUpgradeHeader(plan),
    },
  );
}

export function* azureDevOpsPipelines(plan: Plan): Generator<[string, string]> {
  yield ['.azure-pipelines/infra.yml', infraPipeline(plan)];
  yield ['.azure-pipelines/validate.yml', validatePipeline(plan)];
  const stopStart = stopStartPipeline(plan);
  if (stopStart) yield ['.azure-pipelines/stop-start.yml', stopStart];
  const fleet = upgradesThroughFleet(plan) ? plan.fleet : undefined;
  if (plan.components.nodeImagePipeline)
    yield [
      '.azure-pipelines/node-image-upgrade.yml',
      fleet ? fleetNodeImageUpgradePipeline(plan, fleet) : nodeImageUpgradePipeline(plan),
    ];
  yield [
    '.azure-pipelines/kubernetes-upgrade.yml',
    fleet ? fleetKubernetesUpgradePipeline(plan, fleet) : kubernetesUpgradePipeline(plan),
  ];
}
