import { GENERATED_BRANCH } from '../write/git.js';

// Every command's usage as data: `--help` of each command, the global help and the shell completions are all
// formatted from this one table, so an option cannot be documented in one and missing from another.

export interface OptionSpec {
  /** The long flag without dashes, e.g. `dry-run`. */
  flag: string;
  short?: string;
  /** The value's placeholder, e.g. `<file>`; absent for a switch. */
  value?: string;
  /** Values a shell may offer for completion. */
  choices?: readonly string[];
  /** Completes with file names. */
  files?: boolean;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** The arguments after the command's name, as the synopsis shows them. */
  synopsis: string;
  summary: string;
  description?: string;
  subcommands?: readonly { name: string; summary: string }[];
  options: readonly OptionSpec[];
  notes?: string;
  examples?: readonly string[];
}

export const HELP_WIDTH = 80;
const PRESETS = ['starter', 'enterprise', 'multicloud'] as const;
const help: OptionSpec = { flag: 'help', short: 'h', help: 'show this help' };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'new',
    synopsis: '<dir> [options]',
    summary: 'generate a platform repository into <dir>',
    description:
      'Asks the questions the options leave open (topic by topic), shows your choices, and writes the repository ' +
      'into <dir> with a first git commit. Answers are checked as each topic is answered; an interrupted run keeps ' +
      'its answers in a file and prints the command that resumes from it.',
    options: [
      { flag: 'preset', value: '<name>', choices: PRESETS, help: `start from a preset: ${PRESETS.join(', ')}` },
      {
        flag: 'answers',
        value: '<file>',
        files: true,
        help: 'answers in YAML or JSON (a .yo-rc.json, bare answers, or a saved partial run)',
      },
      {
        flag: 'set',
        value: '<path>=<value>',
        help:
          'override one answer by its dotted path, e.g. --set cluster.privateCluster=false ' +
          '(repeatable; precedence: preset < answers file < --set < prompt)',
      },
      { flag: 'yes', short: 'y', help: 'never prompt: unanswered questions take their defaults' },
      { flag: 'dry-run', help: 'print the files that would be written, with sizes; write nothing' },
      { flag: 'force', help: 'write into a non-empty directory, overwriting generated files there' },
      { flag: 'no-git', help: 'do not initialise a git repository' },
      { flag: 'publish', help: "after writing, publish to GitHub (publish's options such as --repo may follow)" },
      {
        flag: 'catalog',
        value: '<source>',
        files: true,
        help: 'an organisation catalog: a folder with catalog.yaml, or a GitHub repository owner/repo[@ref]',
      },
      {
        flag: 'template',
        value: '<name[@version]>',
        help: 'the catalog template to start from (its locked answers cannot be changed)',
      },
      { flag: 'api-url', value: '<url>', help: 'GitHub Enterprise API URL for a GitHub catalog' },
      help,
    ],
    examples: [
      'aks-platform new my-platform --yes',
      'aks-platform new my-platform --preset enterprise --yes',
      'aks-platform new my-platform --set delivery.github.owner=contoso',
      'aks-platform new my-platform --answers answers.yaml --dry-run',
    ],
  },
  {
    name: 'upgrade',
    synopsis: '<dir> [options]',
    summary: "merge this generator's output into a repository you have edited; also the way to add an answer later",
    description:
      'Renders the platform with this generator version from the answers stored in <dir>/.yo-rc.json (plus ' +
      `--answers and --set changes), commits the pristine files on the ${GENERATED_BRANCH} branch and merges them ` +
      "into your current branch with git's three-way merge (YAML is merged per Kubernetes object and per key). " +
      "Prints every file's outcome and the diff. Exit 2 when the merge stopped on conflicts.",
    options: [
      { flag: 'set', value: '<path>=<value>', help: 'change one answer by its dotted path (repeatable)' },
      { flag: 'answers', value: '<file>', files: true, help: 'answers to merge over the stored ones' },
      { flag: 'dry-run', help: 'print the same summary and diff, change nothing' },
      {
        flag: 'pr',
        help:
          'merge on a new branch aks-platform/upgrade-<version>-<commit>, push it and open a pull request ' +
          '(token: GITHUB_TOKEN, GH_TOKEN or gh auth token)',
      },
      { flag: 'api-url', value: '<url>', help: 'GitHub Enterprise Server API URL for --pr' },
      help,
    ],
    notes: 'Undo a merge that stopped on conflicts: git merge --abort',
    examples: [
      'aks-platform upgrade my-platform --set delivery.github.owner=contoso',
      'aks-platform upgrade my-platform --dry-run',
    ],
  },
  {
    name: 'validate',
    synopsis: '[dir] [options]',
    summary: 'check a platform repository; exit 1 on errors',
    description:
      'Checks a platform repository (default: the current folder): Bicep build and lint, Kubernetes and Flux ' +
      'schemas, GitHub workflows, Azure Pipelines and the cross-file rules of the deploy-time contracts.',
    options: [
      { flag: 'format', value: '<text|json>', choices: ['text', 'json'], help: 'the report format (default: text)' },
      { flag: 'bicep', value: '<path>', files: true, help: 'the Bicep CLI to use (default: bicep on PATH, then az)' },
      { flag: 'schemas', value: '<dir>', files: true, help: 'a folder of extra CRD JSON schemas' },
      help,
    ],
    examples: ['aks-platform validate my-platform', 'aks-platform validate --format json'],
  },
  {
    name: 'plan',
    synopsis: '[dir] [options]',
    summary: "the Azure resources each environment's deployment adds, removes and changes",
    description:
      'For each environment (infra/*.bicepparam), the Azure resources a deployment would add, remove and change ' +
      'between --base (default: HEAD) and the working tree, with the changed properties. Changes Azure cannot apply ' +
      'in place are flagged with what to do instead. Offline: bicep snapshot predicts the resources; no Azure sign-in.',
    options: [
      { flag: 'base', value: '<git-ref>', help: 'the commit to compare with (default: HEAD)' },
      {
        flag: 'bicep',
        value: '<path>',
        files: true,
        help: 'the Bicep CLI to use (default: AKS_PLATFORM_BICEP, then PATH)',
      },
      help,
    ],
    examples: ['aks-platform plan my-platform', 'aks-platform plan . --base origin/main'],
  },
  {
    name: 'publish',
    synopsis: '<dir> [--repo <owner>/<name>] [options]',
    summary: 'create or reconcile the GitHub repository and push',
    description:
      'Creates (or reconciles) the GitHub repository of a generated platform: pushes the branch, protects it, ' +
      'creates the environments and their reviewers and sets the Actions variables. Each step is shown as it starts.',
    options: [
      {
        flag: 'repo',
        value: '<owner>/<name>',
        help: 'the repository; default: delivery.github owner/repo from <dir>/.yo-rc.json',
      },
      {
        flag: 'visibility',
        value: '<v>',
        choices: ['private', 'internal', 'public'],
        help:
          'private, internal or public; a new repository is private unless the answers say ' +
          'delivery.github.private=false; an existing one changes only when this is given',
      },
      { flag: 'api-url', value: '<url>', help: 'GitHub Enterprise Server API URL' },
      {
        flag: 'branch',
        value: '<name>',
        help: 'the branch to push and protect; default: delivery.github.branch, else main',
      },
      {
        flag: 'reviewers',
        value: '<names>',
        help:
          'required reviewers of production environments: users, or teams as <org>/<team-slug> ' +
          '(comma-separated, repeatable, at most 6)',
      },
      { flag: 'tenant-id', value: '<guid>', help: 'Actions variable AZURE_TENANT_ID (default: $AZURE_TENANT_ID)' },
      {
        flag: 'subscription-id',
        value: '<guid>',
        help: 'Actions variable AZURE_SUBSCRIPTION_ID (default: $AZURE_SUBSCRIPTION_ID)',
      },
      { flag: 'client-id', value: '<guid>', help: 'Actions variable AZURE_CLIENT_ID (default: $AZURE_CLIENT_ID)' },
      help,
    ],
    notes:
      'The token comes from GITHUB_TOKEN, GH_TOKEN, or `gh auth token`. It is handed to git for the push only, ' +
      'through the environment of that one command: never written to .git/config, never printed.',
  },
  {
    name: 'schema',
    synopsis: '',
    summary: 'print the JSON Schema of an answers file',
    options: [help],
  },
  {
    name: 'presets',
    synopsis: '[--json]',
    summary: 'list the presets',
    options: [{ flag: 'json', help: 'print the presets as JSON' }, help],
  },
  {
    name: 'catalog',
    synopsis: '<list|backstage> --catalog <source> [options]',
    summary: "list an organisation catalog's templates, or export them to Backstage",
    subcommands: [
      { name: 'list', summary: "list the catalog's templates and versions" },
      { name: 'backstage', summary: 'write a Backstage Software Template per catalog template' },
    ],
    options: [
      {
        flag: 'catalog',
        value: '<source>',
        files: true,
        help: 'a folder with catalog.yaml, or a GitHub repository owner/repo[@ref]',
      },
      {
        flag: 'catalog-url',
        value: '<url>',
        help:
          "backstage: the URL Backstage reads the catalog from (default: the GitHub repository's URL, or the " +
          "folder's git remote)",
      },
      { flag: 'out', value: '<dir>', files: true, help: 'backstage: the output folder (default: backstage-templates)' },
      { flag: 'json', help: 'list: print the templates as JSON' },
      { flag: 'api-url', value: '<url>', help: 'GitHub Enterprise API URL for a GitHub catalog' },
      help,
    ],
    examples: [
      'aks-platform catalog list --catalog ./platform-catalog',
      'aks-platform catalog list --catalog contoso/catalog@v1',
    ],
  },
  {
    name: 'completion',
    synopsis: '<bash|zsh|fish>',
    summary: 'print a shell completion script',
    subcommands: [
      { name: 'bash', summary: 'source <(aks-platform completion bash), e.g. in ~/.bashrc' },
      { name: 'zsh', summary: 'source <(aks-platform completion zsh), e.g. in ~/.zshrc' },
      { name: 'fish', summary: 'aks-platform completion fish > ~/.config/fish/completions/aks-platform.fish' },
    ],
    options: [help],
  },
];

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** The `parseArgs` options of a command, from its row of the table. */
export function parseOptions(name: string) {
  const spec = commandSpec(name);
  if (!spec) throw new Error(`no command ${name}`);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of spec.options)
    options[o.flag] = {
      type: o.value ? 'string' : 'boolean',
      ...(o.short ? { short: o.short } : {}),
      ...(o.flag === 'set' || o.flag === 'reviewers' ? { multiple: true } : {}),
    };
  return options;
}

