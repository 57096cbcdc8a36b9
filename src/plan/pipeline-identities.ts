import type { EnvironmentPlan, Plan } from './index.js';
import { planDeployments } from './contracts.js';
import { BUILT_IN_ROLES } from './infra.js';

// Which identity each pipeline job signs in as, and which role at which scope that identity holds: a deploy-time
// contract (Azure RBAC and the OIDC subjects GitHub and Azure DevOps present), kept as data. The bootstrap Bicep
// creates exactly these identities and grants, the workflows sign in as the identity their job's row names, and
// `validate` checks a repository against the same rows.

/** Built-in role definition IDs; the same in every tenant. */
export const PIPELINE_ROLE_IDS = {
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  rbacAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
} as const;

export type IdentityKind = 'plan' | 'deploy' | 'operator' | 'fleet';
export type PipelineJob =
  | 'what-if'
  | 'deploy'
  | 'stop-start'
  | 'node-image-upgrade'
  | 'kubernetes-upgrade'
  | 'fleet-kubernetes-upgrade'
  | 'fleet-node-image-upgrade'
  | 'image-push';

export interface JobRole {
  job: PipelineJob;
  identity: IdentityKind;
  /** What starts the job: a pull request (anyone who can open one), the branch, or an approved environment. */
  trigger: 'pull_request' | 'branch' | 'environment';
  /** The Azure operations the job calls; for the operator identity on its cluster they become its custom role. */
  actions: readonly string[];
  /** A built-in role that grants exactly the actions, instead of the custom role (the same GUID in every tenant). */
  builtInRole?: { name: string; id: string };
  scope: 'subscription' | 'cluster' | 'registry' | 'fleet';
  why: string;
  source: string;
}

const DEPLOY_WHAT_IF_DOC = 'https://learn.microsoft.com/azure/azure-resource-manager/bicep/deploy-what-if';

/**
 * The fleet's update runs and gates: the Fleet Manager control-plane roles are this one (read and write on fleets/*)
 * and Hub Cluster User, which only reads, so no narrower built-in role can create a run or approve a gate.
 */
export const FLEET_OPERATOR_ROLE = {
  name: 'Azure Kubernetes Fleet Manager Contributor Role',
  id: BUILT_IN_ROLES.fleetContributor,
} as const;
const FLEET_ROLE_DOC =
  'https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers#azure-kubernetes-fleet-manager-contributor-role';
const FLEET_UPDATE_RUN_ACTIONS = [
  'Microsoft.ContainerService/fleets/read',
  'Microsoft.ContainerService/fleets/updateStrategies/read',
  'Microsoft.ContainerService/fleets/updateRuns/read',
  'Microsoft.ContainerService/fleets/updateRuns/write',
  'Microsoft.ContainerService/fleets/updateRuns/start/action',
  'Microsoft.ContainerService/fleets/gates/read',
  'Microsoft.ContainerService/fleets/gates/write',
] as const;
const RP_OPERATIONS_DOC =
  'https://learn.microsoft.com/azure/role-based-access-control/permissions/containers#microsoftcontainerservice';

/**
 * The role each pipeline job needs. What-if runs with `--validation-level ProviderNoRbac`, which checks read instead
 * of write permissions, so Reader and the what-if/validate actions suffice; a deployment needs write on everything it
 * deploys and on Microsoft.Resources/deployments; the cluster operations need only their own actions on one cluster.
 */
