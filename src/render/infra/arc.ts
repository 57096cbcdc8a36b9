import type { Plan } from '../../plan/index.js';
import { FLUX } from '../../plan/contracts.js';
import { ARC_EXTENSIONS } from '../../plan/hybrid.js';
import { bicepKey, bicepString } from './bicep.js';
import { when, type InfraConcern, type Params } from './concern.js';
import { renderModule } from './module-file.js';
import { bicepType } from './types.js';

// Hybrid: the Arc-enabled clusters of the environment get the extensions AKS has built in, the Flux configuration of
// their entry point, Entra access, and the federation of the team identities with their issuers.

/** Some Arc cluster federates the team identities: workload identity is on, teams exist, the cluster supports it. */
function arcFederates(plan: Plan): boolean {
  return (
    plan.components.workloadIdentity &&
    plan.teams.length > 0 &&
    plan.clusters.some((cluster) => cluster.kind === 'arc' && cluster.capabilities.workloadIdentity)
  );
}

function arcClusterParams(plan: Plan): Params {
  const c = plan.components;
  const repository = c.fluxConfiguration ? plan.gitRepository : undefined;
  return [
    ['clusterName', 'arc.name'],
    ...when<Params[number]>(c.containerInsights, [
      ['logAnalyticsWorkspaceId', 'monitoring.outputs.logAnalyticsWorkspaceId'],
      ['containerInsightsRuleId', 'monitoring.outputs.containerInsightsRuleId'],
    ]),
    ...when<Params[number]>(c.keyVaultCsi, [
      ['rotationPollInterval', bicepString(plan.secrets.rotationPollInterval)],
      ['syncSecrets', String(plan.teams.some((t) => t.syncAsKubernetesSecret))],
    ]),
    ...when<Params[number]>(c.entraId, [
      ['adminGroupObjectIds', 'adminGroupObjectIds'],
      ['teamGroups', 'teamGroups'],
    ]),
    ...(repository
      ? ([
          ['gitRepositoryUrl', bicepString(repository.url)],
          ['gitBranch', bicepString(repository.branch)],
          ['clusterPath', "'./clusters/${arc.name}'"],
          ['substitute', 'union(fluxSubstitutions, {\n      CLUSTER_NAME: arc.name\n    })'],
          ...when<Params[number]>(repository.private, [['gitToken', 'fluxGitToken']]),
        ] as Params)
      : []),
  ];
}

export const arcConcern: InfraConcern = {
  params: (plan) =>
    when(plan.components.arc, [
      {
        name: 'arcClusters',
        description: 'Arc-enabled clusters of the environment (connected with az connectedk8s connect).',
        decorators: [],
        type: bicepType('arc-clusters'),
        value: (env) =>
          plan.clusters
            .filter((cluster) => cluster.kind === 'arc' && cluster.environment === env.name)
            .map((cluster) => ({
              name: cluster.clusterName,
              resourceGroup: cluster.resourceGroup,
              workloadIdentity: cluster.capabilities.workloadIdentity,
            })),
      },
    ]),
  modules: [
    {
      symbol: 'arcClusterExtensions',
      file: 'arc-cluster',
      when: (plan) => plan.components.arc,
      why: 'Arc-enabled clusters: the extensions AKS has built in, the Flux configuration of their entry point, access.',
      loop: 'arc in arcClusters',
      scope: 'resourceGroup(arc.resourceGroup)',
      params: arcClusterParams,
    },
    {
      symbol: 'arcFederation',
      file: 'arc-federation',
      when: arcFederates,
      why: 'Team identities trust the issuer of each Arc cluster connected with workload identity.',
      loop: '(arc, i) in arcClusters',
      condition: 'arc.workloadIdentity',
      params: () => [
        ['clusterName', 'arc.name'],
        ['oidcIssuerUrl', 'arcClusterExtensions[i].outputs.oidcIssuerUrl'],
        ['teams', 'teams'],
      ],
      dependsOn: () => ['teamIdentities'],
    },
  ],
  files: {
    'arc-cluster': (plan) =>
      renderModule('arc-cluster', {
        extensions: ARC_EXTENSIONS,
        flux: plan.components.fluxConfiguration && plan.gitRepository !== undefined,
        privateRepository: plan.gitRepository?.private ?? false,
        fluxNamespace: FLUX.namespace,
        fluxConfigurationName: FLUX.configurationName,
        rootKey: bicepKey(FLUX.rootKustomization),
        containerInsights: plan.components.containerInsights,
        keyVaultCsi: plan.components.keyVaultCsi,
        azurePolicy: plan.components.policyAssignments,
        entraId: plan.components.entraId,
        azureRbac: plan.components.azureRbac,
        workloadIdentity: arcFederates(plan),
      }),
  },
};