/** Wraps text to the width, every line after the first indented by `indent` spaces. */
export function wrap(text: string, width: number, indent = 0, firstIndent = indent): string {
  const lines: string[] = [];
  let line = ' '.repeat(firstIndent);
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Two columns: the term, then its description wrapped beside it (or under it when the term is long). */
function table(rows: readonly (readonly [string, string])[]): string {
  const column = 26;
  return rows
    .map(([term, text]) => {
      const left = `  ${term}`;
      if (left.length + 2 <= column) return left.padEnd(column) + wrap(text, HELP_WIDTH, column).slice(column);
      return `${left}\n${wrap(text, HELP_WIDTH, column)}`;
    })
    .join('\n');
}

function optionTerm(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.flag}${o.value ? ` ${o.value}` : ''}`;
}

export interface Style {
  bold(text: string): string;
}
const plain: Style = { bold: (text) => text };

/** `aks-platform <command> --help`. */
export function commandHelp(spec: CommandSpec, style: Style = plain): string {
  const parts = [`${style.bold('Usage:')} aks-platform ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''}`];
  parts.push(wrap(spec.description ?? `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`, HELP_WIDTH));
  if (spec.subcommands)
    parts.push(`${style.bold('Commands:')}\n${table(spec.subcommands.map((s) => [s.name, s.summary]))}`);
  parts.push(`${style.bold('Options:')}\n${table(spec.options.map((o) => [optionTerm(o), o.help]))}`);
  if (spec.notes) parts.push(wrap(spec.notes, HELP_WIDTH));
  if (spec.examples) parts.push(`${style.bold('Examples:')}\n${spec.examples.map((e) => `  ${e}`).join('\n')}`);
  return parts.join('\n\n');
}

/** `aks-platform --help`. */
export function globalHelp(style: Style = plain): string {
  return [
    wrap(
      'aks-platform: generate a deployable AKS platform GitOps repository (Bicep, Flux, RBAC, pipelines).',
      HELP_WIDTH,
    ),
    `${style.bold('Usage:')} aks-platform <command> [options]`,
    `${style.bold('Commands:')}\n${table(COMMANDS.map((c) => [c.name, c.summary]))}`,
    `${style.bold('Options:')}\n${table([
      ['-h, --help', 'show this help; <command> --help shows that command'],
      ['-v, --version', 'print the version'],
    ])}`,
    `${style.bold('Examples:')}\n  aks-platform new my-platform --yes\n  aks-platform publish my-platform --repo contoso/aks-platform\n  yo aks-platform                       the same questions, through Yeoman`,
  ].join('\n\n');
}
