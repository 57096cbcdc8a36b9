import type * as z from 'zod';
import { answersSchema } from './schema.js';
import { schemaNode, unwrap } from './schema-node.js';
import { getAtPath, setAtPath, type Json, type JsonObject } from './merge.js';
import { type Problem, validateAnswers } from './validate.js';

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
  // A landing zone's hub owns the privatelink zones; without an ID the environment creates its own.
  ...(['aksApiServer', 'keyVault', 'containerRegistry', 'eventHubs', 'blob'] as const).map((zone) => ({
    topic: 'Landing zone',
    path: `network.privateDnsZones.${zone}`,
    when: is('network.hub.mode', 'existing'),
  })),
  { topic: 'Cluster', path: 'network.plugin' },
  { topic: 'Cluster', path: 'network.dataplane', when: not('network.plugin', 'kubenet'), otherwise: 'azure' },
  { topic: 'Cluster', path: 'network.networkPolicy', when: not('network.dataplane', 'cilium'), otherwise: 'cilium' },
  { topic: 'Cluster', path: 'cluster.kubernetesVersion' },
  { topic: 'Cluster', path: 'cluster.privateCluster' },
  { topic: 'Cluster', path: 'cluster.authorizedIpRanges', when: is('cluster.privateCluster', false), otherwise: [] },
  { topic: 'Cluster', path: 'cluster.apiServerVnetIntegration', when: is('cluster.privateCluster', true) },
  { topic: 'Cluster', path: 'cluster.podSecurityStandard', when: is('cluster.azurePolicy', true) },
  { topic: 'Cluster', path: 'cluster.allowedRegistries', when: is('cluster.azurePolicy', true), otherwise: [] },
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
  {
    topic: 'Upgrades',
    path: 'upgrades.maintenanceWindow.utcOffset',
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
  { topic: 'Ingress', path: 'ingress.implementation' },
  {
    topic: 'Ingress',
    path: 'ingress.publicLoadBalancer',
    // Behind the firewall's default route only an internal address works, so the plan derives it without asking.
    when: (a) => is('ingress.implementation', 'app-routing-gateway')(a) && not('network.egress', 'firewall')(a),
  },
  { topic: 'Ingress', path: 'ingress.dnsZoneResourceId', when: not('ingress.implementation', 'none') },
  { topic: 'Ingress', path: 'ingress.certificateName', when: not('ingress.implementation', 'none') },
  { topic: 'Observability', path: 'observability.alertEmails' },
  // Alertmanager's receiver: only the oss stack has one, only with someone to notify, and not behind the hub firewall,
  // whose application rules carry no SMTP (validateAnswers says so).
  ...(['smarthost', 'from', 'username'] as const).map((field) => ({
    topic: 'Observability',
    path: `observability.smtp.${field}`,
    when: (a: JsonObject) =>
      is('observability.stack', 'oss')(a) &&
      not('network.egress', 'firewall')(a) &&
      ((effective(a, 'observability.alertEmails') as unknown[] | undefined) ?? []).length > 0,
  })),
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
  /**
   * Called when the questions move to a new topic; answering 'defaults' takes the default of every question of the
   * topic without asking it (one key for a whole topic).
   */
  topic?: (title: string) => 'answer' | 'defaults' | undefined | Promise<'answer' | 'defaults' | undefined>;
  /** Answers decided elsewhere (a catalog lock) are never asked. */
  skip?: (path: string) => boolean;
  /** The answers so far, after every answer: what a caller keeps when the run is interrupted. */
  progress?: (answers: JsonObject) => void;
  /** Errors found in the topic just answered, shown before the answers at fault are asked again. */
  problems?: (problems: Problem[]) => void;
}

/** How many times a topic's answers at fault are asked again before the final validation reports them. */
const MAX_ROUNDS = 3;

/** Whether a problem at `problem` concerns the answer at `asked` (the same, or one holds the other). */
function concerns(asked: string, problem: string): boolean {
  return asked === problem || problem.startsWith(`${asked}.`) || asked.startsWith(`${problem}.`);
}

/**
 * One interactive run: the answers so far, the topic being asked and the answers asked in it. At the end of each
 * topic the answers are validated; errors about answers asked in that topic are shown and only those answers are
 * asked again, in the same topic, before the questions move on.
 */
class Session {
  answers: JsonObject;
  private topic = '';
  private asked: string[] = [];
  private takeDefaults = false;

  constructor(
    input: JsonObject,
    private readonly hooks: PromptHooks,
  ) {
    this.answers = structuredClone(input);
  }

  async enter(title: string): Promise<void> {
    if (title === this.topic) return;
    await this.finishTopic();
    this.topic = title;
    this.asked = [];
    this.takeDefaults = (await this.hooks.topic?.(title)) === 'defaults';
  }

  /** Asks one question of the current topic (or takes its default when the topic's defaults were accepted). */
  readonly ask: Ask = async (q) => {
    if (!this.asked.includes(q.path)) this.asked.push(q.path);
    return this.takeDefaults ? q.default : this.hooks.ask(q);
  };

