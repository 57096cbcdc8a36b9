import { COMMANDS, type CommandSpec, type OptionSpec } from './usage.js';

// Shell completion scripts, formatted from the usage table: commands, subcommands, each command's options and the
// values an option accepts. Nothing here runs the CLI at completion time, so completing is instant.

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const flags = (spec: CommandSpec) =>
  spec.options.flatMap((o) => [`--${o.flag}`, ...(o.short ? [`-${o.short}`] : [])]).join(' ');

/** Text safe inside single quotes in every shell, without the characters zsh's _arguments gives meaning to. */
function quoteText(text: string): string {
  return text.replace(/[[\]:'`$\\]/g, '').replace(/\s+/g, ' ');
}

function bash(): string {
  const cases = COMMANDS.map((spec) => {
    const values = spec.options
      .filter((o) => o.value)
      .map((o) => `      --${o.flag}) ${valueReply(o)} return ;;`)
      .join('\n');
    const subs = spec.subcommands
      ? `    if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W '${spec.subcommands.map((s) => s.name).join(' ')}' -- "$cur")); return; fi\n`
      : '';
    return `  ${spec.name})\n${subs}    case "$prev" in\n${values}\n    esac\n    opts='${flags(spec)}' ;;`;
  }).join('\n');
  return `# bash completion for aks-platform: source <(aks-platform completion bash)
_aks_platform() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" opts=''
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W '${COMMANDS.map((c) => c.name).join(' ')} --help --version' -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _aks_platform aks-platform
`;

  function valueReply(o: OptionSpec): string {
    if (o.choices) return `COMPREPLY=($(compgen -W '${o.choices.join(' ')}' -- "$cur"));`;
    if (o.files) return 'COMPREPLY=($(compgen -f -- "$cur"));';
    return 'COMPREPLY=();';
  }
}

function zsh(): string {
  const spec = (o: OptionSpec) => {
    const action = o.choices ? `:value:(${o.choices.join(' ')})` : o.files ? ':path:_files' : o.value ? ':value:' : '';
    const text = `[${quoteText(o.help)}]`;
    const many = o.flag === 'set' || o.flag === 'reviewers' ? '*' : '';
    const long = `'${many}--${o.flag}${text}${action}'`;
    return o.short ? `${long} '${many}-${o.short}${text}${action}'` : long;
  };
  const cases = COMMANDS.map((c) => {
    const first = c.subcommands ? `'1:subcommand:(${c.subcommands.map((s) => s.name).join(' ')})'` : "'*:path:_files'";
    return `    ${c.name}) _arguments ${first} ${c.options.map(spec).join(' ')} ;;`;
  }).join('\n');
  return `#compdef aks-platform
# zsh completion for aks-platform: source <(aks-platform completion zsh), or save as _aks-platform in $fpath
_aks_platform() {
  local -a commands
  commands=(
${COMMANDS.map((c) => `    '${c.name}:${quoteText(c.summary)}'`).join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local command=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $command in
${cases}
  esac
}
if [ "$funcstack[1]" = "_aks_platform" ]; then _aks_platform "$@"; else compdef _aks_platform aks-platform; fi
`;
}

function fish(): string {
  const lines = [
    '# fish completion for aks-platform: aks-platform completion fish | source',
    'complete -c aks-platform -f',
  ];
  for (const c of COMMANDS) {
    lines.push(`complete -c aks-platform -n __fish_use_subcommand -a ${c.name} -d '${quoteText(c.summary)}'`);
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const s of c.subcommands ?? [])
      lines.push(`complete -c aks-platform ${when} -a ${s.name} -d '${quoteText(s.summary)}'`);
    for (const o of c.options) {
      const value = o.choices ? ` -x -a '${o.choices.join(' ')}'` : o.files ? ' -r -F' : o.value ? ' -x' : '';
      lines.push(
        `complete -c aks-platform ${when} -l ${o.flag}${o.short ? ` -s ${o.short}` : ''}${value} -d '${quoteText(o.help)}'`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? bash() : shell === 'zsh' ? zsh() : fish();
}
