/**
 * `netsim completion bash|zsh|fish`: shell completion scripts generated from the command tree, so they
 * always list the commands and options `netsim --help` lists. Commander 14 has no completion of its own.
 *
 * What is completed: subcommands; each command's options; an option's value when it has fixed choices
 * (`-o json|yaml|wide`), a directory for `<dir>` options, a file for `<file>` ones; otherwise file names
 * (scenario and experiment files), plus the table names `describe` takes after its files.
 */
import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface OptionInfo {
  readonly names: readonly string[];
  readonly description: string;
  /** Whether the option takes a value, and what completes it. */
  readonly value: 'none' | 'dir' | 'file' | 'text' | readonly string[];
}

interface CommandInfo {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionInfo[];
  /** Words offered besides file names for the positional arguments. */
  readonly words: readonly string[];
}

function optionInfo(o: Option): OptionInfo {
  const names = [o.short, o.long].filter((n): n is string => typeof n === 'string');
  const placeholder = /<([^>]+)>|\[([^\]]+)\]/.exec(o.flags);
  const arg = placeholder ? (placeholder[1] ?? placeholder[2] ?? '') : null;
  let value: OptionInfo['value'] = 'none';
  if (o.argChoices && o.argChoices.length > 0) value = o.argChoices;
  else if (arg === 'dir') value = 'dir';
  else if (arg === 'file') value = 'file';
  else if (arg !== null) value = 'text';
  return { names, description: o.description, value };
}

const HELP: OptionInfo = { names: ['-h', '--help'], description: 'display help for command', value: 'none' };

/** The tree as data: each subcommand with its options (help included), in `--help` order. */
export function commandTree(program: Command, words: Readonly<Record<string, readonly string[]>> = {}): { global: OptionInfo[]; commands: CommandInfo[] } {
  const global = [...program.options.map(optionInfo), HELP];
  const commands = program.commands.map((c) => ({
    name: c.name(),
    description: c.description(),
    options: [...c.options.map(optionInfo), HELP],
    words: words[c.name()] ?? [],
  }));
  return { global, commands };
}

