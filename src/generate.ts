import type { JsonObject } from './answers/merge.js';
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
export function generatePlatform(input: JsonObject, preset?: string, areas: readonly OutputArea[] = AREAS): Generation {
  const result = validateAnswers(input);
  if (!result.ok) throw new UserError(messages.invalidAnswers(result.problems), result.problems);
  const plan = buildPlan(result.answers, preset);
  return { plan, files: renderPlatform(plan, areas), warnings: result.problems };
}