export const JOB_ROLES: readonly JobRole[] = [
  {
    job: 'what-if',
    identity: 'plan',
    trigger: 'pull_request',
    actions: [
      '*/read',
      'Microsoft.Resources/deployments/whatIf/action',
      'Microsoft.Resources/deployments/validate/action',
    ],
    scope: 'subscription',
    why: 'Pull requests preview every deployment; with ProviderNoRbac validation reading is enough, so a pull request can change nothing.',
    source: DEPLOY_WHAT_IF_DOC,
  },
  {
    job: 'deploy',
    identity: 'deploy',
    trigger: 'environment',
    actions: ['*', 'Microsoft.Authorization/roleAssignments/write (conditioned)'],
    scope: 'subscription',
    why: 'Subscription deployments create their resource groups and assign the platform roles (AcrPull, Key Vault, cluster access).',
    source: 'https://learn.microsoft.com/azure/azure-resource-manager/bicep/deploy-to-subscription#required-access',
  },
  {
    job: 'stop-start',
    identity: 'operator',
    trigger: 'branch',
    actions: [
      'Microsoft.ContainerService/managedClusters/read',
      'Microsoft.ContainerService/managedClusters/start/action',
      'Microsoft.ContainerService/managedClusters/stop/action',
    ],
    scope: 'cluster',
    why: 'az aks show, az aks start and az aks stop on one cluster.',
    source: RP_OPERATIONS_DOC,
  },
  {
    job: 'node-image-upgrade',
    identity: 'operator',
    trigger: 'environment',
    actions: [
      'Microsoft.ContainerService/managedClusters/read',
      'Microsoft.ContainerService/managedClusters/start/action',
      'Microsoft.ContainerService/managedClusters/stop/action',
      'Microsoft.ContainerService/managedClusters/agentPools/read',
      'Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles/read',
      'Microsoft.ContainerService/managedClusters/agentPools/upgradeNodeImageVersion/action',
    ],
    scope: 'cluster',
    why: 'az aks nodepool get-upgrades and az aks nodepool upgrade --node-image-only, starting a stopped cluster first.',
    source: 'https://learn.microsoft.com/azure/aks/node-image-upgrade',
  },
  {
    job: 'kubernetes-upgrade',
    identity: 'operator',
    trigger: 'environment',
    actions: [
      'Microsoft.ContainerService/managedClusters/read',
      'Microsoft.ContainerService/managedClusters/write',
      'Microsoft.ContainerService/managedClusters/upgradeProfiles/read',
      'Microsoft.ContainerService/managedClusters/agentPools/read',
      'Microsoft.ContainerService/managedClusters/agentPools/write',
    ],
    scope: 'cluster',
    why: 'az aks get-upgrades, az aks upgrade --control-plane-only and az aks nodepool upgrade.',
    source: 'https://learn.microsoft.com/azure/aks/upgrade-aks-cluster',
  },
  {
    // The registry keeps the legacy role assignment mode (no ABAC repository permissions), where AcrPush is the
    // narrowest built-in push role; an ABAC-enabled registry honours only the Container Registry Repository roles.
    job: 'image-push',
    identity: 'operator',
    trigger: 'environment',
    actions: ['Microsoft.ContainerRegistry/registries/pull/read', 'Microsoft.ContainerRegistry/registries/push/write'],
    builtInRole: { name: 'AcrPush', id: '8311e382-0749-4cb8-b61a-304f252e45ec' },
    scope: 'registry',
    why: "az acr login and docker push (or az acr import) of a release's images into its environment's registry, from a job in that environment.",
    source: 'https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-overview',
  },
  {
    job: 'fleet-kubernetes-upgrade',
    identity: 'fleet',
    trigger: 'environment',
    actions: FLEET_UPDATE_RUN_ACTIONS,
    builtInRole: FLEET_OPERATOR_ROLE,
    scope: 'fleet',
    why: 'az fleet updaterun create --upgrade-type Full with the approval strategy, start and show, and az fleet gate approve between stages; granted on the fleet by its deployment.',
    source: FLEET_ROLE_DOC,
  },
  {
    job: 'fleet-node-image-upgrade',
    identity: 'fleet',
    trigger: 'environment',
    actions: FLEET_UPDATE_RUN_ACTIONS,
    builtInRole: FLEET_OPERATOR_ROLE,
    scope: 'fleet',
    why: 'az fleet updaterun create --upgrade-type NodeImageOnly with the approval strategy, start and show, and az fleet gate approve between stages.',
    source: FLEET_ROLE_DOC,
  },
];

/** How the docs name each scope. */
export const JOB_SCOPES: Record<JobRole['scope'], string> = {
  subscription: 'subscription',
  cluster: 'its cluster only',
  registry: "its environment's registry only",
  fleet: 'the fleet only',
};

