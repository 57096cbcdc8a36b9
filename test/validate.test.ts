import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRepository, type ValidationReport } from '../src/validate/repository.js';
import type { Finding } from '../src/validate/finding.js';
import { GENERATOR_VERSION } from '../src/versions.js';
import { writeRepository } from '../src/write/index.js';
import { runCliAsync } from './support/cli.js';
import { render, tempDir } from './support/generate.js';
import { SCHEMAS_DIR } from './support/k8s.js';
import { edit, lineOf } from './support/mutation.js';
import { bicepPath, missingTool } from './support/tools.js';
import { pairwiseScenarios } from './support/bicep.js';
import { AUTOMATIC_SETS } from './support/presets.js';

// `aks-platform validate` over generated repositories (clean) and mutated copies (each rule must catch its mutation,
// at the right file and line).

const root = tempDir('aks-platform-validate-');
let n = 0;
const NO_BICEP = join(root, 'no-bicep-here');

function generate(preset?: string, sets: string[] = []): string {
  const dir = join(root, `repo-${++n}`);
  writeRepository(dir, render(preset, ['delivery.github.owner=contoso', ...sets]).files, {
    force: false,
    git: false,
    commitMessage: '',
  });
  return dir;
}

function copy(dir: string): string {
  const target = join(root, `copy-${++n}`);
  cpSync(dir, target, { recursive: true });
  return target;
}

const errors = (report: ValidationReport) => report.findings.filter((f) => f.severity === 'error');
const validate = (dir: string, bicep = NO_BICEP) => validateRepository(dir, { bicep, schemasDir: SCHEMAS_DIR });

function only(report: ValidationReport, rule: string): Finding[] {
  return report.findings.filter((f) => f.rule === rule);
}

