import type { Problem } from './answers/validate.js';
import type { Omission } from './plan/index.js';

// Every sentence the CLI and the Yeoman generator show a person, in one place.

/** Longest value echoed back in a message: enough to recognise it, never a whole pasted file. */
const SHOWN_CHARACTERS = 80;

/** A value as a message shows it: JSON, cut to a recognisable head with its full length when it is long. */
export function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= SHOWN_CHARACTERS ? text : `${text.slice(0, SHOWN_CHARACTERS)}… (${text.length} characters)`;
}

export function formatProblem(problem: Problem): string {
  const label = problem.severity === 'error' ? 'error' : 'warning';
  return `  ${label} ${problem.path} = ${show(problem.value)}: ${problem.message}.\n    fix: ${problem.fix}`;
}

export const messages = {
  missingDirectory: 'aks-platform new: missing the target directory.\n  fix: aks-platform new <dir> [--yes]',
  unknownCommand: (command: string) =>
    `aks-platform: unknown command "${command}".\n  fix: run aks-platform --help to see the commands`,
  badOption: (command: string, detail: string) =>
    `aks-platform ${command}: ${detail}.\n  fix: run aks-platform ${command} --help to see the options`,
  badShell: (given: string) =>
    `aks-platform completion: ${given ? `"${given}" is not a shell it knows` : 'which shell?'}.\n  fix: aks-platform completion bash (or zsh, fish)`,
  unknownPreset: (name: string, known: readonly string[]) =>
    `--preset "${name}" is not a preset.\n  fix: use one of: ${known.join(', ')}`,
  badSet: (expression: string, reason: string) =>
    `--set "${show(expression).slice(1, -1)}": ${reason}.\n  fix: write --set <dotted.path>=<value>, e.g. --set cluster.privateCluster=false`,
  setIndexPastEnd: (expression: string, e: { list: string; index: number; length: number }) =>
    `--set "${show(expression).slice(1, -1)}": ${e.list} has ${e.length} entr${e.length === 1 ? 'y' : 'ies'}, so index ${e.index} is past its end.\n  fix: ${e.length > 0 ? `use an index from 0 to ${e.length - 1} to change an entry, or ${e.length} to add one` : 'use index 0 to add the first entry'}`,
  answersFileMissing: (file: string) =>
    `--answers ${file}: no such file.\n  fix: give the path of a YAML or JSON answers file (or a .yo-rc.json)`,
  answersFileUnreadable: (file: string, reason: string) =>
    `--answers ${file} is not valid YAML or JSON: ${reason}\n  fix: correct the syntax; \`aks-platform schema\` prints the expected shape`,
  storedAnswersUnreadable: (file: string, reason: string) =>
    `${file} (the answers stored when the repository was generated) is not valid JSON: ${reason}\n  fix: restore it from your history (git log -p -- .yo-rc.json) or correct the syntax`,
  storedAnswersNotObject: (file: string) =>
    `${file} (the answers stored when the repository was generated) does not hold a mapping of answers.\n  fix: restore it from your history (git log -p -- .yo-rc.json)`,
  answersFileNotObject: (file: string) =>
    `--answers ${file} does not hold a mapping of answers.\n  fix: start from the .yo-rc.json of a generated repository, or from \`aks-platform schema\``,
  invalidAnswers: (problems: Problem[]) =>
    `The answers have ${problems.filter((p) => p.severity === 'error').length} problem(s); nothing was written.\n${problems.map(formatProblem).join('\n')}`,
  warnings: (problems: Problem[]) => `Warnings:\n${problems.map(formatProblem).join('\n')}`,
  noTerminal:
    'aks-platform new: some questions are unanswered and there is no terminal to ask them.\n  fix: add --yes to take the defaults, or give answers with --preset, --answers or --set',
  targetNotEmpty: (dir: string) =>
    `${dir} exists and is not empty; nothing was written.\n  fix: choose a new directory, or add --force to overwrite generated files there (your other files stay)`,
  uncommittedEdits: (dir: string, paths: string[]) =>
    `${dir}: ${paths.length} file(s) that --force would overwrite have uncommitted changes; nothing was written:\n${paths
      .slice(0, 20)
      .map((p) => `  ${p}`)
      .join(
        '\n',
      )}${paths.length > 20 ? `\n  … and ${paths.length - 20} more` : ''}\n  fix: commit or stash them (git stash) and run again, or use aks-platform upgrade, which merges the generator's output with your edits`,
  overwritten: (count: number, savedTo: string | undefined) =>
    savedTo
      ? `Overwrote ${count} existing file(s) (--force); the previous versions of those that changed are saved in ${savedTo}.`
      : `Overwrote ${count} existing file(s) (--force); their previous versions are in git: review with git diff.`,
  targetIsFile: (dir: string) => `${dir} exists and is a file.\n  fix: choose a directory path`,
  gitFailed: (detail: string) =>
    `git failed: ${detail}\n  fix: ${detail === 'git is not installed' ? 'install git' : 'resolve the git problem above'}, or add --no-git to skip the repository`,
  dryRunHeader: (dir: string, count: number, bytes: number) =>
    `Dry run: would write ${count} files (${bytes} bytes) into ${dir}:`,
  written: (dir: string, count: number, git: boolean) =>
    `Wrote ${count} files into ${dir}${git ? ' and committed them to a new git repository' : ''}.`,
  omissionsHeader: 'Left out because an answer is missing (the README lists them too):',
  omission: (o: Omission, dir = '.') =>
    `  - ${o.what}: ${o.because}.\n    add it later: ${messages.upgradeCommand(dir, o.fix)}`,
  /** The whole command that adds or changes an answer in a generated repository. */
  upgradeCommand: (dir: string, fix: string) => (fix.startsWith('--set') ? `aks-platform upgrade ${dir} ${fix}` : fix),
  nextSteps: (dir: string, pipelineSecrets: readonly string[]) =>
    `Next steps:\n  cd ${dir}\n  read README.md: it lists the one-time bootstrap, then every deployment is a pull request\n${pipelineSecrets.map((name) => `  before the first deployment, store ${name} as a pipeline secret (or export it for a deployment by hand)\n`).join('')}  docs/decisions/ records why each choice was made`,
  summaryHeader: 'Your choices:',
  bug: (error: unknown) =>
    `aks-platform: internal error. This is a bug in generator-aks-platform, not in your answers; please report it with the output below.\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  // A GitHub rate-limit wait (publish, upgrade --pr, a GitHub catalog).
  waiting: (kind: 'secondary' | 'primary', seconds: number, what: string) =>
    `  GitHub ${kind === 'secondary' ? 'secondary ' : ''}rate limit on ${what}: waiting ${seconds} s, then retrying`,
  promptAborted: 'Cancelled; nothing was written.',
  planNotADirectory: (dir: string) =>
    `aks-platform plan: ${dir} is not a directory.\n  fix: aks-platform plan <platform repository folder> [--base <git-ref>]`,
  planUnexpectedArgument: (value: string) =>
    `aks-platform plan: unexpected argument "${value}".\n  fix: aks-platform plan [dir] [--base <git-ref>]`,
  planUnknownBase: (ref: string, given: boolean) =>
    given
      ? `--base ${ref}: no such commit in this repository.\n  fix: give a branch, tag or commit (git fetch it first), e.g. --base origin/main`
      : `aks-platform plan: the repository has no commit ${ref} to compare with.\n  fix: commit once, or give --base <git-ref>`,
  planNeedsBicep:
    'aks-platform plan needs the Bicep CLI (it predicts the resources with bicep snapshot), and none was found.\n  fix: install it with `az bicep install` and put it on PATH (or download it from https://github.com/Azure/bicep/releases), or point AKS_PLATFORM_BICEP or --bicep at it',
  planHeader: (base: string | undefined) =>
    base === undefined
      ? 'Resource plan: every resource is new (no earlier commit to compare with).'
      : `Resource plan: ${base} -> working tree.`,
  planNoEnvironments: 'No infra/*.bicepparam file on either side: nothing to deploy.',
  answersKept: (file: string, command: string) => `Your answers so far are kept in ${file}.\n  resume: ${command}`,
  resumeHeader: (command: string) =>
    `# The answers of an unfinished run of the generator; the open questions are asked again.\n# resume: ${command}\n`,
  topicProblems: (problems: Problem[]) =>
    `These answers do not fit together yet; they are asked again:\n${problems.map(formatProblem).join('\n')}`,
  topicGate: (title: string) => `${title}: Enter answers its questions, d takes all their defaults`,
  topicDefaults: 'the defaults of this topic are taken',
  topicAnswer: 'answering its questions',
  topicGateYeoman: (title: string) => `Take all the defaults of ${title}?`,
};
