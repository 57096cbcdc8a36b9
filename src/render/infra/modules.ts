import type { Plan } from '../../plan/index.js';
import { alertsConcern } from './alerts.js';
import { arcConcern } from './arc.js';
import { clusterConcern } from './cluster.js';
import type { ExistingResource, InfraConcern, MainOutput, MainParam, MainVariable, Params } from './concern.js';
import { deliveryConcern } from './delivery.js';
import { environmentConcern } from './environment.js';
import { identityConcern } from './identity.js';
import { ingressConcern } from './ingress.js';
import { renderModule } from './module-file.js';
import { networkConcern } from './network.js';
import { observabilityConcern } from './observability.js';
import { policyConcern } from './policy.js';
import { teamsConcern } from './teams.js';
import { vaultAndRegistryConcern } from './vault-and-registry.js';

// The environment's infra as a table of concerns, in the order main.bicep lays them out. Each concern (its own file)
// brings its main.bicep parameters with their values, variables, existing resources, `module` blocks and outputs, and
// the renderers of its module files; one module entry drives its file under infra/modules, its `module` block and the
// Flux variables its outputs provide. Conditions are in code, the Bicep text in the templates
// (templates/infra/modules/<file>.bicep.ejs).

export const INFRA_CONCERNS: readonly InfraConcern[] = [
  environmentConcern,
  identityConcern,
  networkConcern,
  observabilityConcern,
  vaultAndRegistryConcern,
  clusterConcern,
  teamsConcern,
  ingressConcern,
  alertsConcern,
  policyConcern,
  deliveryConcern,
  arcConcern,
];

/** A `module` block of main.bicep. */
export interface ModuleCall {
  why: string;
  symbol: string;
  file: string;
  scope: string;
  loop?: string;
  /** Deploys only when true (per item, with a loop). */
  condition?: string;
  params: Params;
  dependsOn: string[];
}

const ENVIRONMENT_MODULES = INFRA_CONCERNS.flatMap((concern) => concern.modules ?? []);

/** How each module file renders; a file without a renderer takes only the pinned API versions and role IDs. */
const FILE_RENDERERS = new Map<string, (plan: Plan) => string>();
for (const concern of INFRA_CONCERNS) {
  for (const [file, render] of Object.entries(concern.files ?? {})) {
    if (FILE_RENDERERS.has(file)) throw new Error(`infra: two concerns render infra/modules/${file}.bicep`);
    FILE_RENDERERS.set(file, render);
  }
}

function activeModules(plan: Plan) {
  return ENVIRONMENT_MODULES.filter((m) => m.when?.(plan) ?? true);
}

/** The parameters of main.bicep, each with its value per environment. */
export function mainParams(plan: Plan): MainParam[] {
  return INFRA_CONCERNS.flatMap((concern) => concern.params?.(plan) ?? []);
}

export function mainVariables(plan: Plan): MainVariable[] {
  return INFRA_CONCERNS.flatMap((concern) => concern.variables?.(plan) ?? []);
}

export function existingResources(plan: Plan): ExistingResource[] {
  return INFRA_CONCERNS.flatMap((concern) => concern.existing?.(plan) ?? []);
}

export function mainOutputs(plan: Plan): MainOutput[] {
  return INFRA_CONCERNS.flatMap((concern) => concern.outputs?.(plan) ?? []);
}

/** The `module` blocks of main.bicep, in order. */
export function moduleCalls(plan: Plan): ModuleCall[] {
  return activeModules(plan).map((m) => ({
    why: typeof m.why === 'string' ? m.why : m.why(plan),
    symbol: m.symbol,
    file: m.file,
    scope: (typeof m.scope === 'function' ? m.scope(plan) : m.scope) ?? 'environmentGroup',
    ...(m.loop ? { loop: m.loop } : {}),
    ...(m.condition ? { condition: m.condition } : {}),
    params: m.params(plan),
    dependsOn: m.dependsOn?.(plan) ?? [],
  }));
}

/** The files of the modules main.bicep calls, each once. */
export function moduleFiles(plan: Plan): [string, string][] {
  const files = [...new Set(activeModules(plan).map((m) => m.file))];
  return files.map((file) => [
    `infra/modules/${file}.bicep`,
    (FILE_RENDERERS.get(file) ?? (() => renderModule(file)))(plan),
  ]);
}

/** The Bicep expression of each Flux variable a module's outputs provide. */
export function moduleFluxSources(plan: Plan): Map<string, string> {
  return new Map(activeModules(plan).flatMap((m) => m.flux?.(plan) ?? []));
}