describe('generated repositories validate clean', () => {
  const combos: [string | undefined, string[]][] = [
    [undefined, []],
    ['starter', []],
    ['enterprise', ['delivery.azureDevOps=true']],
    ['multicloud', ['identity.podIdentity=aad-pod-identity', 'upgrades.nodeOsUpgradeChannel=Unmanaged']],
    ['enterprise', ['ingress.implementation=application-gateway-for-containers', 'ingress.certificateName=wildcard']],
  ];
  it.each(combos)('%s %j: schemas, workflows, pipelines and consistency', async (preset, sets) => {
    const report = await validate(generate(preset, sets));
    expect(errors(report), JSON.stringify(errors(report), null, 1)).toEqual([]);
    expect(report.checks.find((c) => c.name === 'bicep')?.status).toBe('skipped');
    expect(report.checks.filter((c) => c.status === 'ran').map((c) => c.name)).toEqual(
      expect.arrayContaining(['kubernetes', 'github-workflows', 'consistency']),
    );
  });

  it('every pairwise combination of the Bicep tests validates clean too (schemas, workflows, pipelines, rules)', async () => {
    const dirty: string[] = [];
    for (const scenario of pairwiseScenarios()) {
      const dir = join(root, scenario.name);
      writeRepository(dir, render(scenario.preset, [...scenario.sets, 'delivery.azureDevOps=true']).files, {
        force: false,
        git: false,
        commitMessage: '',
      });
      const found = errors(await validate(dir));
      if (found.length > 0) dirty.push(`${scenario.name}: ${JSON.stringify(found)}`);
    }
    expect(dirty).toEqual([]);
  });

  const bicep = bicepPath();
  const skipBicep = !bicep && missingTool('Bicep CLI', 'run `node scripts/install-tools.mjs` (npm test does)');
  it.skipIf(skipBicep)('with the Bicep CLI: build-params and lint of every entry point report nothing', async () => {
    const report = await validate(generate('enterprise'), bicep);
    expect(report.checks.find((c) => c.name === 'bicep')?.status).toBe('ran');
    expect(report.findings, JSON.stringify(report.findings, null, 1)).toEqual([]);
  });

  it.skipIf(skipBicep)(
    'arm-template-limits: a team loop the compiled deployment cannot hold, on each parameter file that deploys it',
    async () => {
      const dir = generate();
      // 790 teams: under the 800 iterations of one copy loop, over the 800 resources of one template with the platform's.
      const team = (i: number) =>
        `  {\n    namespace: 'team-${i}'\n    serviceAccount: 'team-${i}-workload'\n    identityName: 'id-team-${i}-\${environmentName}'\n  }\n`;
      edit(dir, 'infra/main.bicep', (t) =>
        t.replace(/^var teams = \[\n/m, `var teams = [\n${Array.from({ length: 789 }, (_, i) => team(i)).join('')}`),
      );
      const findings = (await validate(dir, bicep)).findings;
      const params = ['infra/dev.bicepparam', 'infra/prod.bicepparam'];
      expect(findings).toEqual(
        params.map((file) =>
          expect.objectContaining({
            rule: 'arm-template-limits',
            file,
            line: lineOf(dir, file, 'using '),
            message: expect.stringMatching(
              /the template has \d+ resources in a template, copy loops counted in full; ARM allows 800/,
            ),
          }),
        ),
      );
    },
    600_000,
  );

  it('a consistent hand edit (a second team added with all its parts) stays clean', async () => {
    const dir = generate();
    const team = join(dir, 'apps/base/team-b');
    cpSync(join(dir, 'apps/base/team-a'), team, { recursive: true });
    for (const file of [
      'deployment.yaml',
      'kustomization.yaml',
      'limit-range.yaml',
      'namespace.yaml',
      'network-policies.yaml',
      'resource-quota.yaml',
      'secret-provider-class.yaml',
      'service-account.yaml',
    ]) {
      try {
        edit(dir, `apps/base/team-b/${file}`, (t) => t.replaceAll('team-a', 'team-b').replaceAll('TEAM_A_', 'TEAM_B_'));
      } catch {
        // A file without the team name needs no change.
      }
    }
    edit(dir, 'apps/base/kustomization.yaml', (t) => t.replace('  - team-a\n', '  - team-a\n  - team-b\n'));
    // Its Azure side: an identity federated with its service account, and its client ID passed on to Flux.
    edit(dir, 'infra/main.bicep', (t) =>
      t
        .replace(
          "    identityName: 'id-team-a-${environmentName}'\n  }\n]",
          "    identityName: 'id-team-a-${environmentName}'\n  }\n  {\n    namespace: 'team-b'\n    serviceAccount: 'team-b-workload'\n    identityName: 'id-team-b-${environmentName}'\n  }\n]",
        )
        .replace(
          '  TEAM_A_CLIENT_ID: teamIdentities[0].outputs.clientId\n',
          '  TEAM_A_CLIENT_ID: teamIdentities[0].outputs.clientId\n  TEAM_B_CLIENT_ID: teamIdentities[1].outputs.clientId\n',
        ),
    );
    for (const env of ['dev', 'prod']) {
      edit(dir, `clusters/${env}/apps.yaml`, (t) =>
        t.replace(
          '      TEAM_A_CLIENT_ID: ${TEAM_A_CLIENT_ID}\n',
          '      TEAM_A_CLIENT_ID: ${TEAM_A_CLIENT_ID}\n      TEAM_B_CLIENT_ID: ${TEAM_B_CLIENT_ID}\n',
        ),
      );
    }
    expect(errors(await validate(dir))).toEqual([]);
  });
});

describe('each rule catches its mutation at the right file and line', () => {
  const base = generate('starter', [
    'identity.authorization=kubernetes-rbac',
    'teams.0.entraGroupObjectId=5b1d1b3c-8f4e-4a47-9a55-0c1c36f0a7a1',
  ]);

  it('flux-path: a Flux Kustomization pointing at a missing folder', async () => {
    const dir = copy(base);
    edit(dir, 'clusters/dev/apps.yaml', (t) => t.replace('path: ./apps/dev', 'path: ./apps/staging'));
    const [finding, ...rest] = only(await validate(dir), 'flux-path');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      file: 'clusters/dev/apps.yaml',
      line: lineOf(dir, 'clusters/dev/apps.yaml', 'path: ./apps/staging'),
      severity: 'error',
    });
  });

  it('kustomization-resource: a listed file that does not exist', async () => {
    const dir = copy(base);
    edit(dir, 'apps/base/team-a/kustomization.yaml', (t) =>
      t.replace('resources:\n', 'resources:\n  - ingress.yaml\n'),
    );
    expect(only(await validate(dir), 'kustomization-resource')).toEqual([
      expect.objectContaining({
        file: 'apps/base/team-a/kustomization.yaml',
        line: lineOf(dir, 'apps/base/team-a/kustomization.yaml', 'ingress.yaml'),
      }),
    ]);
  });

  it('helm-source: a HelmRelease whose repository is not defined', async () => {
    const dir = copy(base);
    const release = 'infrastructure/controllers/kured/release.yaml';
    const repository = readFileSync(join(dir, 'infrastructure/controllers/kured/repository.yaml'), 'utf8');
    const name = /name: (\S+)/.exec(repository)![1]!;
    edit(dir, 'infrastructure/controllers/kured/repository.yaml', (t) =>
      t.replace(`name: ${name}`, `name: ${name}-renamed`),
    );
    const findings = only(await validate(dir), 'helm-source');
    expect(findings).toEqual([expect.objectContaining({ file: release, line: lineOf(dir, release, 'sourceRef:') })]);
  });

  it('environments: a parameter file without cluster entry points, and a pipeline deploying a missing one', async () => {
    const dir = copy(base);
    rmSync(join(dir, 'clusters/prod'), { recursive: true });
    edit(dir, '.github/workflows/infra.yml', (t) => t.replaceAll('infra/dev.bicepparam', 'infra/qa.bicepparam'));
    const findings = only(await validate(dir), 'environments');
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'infra/prod.bicepparam', line: 1 }),
        expect.objectContaining({
          file: '.github/workflows/infra.yml',
          line: lineOf(dir, '.github/workflows/infra.yml', 'infra/qa.bicepparam'),
          message: expect.stringContaining('infra/qa.bicepparam, which does not exist'),
        }),
        expect.objectContaining({
          file: '.github/workflows/infra.yml',
          message: expect.stringContaining('never deploys infra/dev.bicepparam'),
        }),
      ]),
    );
  });

  it('spot-toleration: a platform component tolerating spot nodes', async () => {
    const dir = copy(base);
    mkdirSync(join(dir, 'infrastructure/controllers/extra'));
    writeFileSync(
      join(dir, 'infrastructure/controllers/extra/deployment.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: extra\n  namespace: kured\nspec:\n  selector:\n    matchLabels:\n      app: extra\n  template:\n    metadata:\n      labels:\n        app: extra\n    spec:\n      tolerations:\n        - key: kubernetes.azure.com/scalesetpriority\n          operator: Equal\n          value: spot\n          effect: NoSchedule\n      containers:\n        - name: extra\n          image: registry.k8s.io/pause:3.10\n',
    );
    expect(only(await validate(dir), 'spot-toleration')).toEqual([
      expect.objectContaining({ file: 'infrastructure/controllers/extra/deployment.yaml', line: 16 }),
    ]);
  });

  it('spot-toleration: team workloads sent to spot where there is no spot pool, or the team did not ask for it', async () => {
    const noPool = copy(base);
    edit(noPool, 'infra/dev.bicepparam', (t) => t.replace('spot: true', 'spot: false'));
    expect(only(await validate(noPool), 'spot-toleration')).toEqual([
      expect.objectContaining({
        file: 'apps/dev/kustomization.yaml',
        line: lineOf(noPool, 'apps/dev/kustomization.yaml', '- patch:'),
        message: expect.stringContaining('has no spot pool'),
      }),
    ]);
    const notMeant = copy(base);
    edit(notMeant, '.yo-rc.json', (t) => t.replace('"useSpot": true', '"useSpot": false'));
    expect(only(await validate(notMeant), 'spot-toleration').map((f) => f.message)).toEqual([
      expect.stringContaining('do not ask for spot'),
    ]);
    expect(only(await validate(base), 'spot-toleration')).toEqual([]);
  });

  it('rbac-exclusive: a RoleBinding to an Entra group when the cluster uses Azure RBAC', async () => {
    const dir = generate('enterprise', ['teams.0.entraGroupObjectId=5b1d1b3c-8f4e-4a47-9a55-0c1c36f0a7a1']);
    writeFileSync(
      join(dir, 'apps/base/team-a/role-binding.yaml'),
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: team-a-edit\n  namespace: team-a\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n  - apiGroup: rbac.authorization.k8s.io\n    kind: Group\n    name: 5b1d1b3c-8f4e-4a47-9a55-0c1c36f0a7a1\n',
    );
    expect(only(await validate(dir), 'rbac-exclusive')).toEqual([
      expect.objectContaining({ file: 'apps/base/team-a/role-binding.yaml', line: 10 }),
    ]);
    expect(only(await validate(base), 'rbac-exclusive')).toEqual([]);
  });

  it('flux-tenancy: a HelmRelease without targetNamespace, and Flux objects outside the Flux namespace', async () => {
    const release = 'infrastructure/controllers/kured/release.yaml';
    const repository = 'infrastructure/controllers/kured/repository.yaml';
    const untargeted = copy(base);
    edit(untargeted, release, (t) => t.replace(/^ {2}targetNamespace: kured\n/m, ''));
    expect(errors(await validate(untargeted))).toEqual([
      expect.objectContaining({
        rule: 'flux-tenancy',
        file: release,
        line: lineOf(untargeted, release, 'spec:'),
        message: expect.stringContaining('has no spec.targetNamespace'),
      }),
    ]);
    // Both moved to the workload namespace, as before the fix: the controllers have no flux-applier there.
    const moved = copy(base);
    for (const file of [release, repository])
      edit(moved, file, (t) => t.replace('namespace: flux-system', 'namespace: kured'));
    expect(errors(await validate(moved))).toEqual([
      expect.objectContaining({
        rule: 'flux-tenancy',
        file: release,
        line: lineOf(moved, release, 'namespace: kured'),
        message: expect.stringContaining('no flux-applier account'),
      }),
      expect.objectContaining({
        rule: 'flux-tenancy',
        file: repository,
        line: lineOf(moved, repository, 'namespace: kured'),
      }),
    ]);
    const crossNamespace = copy(base);
    edit(crossNamespace, release, (t) =>
      t.replace('      sourceRef:\n', '      sourceRef:\n        namespace: kured\n'),
    );
    expect(errors(await validate(crossNamespace))).toEqual([
      // helm-source agrees: no HelmRepository kured/kured exists.
      expect.objectContaining({ rule: 'helm-source', file: release }),
      expect.objectContaining({
        rule: 'flux-tenancy',
        file: release,
        line: lineOf(crossNamespace, release, 'namespace: kured'),
        message: expect.stringContaining('takes its source from namespace kured'),
      }),
    ]);
  });

  it('workload-disruption: a team workload with two replicas in prod and no PodDisruptionBudget', async () => {
    const dir = copy(base);
    rmSync(join(dir, 'apps/base/team-a/pod-disruption-budget.yaml'));
    edit(dir, 'apps/base/team-a/kustomization.yaml', (t) => t.replace('  - pod-disruption-budget.yaml\n', ''));
    const deployment = 'apps/base/team-a/deployment.yaml';
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'workload-disruption',
        file: deployment,
        line: lineOf(dir, deployment, '  selector:'),
        message: expect.stringContaining('runs 2 replicas (apps/prod/kustomization.yaml)'),
      }),
    ]);
  });

  it('secret-dependency: a layer that waits for the apps, whose pods mount secrets people write', async () => {
    const dir = copy(base);
    const file = 'clusters/dev/infrastructure.yaml';
    edit(dir, file, (t) =>
      t.replace(/(name: infra-controllers\n {2}namespace: flux-system\nspec:\n)/, '$1  dependsOn:\n    - name: apps\n'),
    );
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'secret-dependency',
        file,
        line: lineOf(dir, file, '- name: apps'),
        message: expect.stringContaining('depends on apps, whose workloads mount Key Vault secrets that people write'),
      }),
    ]);
  });

  it('kured-window: a Kured window in the hours dev is stopped, from either side of the contract', async () => {
    const release = 'infrastructure/controllers/kured/release.yaml';
    // Kured's old default, nightly: dev runs on working days 07:00-19:00 Europe/Amsterdam only.
    const night = copy(base);
    edit(night, release, (t) =>
      t.replace('startTime: "09:00"', 'startTime: "01:00"').replace('endTime: "15:00"', 'endTime: "05:00"'),
    );
    expect(errors(await validate(night))).toEqual([
      expect.objectContaining({
        rule: 'kured-window',
        file: release,
        line: lineOf(night, release, 'startTime:'),
        message: expect.stringContaining(
          "Kured's reboot window (mo, tu, we, th, fr 01:00-05:00 UTC) has no whole window in the hours .github/workflows/stop-start.yml keeps dev running",
        ),
      }),
    ]);
    // The pipeline side: dev now stops at 11:00 local, before the window can end (15:00 UTC).
    const early = copy(base);
    edit(early, '.github/workflows/stop-start.yml', (t) =>
      t.replaceAll('0 18 * * 1,2,3,4,5', '0 10 * * 1,2,3,4,5').replaceAll('0 17 * * 1,2,3,4,5', '0 9 * * 1,2,3,4,5'),
    );
    expect(errors(await validate(early))).toEqual([
      expect.objectContaining({ rule: 'kured-window', file: release, line: lineOf(early, release, 'startTime:') }),
    ]);
    // A window that ends before it starts never opens.
    const reversed = copy(base);
    edit(reversed, release, (t) => t.replace('endTime: "15:00"', 'endTime: "08:00"'));
    expect(errors(await validate(reversed)).map((f) => f.rule)).toEqual(['kured-window']);
  });

  it('grafana-admin: kube-prometheus-stack with the default Grafana login, or a password in the repository', async () => {
    const oss = generate('multicloud');
    expect(errors(await validate(oss))).toEqual([]);
    const release = 'infrastructure/controllers/kube-prometheus-stack/release.yaml';
    const defaultLogin = copy(oss);
    edit(defaultLogin, release, (t) => t.replace(/^ {8}existingSecret: grafana-admin\n/m, ''));
    expect(errors(await validate(defaultLogin))).toEqual([
      expect.objectContaining({
        rule: 'grafana-admin',
        file: release,
        line: lineOf(defaultLogin, release, '    grafana:'),
        message: expect.stringContaining("the chart's default login (admin / prom-operator)"),
      }),
    ]);
    const literal = copy(oss);
    edit(literal, release, (t) => t.replace('      admin:\n', '      adminPassword: hunter2hunter2\n      admin:\n'));
    expect(errors(await validate(literal))).toEqual([
      expect.objectContaining({
        rule: 'grafana-admin',
        file: release,
        line: lineOf(literal, release, 'adminPassword: hunter2'),
        message: expect.stringContaining('a password written in the repository'),
      }),
    ]);
  });

  it('kubernetes-schema: a misspelt key', async () => {
    const dir = copy(base);
    edit(dir, 'apps/base/team-a/namespace.yaml', (t) => t.replace('labels:', 'lables:'));
    expect(only(await validate(dir), 'kubernetes-schema')).toEqual([
      expect.objectContaining({ file: 'apps/base/team-a/namespace.yaml', message: expect.stringContaining('lables') }),
    ]);
  });

  it('github-workflow: a workflow GitHub would reject', async () => {
    const dir = copy(base);
    edit(dir, '.github/workflows/validate.yml', (t) => t.replace('runs-on:', 'run-on:'));
    const findings = report(await validate(dir)).filter((f) => f.rule.startsWith('github-workflow/'));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.file === '.github/workflows/validate.yml')).toBe(true);
  });
});

