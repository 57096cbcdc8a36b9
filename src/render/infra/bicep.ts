import { AZURE_API_VERSIONS, pinnedVersion } from '../../versions.js';

// Bicep values built as data: a literal is written from a plain value, so quoting and layout are right by construction.

/** A Bicep expression written as is, e.g. `tenant().tenantId`. */
export class BicepExpression {
  constructor(readonly text: string) {}
}

export function expr(text: string): BicepExpression {
  return new BicepExpression(text);
}

export type BicepValue = string | number | boolean | BicepExpression | BicepValue[] | { [key: string]: BicepValue };

/** `Type@version` for a resource type, from the one pinned list; an unknown type throws. */
export function api(type: keyof typeof AZURE_API_VERSIONS): string {
  return `${type}@${pinnedVersion<string>(AZURE_API_VERSIONS, type)}`;
}

export function bicepString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${')}'`;
}

export function bicepKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : bicepString(key);
}

/** Writes a value as a Bicep literal; nested lines are indented by `indent` plus two spaces per level. */
export function bicepLiteral(value: BicepValue, indent = ''): string {
  if (value instanceof BicepExpression) return value.text;
  if (typeof value === 'string') return bicepString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${bicepLiteral(item, inner)}\n`).join('')}${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${inner}${bicepKey(key)}: ${bicepLiteral(item, inner)}\n`).join('')}${indent}}`;
}

/** The role definition resource ID of a built-in role, resolved in the deployment's subscription. */
export function roleDefinition(id: string): string {
  return `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${id}')`;
}
