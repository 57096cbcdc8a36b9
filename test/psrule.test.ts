import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { PSRULE_BASELINE, planExclusions, planSuppressions } from '../src/plan/psrule.js';
import { PSRULE_BASELINE_GROUP, PSRULE_OPTIONS_FILE } from '../src/render/psrule.js';
import { GITHUB_ACTIONS, PSRULE_MODULES } from '../src/versions.js';
import { render } from './support/generate.js';
import { STARTER_RANGES } from './support/presets.js';

// ps-rule.yaml is rendered from the plan: the suppressions follow the answers, each names its rule, its resources,
// a reason and a decision record that exists; the validate pipelines run PSRule for Azure with it.

interface Options {
  baseline: { group: Record<string, string> };
  rule?: { exclude: string[] };
  configuration: Record<string, unknown>;
  input: { pathIgnore: string[] };
  suppression?: Record<string, string[]>;
}

function options(preset?: string, sets: string[] = []) {
  const generation = render(preset, sets);
  const text = generation.files.get(PSRULE_OPTIONS_FILE)!;
  return { generation, text, options: parseYaml(text) as Options };
}

describe('ps-rule.yaml', () => {
  it('holds the baseline group the pipelines run, and expands every parameter file and the bootstrap template', () => {
    const { options: o, generation } = options('enterprise');
    expect(o.baseline.group).toEqual({ [PSRULE_BASELINE_GROUP]: PSRULE_BASELINE });
    expect(o.configuration).toMatchObject({
      AZURE_BICEP_PARAMS_FILE_EXPANSION: true,
      AZURE_BICEP_FILE_EXPANSION: true,
    });
    // Entry points are checked through their parameter files, modules through their entry points.
    const bicep = [...generation.files.keys()].filter((p) => p.endsWith('.bicep'));
    const ignored = (path: string) =>
      o.input.pathIgnore.some((pattern) =>
        pattern.endsWith('/**') ? path.startsWith(pattern.slice(0, -2)) : path === pattern,
      );
    expect(bicep.filter((p) => !ignored(p))).toEqual(['infra/bootstrap/pipeline-identity.bicep']);
    expect([...generation.files.keys()].filter((p) => p.endsWith('.bicepparam'))).toEqual([
      'infra/dev.bicepparam',
      'infra/fleet.bicepparam',
      'infra/hub.bicepparam',
      'infra/prod.bicepparam',
    ]);
  });

  it('gives every suppression and exclusion a reason and a link to a decision record that is written', () => {
    for (const preset of [undefined, 'starter', 'enterprise', 'multicloud']) {
      const { text, generation, options: o } = options(preset);
      const lines = text.split('\n');
      /** The comment lines right above the line that names a rule. */
      const commentAbove = (line: string) => {
        const at = lines.indexOf(line);
        expect(at, line).toBeGreaterThan(0);
        const above: string[] = [];
        for (let i = at - 1; i >= 0 && lines[i]!.trimStart().startsWith('#'); i--) above.unshift(lines[i]!.trim());
        return above.join('\n');
      };
      const comments = [
        ...Object.keys(o.suppression ?? {}).map((rule) => commentAbove(`  ${rule}:`)),
        ...(o.rule?.exclude ?? []).map((rule) => commentAbove(`    - ${rule}`)),
      ];
      expect(comments.length, String(preset)).toBeGreaterThan(2);
      for (const comment of comments) {
        const link = /# Decision: (docs\/decisions\/\d{4}-[a-z-]+\.md)$/m.exec(comment)?.[1];
        expect(link, comment).toBeDefined();
        expect(generation.files.has(link!), link).toBe(true);
        expect(comment.split('\n')[0]!.length, comment).toBeGreaterThan(40);
      }
    }
  });

  it('suppresses Azure.AKS.NetworkPolicy only while Cilium enforces network policy', () => {
    expect(options().options.suppression!['Azure.AKS.NetworkPolicy']).toEqual([
      'aks-core-dev-westeurope',
      'aks-core-prod-westeurope',
    ]);
    const azure = options(undefined, ['network.dataplane=azure', 'network.networkPolicy=azure']).options;
    expect(azure.suppression).not.toHaveProperty('Azure.AKS.NetworkPolicy');
  });

  it('cost choices: the uptime SLA and Grafana zone redundancy are suppressed for non-production only', () => {
    const s = options().options.suppression!;
    expect(s['Azure.AKS.UptimeSLA']).toEqual(['aks-core-dev-westeurope']);
    expect(s['Azure.Grafana.AvailabilityZone']).toEqual(['amg-core-dev']);
    const noGrafana = options(undefined, ['observability.managedGrafana=false']).options.suppression!;
    expect(noGrafana).not.toHaveProperty('Azure.Grafana.AvailabilityZone');
  });

  it('node minimums: suppressed per cluster below 3 nodes, and gone once production is sized at 3', () => {
    expect(options().options.suppression!['Azure.AKS.MinNodeCount']).toEqual([
      'aks-core-dev-westeurope',
      'aks-core-prod-westeurope',
    ]);
    const sized = options(undefined, ['environments.1.systemPool.minCount=3', 'environments.1.userPool.minCount=3']);
    expect(sized.options.suppression!['Azure.AKS.MinNodeCount']).toEqual(['aks-core-dev-westeurope']);
    expect(sized.options.suppression!['Azure.AKS.MinUserPoolNodes']).toEqual(['aks-core-dev-westeurope']);
    expect(sized.text).not.toContain('environments.1.systemPool.minCount');
    expect(options().text).toContain('raise environments.1.systemPool.minCount to 3');
  });

  it('authorized IP ranges: suppressed with the reason only while a non-production public API server has none', () => {
    const missing = options(undefined, ['cluster.privateCluster=false', 'environments.1.production=false']);
    expect(missing.options.suppression!['Azure.AKS.AuthorizedIPs']).toEqual([
      'aks-core-dev-westeurope',
      'aks-core-prod-westeurope',
    ]);
    expect(missing.text).toContain('never guesses them');
    expect(missing.generation.plan.omissions.map((o) => o.what)).toContain('API server authorized IP ranges');
    const given = options(undefined, ['cluster.privateCluster=false', STARTER_RANGES]).options.suppression!;
    expect(given).not.toHaveProperty('Azure.AKS.AuthorizedIPs');
    expect(options().options.suppression).not.toHaveProperty('Azure.AKS.AuthorizedIPs');
  });

  it('follows the other answers: Kubernetes RBAC, the oss stack, Defender off, Unmanaged node OS, zoneless pools', () => {
    const multicloud = options('multicloud').options.suppression!;
    expect(Object.keys(multicloud)).toEqual(
      expect.arrayContaining(['Azure.AKS.AzureRBAC', 'Azure.AKS.ContainerInsights']),
    );
    const starter = options('starter').options.suppression!;
    expect(starter['Azure.AKS.DefenderProfile']).toEqual(['aks-core-dev-westeurope', 'aks-core-prod-westeurope']);
    expect(starter['Azure.AKS.NodeAutoUpgrade']).toHaveLength(2);
    expect(starter['Azure.AKS.AvailabilityZone']).toEqual(['aks-core-dev-westeurope']);
    const enterprise = options('enterprise').options.suppression!;
    for (const rule of [
      'Azure.AKS.AzureRBAC',
      'Azure.AKS.ContainerInsights',
      'Azure.AKS.DefenderProfile',
      'Azure.AKS.AvailabilityZone',
    ])
      expect(enterprise, rule).not.toHaveProperty(rule);
    // Enterprise's fleet rolls node images, so its clusters carry no node OS channel of their own: a choice, with
    // the multi-cluster updates record as its reason; without the fleet the NodeImage channel needs none.
    expect(enterprise['Azure.AKS.NodeAutoUpgrade']).toEqual(['aks-core-dev-westeurope', 'aks-core-prod-westeurope']);
    expect(options('enterprise').generation.files.get('ps-rule.yaml')).toMatch(
      /Fleet Manager's node image auto-upgrade/,
    );
    const noFleet = options('enterprise', ['fleet.enabled=false']).options.suppression!;
    expect(noFleet).not.toHaveProperty('Azure.AKS.NodeAutoUpgrade');
  });

  it("hub: only Bastion's NSG is suppressed for lateral traversal, under the name the hub template gives it", () => {
    const { options: o, generation } = options('enterprise');
    expect(o.suppression!['Azure.NSG.LateralTraversal']).toEqual(['nsg-vnet-core-hub-westeurope-bastion']);
    expect(generation.files.get('infra/modules/hub-network.bicep')).toContain(
      "name: 'nsg-${virtualNetworkName}-bastion'",
    );
    expect(generation.files.get('infra/hub.bicepparam')).toContain("virtualNetworkName = 'vnet-core-hub-westeurope'");
    expect(options().options.suppression).not.toHaveProperty('Azure.NSG.LateralTraversal');
  });

  it('single region: registries are left out of geo-replication by rule, workspaces suppressed by name; Event Hubs only when streamed', () => {
    const { plan } = render('multicloud');
    expect(planExclusions(plan).map((e) => e.rule)).toEqual([
      'Azure.EventHub.DisableLocalAuth',
      'Azure.ACR.GeoReplica',
    ]);
    expect(planExclusions(render().plan).map((e) => e.rule)).toEqual(['Azure.ACR.GeoReplica']);
    expect(
      planSuppressions(render('enterprise').plan).find((s) => s.rule === 'Azure.Log.Replication')?.targets,
    ).toEqual(['log-core-dev-westeurope', 'log-core-prod-westeurope', 'log-core-hub-westeurope']);
  });
});