describe('rules joining the Bicep with the rest of the repository', () => {
  const hub = generate('enterprise', ['upgrades.nodeOsUpgradeChannel=Unmanaged']);

  it('generated repositories break none of them', async () => {
    const findings = (await validate(hub)).findings.filter((f) =>
      [
        'egress-route',
        'kubenet-route-table',
        'private-cluster-dns',
        'flux-config-path',
        'kured-channel',
        'addon-fqdns',
        'chart-egress',
        'firewall-tunnel-ports',
        'flux-tenancy',
        'workload-identity',
        'deployment-secrets',
      ].includes(f.rule),
    );
    expect(findings).toEqual([]);
  });

  it('egress-route: userDefinedRouting without the route on the node subnet', async () => {
    const dir = copy(hub);
    edit(dir, 'infra/modules/network.bicep', (t) =>
      t.replace(/(name: 'snet-nodes'[\s\S]*?)routeTable: \{\n\s*id: routeTable.id\n\s*\}\n/, '$1'),
    );
    expect(only(await validate(dir), 'egress-route')).toEqual([
      expect.objectContaining({
        file: 'infra/modules/cluster.bicep',
        line: lineOf(dir, 'infra/modules/cluster.bicep', "outboundType: 'userDefinedRouting'"),
        message: expect.stringContaining('no route table'),
      }),
    ]);
  });

  it('egress-route: a route to the firewall without userDefinedRouting', async () => {
    const dir = copy(hub);
    edit(dir, 'infra/modules/cluster.bicep', (t) =>
      t.replace("outboundType: 'userDefinedRouting'", "outboundType: 'loadBalancer'"),
    );
    expect(only(await validate(dir), 'egress-route')).toEqual([
      expect.objectContaining({
        file: 'infra/modules/network.bicep',
        line: lineOf(dir, 'infra/modules/network.bicep', "addressPrefix: '0.0.0.0/0'"),
      }),
    ]);
  });

  it('kubenet-route-table: kubenet without its route table on the node subnet, or without the role on it', async () => {
    const kubenet = generate('starter', [
      'network.plugin=kubenet',
      'network.dataplane=azure',
      'network.networkPolicy=calico',
    ]);
    expect(errors(await validate(kubenet))).toEqual([]);
    const cluster = 'infra/modules/cluster.bicep';
    const detached = copy(kubenet);
    edit(detached, 'infra/modules/network.bicep', (t) =>
      t.replace(/(name: 'snet-nodes'[\s\S]*?)routeTable: \{\n\s*id: routeTable.id\n\s*\}\n/, '$1'),
    );
    expect(errors(await validate(detached))).toEqual([
      expect.objectContaining({
        rule: 'kubenet-route-table',
        file: cluster,
        line: lineOf(detached, cluster, "networkPlugin: 'kubenet'"),
        message: expect.stringContaining('no route table on snet-nodes'),
      }),
    ]);
    const ungranted = copy(kubenet);
    edit(ungranted, 'infra/modules/network.bicep', (t) => t.replace('scope: routeTable\n', 'scope: virtualNetwork\n'));
    expect(errors(await validate(ungranted))).toEqual([
      expect.objectContaining({
        rule: 'kubenet-route-table',
        file: cluster,
        line: lineOf(ungranted, cluster, "networkPlugin: 'kubenet'"),
        message: expect.stringContaining('no Network Contributor role assignment'),
      }),
    ]);
  });

  it('private-cluster-dns: a private cluster without the zone role', async () => {
    const dir = copy(hub);
    edit(dir, 'infra/modules/cluster-dns-zone.bicep', (t) =>
      t.replace('b12aa53e-6015-4669-85d0-8515ebb3ae7f', 'acdd72a7-3385-48ef-bd42-f606fba81ae7'),
    );
    expect(only(await validate(dir), 'private-cluster-dns')).toEqual([
      expect.objectContaining({
        file: 'infra/modules/cluster.bicep',
        line: lineOf(dir, 'infra/modules/cluster.bicep', 'enablePrivateCluster: true'),
        message: expect.stringContaining('Private DNS Zone Contributor'),
      }),
    ]);
  });

  it('flux-config-path: the Flux configuration pointing at a missing folder', async () => {
    const dir = copy(hub);
    edit(dir, 'infra/main.bicep', (t) =>
      t.replace("'./clusters/${environmentName}'", "'./clusters/${environmentName}-east'"),
    );
    const findings = only(await validate(dir), 'flux-config-path');
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('./clusters/dev-east'),
      expect.stringContaining('./clusters/prod-east'),
    ]);
    expect(findings[0]).toMatchObject({
      file: 'infra/main.bicep',
      line: lineOf(dir, 'infra/main.bicep', './clusters/${environmentName}-east'),
    });
  });

  it('kured-channel: Kured next to a managed node OS channel, and an Unmanaged channel without Kured', async () => {
    const managed = copy(hub);
    edit(managed, 'infra/modules/cluster.bicep', (t) =>
      t.replace("nodeOSUpgradeChannel: 'Unmanaged'", "nodeOSUpgradeChannel: 'NodeImage'"),
    );
    expect(only(await validate(managed), 'kured-channel')).toEqual([
      expect.objectContaining({ severity: 'warning', file: 'infrastructure/controllers/kured/release.yaml' }),
    ]);
    const withoutKured = copy(hub);
    rmSync(join(withoutKured, 'infrastructure/controllers/kured'), { recursive: true });
    edit(withoutKured, 'infrastructure/controllers/kustomization.yaml', (t) => t.replace(/  - kured\n/, ''));
    expect(only(await validate(withoutKured), 'kured-channel')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'infra/modules/cluster.bicep',
        line: lineOf(withoutKured, 'infra/modules/cluster.bicep', "nodeOSUpgradeChannel: 'Unmanaged'"),
      }),
    ]);
  });

  it('workload-identity: annotation, client ID variable, federated credential and Key Vault role hold together', async () => {
    const sa = 'apps/base/team-a/service-account.yaml';
    const renamed = copy(hub);
    edit(renamed, sa, (t) => t.replace('name: team-a-workload', 'name: team-a-api'));
    edit(renamed, 'apps/base/team-a/deployment.yaml', (t) => t.replaceAll('team-a-workload', 'team-a-api'));
    expect(only(await validate(renamed), 'workload-identity')).toEqual([
      expect.objectContaining({
        file: sa,
        line: lineOf(renamed, sa, 'azure.workload.identity/client-id'),
        message: expect.stringContaining('no federated credential in infra/ trusts service account team-a/team-a-api'),
      }),
    ]);
    const unpassed = copy(hub);
    edit(unpassed, sa, (t) => t.replace('${TEAM_A_CLIENT_ID}', '${TEAM_A_API_CLIENT_ID}'));
    expect(only(await validate(unpassed), 'workload-identity').map((f) => f.message)).toEqual([
      expect.stringContaining('TEAM_A_API_CLIENT_ID}, which the Flux configuration in infra/ never passes'),
    ]);
    const noRole = copy(hub);
    edit(noRole, 'infra/modules/team-identity.bicep', (t) =>
      t.replace('4633458b-17de-408a-b874-0445c86b69e6', 'acdd72a7-3385-48ef-bd42-f606fba81ae7'),
    );
    expect(only(await validate(noRole), 'workload-identity').map((f) => f.message)).toEqual([
      expect.stringContaining('no identity in infra/ is granted Key Vault Secrets User'),
    ]);
  });

  it('deployment-secrets: Filebeat or Grafana mounting a secret the deployment does not write', async () => {
    const filebeat = generate('multicloud', ['observability.elasticsearchUrl=https://logs.example.com:9243']);
    // The environment vault holds Grafana's login, which the deployment writes, and the team secrets, which people
    // write: the team's SecretProviderClass reads that vault as its own identity and is not held to the Bicep.
    expect(readFileSync(join(filebeat, 'apps/base/team-a/secret-provider-class.yaml'), 'utf8')).toContain(
      '${KEY_VAULT_NAME}',
    );
    expect(readFileSync(join(filebeat, 'infra/modules/grafana-admin.bicep'), 'utf8')).toContain(
      "'Microsoft.KeyVault/vaults/secrets@",
    );
    expect(errors(await validate(filebeat))).toEqual([]);
    const dir = copy(filebeat);
    edit(dir, 'infra/modules/filebeat.bicep', (t) =>
      t.replace("name: 'elasticsearch-api-key'", "name: 'elastic-api-key'"),
    );
    const spc = 'infrastructure/logging/secret-provider-class.yaml';
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        file: spc,
        line: lineOf(dir, spc, 'objectName: elasticsearch-api-key'),
        message: expect.stringContaining(
          'mounts elasticsearch-api-key from the vault ${FILEBEAT_KEY_VAULT_NAME} as the identity ${FILEBEAT_CLIENT_ID} that infra/modules/filebeat.bicep writes secrets for',
        ),
      }),
    ]);
    const grafana = copy(filebeat);
    edit(grafana, 'infra/modules/grafana-admin.bicep', (t) =>
      t.replace("name: 'grafana-admin-user'", "name: 'grafana-admin-login'"),
    );
    const grafanaSpc = 'infrastructure/controllers/kube-prometheus-stack/secret-provider-class.yaml';
    expect(errors(await validate(grafana))).toEqual([
      expect.objectContaining({
        file: grafanaSpc,
        line: lineOf(grafana, grafanaSpc, 'objectName: grafana-admin-user'),
        message: expect.stringContaining('${KEY_VAULT_NAME} as the identity ${GRAFANA_CLIENT_ID}'),
      }),
    ]);
  });

  it('deployment-secrets: Alertmanager mounting another secret than the one main.bicep asks the vault-secret module to write', async () => {
    const smtp = generate('multicloud', [
      'observability.alertEmails=[platform-oncall@contoso.com]',
      'observability.smtp.smarthost=smtp.contoso.com:587',
      'observability.smtp.from=aks-alerts@contoso.com',
      'observability.smtp.username=aks-alerts@contoso.com',
    ]);
    expect(errors(await validate(smtp))).toEqual([]);
    // The module writes whichever secret its secretName parameter names; the name is in the entry point's call.
    const dir = copy(smtp);
    edit(dir, 'infra/main.bicep', (t) =>
      t.replace("secretName: 'alertmanager-smtp-password'", "secretName: 'alertmanager-smtp'"),
    );
    const spc = 'infrastructure/controllers/kube-prometheus-stack/alertmanager-secret-provider-class.yaml';
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'deployment-secrets',
        file: spc,
        line: lineOf(dir, spc, 'objectName: alertmanager-smtp-password'),
        message: expect.stringContaining(
          'from the vault ${KEY_VAULT_NAME} as the identity ${ALERTMANAGER_CLIENT_ID} that infra/modules/vault-secret.bicep writes secrets for',
        ),
      }),
    ]);
  });

  it('policy-exclusion: a misspelt platform namespace, and a team namespace, in the policy exclusions', async () => {
    const kured = generate('starter', ['cluster.authorizedIpRanges=[203.0.113.0/24]']);
    expect(errors(await validate(kured))).toEqual([]);
    const module = 'infra/modules/policy.bicep';
    const typo = copy(kured);
    edit(typo, module, (t) => t.replace("  'kured'\n", "  'kurred'\n"));
    expect(errors(await validate(typo))).toEqual([
      expect.objectContaining({
        rule: 'policy-exclusion',
        file: module,
        line: lineOf(typo, module, "'kurred'"),
        message: expect.stringContaining('exclude namespace kurred, which no Namespace of the repository creates'),
      }),
    ]);
    const team = copy(kured);
    edit(team, module, (t) => t.replace("  'kured'\n", "  'kured'\n  'team-a'\n"));
    expect(errors(await validate(team))).toEqual([
      expect.objectContaining({
        rule: 'policy-exclusion',
        file: module,
        line: lineOf(team, module, "'team-a'"),
        message: expect.stringContaining(
          'exclude namespace team-a, a team namespace (apps/base/team-a/namespace.yaml)',
        ),
      }),
    ]);
  });

  it('addon-fqdns: Filebeat without its image registry through the hub firewall', async () => {
    const filebeat = generate('multicloud', [
      'observability.elasticsearchUrl=https://logs.example.com:9243',
      'network.hub.mode=create',
      'network.egress=firewall',
    ]);
    expect(only(await validate(filebeat), 'addon-fqdns')).toEqual([]);
    const dir = copy(filebeat);
    edit(dir, 'infra/modules/hub-network.bicep', (t) => t.replace("'docker.elastic.co'", "'docker.example.co'"));
    expect(only(await validate(dir), 'addon-fqdns')).toEqual([
      expect.objectContaining({
        file: 'infra/modules/filebeat.bicep',
        line: lineOf(
          dir,
          'infra/modules/filebeat.bicep',
          "resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@",
        ),
        message: expect.stringContaining(
          'Filebeat (Event Hubs consumer) is enabled, but the hub firewall does not allow docker.elastic.co',
        ),
      }),
    ]);
  });

  it('chart-egress: the Kured chart behind the hub firewall without the host its downloads redirect to', async () => {
    const dir = copy(hub);
    edit(dir, 'infra/modules/hub-network.bicep', (t) =>
      t.replace(/^\s+'release-assets\.githubusercontent\.com'\n/m, ''),
    );
    const repository = 'infrastructure/controllers/kured/repository.yaml';
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'chart-egress',
        file: repository,
        line: lineOf(dir, repository, 'url: https://kubereboot.github.io/charts'),
        message: expect.stringContaining('which does not allow release-assets.githubusercontent.com'),
      }),
    ]);
  });

  it('addon-fqdns: the Flux extension without its data plane endpoint in the hub firewall', async () => {
    const dir = copy(hub);
    edit(dir, 'infra/modules/hub-network.bicep', (t) =>
      t.replace("'${location}.dp.kubernetesconfiguration.azure.com'\n", ''),
    );
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'addon-fqdns',
        file: 'infra/modules/flux.bicep',
        line: lineOf(
          dir,
          'infra/modules/flux.bicep',
          "resource fluxExtension 'Microsoft.KubernetesConfiguration/extensions@",
        ),
        message: expect.stringContaining(
          'Cluster extensions (Flux) is enabled, but the hub firewall does not allow {location}.dp.kubernetesconfiguration.azure.com',
        ),
      }),
    ]);
  });

  it('firewall-tunnel-ports: a network rule opening the retired tunnel ports', async () => {
    const publicCluster = generate('enterprise', [
      'cluster.privateCluster=false',
      'cluster.authorizedIpRanges=[203.0.113.0/24]',
    ]);
    expect(errors(await validate(publicCluster))).toEqual([]);
    const dir = copy(publicCluster);
    const file = 'infra/modules/hub-network.bicep';
    edit(dir, file, (t) =>
      t.replace(/(destinationPorts: \[\n\s+)'443'/, "$1'1194'\n          '9000'\n          '443'"),
    );
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'firewall-tunnel-ports',
        file,
        line: lineOf(dir, file, 'destinationPorts:'),
        message: expect.stringContaining('port 1194 and 9000'),
      }),
    ]);
  });

  it('storage-class: a monitoring volume claims a StorageClass nothing defines', async () => {
    const oss = generate('multicloud', ['observability.elasticsearchUrl=https://logs.example.com:9243']);
    expect(only(await validate(oss), 'storage-class')).toEqual([]);
    const dir = copy(oss);
    const folder = 'infrastructure/controllers/kube-prometheus-stack';
    edit(dir, `${folder}/storage-class.yaml`, (t) =>
      t.replace('name: managed-csi-premium-zrs', 'name: managed-csi-premium-zone'),
    );
    const report = await validate(dir);
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([
      'storage-class',
      'storage-class',
      'storage-class',
    ]);
    expect(only(report, 'storage-class')[0]).toMatchObject({
      file: `${folder}/release.yaml`,
      line: lineOf(dir, `${folder}/release.yaml`, 'storageClassName: managed-csi-premium-zrs'),
    });
  });

  it('event-hubs-private: a closed namespace without trusted services or without its private endpoint', async () => {
    const streaming = generate('multicloud', ['observability.elasticsearchUrl=https://logs.example.com:9243']);
    const file = 'infra/modules/event-hubs.bicep';
    const clean = await validate(streaming);
    expect(only(clean, 'event-hubs-private')).toEqual([]);
    const untrusted = copy(streaming);
    edit(untrusted, file, (t) => t.replace('trustedServiceAccessEnabled: true', 'trustedServiceAccessEnabled: false'));
    const report = await validate(untrusted);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({
        rule: 'event-hubs-private',
        file,
        line: lineOf(untrusted, file, "publicNetworkAccess: 'Disabled'"),
        message: expect.stringContaining('trusted Microsoft services are not allowed'),
      }),
    ]);
    const noEndpoint = copy(streaming);
    edit(noEndpoint, file, (t) =>
      t.replace("groupIds: [\n            'namespace'", "groupIds: [\n            'nothing'"),
    );
    expect(only(await validate(noEndpoint), 'event-hubs-private')).toEqual([
      expect.objectContaining({ file, message: expect.stringContaining('no private endpoint') }),
    ]);
  });

  it('addon-fqdns: an enabled add-on whose FQDNs the hub firewall does not allow', async () => {
    const dir = copy(hub);
    edit(dir, 'infra/modules/hub-network.bicep', (t) =>
      t.replaceAll("'*.ods.opinsights.azure.com'", "'*.example.invalid'"),
    );
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'addon-fqdns',
        file: 'infra/modules/cluster.bicep',
        line: lineOf(dir, 'infra/modules/cluster.bicep', 'omsagent: {'),
        message: expect.stringContaining('*.ods.opinsights.azure.com'),
      }),
    ]);
  });
});

