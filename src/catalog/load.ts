import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { schemaNode } from '../answers/schema-node.js';
import { asFileError, UserError } from '../errors.js';
import { readBounded } from '../util/read.js';
import { isGitHubOwner, isGitHubRepo } from '../util/names.js';
import { catalogMessages } from './messages.js';
import { catalogSchema, type Catalog, type CatalogTemplate } from './schema.js';

export const CATALOG_FILE = 'catalog.yaml';
/** A catalog is a page of YAML; anything larger is refused before parsing. */
export const MAX_CATALOG_BYTES = 1024 * 1024;

/** Where a catalog came from, recorded in .yo-rc.json so the policy can be checked again later. */
export interface CatalogOrigin {
  source: string;
  /** The commit a GitHub catalog was read at. */
  commit?: string;
}

export interface LoadedCatalog {
  catalog: Catalog;
  origin: CatalogOrigin;
}

export interface GitHubCatalogReader {
  /** Resolves a ref to a commit SHA and returns catalog.yaml at that commit. */
  read(owner: string, repo: string, ref: string | undefined): Promise<{ commit: string; text: string }>;
}

const GITHUB_SOURCE = /^([^/@\s]+)\/([^/@\s]+)(?:@([^\s]{1,200}))?$/;

/** The answer path with `*` standing for the first list entry, so its schema node can be looked up. */
function concrete(path: string): string[] {
  return path.split('.').map((segment) => (segment === '*' ? '0' : segment));
}

/** The paths of every own `__proto__` key in parsed YAML. */
function protoKeys(value: unknown, path: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => [
    ...(key === '__proto__' ? [[...path, key].join('.')] : []),
    ...protoKeys((value as Record<string, unknown>)[key], [...path, key]),
  ]);
}

/** Parses and checks catalog text: size, YAML, shape, and that every path names a real answer. */
export function parseCatalog(text: string, source: string): Catalog {
  if (Buffer.byteLength(text) > MAX_CATALOG_BYTES)
    throw new UserError(catalogMessages.tooLarge(source, MAX_CATALOG_BYTES));
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 50 });
  } catch (error) {
    throw new UserError(catalogMessages.notYaml(source, (error as Error).message.split('\n')[0] ?? ''));
  }
  // The schema's records skip a `__proto__` key without a word; a lock that silently vanishes is no lock.
  const proto = protoKeys(doc);
  if (proto.length > 0)
    throw new UserError(
      catalogMessages.invalid(
        source,
        proto.map((path) => ({ path, message: 'is not an answer path (a __proto__ key is never read)' })),
      ),
    );
  const parsed = catalogSchema.safeParse(doc);
  if (!parsed.success) {
    throw new UserError(
      catalogMessages.invalid(
        source,
        parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      ),
    );
  }
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  parsed.data.templates.forEach((template, i) => {
    const id = `${template.name}@${template.version}`;
    if (seen.has(id)) problems.push({ path: `templates.${i}`, message: `repeats ${id}` });
    seen.add(id);
    for (const [kind, paths] of [
      ['locked', Object.keys(template.locked)],
      ['allowed', Object.keys(template.allowed)],
    ] as const) {
      for (const path of paths) {
        try {
          const node = schemaNode(concrete(path));
          if (kind === 'locked') {
            const value = template.locked[path];
            if (!node.field.safeParse(value).success)
              problems.push({
                path: `templates.${i}.locked.${path}`,
                message: `${JSON.stringify(value)} is not a valid value of this answer`,
              });
          }
        } catch {
          problems.push({
            path: `templates.${i}.${kind}.${path}`,
            message: 'is not an answer of the generator (see `aks-platform schema`)',
          });
        }
      }
    }
  });
  if (problems.length > 0) throw new UserError(catalogMessages.invalid(source, problems));
  return parsed.data;
}

/** Reads a catalog from a folder holding catalog.yaml, or from a GitHub repository `owner/repo[@ref]`. */
export async function loadCatalog(
  source: string,
  github: () => GitHubCatalogReader,
  pinnedCommit?: string,
): Promise<LoadedCatalog> {
  if (existsSync(source)) {
    let file = source;
    try {
      if (statSync(source).isDirectory()) file = join(source, CATALOG_FILE);
    } catch (error) {
      throw asFileError(error, source);
    }
    if (!existsSync(file)) throw new UserError(catalogMessages.noCatalogFile(source));
    const text = readBounded(file, { maxBytes: MAX_CATALOG_BYTES, what: 'catalog' });
    return { catalog: parseCatalog(text, file), origin: { source } };
  }
  const match = GITHUB_SOURCE.exec(source);
  const [, owner, repo, ref] = match ?? [];
  if (!owner || !repo || !isGitHubOwner(owner) || !isGitHubRepo(repo))
    throw new UserError(catalogMessages.badSource(source));
  const { commit, text } = await github().read(owner!, repo!, pinnedCommit ?? ref);
  return { catalog: parseCatalog(text, `${owner}/${repo}@${commit}:${CATALOG_FILE}`), origin: { source, commit } };
}

/** Orders dotted numeric versions (1.2.10 after 1.2.9). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Picks `name` (its newest version) or `name@version` from a catalog. */
export function selectTemplate(catalog: Catalog, selector: string): CatalogTemplate {
  const [name, version] = selector.split('@');
  const candidates = catalog.templates.filter((t) => t.name === name);
  if (candidates.length === 0)
    throw new UserError(catalogMessages.unknownTemplate(selector, [...new Set(catalog.templates.map((t) => t.name))]));
  if (version === undefined) return [...candidates].sort((a, b) => compareVersions(b.version, a.version))[0]!;
  const exact = candidates.find((t) => t.version === version);
  if (!exact)
    throw new UserError(
      catalogMessages.unknownVersion(
        name!,
        version,
        candidates.map((t) => t.version),
      ),
    );
  return exact;
}

/** The newest version of every template, by name. */
export function latestTemplates(catalog: Catalog): CatalogTemplate[] {
  const names = [...new Set(catalog.templates.map((t) => t.name))];
  return names.map((name) => selectTemplate(catalog, name));
}
