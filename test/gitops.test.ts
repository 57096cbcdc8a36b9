import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { composeAnswers } from '../src/answers/load.js';
import { generatePlatform } from '../src/generate.js';
import { FLUX, fluxVariables, teamClientIdVariable } from '../src/plan/contracts.js';
import { FILEBEAT } from '../src/plan/filebeat.js';
import { ALERTMANAGER_SMTP } from '../src/plan/alertmanager.js';
import { GRAFANA_ADMIN } from '../src/plan/grafana.js';
import { SPOT } from '../src/plan/gitops.js';
import { MONITORING_VOLUMES } from '../src/plan/observability.js';
import { PLATFORM_SERVICE_ACCOUNTS } from '../src/plan/service-accounts.js';
import type { Plan } from '../src/plan/index.js';
import {
  compileCrdValidators,
  loadCrdValidators,
  validateManifest,
  validateManifestDirectory,
  validateManifestFiles,
} from '../src/validate/kubernetes.js';
import { HELM_CHARTS } from '../src/versions.js';
import {
  crdValidators,
  formatProblems,
  kindOf,
  manifestProblems,
  nameOf,
  namespaceOf,
  parseManifests,
  SCHEMAS_DIR,
  type ParsedManifest,
} from './support/k8s.js';
import { ADMIN_GROUP, GROUP_B, OSS, SCENARIOS, type Scenario, TWO_TEAMS } from './support/gitops-scenarios.js';
import { completeSets } from './support/presets.js';

// The scenarios are shared with gitops-kustomize.test.ts.

interface Rendered {
  plan: Plan;
  files: Map<string, string>;
  manifests: ParsedManifest[];
}

const cache = new Map<string, Rendered>();

function render(preset: string | undefined, sets: string[] = []): Rendered {
  const key = JSON.stringify([preset, sets]);
  let rendered = cache.get(key);
  if (!rendered) {
    const { plan, files } = generatePlatform(composeAnswers({ preset, sets: completeSets(preset, sets) }), preset);
    rendered = { plan, files, manifests: parseManifests(files) };
    cache.set(key, rendered);
  }
  return rendered;
}

const renderScenario = (s: Scenario) => render(s.preset, s.sets);

function ofKind(r: Rendered, kind: string): ParsedManifest[] {
  return r.manifests.filter((m) => kindOf(m) === kind);
}

