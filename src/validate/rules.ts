import { posix } from 'node:path';
import { SYSTEM_NAMESPACES } from '../plan/policy.js';
import { checkBicepConsistency } from './bicep-rules.js';
import { arcClusters, checkHybridConsistency, environmentParameterFiles } from './hybrid-rules.js';
import type { Files, Finding } from './finding.js';
import { MAX_ALIAS_COUNT } from './yaml-documents.js';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';

// Cross-file consistency rules over a platform repository (generated or edited by hand): each finding names the
// rule, the file and line, what is wrong and how to fix it.

export interface YamlDoc {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  value: Record<string, unknown>;
}

export function parseYamlFiles(files: Files, select: (path: string) => boolean): YamlDoc[] {
  const docs: YamlDoc[] = [];
  for (const [file, text] of files) {
    if (!select(file) || !/\.ya?ml$/.test(file)) continue;
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
      if (doc.errors.length > 0) continue;
      // An alias bomb stops here (the schema check reports it); the rules read the documents that can be read.
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
      } catch {
        continue;
      }
      if (value && typeof value === 'object' && !Array.isArray(value))
        docs.push({ file, doc, lines, value: value as Record<string, unknown> });
    }
  }
  return docs;
}

/** The 1-based line of the key (or list entry) at a path in a document, or of the document itself. */
export function lineOf(d: YamlDoc, path: (string | number)[]): number {
  let node: unknown = d.doc.contents;
  let range = (node as Node | null)?.range;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      range = (pair.key as Node).range ?? range;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)] as Node | undefined;
      if (!item) break;
      range = item.range ?? range;
      node = item;
    } else break;
  }
  return range ? d.lines.linePos(range[0]).line : 1;
}

/** 1-based line of the first match of `pattern` in `text`, or 1. */
export function lineOfText(text: string, pattern: RegExp): number {
  const index = text.search(pattern);
  return index < 0 ? 1 : text.slice(0, index).split('\n').length;
}

