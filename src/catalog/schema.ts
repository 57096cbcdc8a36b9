import * as z from 'zod';
import { PRESET_NAMES } from '../answers/presets.js';

// An organisation's catalog of approved templates. A catalog is data, never code: it is parsed and checked, its
// names become no paths and nothing in it is executed or used as a template.

/** A dotted answer path; `*` stands for every entry of a list (environments.*.spotPool.enabled). */
const answerPath = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9]*(\.([A-Za-z][A-Za-z0-9]*|\d+|\*))*$/,
    'must be a dotted answer path such as cluster.privateCluster or environments.*.spotPool.enabled',
  );
const scalar = z.union([z.string().max(200), z.number(), z.boolean()]);
const lockValue = z.union([scalar, z.array(scalar).max(100)]);
const allowedValues = z.union([
  z.array(scalar).min(1).max(100),
  z
    .object({ min: z.number().optional(), max: z.number().optional() })
    .strict()
    .refine((range) => range.min !== undefined || range.max !== undefined, 'a range needs min, max or both'),
]);

export const catalogTemplateSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
        'must be a lowercase DNS label (letters, digits, hyphens; no dots or slashes)',
      )
      .describe('Template name teams select, e.g. regulated-prod.'),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version such as 1.2.0')
      .describe('Version of this template; teams may pin one with name@version.'),
    description: z.string().min(1).max(500).describe('What the template is for.'),
    preset: z.enum(PRESET_NAMES).optional().describe('The preset the template starts from.'),
    answers: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('Answer overrides on top of the preset, in the shape of an answers file.'),
    locked: z.record(answerPath, lockValue).default({}).describe('Answers a team cannot change, by dotted path.'),
    allowed: z
      .record(answerPath, allowedValues)
      .default({})
      .describe('Values a team may choose from (a list) or a numeric range ({min, max}), by dotted path.'),
  })
  .strict();

export const catalogSchema = z
  .object({
    apiVersion: z.literal('aks-platform/v1').describe('Catalog format version.'),
    kind: z.literal('Catalog'),
    metadata: z
      .object({
        name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/),
        description: z.string().max(500).optional(),
      })
      .strict(),
    templates: z.array(catalogTemplateSchema).min(1).max(200),
  })
  .strict();

export type Catalog = z.output<typeof catalogSchema>;
export type CatalogTemplate = z.output<typeof catalogTemplateSchema>;

/** The JSON Schema of catalog.yaml, shipped in schema/catalog.schema.json. */
export function catalogJsonSchema(): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(catalogSchema, { io: 'input' }) as Record<string, unknown>),
    title: 'generator-aks-platform catalog',
  };
}