/** All values of a key anywhere in a parsed document, including YAML embedded in strings (kustomize patches). */
function walk(value: unknown, visit: (key: string, v: unknown, path: string) => void, path = ''): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${path}/${i}`));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit(k, v, `${path}/${k}`);
      walk(v, visit, `${path}/${k}`);
    }
  }
}

/** Flux leaves a document with this annotation unsubstituted (Filebeat's configuration has ${VAR}s of its own). */
function substitutionDisabled(m: ParsedManifest): boolean {
  const annotations = (m.doc.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  return annotations?.['kustomize.toolkit.fluxcd.io/substitute'] === 'disabled';
}

function fluxKustomizations(r: Rendered, env: string): ParsedManifest[] {
  return r.manifests.filter(
    (m) => m.file.startsWith(`clusters/${env}/`) && m.doc.apiVersion === 'kustomize.toolkit.fluxcd.io/v1',
  );
}

describe('gitops: every document validates against its schema', () => {
  const crds = crdValidators();
  test.each(SCENARIOS)('$name', (scenario) => {
    const r = renderScenario(scenario);
    expect(r.manifests.length).toBeGreaterThan(0);
    const problems = manifestProblems(r.files, crds);
    expect(formatProblems(problems)).toBe('');
    // Custom resources really went through their CRD schema (not skipped as unknown).
    if (crds) for (const m of ofKind(r, 'SecretProviderClass')) expect(validateManifest(m.doc, crds)).toEqual([]);
  });

  test('the output is deterministic', () => {
    const a = generatePlatform(composeAnswers({ preset: 'multicloud', sets: TWO_TEAMS }), 'multicloud').files;
    const b = generatePlatform(composeAnswers({ preset: 'multicloud', sets: TWO_TEAMS }), 'multicloud').files;
    const gitops = (files: Map<string, string>) =>
      [...files].filter(([p]) => /^(clusters|infrastructure|apps)\//.test(p));
    expect(gitops(a)).toEqual(gitops(b));
  });
});

describe('gitops: the schema checks catch mistakes', () => {
  const crds = crdValidators();
  const r = render('multicloud', [
    'identity.podIdentity=aad-pod-identity',
    ...TWO_TEAMS,
    'teams.0.syncAsKubernetesSecret=true',
    'upgrades.kured.enabled=true',
  ]);
  const first = (kind: string) => {
    // Kustomization means Flux's here; kustomize's own file has its test below.
    const m = ofKind(r, kind).find((d) => d.doc.apiVersion !== 'kustomize.config.k8s.io/v1beta1');
    if (!m) throw new Error(`no ${kind} rendered`);
    return structuredClone(m.doc) as Record<string, any>;
  };

  test('the unmodified documents pass', () => {
    for (const kind of [
      'Deployment',
      'HelmRelease',
      'Kustomization',
      'NetworkPolicy',
      'ServiceAccount',
      ...(crds ? ['AzureIdentity', 'AzureIdentityBinding'] : []),
    ]) {
      expect(validateManifest(first(kind), crds), kind).toEqual([]);
    }
  });

  test.each([
    ['Deployment', (d: any) => ((d.spec.replicsa = 2), d), '/spec/replicsa'],
    [
      'Deployment',
      (d: any) => ((d.spec.template.spec.containers[0].imagePullPolcy = 'Always'), d),
      '/spec/template/spec/containers/0/imagePullPolcy',
    ],
    ['Namespace', (d: any) => ((d.metadata.lables = { a: 'b' }), d), '/metadata/lables'],
    ['HelmRelease', (d: any) => ((d.spec.chart.spec.verison = '1.0.0'), d), '/spec/chart/spec/verison'],
    ['Kustomization', (d: any) => ((d.spec.prunee = true), d), '/spec/prunee'],
    ['HelmRepository', (d: any) => ((d.spec.uri = d.spec.url), d), '/spec/uri'],
    ['AzureIdentity', (d: any) => ((d.spec.clientId = d.spec.clientID), d), '/spec/clientId'],
    ['AzureIdentityBinding', (d: any) => ((d.metadata.namepsace = 'x'), d), '/metadata/namepsace'],
  ])('a misspelt key in a %s fails', (kind, mutate, path) => {
    const problems = validateManifest(mutate(first(kind)), crds);
    if (!crds && kind.startsWith('Azure')) return;
    expect(problems.join('\n')).toContain(path);
  });

  test('a misspelt key in a SecretProviderClass fails', () => {
    if (!crds) return;
    const r2 = render(undefined, ['teams.0.syncAsKubernetesSecret=true']);
    const spc = structuredClone(ofKind(r2, 'SecretProviderClass')[0]!.doc) as Record<string, any>;
    expect(validateManifest(spc, crds)).toEqual([]);
    spc.spec.secretObjects[0].secretname = 'x';
    expect(validateManifest(spc, crds).join('\n')).toContain('/spec/secretObjects/0/secretname');
  });

  test('a wrong type fails, not only an unknown key', () => {
    const d = first('Deployment');
    d.spec.replicas = 'two';
    expect(validateManifest(d, crds).join('\n')).toMatch(/replicas/);
  });

  test('a misspelt key in a kustomization.yaml fails', () => {
    expect(
      validateManifest(
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['a.yaml'],
          resource: ['b.yaml'],
        },
        crds,
      ).join('\n'),
    ).toContain('resource');
  });

  test('a kind without a schema fails instead of passing', () => {
    expect(
      validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, crds),
    ).not.toEqual([]);
    // Without the CRD schemas, custom resources cannot pass silently either.
    expect(validateManifest(first('AzureIdentity'), undefined).join('\n')).toContain('no schema');
    expect(loadCrdValidators(join(SCHEMAS_DIR, 'does-not-exist'))).toBeUndefined();
  });

  test('free-form Helm values are not mistaken for unknown fields, but their siblings are checked', () => {
    const hr = first('HelmRelease');
    hr.spec.values = { anything: { nested: ['goes'] } };
    expect(validateManifest(hr, crds)).toEqual([]);
  });

  test('CRD schemas compile from text, version by version', () => {
    const validators = compileCrdValidators([
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: example.com\n  names: { kind: Widget }\n  versions:\n    - name: v1\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec: { type: object, properties: { size: { type: integer } } }\n',
    ]);
    expect(
      validateManifest(
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } },
        validators,
      ),
    ).toEqual([]);
    expect(
      validateManifest(
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { sise: 1 } },
        validators,
      ).join(),
    ).toContain('/spec/sise');
    expect(
      validateManifest(
        { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'big' } },
        validators,
      ).join(),
    ).toContain('/spec/size');
  });

  test('a generated repository on disk validates the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-disk-'));
    try {
      for (const [path, content] of r.files) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      expect(validateManifestDirectory(dir, crds).filter((p) => crds || !p.message.includes('no CRD schemas'))).toEqual(
        [],
      );
      writeFileSync(
        join(dir, 'apps/base/team-a/namespace.yaml'),
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  lables: {}\n',
      );
      expect(validateManifestDirectory(dir, crds).map((p) => p.file)).toContain('apps/base/team-a/namespace.yaml');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('validateManifestFiles reports the file and document', () => {
    const files = new Map([
      ['apps/base/x/bad.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  nmae: y\n'],
    ]);
    expect(validateManifestFiles(files, crds)).toEqual([
      { file: 'apps/base/x/bad.yaml', document: 'Namespace/x', message: expect.stringContaining('/metadata/nmae') },
    ]);
  });
});

describe('gitops: structure', () => {
  test.each(SCENARIOS)('$name: references resolve, namespaces exist, variables flow', (scenario) => {
    const r = renderScenario(scenario);
    const { files, plan } = r;
    const exists = (path: string) => files.has(path) || [...files.keys()].some((p) => p.startsWith(`${path}/`));

    // clusters/<env> for each environment, with a kustomization listing only what exists.
    for (const env of plan.environments)
      expect(files.has(`${FLUX.clusterPath(env.name)}/kustomization.yaml`), env.name).toBe(true);

    // Every kustomization.yaml resource and every Flux Kustomization path exists.
    for (const m of r.manifests) {
      if (m.doc.apiVersion === 'kustomize.config.k8s.io/v1beta1') {
        const dir = dirname(m.file);
        for (const resource of (m.doc.resources as string[]) ?? []) {
          const target = join(dir, resource);
          expect(exists(target), `${m.file} -> ${resource}`).toBe(true);
          if (!resource.endsWith('.yaml'))
            expect(files.has(`${target}/kustomization.yaml`), `${target} has a kustomization.yaml`).toBe(true);
        }
      }
      if (m.doc.apiVersion === 'kustomize.toolkit.fluxcd.io/v1') {
        const spec = m.doc.spec as { path: string; sourceRef: { name: string } };
        expect(files.has(`${spec.path.replace(/^\.\//, '')}/kustomization.yaml`), spec.path).toBe(true);
        expect(spec.sourceRef.name).toBe(FLUX.configurationName);
      }
    }

    // Every YAML file under a folder with a kustomization.yaml is listed by it (nothing emitted and forgotten).
    for (const path of files.keys()) {
      if (!/^(infrastructure|apps)\/.*\.yaml$/.test(path) || path.endsWith('/kustomization.yaml')) continue;
      const k = parseYaml(files.get(`${dirname(path)}/kustomization.yaml`) ?? 'resources: []') as {
        resources: string[];
      };
      expect(k.resources, path).toContain(path.slice(dirname(path).length + 1));
    }

    // Every namespace used is created (flux-system belongs to the AKS extension).
    const created = new Set(ofKind(r, 'Namespace').map(nameOf));
    for (const m of r.manifests) {
      const ns = namespaceOf(m);
      if (ns && ns !== FLUX.namespace) expect(created.has(ns), `${m.file}: namespace ${ns}`).toBe(true);
    }

    // Every HelmRelease sourceRef resolves to an emitted HelmRepository; chart versions are the pinned ones.
    const repositories = new Set(ofKind(r, 'HelmRepository').map((m) => `${namespaceOf(m)}/${nameOf(m)}`));
    const releases = new Set(ofKind(r, 'HelmRelease').map((m) => `${namespaceOf(m)}/${nameOf(m)}`));
    for (const m of ofKind(r, 'HelmRelease')) {
      const spec = m.doc.spec as {
        chart: {
          spec: {
            chart: keyof typeof HELM_CHARTS;
            version: string;
            sourceRef: { kind: string; name: string; namespace?: string };
          };
        };
        dependsOn?: { name: string; namespace?: string }[];
      };
      const ref = spec.chart.spec.sourceRef;
      expect(ref.kind).toBe('HelmRepository');
      expect(repositories.has(`${ref.namespace ?? namespaceOf(m)}/${ref.name}`), `${m.file} sourceRef`).toBe(true);
      expect(spec.chart.spec.version).toBe(HELM_CHARTS[spec.chart.spec.chart].version);
      for (const dep of spec.dependsOn ?? [])
        expect(releases.has(`${dep.namespace ?? namespaceOf(m)}/${dep.name}`), `${m.file} dependsOn ${dep.name}`).toBe(
          true,
        );
    }

    const known = new Set(fluxVariables(plan).map((v) => v.name));
    for (const env of plan.environments) {
      const all = fluxKustomizations(r, env.name);
      // Logging (Filebeat) waits for the last infrastructure layer, and no layer waits for it.
      const logging = all.find((k) => nameOf(k) === 'infra-logging');
      expect(logging !== undefined, 'infra-logging exists iff Filebeat does').toBe(r.plan.components.filebeat);
      for (const k of all)
        expect((k.doc.spec as { dependsOn?: { name: string }[] }).dependsOn?.map((d) => d.name) ?? []).not.toContain(
          'infra-logging',
        );
      const chain = all.filter((k) => k !== logging && nameOf(k) !== 'app-routes');
      // controllers -> configs -> gateway -> apps, each after the one before, all pruning and waiting; the routes
      // wait for the infrastructure as apps do, not for apps.
      const routes = all.find((k) => nameOf(k) === 'app-routes');
      const names = ['infra-controllers', 'infra-configs', 'infra-gateway', 'apps'].filter((n) =>
        chain.some((k) => nameOf(k) === n),
      );
      const lastInfra = names.filter((n) => n.startsWith('infra-')).at(-1);
      if (routes)
        expect((routes.doc.spec as { dependsOn?: { name: string }[] }).dependsOn).toEqual([{ name: lastInfra }]);
      if (logging)
        expect((logging.doc.spec as { dependsOn?: { name: string }[] }).dependsOn).toEqual([{ name: lastInfra }]);
      expect(chain.map(nameOf).sort()).toEqual([...names].sort());
      chain.sort((a, b) => names.indexOf(nameOf(a)) - names.indexOf(nameOf(b)));
      chain.forEach((k, i) => {
        const spec = k.doc.spec as {
          dependsOn?: { name: string }[];
          prune: boolean;
          wait: boolean;
          path: string;
          postBuild?: { substitute: Record<string, string> };
        };
        expect(spec.prune && spec.wait).toBe(true);
        expect(spec.dependsOn?.map((d) => d.name) ?? []).toEqual(i === 0 ? [] : [names[i - 1]]);
        // Each ${VAR} used under the path (and the base it builds) is known to the deployment and passed on.
        const root = spec.path.startsWith('./apps/') ? 'apps/' : spec.path.slice(2);
        const used = new Set<string>();
        for (const m of r.manifests) {
          if (!m.file.startsWith(root) || substitutionDisabled(m)) continue;
          walk(m.doc, (_key, v) => {
            if (typeof v === 'string') for (const match of v.matchAll(/\$\{(\w+)\}/g)) used.add(match[1]!);
          });
        }
        for (const v of used) {
          expect(known.has(v), `${v} is a Flux variable`).toBe(true);
          expect(spec.postBuild?.substitute[v], `${nameOf(k)} passes ${v}`).toBe(`\${${v}}`);
        }
      });
    }

    // Flux substitutes $ expressions everywhere; the only ones in the output are ${KNOWN_VARIABLE}.
    for (const [path, text] of files) {
      if (!/^(clusters|infrastructure|apps)\/.*\.yaml$/.test(path)) continue;
      const stray = text.replace(/\$\{[A-Z][A-Z0-9_]*\}/g, '').match(/\$/g);
      expect(stray, path).toBeNull();
    }

    // Overlay patches target resources of the base.
    const deployments = new Set(ofKind(r, 'Deployment').map((m) => `${namespaceOf(m)}/${nameOf(m)}`));
    for (const env of plan.environments) {
      const overlay = r.manifests.find((m) => m.file === `apps/${env.name}/kustomization.yaml`);
      for (const p of (overlay?.doc.patches as { patch: string }[] | undefined) ?? []) {
        const patch = parseYaml(p.patch) as { kind: string; metadata: { name: string; namespace: string } };
        expect(
          deployments.has(`${patch.metadata.namespace}/${patch.metadata.name}`),
          `patch ${patch.metadata.name}`,
        ).toBe(true);
      }
    }
  });

  test.each(SCENARIOS)('$name: the paths the Bicep Flux configuration names exist', (scenario) => {
    const { files, plan } = renderScenario(scenario);
    for (const env of plan.environments)
      expect(files.has(`${FLUX.clusterPath(env.name)}/kustomization.yaml`)).toBe(true);
    // Whatever infra/ emits (its Flux configuration), every clusters/<env> path it mentions is a folder here.
    for (const [path, text] of files) {
      if (!path.startsWith('infra/')) continue;
      for (const match of text.matchAll(/clusters\/([a-z][a-z0-9]*)/g))
        expect(files.has(`clusters/${match[1]}/kustomization.yaml`), `${path}: ${match[0]}`).toBe(true);
    }
  });

  test('READMEs describe the folders with a tree and the Flux extension wiring', () => {
    const { files } = render('multicloud', TWO_TEAMS);
    for (const root of ['clusters', 'infrastructure', 'apps']) {
      const readme = files.get(`${root}/README.md`) ?? '';
      expect(readme, root).toContain(`${root}/\n├── `);
    }
    const clusters = files.get('clusters/README.md') ?? '';
    expect(clusters).toContain('postBuild.substitute');
    expect(clusters).toContain(`GitRepository \`${FLUX.configurationName}\``);
    for (const v of ['KEY_VAULT_NAME', 'TEAM_A_CLIENT_ID', 'PAYMENTS_CLIENT_ID'])
      expect(clusters).toContain(`\`${v}\``);
  });
});

