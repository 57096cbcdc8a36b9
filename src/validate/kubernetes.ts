import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { LineCounter, parseAllDocuments } from 'yaml';
import { readBounded } from '../util/read.js';
import { MAX_ALIAS_COUNT } from './yaml-documents.js';
import * as coreV1 from 'kubernetes-models/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as storageV1 from 'kubernetes-models/storage.k8s.io/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as kustomizeV1 from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';
import * as helmV2 from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2';
import * as sourceV1 from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';

// Schema validation of Kubernetes manifests, shared by the tests and the `validate` command. Core kinds are checked
// with kubernetes-models, Flux kinds with @kubernetes-models/flux-cd, custom resources with the openAPIV3Schema of
// their CRD. None of those schemas reject unknown fields, so every check also records which keys the schema looked
// at; a key it never read (a misspelt one) is reported.

export interface ManifestProblem {
  /** File the document came from. */
  file: string;
  /** `kind/name` of the document, or its index when it has none. */
  document: string;
  message: string;
  /** The 1-based line of the problem, when the parser knows it (syntax errors, alias bombs). */
  line?: number;
}

type SchemaCheck = (data: unknown) => { ok: boolean; errors: string[] };

/** apiVersion -> module of model classes; a kind missing here has no schema, which is itself a problem. */
const MODEL_GROUPS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'policy/v1': policyV1,
  'storage.k8s.io/v1': storageV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'networking.k8s.io/v1': networkingV1,
  'kustomize.toolkit.fluxcd.io/v1': kustomizeV1,
  'helm.toolkit.fluxcd.io/v2': helmV2,
  'source.toolkit.fluxcd.io/v1': sourceV1,
};

/** The kustomize config file (kustomization.yaml) has no published model; this covers the fields the generator uses. */
const KUSTOMIZE_CONFIG_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'kustomize.config.k8s.io/v1beta1' },
    kind: { const: 'Kustomization' },
    namespace: { type: 'string' },
    resources: { type: 'array', items: { type: 'string', minLength: 1 } },
    components: { type: 'array', items: { type: 'string', minLength: 1 } },
    patches: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          path: { type: 'string' },
          patch: { type: 'string' },
          target: {
            type: 'object',
            additionalProperties: false,
            properties: {
              group: { type: 'string' },
              version: { type: 'string' },
              kind: { type: 'string' },
              name: { type: 'string' },
              namespace: { type: 'string' },
              labelSelector: { type: 'string' },
              annotationSelector: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  return ajv;
}

function ajvCheck(fn: ValidateFunction): SchemaCheck {
  return (data) => {
    const ok = fn(data) as boolean;
    return {
      ok,
      errors: ok
        ? []
        : (fn.errors ?? []).map(
            (e) =>
              `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? `: ${String(e.params.additionalProperty)}` : ''}`,
          ),
    };
  };
}

/** Validators compiled from CustomResourceDefinitions, keyed `group/version/Kind`. */
export type CrdValidators = Map<string, SchemaCheck>;

/** Compiles every version of every CRD in the given YAML texts. */
export function compileCrdValidators(texts: string[]): CrdValidators {
  const ajv = newAjv();
  const validators: CrdValidators = new Map();
  for (const text of texts) {
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS() as {
        kind?: string;
        spec?: {
          group: string;
          names: { kind: string };
          versions: { name: string; schema?: { openAPIV3Schema?: object } }[];
        };
      } | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      for (const version of crd.spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (!schema) continue;
        validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajvCheck(ajv.compile(schema)));
      }
    }
  }
  return validators;
}

/** CRD files (crd-*.yaml) of a schemas folder such as ../shared/schemas; undefined when the folder has none. */
export function loadCrdValidators(dir: string): CrdValidators | undefined {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => /^crd-.*\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) return undefined;
  return compileCrdValidators(files.map((f) => readFileSync(join(dir, f), 'utf8')));
}

const kustomizeConfigCheck = ajvCheck(newAjv().compile(KUSTOMIZE_CONFIG_SCHEMA));

function modelCheck(apiVersion: string, kind: string): SchemaCheck | undefined {
  const model = MODEL_GROUPS[apiVersion]?.[kind] as
    | { prototype: { validate(): void }; apiVersion?: string; kind?: string }
    | undefined;
  if (!model || model.kind !== kind) return undefined;
  return (data) => {
    try {
      // validate() reads `this`; calling it on the data itself (not a model copy) lets the key tracker see every read.
      model.prototype.validate.call(data);
      return { ok: true, errors: [] };
    } catch (error) {
      return { ok: false, errors: [(error as Error).message] };
    }
  };
}

function crdObjectMetaCheck(data: unknown): { ok: boolean; errors: string[] } {
  // CRD schemas declare metadata as a bare object; check it as the ObjectMeta of a core kind (ConfigMap).
  const check = modelCheck('v1', 'ConfigMap');
  if (!check) throw new Error('kubernetes-models has no v1 ConfigMap');
  return check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: data });
}

/** apiVersion and kind are fields of every object, whether or not a CRD schema lists them (the ones above checked their values). */
function typeMetaCheck(data: unknown): { ok: boolean; errors: string[] } {
  const object = data as { apiVersion?: unknown; kind?: unknown };
  void object.apiVersion;
  void object.kind;
  return { ok: true, errors: [] };
}

interface Node {
  touched: boolean;
  enumerated: boolean;
  read: Set<string>;
  children: Map<string, Node>;
}

function newNode(): Node {
  return { touched: false, enumerated: false, read: new Set(), children: new Map() };
}

