// Deploy-time contract: the limits ARM puts on one template deployment. The generated main.bicep keeps its counts
// fixed as teams and environments grow (team values are one object output, teams are one module loop), the answers
// refuse what would still cross a limit, and the scale test checks a compiled 200-team platform against every row.

const SOURCE = 'https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits';

export interface ArmLimit {
  value: number;
  what: string;
  source: string;
}

export const ARM_TEMPLATE_LIMITS = {
  parameters: { value: 256, what: 'parameters in a template', source: SOURCE },
  variables: { value: 512, what: 'variables in a template', source: SOURCE },
  resources: { value: 800, what: 'resources in a template, copy loops counted in full', source: SOURCE },
  outputs: { value: 64, what: 'output values of a template', source: SOURCE },
  templateBytes: {
    value: 4 * 1024 * 1024,
    what: 'bytes of a template after loops, variables and parameters are expanded',
    source: SOURCE,
  },
  copyCount: {
    value: 800,
    what: 'iterations of one copy loop',
    source: 'https://learn.microsoft.com/azure/azure-resource-manager/templates/copy-resources#copy-limits',
  },
} as const satisfies Record<string, ArmLimit>;

/**
 * Resources of an environment's deployment that are not per team (resource group, network, cluster, monitoring,
 * their module deployments), with room to grow; each team adds one module deployment (its identity) to main.bicep.
 */
export const PLATFORM_RESOURCES = 100;

/** The most teams one platform repository can have: each team is one iteration of main.bicep's identity loop. */
export const MAX_TEAMS = ARM_TEMPLATE_LIMITS.resources.value - PLATFORM_RESOURCES;