describe('gitops: meaning of the answers', () => {
  const kured = (r: Rendered) => ofKind(r, 'HelmRelease').find((m) => nameOf(m) === 'kured');

  test('Unmanaged node OS channel -> Kured with the reboot window from the answers', () => {
    const r = render(undefined, SCENARIOS.find((s) => s.name === 'Unmanaged node OS')!.sets);
    const release = kured(r);
    expect(release).toBeDefined();
    const config = (release!.doc.spec as { values: { configuration: Record<string, unknown> } }).values.configuration;
    expect(config).toMatchObject({
      rebootDays: ['mo', 'th'],
      startTime: '10:30',
      endTime: '14:00',
      timeZone: 'Europe/Amsterdam',
      forceReboot: false,
    });
    // Quoted so Go's YAML 1.1 parser keeps it a string, not the sexagesimal number 630.
    expect(r.files.get('infrastructure/controllers/kured/release.yaml')).toContain('startTime: "10:30"');
  });

  test('NodeImage -> no Kured unless asked for; Unmanaged with Kured declined -> none', () => {
    expect(kured(render(undefined, ['upgrades.nodeOsUpgradeChannel=NodeImage']))).toBeUndefined();
    expect(kured(render('enterprise'))).toBeUndefined();
    expect(
      kured(render(undefined, ['upgrades.nodeOsUpgradeChannel=NodeImage', 'upgrades.kured.enabled=true'])),
    ).toBeDefined();
    expect(
      kured(render(undefined, ['upgrades.nodeOsUpgradeChannel=Unmanaged', 'upgrades.kured.enabled=false'])),
    ).toBeUndefined();
  });

  test('Kured reports to Prometheus and waits for alerts only when the oss stack is chosen', () => {
    const withOss = kured(render(undefined, [...OSS, 'upgrades.nodeOsUpgradeChannel=Unmanaged']))!;
    const values = withOss.doc.spec as { values: Record<string, any>; dependsOn?: unknown[] };
    expect(values.values.metrics.create).toBe(true);
    expect(values.values.configuration.prometheusUrl).toMatch(
      /^http:\/\/kube-prometheus-stack-prometheus\.monitoring\.svc/,
    );
    // Same namespace (flux-system) under the Flux extension's multi-tenancy, so by name only.
    expect(values.dependsOn).toEqual([{ name: 'kube-prometheus-stack' }]);
    const without = kured(render('starter'))!;
    expect((without.doc.spec as { values: Record<string, unknown> }).values.metrics).toBeUndefined();
  });

  test('oss + Event Hubs + Elasticsearch URL -> Filebeat reads the secrets the CSI driver syncs, with its own identity', () => {
    const r = render('multicloud', [
      'observability.elasticsearchUrl=https://logs.example.com:9243',
      'environments.0.spotPool.enabled=true',
    ]);
    expect(r.plan.components.filebeat).toBe(true);
    const inLogging = r.manifests.filter((m) => m.file.startsWith('infrastructure/logging/'));
    const one = (kind: string) => {
      const found = inLogging.filter((m) => kindOf(m) === kind);
      expect(found, kind).toHaveLength(1);
      return found[0]!.doc as Record<string, any>;
    };
    const spc = one('SecretProviderClass');
    const deployment = one('Deployment');
    const account = one('ServiceAccount');
    const config = one('ConfigMap');
    // The CSI driver reads Filebeat's vault as the Filebeat identity; the service account is the federated one.
    expect(spc.spec.parameters).toMatchObject({
      clientID: '${FILEBEAT_CLIENT_ID}',
      keyvaultName: '${FILEBEAT_KEY_VAULT_NAME}',
      usePodIdentity: 'false',
    });
    expect(account.metadata.annotations['azure.workload.identity/client-id']).toBe('${FILEBEAT_CLIENT_ID}');
    expect(`${namespaceOf({ file: '', doc: account })}/${account.metadata.name}`).toBe(
      `${PLATFORM_SERVICE_ACCOUNTS.filebeat.namespace}/${PLATFORM_SERVICE_ACCOUNTS.filebeat.serviceAccount}`,
    );
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    expect(pod.volumes.find((v: any) => v.csi)?.csi.volumeAttributes.secretProviderClass).toBe(spc.metadata.name);
    // Every secret the container reads is one the SecretProviderClass syncs, under the same Secret and key.
    const synced = new Set(
      (spc.spec.secretObjects as { secretName: string; data: { key: string }[] }[]).flatMap((o) =>
        o.data.map((d) => `${o.secretName}/${d.key}`),
      ),
    );
    const container = pod.containers[0];
    const fromSecrets = (container.env as any[])
      .filter((e) => e.valueFrom)
      .map((e) => `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
    expect(fromSecrets.sort()).toEqual([...synced].sort());
    // filebeat.yml is left alone by Flux, and each ${VAR} in it is an environment variable of the container.
    expect(config.metadata.annotations['kustomize.toolkit.fluxcd.io/substitute']).toBe('disabled');
    const filebeatYml = parseYaml(config.data['filebeat.yml']) as Record<string, any>;
    const envNames = new Set((container.env as { name: string }[]).map((e) => e.name));
    for (const match of String(config.data['filebeat.yml']).matchAll(/\$\{(\w+)\}/g))
      expect(envNames.has(match[1]!), match[1]).toBe(true);
    expect(filebeatYml['output.elasticsearch'].hosts).toEqual(['https://logs.example.com:9243']);
    expect(filebeatYml['filebeat.inputs'][0]).toMatchObject({
      type: 'azure-eventhub',
      eventhub: FILEBEAT.eventHub,
      consumer_group: FILEBEAT.consumerGroup,
      storage_account_container: FILEBEAT.checkpointContainer,
    });
    // The storage account name is a deployment output, substituted into the Deployment (not the ConfigMap).
    expect(container.env.find((e: any) => e.name === 'CHECKPOINT_STORAGE_ACCOUNT').value).toBe(
      '${FILEBEAT_STORAGE_ACCOUNT}',
    );
    // Platform component: never on spot, two replicas that a drain takes one at a time.
    expect(pod.tolerations).toBeUndefined();
    expect(deployment.spec.replicas).toBe(2);
    expect(one('PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector });
    // No secret value in the repository: the credentials exist only as Key Vault object names.
    for (const [path, text] of r.files) expect(text, path).not.toMatch(/SharedAccessKey=|AccountKey=[^$']/);
    // The READMEs explain where the key comes from and which service account the Filebeat identity trusts.
    expect(r.files.get('infrastructure/README.md')).toContain(`pipeline secret \`${FILEBEAT.apiKeyVariable}\``);
    expect(r.files.get('infra/README.md')).toContain('`system:serviceaccount:logging:filebeat` (Filebeat)');
    // Without a URL (or without streaming), nothing of Filebeat is emitted.
    expect([...render('multicloud').files.keys()].some((p) => p.startsWith('infrastructure/logging/'))).toBe(false);
  });

  test('Azure RBAC -> no RoleBindings or ClusterRoleBindings to groups, even when group IDs are given', () => {
    const r = render('enterprise', [...TWO_TEAMS, `identity.adminGroupObjectIds=[${ADMIN_GROUP}]`]);
    expect(r.plan.components.azureRbac).toBe(true);
    const bindings = [...ofKind(r, 'RoleBinding'), ...ofKind(r, 'ClusterRoleBinding')];
    expect(bindings.filter((m) => (m.doc.subjects as { kind: string }[]).some((s) => s.kind === 'Group'))).toEqual([]);
  });

  test("Kubernetes RBAC -> one RoleBinding per team with that team's group, and admins bound cluster-wide", () => {
    const r = render('multicloud', [...TWO_TEAMS, `identity.adminGroupObjectIds=[${ADMIN_GROUP}]`]);
    const bindings = ofKind(r, 'RoleBinding');
    expect(bindings).toHaveLength(2);
    for (const team of r.plan.teams) {
      const mine = bindings.filter((m) => namespaceOf(m) === team.namespace);
      expect(mine, team.name).toHaveLength(1);
      expect(mine[0]!.doc.subjects).toEqual([
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: team.groupObjectId },
      ]);
    }
    const admins = ofKind(r, 'ClusterRoleBinding');
    expect(admins.map((m) => m.doc.subjects)).toEqual([
      [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: ADMIN_GROUP }],
    ]);
  });

  test('Kubernetes RBAC without a team group ID -> no RoleBinding for that team', () => {
    const r = render('multicloud', [
      'teams.0.name=team-a',
      'teams.1.name=payments',
      `teams.1.entraGroupObjectId=${GROUP_B}`,
    ]);
    expect(ofKind(r, 'RoleBinding').map(namespaceOf)).toEqual(['payments']);
  });

  test("workload identity -> each team's service account and SecretProviderClass carry that team's client ID variable", () => {
    const r = render('multicloud', TWO_TEAMS);
    for (const team of r.plan.teams) {
      const variable = `\${${teamClientIdVariable(team)}}`;
      const sa = ofKind(r, 'ServiceAccount').find((m) => namespaceOf(m) === team.namespace)!;
      expect(nameOf(sa)).toBe(team.serviceAccount);
      expect(
        (sa.doc.metadata as { annotations: Record<string, string> }).annotations['azure.workload.identity/client-id'],
      ).toBe(variable);
      const deployment = ofKind(r, 'Deployment').find((m) => namespaceOf(m) === team.namespace)!;
      const pod = (
        deployment.doc.spec as {
          template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string } };
        }
      ).template;
      expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
      expect(pod.spec.serviceAccountName).toBe(team.serviceAccount);
      const spc = ofKind(r, 'SecretProviderClass').find((m) => namespaceOf(m) === team.namespace);
      if (team.keyVaultSecrets.length === 0) {
        expect(spc).toBeUndefined();
        continue;
      }
      const params = (spc!.doc.spec as { parameters: Record<string, string> }).parameters;
      expect(params).toMatchObject({
        clientID: variable,
        keyvaultName: '${KEY_VAULT_NAME}',
        tenantId: '${AZURE_TENANT_ID}',
        usePodIdentity: 'false',
      });
      const objects = parseYaml(params.objects!) as { array: string[] };
      expect(objects.array.map((o) => (parseYaml(o) as { objectName: string }).objectName)).toEqual(
        team.keyVaultSecrets,
      );
    }
  });

  test('aad-pod-identity -> the release with its deprecation note, and an AzureIdentity and binding per team matching its pods', () => {
    const r = render(undefined, ['identity.podIdentity=aad-pod-identity', ...TWO_TEAMS]);
    expect(r.files.get('infrastructure/controllers/aad-pod-identity/release.yaml')).toMatch(
      /^# AAD Pod Identity is deprecated/,
    );
    expect(ofKind(r, 'ServiceAccount').every((m) => !(m.doc.metadata as { annotations?: object }).annotations)).toBe(
      true,
    );
    for (const team of r.plan.teams) {
      const identity = ofKind(r, 'AzureIdentity').find((m) => namespaceOf(m) === team.namespace)!;
      expect((identity.doc.spec as { clientID: string }).clientID).toBe(`\${${teamClientIdVariable(team)}}`);
      const binding = ofKind(r, 'AzureIdentityBinding').find((m) => namespaceOf(m) === team.namespace)!;
      const spec = binding.doc.spec as { azureIdentity: string; selector: string };
      expect(spec.azureIdentity).toBe(nameOf(identity));
      const deployment = ofKind(r, 'Deployment').find((m) => namespaceOf(m) === team.namespace)!;
      expect(
        (deployment.doc.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels
          .aadpodidbinding,
      ).toBe(spec.selector);
    }
    expect(ofKind(render('multicloud'), 'AzureIdentity')).toEqual([]);
  });

  test("a team cannot share a platform component's namespace", () => {
    expect(() =>
      render(undefined, ['identity.podIdentity=aad-pod-identity', 'teams.0.name=aad-pod-identity']),
    ).toThrow();
  });

  test('sync to a Kubernetes Secret only when asked for', () => {
    const r = render(undefined, ['teams.0.syncAsKubernetesSecret=true', 'teams.0.keyVaultSecrets=[app-config]']);
    const spc = ofKind(r, 'SecretProviderClass')[0]!;
    expect((spc.doc.spec as { secretObjects: unknown[] }).secretObjects).toEqual([
      { secretName: 'team-a-key-vault', type: 'Opaque', data: [{ objectName: 'app-config', key: 'app-config' }] },
    ]);
    expect(
      (ofKind(render(undefined), 'SecretProviderClass')[0]!.doc.spec as { secretObjects?: unknown }).secretObjects,
    ).toBeUndefined();
  });

  test('network policy none -> no NetworkPolicies; otherwise default deny plus DNS, same-namespace and the platform Gateway', () => {
    expect(
      ofKind(render(undefined, ['network.dataplane=azure', 'network.networkPolicy=none']), 'NetworkPolicy'),
    ).toEqual([]);
    const names = ofKind(render(undefined), 'NetworkPolicy').map(nameOf);
    expect(names).toEqual(['default-deny-all', 'allow-dns', 'allow-same-namespace', 'allow-gateway']);
    expect(ofKind(render(undefined, ['ingress.implementation=none']), 'NetworkPolicy').map(nameOf)).toEqual([
      'default-deny-all',
      'allow-dns',
      'allow-same-namespace',
    ]);
  });

  test('no document lands on spot nodes except team workloads meant for spot (where a pool exists) and node agents', () => {
    for (const scenario of SCENARIOS) {
      const r = renderScenario(scenario);
      const found: string[] = [];
      for (const m of r.manifests) {
        const check = (doc: unknown, where: string) =>
          walk(doc, (key, v, path) => {
            if ((key === 'key' && v === SPOT.key) || (typeof v === 'string' && v.includes(SPOT.key) && key !== 'patch'))
              found.push(`${where}${path}`);
          });
        check(m.doc, m.file);
        for (const p of (m.doc.patches as { patch: string }[] | undefined) ?? [])
          for (const d of parseAllDocuments(p.patch))
            check(d.toJS(), `${m.file}#patch:${(d.toJS() as { metadata: { name: string } }).metadata.name}`);
      }
      const owners = new Set(
        found.map((f) => f.replace(/\/(spec|values).*$/, '').replace(/#patch:(.*?)\/.*$/, '#patch:$1')),
      );
      const expected = new Set<string>();
      for (const env of r.plan.environments) {
        const spotPool = env.pools.some((p) => p.spot);
        for (const team of r.plan.teams)
          if (team.useSpot && spotPool) expected.add(`apps/${env.name}/kustomization.yaml#patch:${team.name}-example`);
      }
      if (r.plan.components.spotPools && r.plan.components.kured)
        expected.add('infrastructure/controllers/kured/release.yaml');
      if (r.plan.components.spotPools && r.plan.components.aadPodIdentity)
        expected.add('infrastructure/controllers/aad-pod-identity/release.yaml');
      expect([...owners].sort(), scenario.name).toEqual([...expected].sort());
    }
  });

  test('starter: team-a runs on spot in dev (which has a spot pool) but not in prod (which has none)', () => {
    const r = render('starter');
    expect(r.files.get('apps/dev/kustomization.yaml')).toContain(SPOT.key);
    expect(r.files.get('apps/prod/kustomization.yaml')).not.toContain(SPOT.key);
    expect(r.files.get('apps/prod/kustomization.yaml')).toContain('replicas: 2');
  });

  test('oss -> kube-prometheus-stack with Grafana reading Azure Monitor through workload identity', () => {
    const r = render('multicloud');
    const release = ofKind(r, 'HelmRelease').find((m) => nameOf(m) === 'kube-prometheus-stack')!;
    const grafana = (release.doc.spec as { values: { grafana: Record<string, any> } }).values.grafana;
    expect(grafana.serviceAccount.annotations['azure.workload.identity/client-id']).toBe('${GRAFANA_CLIENT_ID}');
    // The service account Bicep federates the Grafana identity with.
    expect([(release.doc.spec as { targetNamespace: string }).targetNamespace, grafana.serviceAccount.name]).toEqual([
      PLATFORM_SERVICE_ACCOUNTS.grafana.namespace,
      PLATFORM_SERVICE_ACCOUNTS.grafana.serviceAccount,
    ]);
    expect(grafana.podLabels['azure.workload.identity/use']).toBe('true');
    expect(grafana.additionalDataSources[0]).toMatchObject({
      type: 'grafana-azure-monitor-datasource',
      jsonData: { azureAuthType: 'workloadidentity' },
    });
    expect(
      ofKind(r, 'PodDisruptionBudget')
        .filter((m) => namespaceOf(m) === 'monitoring')
        .map((m) => `${namespaceOf(m)}/${nameOf(m)}`),
    ).toEqual(['monitoring/prometheus', 'monitoring/alertmanager']);
    expect(ofKind(render('enterprise'), 'HelmRelease').map(nameOf)).not.toContain('kube-prometheus-stack');
  });

  test('oss -> Alertmanager emails the alert addresses through the answered mail server, or notifies nobody and says so', () => {
    const mail = [
      'observability.alertEmails=[oncall@contoso.com,sre@contoso.com]',
      'observability.smtp.smarthost=smtp.contoso.com:25',
      'observability.smtp.from=aks-alerts@contoso.com',
    ];
    const alertmanager = (r: Rendered) =>
      (
        ofKind(r, 'HelmRelease').find((m) => nameOf(m) === 'kube-prometheus-stack')!.doc.spec as {
          values: { alertmanager: Record<string, any> };
        }
      ).values.alertmanager;
    const relay = alertmanager(render('multicloud', mail));
    // Every alert goes to the email receiver, but the two that fire by design; TLS is required, no sign-in.
    expect(relay.config.route.receiver).toBe(ALERTMANAGER_SMTP.receiver);
    expect(
      relay.config.route.routes.map((r: { receiver: string; matchers: string[] }) => [r.receiver, r.matchers]),
    ).toEqual([
      ['null', ['alertname = "Watchdog"']],
      ['null', ['alertname = "InfoInhibitor"']],
    ]);
    const receiver = relay.config.receivers.find((r: { name: string }) => r.name === ALERTMANAGER_SMTP.receiver);
    expect(receiver.email_configs).toEqual([{ to: 'oncall@contoso.com, sre@contoso.com', send_resolved: true }]);
    expect(relay.config.global).toEqual({
      resolve_timeout: '5m',
      smtp_smarthost: 'smtp.contoso.com:25',
      smtp_from: 'aks-alerts@contoso.com',
      smtp_require_tls: true,
    });
    expect(relay.alertmanagerSpec.volumes).toBeUndefined();
    expect(relay.serviceAccount).toBeUndefined();
    expect(ofKind(render('multicloud', mail), 'SecretProviderClass').map(nameOf)).not.toContain(
      ALERTMANAGER_SMTP.secretProviderClass,
    );
    // Signed in: the password file is the CSI mount of the one secret, read as Alertmanager's own identity.
    const signedIn = render('multicloud', [...mail, 'observability.smtp.username=aks-alerts@contoso.com']);
    const auth = alertmanager(signedIn);
    const mount = auth.alertmanagerSpec.volumeMounts[0];
    expect(auth.config.global.smtp_auth_password_file).toBe(`${mount.mountPath}/${ALERTMANAGER_SMTP.secret}`);
    expect(auth.alertmanagerSpec.volumes[0]).toMatchObject({
      name: mount.name,
      csi: { volumeAttributes: { secretProviderClass: ALERTMANAGER_SMTP.secretProviderClass } },
    });
    expect(auth.serviceAccount.name).toBe(PLATFORM_SERVICE_ACCOUNTS.alertmanager.serviceAccount);
    const spc = ofKind(signedIn, 'SecretProviderClass').find(
      (m) => nameOf(m) === ALERTMANAGER_SMTP.secretProviderClass,
    )!;
    expect(namespaceOf(spc)).toBe(PLATFORM_SERVICE_ACCOUNTS.alertmanager.namespace);
    expect((spc.doc.spec as { parameters: Record<string, string> }).parameters.clientID).toBe(
      '${ALERTMANAGER_CLIENT_ID}',
    );
    // No mail server: the chart's own null receiver stays, and the README names the missing receiver.
    const none = render('multicloud');
    expect(alertmanager(none).config).toBeUndefined();
    expect(none.files.get('README.md')).toContain("Alertmanager's email receiver");
  });

  test('each team workload has a PodDisruptionBudget selecting its pods and spreads its replicas over zones and nodes', () => {
    const r = render('starter');
    for (const team of r.plan.teams) {
      const deployment = ofKind(r, 'Deployment').find((m) => namespaceOf(m) === team.namespace)!;
      const spec = deployment.doc.spec as {
        template: {
          metadata: { labels: Record<string, string> };
          spec: { topologySpreadConstraints: { topologyKey: string }[] };
        };
      };
      const pdb = ofKind(r, 'PodDisruptionBudget').find((m) => namespaceOf(m) === team.namespace)!;
      const budget = pdb.doc.spec as { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
      expect(budget.maxUnavailable).toBe(1);
      for (const [k, v] of Object.entries(budget.selector.matchLabels))
        expect(spec.template.metadata.labels[k]).toBe(v);
      expect(spec.template.spec.topologySpreadConstraints.map((c) => c.topologyKey)).toEqual([
        'topology.kubernetes.io/zone',
        'kubernetes.io/hostname',
      ]);
    }
  });

  test("Grafana's admin login comes from Key Vault through the CSI driver; without that route Grafana is left out, never defaulted", () => {
    const r = render('multicloud');
    const release = ofKind(r, 'HelmRelease').find((m) => nameOf(m) === 'kube-prometheus-stack')!;
    const grafana = (release.doc.spec as { values: { grafana: Record<string, any> } }).values.grafana;
    expect(grafana.admin).toEqual({
      existingSecret: GRAFANA_ADMIN.kubernetesSecret,
      userKey: GRAFANA_ADMIN.secrets.user,
      passwordKey: GRAFANA_ADMIN.secrets.password,
    });
    expect(grafana.adminPassword).toBeUndefined();
    expect(grafana.extraSecretMounts[0].csi.volumeAttributes.secretProviderClass).toBe(
      GRAFANA_ADMIN.secretProviderClass,
    );
    const spc = ofKind(r, 'SecretProviderClass').find((m) => nameOf(m) === GRAFANA_ADMIN.secretProviderClass)!;
    expect(namespaceOf(spc)).toBe(PLATFORM_SERVICE_ACCOUNTS.grafana.namespace);
    const spec = spc.doc.spec as {
      parameters: Record<string, string>;
      secretObjects: { secretName: string; data: { key: string }[] }[];
    };
    expect(spec.parameters.clientID).toBe('${GRAFANA_CLIENT_ID}');
    expect(spec.secretObjects[0]!.secretName).toBe(GRAFANA_ADMIN.kubernetesSecret);
    expect(spec.secretObjects[0]!.data.map((d) => d.key).sort()).toEqual(
      [GRAFANA_ADMIN.secrets.password, GRAFANA_ADMIN.secrets.user].sort(),
    );
    // aad-pod-identity: no workload identity for the CSI driver, so no Grafana, and the README says why.
    const podIdentity = render('multicloud', ['identity.podIdentity=aad-pod-identity']);
    const values = (
      ofKind(podIdentity, 'HelmRelease').find((m) => nameOf(m) === 'kube-prometheus-stack')!.doc.spec as {
        values: { grafana: Record<string, unknown> };
      }
    ).values.grafana;
    expect(values).toEqual({ enabled: false });
    expect(podIdentity.plan.omissions.map((o) => o.what)).toContain(
      'Grafana in kube-prometheus-stack (Prometheus and Alertmanager stay)',
    );
    // No generated file anywhere carries the chart's default password.
    for (const preset of ['multicloud', 'enterprise', 'starter'])
      for (const [path, text] of render(preset).files) expect(text, path).not.toContain('prom-operator');
  });

  test('oss: Prometheus, Alertmanager and Grafana keep their state on volumes of a class that exists; unreachable control-plane targets are off', () => {
    const values = (r: Rendered) =>
      (ofKind(r, 'HelmRelease').find((m) => nameOf(m) === 'kube-prometheus-stack')!.doc.spec as { values: any }).values;
    const r = render('multicloud');
    const v = values(r);
    const claim = (spec: any) => spec.volumeClaimTemplate.spec;
    // The multicloud pools span zones: a zone-redundant class this repository defines.
    const [storageClass] = ofKind(r, 'StorageClass');
    expect(storageClass!.doc).toMatchObject({
      metadata: { name: 'managed-csi-premium-zrs' },
      provisioner: 'disk.csi.azure.com',
      parameters: { skuName: 'Premium_ZRS' },
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    expect(claim(v.prometheus.prometheusSpec.storageSpec)).toMatchObject({
      storageClassName: 'managed-csi-premium-zrs',
      resources: { requests: { storage: MONITORING_VOLUMES.prometheus.size } },
    });
    expect(v.prometheus.prometheusSpec.retentionSize).toBe('45GB');
    expect(claim(v.alertmanager.alertmanagerSpec.storage).storageClassName).toBe('managed-csi-premium-zrs');
    expect(v.grafana.persistence).toMatchObject({ enabled: true, storageClassName: 'managed-csi-premium-zrs' });
    expect(v.grafana.deploymentStrategy).toEqual({ type: 'Recreate' });
    // AKS runs these out of reach; Cilium replaces kube-proxy.
    for (const component of ['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy'])
      expect(v[component], component).toEqual({ enabled: false });
    expect(v.defaultRules.rules).toMatchObject({ etcd: false, kubeSchedulerAlerting: false, kubeProxy: false });
    // With the iptables dataplane kube-proxy runs and is scraped; without zones the built-in LRS class serves.
    const noZones = render('multicloud', [
      'network.dataplane=azure',
      'network.networkPolicy=azure',
      ...[0, 1].flatMap((i) => [`environments.${i}.systemPool.zones=[]`, `environments.${i}.userPool.zones=[]`]),
    ]);
    expect(values(noZones).kubeProxy).toEqual({ enabled: true });
    expect(ofKind(noZones, 'StorageClass')).toEqual([]);
    expect(claim(values(noZones).prometheus.prometheusSpec.storageSpec).storageClassName).toBe('managed-csi-premium');
    expect(HELM_CHARTS['kube-prometheus-stack'].version).toBe('88.5.3');
  });

  test('without a pod identity there is no SecretProviderClass (nothing to authenticate to Key Vault as)', () => {
    expect(
      ofKind(render(undefined, ['identity.podIdentity=none', 'teams.0.keyVaultSecrets=[]']), 'SecretProviderClass'),
    ).toEqual([]);
    expect(
      ofKind(render(undefined, ['secrets.keyVaultCsi=false', 'teams.0.keyVaultSecrets=[]']), 'SecretProviderClass'),
    ).toEqual([]);
    const r = render(undefined, ['identity.podIdentity=none', 'teams.0.keyVaultSecrets=[]']);
    const deployment = ofKind(r, 'Deployment')[0]!;
    expect(JSON.stringify(deployment.doc)).not.toContain('secrets-store');
  });
});
