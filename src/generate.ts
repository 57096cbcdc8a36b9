import { composeAnswers } from './answers/load.js';
import type { JsonObject } from './answers/merge.js';
import type { CatalogOrigin } from './catalog/load.js';
import { applyLocks, checkPolicy, isLocked, templateLayer } from './catalog/policy.js';
import type { CatalogTemplate } from './catalog/schema.js';
import { catalogMessages } from './catalog/messages.js';
import { formatProblem } from './messages.js';
import { validateAnswers, type Problem } from './answers/validate.js';
import { UserError } from './errors.js';
import { messages } from './messages.js';
import { buildPlan, type AnsweredPlan } from './plan/index.js';
import { AREAS, renderPlatform, type FileMap, type OutputArea } from './render/index.js';

export interface Generation {
  plan: AnsweredPlan;
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
  areas: readonly OutputArea<AnsweredPlan>[] = AREAS,
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

/** A catalog template and where it was read from. */
export interface CatalogSelection {
  origin: CatalogOrigin;
  template: CatalogTemplate;
}

/**
 * The answer sources of one generation, lowest first: a catalog template's answers or a preset, the answers file
 * (or the stored or inline answers), the --set overrides, then the prompts for what is still missing. A catalog
 * template's locks win over all of them.
 */
export interface AnswerSources {
  catalog?: CatalogSelection | undefined;
  /** Ignored when a catalog template is given: the template names its own preset. */
  preset?: string | undefined;
  file?: JsonObject | undefined;
  sets?: readonly string[] | undefined;
  areas?: readonly OutputArea<AnsweredPlan>[] | undefined;
  /** Asks for the answers still missing, except those `skip` names (a catalog's locks); absent when nobody is asked. */
  prompt?: ((input: JsonObject, skip: ((path: string) => boolean) | undefined) => Promise<JsonObject>) | undefined;
}

function layerSources(sources: AnswerSources): { preset: string | undefined; input: JsonObject } {
  const layer = sources.catalog ? templateLayer(sources.catalog.template) : undefined;
  const preset = layer ? layer.preset : sources.preset;
  const input = composeAnswers({ preset, base: layer?.answers, file: sources.file, sets: [...(sources.sets ?? [])] });
  return { preset, input };
}

/** A generation with the answers as the sources gave them, before defaults (an upgrade names those it defaulted). */
export interface SourcedGeneration extends Generation {
  input: JsonObject;
}

function finish(answered: JsonObject, preset: string | undefined, sources: AnswerSources): SourcedGeneration {
  const { catalog } = sources;
  const input = catalog ? applyLocks(answered, catalog.template) : answered;
  return { ...generatePlatform(input, preset, sources.areas ?? AREAS, catalog), input };
}

/** The one way from answer sources to a generation, shared by `new`, `upgrade` and the Yeoman generators. */
export async function generateFromSources(sources: AnswerSources): Promise<SourcedGeneration> {
  const { preset, input } = layerSources(sources);
  const { catalog } = sources;
  const answered = sources.prompt
    ? await sources.prompt(input, catalog ? (path) => isLocked(catalog.template, path) : undefined)
    : input;
  return finish(answered, preset, sources);
}

/** generateFromSources without prompts, for callers that never ask (upgrade). */
export function generateFromAnswers(sources: Omit<AnswerSources, 'prompt'>): SourcedGeneration {
  const { preset, input } = layerSources(sources);
  return finish(input, preset, sources);
}
