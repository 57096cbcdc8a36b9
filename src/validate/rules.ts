import { posix } from 'node:path';
import { SYSTEM_NAMESPACES } from '../plan/policy.js';
import { checkBicepConsistency, deploymentWrittenSecretSets, secretProviderKey } from './bicep-rules.js';
import { arcClusters, checkHybridConsistency, environmentParameterFiles } from './hybrid-rules.js';
import { FLUX } from '../plan/contracts.js';
import { FLUX_KINDS, FLUX_TENANCY_CONSTRAINTS } from '../plan/flux-tenancy.js';
import { DEFAULT_CREDENTIAL_CHARTS } from '../plan/grafana.js';
import type { Files, Finding } from './finding.js';
import { MAX_ALIAS_COUNT, readableDocuments } from './yaml-documents.js';
import { dailyWindowInside, runningFromEvents, type DailyWindow } from '../answers/maintenance-window.js';
import { WEEKDAYS } from '../answers/schema.js';
import { isValidTimeZone, zoneOffsets } from '../util/time-zone.js';
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

export const isGitOps = (path: string) => /^(clusters|infrastructure|apps)\//.test(path);

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

/**
 * The Flux extension's multi-tenancy (FLUX_TENANCY_CONSTRAINTS): Flux objects in the configuration's namespace,
 * references inside it, HelmReleases placed with targetNamespace. Off only where the Bicep turns enforcement off.
 */