/** Single quotes for a shell word. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function bash(tree: ReturnType<typeof commandTree>, bin: string): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const valueCases = new Map<string, string>();
  for (const c of tree.commands) {
    for (const o of c.options) {
      if (o.value === 'none' || o.value === 'text') continue;
      const action = o.value === 'dir' ? 'compgen -d -- "$cur"' : o.value === 'file' ? 'compgen -f -- "$cur"' : `compgen -W ${sq(o.value.join(' '))} -- "$cur"`;
      for (const n of o.names) valueCases.set(n, action);
    }
  }
  const takesValue = new Set(tree.commands.flatMap((c) => c.options.filter((o) => o.value === 'text').flatMap((o) => o.names)));
  const lines = [
    `# ${bin} completion for bash. Load it with:  source <(${bin} completion bash)`,
    `${fn}() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" i',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    case "${COMP_WORDS[i]}" in -*) ;; *) cmd="${COMP_WORDS[i]}"; break ;; esac',
    '  done',
    '  case "$prev" in',
    ...[...valueCases].map(([n, action]) => `    ${n}) COMPREPLY=($(${action})); return ;;`),
    ...(takesValue.size > 0 ? [`    ${[...takesValue].join('|')}) COMPREPLY=(); return ;;`] : []),
    '  esac',
    '  local opts words=""',
    '  case "$cmd" in',
    `    "") COMPREPLY=($(compgen -W ${sq([...tree.commands.map((c) => c.name), ...tree.global.flatMap((o) => o.names)].join(' '))} -- "$cur")); return ;;`,
    ...tree.commands.map((c) => `    ${c.name}) opts=${sq(c.options.flatMap((o) => o.names).join(' '))}${c.words.length > 0 ? `; words=${sq(c.words.join(' '))}` : ''} ;;`),
    '    *) opts="" ;;',
    '  esac',
    '  if [[ "$cur" == -* ]]; then',
    '    COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
    '  else',
    '    COMPREPLY=($(compgen -f -- "$cur") $(compgen -W "$words" -- "$cur"))',
    '  fi',
    '}',
    `complete -o filenames -o bashdefault -F ${fn} ${bin}`,
  ];
  return lines.join('\n') + '\n';
}

/** Text for a zsh `_arguments` description: no brackets or colons. */
function zdesc(text: string): string {
  return text.replace(/[[\]:]/g, ' ').replace(/'/g, '').replace(/\s+/g, ' ').trim();
}

function zshSpec(o: OptionInfo): string {
  const names = o.names.length > 1 ? `(${o.names.join(' ')})'{${o.names.join(',')}}'` : o.names[0]!;
  const value =
    o.value === 'none' ? '' : o.value === 'dir' ? ':directory:_files -/' : o.value === 'file' ? ':file:_files' : o.value === 'text' ? ':value: ' : `:value:(${o.value.join(' ')})`;
  return `'${names}[${zdesc(o.description)}]${value}'`;
}

function zsh(tree: ReturnType<typeof commandTree>, bin: string): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const lines = [
    `#compdef ${bin}`,
    `# ${bin} completion for zsh. Load it with:  source <(${bin} completion zsh)`,
    `# or save it as _${bin} in a directory of your $fpath.`,
    `${fn}() {`,
    '  local line state',
    '  _arguments -C \\',
    ...tree.global.map((o) => `    ${zshSpec(o)} \\`),
    "    '1: :->command' \\",
    "    '*:: :->args'",
    '  case $state in',
    '    command)',
    '      local -a commands',
    '      commands=(',
    ...tree.commands.map((c) => `        ${sq(`${c.name}:${zdesc(c.description)}`)}`),
    '      )',
    "      _describe 'command' commands ;;",
    '    args)',
    '      case $line[1] in',
    ...tree.commands.map(
      (c) =>
        `        ${c.name}) _arguments ${c.options.map(zshSpec).join(' ')} ${c.words.length > 0 ? `'*:file or table:{_files; compadd ${c.words.join(' ')}}'` : "'*:file:_files'"} ;;`,
    ),
    '      esac ;;',
    '  esac',
    '}',
    `if [[ "$funcstack[1]" = "${fn}" ]]; then ${fn} "$@"; else compdef ${fn} ${bin}; fi`,
  ];
  return lines.join('\n') + '\n';
}

function fish(tree: ReturnType<typeof commandTree>, bin: string): string {
  const lines = [`# ${bin} completion for fish. Load it with:  ${bin} completion fish | source`, `complete -c ${bin} -f`];
  const flags = (o: OptionInfo): string =>
    o.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
  for (const o of tree.global) lines.push(`complete -c ${bin} -n '__fish_use_subcommand' ${flags(o)} -d ${sq(o.description)}`);
  for (const c of tree.commands) {
    lines.push(`complete -c ${bin} -n '__fish_use_subcommand' -a ${c.name} -d ${sq(c.description)}`);
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    lines.push(`complete -c ${bin} ${when} -F${c.words.length > 0 ? ` -a ${sq(c.words.join(' '))}` : ''}`);
    for (const o of c.options) {
      const value = o.value === 'none' ? '' : o.value === 'dir' ? " -r -a '(__fish_complete_directories)'" : o.value === 'file' ? ' -r -F' : o.value === 'text' ? ' -r' : ` -r -a ${sq(o.value.join(' '))}`;
      lines.push(`complete -c ${bin} ${when} ${flags(o)}${value} -d ${sq(o.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The completion script of `shell` for the program (named `bin` on the command line). */
export function completionScript(shell: Shell, program: Command, bin = 'netsim', words: Readonly<Record<string, readonly string[]>> = {}): string {
  const tree = commandTree(program, words);
  return shell === 'bash' ? bash(tree, bin) : shell === 'zsh' ? zsh(tree, bin) : fish(tree, bin);
}
