import type { EnvironmentPlan, Plan } from '../../plan/index.js';
import { deploymentSecrets, planDeployments } from '../../plan/contracts.js';
import type { FleetPlan } from '../../plan/hybrid.js';
import {
  deploymentEnvironment,
  identityFor,
  upgradesThroughFleet,
  type PipelineIdentity,
} from '../../plan/pipeline-identities.js';
import { fixedOffsetTimeToUtcCron } from '../../plan/schedule.js';
import { GENERATOR_VERSION, NODE_LTS, TOOLS, pinnedVersion } from '../../versions.js';
import {
  buildBicep,
  decideScript,
  deployScript,
  installValidationTools,
  installBicep,
  kubernetesUpgradeScript,
  listUpgradesScript,
  nodeImageUpgradeScript,
  stopStartCrons,
  stopStartScript,
  validateManifestsScript,
  platformValidateScript,
  resourcePlanScript,
  whatIfScript,
  kubernetesUpgradeHeader,
  fleetStageScript,
  fleetUpgradeHeader,
  type FleetUpdate,
} from './scripts.js';
import { githubPsRuleJob } from './psrule.js';
import { pinnedAction, printYaml, type YamlComment } from './yaml.js';

// GitHub Actions workflows. Azure sign-in is OIDC only: azure/login exchanges the job's GitHub token for an Entra
// token of the pipeline identity (infra/bootstrap); the IDs are repository variables, not secrets, and no secret exists.

export const RUNNER = 'ubuntu-24.04';

const checkout = { name: 'Check out', uses: pinnedAction('actions/checkout'), with: { 'persist-credentials': false } };

/** Signs in as one pipeline identity; which one a job uses is the contract in plan/pipeline-identities.ts. */
function azureLogin(identity: PipelineIdentity) {
  return {
    name: `Azure login as ${identity.name} (OIDC)`,
    uses: pinnedAction('azure/login'),
    with: {
      'client-id': `\${{ vars.${identity.clientIdVariable} }}`,
      'tenant-id': '${{ vars.AZURE_TENANT_ID }}',
      'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}',
    },
  };
}

const setupNode = {
  name: `Set up Node.js ${NODE_LTS} (LTS) with the npm cache`,
  uses: pinnedAction('actions/setup-node'),
  // No lock file here: .yo-rc.json names the generator version, so it keys the cache of what npx fetches.
  with: { 'node-version': NODE_LTS, cache: 'npm', 'cache-dependency-path': '.yo-rc.json' },
};

const readContents = { contents: 'read' } as const;
const readContentsAndToken = { contents: 'read', 'id-token': 'write' } as const;

/** Workflow-level defaults: no token permissions unless a job asks, and bash with pipefail for every run step. */
const workflowDefaults = { permissions: {}, defaults: { run: { shell: 'bash' } } };

/** Repository or environment secrets a step reads, mapped into its environment by name. */
function secretEnv(names: string[]): { env?: Record<string, string> } {
  return names.length > 0 ? { env: Object.fromEntries(names.map((name) => [name, `\${{ secrets.${name} }}`])) } : {};
}

export function jobId(prefix: string, name: string): string {
  return `${prefix}-${name}`;
}

