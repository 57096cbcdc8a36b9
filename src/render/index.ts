import type { AnsweredPlan } from '../plan/index.js';
import type { FileMap, OutputArea } from './area.js';
import { docsArea } from './docs/index.js';
import { gitopsArea } from './gitops/index.js';
import { hybridArea } from './hybrid.js';
import { infraArea, infraReadmeArea } from './infra/index.js';
import { metaArea } from './meta.js';
import { pipelinesArea } from './pipelines/index.js';
import { psruleArea } from './psrule.js';

export type { FileMap, OutputArea } from './area.js';

/** Every area, in render order; docs comes last because it describes what the others emitted. Adding an area is one line here. */
export const AREAS: readonly OutputArea<AnsweredPlan>[] = [
  metaArea,
  infraArea,
  psruleArea,
  gitopsArea,
  hybridArea,
  pipelinesArea,
  infraReadmeArea,
  docsArea,
];

export function renderPlatform(plan: AnsweredPlan, areas: readonly OutputArea<AnsweredPlan>[] = AREAS): FileMap {
  const files = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const area of areas) {
    for (const [path, content] of area.render(plan, files)) {
      if (owner.has(path)) throw new Error(`render: ${area.name} and ${owner.get(path)} both emit ${path}`);
      if (path.startsWith('/') || path.split('/').includes('..'))
        throw new Error(`render: ${area.name} emits a path outside the repository: ${path}`);
      owner.set(path, area.name);
      files.set(path, content.endsWith('\n') ? content : `${content}\n`);
    }
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
