import type { StoredCatalog } from '../answers/load.js';
import type { Ask } from '../answers/questions.js';
import { UserError } from '../errors.js';
import { githubCatalogReader } from './github.js';
import { latestTemplates, loadCatalog, selectTemplate, type LoadedCatalog } from './load.js';
import { catalogMessages } from './messages.js';
import type { CatalogTemplate } from './schema.js';

// Which catalog template a generation starts from, shared by `new`, `upgrade` and the Yeoman generators.

/** Reads a catalog from a folder or GitHub; the token (optional for public repositories) comes from the environment. */
export function readCatalog(
  source: string,
  apiUrl: string | undefined,
  pinnedCommit?: string,
  // Rate-limit waits are announced on stderr, so stdout stays the command's output.
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<LoadedCatalog> {
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN || undefined;
  return loadCatalog(
    source,
    () => githubCatalogReader({ token, apiUrl: apiUrl ?? process.env.GITHUB_API_URL, say }),
    pinnedCommit,
  );
}

export interface CatalogChoice {
  loaded: LoadedCatalog;
  template: CatalogTemplate;
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
  try {
    const choice = await resolveCatalogChoice(
      { catalog: recorded.source, template: `${recorded.template}@${recorded.version}`, 'api-url': apiUrl },
      recorded,
      undefined,
    );
    return choice && { origin: choice.loaded.origin, template: choice.template };
  } catch (error) {
    // The source and template come from .yo-rc.json, not from options: say so, and never name --catalog.
    if (!(error instanceof UserError)) throw error;
    const reason =
      error.message === catalogMessages.badSource(recorded.source)
        ? catalogMessages.storedSourceGone(recorded.source)
        : (error.message.split('\n')[0] ?? '');
    throw new UserError(catalogMessages.storedCatalogUnusable(recorded, reason));
  }
}