function fluxTenancy(files: Files, docs: YamlDoc[]): Finding[] {
  const optedOut = [...files].some(
    ([f, text]) => f.startsWith('infra/') && f.endsWith('.bicep') && /'multiTenancy\.enforce':\s*'false'/.test(text),
  );
  if (optedOut) return [];
  const constraint = (id: string) => FLUX_TENANCY_CONSTRAINTS.find((c) => c.id === id)!;
  const findings: Finding[] = [];
  const report = (d: YamlDoc, path: (string | number)[], id: string, message: string, fix: string) =>
    findings.push({
      rule: 'flux-tenancy',
      severity: 'error',
      file: d.file,
      line: lineOf(d, path),
      message: `${message} (${constraint(id).source})`,
      fix,
    });
  for (const d of docs) {
    if (!/\.toolkit\.fluxcd\.io\//.test(String(d.value.apiVersion ?? ''))) continue;
    const kind = String(d.value.kind);
    if (!(FLUX_KINDS as readonly string[]).includes(kind)) continue;
    const name = String(get(d.value, ['metadata', 'name']));
    const namespace = get(d.value, ['metadata', 'namespace']);
    if (namespace !== FLUX.namespace) {
      report(
        d,
        namespace === undefined ? ['metadata'] : ['metadata', 'namespace'],
        'namespace',
        `${kind} ${name} is in namespace ${String(namespace ?? '(none)')}, where the Flux extension has no flux-applier account, so it never reconciles`,
        `move it to metadata.namespace: ${FLUX.namespace}${kind === 'HelmRelease' ? ' and install into its namespace with spec.targetNamespace' : ''}`,
      );
    }
    for (const path of [
      ['spec', 'sourceRef'],
      ['spec', 'chart', 'spec', 'sourceRef'],
    ]) {
      const refNamespace = get(d.value, [...path, 'namespace']);
      if (refNamespace !== undefined && refNamespace !== FLUX.namespace)
        report(
          d,
          [...path, 'namespace'],
          'same-namespace-references',
          `${kind} ${name} takes its source from namespace ${String(refNamespace)}`,
          `keep the source in ${FLUX.namespace} and drop sourceRef.namespace`,
        );
    }
    const dependsOn = get(d.value, ['spec', 'dependsOn']);
    if (Array.isArray(dependsOn))
      dependsOn.forEach((dep, i) => {
        const depNamespace = get(dep, ['namespace']);
        if (depNamespace !== undefined && depNamespace !== FLUX.namespace)
          report(
            d,
            ['spec', 'dependsOn', i],
            'same-namespace-references',
            `${kind} ${name} depends on ${String(get(dep, ['name']))} in namespace ${String(depNamespace)}`,
            `depend on the object in ${FLUX.namespace} by name only`,
          );
      });
    if (
      kind === 'HelmRelease' &&
      namespace === FLUX.namespace &&
      get(d.value, ['spec', 'targetNamespace']) === undefined
    )
      report(
        d,
        ['spec'],
        'target-namespace',
        `HelmRelease ${name} has no spec.targetNamespace, so its workload would be installed into ${FLUX.namespace}`,
        "set spec.targetNamespace to the component's namespace (and spec.releaseName to keep the release name)",
      );
  }
  return findings;
}

/**
 * A team workload that runs more than one replica in some environment (base, or an overlay patch) has a
 * PodDisruptionBudget selecting its pods, so a drain (Kured, node image or Kubernetes upgrade) keeps one serving.
 */
function workloadDisruption(docs: YamlDoc[]): Finding[] {
  const scaled = new Map<string, { replicas: number; where: string }>();
  for (const d of docs) {
    if (!/^apps\/[^/]+\/kustomization\.yaml$/.test(d.file) || !Array.isArray(d.value.patches)) continue;
    for (const entry of d.value.patches as { patch?: unknown }[]) {
      if (typeof entry.patch !== 'string') continue;
      // A patch is YAML inside YAML: read it within the same alias limit as the files.
      const patch = readableDocuments(entry.patch)[0]?.toJS();
      const replicas = get(patch, ['spec', 'replicas']);
      const key = `${String(get(patch, ['metadata', 'namespace']))}/${String(get(patch, ['metadata', 'name']))}`;
      if (typeof replicas === 'number' && replicas > (scaled.get(key)?.replicas ?? 0))
        scaled.set(key, { replicas, where: d.file });
    }
  }
  const budgets = docs.filter((d) => d.value.kind === 'PodDisruptionBudget');
  const findings: Finding[] = [];
  for (const d of docs) {
    if (!d.file.startsWith('apps/') || !['Deployment', 'StatefulSet'].includes(String(d.value.kind))) continue;
    const namespace = String(get(d.value, ['metadata', 'namespace']));
    const name = String(get(d.value, ['metadata', 'name']));
    const base = get(d.value, ['spec', 'replicas']);
    const overlay = scaled.get(`${namespace}/${name}`);
    const replicas = Math.max(typeof base === 'number' ? base : 1, overlay?.replicas ?? 0);
    if (replicas < 2) continue;
    const labels = (get(d.value, ['spec', 'template', 'metadata', 'labels']) ?? {}) as Record<string, unknown>;
    const covered = budgets.some((b) => {
      const match = get(b.value, ['spec', 'selector', 'matchLabels']) as Record<string, unknown> | undefined;
      return (
        get(b.value, ['metadata', 'namespace']) === namespace &&
        match !== undefined &&
        Object.keys(match).length > 0 &&
        Object.entries(match).every(([k, v]) => labels[k] === v)
      );
    });
    if (covered) continue;
    findings.push({
      rule: 'workload-disruption',
      severity: 'error',
      file: d.file,
      line: lineOf(d, ['spec', 'selector']),
      message: `${String(d.value.kind)} ${namespace}/${name} runs ${replicas} replicas${overlay ? ` (${overlay.where})` : ''} but no PodDisruptionBudget selects its pods, so a node drain may take them all down`,
      fix: 'add a PodDisruptionBudget with maxUnavailable: 1 and the same selector next to it (pod-disruption-budget.yaml)',
    });
  }
  return findings;
}

/**
 * Secrets that people write (Key Vault objects the Bicep does not write) hold only the pods that mount them: no Flux
 * Kustomization may depend on a layer that mounts such a secret, or one missing secret would stall everything after it.
 */
function secretDependency(files: Files, docs: YamlDoc[]): Finding[] {
  const bicep = [...files]
    .filter(([f]) => f.startsWith('infra/') && f.endsWith('.bicep'))
    .map(([, text]) => text)
    .join('\n');
  const handWritten = (object: string) =>
    !new RegExp(`name:\\s*'${object.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`).test(bicep);
  // A SecretProviderClass signing in as the reader the deployment writes secrets for mounts the deployment's secrets;
  // a name out of step there is the deployment-secrets rule's to report.
  const deploymentWritten = deploymentWrittenSecretSets(files);
  const mountsHandWritten = (root: string) =>
    docs.some((d) => {
      if (d.value.kind !== 'SecretProviderClass' || !d.file.startsWith(`${root}/`)) return false;
      const { key } = secretProviderKey(d.value);
      if (key && deploymentWritten.has(key)) return false;
      const objects = String(get(d.value, ['spec', 'parameters', 'objects']) ?? '');
      return [...objects.matchAll(/objectName:\s*([\w-]+)/g)].some((m) => handWritten(m[1]!));
    });
  const layers = docs.filter(
    (d) =>
      /^kustomize\.toolkit\.fluxcd\.io\//.test(String(d.value.apiVersion ?? '')) && d.value.kind === 'Kustomization',
  );
  const secretLayers = new Set(
    layers
      .filter((d) => {
        const path = String(get(d.value, ['spec', 'path']) ?? '').replace(/^\.\//, '');
        // An environment overlay of apps builds on apps/base.
        return mountsHandWritten(path.startsWith('apps/') ? 'apps' : path);
      })
      .map((d) => String(get(d.value, ['metadata', 'name']))),
  );
  const findings: Finding[] = [];
  for (const d of layers) {
    const dependsOn = get(d.value, ['spec', 'dependsOn']);
    if (!Array.isArray(dependsOn)) continue;
    dependsOn.forEach((dep, i) => {
      const target = String(get(dep, ['name']));
      if (!secretLayers.has(target)) return;
      findings.push({
        rule: 'secret-dependency',
        severity: 'error',
        file: d.file,
        line: lineOf(d, ['spec', 'dependsOn', i]),
        message: `Flux Kustomization ${String(get(d.value, ['metadata', 'name']))} depends on ${target}, whose workloads mount Key Vault secrets that people write: one missing secret would stall it`,
        fix: `drop the dependency on ${target}; layers that mount hand-written secrets stay leaves of the tree`,
      });
    });
  }
  return findings;
}

/**
 * No chart's default admin login (DEFAULT_CREDENTIAL_CHARTS): a release of such a chart either disables the component
 * or names the Secret its credentials come from (admin.existingSecret), and never sets a literal admin password.
 */
function defaultCredentials(docs: YamlDoc[]): Finding[] {
  const findings: Finding[] = [];
  for (const d of docs) {
    if (d.value.kind !== 'HelmRelease') continue;
    const chart = get(d.value, ['spec', 'chart', 'spec', 'chart']);
    const row = DEFAULT_CREDENTIAL_CHARTS.find((r) => r.chart === chart);
    if (!row) continue;
    const values = get(d.value, ['spec', 'values', row.component]) as Record<string, unknown> | undefined;
    if (get(values, ['enabled']) === false) continue;
    const literal = get(values, ['adminPassword']) !== undefined;
    const fromSecret = typeof get(values, ['admin', 'existingSecret']) === 'string';
    if (fromSecret && !literal) continue;
    findings.push({
      rule: 'grafana-admin',
      severity: 'error',
      file: d.file,
      line: lineOf(
        d,
        literal
          ? ['spec', 'values', row.component, 'adminPassword']
          : values
            ? ['spec', 'values', row.component]
            : ['spec', 'values'],
      ),
      message: `${row.chart} installs ${row.component} with ${literal ? 'a password written in the repository' : `the chart's default login (${row.defaultLogin})`} (${row.source})`,
      fix: `take the login from Key Vault: ${row.component}.admin.existingSecret naming the Secret the Secrets Store CSI driver syncs, or set ${row.component}.enabled: false`,
    });
  }
  return findings;
}

/** Kured's reboot window as a HelmRelease of its chart sets it, with Kured's own defaults for what it leaves out. */
function kuredWindowOf(value: unknown): DailyWindow | undefined {
  const config = get(value, ['spec', 'values', 'configuration']) as Record<string, unknown> | undefined;
  // Kured reads 17:00, 17, 5pm and 5:00pm alike; seconds do not move a window by a whole minute.
  const time = (raw: unknown, fallback: string): string | undefined => {
    const match = /^(\d{1,2})(?::(\d\d))?(?::\d\d)?\s*([ap]m)?$/i.exec(String(raw ?? fallback).trim());
    if (!match) return undefined;
    const hour = (Number(match[1]) % (match[3] ? 12 : 24)) + (match[3]?.toLowerCase() === 'pm' ? 12 : 0);
    return `${String(hour).padStart(2, '0')}:${match[2] ?? '00'}`;
  };
  const startTime = time(config?.startTime, '0:00');
  const endTime = time(config?.endTime, '23:59');
  const zone = String(config?.timeZone ?? 'UTC');
  // Local is the node's zone, UTC on AKS nodes.
  const timeZone = zone === 'Local' ? 'UTC' : zone;
  const listed = Array.isArray(config?.rebootDays)
    ? config.rebootDays.map((d) => String(d).slice(0, 2).toLowerCase())
    : undefined;
  const days = WEEKDAYS.filter((day) => !listed || listed.includes(day.slice(0, 2).toLowerCase()));
  if (!startTime || !endTime || !isValidTimeZone(timeZone)) return undefined;
  return { days, startTime, endTime, timeZone };
}

/** Stop/start schedules of the pipelines: per environment, the UTC crons of its decide step for each UTC offset. */
function stopStartSchedules(
  files: Files,
): { file: string; environment: string; offsets: Map<number, { minute: number; start: boolean }[]> }[] {
  const schedules = [];
  for (const [file, text] of files) {
    if (!/^(\.github\/workflows|\.azure-pipelines)\/[^/]+\.ya?ml$/.test(file)) continue;
    for (const block of text.matchAll(
      /INPUT_ENVIRONMENT" = '([^']+)'[\s\S]*?case "\$SCHEDULE\|\$offset" in\n([\s\S]*?)\n\s*esac/g,
    )) {
      const offsets = new Map<number, { minute: number; start: boolean }[]>();
      for (const [, minute, hour, days, sign, hh, mm, action] of block[2]!.matchAll(
        /'(\d{1,2}) (\d{1,2}) \* \* ([\d,*-]+)\|([+-])(\d\d)(\d\d)'\) action=(start|stop)/g,
      )) {
        const offset = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm));
        const events = offsets.get(offset) ?? [];
        for (const dow of cronDays(days!))
          events.push({
            minute: ((dow + 6) % 7) * 1440 + Number(hour) * 60 + Number(minute),
            start: action === 'start',
          });
        offsets.set(offset, events);
      }
      if (offsets.size > 0) schedules.push({ file, environment: block[1]!, offsets });
    }
  }
  return schedules;
}