/** Wraps plain data so every key a validator reads is recorded in `node`. */
function track(value: unknown, node: Node): unknown {
  if (value === null || typeof value !== 'object') return value;
  const child = (key: string): Node => {
    let n = node.children.get(key);
    if (!n) node.children.set(key, (n = newNode()));
    return n;
  };
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      node.touched = true;
      node.read.add(key);
      return Object.hasOwn(target, key) ? track(v, child(key)) : v;
    },
    has(target, key) {
      if (typeof key === 'string') {
        node.touched = true;
        node.read.add(key);
      }
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      node.touched = true;
      node.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

/**
 * Keys of `value` no schema read. An object the validator never touched is free-form in the schema
 * (x-kubernetes-preserve-unknown-fields, Helm values), so its subtree is not checked; a map the validator enumerated
 * (labels, additionalProperties) has all its keys known.
 */
function unreadKeys(value: unknown, nodes: Node[], path: string): string[] {
  if (value === null || typeof value !== 'object') return [];
  const touched = nodes.filter((n) => n.touched);
  if (touched.length === 0) return [];
  const out: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const here = `${path}/${key}`;
    const known = Array.isArray(value) || touched.some((n) => n.enumerated || n.read.has(key));
    if (!known) {
      out.push(here);
      continue;
    }
    out.push(
      ...unreadKeys(
        v,
        touched.map((n) => n.children.get(key)).filter((n): n is Node => n !== undefined),
        here,
      ),
    );
  }
  return out;
}

/** Runs the checks over one document, each through the key tracker, and reports schema errors and unknown fields. */
function runChecks(doc: Record<string, unknown>, checks: { check: SchemaCheck; at?: string }[]): string[] {
  const errors: string[] = [];
  const roots: Node[] = [];
  for (const { check, at } of checks) {
    const node = newNode();
    const data = at === undefined ? doc : doc[at];
    const result = check(track(data, node));
    errors.push(...result.errors);
    if (at === undefined) roots.push(node);
    else {
      const root = newNode();
      root.touched = true;
      root.read.add(at);
      root.children.set(at, node);
      roots.push(root);
    }
  }
  // A key counts as known when any of the checks read it (the CRD schema for spec, ObjectMeta for metadata).
  errors.push(
    ...unreadKeys(doc, roots, '').map(
      (path) => `${path || '/'} is not a field of the schema (misspelt or unsupported)`,
    ),
  );
  return errors;
}

function describe(doc: Record<string, unknown>, index: number): string {
  const meta = doc.metadata as { name?: unknown } | undefined;
  return `${String(doc.kind ?? 'document')}/${typeof meta?.name === 'string' ? meta.name : `#${index}`}`;
}

/**
 * Validates one parsed document: its kind must have a schema (model, CRD or the kustomize config), and the document
 * must match it with no unknown fields.
 */
export function validateManifest(doc: unknown, crds: CrdValidators | undefined): string[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return ['document is not a mapping'];
  const object = doc as Record<string, unknown>;
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['document has no apiVersion and kind'];
  if (apiVersion === 'kustomize.config.k8s.io/v1beta1') return runChecks(object, [{ check: kustomizeConfigCheck }]);
  const model = modelCheck(apiVersion, kind);
  if (model) return runChecks(object, [{ check: model }]);
  const crd = crds?.get(`${apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`}/${kind}`);
  if (crd)
    return runChecks(object, [{ check: crd }, { check: typeMetaCheck }, { check: crdObjectMetaCheck, at: 'metadata' }]);
  return [`no schema for ${apiVersion} ${kind}${crds ? '' : ' (no CRD schemas were loaded)'}`];
}

/** Is this a file of Kubernetes manifests (as opposed to workflow, pipeline or other YAML)? */
export function isManifestPath(path: string): boolean {
  return /^(clusters|infrastructure|apps)\/.*\.ya?ml$/.test(path);
}

/** Parses every YAML file of the map that holds manifests and validates each document. */
export function validateManifestFiles(
  files: ReadonlyMap<string, string>,
  crds: CrdValidators | undefined,
  select: (path: string) => boolean = isManifestPath,
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const [file, text] of files) {
    if (!select(file)) continue;
    const lines = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter: lines });
    docs.forEach((parsed, index) => {
      if (parsed.errors.length > 0) {
        const first = parsed.errors[0]!;
        problems.push({
          file,
          document: `#${index}`,
          message: first.message.split('\n')[0] ?? 'YAML syntax error',
          line: first.linePos?.[0].line ?? lines.linePos(first.pos[0]).line,
        });
        return;
      }
      let doc: unknown;
      try {
        doc = parsed.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
      } catch (error) {
        problems.push({
          file,
          document: `#${index}`,
          message: `the document cannot be read: ${(error as Error).message} (an alias bomb expands a few lines to gigabytes)`,
          line: lines.linePos(parsed.contents?.range?.[0] ?? parsed.range[0]).line,
        });
        return;
      }
      if (doc === null) return;
      for (const message of validateManifest(doc, crds))
        problems.push({ file, document: describe(doc as Record<string, unknown>, index), message });
    });
  }
  return problems;
}

/** The YAML files under a directory (a generated repository on disk), keyed by their path relative to it. */
export function readYamlFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.ya?ml$/.test(entry.name))
        files.set(
          relative(dir, path).split(sep).join('/'),
          readBounded(path, { maxBytes: 2 * 1024 * 1024, what: 'manifest file' }),
        );
    }
  };
  visit(dir);
  return files;
}

/** validateManifestFiles over a repository on disk: what the `validate` command runs. */
export function validateManifestDirectory(dir: string, crds: CrdValidators | undefined): ManifestProblem[] {
  return validateManifestFiles(readYamlFiles(dir), crds);
}
