import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';
import { BACKSTAGE_REQUIREMENTS, backstageTemplate, fetchableCatalog } from '../../catalog/backstage.js';
import { latestTemplates } from '../../catalog/load.js';
import { readCatalog } from '../../catalog/choice.js';
import { catalogMessages } from '../../catalog/messages.js';
import type { Io } from '../io.js';
import { parseOptions } from '../usage.js';

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
  // biome-ignore lint/nursery/useExhaustiveSwitchCases: sub is 'list' or 'backstage' here; Biome does not narrow it
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
      const catalog = backstageCatalog(values.catalog, values['catalog-url'], loaded.origin.commit);
      const out = resolve(values.out ?? 'backstage-templates');
      const templates = latestTemplates(loaded.catalog);
      for (const template of templates) {
        const dir = join(out, template.name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'template.yaml'), backstageTemplate(template, loaded.origin, catalog));
      }
      io.out(catalogMessages.backstageWritten(templates.length, out));
      io.out(catalogMessages.backstageRequires(catalog.url, BACKSTAGE_REQUIREMENTS));
      return 0;
    }
  }
}

/**
 * Where Backstage reads the catalog: --catalog-url, else a GitHub source as given (at the commit read now), else a
 * folder's GitHub remote at its HEAD commit. A folder without one cannot be reached from a Backstage server.
 */
function backstageCatalog(source: string, url: string | undefined, commit: string | undefined) {
  if (url !== undefined) {
    const given = fetchableCatalog(url);
    if (!given) throw new UsageError(catalogMessages.badCatalogUrl(url));
    return given;
  }
  if (!existsSync(source)) {
    const [repo] = source.split('@');
    return fetchableCatalog(`https://github.com/${repo}${commit ? `/tree/${commit}` : ''}`)!;
  }
  const git = (args: string[]) =>
    spawnSync('git', ['-C', source, ...args], { encoding: 'utf8', timeout: 10_000 }).stdout?.trim() ?? '';
  const remote = git(['remote', 'get-url', 'origin'])
    .replace(/^git@github\.com:/, 'https://github.com/')
    .replace(/^https:\/\/[^@/]+@/, 'https://');
  const head = git(['rev-parse', 'HEAD']);
  const fromRemote = remote && head ? fetchableCatalog(`${remote.replace(/\.git$/, '')}/tree/${head}`) : undefined;
  if (!fromRemote) throw new UsageError(catalogMessages.localCatalogForBackstage(source));
  return fromRemote;
}
