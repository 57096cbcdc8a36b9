import type { Plan } from '../plan/index.js';

/** The generated repository: relative path -> file content, in path order. */
export type FileMap = Map<string, string>;

/**
 * One output area (docs, infra, gitops, pipelines) registers the files it emits; the condition for each is in its code.
 * Areas read the Plan, which holds no answers; only the metadata area, which records them, takes the plan with them.
 */
export interface OutputArea<P extends Plan = Plan> {
  name: string;
  /** `emitted` holds the files of the areas before this one, so an index (a README, a kustomization) lists what exists. */
  render(plan: P, emitted: ReadonlyMap<string, string>): Iterable<readonly [path: string, content: string]>;
}
