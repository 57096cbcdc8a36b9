import { FLUX } from '../../plan/contracts.js';
import { FLUX_MULTI_TENANCY_SETTING } from '../../plan/flux-tenancy.js';
import {
  jobRole,
  operatorIdentityName,
  operatorRoleGuid,
  pipelineResourceGroup,
} from '../../plan/pipeline-identities.js';
import { bicepKey, bicepString, expr } from './bicep.js';
import { when, type InfraConcern, type Params } from './concern.js';
import { renderModule } from './module-file.js';

// Delivery: the Flux extension and configuration that point the cluster at this repository, and the rights of the
// pipelines' operator identity on the cluster and the registry.

export const deliveryConcern: InfraConcern = {
  params: (plan) =>
    when(plan.components.fluxConfiguration && plan.gitRepository?.private === true, [
      {
        name: 'fluxGitToken',
        description: `Read-only token Flux clones the private repository with, from the ${FLUX.tokenVariable} pipeline secret.`,
        decorators: ['@secure()'],
        type: 'string',
        // Credentials never enter the repository: the deploy step passes the pipeline secret in the environment.
        value: () => expr(`readEnvironmentVariable('${FLUX.tokenVariable}', '')`),
      },
    ]),
  modules: [
    {
      symbol: 'pipelineOperator',
      file: 'pipeline-operator',
      when: (plan) => plan.components.githubActions || plan.components.azureDevOps,
      why: "The pipelines' operator identity (infra/bootstrap) may start, stop and upgrade this cluster and push to this registry, and nothing else.",
      params: (plan) => [
        ['clusterName', 'cluster.outputs.clusterName'],
        ['registryName', 'registry.outputs.registryName'],
        ['operatorIdentityResourceGroupName', bicepString(pipelineResourceGroup(plan))],
        ['operatorIdentityName', operatorIdentityName(plan, '${environmentName}')],
      ],
    },
    {
      symbol: 'flux',
      file: 'flux',
      when: (plan) => plan.components.fluxConfiguration && plan.gitRepository !== undefined,
      why: 'Flux extension and the configuration that points the cluster at this repository.',
      params: (plan) => [
        ['clusterName', 'cluster.outputs.clusterName'],
        ['gitRepositoryUrl', bicepString(plan.gitRepository?.url ?? '')],
        ['gitBranch', bicepString(plan.gitRepository?.branch ?? '')],
        ['clusterPath', "'./clusters/${environmentName}'"],
        ['substitute', 'fluxSubstitutions'],
        ...when<Params[number]>(plan.gitRepository?.private === true, [['gitToken', 'fluxGitToken']]),
      ],
    },
  ],
  files: {
    'pipeline-operator': () =>
      renderModule('pipeline-operator', {
        operatorRoleGuid: operatorRoleGuid('operatorIdentityResourceGroupName'),
        push: jobRole('image-push'),
      }),
    flux: (plan) =>
      renderModule('flux', {
        flux: FLUX,
        multiTenancy: FLUX_MULTI_TENANCY_SETTING,
        rootKey: bicepKey(FLUX.rootKustomization),
        privateRepository: plan.gitRepository?.private ?? false,
      }),
  },
};