function report(r: ValidationReport): Finding[] {
  return r.findings;
}

describe('pipeline identity and secret rules catch their mutation at the right file and line', () => {
  // Enterprise: a hub deployment, a stop/start dev, a private repository (FLUX_GIT_TOKEN), both CI systems.
  const base = generate('enterprise', ['delivery.azureDevOps=true']);

  it('a generated repository breaks none of them', async () => {
    const report = await validate(base);
    const rules = ['pipeline-pr-identity', 'pipeline-job-identity', 'pipeline-identity-scope', 'ado-secret-mapping'];
    expect(report.findings.filter((f) => rules.includes(f.rule))).toEqual([]);
  });

  /** Validates a mutated copy and returns the one finding and the copy, asserting nothing else fires. */
  async function single(mutate: (dir: string) => void): Promise<{ finding: Finding; dir: string }> {
    const dir = copy(base);
    mutate(dir);
    const found = errors(await validate(dir));
    expect(found, JSON.stringify(found, null, 1)).toHaveLength(1);
    return { finding: found[0]!, dir };
  }

  it('pipeline-pr-identity: a pull request what-if signing in as a deploy identity (GitHub)', async () => {
    const file = '.github/workflows/infra.yml';
    const { finding, dir } = await single((d) =>
      edit(d, file, (t) => t.replace('${{ vars.AZURE_PLAN_CLIENT_ID }}', '${{ vars.AZURE_DEPLOY_CLIENT_ID_DEV }}')),
    );
    expect(finding).toMatchObject({ rule: 'pipeline-pr-identity', file });
    expect(finding.line).toBe(lineOf(dir, file, 'AZURE_DEPLOY_CLIENT_ID_DEV }}'));
  });

  it('pipeline-pr-identity: a pull request what-if claiming an environment (GitHub)', async () => {
    const file = '.github/workflows/infra.yml';
    const mutate = (dir: string) =>
      edit(dir, file, (t) =>
        t.replace(
          '  what-if-dev:\n    name: What-if dev\n',
          '  what-if-dev:\n    name: What-if dev\n    environment: dev\n',
        ),
      );
    const { finding, dir } = await single(mutate);
    expect(finding).toMatchObject({
      rule: 'pipeline-pr-identity',
      file,
      line: lineOf(dir, file, '    environment: dev'),
    });
  });

  it('pipeline-pr-identity: a pull request stage signing in through a deploy service connection (Azure DevOps)', async () => {
    const file = '.azure-pipelines/infra.yml';
    const mutate = (dir: string) =>
      edit(dir, file, (t) =>
        t.replace('azureSubscription: azure-platform-plan', 'azureSubscription: azure-platform-prod'),
      );
    const { finding, dir } = await single(mutate);
    expect(finding).toMatchObject({
      rule: 'pipeline-pr-identity',
      file,
      line: lineOf(dir, file, 'azureSubscription: azure-platform-prod'),
    });
  });

  it("pipeline-job-identity: stop/start signing in as a deploy identity, and a deployment as another environment's", async () => {
    const stopStart = '.github/workflows/stop-start.yml';
    const mutateStop = (dir: string) =>
      edit(dir, stopStart, (t) => t.replace('AZURE_OPERATOR_CLIENT_ID_DEV', 'AZURE_DEPLOY_CLIENT_ID_DEV'));
    const { finding, dir } = await single(mutateStop);
    expect(finding).toMatchObject({
      rule: 'pipeline-job-identity',
      file: stopStart,
      line: lineOf(dir, stopStart, 'AZURE_DEPLOY_CLIENT_ID_DEV'),
    });

    const infra = '.github/workflows/infra.yml';
    const mutateDeploy = (d: string) =>
      edit(d, infra, (t) =>
        t.replace('${{ vars.AZURE_DEPLOY_CLIENT_ID_PROD }}', '${{ vars.AZURE_DEPLOY_CLIENT_ID_DEV }}'),
      );
    const { finding: wrongEnv, dir: other } = await single(mutateDeploy);
    const lines = readFileSync(join(other, infra), 'utf8').split('\n');
    const prodLogin = lines.findIndex(
      (l, i) => l.includes('AZURE_DEPLOY_CLIENT_ID_DEV') && lines.slice(0, i).some((x) => x.includes('  deploy-prod:')),
    );
    expect(wrongEnv).toMatchObject({ rule: 'pipeline-job-identity', file: infra, line: prodLogin + 1 });
  });

  it('pipeline-job-identity: the Azure DevOps stop/start pipeline signing in through a deploy connection', async () => {
    const file = '.azure-pipelines/stop-start.yml';
    const mutate = (dir: string) =>
      edit(dir, file, (t) =>
        t.replace('azureSubscription: azure-platform-operator-dev', 'azureSubscription: azure-platform-dev'),
      );
    const { finding, dir } = await single(mutate);
    expect(finding).toMatchObject({
      rule: 'pipeline-job-identity',
      file,
      line: lineOf(dir, file, 'azureSubscription: azure-platform-dev'),
    });
  });

  it('pipeline-identity-scope: the bootstrap granting a cluster operator a subscription role', async () => {
    const file = 'infra/bootstrap/pipeline-identity.bicep';
    // The index of the dev operator in the bootstrap's list of identities (plan, deploy ones, the fleet's, operators).
    const names = [...readFileSync(join(base, file), 'utf8').matchAll(/^ {4}name: '([^']+)'/gm)].map((m) => m[1]);
    const operator = names.indexOf('id-core-operator-dev');
    expect(operator).toBeGreaterThan(0);
    const mutate = (dir: string) =>
      edit(dir, file, (t) =>
        t.replace("    identity: 1\n    role: 'contributor'", `    identity: ${operator}\n    role: 'contributor'`),
      );
    const { finding, dir } = await single(mutate);
    expect(finding).toMatchObject({
      rule: 'pipeline-identity-scope',
      file,
      line: lineOf(dir, file, `    identity: ${operator}`),
    });
    expect(finding.message).toMatch(/id-core-operator-dev gets contributor/);
  });

  it('pipeline-job-identity: a deployment signing in as the fleet operator, whose role is for update runs only (GitHub)', async () => {
    const file = '.github/workflows/infra.yml';
    const mutate = (dir: string) =>
      edit(dir, file, (t) => t.replace('${{ vars.AZURE_DEPLOY_CLIENT_ID_DEV }}', '${{ vars.AZURE_FLEET_CLIENT_ID }}'));
    const { finding, dir } = await single(mutate);
    expect(finding).toMatchObject({
      rule: 'pipeline-job-identity',
      file,
      line: lineOf(dir, file, '${{ vars.AZURE_FLEET_CLIENT_ID }}'),
    });
    expect(finding.message).toMatch(/fleet operator vars\.AZURE_FLEET_CLIENT_ID, whose role on the fleet/);
  });

  it('pipeline-job-identity: a fleet stage job outside its environment, which the fleet operator does not trust', async () => {
    const file = '.github/workflows/kubernetes-upgrade.yml';
    const mutate = (dir: string) => edit(dir, file, (t) => t.replace('    environment: prod\n', ''));
    const { finding, dir } = await single(mutate);
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    const prodJob = lines.indexOf('  stage-prod:');
    expect(finding).toMatchObject({
      rule: 'pipeline-job-identity',
      file,
      line: prodJob + 1 + lines.slice(prodJob).findIndex((l) => l.includes('${{ vars.AZURE_FLEET_CLIENT_ID }}')),
    });
    expect(finding.message).toMatch(/job stage-prod signs in as the fleet operator .* outside any environment/);
  });

  it('pipeline-job-identity: the infra pipeline deploying through the fleet operator connection (Azure DevOps)', async () => {
    const file = '.azure-pipelines/infra.yml';
    const mutate = (dir: string) =>
      edit(dir, file, (t) =>
        t.replace('azureSubscription: azure-platform-dev\n', 'azureSubscription: azure-platform-fleet-operator\n'),
      );
    const { finding, dir } = await single(mutate);
    expect(finding).toMatchObject({
      rule: 'pipeline-job-identity',
      file,
      line: lineOf(dir, file, 'azureSubscription: azure-platform-fleet-operator'),
    });
  });

  it('pipeline-identity-scope: the bootstrap granting the fleet operator a subscription role', async () => {
    const file = 'infra/bootstrap/pipeline-identity.bicep';
    const names = [...readFileSync(join(base, file), 'utf8').matchAll(/^ {4}name: '([^']+)'/gm)].map((m) => m[1]);
    const fleet = names.indexOf('id-core-fleet-operator');
    expect(fleet).toBeGreaterThan(0);
    const mutate = (dir: string) =>
      edit(dir, file, (t) =>
        t.replace("    identity: 1\n    role: 'contributor'", `    identity: ${fleet}\n    role: 'contributor'`),
      );
    const { finding, dir } = await single(mutate);
    expect(finding).toMatchObject({
      rule: 'pipeline-identity-scope',
      file,
      line: lineOf(dir, file, `    identity: ${fleet}`),
    });
    expect(finding.message).toMatch(
      /id-core-fleet-operator gets contributor .* the fleet operator \(update runs\) may act on the fleet only/,
    );
  });

  it('ado-secret-mapping: FLUX_GIT_TOKEN read without its explicit env mapping, or without the unresolved-macro guard', async () => {
    const file = '.azure-pipelines/infra.yml';
    const unmapped = (dir: string) =>
      edit(dir, file, (t) => t.replace('FLUX_GIT_TOKEN: $(FLUX_GIT_TOKEN)', 'FLUX_GIT_TOKEN: $(FLUX_TOKEN)'));
    const { finding, dir } = await single(unmapped);
    expect(finding).toMatchObject({
      rule: 'ado-secret-mapping',
      file,
      line: lineOf(dir, file, 'FLUX_GIT_TOKEN: $(FLUX_TOKEN)'),
    });

    // The guard the defect had: an empty check alone, which the literal $(FLUX_GIT_TOKEN) passes.
    const weak = (d: string) => edit(d, file, (t) => t.replace("'' | '$('*')')", "'')"));
    const { finding: unguarded, dir: other } = await single(weak);
    expect(unguarded).toMatchObject({
      rule: 'ado-secret-mapping',
      file,
      line: lineOf(other, file, 'FLUX_GIT_TOKEN: $(FLUX_GIT_TOKEN)'),
    });
  });
});

