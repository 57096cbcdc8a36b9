import type { Plan } from '../plan/index.js';

/** The generated repository: relative path -> file content, in path order. */
export type FileMap = Map<string, string>;

/** One output area (docs, infra, gitops, pipelines) registers the files it emits; the condition for each is in its code. */
export interface OutputArea {
  name: string;
  /** `emitted` holds the files of the areas before this one, so an index (a README, a kustomization) lists what exists. */
  render(plan: Plan, emitted: ReadonlyMap<string, string>): Iterable<readonly [path: string, content: string]>;
}