function infraWorkflow(plan: Plan): string {
  const branch = plan.delivery.branch;
  const deployments = planDeployments(plan);
  const paths = ['infra/**', '!infra/bootstrap/**', '.github/workflows/infra.yml'];
  const jobs: Record<string, unknown> = {
    build: {
      name: 'Bicep build and lint',
      'runs-on': RUNNER,
      permissions: readContents,
      steps: [
        checkout,
        { name: 'Install Bicep', run: installBicep() },
        { name: 'Build and lint', run: buildBicep(deployments) },
      ],
    },
  };
  jobs['resource-plan'] = {
    name: 'Resource plan',
    if: "github.event_name == 'pull_request'",
    needs: ['build'],
    'runs-on': RUNNER,
    // Offline: no Azure sign-in and no token beyond reading the repository.
    permissions: readContents,
    steps: [
      // The whole history, so the target branch is there to compare with.
      { ...checkout, with: { ...checkout.with, 'fetch-depth': 0 } },
      setupNode,
      { name: 'Install Bicep', run: installBicep() },
      {
        name: `aks-platform plan against ${branch} (generator-aks-platform ${GENERATOR_VERSION})`,
        run: resourcePlanScript('github', '"origin/${GITHUB_BASE_REF}"'),
      },
    ],
  };
  for (const d of deployments) {
    jobs[jobId('what-if', d.name)] = {
      name: `What-if ${d.name}`,
      if: "github.event_name == 'pull_request'",
      needs: ['build'],
      'runs-on': RUNNER,
      // The plan identity is the only one trusting pull request tokens, and it can only read.
      permissions: readContentsAndToken,
      steps: [
        checkout,
        azureLogin(identityFor(plan, 'plan', 'plan')),
        { name: 'Install Bicep', run: installBicep() },
        { name: `What-if ${d.parameters}`, run: whatIfScript(plan, d, 'github', '${GITHUB_RUN_ID}') },
      ],
    };
  }
  let previous = 'build';
  for (const d of deployments) {
    const id = jobId('deploy', d.name);
    jobs[id] = {
      name: `Deploy ${d.name}`,
      // Deploys only from the branch; a manual run on another branch stops after build.
      if: `github.event_name != 'pull_request' && github.ref == 'refs/heads/${branch}'`,
      needs: [previous],
      'runs-on': RUNNER,
      // Each deployment runs in its GitHub environment, the only token subject its deploy identity trusts.
      environment: deploymentEnvironment(d),
      permissions: readContentsAndToken,
      steps: [
        checkout,
        azureLogin(identityFor(plan, 'deploy', deploymentEnvironment(d))),
        { name: 'Install Bicep', run: installBicep() },
        {
          name: `Deploy ${d.parameters}`,
          ...secretEnv(deploymentSecrets(plan, d)),
          run: deployScript(plan, d, 'github', '${GITHUB_RUN_NUMBER}'),
        },
      ],
    };
    previous = id;
  }
  const production = deployments.filter((d) => d.environment?.production).map((d) => d.name);
  return printYaml(
    {
      name: 'infra',
      on: {
        pull_request: { branches: [branch], paths },
        push: { branches: [branch], paths },
        workflow_dispatch: {},
      },
      ...workflowDefaults,
      // One deployment at a time per branch; a newer push waits instead of cancelling a deployment half way.
      concurrency: { group: 'infra-${{ github.ref }}', 'cancel-in-progress': false },
      jobs,
    },
    {
      header: [
        'Infrastructure: on pull requests, Bicep build + lint, the resource plan against the target branch and a what-if per deployment (see the job summaries);',
        `on ${branch}, deploy one deployment after the other in this order: ${deployments.map((d) => d.name).join(', ')}.`,
        ...(production.length > 0
          ? [
              `Production (${production.join(', ')}) deploys in a GitHub environment: add required reviewers to it (docs/pipelines.md).`,
            ]
          : []),
      ],
    },
  );
}

function validateWorkflow(): string {
  const [kustomize, kubeconform, flux] = ['kustomize', 'kubeconform', 'flux-crd-schemas'].map((name) =>
    pinnedVersion<string>(TOOLS, name),
  );
  return printYaml(
    {
      name: 'validate',
      // Every pull request, not only those touching manifests: both jobs are required checks of the main branch, and
      // a path filter would leave them pending forever on other changes.
      on: { pull_request: {}, workflow_dispatch: {} },
      ...workflowDefaults,
      jobs: {
        manifests: {
          name: 'Kustomize build and kubeconform',
          'runs-on': RUNNER,
          permissions: readContents,
          steps: [
            checkout,
            {
              name: `Install kustomize ${kustomize}, kubeconform ${kubeconform} and the Flux ${flux} schemas`,
              run: installValidationTools('github'),
            },
            { name: 'Validate', run: validateManifestsScript('github') },
          ],
        },
        platform: {
          name: 'Platform consistency',
          'runs-on': RUNNER,
          permissions: readContents,
          steps: [
            checkout,
            setupNode,
            {
              name: `aks-platform validate (generator-aks-platform ${GENERATOR_VERSION})`,
              run: platformValidateScript(),
            },
          ],
        },
        psrule: githubPsRuleJob(RUNNER, checkout),
      },
    },
    {
      header: [
        'Validation: builds every kustomization against the Kubernetes and Flux schemas, checks the whole repository with the generator that made it (Bicep, schemas, workflows and cross-file rules),',
        "and holds the Bicep to Microsoft's Well-Architected rules with PSRule for Azure (ps-rule.yaml; results in the job summary).",
      ],
    },
  );
}