/** Whether the upgrade pipelines drive the fleet's update runs instead of upgrading each cluster. */
export function upgradesThroughFleet(plan: Plan): boolean {
  return plan.fleet !== undefined && (plan.components.githubActions || plan.components.azureDevOps);
}

const CLUSTER_UPGRADE_JOBS: readonly PipelineJob[] = ['kubernetes-upgrade', 'node-image-upgrade'];

/** Whether the plan's pipelines have the job at all: stop/start and the node image pipeline are choices. */
function jobInPlan(plan: Plan, job: PipelineJob): boolean {
  if (job === 'stop-start') return plan.components.stopStart;
  if (job === 'node-image-upgrade') return plan.components.nodeImagePipeline;
  return true;
}

/**
 * The rows a platform's pipelines use: only the jobs it has, and with the fleet on, its update runs replace the
 * per-cluster upgrades. The operator's custom role holds these rows' actions and no others.
 */
export function planJobRoles(plan: Plan): JobRole[] {
  const fleet = upgradesThroughFleet(plan);
  return JOB_ROLES.filter(
    (r) => jobInPlan(plan, r.job) && (fleet ? !CLUSTER_UPGRADE_JOBS.includes(r.job) : r.identity !== 'fleet'),
  );
}

/** The actions of the operator's custom role: every cluster job's (of the plan's, when given), once each. */
export function operatorActions(plan?: Plan): string[] {
  const rows = plan ? planJobRoles(plan) : JOB_ROLES;
  return [...new Set(rows.filter((r) => r.identity === 'operator' && r.scope === 'cluster').flatMap((r) => r.actions))];
}

export function jobRole(job: PipelineJob): JobRole {
  return JOB_ROLES.find((r) => r.job === job)!;
}

/** A role the bootstrap grants at subscription scope. */
export interface SubscriptionGrant {
  role: 'reader' | 'whatIf' | 'contributor' | 'rbacAdministrator';
  why: string;
}

export interface PipelineIdentity {
  kind: IdentityKind;
  /** `plan`, `hub` or an environment name. */
  key: string;
  name: string;
  /** Repository variable holding its client ID (GitHub Actions). */
  clientIdVariable: string;
  /** Service connection bound to it (Azure DevOps). */
  serviceConnection: string;
  /** The GitHub OIDC subjects it trusts; empty without a known repository owner. */
  githubSubjects: { name: string; subject: string }[];
  grants: SubscriptionGrant[];
  /** The environment whose cluster an operator acts on. */
  environment: EnvironmentPlan | undefined;
}

