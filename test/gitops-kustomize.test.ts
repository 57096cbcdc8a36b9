import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { composeAnswers } from '../src/answers/load.js';
import { generatePlatform } from '../src/generate.js';
import { SPOT } from '../src/plan/gitops.js';
import { SCENARIOS } from './support/gitops-scenarios.js';
import { crdValidators, formatProblems, manifestProblems } from './support/k8s.js';
import { commandMissing } from './support/tools.js';
import { completeSets } from './support/presets.js';

const renderScenario = (s: { preset?: string; sets?: string[] }) =>
  generatePlatform(composeAnswers({ preset: s.preset, sets: completeSets(s.preset, s.sets) }), s.preset);

describe('gitops: kustomize builds every entry point (kubectl kustomize)', () => {
  const skip = commandMissing('kubectl', ['version', '--client'], 'install kubectl (apt-get install kubectl)');
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test
    .skipIf(skip)
    .each(
      SCENARIOS.filter((s) =>
        [
          'starter',
          'multicloud',
          'aad-pod-identity on starter (spot, kured)',
          'spot teams',
          'kubernetes-rbac with groups and admins',
          'oss with Elasticsearch',
        ].includes(s.name),
      ),
    )('$name', (scenario) => {
    const r = renderScenario(scenario);
    const dir = mkdtempSync(join(tmpdir(), 'gitops-'));
    dirs.push(dir);
    for (const [path, content] of r.files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const crds = crdValidators();
    const targets = [...r.files.keys()].filter((p) => p.endsWith('/kustomization.yaml')).map(dirname);
    for (const target of targets) {
      const built = execFileSync('kubectl', ['kustomize', join(dir, target)], { encoding: 'utf8' });
      const problems = manifestProblems(new Map([[`${target}/built.yaml`, built]]), crds);
      expect(formatProblems(problems), target).toBe('');
    }
    for (const env of r.plan.environments) {
      if (!r.files.has(`apps/${env.name}/kustomization.yaml`)) continue;
      const built = execFileSync('kubectl', ['kustomize', join(dir, 'apps', env.name)], { encoding: 'utf8' });
      for (const team of r.plan.teams) {
        const onSpot = team.useSpot && env.pools.some((p) => p.spot);
        const deployment = parseAllDocuments(built)
          .map((d) => d.toJS())
          .find((d) => d.kind === 'Deployment' && d.metadata.namespace === team.namespace);
        expect(JSON.stringify(deployment).includes(SPOT.key), `${env.name}/${team.name}`).toBe(onSpot);
        expect(deployment.spec.replicas).toBe(env.production ? 2 : 1);
      }
    }
  });
});
