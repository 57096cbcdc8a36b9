import { parse as parseYaml } from 'yaml';
import { FileError, UserError } from '../errors.js';
import { readBounded } from '../util/read.js';
import { messages } from '../messages.js';
import { GENERATOR_NAME } from '../versions.js';
import { answersSchema } from './schema.js';
import {
  IndexPastEnd,
  isObject,
  mergeAnswers,
  parseSetOverride,
  setAtPath,
  type Json,
  type JsonObject,
} from './merge.js';
import { isTextAnswer } from './schema-node.js';
import { isPresetName, PRESET_NAMES, PRESETS } from './presets.js';

/**
 * Reads an answers document: bare answers, the generator's own block, or a whole .yo-rc.json, in YAML or JSON.
 * Returns the answers and the preset recorded with them.
 */
/** The catalog template a stored generation came from. */
export interface StoredCatalog {
  source: string;
  commit?: string;
  template: string;
  version: string;
}

export function parseAnswersDocument(
  text: string,
  source: string,
  /** `stored`: the .yo-rc.json of a generated repository, which the user did not name with --answers. */
  origin: 'option' | 'stored' = 'option',
): { answers: JsonObject; preset?: string; stored?: true; version?: string; catalog?: StoredCatalog } {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] ?? '';
    throw new UserError(
      origin === 'stored'
        ? messages.storedAnswersUnreadable(source, reason)
        : messages.answersFileUnreadable(source, reason),
    );
  }
  if (doc === null || doc === undefined) return { answers: {} };
  if (!isObject(doc))
    throw new UserError(
      origin === 'stored' ? messages.storedAnswersNotObject(source) : messages.answersFileNotObject(source),
    );
  const block = isObject(doc[GENERATOR_NAME]) ? (doc[GENERATOR_NAME] as JsonObject) : doc;
  if (isObject(block.answers) && ('version' in block || 'preset' in block)) {
    // A stored generation is a complete answer set: replaying it asks nothing.
    const preset = typeof block.preset === 'string' ? block.preset : undefined;
    const c = block.catalog;
    const catalog =
      isObject(c) && typeof c.source === 'string' && typeof c.template === 'string' && typeof c.version === 'string'
        ? {
            source: c.source,
            template: c.template,
            version: c.version,
            ...(typeof c.commit === 'string' ? { commit: c.commit } : {}),
          }
        : undefined;
    return {
      answers: block.answers,
      stored: true,
      ...(typeof block.version === 'string' ? { version: block.version } : {}),
      ...(preset === undefined ? {} : { preset }),
      ...(catalog ? { catalog } : {}),
    };
  }
  return { answers: block };
}

/** An answers file is a page or two of YAML; a larger one is refused before parsing. */
export const MAX_ANSWERS_BYTES = 1024 * 1024;

/** Reads and parses an answers document (or .yo-rc.json) from disk through the bounded reader. */
export function readAnswersFile(file: string, label = `--answers ${file}`): ReturnType<typeof parseAnswersDocument> {
  let text: string;
  try {
    text = readBounded(file, { maxBytes: MAX_ANSWERS_BYTES, what: 'answers file' });
  } catch (error) {
    if (error instanceof FileError && error.problem === 'does not exist' && label.startsWith('--answers'))
      throw new UserError(messages.answersFileMissing(file));
    if (error instanceof FileError) throw new FileError(label, error.problem, error.fix);
    throw error;
  }
  return parseAnswersDocument(text, file, label.startsWith('--answers') ? 'option' : 'stored');
}

function presetAnswers(name: string | undefined): JsonObject | undefined {
  if (name === undefined) return undefined;
  if (!isPresetName(name)) throw new UserError(messages.unknownPreset(name, PRESET_NAMES));
  return structuredClone(PRESETS[name].answers) as unknown as JsonObject;
}

function defaultOf(topKey: string): Json | undefined {
  return (answersSchema.parse({}) as unknown as JsonObject)[topKey];
}

/**
 * preset < base (a catalog template's answers) < answers file < --set: the layered, not yet defaulted, answers.
 * Prompts fill what is still missing.
 */
export function composeAnswers(options: {
  preset?: string | undefined;
  base?: JsonObject | undefined;
  file?: JsonObject | undefined;
  sets?: string[] | undefined;
}): JsonObject {
  let merged = mergeAnswers(presetAnswers(options.preset), options.base, options.file);
  for (const expression of options.sets ?? []) {
    const parsed = parseSetOverride(expression, isTextAnswer);
    if ('error' in parsed) throw new UserError(messages.badSet(expression, parsed.error));
    try {
      merged = setAtPath(merged, parsed.path, parsed.value, (key) =>
        Object.hasOwn(merged, key) ? merged[key] : (mergeAnswers(presetAnswers(options.preset))[key] ?? defaultOf(key)),
      );
    } catch (error) {
      if (error instanceof IndexPastEnd) throw new UserError(messages.setIndexPastEnd(expression, error));
      throw error;
    }
  }
  return merged;
}