describe('aks-platform validate', () => {
  it("the generated repository's own validation runs it, pinned to the generator version that made it", () => {
    const files = render('enterprise', ['delivery.azureDevOps=true']).files;
    const command = `npx --yes generator-aks-platform@${GENERATOR_VERSION} validate .`;
    expect(files.get('.github/workflows/validate.yml')).toContain(command);
    expect(files.get('.azure-pipelines/validate.yml')).toContain(command);
  });

  it('exits 0 on a clean repository and 1 with findings, in text and JSON', async () => {
    const dir = generate('starter');
    // A --bicep that does not exist is refused; the variable is how a run without the Bicep CLI is simulated.
    const noBicep = { AKS_PLATFORM_BICEP: NO_BICEP };
    const clean = await runCliAsync(['validate', dir, '--schemas', SCHEMAS_DIR], root, noBicep);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toContain('SKIPPED bicep: no Bicep CLI found');
    expect(clean.stdout).toMatch(/0 error\(s\)/);
    edit(dir, 'clusters/dev/apps.yaml', (t) => t.replace('path: ./apps/dev', 'path: ./apps/gone'));
    const broken = await runCliAsync(['validate', dir, '--format', 'json', '--schemas', SCHEMAS_DIR], root, noBicep);
    expect(broken.code).toBe(1);
    const json = JSON.parse(broken.stdout);
    expect(json.ok).toBe(false);
    expect(json.findings).toEqual([
      expect.objectContaining({ rule: 'flux-path', file: 'clusters/dev/apps.yaml', fix: expect.any(String) }),
    ]);
  });

  it('a missing directory or an unknown format is a user error', async () => {
    expect((await runCliAsync(['validate', join(root, 'nope')], root)).stderr).toContain('is not a directory');
    expect((await runCliAsync(['validate', root, '--format', 'xml'], root)).stderr).toContain(
      '--format xml is not known',
    );
  });
});