  async askAt(path: string[], fallback: Json | undefined): Promise<void> {
    if (this.hooks.skip?.(path.join('.'))) return;
    const q = question(path, fallback);
    const value = q.parse(await this.ask(q));
    if (value !== null) this.answers = setAtPath(this.answers, path, value, () => undefined);
    this.hooks.progress?.(this.answers);
  }

  set(answers: JsonObject): void {
    this.answers = answers;
    this.hooks.progress?.(answers);
  }

  async finishTopic(): Promise<void> {
    // The name lists are asked as one line and shape the topics after them; their problems stay for the final check.
    const askable = this.asked.filter((path) => path !== 'environments' && path !== 'teams');
    for (let round = 0; round < MAX_ROUNDS && askable.length > 0; round++) {
      const faults = validateAnswers(this.answers).problems.filter(
        (p) => p.severity === 'error' && askable.some((path) => concerns(path, p.path)),
      );
      if (faults.length === 0) return;
      this.hooks.problems?.(faults);
      for (const path of askable.filter((a) => faults.some((p) => concerns(a, p.path)))) {
        const keys = path.split('.');
        const current = getAtPath(this.answers, keys) as Json | undefined;
        const q = question(keys, current ?? (effective(this.answers, path) as Json));
        const value = q.parse(await this.hooks.ask(q));
        this.answers = value === null ? this.answers : setAtPath(this.answers, keys, value, () => undefined);
        this.hooks.progress?.(this.answers);
      }
    }
  }
}

/** Asks every relevant question that the answers so far leave open, topic by topic, and returns the completed answers. */
export async function promptForMissing(input: JsonObject, hooks: PromptHooks): Promise<JsonObject> {
  const session = new Session(input, hooks);
  // The hub comes before the environments: their address spaces must not overlap it, so it is known when they are asked.
  const beforeEnvironments = STEPS.filter((step) => step.topic === 'Platform' || step.topic === 'Landing zone');
  await askSteps(session, beforeEnvironments);
  if (session.answers.environments === undefined) await askEnvironments(session);
  await askSteps(
    session,
    STEPS.filter((step) => !beforeEnvironments.includes(step)),
  );
  if (session.answers.teams === undefined) await askTeams(session);
  await session.finishTopic();
  return session.answers;
}

async function askSteps(session: Session, steps: Step[]): Promise<void> {
  for (const step of steps) {
    const path = step.path.split('.');
    if (getAtPath(session.answers, path) !== undefined) continue;
    if (step.when && !step.when(session.answers)) {
      if (step.otherwise !== undefined) session.set(setAtPath(session.answers, path, step.otherwise, () => undefined));
      continue;
    }
    await session.enter(step.topic);
    await session.askAt(path, effective(session.answers, step.path) as Json);
  }
}

/** A list answer asked as one comma-separated line; each name's own questions follow. */
async function askNames(
  session: Session,
  path: 'environments' | 'teams',
  message: string,
  fallback: string,
  check: (names: string[]) => true | string,
): Promise<string[]> {
  const raw = await session.ask({
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

async function askEnvironments(session: Session): Promise<void> {
  await session.enter('Environments');
  const names = await askNames(session, 'environments', 'Environment names (comma-separated)', 'dev,prod', (list) =>
    list.length > 0 ? true : 'give at least one environment',
  );
  session.set({ ...session.answers, environments: names.map((name) => ({ name })) });
  for (const [i, name] of names.entries()) {
    await session.enter(`Environment ${name}`);
    const at = (field: string) => ['environments', String(i), ...field.split('.')];
    await session.askAt(at('production'), name.startsWith('prod'));
    await session.askAt(at('addressSpace'), `10.${i + 1}.0.0/16`);
    await session.askAt(at('spotPool.enabled'), false);
    const production = getAtPath(session.answers, at('production')) === true;
    await session.askAt(at('stopStart.enabled'), !production);
    if (getAtPath(session.answers, at('stopStart.enabled')) === true) {
      for (const field of ['days', 'startTime', 'stopTime', 'timeZone']) {
        await session.askAt(
          at(`stopStart.${field}`),
          getAtPath(defaults, ['environments', '0', 'stopStart', field]) as Json,
        );
      }
    }
  }
}

async function askTeams(session: Session): Promise<void> {
  await session.enter('Teams');
  const names = await askNames(session, 'teams', 'Team names (comma-separated, may be empty)', 'team-a', () => true);
  session.set({ ...session.answers, teams: names.map((name) => ({ name })) });
  const spot =
    (session.answers.environments as JsonObject[] | undefined)?.some(
      (env) => getAtPath(env, ['spotPool', 'enabled']) === true,
    ) ?? false;
  for (const [i, name] of names.entries()) {
    await session.enter(`Team ${name}`);
    const at = (field: string) => ['teams', String(i), field];
    if (effective(session.answers, 'identity.entraId') === true) await session.askAt(at('entraGroupObjectId'), null);
    if (effective(session.answers, 'secrets.keyVaultCsi') === true) await session.askAt(at('keyVaultSecrets'), []);
    if (spot) await session.askAt(at('useSpot'), false);
  }
}
