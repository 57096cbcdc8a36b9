import { when, type InfraConcern } from './concern.js';

// The cluster's own identities (control plane, kubelet) and the Entra groups that administer it.

export const identityConcern: InfraConcern = {
  params: (plan) =>
    when(plan.components.entraId, [
      {
        name: 'adminGroupObjectIds',
        description: 'Object IDs of the Entra groups that administer the cluster.',
        decorators: [],
        type: 'string[]',
        value: () => plan.identity.adminGroupObjectIds,
      },
    ]),
  modules: [
    {
      symbol: 'identity',
      file: 'identity',
      why: 'The control-plane identity exists first, so its rights are in place before the cluster is created.',
      params: () => [
        ['location', 'location'],
        ['clusterIdentityName', 'names.clusterIdentity'],
        ['tags', 'resourceTags'],
      ],
    },
    {
      symbol: 'kubeletIdentity',
      file: 'kubelet-identity',
      when: (plan) => plan.components.userAssignedKubeletIdentity,
      why: 'Bring-your-own kubelet identity: AcrPull and nothing else.',
      params: () => [
        ['location', 'location'],
        ['kubeletIdentityName', 'names.kubeletIdentity'],
        ['clusterPrincipalId', 'identity.outputs.clusterPrincipalId'],
        ['tags', 'resourceTags'],
      ],
    },
  ],
  outputs: (plan) => [
    {
      name: 'clusterIdentityClientId',
      description: 'Client ID of the control-plane identity.',
      value: 'identity.outputs.clusterClientId',
    },
    ...when(plan.components.userAssignedKubeletIdentity, [
      {
        name: 'kubeletClientId',
        description: 'Client ID of the kubelet identity.',
        value: 'kubeletIdentity.outputs.kubeletClientId',
      },
    ]),
  ],
};