export function get(value: unknown, path: string[]): unknown {
  let node = value;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** Paths that exist but whose text was not read (too large, unreadable): they exist all the same. */
let presentPaths: ReadonlySet<string> = new Set();

function exists(files: Files, path: string): 'file' | 'dir' | undefined {
  const clean = posix.normalize(path).replace(/^\.\//, '').replace(/\/$/, '');
  if (clean === '.' || clean === '') return 'dir';
  if (files.has(clean) || presentPaths.has(clean)) return 'file';
  return [...files.keys(), ...presentPaths].some((f) => f.startsWith(`${clean}/`)) ? 'dir' : undefined;
}

const isGitOps = (path: string) => /^(clusters|infrastructure|apps)\//.test(path);

/** Every Flux Kustomization's spec.path is a folder of the repository. */
function fluxPaths(files: Files, docs: YamlDoc[]): Finding[] {
  return docs
    .filter(
      (d) =>
        String(d.value.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/') && d.value.kind === 'Kustomization',
    )
    .flatMap((d) => {
      const path = get(d.value, ['spec', 'path']);
      if (typeof path !== 'string' || exists(files, path) === 'dir') return [];
      return [
        {
          rule: 'flux-path',
          severity: 'error',
          file: d.file,
          line: lineOf(d, ['spec', 'path']),
          message: `Flux Kustomization ${String(get(d.value, ['metadata', 'name']))} points at ${path}, which is not a folder of this repository`,
          fix: 'create the folder, or correct spec.path',
        } satisfies Finding,
      ];
    });
}

/** Every entry of a kustomization.yaml's resources exists next to it. */
function kustomizationResources(files: Files, docs: YamlDoc[]): Finding[] {
  return docs
    .filter(
      (d) =>
        posix.basename(d.file) === 'kustomization.yaml' &&
        d.value.kind === 'Kustomization' &&
        String(d.value.apiVersion ?? '').startsWith('kustomize.config.k8s.io/'),
    )
    .flatMap((d) => {
      const resources = d.value.resources;
      if (!Array.isArray(resources)) return [];
      return resources.flatMap((entry, i) => {
        if (typeof entry !== 'string' || /^[a-z]+:\/\//.test(entry)) return [];
        const target = posix.join(posix.dirname(d.file), entry);
        const kind = exists(files, target);
        if (kind === 'dir' && !KUSTOMIZATION_FILES.some((name) => exists(files, posix.join(target, name)))) {
          return [
            {
              rule: 'kustomization-resource',
              severity: 'error',
              file: d.file,
              line: lineOf(d, ['resources', i]),
              message: `resource ${entry} is a folder without a kustomization.yaml (${target}), which kustomize cannot build`,
              fix: `add ${target}/kustomization.yaml listing its files, or remove the entry`,
            } satisfies Finding,
          ];
        }
        if (kind) return [];
        return [
          {
            rule: 'kustomization-resource',
            severity: 'error',
            file: d.file,
            line: lineOf(d, ['resources', i]),
            message: `resource ${entry} does not exist (${target})`,
            fix: 'add the file or folder, or remove the entry',
          } satisfies Finding,
        ];
      });
    });
}

/** Every HelmRelease's chart source is a HelmRepository (or other source) defined in the repository. */
function helmSources(docs: YamlDoc[]): Finding[] {
  const sources = new Set(
    docs
      .filter((d) => String(d.value.apiVersion ?? '').startsWith('source.toolkit.fluxcd.io/'))
      .map(
        (d) =>
          `${String(d.value.kind)}/${String(get(d.value, ['metadata', 'namespace']) ?? '')}/${String(get(d.value, ['metadata', 'name']))}`,
      ),
  );
  return docs
    .filter(
      (d) => String(d.value.apiVersion ?? '').startsWith('helm.toolkit.fluxcd.io/') && d.value.kind === 'HelmRelease',
    )
    .flatMap((d) => {
      const ref = get(d.value, ['spec', 'chart', 'spec', 'sourceRef']) as
        | { kind?: string; name?: string; namespace?: string }
        | undefined;
      if (!ref) return [];
      const namespace = ref.namespace ?? String(get(d.value, ['metadata', 'namespace']) ?? '');
      if (sources.has(`${ref.kind}/${namespace}/${ref.name}`)) return [];
      return [
        {
          rule: 'helm-source',
          severity: 'error',
          file: d.file,
          line: lineOf(d, ['spec', 'chart', 'spec', 'sourceRef']),
          message: `HelmRelease ${String(get(d.value, ['metadata', 'name']))} uses ${ref.kind} ${namespace}/${ref.name}, which no manifest defines`,
          fix: 'add the source (repository.yaml) or correct sourceRef',
        } satisfies Finding,
      ];
    });
}

/** StorageClasses AKS creates in every cluster. https://learn.microsoft.com/azure/aks/concepts-storage#storage-classes */
const AKS_STORAGE_CLASSES = new Set([
  'default',
  'managed',
  'managed-premium',
  'managed-csi',
  'managed-csi-premium',
  'azurefile',
  'azurefile-premium',
  'azurefile-csi',
  'azurefile-csi-premium',
  'azureblob-fuse-premium',
  'azureblob-nfs-premium',
]);

/** Every storageClassName a HelmRelease's values ask for, with its path in the document. */
function storageClassNames(
  value: unknown,
  path: (string | number)[] = [],
): { name: string; path: (string | number)[] }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => storageClassNames(item, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'storageClassName' && typeof item === 'string'
      ? [{ name: item, path: [...path, key] }]
      : storageClassNames(item, [...path, key]),
  );
}

/**
 * A volume a HelmRelease claims names a StorageClass AKS provides or the repository defines; any other name leaves
 * the claim Pending and the release (Prometheus, Grafana) waiting forever.
 */
function storageClasses(docs: YamlDoc[]): Finding[] {
  const defined = new Set(
    docs.filter((d) => d.value.kind === 'StorageClass').map((d) => String(get(d.value, ['metadata', 'name']))),
  );
  return docs
    .filter((d) => d.value.kind === 'HelmRelease')
    .flatMap((d) =>
      storageClassNames(get(d.value, ['spec', 'values']), ['spec', 'values'])
        .filter(({ name }) => !AKS_STORAGE_CLASSES.has(name) && !defined.has(name))
        .map(
          ({ name, path }) =>
            ({
              rule: 'storage-class',
              severity: 'error',
              file: d.file,
              line: lineOf(d, path),
              message: `HelmRelease ${String(get(d.value, ['metadata', 'name']))} claims a volume of the StorageClass ${name}, which neither AKS nor any manifest defines: the claim would stay Pending`,
              fix: `define the StorageClass ${name} beside the release, or use a class AKS provides such as managed-csi-premium`,
            }) satisfies Finding,
        ),
    );
}

/** Bicep parameter files, cluster entry points and pipeline environments name the same environments. */
function environments(files: Files): Finding[] {
  const fromParams = new Map(environmentParameterFiles(files).map((env) => [env.environment, env.file]));
  // Arc clusters have entry points of their own but no deployment: the arc-entry-point rule checks them.
  const arc = new Set(arcClusters(files).map((c) => c.name.value));
  const fromClusters = new Map(
    [...files.keys()]
      .filter((f) => /^clusters\/[^/]+\//.test(f) && !arc.has(f.split('/')[1]!))
      .map((f) => [f.split('/')[1]!, `clusters/${f.split('/')[1]}`]),
  );
  const findings: Finding[] = [];
  for (const [env, file] of fromParams) {
    if (!fromClusters.has(env))
      findings.push({
        rule: 'environments',
        severity: 'error',
        file,
        line: 1,
        message: `environment ${env} has a Bicep parameter file but no clusters/${env} folder, so Flux has nothing to reconcile there`,
        fix: `add clusters/${env}/ (copy another environment's entry points), or remove ${file}`,
      });
  }
  for (const [env, dir] of fromClusters) {
    if (!fromParams.has(env))
      findings.push({
        rule: 'environments',
        severity: 'error',
        file: `${dir}/kustomization.yaml`,
        line: 1,
        message: `clusters/${env} has no infra/${env}.bicepparam, so no cluster is deployed for it`,
        fix: `add infra/${env}.bicepparam, or remove clusters/${env}`,
      });
  }
  for (const pipeline of ['.github/workflows/infra.yml', '.azure-pipelines/infra.yml']) {
    const text = files.get(pipeline);
    if (text === undefined) continue;
    for (const env of fromParams.keys()) {
      if (!text.includes(`infra/${env}.bicepparam`)) {
        findings.push({
          rule: 'environments',
          severity: 'error',
          file: pipeline,
          line: 1,
          message: `the deployment pipeline never deploys infra/${env}.bicepparam`,
          fix: `add a deployment of ${env} to ${pipeline}`,
        });
      }
    }
    for (const match of text.matchAll(/infra\/([a-z][a-z0-9]*)\.bicepparam/g)) {
      const env = match[1]!;
      if (env !== 'hub' && !fromParams.has(env) && !files.has(`infra/${env}.bicepparam`)) {
        findings.push({
          rule: 'environments',
          severity: 'error',
          file: pipeline,
          line: lineOfText(text, new RegExp(`infra/${env}\\.bicepparam`)),
          message: `the pipeline deploys infra/${env}.bicepparam, which does not exist`,
          fix: `add infra/${env}.bicepparam, or remove the deployment`,
        });
      }
    }
  }
  return findings;
}

/** Workloads tolerate the spot taint only where that was meant: never the platform's own components. */
function spotTolerations(docs: YamlDoc[]): Finding[] {
  return docs
    .filter((d) => /^infrastructure\//.test(d.file) && ['Deployment', 'StatefulSet'].includes(String(d.value.kind)))
    .flatMap((d) => {
      const tolerations = get(d.value, ['spec', 'template', 'spec', 'tolerations']);
      if (!Array.isArray(tolerations)) return [];
      const i = tolerations.findIndex((t) => get(t, ['key']) === 'kubernetes.azure.com/scalesetpriority');
      if (i < 0) return [];
      return [
        {
          rule: 'spot-toleration',
          severity: 'error',
          file: d.file,
          line: lineOf(d, ['spec', 'template', 'spec', 'tolerations', i]),
          message: `platform component ${String(get(d.value, ['metadata', 'name']))} tolerates spot nodes, which can be evicted at any time`,
          fix: 'remove the toleration; platform components run on regular nodes',
        } satisfies Finding,
      ];
    });
}

/**
 * Team workloads go to spot nodes only where that was meant: the environment has a spot pool (otherwise the required
 * node affinity leaves them pending forever) and, when .yo-rc.json is there, the team's answers ask for spot.
 */
function teamSpot(files: Files, docs: YamlDoc[]): Finding[] {
  let teams: { name: string; useSpot?: boolean }[] | undefined;
  try {
    const stored = JSON.parse(files.get('.yo-rc.json') ?? 'null') as Record<
      string,
      { answers?: { teams?: { name: string; useSpot?: boolean }[] } }
    > | null;
    teams = stored ? Object.values(stored)[0]?.answers?.teams : undefined;
  } catch {
    teams = undefined;
  }
  const findings: Finding[] = [];
  for (const d of docs.filter(
    (doc) => /^apps\/[^/]+\/kustomization\.yaml$/.test(doc.file) && Array.isArray(doc.value.patches),
  )) {
    const env = d.file.split('/')[1]!;
    const params = files.get(`infra/${env}.bicepparam`);
    (d.value.patches as { patch?: unknown }[]).forEach((entry, i) => {
      if (typeof entry.patch !== 'string' || !entry.patch.includes('kubernetes.azure.com/scalesetpriority')) return;
      const namespace = /namespace:\s*(\S+)/.exec(entry.patch)?.[1] ?? '';
      const where = {
        rule: 'spot-toleration',
        severity: 'error' as const,
        file: d.file,
        line: lineOf(d, ['patches', i]),
      };
      if (params !== undefined && !/spot:\s*true/.test(params)) {
        findings.push({
          ...where,
          message: `workloads of ${namespace} are sent to spot nodes in ${env}, but infra/${env}.bicepparam has no spot pool, so they would stay pending`,
          fix: `add a spot pool to ${env} (environments.<n>.spotPool.enabled), or remove the patch`,
        });
      }
      const team = teams?.find((t) => t.name === namespace);
      if (team && team.useSpot !== true) {
        findings.push({
          ...where,
          message: `workloads of team ${namespace} tolerate spot evictions in ${env}, but the team's answers (teams.*.useSpot in .yo-rc.json) do not ask for spot`,
          fix: "remove the patch, or set the team's useSpot to true and regenerate",
        });
      }
    });
  }
  return findings;
}

/** Each Kubernetes grant exists once: RoleBindings to Entra groups in YAML only when Azure RBAC is off. */
function rbacExclusive(files: Files, docs: YamlDoc[]): Finding[] {
  const azureRbac = [...files].find(
    ([f, text]) => f.startsWith('infra/') && f.endsWith('.bicep') && /enableAzureRBAC:\s*true/.test(text),
  );
  if (!azureRbac) return [];
  return docs
    .filter((d) => ['RoleBinding', 'ClusterRoleBinding'].includes(String(d.value.kind)))
    .filter(
      (d) =>
        Array.isArray(d.value.subjects) && (d.value.subjects as unknown[]).some((s) => get(s, ['kind']) === 'Group'),
    )
    .map((d) => ({
      rule: 'rbac-exclusive',
      severity: 'error' as const,
      file: d.file,
      line: lineOf(d, ['subjects']),
      message: `${String(d.value.kind)} ${String(get(d.value, ['metadata', 'name']))} binds an Entra group, but the cluster uses Azure RBAC (${azureRbac[0]}), so access would be granted in two places`,
      fix: 'grant the group an Azure role assignment in Bicep and remove the binding, or switch the cluster to Kubernetes RBAC',
    }));
}

/** The file names kustomize looks for in a folder given as a resource. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const metaName = (value: unknown): string => String(get(value, ['metadata', 'name']) ?? '');
const metaNamespace = (value: unknown): string | undefined => {
  const ns = get(value, ['metadata', 'namespace']);
  return typeof ns === 'string' ? ns : undefined;
};

/** Namespaces every AKS cluster with the Flux extension has before anything in the repository is applied. */
const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system']);

/**
 * Every object the team workloads put in a namespace finds that Namespace in the repository (or a built-in one):
 * renaming a Namespace and leaving its objects behind makes the whole apps Kustomization fail to apply.
 */
/** The namespaces the repository creates, each with the files that create it. */
function definedNamespaces(docs: YamlDoc[]): Map<string, string[]> {
  const defined = new Map<string, string[]>();
  const add = (name: string, file: string) => defined.set(name, [...(defined.get(name) ?? []), file]);
  for (const d of docs) {
    if (d.value.kind === 'Namespace' && d.value.apiVersion === 'v1') add(metaName(d.value), d.file);
    // A HelmRelease that creates its target namespace defines it too.
    if (d.value.kind === 'HelmRelease' && get(d.value, ['spec', 'install', 'createNamespace']) === true) {
      const target = get(d.value, ['spec', 'targetNamespace']);
      if (typeof target === 'string') add(target, d.file);
    }
  }
  return defined;
}

function namespacesExist(docs: YamlDoc[]): Finding[] {
  const defined = definedNamespaces(docs);
  return docs
    .filter((d) => d.file.startsWith('apps/') && d.value.kind !== 'Namespace')
    .flatMap((d) => {
      const namespace = metaNamespace(d.value);
      if (namespace === undefined || defined.has(namespace) || BUILT_IN_NAMESPACES.has(namespace)) return [];
      return [
        {
          rule: 'namespace',
          severity: 'error',
          file: d.file,
          line: lineOf(d, ['metadata', 'namespace']),
          message: `${String(d.value.kind)} ${metaName(d.value)} is in namespace ${namespace}, which no Namespace of the repository creates, so applying it fails`,
          fix: `move it to the team's namespace (metadata.namespace), or add a Namespace ${namespace}`,
        } satisfies Finding,
      ];
    });
}

const POLICY_MODULE = 'infra/modules/policy.bicep';

/**
 * Every namespace the Azure Policy assignments exclude exists, in the repository or on every cluster, and none is a
 * team's: a misspelt exclusion leaves the platform component it meant under the policy (refused in production), and
 * an excluded team namespace is no longer guarded by the pod security and registry policies.
 */
function policyExclusions(files: Files, docs: YamlDoc[]): Finding[] {
  const text = files.get(POLICY_MODULE);
  if (text === undefined) return [];
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^var excludedNamespaces = \[/.test(line));
  if (start < 0) return [];
  const defined = definedNamespaces(docs);
  const system = new Set(SYSTEM_NAMESPACES.map((ns) => ns.name));
  const findings: Finding[] = [];
  for (let i = start + 1; i < lines.length && !/^\s*\]/.test(lines[i]!); i++) {
    const name = /^\s*'([^']*)'/.exec(lines[i]!)?.[1];
    if (name === undefined || system.has(name)) continue;
    const where = defined.get(name);
    if (where === undefined)
      findings.push({
        rule: 'policy-exclusion',
        severity: 'error',
        file: POLICY_MODULE,
        line: i + 1,
        message: `the policy assignments exclude namespace ${name}, which no Namespace of the repository creates and no cluster has, so the namespace meant stays under the policies (denied in production)`,
        fix: `correct the name to a namespace the repository creates, or one of ${[...system].join(', ')}`,
      });
    else if (where.every((file) => file.startsWith('apps/')))
      findings.push({
        rule: 'policy-exclusion',
        severity: 'error',
        file: POLICY_MODULE,
        line: i + 1,
        message: `the policy assignments exclude namespace ${name}, a team namespace (${where[0]}), so the pod security and allowed registry policies no longer guard it`,
        fix: `remove '${name}' from excludedNamespaces; exclusions are for the platform's own namespaces`,
      });
  }
  return findings;
}

/** Every SecretProviderClass a workload mounts through the Secrets Store CSI driver exists in its namespace. */
function secretProviderClasses(docs: YamlDoc[]): Finding[] {
  const classes = new Set(
    docs
      .filter((d) => d.value.kind === 'SecretProviderClass')
      .map((d) => `${metaNamespace(d.value) ?? ''}/${metaName(d.value)}`),
  );
  return docs
    .filter((d) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(String(d.value.kind)))
    .flatMap((d) => {
      const podPath =
        d.value.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template', 'spec'] : ['spec', 'template', 'spec'];
      const volumes = get(d.value, [...podPath, 'volumes']);
      if (!Array.isArray(volumes)) return [];
      return volumes.flatMap((volume, i) => {
        if (get(volume, ['csi', 'driver']) !== 'secrets-store.csi.k8s.io') return [];
        const name = get(volume, ['csi', 'volumeAttributes', 'secretProviderClass']);
        const namespace = metaNamespace(d.value) ?? '';
        if (typeof name !== 'string' || classes.has(`${namespace}/${name}`)) return [];
        return [
          {
            rule: 'secret-provider-class',
            severity: 'error',
            file: d.file,
            line: lineOf(d, [...podPath, 'volumes', i, 'csi', 'volumeAttributes', 'secretProviderClass']),
            message: `${String(d.value.kind)} ${metaName(d.value)} mounts SecretProviderClass ${name}, which namespace ${namespace || '(none)'} does not have, so its pods never start`,
            fix: 'correct volumeAttributes.secretProviderClass, or rename the SecretProviderClass back',
          } satisfies Finding,
        ];
      });
    });
}

/** Every rule over a repository's files; `present` lists paths that exist but were not read. */
export function checkConsistency(files: Files, present: ReadonlySet<string> = new Set()): Finding[] {
  presentPaths = present;
  try {
    return consistencyFindings(files);
  } finally {
    presentPaths = new Set();
  }
}

function consistencyFindings(files: Files): Finding[] {
  const docs = parseYamlFiles(files, isGitOps);
  return [
    ...namespacesExist(docs),
    ...policyExclusions(files, docs),
    ...secretProviderClasses(docs),
    ...fluxPaths(files, docs),
    ...kustomizationResources(files, docs),
    ...helmSources(docs),
    ...storageClasses(docs),
    ...environments(files),
    ...spotTolerations(docs),
    ...teamSpot(
      files,
      parseYamlFiles(files, (path) => /^apps\/[^/]+\/kustomization\.yaml$/.test(path)),
    ),
    ...rbacExclusive(files, docs),
    ...checkBicepConsistency(files),
    ...checkHybridConsistency(files),
  ];
}
