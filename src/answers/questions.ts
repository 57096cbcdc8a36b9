import type * as z from 'zod';
import { answersSchema } from './schema.js';
import { schemaNode, unwrap } from './schema-node.js';
import { getAtPath, setAtPath, type Json, type JsonObject } from './merge.js';

// The interactive questions, grouped by topic. Wording, help, choices and per-answer validation all come from the
// schema; this file only decides the order and which questions are relevant given the answers so far.

export interface Question {
  /** Dotted answer path, e.g. environments.0.addressSpace. */
  path: string;
  type: 'input' | 'confirm' | 'select' | 'checkbox' | 'number';
  message: string;
  help: string;
  choices?: string[];
  default: Json | undefined;
  /** Parses the raw prompt value into the answer (lists arrive comma-separated). */
  parse(raw: unknown): Json;
  /** true, or what is wrong with the value. */
  validate(raw: unknown): true | string;
}

/** Asks one question and resolves with the raw value the person gave. */
export type Ask = (question: Question) => Promise<unknown>;

function splitList(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  return String(raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function question(path: string[], fallback: Json | undefined): Question {
  const node = schemaNode(path);
  const def = node.schema._zod.def as { type: string; element?: z.ZodType; entries?: Record<string, string> };
  const element = def.type === 'array' && def.element ? unwrap(def.element).schema._zod.def : undefined;
  const elementEntries = (element as { entries?: Record<string, string> } | undefined)?.entries;
  let type: Question['type'] = 'input';
  let choices: string[] | undefined;
  if (def.type === 'boolean') type = 'confirm';
  else if (def.type === 'number') type = 'number';
  else if (def.type === 'enum') [type, choices] = ['select', Object.values(def.entries ?? {})];
  else if (def.type === 'array' && elementEntries) [type, choices] = ['checkbox', Object.values(elementEntries)];
  const isList = def.type === 'array';
  const parse = (raw: unknown): Json => {
    if (isList) return splitList(raw);
    if (type === 'number') return typeof raw === 'number' ? raw : Number(raw);
    if (type === 'input' && (raw === '' || raw === undefined)) return null;
    return raw as Json;
  };
  return {
    path: path.join('.'),
    type,
    message: node.title ?? path[path.length - 1]!,
    help: node.description ?? '',
    ...(choices ? { choices } : {}),
    default: fallback,
    parse,
    validate(raw) {
      const value = parse(raw);
      if (value === null) return node.field.safeParse(undefined).success ? true : 'an answer is required';
      const result = node.field.safeParse(value);
      return result.success ? true : (result.error.issues[0]?.message ?? 'invalid value');
    },
  };
}

const defaults = answersSchema.parse({}) as unknown as JsonObject;

interface Step {
  topic: string;
  path: string;
  when?: (answers: JsonObject) => boolean;
  /** The only sensible answer when the question is irrelevant, e.g. the azure dataplane with kubenet. */
  otherwise?: Json;
}

const is = (path: string, value: Json) => (answers: JsonObject) => effective(answers, path) === value;
const not = (path: string, value: Json) => (answers: JsonObject) => effective(answers, path) !== value;

/** The value an answer has now: given, or its default. */
function effective(answers: JsonObject, path: string): unknown {
  const keys = path.split('.');
  const given = getAtPath(answers, keys);
  return given !== undefined ? given : getAtPath(defaults, keys);
}

const STEPS: Step[] = [
  { topic: 'Platform', path: 'organisation' },
  { topic: 'Platform', path: 'platform' },
  { topic: 'Platform', path: 'location' },
  { topic: 'Landing zone', path: 'network.hub.mode' },
  { topic: 'Landing zone', path: 'network.hub.addressSpace', when: is('network.hub.mode', 'create') },
  { topic: 'Landing zone', path: 'network.hub.vnetResourceId', when: is('network.hub.mode', 'existing') },
  { topic: 'Landing zone', path: 'network.egress' },
  {
    topic: 'Landing zone',
    path: 'network.hub.firewallPrivateIp',
    when: (a) => is('network.hub.mode', 'existing')(a) && is('network.egress', 'firewall')(a),
  },
  { topic: 'Cluster', path: 'network.plugin' },
  { topic: 'Cluster', path: 'network.dataplane', when: not('network.plugin', 'kubenet'), otherwise: 'azure' },
  { topic: 'Cluster', path: 'network.networkPolicy', when: not('network.dataplane', 'cilium'), otherwise: 'cilium' },
  { topic: 'Cluster', path: 'cluster.kubernetesVersion' },
  { topic: 'Cluster', path: 'cluster.privateCluster' },
  { topic: 'Cluster', path: 'cluster.authorizedIpRanges', when: is('cluster.privateCluster', false), otherwise: [] },
  { topic: 'Cluster', path: 'cluster.apiServerVnetIntegration', when: is('cluster.privateCluster', true) },
  { topic: 'Identity and access', path: 'identity.kubeletIdentity' },
  { topic: 'Identity and access', path: 'identity.podIdentity' },
  { topic: 'Identity and access', path: 'identity.entraId' },
  { topic: 'Identity and access', path: 'identity.authorization', when: is('identity.entraId', true) },
  { topic: 'Identity and access', path: 'identity.adminGroupObjectIds', when: is('identity.entraId', true) },
  { topic: 'Identity and access', path: 'identity.disableLocalAccounts', when: is('identity.entraId', true) },
  { topic: 'Secrets', path: 'secrets.keyVaultCsi' },
  { topic: 'Upgrades', path: 'upgrades.autoUpgradeChannel' },
  { topic: 'Upgrades', path: 'upgrades.nodeOsUpgradeChannel' },
  { topic: 'Upgrades', path: 'upgrades.kured.enabled', when: is('upgrades.nodeOsUpgradeChannel', 'Unmanaged') },
  {
    topic: 'Upgrades',
    path: 'upgrades.maintenanceWindow.dayOfWeek',
    when: (a) => not('upgrades.autoUpgradeChannel', 'none')(a) || not('upgrades.nodeOsUpgradeChannel', 'Unmanaged')(a),
  },
  {
    topic: 'Upgrades',
    path: 'upgrades.maintenanceWindow.startTime',
    when: (a) => not('upgrades.autoUpgradeChannel', 'none')(a) || not('upgrades.nodeOsUpgradeChannel', 'Unmanaged')(a),
  },
  { topic: 'Observability', path: 'observability.stack' },
  { topic: 'Observability', path: 'observability.managedPrometheus', when: is('observability.stack', 'azure-monitor') },
  { topic: 'Observability', path: 'observability.managedGrafana', when: is('observability.stack', 'azure-monitor') },
  { topic: 'Observability', path: 'observability.eventHubsStreaming' },
  {
    topic: 'Observability',
    path: 'observability.elasticsearchUrl',
    when: (a) => is('observability.stack', 'oss')(a) && is('observability.eventHubsStreaming', true)(a),
  },
  { topic: 'Delivery', path: 'delivery.githubActions' },
  { topic: 'Delivery', path: 'delivery.azureDevOps' },
  { topic: 'Delivery', path: 'delivery.github.owner' },
  { topic: 'Delivery', path: 'delivery.github.repo' },
  {
    topic: 'Delivery',
    path: 'delivery.github.private',
    when: (a) => effective(a, 'delivery.github.owner') !== undefined,
  },
];

export interface PromptHooks {
  ask: Ask;
  /** Called when the questions move to a new topic. */
  topic?: (title: string) => void;
  /** Answers decided elsewhere (a catalog lock) are never asked. */
  skip?: (path: string) => boolean;
}

async function askAt(
  answers: JsonObject,
  path: string[],
  fallback: Json | undefined,
  hooks: PromptHooks,
): Promise<JsonObject> {
  if (hooks.skip?.(path.join('.'))) return answers;
  const q = question(path, fallback);
  const value = q.parse(await hooks.ask(q));
  return value === null ? answers : setAtPath(answers, path, value, () => undefined);
}

/** Asks every relevant question that the answers so far leave open, topic by topic, and returns the completed answers. */
export async function promptForMissing(input: JsonObject, hooks: PromptHooks): Promise<JsonObject> {
  let answers = structuredClone(input);
  let topic = '';
  const enter = (title: string) => {
    if (title !== topic) hooks.topic?.((topic = title));
  };
  for (const step of STEPS.slice(0, 3)) {
    if (getAtPath(answers, step.path.split('.')) !== undefined) continue;
    enter(step.topic);
    answers = await askAt(answers, step.path.split('.'), effective(answers, step.path) as Json, hooks);
  }
  if (answers.environments === undefined) answers = await askEnvironments(answers, hooks, enter);
  for (const step of STEPS.slice(3)) {
    const path = step.path.split('.');
    if (getAtPath(answers, path) !== undefined) continue;
    if (step.when && !step.when(answers)) {
      if (step.otherwise !== undefined) answers = setAtPath(answers, path, step.otherwise, () => undefined);
      continue;
    }
    enter(step.topic);
    answers = await askAt(answers, path, effective(answers, step.path) as Json, hooks);
  }
  if (answers.teams === undefined) answers = await askTeams(answers, hooks, enter);
  return answers;
}

/** A list answer asked as one comma-separated line; each name's own questions follow. */
async function askNames(
  hooks: PromptHooks,
  path: 'environments' | 'teams',
  message: string,
  fallback: string,
  check: (names: string[]) => true | string,
): Promise<string[]> {
  const raw = await hooks.ask({
    path,
    type: 'input',
    message,
    help: schemaNode([path]).description ?? '',
    default: fallback,
    parse: (value) => splitList(value),
    validate: (value) => check(splitList(value)),
  });
  return splitList(raw);
}

async function askEnvironments(
  answers: JsonObject,
  hooks: PromptHooks,
  enter: (t: string) => void,
): Promise<JsonObject> {
  enter('Environments');
  const names = await askNames(hooks, 'environments', 'Environment names (comma-separated)', 'dev,prod', (list) =>
    list.length > 0 ? true : 'give at least one environment',
  );
  let result: JsonObject = { ...answers, environments: names.map((name) => ({ name })) };
  for (const [i, name] of names.entries()) {
    enter(`Environment ${name}`);
    const at = (field: string) => ['environments', String(i), ...field.split('.')];
    result = await askAt(result, at('production'), name.startsWith('prod'), hooks);
    result = await askAt(result, at('addressSpace'), `10.${i + 1}.0.0/16`, hooks);
    result = await askAt(result, at('spotPool.enabled'), false, hooks);
    const production = getAtPath(result, at('production')) === true;
    result = await askAt(result, at('stopStart.enabled'), !production, hooks);
    if (getAtPath(result, at('stopStart.enabled')) === true) {
      for (const field of ['days', 'startTime', 'stopTime', 'timeZone']) {
        result = await askAt(
          result,
          at(`stopStart.${field}`),
          getAtPath(defaults, ['environments', '0', 'stopStart', field]) as Json,
          hooks,
        );
      }
    }
  }
  return result;
}

async function askTeams(answers: JsonObject, hooks: PromptHooks, enter: (t: string) => void): Promise<JsonObject> {
  enter('Teams');
  const names = await askNames(hooks, 'teams', 'Team names (comma-separated, may be empty)', 'team-a', () => true);
  let result: JsonObject = { ...answers, teams: names.map((name) => ({ name })) };
  const spot =
    (result.environments as JsonObject[] | undefined)?.some(
      (env) => getAtPath(env, ['spotPool', 'enabled']) === true,
    ) ?? false;
  for (const [i, name] of names.entries()) {
    enter(`Team ${name}`);
    const at = (field: string) => ['teams', String(i), field];
    if (effective(result, 'identity.entraId') === true)
      result = await askAt(result, at('entraGroupObjectId'), null, hooks);
    if (effective(result, 'secrets.keyVaultCsi') === true)
      result = await askAt(result, at('keyVaultSecrets'), [], hooks);
    if (spot) result = await askAt(result, at('useSpot'), false, hooks);
  }
  return result;
}