describe('Gateway API rules catch their mutations at the right file and line, and nothing else fires', () => {
  const base = generate('starter', [
    'ingress.certificateName=wildcard-apps',
    'ingress.dnsZoneResourceId=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/apps.contoso.com',
  ]);
  const route = 'apps/routes/team-a.yaml';
  const gateway = 'infrastructure/gateway/gateway.yaml';

  it('the clean repository breaks neither rule', async () => {
    const report = await validate(base);
    expect(report.findings.filter((f) => f.rule.startsWith('gateway-'))).toEqual([]);
  });

  it('gateway-route: a route attached to a listener the platform Gateway does not have', async () => {
    const dir = copy(base);
    edit(dir, route, (t) => t.replace('sectionName: https', 'sectionName: http'));
    const report = await validate(dir);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        rule: 'gateway-route',
        file: route,
        line: lineOf(dir, route, 'sectionName: http'),
        message: expect.stringContaining('has no such listener'),
      }),
    ]);
  });

  it('gateway-route: a route in a namespace the listener does not admit (the route label removed)', async () => {
    const dir = copy(base);
    edit(dir, 'apps/base/team-a/namespace.yaml', (t) => t.replace(/\n\s+gateway\.platform\/routes: "true"/, ''));
    const report = await validate(dir);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        rule: 'gateway-route',
        file: route,
        line: lineOf(dir, route, 'sectionName: https'),
        message: expect.stringContaining('gateway.platform/routes=true'),
      }),
    ]);
  });

  it('gateway-route: a route naming a Gateway the repository does not have', async () => {
    const dir = copy(base);
    edit(dir, route, (t) => t.replace('name: platform', 'name: public'));
    const report = await validate(dir);
    expect(errors(report)).toEqual([
      expect.objectContaining({ rule: 'gateway-route', file: route, line: lineOf(dir, route, 'name: public') }),
    ]);
  });

  it('gateway-class: a Gateway naming a class the cluster does not provide', async () => {
    const dir = copy(base);
    edit(dir, gateway, (t) => t.replace('gatewayClassName: approuting-istio', 'gatewayClassName: istio'));
    const report = await validate(dir);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        rule: 'gateway-class',
        file: gateway,
        line: lineOf(dir, gateway, 'gatewayClassName: istio'),
        fix: expect.stringContaining('approuting-istio'),
      }),
    ]);
  });

  it('gateway-class: the implementation turned off in the cluster while the Gateway stays', async () => {
    const dir = copy(base);
    edit(dir, 'infra/modules/cluster.bicep', (t) => t.replace("mode: 'Enabled'", "mode: 'Disabled'"));
    const report = await validate(dir);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        rule: 'gateway-class',
        file: gateway,
        line: lineOf(dir, gateway, 'gatewayClassName: approuting-istio'),
        message: expect.stringContaining('turns no Gateway API implementation on'),
      }),
    ]);
  });
});

