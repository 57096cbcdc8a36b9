import * as z from 'zod';
import { answersSchema } from './schema.js';

// Walks the answers schema by answer path, so prompts and --set know a field's type, wording and help.

export interface Node {
  schema: z.ZodType;
  title: string | undefined;
  description: string | undefined;
}

export function unwrap(schema: z.ZodType): Node {
  let current = schema;
  let title: string | undefined;
  let description: string | undefined;
  for (;;) {
    const meta = z.globalRegistry.get(current);
    title ??= meta?.title;
    description ??= meta?.description;
    const def = current._zod.def as { type: string; innerType?: z.ZodType };
    if (['default', 'prefault', 'optional', 'nullable'].includes(def.type) && def.innerType) current = def.innerType;
    else return { schema: current, title, description };
  }
}

/** The schema node, wording and help of an answer path; numeric segments step into list elements. */
export function schemaNode(path: string[]): Node & { field: z.ZodType } {
  let field: z.ZodType = answersSchema;
  for (const segment of path) {
    const { schema } = unwrap(field);
    const def = schema._zod.def as { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType };
    const next = def.type === 'object' ? def.shape?.[segment] : def.type === 'array' ? def.element : undefined;
    if (!next) throw new Error(`questions: no answer at ${path.join('.')}`);
    field = next;
  }
  return { ...unwrap(field), field };
}

/** Whether the answer at a path is text (a string or a choice), so `--set a=1.30` must stay the string "1.30". */
export function isTextAnswer(path: string[]): boolean {
  try {
    const { schema } = schemaNode(path);
    const type = (schema._zod.def as { type: string }).type;
    return type === 'string' || type === 'enum';
  } catch {
    return false;
  }
}
