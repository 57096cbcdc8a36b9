// What the catalog commands say to a person.

export const catalogMessages = {
  tooLarge: (source: string, max: number) =>
    `catalog ${source} is larger than ${max} bytes; refused.\n  fix: a catalog is a short YAML file of templates; check that the right file is named`,
  notYaml: (source: string, reason: string) =>
    `catalog ${source} is not valid YAML: ${reason}\n  fix: correct the syntax; the catalog schema is schema/catalog.schema.json`,
  invalid: (source: string, problems: { path: string; message: string }[]) =>
    `catalog ${source} has ${problems.length} problem(s):\n${problems.map((p) => `  ${p.path || '(root)'}: ${p.message}`).join('\n')}\n  fix: correct the catalog; its schema is schema/catalog.schema.json`,
  noCatalogFile: (source: string) =>
    `${source} holds no catalog.yaml.\n  fix: name the folder (or file) that holds the catalog, or a GitHub repository owner/repo[@ref]`,
  badSource: (source: string) =>
    `--catalog "${source}" is neither an existing folder nor a GitHub repository owner/repo[@ref].\n  fix: give a path to a folder with catalog.yaml, or e.g. contoso/platform-catalog@v1`,
  storedSourceGone: (source: string) =>
    `"${source}" is neither an existing folder nor a GitHub repository owner/repo[@ref]`,
  storedCatalogUnusable: (recorded: { source: string; template: string; version: string }, reason: string) =>
    `The catalog this repository was generated from (.yo-rc.json: catalog ${recorded.source}, template ${recorded.template}@${recorded.version}) cannot be used: ${reason}\n  fix: make that catalog readable again (restore the folder; for GitHub, a token with read access in GITHUB_TOKEN), or correct the catalog block of .yo-rc.json to where the catalog lives now`,
  unknownTemplate: (selector: string, names: string[]) =>
    `the catalog has no template "${selector.split('@')[0]}".\n  fix: use one of: ${names.join(', ')}`,
  unknownVersion: (name: string, version: string, versions: string[]) =>
    `template ${name} has no version ${version}.\n  fix: use one of: ${versions.join(', ')}, or omit @version for the newest`,
  templateNeedsCatalog:
    '--template needs --catalog <folder | owner/repo[@ref]>.\n  fix: add --catalog, or use --preset for a built-in preset',
  templateAndPreset:
    '--template and --preset both choose a starting point.\n  fix: use one of them; a catalog template names its own preset',
  policyViolations: (count: number, list: string) =>
    `The answers break ${count} catalog rule(s); nothing was written.\n${list}`,
  githubNotFound: (what: string) =>
    `GitHub: ${what} was not found, or the token cannot read it.\n  fix: check the name and ref, and give a token with read access in GITHUB_TOKEN`,
  githubFailed: (what: string, detail: string) =>
    `GitHub: reading ${what} failed: ${detail}\n  fix: check the network and the token in GITHUB_TOKEN, then run again`,
  lockPastEnd: (template: string, path: string, e: { list: string; index: number; length: number }) =>
    `${template} locks ${path}, but ${e.list} has ${e.length} entr${e.length === 1 ? 'y' : 'ies'}, so index ${e.index} is past its end.\n  fix: ${e.length > 0 ? `lock an existing entry (0 to ${e.length - 1}), or every entry with ${e.list}.*` : `lock every entry with ${e.list}.*, or give the list in the template's answers`}`,
  githubRateLimited: (what: string, retryAfter: number | undefined, ceiling: number) =>
    `GitHub: reading ${what} hit a rate limit${retryAfter === undefined ? '' : `; GitHub asks to wait ${retryAfter} s`}${retryAfter !== undefined && retryAfter > ceiling ? `, longer than this command waits (${ceiling} s)` : ''}.\n  fix: run again ${retryAfter === undefined ? 'in a few minutes' : `after ${new Date(Date.now() + retryAfter * 1000).toISOString().slice(11, 19)} UTC`}, or give a token in GITHUB_TOKEN (authenticated requests have a higher limit)`,
  listHeader: (source: string) => `Templates in ${source}:`,
  backstageWritten: (count: number, dir: string) => `Wrote ${count} Backstage template(s) into ${dir}.`,
  backstageRequires: (url: string, requirements: readonly string[]) =>
    `They read the catalog from ${url}. The Backstage backend needs:\n${requirements.map((r) => `  - ${r}`).join('\n')}`,
  badCatalogUrl: (url: string) =>
    `--catalog-url "${url}" is not a GitHub repository URL.\n  fix: e.g. --catalog-url https://github.com/contoso/platform-catalog/tree/v1`,
  localCatalogForBackstage: (folder: string) =>
    `${folder} is a folder on this machine, which a Backstage server cannot read, and it has no GitHub remote to read instead.\n  fix: push the catalog to GitHub and add --catalog-url https://github.com/<owner>/<repo>/tree/<ref>, or use --catalog <owner>/<repo>@<ref>`,
};
