import { FILEBEAT } from './filebeat.js';
import { GRAFANA_ADMIN, grafanaAdminFromKeyVault } from './grafana.js';
import { ALERTMANAGER_SMTP } from './alertmanager.js';
import type { EnvironmentPlan, Plan, TeamPlan } from './index.js';

// Where the output areas meet: the Bicep deployments the pipelines run, and the variables the Bicep deployment hands
// to Flux. Both sides read these functions, so a name or path is decided once.

export interface Deployment {
  /** `hub`, an environment name, or `fleet`. */
  name: string;
  kind: 'hub' | 'environment' | 'fleet';
  template: string;
  parameters: string;
  /** Environments this deployment serves; the hub serves all. */
  environment: EnvironmentPlan | undefined;
}

/** Bicep deployments in the order they must run: the hub first (when this repo creates it), then each environment. */
export function planDeployments(plan: Plan): Deployment[] {
  const hub: Deployment[] =
    plan.hub.mode === 'create'
      ? [
          {
            name: 'hub',
            kind: 'hub',
            template: 'infra/hub.bicep',
            parameters: 'infra/hub.bicepparam',
            environment: undefined,
          },
        ]
      : [];
  // The fleet comes last: its members are the clusters the environment deployments create.
  const fleet: Deployment[] = plan.fleet
    ? [
        {
          name: 'fleet',
          kind: 'fleet',
          template: 'infra/fleet.bicep',
          parameters: 'infra/fleet.bicepparam',
          environment: undefined,
        },
      ]
    : [];
  return [
    ...hub,
    ...plan.environments.map(
      (env): Deployment => ({
        name: env.name,
        kind: 'environment',
        template: 'infra/main.bicep',
        parameters: `infra/${env.name}.bicepparam`,
        environment: env,
      }),
    ),
    ...fleet,
  ];
}

/** The Flux configuration the AKS extension creates: its GitRepository and root Kustomization names and path. */
export const FLUX = {
  configurationName: 'platform',
  namespace: 'flux-system',
  rootKustomization: 'cluster',
  /** The entry point of a cluster: an environment's AKS cluster or an Arc-enabled cluster (ClusterPlan.entryPoint). */
  clusterPath: (entryPoint: string) => `clusters/${entryPoint}`,
  /** The pipeline secret (and deploy-step environment variable) with the token Flux reads a private repository with. */
  tokenVariable: 'FLUX_GIT_TOKEN',
} as const;

/**
 * The environment variable the .bicepparam files read the Kubernetes version from, defaulting to the pinned one: the
 * deploy and what-if steps set it to the version a cluster already runs when that is newer, because AKS refuses
 * downgrades. The pin is the floor and the version new clusters start with; the upgrade pipeline moves it up.
 */
export const KUBERNETES_VERSION_VARIABLE = 'AKS_KUBERNETES_VERSION';

/**
 * Credentials only the platform team can create, kept as pipeline secrets: the deploy step maps them into its
 * environment and the .bicepparam files read them (readEnvironmentVariable), so none enters the repository. A
 * `required` one stops the deploy step when it is missing; `what` is how the READMEs and the guide describe it.
 */
export const PIPELINE_SECRETS: Record<string, { required: boolean; what: string }> = {
  [FLUX.tokenVariable]: {
    required: true,
    what: 'a fine-grained personal access token (or one of a machine user) with read-only **Contents** access to this repository only. Flux clones the private repository with it; the deploy step stops if it is missing. Renew it before it expires and redeploy.',
  },
  [GRAFANA_ADMIN.passwordVariable]: {
    required: true,
    what: "the password of Grafana's admin account (`platform-admin`), at least 16 random characters. The deployment writes it to the environment Key Vault, from where the Secrets Store CSI driver hands it to Grafana; the deploy step stops if it is missing. To rotate it, change the secret, deploy, and restart Grafana.",
  },
  [ALERTMANAGER_SMTP.passwordVariable]: {
    required: true,
    what: 'the password Alertmanager signs in to the mail server with (observability.smtp.username). The deployment writes it to the environment Key Vault, from where the Secrets Store CSI driver hands it to Alertmanager (which does not start without it); the deploy step stops if it is missing. To rotate it, change the secret, deploy, and restart Alertmanager.',
  },
  [FILEBEAT.apiKeyVariable]: {
    required: false,
    what: "the Elasticsearch API key Filebeat ships with, in Elasticsearch's `id:api_key` form. The deployment writes it to Filebeat's Key Vault; a run without it keeps the key already stored.",
  },
};

