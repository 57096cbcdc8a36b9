import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, UserError } from '../../errors.js';
import { backstageTemplate } from '../../catalog/backstage.js';
import { githubCatalogReader } from '../../catalog/github.js';
import { latestTemplates, loadCatalog, selectTemplate, type LoadedCatalog } from '../../catalog/load.js';
import { catalogMessages } from '../../catalog/messages.js';
import type { CatalogTemplate } from '../../catalog/schema.js';
import type { StoredCatalog } from '../../answers/load.js';
import type { Ask } from '../../answers/questions.js';
import type { Io } from '../main.js';
import { parseOptions } from '../usage.js';

/** Reads a catalog from a folder or GitHub; the token (optional for public repositories) comes from the environment. */
export function readCatalog(source: string, apiUrl: string | undefined, pinnedCommit?: string): Promise<LoadedCatalog> {
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN || undefined;
  return loadCatalog(
    source,
    () => githubCatalogReader({ token, apiUrl: apiUrl ?? process.env.GITHUB_API_URL }),
    pinnedCommit,
  );
}

export interface CatalogChoice {
  loaded: LoadedCatalog;
  template: CatalogTemplate;
}

/** `aks-platform catalog list|backstage --catalog <source>` */
export async function runCatalog(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: parseOptions('catalog') }) as {
    values: { catalog?: string; 'catalog-url'?: string; 'api-url'?: string; out?: string; json?: boolean };
    positionals: string[];
  };
  const [sub, extra] = positionals;
  if (sub !== 'list' && sub !== 'backstage')
    throw new UsageError(
      `aks-platform catalog: ${sub === undefined ? 'which subcommand?' : `unknown subcommand "${sub}"`}\n  fix: use catalog list or catalog backstage (aks-platform catalog --help)`,
    );
  if (extra !== undefined) throw new UsageError(`aks-platform catalog: unexpected argument "${extra}"`);
  if (!values.catalog)
    throw new UsageError(
      'aks-platform catalog: --catalog <folder | owner/repo[@ref]> is required.\n  fix: aks-platform catalog list --catalog ./platform-catalog',
    );
  const loaded = await readCatalog(values.catalog, values['api-url']);
  switch (sub) {
    case 'list': {
      const sorted = [...loaded.catalog.templates].sort((a, b) =>
        a.name === b.name ? b.version.localeCompare(a.version, 'en', { numeric: true }) : a.name < b.name ? -1 : 1,
      );
      if (values.json) {
        io.out(
          JSON.stringify(
            {
              source: values.catalog,
              ...(loaded.origin.commit ? { commit: loaded.origin.commit } : {}),
              templates: sorted.map((t) => ({
                name: t.name,
                version: t.version,
                description: t.description,
                locked: Object.keys(t.locked),
              })),
            },
            null,
            2,
          ),
        );
        return 0;
      }
      io.out(
        catalogMessages.listHeader(
          `${values.catalog}${loaded.origin.commit ? ` (commit ${loaded.origin.commit})` : ''}`,
        ),
      );
      for (const template of sorted) {
        const locks = Object.keys(template.locked);
        io.out(
          `  ${template.name}@${template.version}  ${template.description}${locks.length ? `\n      locked: ${locks.join(', ')}` : ''}`,
        );
      }
      return 0;
    }
    case 'backstage': {
      const out = resolve(values.out ?? 'backstage-templates');
      const templates = latestTemplates(loaded.catalog);
      for (const template of templates) {
        const dir = join(out, template.name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'template.yaml'), backstageTemplate(template, loaded.origin));
      }
      io.out(catalogMessages.backstageWritten(templates.length, out));
      return 0;
    }
  }
}

/** Picks the template `new` starts from; without --template a person chooses, a script must say. */
export async function chooseTemplate(
  loaded: LoadedCatalog,
  selector: string | undefined,
  choose: ((names: string[]) => Promise<string>) | undefined,
): Promise<CatalogChoice> {
  if (selector) return { loaded, template: selectTemplate(loaded.catalog, selector) };
  const names = latestTemplates(loaded.catalog).map((t) => `${t.name}@${t.version}`);
  if (!choose)
    throw new UserError(
      `--catalog needs --template when nobody can be asked.\n  fix: add --template with one of: ${names.join(', ')}`,
    );
  return { loaded, template: selectTemplate(loaded.catalog, await choose(names)) };
}

/** The catalog template `new` starts from: --catalog/--template, or the one a stored generation recorded. */
export async function resolveCatalogChoice(
  values: {
    catalog?: string | undefined;
    template?: string | undefined;
    preset?: string | undefined;
    'api-url'?: string | undefined;
  },
  stored: StoredCatalog | undefined,
  ask: Ask | undefined,
) {
  if (values.template && !values.catalog) throw new UserError(catalogMessages.templateNeedsCatalog);
  if (values.catalog && values.preset) throw new UserError(catalogMessages.templateAndPreset);
  const source = values.catalog ?? stored?.source;
  if (!source) return undefined;
  // A replayed generation reads the catalog at the commit it was generated from, unless a catalog is named anew.
  const loaded = await readCatalog(source, values['api-url'], values.catalog ? undefined : stored?.commit);
  const selector = values.template ?? (values.catalog ? undefined : stored && `${stored.template}@${stored.version}`);
  const choose = ask
    ? async (names: string[]) =>
        String(
          await ask({
            path: 'catalog.template',
            type: 'select',
            message: 'Catalog template',
            help: `Templates of ${source}`,
            choices: names,
            default: names[0],
            parse: (raw) => String(raw),
            validate: () => true,
          }),
        )
    : undefined;
  return chooseTemplate(loaded, selector, choose);
}

/**
 * The catalog template a generated repository came from, read anew for an upgrade (at the source's ref, not the
 * recorded commit), so a policy tightened since shows up; undefined when the repository has no catalog record.
 */
export async function catalogForUpgrade(
  recorded: StoredCatalog | undefined,
  apiUrl: string | undefined,
): Promise<{ origin: LoadedCatalog['origin']; template: CatalogTemplate } | undefined> {
  if (!recorded) return undefined;
  const choice = await resolveCatalogChoice(
    { catalog: recorded.source, template: `${recorded.template}@${recorded.version}`, 'api-url': apiUrl },
    recorded,
    undefined,
  );
  return choice && { origin: choice.loaded.origin, template: choice.template };
}
