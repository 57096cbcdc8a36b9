import { parseAllDocuments } from 'yaml';

/** Most aliases one document may expand: YAML's billion laughs is a few lines that expand to gigabytes. */
export const MAX_ALIAS_COUNT = 100;

/**
 * The documents of a YAML text that parse and can be read within the alias limit, for rules that look at values.
 * Syntax errors and alias bombs are the schema check's to report (with their line); a rule skips them.
 */
export function readableDocuments(text: string): { toJS(): unknown }[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) return [];
    try {
      const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
      return [{ toJS: () => value }];
    } catch {
      return [];
    }
  });
}