/** The days (0 is Sunday) of a cron day-of-week field: lists, ranges and *. */
function cronDays(field: string): number[] {
  if (field === '*') return [0, 1, 2, 3, 4, 5, 6];
  return field.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number) as [number, number | undefined];
    const days = [];
    for (let day = from; day <= (to ?? from); day++) days.push(day % 7);
    return days;
  });
}

/**
 * Kured reboots a node only inside its window and only while the cluster runs: against the stop/start schedule of
 * each environment whose entry points apply the Kured release, at least one whole reboot window a week falls in the
 * running hours, at every UTC offset (the schedule's crons are per offset; one zone on both sides moves together).
 * https://github.com/kubereboot/kured/blob/main/pkg/timewindow/timewindow.go
 */
function kuredWindow(files: Files, docs: YamlDoc[]): Finding[] {
  const releases = docs.filter(
    (d) => d.value.kind === 'HelmRelease' && get(d.value, ['spec', 'chart', 'spec', 'chart']) === 'kured',
  );
  if (releases.length === 0) return [];
  const findings: Finding[] = [];
  for (const schedule of stopStartSchedules(files)) {
    const layers = docs
      .filter((d) => d.file.startsWith(`clusters/${schedule.environment}/`) && d.value.kind === 'Kustomization')
      .map(
        (d) =>
          `${String(get(d.value, ['spec', 'path']) ?? '')
            .replace(/^\.\//, '')
            .replace(/\/$/, '')}/`,
      );
    for (const release of releases) {
      if (!layers.some((layer) => release.file.startsWith(layer))) continue;
      const window = kuredWindowOf(release.value);
      if (!window) continue;
      const kuredOffsets = zoneOffsets(window.timeZone);
      const scheduleOffsets = [...schedule.offsets.keys()];
      const sameClock =
        kuredOffsets.length === scheduleOffsets.length && kuredOffsets.every((o) => schedule.offsets.has(o));
      const pairs = kuredOffsets.flatMap((k) => (sameClock ? [[k, k]] : scheduleOffsets.map((s) => [k, s])));
      const fits = pairs.every(([k, s]) =>
        dailyWindowInside(window, k!, runningFromEvents(schedule.offsets.get(s!) ?? [])),
      );
      if (fits) continue;
      const days = window.days.map((d) => d.slice(0, 2).toLowerCase()).join(', ');
      findings.push({
        rule: 'kured-window',
        severity: 'error',
        file: release.file,
        line: lineOf(release, ['spec', 'values', 'configuration', 'startTime']),
        message: `Kured's reboot window (${days} ${window.startTime}-${window.endTime} ${window.timeZone}) has no whole window in the hours ${schedule.file} keeps ${schedule.environment} running, so Kured never reboots its nodes and the OS patches that need a reboot never take effect`,
        fix: `move the window into the hours ${schedule.environment} runs (upgrades.kured.startTime, endTime and rebootDays, then regenerate), or widen its stop/start schedule`,
      });
    }
  }
  return findings;
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
    ...fluxTenancy(files, docs),
    ...defaultCredentials(docs),
    ...storageClasses(docs),
    ...environments(files),
    ...spotTolerations(docs),
    ...teamSpot(
      files,
      parseYamlFiles(files, (path) => /^apps\/[^/]+\/kustomization\.yaml$/.test(path)),
    ),
    ...rbacExclusive(files, docs),
    ...workloadDisruption(docs),
    ...secretDependency(files, docs),
    ...kuredWindow(files, docs),
    ...checkBicepConsistency(files),
    ...checkHybridConsistency(files),
  ];
}
