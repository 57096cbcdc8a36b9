import type { JsonObject } from './answers/merge.js';
import type { CatalogOrigin } from './catalog/load.js';
import { checkPolicy } from './catalog/policy.js';
import type { CatalogTemplate } from './catalog/schema.js';
import { catalogMessages } from './catalog/messages.js';
import { formatProblem } from './messages.js';
import { validateAnswers, type Problem } from './answers/validate.js';
import { UserError } from './errors.js';
import { messages } from './messages.js';
import { buildPlan, type Plan } from './plan/index.js';
import { AREAS, renderPlatform, type FileMap, type OutputArea } from './render/index.js';

export interface Generation {
  plan: Plan;
  files: FileMap;
  warnings: Problem[];
}

/**
 * answers -> validation -> plan -> files, with no side effects. Invalid answers throw a UserError listing every problem.
 * `areas` defaults to every output area; tests of upgrades pass changed ones to stand for a newer generator.
 */
export function generatePlatform(
  input: JsonObject,
  preset?: string,
  areas: readonly OutputArea[] = AREAS,
  catalog?: { origin: CatalogOrigin; template: CatalogTemplate },
): Generation {
  const result = validateAnswers(input);
  if (!result.ok) throw new UserError(messages.invalidAnswers(result.problems), result.problems);
  if (catalog) {
    const violations = checkPolicy(result.answers, catalog.template);
    if (violations.length > 0)
      throw new UserError(
        catalogMessages.policyViolations(violations.length, violations.map(formatProblem).join('\n')),
        violations,
      );
  }
  const record = catalog
    ? { ...catalog.origin, template: catalog.template.name, version: catalog.template.version }
    : undefined;
  const plan = buildPlan(result.answers, preset, record);
  return { plan, files: renderPlatform(plan, areas), warnings: result.problems };
}
