import type { EnvironmentPlan, Plan } from '../../plan/index.js';
import type { BicepValue } from './bicep.js';

// One infra concern (the environment, identities, network, observability, vault and registry, cluster, teams,
// ingress, alerts, policy, delivery, hybrid): what it adds to main.bicep (parameters with their value in each
// environment's parameter file, variables, existing resources, `module` blocks, outputs) and how its module files
// under infra/modules render. src/render/infra/modules.ts lists the concerns in the order main.bicep lays them out,
// so adding a concern, or a module to one, touches no other.

/** Parameters of a `module` block: name -> Bicep expression. */
export type Params = [string, string][];

/** A parameter of main.bicep and the value each environment's parameter file gives it. */
export interface MainParam {
  name: string;
  description: string;
  decorators: string[];
  type: string;
  value: (env: EnvironmentPlan) => BicepValue;
}

export interface MainVariable {
  why: string;
  name: string;
  value: string;
}

export interface ExistingResource {
  why: string;
  symbol: string;
  type: string;
  scope: string;
  name: string;
}

export interface MainOutput {
  name: string;
  type?: string;
  description: string;
  value: string;
}

export interface InfraModule {
  /** The Bicep symbol of its `module` block. */
  symbol: string;
  /** Its file, infra/modules/<file>.bicep; several entries may call one file. */
  file: string;
  /** Whether the plan has it; always when absent. */
  when?: (plan: Plan) => boolean;
  /** The why-comment above its `module` block. */
  why: string | ((plan: Plan) => string);
  /** The deployment scope; the environment resource group when absent. */
  scope?: string | ((plan: Plan) => string);
  loop?: string;
  /** A Bicep condition (per item with a loop): deployed only when it holds. */
  condition?: string;
  params: (plan: Plan) => Params;
  dependsOn?: (plan: Plan) => string[];
  /** Flux variables (plan/contracts fluxVariables) whose value is one of its outputs: name -> Bicep expression. */
  flux?: (plan: Plan) => [variable: string, expression: string][];
}

export interface InfraConcern {
  params?: (plan: Plan) => MainParam[];
  variables?: (plan: Plan) => MainVariable[];
  existing?: (plan: Plan) => ExistingResource[];
  /** Its `module` blocks, in the order main.bicep calls them. */
  modules?: readonly InfraModule[];
  outputs?: (plan: Plan) => MainOutput[];
  /** How its module files render when their templates need more than the pinned API versions and role IDs. */
  files?: Readonly<Record<string, (plan: Plan) => string>>;
}

/** The items when the condition holds, none otherwise: for the optional parts of the lists above. */
export function when<T>(condition: boolean, items: T[]): T[] {
  return condition ? items : [];
}