describe('Application Gateway for Containers rules catch their mutations at the right file and line, and nothing else fires', () => {
  const base = generate('starter', [
    'ingress.implementation=application-gateway-for-containers',
    'ingress.certificateName=wildcard-apps',
    'ingress.dnsZoneResourceId=/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/apps.contoso.com',
  ]);
  const gateway = 'infrastructure/gateway/gateway.yaml';

  it('the clean repository breaks no rule', async () => {
    expect(errors(await validate(base))).toEqual([]);
  });

  it('gateway-alb: the alb-id annotation names a traffic controller the deployment does not create', async () => {
    const dir = copy(base);
    const other =
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.ServiceNetworking/trafficControllers/other';
    edit(dir, gateway, (t) => t.replace('${INGRESS_TRAFFIC_CONTROLLER_ID}', other));
    const report = await validate(dir);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        rule: 'gateway-alb',
        file: gateway,
        line: lineOf(dir, gateway, 'alb.networking.azure.io/alb-id'),
        fix: expect.stringContaining('${INGRESS_TRAFFIC_CONTROLLER_ID}'),
      }),
    ]);
  });

  it('gateway-alb: the Gateway names a frontend the deployment does not create', async () => {
    const dir = copy(base);
    edit(dir, gateway, (t) =>
      t.replace(/(type: alb\.networking\.azure\.io\/alb-frontend\n\s+value:) platform/, '$1 public'),
    );
    const report = await validate(dir);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        rule: 'gateway-alb',
        file: gateway,
        line: lineOf(dir, gateway, 'value: public'),
        message: expect.stringContaining('frontend public'),
      }),
    ]);
  });

  it('gateway-class: the ALB Controller is gone while its Gateway stays', async () => {
    const dir = copy(base);
    edit(dir, 'infrastructure/gateway-controller/alb-controller/release.yaml', (t) =>
      t.replace('chart: alb-controller', 'chart: other-controller'),
    );
    const report = await validate(dir);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        rule: 'gateway-class',
        file: gateway,
        line: lineOf(dir, gateway, 'gatewayClassName: azure-alb-external'),
        fix: expect.stringContaining('install the ALB Controller'),
      }),
    ]);
  });
});

