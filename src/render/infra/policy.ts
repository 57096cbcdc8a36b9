import { POLICY_DEFINITIONS } from '../../azure/policy-definitions.js';
import { allowedRegistries, podSecurityDefinition, policyEffect, policyExcludedNamespaces } from '../../plan/policy.js';
import { bicepLiteral, bicepString } from './bicep.js';
import { when, type InfraConcern } from './concern.js';
import { renderModule } from './module-file.js';

// Azure Policy for Kubernetes: the pod security initiative and the allowed registries, audited or enforced.

export const policyConcern: InfraConcern = {
  params: (plan) =>
    when(plan.components.policyAssignments, [
      {
        name: 'policyEffect',
        description: 'Effect of the Azure Policy assignments: Audit outside production, Deny in production.',
        decorators: ["@allowed([\n  'Audit'\n  'Deny'\n])"],
        type: 'string',
        value: (env) => policyEffect(env),
      },
    ]),
  modules: [
    {
      symbol: 'policy',
      file: 'policy',
      when: (plan) => plan.components.policyAssignments,
      why: 'Azure Policy for Kubernetes: the pod security initiative and the allowed registries, audited or enforced.',
      params: (plan) => [
        ['clusterName', 'cluster.outputs.clusterName'],
        ['policyEffect', 'policyEffect'],
        [
          'allowedRegistries',
          `[${['registry.outputs.loginServer', ...allowedRegistries(plan).map(bicepString)].join(', ')}]`,
        ],
      ],
    },
  ],
  files: {
    policy: (plan) =>
      renderModule('policy', {
        excludedNamespaces: bicepLiteral(policyExcludedNamespaces(plan)),
        podSecurity: podSecurityDefinition(plan),
        allowedImages: POLICY_DEFINITIONS.allowedImages,
      }),
  },
};