function stopStartWorkflow(plan: Plan): string | undefined {
  const envs = plan.environments.filter((e) => e.stopStart);
  if (envs.length === 0) return undefined;
  const all = envs.flatMap(stopStartCrons);
  const crons = [...new Set(all.map((c) => c.cron))];
  const comments: YamlComment[] = [
    {
      path: ['on', 'schedule'],
      placement: 'before',
      text: [
        'GitHub runs schedules in UTC, so the local times from the answers are converted here. A time zone with',
        'daylight saving has two UTC offsets, so each local time has one cron per offset; the decide step acts only',
        'on the cron whose offset the zone has today, keeping the local time right all year. GitHub may start',
        'scheduled runs some minutes late.',
      ].join('\n'),
    },
    ...crons.map(
      (cron, i): YamlComment => ({
        path: ['on', 'schedule', i, 'cron'],
        text: all
          .filter((c) => c.cron === cron)
          .map((c) => `${c.environment} ${c.action} ${c.localTime} ${c.timeZone} (UTC${c.offset})`)
          .join('; '),
      }),
    ),
  ];
  const jobs: Record<string, unknown> = {};
  for (const env of envs) jobs[jobId('stop-start', env.name)] = stopStartJob(plan, env);
  return printYaml(
    {
      name: 'stop-start',
      on: {
        schedule: crons.map((cron) => ({ cron })),
        workflow_dispatch: {
          inputs: {
            environment: {
              description: 'Environment',
              type: 'choice',
              required: true,
              options: envs.map((e) => e.name),
            },
            action: {
              description: 'Start or stop the cluster',
              type: 'choice',
              required: true,
              options: ['start', 'stop'],
            },
          },
        },
      },
      ...workflowDefaults,
      jobs,
    },
    {
      header: [
        'Cost: stops clusters outside working hours and starts them again (az aks stop / az aks start), for the',
        `environments that opted in: ${envs.map((e) => e.name).join(', ')}. Running it when a cluster is already in the wanted state does nothing.`,
      ],
      comments,
    },
  );
}

function stopStartJob(plan: Plan, env: EnvironmentPlan): unknown {
  const act = "steps.decide.outputs.action != ''";
  return {
    name: `Stop/start ${env.name}`,
    'runs-on': RUNNER,
    permissions: { 'id-token': 'write' },
    // Schedules and manual runs of other environments are filtered by the decide step, so this job stays cheap.
    steps: [
      {
        name: 'Decide',
        id: 'decide',
        env: {
          TRIGGER: "${{ github.event_name == 'workflow_dispatch' && 'manual' || 'schedule' }}",
          SCHEDULE: '${{ github.event.schedule }}',
          INPUT_ENVIRONMENT: '${{ inputs.environment }}',
          INPUT_ACTION: '${{ inputs.action }}',
        },
        run: decideScript(env, 'github'),
      },
      { ...azureLogin(identityFor(plan, 'operator', env.name)), if: act },
      {
        name: '${{ steps.decide.outputs.action }} ' + env.names.cluster.value,
        if: act,
        env: { ACTION: '${{ steps.decide.outputs.action }}' },
        run: stopStartScript(env, 'github'),
      },
    ],
  };
}

/** Deploy order for the upgrade workflows: non-production first, so production gets what already ran elsewhere. */
function upgradeOrder(plan: Plan): EnvironmentPlan[] {
  return [...plan.environments.filter((e) => !e.production), ...plan.environments.filter((e) => e.production)];
}

export function nodeImageCron(plan: Plan): string {
  const w = plan.upgrades.maintenanceWindow;
  return fixedOffsetTimeToUtcCron(w.dayOfWeek, w.startTime, w.utcOffset);
}

function nodeImageUpgradeWorkflow(plan: Plan): string {
  const w = plan.upgrades.maintenanceWindow;
  const jobs: Record<string, unknown> = {};
  let previous: string | undefined;
  for (const env of upgradeOrder(plan)) {
    const id = jobId('node-image', env.name);
    jobs[id] = {
      name: `Node image upgrade ${env.name}`,
      ...(previous ? { needs: [previous] } : {}),
      'runs-on': RUNNER,
      environment: env.name,
      permissions: { 'id-token': 'write' },
      steps: [
        azureLogin(identityFor(plan, 'operator', env.name)),
        { name: `Upgrade node images of ${env.names.cluster.value}`, run: nodeImageUpgradeScript(plan, env, 'github') },
      ],
    };
    previous = id;
  }
  return printYaml(
    {
      name: 'node-image-upgrade',
      on: { schedule: [{ cron: nodeImageCron(plan) }], workflow_dispatch: {} },
      ...workflowDefaults,
      concurrency: { group: 'node-image-upgrade', 'cancel-in-progress': false },
      jobs,
    },
    {
      header: [
        `The node OS upgrade channel is ${plan.upgrades.nodeOsUpgradeChannel}, so AKS does not roll out new node images itself:`,
        'this workflow does, weekly, one environment and one node pool at a time, non-production first.',
      ],
      comments: [
        {
          path: ['on', 'schedule', 0, 'cron'],
          text: `${w.dayOfWeek} ${w.startTime} UTC${w.utcOffset} (maintenance window start), in UTC`,
        },
      ],
    },
  );
}