function variableSuffix(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export const PLAN_CLIENT_ID_VARIABLE = 'AZURE_PLAN_CLIENT_ID';
export const FLEET_CLIENT_ID_VARIABLE = 'AZURE_FLEET_CLIENT_ID';
export const deployClientIdVariable = (key: string) => `AZURE_DEPLOY_CLIENT_ID_${variableSuffix(key)}`;
export const operatorClientIdVariable = (key: string) => `AZURE_OPERATOR_CLIENT_ID_${variableSuffix(key)}`;

/** The GitHub environment a deployment runs in: its environment's name, or `hub` for the hub. */
export function deploymentEnvironment(d: { name: string; environment: EnvironmentPlan | undefined }): string {
  return d.environment?.name ?? d.name;
}

export function pipelineResourceGroup(plan: Plan): string {
  return `rg-${plan.platform}-pipeline-${plan.location}`;
}

/** The operator identity of an environment; `environment` may be a Bicep interpolation such as ${environmentName}. */
export function operatorIdentityName(plan: Plan, environment: string): string {
  return `'id-${plan.platform}-operator-${environment}'`;
}

/** Name (a GUID expression, evaluated by Bicep) of the operator's custom role; bootstrap and main.bicep share it. */
export function operatorRoleGuid(resourceGroupExpression: string): string {
  return `guid(subscription().id, ${resourceGroupExpression}, 'cluster-operator')`;
}

/**
 * Every identity the pipelines sign in as: one read-only plan identity for pull requests, one deploy identity per
 * deployment (hub and each environment) trusting only its GitHub environment, and one operator per environment for
 * the cluster jobs, whose only role is granted on its cluster by that environment's deployment.
 */
export function pipelineIdentities(plan: Plan): PipelineIdentity[] {
  const repo = plan.components.githubActions ? plan.gitRepository : undefined;
  const prefix = repo ? `repo:${repo.owner}/${repo.repo}` : undefined;
  const subjects = (...entries: [string, string][]) =>
    prefix ? entries.map(([name, subject]) => ({ name, subject: `${prefix}:${subject}` })) : [];
  const base = plan.delivery.azureDevOpsServiceConnection;
  const identities: PipelineIdentity[] = [
    {
      kind: 'plan',
      key: 'plan',
      name: `id-${plan.platform}-plan`,
      clientIdVariable: PLAN_CLIENT_ID_VARIABLE,
      serviceConnection: `${base}-plan`,
      githubSubjects: subjects(['github-pull-request', 'pull_request']),
      grants: [
        { role: 'reader', why: 'What-if reads every resource it compares.' },
        { role: 'whatIf', why: 'Runs what-if and validation, which change nothing.' },
      ],
      environment: undefined,
    },
  ];
  for (const d of planDeployments(plan)) {
    const environment = deploymentEnvironment(d);
    identities.push({
      kind: 'deploy',
      key: environment,
      name: `id-${plan.platform}-deploy-${environment}`,
      clientIdVariable: deployClientIdVariable(environment),
      serviceConnection: `${base}-${environment}`,
      githubSubjects: subjects([`github-environment-${environment}`, `environment:${environment}`]),
      grants: [
        { role: 'contributor', why: 'Creates the resource groups, networks, clusters and add-ons.' },
        { role: 'rbacAdministrator', why: 'Assigns the platform roles, never a privileged administrator role.' },
      ],
      environment: d.environment,
    });
  }
  const branch = plan.delivery.branch;
  for (const env of plan.environments) {
    identities.push({
      kind: 'operator',
      key: env.name,
      name: operatorIdentityName(plan, env.name).slice(1, -1),
      clientIdVariable: operatorClientIdVariable(env.name),
      serviceConnection: `${base}-operator-${env.name}`,
      githubSubjects: subjects(
        // Scheduled and manual stop/start runs start from the branch, outside any environment.
        ...(env.stopStart ? [['github-branch', `ref:refs/heads/${branch}`] as [string, string]] : []),
        [`github-environment-${env.name}`, `environment:${env.name}`],
      ),
      grants: [],
      environment: env,
    });
  }
  if (plan.fleet && upgradesThroughFleet(plan)) {
    // One identity for the fleet's update runs, trusting the environment of each stage's job (its approval).
    const environments = [...new Set(plan.fleet.stages.map((s) => s.approvalEnvironment))];
    identities.push({
      kind: 'fleet',
      key: 'fleet',
      name: `id-${plan.platform}-fleet-operator`,
      clientIdVariable: FLEET_CLIENT_ID_VARIABLE,
      serviceConnection: `${base}-fleet-operator`,
      githubSubjects: subjects(
        ...environments.map((e): [string, string] => [`github-environment-${e}`, `environment:${e}`]),
      ),
      // Its only role is on the fleet, granted by the fleet deployment.
      grants: [],
      environment: undefined,
    });
  }
  return identities;
}

/** The identity the upgrade pipelines drive fleet update runs as; undefined without a fleet or pipelines. */
export function fleetOperatorIdentity(plan: Plan): PipelineIdentity | undefined {
  return pipelineIdentities(plan).find((i) => i.kind === 'fleet');
}

export function identityFor(plan: Plan, kind: IdentityKind, key: string): PipelineIdentity {
  const found = pipelineIdentities(plan).find((i) => i.kind === kind && i.key === key);
  if (!found) throw new Error(`no ${kind} pipeline identity for ${key}`);
  return found;
}
