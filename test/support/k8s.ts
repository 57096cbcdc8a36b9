import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { packageRoot } from '../../src/paths.js';
import {
  isManifestPath,
  loadCrdValidators,
  validateManifestFiles,
  type CrdValidators,
  type ManifestProblem,
} from '../../src/validate/kubernetes.js';
import { missingTool } from './tools.js';

/** The schemas the package ships (schema/vendor), as `aks-platform validate` reads them; SCHEMAS_DIR overrides it. */
export const SCHEMAS_DIR = process.env.SCHEMAS_DIR ?? join(packageRoot, 'schema', 'vendor');

const REQUIRED_CRDS = ['crd-secretproviderclasses.yaml', 'crd-aad-pod-identity.yaml'];

let cached: CrdValidators | undefined;
let announced = false;

/**
 * The CRD validators for SecretProviderClass and AzureIdentity/AzureIdentityBinding, or undefined when the schema
 * files are missing: then CI fails (missingTool throws) and a local run skips with a loud notice.
 */
export function crdValidators(): CrdValidators | undefined {
  if (cached) return cached;
  const missing = REQUIRED_CRDS.filter((f) => !existsSync(join(SCHEMAS_DIR, f)));
  if (missing.length > 0) {
    if (!announced || process.env.CI)
      missingTool(`CRD schemas (${missing.join(', ')})`, `put them in ${SCHEMAS_DIR} (see its README)`);
    announced = true;
    return undefined;
  }
  cached = loadCrdValidators(SCHEMAS_DIR);
  return cached;
}

export interface ParsedManifest {
  file: string;
  doc: Record<string, unknown>;
}

/** Every document of every manifest file, parsed (parse errors throw: a file that does not parse is a bug). */
export function parseManifests(files: ReadonlyMap<string, string>): ParsedManifest[] {
  const out: ParsedManifest[] = [];
  for (const [file, text] of files) {
    if (!isManifestPath(file)) continue;
    for (const parsed of parseAllDocuments(text)) {
      if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors.map((e) => e.message).join('; ')}`);
      const doc = parsed.toJS() as Record<string, unknown> | null;
      if (doc) out.push({ file, doc });
    }
  }
  return out;
}

/**
 * Schema problems of every manifest. Without the CRD schemas (a local run; CI fails earlier in crdValidators) the
 * custom resources are left unchecked and the skip was announced; everything else is still checked.
 */
export function manifestProblems(
  files: ReadonlyMap<string, string>,
  crds: CrdValidators | undefined,
): ManifestProblem[] {
  const problems = validateManifestFiles(files, crds);
  return crds ? problems : problems.filter((p) => !p.message.includes('no CRD schemas were loaded'));
}

export function formatProblems(problems: ManifestProblem[]): string {
  return problems.map((p) => `${p.file} ${p.document}: ${p.message}`).join('\n');
}

export function kindOf(m: ParsedManifest): string {
  return String(m.doc.kind);
}

export function nameOf(m: ParsedManifest): string {
  return String((m.doc.metadata as { name?: string } | undefined)?.name);
}

export function namespaceOf(m: ParsedManifest): string | undefined {
  return (m.doc.metadata as { namespace?: string } | undefined)?.namespace;
}
