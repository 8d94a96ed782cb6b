import type { Command } from 'commander';
import { InputError } from '../../errors.ts';

interface Words {
  commands: string[];
  /** Command path (`run`, `dev-server start`) → its options and subcommands. */
  of: Map<string, string[]>;
}

/** Every command's words, read from the program itself, so the completion never lags a new flag. */
function wordsOf(program: Command): Words {
  const of = new Map<string, string[]>();
  const walk = (cmd: Command, path: string) => {
    const options = cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
    of.set(path, [...cmd.commands.map((c) => c.name()), ...options, '--help']);
    for (const sub of cmd.commands) walk(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  walk(program, '');
  return { commands: program.commands.map((c) => c.name()), of };
}

function bash(w: Words): string {
  const paths = [...w.of.keys()].filter(Boolean);
  const cases = paths.map((path) => `    "${path}") words="${w.of.get(path)!.join(' ')}" ;;`);
  const known = paths.join('|');
  return `# udn-demo completion for bash: eval "$(udn-demo completion bash)"
_udn_demo() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w
  # The command path: only words that name a (sub)command; flags, their values and ids are skipped.
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    local next="\${path:+$path }$w"
    case "|${known}|" in *"|$next|"*) path="$next" ;; esac
  done
  local words="${w.of.get('')!.join(' ')}"
  case "$path" in
${cases.join('\n')}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _udn_demo udn-demo
`;
}

function zsh(w: Words): string {
  return `#compdef udn-demo
# udn-demo completion for zsh: source <(udn-demo completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(w).split('\n').slice(1).join('\n')}`;
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(udn-demo completion bash)", or source <(udn-demo completion zsh)')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string) => {
      const words = wordsOf(program);
      if (shell === 'bash') process.stdout.write(bash(words));
      else if (shell === 'zsh') process.stdout.write(zsh(words));
      else throw new InputError(`completion: the shell must be bash or zsh, got "${shell}"`);
    });
}
