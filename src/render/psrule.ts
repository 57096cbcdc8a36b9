import { Document, isMap, isScalar, isSeq } from 'yaml';
import { planDeployments } from '../plan/contracts.js';
import type { Plan } from '../plan/index.js';
import { PSRULE_BASELINE, planExclusions, planSuppressions } from '../plan/psrule.js';
import { PSRULE_MODULES } from '../versions.js';
import { decisionRecordPath } from './docs/index.js';
import type { OutputArea } from './area.js';
import { BOOTSTRAP_MODULE } from './pipelines/bootstrap.js';

// ps-rule.yaml: how PSRule for Azure checks this repository, and the rules the platform fails on purpose, each with
// its reason and the decision record that made the choice. Built from the plan, so it follows the answers.

export const PSRULE_OPTIONS_FILE = 'ps-rule.yaml';

/** The baseline group the pipelines pass as `@platform`, so the baseline itself is chosen in ps-rule.yaml. */
export const PSRULE_BASELINE_GROUP = 'platform';

function comment(lines: string[]): string {
  return lines.map((line) => ` ${line}`).join('\n');
}

export function renderPsRuleOptions(plan: Plan): string {
  const suppressions = planSuppressions(plan);
  const exclusions = planExclusions(plan);
  const link = (slug: Parameters<typeof decisionRecordPath>[1]) => `Decision: ${decisionRecordPath(plan, slug)}`;
  const entryTemplates = [...new Set(planDeployments(plan).map((d) => d.template))];
  const data: Record<string, unknown> = {
    requires: { 'PSRule.Rules.Azure': `>=${PSRULE_MODULES['PSRule.Rules.Azure']}` },
    include: { module: ['PSRule.Rules.Azure'] },
    baseline: { group: { [PSRULE_BASELINE_GROUP]: PSRULE_BASELINE } },
    ...(exclusions.length > 0 ? { rule: { exclude: exclusions.map((e) => e.rule) } } : {}),
    configuration: {
      AZURE_BICEP_PARAMS_FILE_EXPANSION: true,
      AZURE_BICEP_FILE_EXPANSION: true,
      AZURE_BICEP_CHECK_TOOL: true,
    },
    input: { pathIgnore: ['infra/modules/**', ...entryTemplates, BOOTSTRAP_MODULE] },
    execution: { unprocessedObject: 'Ignore', ruleSuppressed: 'Ignore' },
    output: { culture: ['en-US'] },
    ...(suppressions.length > 0
      ? { suppression: Object.fromEntries(suppressions.map((s) => [s.rule, [...s.targets].sort()])) }
      : {}),
  };
  const doc = new Document(data);
  doc.commentBefore = comment([
    "PSRule for Azure: Microsoft's Well-Architected rules over the Bicep of this repository, on every pull request.",
    `Every failure outside the suppressions below fails the check. Why this baseline, and how to tighten it: ${decisionRecordPath(plan, 'well-architected-baseline')}`,
    'Generated from the answers: regenerate (aks-platform upgrade) rather than editing the suppressions by hand.',
  ]);
  const setComment = (path: string[], lines: string[]) => {
    const node = doc.getIn(path, true);
    if (!node || typeof node !== 'object') throw new Error(`psrule: no node at ${path.join('.')}`);
    (node as { commentBefore?: string }).commentBefore = comment(lines);
  };
  setComment(
    ['baseline'],
    [`The pipelines run the baseline named by this group (-Baseline @${PSRULE_BASELINE_GROUP}).`],
  );
  setComment(
    ['configuration'],
    [
      'Each .bicepparam is expanded with the template it uses, as a deployment would; the bootstrap template, which has',
      'no parameter file, is expanded with its defaults. Modules and entry points are checked through them.',
    ],
  );
  const rule = doc.get('rule', true);
  const excluded = isMap(rule) ? rule.get('exclude', true) : undefined;
  if (isSeq(excluded)) {
    excluded.items.forEach((item, i) => {
      const e = exclusions[i]!;
      if (isScalar(item)) item.commentBefore = comment([e.reason, link(e.decision)]);
    });
  }
  const suppression = doc.get('suppression', true);
  if (isMap(suppression)) {
    for (const pair of suppression.items) {
      const s = suppressions.find((x) => isScalar(pair.key) && x.rule === pair.key.value)!;
      if (isScalar(pair.key)) pair.key.commentBefore = comment([s.reason, link(s.decision)]);
    }
  }
  return doc.toString({ lineWidth: 0 });
}

export const psruleArea: OutputArea = {
  name: 'psrule',
  *render(plan) {
    yield [PSRULE_OPTIONS_FILE, renderPsRuleOptions(plan)];
  },
};
