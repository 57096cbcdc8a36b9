import { FILEBEAT } from './filebeat.js';
import type { EnvironmentPlan, Plan, TeamPlan } from './index.js';

// Where the output areas meet: the Bicep deployments the pipelines run, and the variables the Bicep deployment hands
// to Flux. Both sides read these functions, so a name or path is decided once.

export interface Deployment {
  /** `hub` or an environment name. */
  name: string;
  template: string;
  parameters: string;
  /** Environments this deployment serves; the hub serves all. */
  environment: EnvironmentPlan | undefined;
}

/** Bicep deployments in the order they must run: the hub first (when this repo creates it), then each environment. */
export function planDeployments(plan: Plan): Deployment[] {
  const hub: Deployment[] =
    plan.hub.mode === 'create' ? [{ name: 'hub', template: 'infra/hub.bicep', parameters: 'infra/hub.bicepparam', environment: undefined }] : [];
  return [...hub, ...plan.environments.map((env) => ({ name: env.name, template: 'infra/main.bicep', parameters: `infra/${env.name}.bicepparam`, environment: env }))];
}

/** The Flux configuration the AKS extension creates: its GitRepository and root Kustomization names and path. */
export const FLUX = {
  configurationName: 'platform',
  namespace: 'flux-system',
  rootKustomization: 'cluster',
  clusterPath: (env: string) => `clusters/${env}`,
  /** The pipeline secret (and deploy-step environment variable) with the token Flux reads a private repository with. */
  tokenVariable: 'FLUX_GIT_TOKEN',
} as const;

/**
 * Pipeline secrets a deployment reads from its environment (the .bicepparam files use readEnvironmentVariable), so a
 * credential reaches Azure without entering the repository. `required` ones fail the deploy step when missing.
 */
export function deploymentSecrets(plan: Plan, d: Deployment): { name: string; required: boolean }[] {
  if (!d.environment) return [];
  return [
    ...(plan.components.fluxConfiguration && plan.gitRepository?.private ? [{ name: FLUX.tokenVariable, required: true }] : []),
    ...(plan.components.filebeat ? [{ name: FILEBEAT.apiKeyVariable, required: false }] : []),
  ];
}

export interface FluxVariable {
  name: string;
  description: string;
}

export function teamClientIdVariable(team: TeamPlan): string {
  return `${team.name.toUpperCase().replace(/-/g, '_')}_CLIENT_ID`;
}

/**
 * Variables the Bicep deployment passes to the root Flux Kustomization (postBuild.substitute), so manifests get
 * deployment outputs without anyone editing files. Manifests reference them as ${NAME}.
 */
export function fluxVariables(plan: Plan): FluxVariable[] {
  const c = plan.components;
  return [
    { name: 'ENVIRONMENT', description: 'environment name, e.g. dev' },
    { name: 'AZURE_TENANT_ID', description: 'tenant of the deployment: tenant().tenantId' },
    { name: 'AZURE_SUBSCRIPTION_ID', description: 'subscription of the deployment' },
    { name: 'LOCATION', description: 'Azure region' },
    { name: 'CLUSTER_NAME', description: 'AKS cluster name' },
    ...(c.keyVaultCsi ? [{ name: 'KEY_VAULT_NAME', description: 'Key Vault name (with its unique suffix)' }] : []),
    ...(c.workloadIdentity || c.aadPodIdentity
      ? plan.teams.map((team) => ({ name: teamClientIdVariable(team), description: `client ID of the ${team.identityName} workload identity` }))
      : []),
    ...(c.aadPodIdentity
      ? plan.teams.map((team) => ({ name: `${team.name.toUpperCase().replace(/-/g, '_')}_IDENTITY_RESOURCE_ID`, description: `resource ID of ${team.identityName}` }))
      : []),
    ...(c.ossObservability && (c.workloadIdentity || c.aadPodIdentity) ? [{ name: 'GRAFANA_CLIENT_ID', description: 'client ID of the Grafana identity that reads Azure Monitor' }] : []),
    ...(c.filebeat
      ? [
          { name: 'FILEBEAT_CLIENT_ID', description: 'client ID of the Filebeat identity, which reads its credentials from Key Vault' },
          { name: 'FILEBEAT_KEY_VAULT_NAME', description: 'Key Vault holding the Filebeat credentials (with its unique suffix)' },
          { name: 'FILEBEAT_STORAGE_ACCOUNT', description: 'storage account holding the Filebeat Event Hubs checkpoints' },
        ]
      : []),
  ];
}

/** Every pipeline secret some deployment of the plan reads, once each. */
export function pipelineSecretNames(plan: Plan): string[] {
  return [...new Set(planDeployments(plan).flatMap((d) => deploymentSecrets(plan, d).map((secret) => secret.name)))];
}