describe('PSRule for Azure in the validate pipelines', () => {
  const generation = render('enterprise', ['delivery.github.owner=contoso', 'delivery.azureDevOps=true']);

  it('GitHub: the microsoft/ps-rule action pinned by SHA, the pinned module, the options file and a job summary, read-only', () => {
    const workflow = parseYaml(generation.files.get('.github/workflows/validate.yml')!) as {
      on: Record<string, unknown>;
      jobs: Record<
        string,
        { permissions: unknown; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }
      >;
    };
    expect(Object.keys(workflow.on)).toContain('pull_request');
    const job = workflow.jobs.psrule!;
    expect(job.permissions).toEqual({ contents: 'read' });
    const action = job.steps.find((s) => s.uses?.startsWith('microsoft/ps-rule@'))!;
    expect(action.uses).toBe(`microsoft/ps-rule@${GITHUB_ACTIONS['microsoft/ps-rule'].sha}`);
    expect(action.uses).toMatch(/@[0-9a-f]{40}$/);
    expect(action.with).toMatchObject({
      modules: 'PSRule.Rules.Azure',
      option: PSRULE_OPTIONS_FILE,
      baseline: `@${PSRULE_BASELINE_GROUP}`,
      summary: true,
    });
    const install = job.steps.find((s) => s.run?.includes('Install-Module'))!.run!;
    expect(install).toContain(`-Name PSRule.Rules.Azure -RequiredVersion ${PSRULE_MODULES['PSRule.Rules.Azure']}`);
    expect(install.indexOf('-Name PSRule ')).toBeLessThan(install.indexOf('-Name PSRule.Rules.Azure'));
    expect(JSON.stringify(job)).not.toMatch(/azure\/login|id-token/);
  });

  it('Azure DevOps: the same check with PowerShell steps, the summary uploaded and the results published', () => {
    const pipeline = parseYaml(generation.files.get('.azure-pipelines/validate.yml')!) as {
      jobs: { job: string; steps: Record<string, unknown>[] }[];
    };
    const job = pipeline.jobs.find((j) => j.job === 'psrule')!;
    const text = JSON.stringify(job);
    expect(text).toContain(`-Baseline '@${PSRULE_BASELINE_GROUP}' -Option ${PSRULE_OPTIONS_FILE}`);
    expect(text).toContain('##vso[task.uploadsummary]');
    expect(text).toContain(`-RequiredVersion ${PSRULE_MODULES['PSRule.Rules.Azure']}`);
    expect(job.steps.some((s) => s.task === 'PublishTestResults@2')).toBe(true);
    expect(text).not.toContain('AzureCLI@2');
  });
});