describe('AKS Automatic rules catch their mutations at the right file and line, and nothing else fires', () => {
  const base = generate(undefined, [...AUTOMATIC_SETS]);
  const deployment = 'apps/base/team-a/deployment.yaml';
  const automaticRule = (f: Finding) => f.rule.startsWith('automatic-');

  it('the clean repository validates clean, and a Standard one is not checked against Automatic', async () => {
    const report = await validate(base);
    expect(errors(report), JSON.stringify(errors(report), null, 1)).toEqual([]);
    expect(report.findings.filter(automaticRule)).toEqual([]);
    // The same workload without probes breaks nothing on a Standard cluster: the contract is Automatic's.
    const standard = generate(undefined, ['delivery.github.owner=contoso']);
    edit(standard, deployment, (t) => t.replace(/\n {10}readinessProbe:\n( {12}.*\n)+/, '\n'));
    expect((await validate(standard)).findings.filter(automaticRule)).toEqual([]);
  });

  it('automatic-safeguards: a team container without a readiness probe, or on the latest tag', async () => {
    const dir = copy(base);
    edit(dir, deployment, (t) => t.replace(/\n {10}readinessProbe:\n( {12}.*\n)+/, '\n'));
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'automatic-safeguards',
        file: deployment,
        line: lineOf(dir, deployment, '- name: example'),
        message: expect.stringContaining('has no readinessProbe, and the cluster is AKS Automatic'),
      }),
    ]);
    const latest = copy(base);
    edit(latest, deployment, (t) => t.replace(/image: (\S+):\S+/, 'image: $1:latest'));
    expect(errors(await validate(latest))).toEqual([
      expect.objectContaining({
        rule: 'automatic-safeguards',
        file: deployment,
        line: lineOf(latest, deployment, 'image: '),
        message: expect.stringContaining('uses the latest tag'),
      }),
    ]);
  });

  it('automatic-stop-start: a pipeline that stops the Automatic cluster', async () => {
    const dir = copy(base);
    const workflow = '.github/workflows/kubernetes-upgrade.yml';
    edit(dir, workflow, (t) =>
      t.replace(
        "az aks upgrade --resource-group 'rg-core-dev-westeurope' --name 'aks-core-dev-westeurope' --kubernetes-version",
        "az aks stop --resource-group 'rg-core-dev-westeurope' --name 'aks-core-dev-westeurope' --kubernetes-version",
      ),
    );
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'automatic-stop-start',
        file: workflow,
        line: lineOf(dir, workflow, 'az aks stop'),
        message: expect.stringContaining('which cannot be stopped'),
      }),
    ]);
  });

  it('automatic-system-subnet: the managed system nodes subnet without the route to the firewall', async () => {
    const dir = copy(base);
    const network = 'infra/modules/network.bicep';
    edit(dir, network, (t) =>
      t.replace(
        /(name: 'snet-system-nodes'\n[\s\S]*?defaultOutboundAccess: false)\n {10}routeTable: \{\n {12}id: routeTable\.id\n {10}\}/,
        '$1',
      ),
    );
    expect(errors(await validate(dir))).toEqual([
      expect.objectContaining({
        rule: 'automatic-system-subnet',
        file: network,
        line: lineOf(dir, network, "name: 'snet-system-nodes'"),
        message: expect.stringContaining('its managed system nodes would have no way out'),
      }),
    ]);
  });
});