function kubernetesUpgradeWorkflow(plan: Plan): string {
  const jobs: Record<string, unknown> = {};
  for (const env of plan.environments) {
    jobs[jobId('upgrade', env.name)] = {
      name: `Kubernetes upgrade ${env.name}`,
      if: `inputs.environment == '${env.name}'`,
      'runs-on': RUNNER,
      environment: env.name,
      permissions: { 'id-token': 'write' },
      steps: [
        azureLogin(identityFor(plan, 'operator', env.name)),
        { name: 'List available versions', run: listUpgradesScript(env, 'github') },
        {
          name: 'Upgrade control plane, then node pools one at a time, then verify',
          env: { VERSION: '${{ inputs.version }}' },
          run: kubernetesUpgradeScript(plan, env, 'github'),
        },
      ],
    };
  }
  return printYaml(
    {
      name: 'kubernetes-upgrade',
      on: {
        workflow_dispatch: {
          inputs: {
            environment: {
              description: 'Environment',
              type: 'choice',
              required: true,
              options: plan.environments.map((e) => e.name),
            },
            version: {
              description: 'Target Kubernetes version (leave empty to only list the available versions)',
              type: 'string',
              required: false,
              default: '',
            },
          },
        },
      },
      ...workflowDefaults,
      concurrency: { group: 'kubernetes-upgrade-${{ inputs.environment }}', 'cancel-in-progress': false },
      jobs,
    },
    {
      header: kubernetesUpgradeHeader(plan),
    },
  );
}

/** The jobs of a fleet-driven upgrade: one per stage, each in its approval environment, one after the other. */
function fleetStageJobs(plan: Plan, fleet: FleetPlan, update: FleetUpdate): Record<string, unknown> {
  const jobs: Record<string, unknown> = {};
  let previous: string | undefined;
  fleet.stages.forEach((stage, i) => {
    const id = jobId('stage', stage.name);
    jobs[id] = {
      name: `${update === 'kubernetes' ? 'Kubernetes' : 'Node image'} upgrade, stage ${stage.name} (${stage.groups.join(', ')})`,
      ...(previous ? { needs: [previous] } : {}),
      'runs-on': RUNNER,
      environment: stage.approvalEnvironment,
      permissions: { 'id-token': 'write' },
      steps: [
        azureLogin(identityFor(plan, 'fleet', 'fleet')),
        {
          name:
            i === 0
              ? `Create and start the update run, wait for stage ${stage.name}`
              : `Approve stage ${stage.name}, wait for it`,
          ...(update === 'kubernetes' && i === 0 ? { env: { VERSION: '${{ inputs.version }}' } } : {}),
          run: fleetStageScript(fleet, i, update, 'github'),
        },
      ],
    };
    previous = id;
  });
  return jobs;
}

function fleetKubernetesUpgradeWorkflow(plan: Plan, fleet: FleetPlan): string {
  return printYaml(
    {
      name: 'kubernetes-upgrade',
      on: {
        workflow_dispatch: {
          inputs: {
            version: {
              description: 'Target Kubernetes version (az aks get-upgrades on a member cluster lists them)',
              type: 'string',
              required: true,
            },
          },
        },
      },
      ...workflowDefaults,
      concurrency: { group: 'fleet-update-run', 'cancel-in-progress': false },
      jobs: fleetStageJobs(plan, fleet, 'kubernetes'),
    },
    { header: fleetUpgradeHeader(fleet, 'kubernetes') },
  );
}

function fleetNodeImageUpgradeWorkflow(plan: Plan, fleet: FleetPlan): string {
  const w = plan.upgrades.maintenanceWindow;
  return printYaml(
    {
      name: 'node-image-upgrade',
      on: { schedule: [{ cron: nodeImageCron(plan) }], workflow_dispatch: {} },
      ...workflowDefaults,
      concurrency: { group: 'fleet-update-run', 'cancel-in-progress': false },
      jobs: fleetStageJobs(plan, fleet, 'node-image'),
    },
    {
      header: fleetUpgradeHeader(fleet, 'node-image'),
      comments: [
        {
          path: ['on', 'schedule', 0, 'cron'],
          text: `${w.dayOfWeek} ${w.startTime} UTC${w.utcOffset} (maintenance window start), in UTC`,
        },
      ],
    },
  );
}

export function* githubWorkflows(plan: Plan): Generator<[string, string]> {
  yield ['.github/workflows/infra.yml', infraWorkflow(plan)];
  yield ['.github/workflows/validate.yml', validateWorkflow()];
  const stopStart = stopStartWorkflow(plan);
  if (stopStart) yield ['.github/workflows/stop-start.yml', stopStart];
  const fleet = upgradesThroughFleet(plan) ? plan.fleet : undefined;
  if (plan.components.nodeImagePipeline)
    yield [
      '.github/workflows/node-image-upgrade.yml',
      fleet ? fleetNodeImageUpgradeWorkflow(plan, fleet) : nodeImageUpgradeWorkflow(plan),
    ];
  yield [
    '.github/workflows/kubernetes-upgrade.yml',
    fleet ? fleetKubernetesUpgradeWorkflow(plan, fleet) : kubernetesUpgradeWorkflow(plan),
  ];
}
