import { teamClientIdVariable } from '../../plan/contracts.js';
import { bicepLiteral, expr } from './bicep.js';
import { when, type InfraConcern, type Params } from './concern.js';
import { renderModule } from './module-file.js';
import { kubeletPrincipal } from './wiring.js';

// The teams: an Azure identity per team namespace, and the Entra groups' access to the cluster and their namespaces.

export const teamsConcern: InfraConcern = {
  variables: (plan) => [
    ...when(plan.components.teamAzureIdentities && plan.teams.length > 0, [
      {
        why: 'Teams are platform-wide: each gets a namespace, a service account and an Azure identity in every environment.',
        name: 'teams',
        value: bicepLiteral(
          plan.teams.map((t) => ({
            namespace: t.namespace,
            serviceAccount: t.serviceAccount,
            identityName: expr(`'${t.identityName}-\${environmentName}'`),
          })),
        ),
      },
    ]),
    ...when(plan.components.entraId, [
      {
        why: 'Teams with an Entra group get access to their namespace.',
        name: 'teamGroups',
        value: bicepLiteral(
          plan.teams.flatMap((t) =>
            t.groupObjectId === undefined ? [] : [{ namespace: t.namespace, groupObjectId: t.groupObjectId }],
          ),
        ),
      },
    ]),
  ],
  modules: [
    {
      symbol: 'teamIdentities',
      file: 'team-identity',
      when: (plan) => plan.components.teamAzureIdentities && plan.teams.length > 0,
      why: (plan) =>
        plan.components.workloadIdentity
          ? 'Per team: an Azure identity federated with the team service account.'
          : 'Per team: an Azure identity that AAD Pod Identity assigns to the team pods.',
      loop: 'team in teams',
      params: (plan) => [
        ['location', 'location'],
        ['identityName', 'team.identityName'],
        ...(plan.components.workloadIdentity
          ? ([
              ['namespace', 'team.namespace'],
              ['serviceAccount', 'team.serviceAccount'],
              ['oidcIssuerUrl', 'cluster.outputs.oidcIssuerUrl'],
            ] as Params)
          : ([['kubeletPrincipalId', kubeletPrincipal(plan)]] as Params)),
        ...when<Params[number]>(plan.components.keyVaultCsi, [['keyVaultName', 'keyVault.outputs.keyVaultName']]),
        ['tags', 'resourceTags'],
      ],
      flux: (plan) =>
        plan.teams.flatMap((team, i): [string, string][] => [
          [teamClientIdVariable(team), `teamIdentities[${i}].outputs.clientId`],
          [
            teamClientIdVariable(team).replace(/_CLIENT_ID$/, '_IDENTITY_RESOURCE_ID'),
            `teamIdentities[${i}].outputs.identityId`,
          ],
        ]),
    },
    {
      symbol: 'podIdentityRoles',
      file: 'pod-identity-roles',
      when: (plan) => plan.components.aadPodIdentity,
      why: 'AAD Pod Identity needs the kubelet identity to manage identities on the nodes, in the node resource group AKS created.',
      scope: 'resourceGroup(names.nodeResourceGroup)',
      params: (plan) => [['kubeletPrincipalId', kubeletPrincipal(plan)]],
      // The node resource group exists once the cluster does; a cluster-created kubelet identity already implies that.
      dependsOn: (plan) => (plan.components.userAssignedKubeletIdentity ? ['cluster'] : []),
    },
    {
      symbol: 'clusterAccess',
      file: 'cluster-access',
      when: (plan) => plan.components.entraId,
      why: (plan) =>
        plan.components.azureRbac
          ? 'Azure RBAC for Kubernetes: admin groups and team groups (namespace scope).'
          : 'Entra groups may fetch a kubeconfig; their Kubernetes rights are RoleBindings in Git.',
      params: () => [
        ['clusterName', 'cluster.outputs.clusterName'],
        ['adminGroupObjectIds', 'adminGroupObjectIds'],
        ['teamGroups', 'teamGroups'],
      ],
    },
  ],
  // One object keyed by team, not one output per team: ARM allows 64 outputs (arm-limits.ts).
  outputs: (plan) =>
    when(plan.components.teamAzureIdentities && plan.teams.length > 0, [
      {
        name: 'teamClientIds',
        type: 'object',
        description: 'Client ID of each team workload identity, by team name.',
        value: bicepLiteral(
          Object.fromEntries(plan.teams.map((team, i) => [team.name, expr(`teamIdentities[${i}].outputs.clientId`)])),
        ),
      },
    ]),
  files: {
    'team-identity': (plan) =>
      renderModule('team-identity', {
        federated: plan.components.workloadIdentity,
        keyVault: plan.components.keyVaultCsi,
      }),
    'cluster-access': (plan) => renderModule('cluster-access', { azureRbac: plan.components.azureRbac }),
  },
};
