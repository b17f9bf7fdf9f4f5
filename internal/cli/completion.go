package cli

import (
	"context"
	"fmt"
	"strings"
)

// completionWords are the subcommands of the commands that have them.
var completionWords = map[string]string{
	"apps":       "list create update",
	"webhook":    "rotate secrets",
	"events":     "test trigger tail resend replay",
	"listing":    "validate push",
	"completion": "bash zsh fish",
	"migrate":    "status",
}

// completion prints a shell completion script for the commands and their
// subcommands.
func (m *Main) completion(ctx context.Context, args []string) error {
	if len(args) != 1 {
		fmt.Fprintln(m.Stderr, "Usage: shelf completion bash|zsh|fish\n\n"+
			"  bash: source <(shelf completion bash)\n"+
			"  zsh:  shelf completion zsh > \"${fpath[1]}/_shelf\"\n"+
			"  fish: shelf completion fish > ~/.config/fish/completions/shelf.fish")
		return ErrUsage
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	top := strings.Join(names, " ")
	var b strings.Builder
	switch args[0] {
	case "bash", "zsh":
		if args[0] == "zsh" {
			b.WriteString("#compdef shelf\nautoload -U +X bashcompinit && bashcompinit\n")
		}
		b.WriteString("_shelf() {\n  local cur=${COMP_WORDS[COMP_CWORD]}\n  if [ \"$COMP_CWORD\" -eq 1 ]; then\n")
		fmt.Fprintf(&b, "    COMPREPLY=($(compgen -W %q -- \"$cur\")); return\n  fi\n  case ${COMP_WORDS[1]} in\n", top)
		for _, n := range names {
			if w, ok := completionWords[n]; ok {
				fmt.Fprintf(&b, "    %s) [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", n, w)
			}
		}
		b.WriteString("  esac\n}\ncomplete -F _shelf shelf\n")
	case "fish":
		fmt.Fprintf(&b, "complete -c shelf -f -n '__fish_use_subcommand' -a %q\n", top)
		for _, n := range names {
			if w, ok := completionWords[n]; ok {
				fmt.Fprintf(&b, "complete -c shelf -f -n '__fish_seen_subcommand_from %s' -a %q\n", n, w)
			}
		}
	default:
		fmt.Fprintf(m.Stderr, "shelf completion: %q is not bash, zsh or fish\n", args[0])
		return ErrUsage
	}
	_, err := fmt.Fprint(m.Stdout, b.String())
	return err
}