/** The pipeline secrets (names in PIPELINE_SECRETS) a deployment reads. */
export function deploymentSecrets(plan: Plan, d: Deployment): string[] {
  if (!d.environment) return [];
  return [
    ...(plan.components.fluxConfiguration && plan.gitRepository?.private ? [FLUX.tokenVariable] : []),
    ...(grafanaAdminFromKeyVault(plan.components) ? [GRAFANA_ADMIN.passwordVariable] : []),
    ...(plan.components.alertmanagerSmtpAuth ? [ALERTMANAGER_SMTP.passwordVariable] : []),
    ...(plan.components.filebeat ? [FILEBEAT.apiKeyVariable] : []),
  ];
}

export interface FluxVariable {
  name: string;
  description: string;
}

/** Flux variables of Application Gateway for Containers: controller identity, traffic controller, association subnet. */
export const ALB_CONTROLLER_CLIENT_ID = 'ALB_CONTROLLER_CLIENT_ID';
export const AGC_TRAFFIC_CONTROLLER_ID = 'INGRESS_TRAFFIC_CONTROLLER_ID';
export const AGC_SUBNET_PREFIX = 'INGRESS_SUBNET_PREFIX';

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
    ...(c.teamAzureIdentities
      ? plan.teams.map((team) => ({
          name: teamClientIdVariable(team),
          description: `client ID of the ${team.identityName} workload identity`,
        }))
      : []),
    ...(c.aadPodIdentity
      ? plan.teams.map((team) => ({
          name: `${team.name.toUpperCase().replace(/-/g, '_')}_IDENTITY_RESOURCE_ID`,
          description: `resource ID of ${team.identityName}`,
        }))
      : []),
    ...(plan.ingress?.identity
      ? [{ name: 'INGRESS_CLIENT_ID', description: 'client ID of the platform Gateway identity (certificate, DNS)' }]
      : []),
    ...(plan.ingress?.certificateName && !plan.ingress.alb
      ? [{ name: 'INGRESS_CERTIFICATE_URI', description: 'unversioned Key Vault URI of the Gateway TLS certificate' }]
      : []),
    ...(plan.ingress?.alb
      ? [
          { name: ALB_CONTROLLER_CLIENT_ID, description: 'client ID of the ALB Controller identity' },
          {
            name: AGC_TRAFFIC_CONTROLLER_ID,
            description: 'resource ID of the Application Gateway for Containers the Gateway is programmed on',
          },
          {
            name: AGC_SUBNET_PREFIX,
            description: 'address prefix of the AGC association subnet, which team network policies admit',
          },
        ]
      : []),
    ...(c.grafanaAzureMonitor
      ? [{ name: 'GRAFANA_CLIENT_ID', description: 'client ID of the Grafana identity that reads Azure Monitor' }]
      : []),
    ...(c.alertmanagerSmtpAuth
      ? [
          {
            name: 'ALERTMANAGER_CLIENT_ID',
            description: 'client ID of the Alertmanager identity, which reads the mail server password from Key Vault',
          },
        ]
      : []),
    ...(c.filebeat
      ? [
          {
            name: 'FILEBEAT_CLIENT_ID',
            description: 'client ID of the Filebeat identity, which reads its credentials from Key Vault',
          },
          {
            name: 'FILEBEAT_KEY_VAULT_NAME',
            description: 'Key Vault holding the Filebeat credentials (with its unique suffix)',
          },
          {
            name: 'FILEBEAT_STORAGE_ACCOUNT',
            description: 'storage account holding the Filebeat Event Hubs checkpoints',
          },
        ]
      : []),
  ];
}

/** Every pipeline secret some deployment of the plan reads, once each. */
export function pipelineSecretNames(plan: Plan): string[] {
  return [...new Set(planDeployments(plan).flatMap((d) => deploymentSecrets(plan, d)))];
}
