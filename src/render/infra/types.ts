import { renderTemplate } from '../template.js';

// The user-defined types of parameters, as Bicep text in templates/infra/types; the code picks the fields.

/** A fixed object type: agent pools, the maintenance window, the Arc clusters of an environment. */
export function bicepType(name: 'agent-pools' | 'maintenance-window' | 'arc-clusters'): string {
  return renderTemplate(`infra/types/${name}.bicep`, {}).trimEnd();
}

/** An object type of string fields, each with its description (resource names, subnet IDs). */
export function stringFieldsType(fields: readonly { name: string; description: string }[]): string {
  return renderTemplate('infra/types/string-fields.bicep', { fields }).trimEnd();
}
