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

/** The parts of a compiled ARM template the limits count. */
interface Template {
  parameters?: Record<string, { defaultValue?: unknown }>;
  variables?: Record<string, unknown>;
  resources?: Resource[] | Record<string, Resource>;
  outputs?: Record<string, unknown>;
}

interface Resource {
  type?: string;
  name?: string;
  existing?: boolean;
  copy?: { count?: unknown };
  properties?: { template?: Template; parameters?: Record<string, { value?: unknown }> };
}

/** One limit a template crosses: which template (the deployment, or a module's nested deployment), the count. */
export interface LimitBreach {
  limit: keyof typeof ARM_TEMPLATE_LIMITS;
  template: string;
  count: number;
}

/**
 * A copy loop's iterations when validate can know them: a number, or the length of an array variable or parameter
 * value. Anything else counts once, so the resource count is a lower bound and never a false alarm.
 */
function copyCount(count: unknown, template: Template, values: Record<string, unknown>): number {
  if (typeof count === 'number') return count;
  const ref = /^\[length\((variables|parameters)\('([^']+)'\)\)\]$/.exec(String(count));
  const value = ref && (ref[1] === 'variables' ? template.variables?.[ref[2]!] : values[ref[2]!]);
  return Array.isArray(value) ? value.length : 1;
}

/** Resources by symbolic name (language version 2.0) or by position. */
function resourceEntries(template: Template): [string, Resource][] {
  const list = template.resources ?? [];
  return Array.isArray(list) ? list.map((r, i) => [String(literal(r.name) ?? i), r]) : Object.entries(list);
}

/** Literal values only: an ARM expression ("[...]") is not known before deployment. */
function literal(value: unknown): unknown {
  return typeof value === 'string' && value.startsWith('[') ? undefined : value;
}

/**
 * Every ARM template limit a compiled template crosses, with copy loops counted in full; each module is a nested
 * deployment with limits of its own, so its template is counted on its own. `parameterValues` are the deployment's
 * (a parameters file's `parameters`); defaults fill the rest.
 */
export function armLimitBreaches(
  templateJson: string,
  parameterValues: Record<string, { value?: unknown }> = {},
): LimitBreach[] {
  const breaches: LimitBreach[] = [];
  const check = (template: Template, name: string, given: Record<string, { value?: unknown }>) => {
    const values = Object.fromEntries(
      Object.entries(template.parameters ?? {}).map(([p, def]) => [p, literal(given[p]?.value ?? def.defaultValue)]),
    );
    const resources = resourceEntries(template).filter(([, r]) => r.existing !== true);
    const loops = resources.map(([, r]) => (r.copy ? copyCount(r.copy.count, template, values) : 1));
    const counts: Partial<Record<keyof typeof ARM_TEMPLATE_LIMITS, number>> = {
      parameters: Object.keys(template.parameters ?? {}).length,
      variables: Object.keys(template.variables ?? {}).length,
      resources: loops.reduce((a, b) => a + b, 0),
      outputs: Object.keys(template.outputs ?? {}).length,
      copyCount: Math.max(0, ...loops),
    };
    for (const [limit, count] of Object.entries(counts) as [keyof typeof ARM_TEMPLATE_LIMITS, number][])
      if (count > ARM_TEMPLATE_LIMITS[limit].value) breaches.push({ limit, template: name, count });
    for (const [symbol, r] of resources)
      if (r.type === 'Microsoft.Resources/deployments' && r.properties?.template)
        check(r.properties.template, `${name} > module ${symbol}`, r.properties.parameters ?? {});
  };
  check(JSON.parse(templateJson) as Template, 'the template', parameterValues);
  const bytes = Buffer.byteLength(templateJson);
  if (bytes > ARM_TEMPLATE_LIMITS.templateBytes.value)
    breaches.push({ limit: 'templateBytes', template: 'the template', count: bytes });
  return breaches;
}
